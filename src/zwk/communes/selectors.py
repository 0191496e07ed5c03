"""Reads about programmes and communes. Each query set is bounded: no N+1 on any page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from zwk.accounts.models import User
from zwk.communes.models import Commune, Membership, Programme
from zwk.communes.roles import roles_of

if TYPE_CHECKING:
    from zwk.process.models import Stage
    from zwk.process.selectors import Signal


def demo_data_present() -> bool:
    return Programme.objects.filter(is_demo=True).exists()


def programmes_managed_by(*, user: User | AnonymousUser) -> QuerySet[Programme]:
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(pk__in=roles_of(user).office_programmes)


def communes_visible_to(*, user: User | AnonymousUser) -> QuerySet[Commune]:
    roles = roles_of(user)
    if user.is_superuser:
        communes = Commune.objects.all()
    else:
        communes = Commune.objects.filter(pk__in=list(roles.by_commune)) | Commune.objects.filter(
            programme_id__in=list(roles.office_programmes)
        )
    return communes.select_related("programme", "parent").distinct().order_by("name")


def commune_ids_visible_to(*, user: User | AnonymousUser) -> set[int]:
    """The communes a person may open: pages link only to these (the others answer 404)."""
    return set(communes_visible_to(user=user).values_list("pk", flat=True))


def consultants_prefetch() -> Prefetch[str, QuerySet[Membership], str]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(role=Membership.Role.CONSULTANT).select_related("user"),
        to_attr="consultant_memberships",
    )


def commune_members(*, commune: Commune) -> QuerySet[Membership]:
    return commune.memberships.select_related("user").order_by("role", "user__last_name")


def consultant_candidates(*, commune: Commune) -> QuerySet[User]:
    """Who may be assigned as the commune's consultant: active people not yet in the commune
    who are external, i.e. neither municipal staff (coordinator or team member of any
    commune) nor programme office. Consultants of other communes come first."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    staff = Membership.objects.filter(user=OuterRef("pk"), role__in=(
        Membership.Role.COORDINATOR, Membership.Role.TEAM_MEMBER))
    consults = Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.CONSULTANT)
    return (get_user_model().objects.filter(is_active=True, programme_roles__isnull=True)
            .exclude(memberships__commune=commune).exclude(Exists(staff))
            .annotate(consults=Exists(consults))
            .order_by("-consults", "last_name", "username"))


@dataclass
class PortfolioFilters:
    consultant: int | None = None
    land: str = ""
    cluster: str = ""
    stage: str = ""      # key of the current stage (first one not done)
    signal: str = ""     # traffic light: red / amber / green / done
    query: str = ""


@dataclass(frozen=True)
class PortfolioCell:
    stage: Stage
    signal: Signal


@dataclass(frozen=True)
class PortfolioRow:
    commune: Commune
    consultants: list[User]
    cells: list[PortfolioCell]
    current_key: str
    next_due: dt.date | None


def portfolio(*, programme: Programme, filters: PortfolioFilters,
              today: dt.date) -> list[PortfolioRow]:
    """All communes of a programme × five stages, in three queries whatever their number."""
    from zwk.process import selectors as process

    communes = (
        Commune.objects.filter(programme=programme, is_active=True)
        .select_related("parent")
        .prefetch_related("stages", consultants_prefetch())
        .order_by("name")
    )
    if filters.land:
        communes = communes.filter(land=filters.land)
    if filters.cluster:
        communes = communes.filter(cluster=filters.cluster)
    if filters.consultant:
        communes = communes.filter(memberships__user_id=filters.consultant,
                                   memberships__role=Membership.Role.CONSULTANT)
    if filters.query:
        communes = communes.filter(name__icontains=filters.query)
    rows = []
    for commune in communes:
        stages = sorted(commune.stages.all(), key=lambda s: s.number)
        current = process.current_stage(stages)
        row = PortfolioRow(
            commune=commune,
            # set by consultants_prefetch (to_attr), which mypy cannot see on the model
            consultants=[m.user for m in commune.consultant_memberships],  # type: ignore[attr-defined]
            cells=[PortfolioCell(s, process.stage_signal(s, today=today)) for s in stages],
            current_key=current.key if current else "finished",
            next_due=process.next_due(stages),
        )
        if _row_matches(row, filters):
            rows.append(row)
    return rows


def _row_matches(row: PortfolioRow, filters: PortfolioFilters) -> bool:
    if filters.stage and row.current_key != filters.stage:
        return False
    if filters.signal:
        return any(cell.signal.key == filters.signal for cell in row.cells)
    return True


def programme_consultants(*, programme: Programme) -> QuerySet[User]:
    return User.objects.filter(
        memberships__commune__programme=programme,
        memberships__role=Membership.Role.CONSULTANT,
    ).distinct().order_by("last_name", "first_name")
