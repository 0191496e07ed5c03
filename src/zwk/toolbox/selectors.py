"""Every non-trivial read of the Werkzeugkoffer: search, filters, related tools, recommendations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy

from zwk import formatting
from zwk.toolbox import ranking, search
from zwk.toolbox.models import Adoption, Tool, Topic
from zwk.toolbox.stemming import stems

EFFORT_UP_TO = {"low": ("low",), "medium": ("low", "medium"), "high": ("low", "medium", "high")}


@dataclass(frozen=True)
class ToolFilter:
    query: str = ""
    topic: str = ""
    type: str = ""
    stage: str = ""
    kind: str = ""
    population: int | None = None
    effort: str = ""  # the most effort a commune can spend


def published() -> QuerySet[Tool]:
    return Tool.objects.filter(status=Tool.Status.PUBLISHED)


def tool_search(f: ToolFilter, *, base: QuerySet[Tool] | None = None) -> QuerySet[Tool]:
    qs = published() if base is None else base
    if f.topic:
        qs = qs.filter(topics__slug=f.topic)
    if f.type:
        qs = qs.filter(type=f.type)
    if f.stage:
        qs = qs.filter(stages__contains=f",{f.stage},")
    if f.kind:
        qs = qs.filter(Q(commune_kinds="") | Q(commune_kinds__contains=f",{f.kind},"))
    if f.population is not None:
        qs = qs.filter(Q(min_population__isnull=True) | Q(min_population__lte=f.population),
                       Q(max_population__isnull=True) | Q(max_population__gte=f.population))
    if f.effort in EFFORT_UP_TO:
        qs = qs.filter(effort__in=EFFORT_UP_TO[f.effort])
    qs = qs.defer("search_vector", "search_text")  # kilobytes per row, never shown
    found = search.matching(qs, f.query)
    if found is None:
        return qs.prefetch_related("topics").order_by("title")
    # PostgreSQL: the GIN-indexed weighted vector, ranked by SearchRank; SQLite: our stems
    # by substring, titles first (zwk.toolbox.search).
    return found.prefetch_related("topics").order_by("-rank", "title")


def topics() -> QuerySet[Topic]:
    return Topic.objects.all()


def tool_for_page(*, slug: str) -> Tool | None:
    return (Tool.objects.select_related("owner_commune", "created_by")
            .prefetch_related("topics", "attachments").filter(slug=slug).first())


def related_tools(tool: Tool, *, limit: int = 5) -> list[Tool]:
    topic_ids = [t.pk for t in tool.topics.all()]
    return list(published().exclude(pk=tool.pk).filter(topics__in=topic_ids)
                .annotate(shared=Count("topics")).order_by("-shared", "title")[:limit])


def adoptions_of(tool: Tool) -> list[Adoption]:
    return list(tool.adoptions.select_related("commune").order_by("commune__name"))


def tools_for_stage(*, key: str, limit: int = 8) -> list[Tool]:
    return list(published().filter(stages__contains=f",{key},")
                .order_by(Case(When(type=Tool.Type.METHOD, then=Value(0)), default=Value(1),
                               output_field=IntegerField()), "title")[:limit])


def review_queue() -> QuerySet[Tool]:
    return Tool.objects.filter(status=Tool.Status.REVIEW).select_related("owner_commune")


def practices_of(*, commune) -> QuerySet[Tool]:
    return Tool.objects.filter(owner_commune=commune).order_by("status", "title")


USAGE_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "haeufig": ("-n_adoptions", "title"),
    "zuletzt": (F("last_adopted").desc(nulls_last=True), "title"),
    "titel": ("title",),
    "art": ("type", "title"),
}
USAGE_USED = ("", "ja", "nein")


@dataclass(frozen=True)
class UsageFilter:
    topic: str = ""
    type: str = ""
    used: str = ""          # "" all, "ja" adopted at least once, "nein" never adopted
    sort: str = "haeufig"


def usage(*, programmes, f: UsageFilter = UsageFilter()) -> QuerySet[Tool]:
    """Published and retired tools with how often, where and when communes of `programmes`
    (a queryset of Programme; None: every programme) adopted them. Three queries for any
    page: tools with counts, their topics, their adoptions with commune and measure.
    Each tool carries `n_adoptions`, `last_adopted` and `scoped_adoptions` (a list)."""
    in_scope = Q() if programmes is None else Q(adoptions__commune__programme__in=programmes)
    adoptions = Adoption.objects.select_related("commune", "measure").order_by("-adopted_at")
    if programmes is not None:
        adoptions = adoptions.filter(commune__programme__in=programmes)
    qs = (Tool.objects.filter(status__in=[Tool.Status.PUBLISHED, Tool.Status.RETIRED])
          .defer("search_vector", "search_text")
          .annotate(n_adoptions=Count("adoptions", filter=in_scope, distinct=True),
                    last_adopted=Max("adoptions__adopted_at", filter=in_scope))
          .prefetch_related("topics", Prefetch("adoptions", queryset=adoptions,
                                               to_attr="scoped_adoptions")))
    if f.topic:
        qs = qs.filter(pk__in=Tool.topics.through.objects.filter(topic__slug=f.topic)
                       .values("tool_id"))
    if f.type:
        qs = qs.filter(type=f.type)
    if f.used == "ja":
        qs = qs.filter(n_adoptions__gt=0)
    elif f.used == "nein":
        qs = qs.filter(n_adoptions=0)
    return qs.order_by(*USAGE_SORTS.get(f.sort, USAGE_SORTS["haeufig"]))


@lru_cache(maxsize=50_000)
def _terms(text: str) -> frozenset[str]:
    """Stems of a title and its keywords; the same text gives the same stems, so they are
    kept between requests (keyed by the text itself, never stale)."""
    return frozenset(stems(text))


@dataclass
class Catalogue:
    """Every published tool once, as facts for the ranking (with its index); the tool
    objects for the page are read afterwards, only for the few recommended."""

    facts: list[ranking.ToolFacts]
    index: ranking.ToolIndex
    topic_names: dict[str, str]
    owners: dict[int, int | None]          # tool id → commune it comes from

    def tools(self, ids) -> dict[int, Tool]:
        ids = set(ids)
        if not ids:
            return {}
        return {t.pk: t for t in Tool.objects.filter(pk__in=ids).only("slug", "title", "type")}


def ranking_catalogue() -> Catalogue:
    """Three queries of plain values, whatever the number of tools and adoptions."""
    topics: dict[int, set[str]] = {}
    names: dict[str, str] = {}
    for tool_id, slug, name in (Tool.topics.through.objects
                                .filter(tool__status=Tool.Status.PUBLISHED)
                                .values_list("tool_id", "topic__slug", "topic__name")):
        topics.setdefault(tool_id, set()).add(slug)
        names[slug] = name
    users: dict[int, list[tuple[str, int | None]]] = {}
    for tool_id, kind, population in (Adoption.objects
                                      .filter(tool__status=Tool.Status.PUBLISHED)
                                      .values_list("tool_id", "commune__kind",
                                                   "commune__population")):
        users.setdefault(tool_id, []).append((kind, population))
    facts: list[ranking.ToolFacts] = []
    owners: dict[int, int | None] = {}
    for (pk, title, keywords, kinds, lo, hi, owner, owner_kind,
         owner_population) in published().order_by("pk").values_list(
            "pk", "title", "keywords", "commune_kinds", "min_population", "max_population",
            "owner_commune_id", "owner_commune__kind", "owner_commune__population"):
        used = users.get(pk, [])
        if owner is not None:
            used = [*used, (owner_kind, owner_population)]
        owners[pk] = owner
        facts.append(ranking.ToolFacts(
            id=pk, title=title, topics=frozenset(topics.get(pk, ())),
            terms=_terms(f"{title} {keywords}"),
            kinds=frozenset(k for k in kinds.split(",") if k), min_population=lo,
            max_population=hi, adopters=tuple(used)))
    return Catalogue(facts, ranking.build_index(facts), names, owners)


def recommendations_for_swot(*, commune, items, limit: int = 3,
                             catalogue: Catalogue | None = None) -> list[tuple[Any, list]]:
    """Each SWOT item with its ranked tools: [(item, [(tool, Ranked), ...]), ...]. The items
    must come with their action fields prefetched; the catalogue is read once for all."""
    catalogue = catalogue or ranking_catalogue()
    ranked_items = []
    for item in items:
        need = ranking.Need(
            text=item.text,
            topics=ranking.topics_for_action_fields(a.name for a in item.action_fields.all()),
            kind=commune.kind, population=commune.population)
        ranked_items.append((item, ranking.rank(need, catalogue.index, limit=limit,
                                                topic_names=catalogue.topic_names)))
    tools = catalogue.tools(r.tool_id for _item, ranked in ranked_items for r in ranked)
    return [(item, [(tools[r.tool_id], r) for r in ranked]) for item, ranked in ranked_items]


def adopted_tool_ids(*, commune) -> frozenset[int]:
    return frozenset(Adoption.objects.filter(commune=commune).values_list("tool_id", flat=True))


def swot_recommendations(*, commune, items, limit: int = 3) -> dict[int, list]:
    """{item pk: [(tool, Ranked), ...]} for the weaknesses and threats among `items`."""
    needs = [i for i in items if i.quadrant in ("weakness", "threat")]
    return {item.pk: tools for item, tools in recommendations_for_swot(
        commune=commune, items=needs, limit=limit)}


@dataclass
class FieldRecommendations:
    action_field: object
    tools: list[tuple[Tool, ranking.Ranked]]
    adopted: list[Adoption]        # measures of this field that came from the toolbox


def recommendations_for_plan(*, commune, limit: int = 3) -> dict[int, FieldRecommendations]:
    """For every Handlungsfeld of the commune's plan: the tools that fit it (by topic, the
    words of its goals, and the communes that used them), leaving out what the commune
    already adopted or shared itself; and the measures adopted from the toolbox. Seven
    queries for the whole plan."""
    from zwk.plan.models import Goal

    catalogue = ranking_catalogue()
    fields = list(commune.action_fields.all())
    goal_titles: dict[int, list[str]] = {}
    for field_id, title in Goal.objects.filter(commune=commune).values_list("action_field_id",
                                                                             "title"):
        goal_titles.setdefault(field_id, []).append(title)
    adoptions = list(Adoption.objects.filter(commune=commune)
                     .select_related("tool", "measure__goal"))
    exclude = frozenset({a.tool_id for a in adoptions}
                        | {pk for pk, owner in catalogue.owners.items() if owner == commune.pk})
    adopted_by_field: dict[int, list[Adoption]] = {}
    for a in adoptions:
        if a.measure is not None:
            adopted_by_field.setdefault(a.measure.goal.action_field_id, []).append(a)
    ranked_fields = []
    for af in fields:
        need = ranking.Need(text=" ".join([af.name, *goal_titles.get(af.pk, [])]),
                            topics=ranking.topics_for_action_fields([af.name]),
                            kind=commune.kind, population=commune.population)
        ranked_fields.append((af, ranking.rank(need, catalogue.index, limit=limit,
                                               exclude=exclude,
                                               topic_names=catalogue.topic_names)))
    tools = catalogue.tools(r.tool_id for _af, ranked in ranked_fields for r in ranked)
    return {af.pk: FieldRecommendations(af, [(tools[r.tool_id], r) for r in ranked],
                                        adopted_by_field.get(af.pk, []))
            for af, ranked in ranked_fields}


# --- good practice from the plan, adoption into it -------------------------------------------

def practice_initial(*, measure) -> dict:
    """The practice form prefilled from a measure: what the commune did, for whom, who leads
    it (as the contact to suggest), which topics its Handlungsfeld means, where it fits."""
    commune = measure.commune
    field_name = measure.goal.action_field.name
    summary = measure.description.strip()
    if measure.target_groups.strip():
        summary = f"{summary}\n\nZielgruppen: {measure.target_groups.strip()}".strip()
    size = (", " + formatting.number(commune.population) + " Einwohner:innen"
            if commune.population else "")
    slugs = ranking.topics_for_action_fields([field_name])
    return {
        "title": measure.title,
        "summary": summary or measure.title,
        "problem": measure.goal.title,
        "topics": list(Topic.objects.filter(slug__in=slugs)),
        "commune_kinds": [commune.kind],
        "min_population": commune.population // 2 if commune.population else None,
        "max_population": commune.population * 2 if commune.population else None,
        "where_used": f"{commune.name} ({commune.get_kind_display()}{size})",
        "origin": commune.name,
        "contact": measure.lead,
        "keywords": measure.target_groups[:300],
        "effort_money": ("Budget in " + commune.name + ": "
                         + formatting.number(measure.budget, 0) + " Euro"
                         if measure.budget else ""),
    }


def practices_from_measure(*, measure) -> list[Tool]:
    return list(Tool.objects.filter(source_measure=measure).order_by("-created_at"))


def adoption_of_measure(*, measure) -> Adoption | None:
    return (Adoption.objects.filter(measure=measure).select_related("tool").first())


def adoption_goals(*, communes) -> list[tuple[str, list[tuple[int, str]]]]:
    """Goals of the communes' plans as grouped choices: "Commune – Handlungsfeld" → goals,
    sub-goals indented. One query."""
    from zwk.plan.models import Goal

    goals = list(Goal.objects.filter(commune__in=communes)
                 .select_related("commune", "action_field")
                 .order_by("commune__name", "action_field__position", "action_field__name",
                           "position", "pk"))
    children: dict[int | None, list] = {}
    for g in goals:
        children.setdefault(g.parent_id, []).append(g)
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    ids = {g.pk for g in goals}

    def walk(goal, depth: int) -> None:
        key = (goal.commune.name, goal.action_field.name)
        groups.setdefault(key, []).append((goal.pk, "– " * depth + goal.title))
        for child in children.get(goal.pk, []):
            walk(child, depth + 1)

    for g in goals:
        if g.parent_id is None or g.parent_id not in ids:
            walk(g, 0)
    multi = len({c for c, _ in groups}) > 1
    return [(f"{c} – {f}" if multi else f, choices) for (c, f), choices in groups.items()]


@dataclass
class AdoptionOverview:
    total: int
    named: list[Adoption]          # communes the person may know of: names shown
    others: int                    # communes of other programmes: only counted
    mine: list[Adoption]           # adoptions of the person's own communes (with measure link)


def adoption_overview(*, tool: Tool, user) -> AdoptionOverview:
    """Where a tool was adopted, as far as this person may see: names of communes in the
    programmes the person works in (office or member), only a count for other programmes."""
    from zwk.communes.models import Commune
    from zwk.communes.roles import roles_of

    roles = roles_of(user)
    adoptions = list(tool.adoptions.select_related("commune", "measure")
                     .order_by("commune__name"))
    if getattr(user, "is_superuser", False):
        visible = None
    else:
        visible = set(roles.office_programmes) | set(
            Commune.objects.filter(pk__in=roles.by_commune).values_list("programme_id",
                                                                        flat=True))
    named = [a for a in adoptions if visible is None or a.commune.programme_id in visible]
    mine = [a for a in adoptions if a.commune_id in roles.by_commune and a.measure is not None]
    return AdoptionOverview(len(adoptions), named, len(adoptions) - len(named), mine)


@dataclass
class ExchangeRow:
    commune: object
    fields: list[tuple[str, int]]   # Handlungsfelder of accepted SWOT points, most frequent first
    matches: list[str]              # SWOT statements matching the search
    plan_fields: list[tuple[str, int]] = field(default_factory=list)  # measures per Handlungsfeld
    plan_matches: list[str] = field(default_factory=list)  # goals and measures matching


def _count(names) -> list[tuple[str, int]]:
    """Names with how often they occur, most frequent first."""
    return sorted(Counter(names).items(), key=lambda p: (-p[1], p[0]))


def _exchange_texts(communes) -> tuple[dict[int, list], dict[int, list]]:
    """Per commune: (SWOT text, its Handlungsfelder) of accepted points, and (kind, title,
    Handlungsfeld) of its plan's goals and measures. Three queries for all communes: this reads
    across communes, which the per-commune selectors of profile and plan do not offer."""
    from zwk.plan.models import Goal, Measure
    from zwk.profile.models import SwotItem

    swot: dict[int, list] = {}
    for item in (SwotItem.objects.filter(commune__in=communes, status=SwotItem.Status.ACCEPTED)
                 .prefetch_related("action_fields")):
        swot.setdefault(item.commune_id, []).append(
            (item.text, [a.name for a in item.action_fields.all()]))
    plan: dict[int, list] = {}
    for commune_id, title, field_name in Goal.objects.filter(commune__in=communes).values_list(
            "commune_id", "title", "action_field__name"):
        plan.setdefault(commune_id, []).append(("Ziel", title, field_name))
    for commune_id, title, field_name in Measure.objects.filter(commune__in=communes).values_list(
            "commune_id", "title", "goal__action_field__name"):
        plan.setdefault(commune_id, []).append(("Maßnahme", title, field_name))
    return swot, plan


def exchange(*, programmes, query: str = "") -> list[tuple[str, str, list[ExchangeRow]]]:
    """Communes of the programmes grouped by cluster and kind, with the Handlungsfelder they work
    on: from their accepted SWOT points (the problems) and from their Werkstattplan (what they
    do about them), to find partners: "who else has a shortage of GPs?"."""
    from zwk.communes.models import Commune
    from zwk.toolbox.stemming import normalise

    communes = list(Commune.objects.filter(programme__in=programmes, is_active=True)
                    .order_by("cluster", "kind", "name"))
    swot, plan = _exchange_texts(communes)
    words = stems(query)

    def hit(*texts) -> bool:
        return bool(words) and all(w in normalise(" ".join(texts)) for w in words)

    groups: dict[tuple[str, str], list[ExchangeRow]] = {}
    for commune in communes:
        items, entries = swot.get(commune.pk, []), plan.get(commune.pk, [])
        row = ExchangeRow(
            commune, _count(n for _text, names in items for n in names),
            [text for text, names in items if hit(text, *names)],
            _count(f for kind, _title, f in entries if kind == "Maßnahme"),
            [f"{kind}: {title}" for kind, title, f in entries if hit(title, f)])
        if words and not (row.matches or row.plan_matches):
            continue
        key = (commune.get_cluster_display() or "ohne Cluster", commune.get_kind_display())
        groups.setdefault(key, []).append(row)
    return [(cluster, kind, rows) for (cluster, kind), rows in groups.items()]
