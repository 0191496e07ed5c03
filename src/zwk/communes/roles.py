"""A person's roles, loaded once per request and cached on the user object.

Permission checks run many times per page (every portfolio cell, every button); caching the
two small role queries on the user keeps that at two queries per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from zwk.communes.models import Membership, ProgrammeRole


@dataclass(frozen=True)
class Roles:
    by_commune: dict[int, str]
    office_programmes: frozenset[int]

    def in_commune(self, commune_id: int) -> str | None:
        return self.by_commune.get(commune_id)


NO_ROLES = Roles({}, frozenset())


def roles_of(user) -> Roles:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_zwk_roles", None)
    if cached is None:
        cached = Roles(
            by_commune=dict(Membership.objects.filter(user=user).values_list("commune_id", "role")),
            office_programmes=frozenset(
                ProgrammeRole.objects.filter(user=user).values_list("programme_id", flat=True)
            ),
        )
        user._zwk_roles = cached
    return cached


def forget_roles(user) -> None:
    """Call after changing a user's memberships within the same request."""
    if hasattr(user, "_zwk_roles"):
        del user._zwk_roles
