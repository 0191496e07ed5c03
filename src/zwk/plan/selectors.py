"""Reads of the Werkstattplan, each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zwk.plan.models import Goal, Measure, PlanVersion
from zwk.plan.progress import GoalNode, MeasureNode, rollup


def goal_ancestor_ids(goal: Goal) -> set[int]:
    """The goal and every goal above it."""
    parents = dict(Goal.objects.filter(commune_id=goal.commune_id).values_list("pk", "parent_id"))
    seen: set[int] = set()
    node: int | None = goal.pk
    while node is not None and node not in seen:
        seen.add(node)
        node = parents.get(node)
    return seen


def goal_descendant_ids(goal: Goal) -> set[int]:
    pairs = list(Goal.objects.filter(commune_id=goal.commune_id).values_list("pk", "parent_id"))
    result: set[int] = set()
    frontier = {goal.pk}
    while frontier:
        frontier = {pk for pk, parent in pairs if parent in frontier and pk not in result}
        result |= frontier
    return result


def dependency_edges(commune) -> dict[int, set[int]]:
    edges: dict[int, set[int]] = {}
    through = Measure.dependencies.through
    for src, dst in through.objects.filter(from_measure__commune=commune).values_list(
            "from_measure_id", "to_measure_id"):
        edges.setdefault(src, set()).add(dst)
    return edges


def measure_titles(ids) -> dict[int, str]:
    return dict(Measure.objects.filter(pk__in=set(ids)).values_list("pk", "title"))


@dataclass
class GoalRow:
    goal: Goal
    depth: int
    progress: float | None
    measures: list[Measure] = field(default_factory=list)
    children: list[GoalRow] = field(default_factory=list)


@dataclass
class FieldBlock:
    action_field: Any
    progress: float | None
    rows: list[GoalRow]                 # depth-first, flat
    tree: list[GoalRow] = field(default_factory=list)   # top-level goals with children


def _measures(commune):
    return (Measure.objects.filter(commune=commune)
            .select_related("status", "goal", "goal__action_field")
            .order_by("position", "pk"))


def plan_outline(commune) -> list[FieldBlock]:
    """Action fields with their goal tree (depth-first, by position) and measures, each with
    its weighted progress. Four queries whatever the size."""
    fields = list(commune.action_fields.all())
    goals = list(Goal.objects.filter(commune=commune).order_by("position", "pk"))
    measures = list(_measures(commune))
    result = rollup([GoalNode(g.id, g.parent_id, g.action_field_id, float(g.weight))
                     for g in goals],
                    [MeasureNode(m.goal_id, m.progress, float(m.weight)) for m in measures])
    by_goal: dict[int, list[Measure]] = {}
    for m in measures:
        by_goal.setdefault(m.goal_id, []).append(m)
    children: dict[int | None, list[Goal]] = {}
    for g in goals:
        children.setdefault(g.parent_id, []).append(g)
    blocks = []
    for af in fields:
        rows: list[GoalRow] = []

        def walk(goal: Goal, depth: int, rows: list[GoalRow] = rows) -> GoalRow:
            row = GoalRow(goal, depth, result.goals.get(goal.id), by_goal.get(goal.id, []))
            rows.append(row)
            row.children = [walk(child, depth + 1, rows) for child in children.get(goal.id, [])]
            return row

        tree = [walk(top, 0) for top in children.get(None, []) if top.action_field_id == af.pk]
        if rows or af.is_active:
            blocks.append(FieldBlock(af, result.action_fields.get(af.pk), rows, tree))
    return blocks


def measures_table(commune, *, action_field: int | None = None, status: int | None = None,
                   lead: str = "", year: int | None = None):
    qs = _measures(commune).order_by("goal__action_field__position", "goal__position",
                                     "position", "pk")
    if action_field:
        qs = qs.filter(goal__action_field_id=action_field)
    if status:
        qs = qs.filter(status_id=status)
    if lead:
        qs = qs.filter(lead__icontains=lead)
    if year:
        qs = qs.filter(start__year__lte=year).exclude(end__year__lt=year)
    return qs


def leads_of(commune) -> list[str]:
    return sorted(set(Measure.objects.filter(commune=commune).exclude(lead="")
                      .values_list("lead", flat=True)))


def open_candidates(commune):
    from zwk.workshop.models import Candidate

    return (Candidate.objects.filter(session__commune=commune, taken_over=False)
            .select_related("session", "action_field", "card", "cluster")
            .order_by("session__created_at", "kind", "rank"))


def open_swot_items(commune):
    from zwk.profile.models import SwotItem

    return (SwotItem.objects.filter(commune=commune, status=SwotItem.Status.ACCEPTED,
                                    plan_goals__isnull=True, plan_measures__isnull=True)
            .prefetch_related("action_fields").order_by("quadrant", "position", "pk"))


def _value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v.normalize()) if v == v.to_integral() else str(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def plan_snapshot(commune) -> dict[str, Any]:
    """The whole plan as plain JSON: action fields, goals, measures (with computed progress)."""
    goals = list(Goal.objects.filter(commune=commune).select_related("action_field")
                 .prefetch_related("swot_items").order_by("position", "pk"))
    measures = list(_measures(commune).prefetch_related("dependencies", "cards", "swot_items",
                                                        "inventory_entries", "milestones"))
    used_fields = {g.action_field_id for g in goals}
    return {
        "action_fields": [{"id": af.pk, "name": af.name, "position": af.position}
                          for af in commune.action_fields.all() if af.pk in used_fields],
        "goals": [{
            "id": g.pk, "action_field": g.action_field.name, "parent": g.parent_id,
            "position": g.position, "title": g.title, "description": g.description,
            "weight": _value(g.weight), "indicator_key": g.indicator_key,
            "indicator_name": g.indicator_name, "indicator_unit": g.indicator_unit,
            "indicator_source": g.indicator_source,
            "baseline_value": _value(g.baseline_value), "baseline_year": g.baseline_year,
            "target_value": _value(g.target_value), "target_date": _value(g.target_date),
            "swot_items": sorted(s.pk for s in g.swot_items.all()),
        } for g in goals],
        "measures": [{
            "id": m.pk, "goal": m.goal_id, "position": m.position, "title": m.title,
            "description": m.description, "target_groups": m.target_groups, "lead": m.lead,
            "partners": m.partners, "start": _value(m.start), "end": _value(m.end),
            "budget": _value(m.budget), "funding_source": m.funding_source,
            "status": m.status.name, "status_key": m.status.key,
            "progress_override": m.progress_override, "progress": m.progress,
            "priority": m.priority, "weight": _value(m.weight),
            "dependencies": sorted(d.pk for d in m.dependencies.all()),
            "cards": sorted(c.pk for c in m.cards.all()),
            "swot_items": sorted(s.pk for s in m.swot_items.all()),
            "inventory_entries": sorted(e.pk for e in m.inventory_entries.all()),
            "milestones": [f"{x.title} (bis {x.due:%d.%m.%Y})" for x in m.milestones.all()],
        } for m in measures],
    }


def commune_has_adopted_plan(*, commune_id: int) -> bool:
    """A version of the Werkstattplan was adopted (frozen with date and resolution)."""
    return PlanVersion.objects.filter(commune_id=commune_id).exists()


def versions_of(commune):
    return PlanVersion.objects.filter(commune=commune).select_related("created_by")


def public_plan(commune_pk: int) -> dict[str, Any] | None:
    """What the public page shows: only the latest adopted version of a commune that chose to
    publish it, and the approved workshop cards its measures came from. None otherwise."""
    from zwk.plan.models import PlanPublication
    from zwk.workshop.models import Card

    publication = (PlanPublication.objects.select_related("commune")
                   .filter(commune_id=commune_pk, is_published=True).first())
    if publication is None:
        return None
    version = PlanVersion.objects.filter(commune_id=commune_pk).order_by("-number").first()
    if version is None:
        return None
    snapshot = version.snapshot
    measures_by_goal: dict[int, list[dict]] = {}
    for m in snapshot.get("measures", []):
        measures_by_goal.setdefault(m["goal"], []).append(m)
    fields: dict[str, list[dict]] = {}
    for g in snapshot.get("goals", []):
        fields.setdefault(g["action_field"], []).append(
            {"title": g["title"], "sub": g["parent"] is not None,
             "measures": measures_by_goal.get(g["id"], [])})
    card_ids = {c for m in snapshot.get("measures", []) for c in m.get("cards", [])}
    cards = dict(Card.objects.filter(pk__in=card_ids, status=Card.Status.APPROVED,
                                     session__commune_id=commune_pk)
                 .values_list("pk", "text"))
    ideas = [{"idea": cards[c], "measure": m["title"], "status": m["status"],
              "progress": m["progress"]}
             for m in snapshot.get("measures", []) for c in m.get("cards", []) if c in cards]
    return {"commune": publication.commune, "version": version, "fields": fields,
            "ideas": ideas}


@dataclass
class PlanLinks:
    """The workshop cards, SWOT items and inventory entries linked to goals and measures."""

    cards: dict[int, list[Any]]
    swot: dict[int, list[Any]]
    inventory: dict[int, list[Any]]
    goal_swot: dict[int, list[Any]]

    def any(self, measure_pk: int) -> bool:
        return measure_pk in self.cards or measure_pk in self.swot or measure_pk in self.inventory


def export_links(commune) -> PlanLinks:
    """Every link of the plan in four queries (one per link table)."""
    from zwk.profile.models import InventoryEntry, SwotItem
    from zwk.workshop.models import Card

    def grouped(through, owner: str, target: str, model, related=()):
        pairs = list(through.objects.filter(**{f"{owner}__commune": commune})
                     .values_list(f"{owner}_id", f"{target}_id"))
        objs = model.objects.filter(pk__in={t for _o, t in pairs}).select_related(*related)
        by_pk = {o.pk: o for o in objs}
        result: dict[int, list[Any]] = {}
        for o, t in pairs:
            result.setdefault(o, []).append(by_pk[t])
        return result

    return PlanLinks(
        cards=grouped(Measure.cards.through, "measure", "card", Card, ("cluster",)),
        swot=grouped(Measure.swot_items.through, "measure", "swotitem", SwotItem),
        inventory=grouped(Measure.inventory_entries.through, "measure", "inventoryentry",
                          InventoryEntry),
        goal_swot=grouped(Goal.swot_items.through, "goal", "swotitem", SwotItem))


def link_choices(commune, *, measure: Measure | None = None) -> dict[str, Any]:
    """What a measure may link to, grouped for the picker: approved workshop cards by session
    and cluster, accepted SWOT items by quadrant, the inventory. Items already linked to the
    measure are offered even when no longer approved/accepted. Three queries (+3 for the
    measure's current links)."""
    from django.db.models import Q

    from zwk.profile.models import InventoryEntry, SwotItem
    from zwk.workshop.models import Card

    linked: dict[str, set[int]] = {"cards": set(), "swot_items": set(),
                                   "inventory_entries": set()}
    if measure is not None and measure.pk:
        for key in linked:
            linked[key] = set(getattr(measure, key).values_list("pk", flat=True))
    cards = (Card.objects.filter(session__commune=commune)
             .filter(Q(status=Card.Status.APPROVED) | Q(pk__in=linked["cards"]))
             .select_related("session", "cluster")
             .order_by("session__created_at", "session_id", "cluster__position",
                       "cluster_id", "created_at", "pk"))
    card_groups: list[dict[str, Any]] = []
    for card in cards:
        label = card.session.title
        cluster = card.cluster.title if card.cluster is not None else ""
        if not card_groups or card_groups[-1]["key"] != (card.session_id, card.cluster_id):
            card_groups.append({"key": (card.session_id, card.cluster_id), "session": label,
                                "cluster": cluster, "items": []})
        card_groups[-1]["items"].append(card)
    swot = (SwotItem.objects.filter(commune=commune)
            .filter(Q(status=SwotItem.Status.ACCEPTED) | Q(pk__in=linked["swot_items"]))
            .order_by("quadrant", "position", "pk"))
    labels = dict(SwotItem.Quadrant.choices)
    order = [q for q, _label in SwotItem.Quadrant.choices]
    swot_groups: dict[str, list[Any]] = {}
    for item in swot:
        swot_groups.setdefault(item.quadrant, []).append(item)
    inventory = list(InventoryEntry.objects.filter(commune=commune).order_by("title", "pk"))
    return {
        "cards": card_groups,
        "swot": [{"quadrant": str(labels[q]), "items": swot_groups[q]} for q in order
                 if q in swot_groups],
        "inventory": inventory,
        "linked": linked,
        "ids": {"cards": {c.pk for g in card_groups for c in g["items"]},
                "swot_items": {s.pk for items in swot_groups.values() for s in items},
                "inventory_entries": {e.pk for e in inventory}},
    }


@dataclass
class StatusRow:
    status: Any
    measures: int            # measures with this status
    following: int           # of those, without an own progress (they follow the default)


def statuses_of(programme) -> list[StatusRow]:
    """The programme's statuses in order, with how many measures use them. Two queries."""
    from django.db.models import Count, Q

    from zwk.plan.models import MeasureStatus

    rows = (MeasureStatus.objects.filter(programme=programme)
            .annotate(n=Count("measures"),
                      f=Count("measures", filter=Q(measures__progress_override__isnull=True)))
            .order_by("position", "pk"))
    return [StatusRow(s, s.n, s.f) for s in rows]


def status_usage(status) -> StatusRow:
    return next(r for r in statuses_of(status.programme_id) if r.status.pk == status.pk)
