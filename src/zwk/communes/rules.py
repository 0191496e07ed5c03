"""Who may do what with programmes and communes.

Predicates take any object that belongs to a commune (commune, stage, meeting, document,
decision): `commune_of` finds the commune, so every app can reuse them.
"""

from __future__ import annotations

import rules

from zwk.communes.models import Commune, Membership, Programme
from zwk.communes.roles import roles_of


def commune_of(obj) -> Commune | None:
    if isinstance(obj, Commune):
        return obj
    if hasattr(obj, "commune"):
        return obj.commune
    if hasattr(obj, "stage"):
        return obj.stage.commune
    return None


def _role(user, obj) -> str | None:
    commune = commune_of(obj)
    return roles_of(user).in_commune(commune.pk) if commune is not None else None


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) and user.is_active


@rules.predicate
def is_programme_office(user, obj) -> bool:
    programme_id = obj.pk if isinstance(obj, Programme) else getattr(commune_of(obj), "programme_id", None)
    return programme_id in roles_of(user).office_programmes


@rules.predicate
def is_coordinator(user, obj) -> bool:
    return _role(user, obj) == Membership.Role.COORDINATOR


@rules.predicate
def is_team_member(user, obj) -> bool:
    return _role(user, obj) == Membership.Role.TEAM_MEMBER


@rules.predicate
def is_assigned_consultant(user, obj) -> bool:
    return _role(user, obj) == Membership.Role.CONSULTANT


is_office = is_programme_office | is_superuser
works_in_commune = is_coordinator | is_team_member | is_assigned_consultant | is_office
leads_commune = is_coordinator | is_assigned_consultant | is_office

rules.add_perm("communes.view_portfolio", is_office)
rules.add_perm("communes.add_commune", is_office)
rules.add_perm("communes.view_commune", works_in_commune)
rules.add_perm("communes.change_commune", is_office)
rules.add_perm("communes.view_membership", works_in_commune)
rules.add_perm("communes.assign_consultant", is_office)
# The coordinator builds the local team; everything else about people is the office's.
rules.add_perm("communes.invite_member", is_coordinator | is_office)
rules.add_perm("communes.remove_membership", is_coordinator | is_office)
