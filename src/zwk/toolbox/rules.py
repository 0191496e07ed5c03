"""Who may do what in the Werkzeugkoffer. Predicates come from zwk.communes.rules.

Published tools are for every active, logged-in person. A commune's practice drafts stay with
the people working in that commune (and its programme office); only a programme office
publishes, curates and sees the whole review queue.
"""

import rules

from zwk.communes.roles import roles_of
from zwk.communes.rules import is_superuser, works_in_commune


@rules.predicate
def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


@rules.predicate
def is_any_office(user) -> bool:
    """Works for some programme office (tools without a commune belong to every programme)."""
    return bool(roles_of(user).office_programmes)


is_curator = is_any_office | is_superuser


@rules.predicate
def is_published(user, tool) -> bool:
    return tool is not None and tool.status == "published"


@rules.predicate
def is_commune_practice(user, tool) -> bool:
    return tool is not None and tool.owner_commune_id is not None


@rules.predicate
def works_for_owner(user, tool) -> bool:
    return tool is not None and tool.owner_commune is not None \
        and works_in_commune(user, tool.owner_commune)


@rules.predicate
def office_of_owner(user, tool) -> bool:
    from zwk.communes.rules import is_office

    if tool is None:
        return False
    if tool.owner_commune_id is None:
        return is_curator(user)
    return is_office(user, tool.owner_commune)


@rules.predicate
def is_draft(user, tool) -> bool:
    return tool is not None and tool.status == "draft"


rules.add_perm("toolbox.browse_tools", is_active_user)
rules.add_perm("toolbox.view_tool", is_active_user & (is_published | works_for_owner
                                                      | office_of_owner))
rules.add_perm("toolbox.add_tool", is_curator)
rules.add_perm("toolbox.change_tool", is_active_user & (office_of_owner
                                                        | (works_for_owner & is_draft)))
rules.add_perm("toolbox.retire_tool", is_active_user & office_of_owner)
rules.add_perm("toolbox.review_tools", is_curator)
rules.add_perm("toolbox.approve_tool", is_active_user & office_of_owner)
# objects: a commune
rules.add_perm("toolbox.add_practice", works_in_commune)
rules.add_perm("toolbox.adopt_tool", works_in_commune)
rules.add_perm("toolbox.view_recommendations", works_in_commune)
# object: a tool (the commune's own draft practice)
rules.add_perm("toolbox.submit_practice", works_for_owner & is_draft)
rules.add_perm("toolbox.view_usage", is_curator)
rules.add_perm("toolbox.view_exchange", is_curator)
