"""Every non-trivial read of the Werkzeugkoffer: search, filters, related tools, recommendations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from zwk.toolbox import ranking
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
    words = [s for s in stems(f.query) if s]
    if not words:
        return qs.prefetch_related("topics").order_by("title")
    # Our own stems match on every database (and find compounds); PostgreSQL adds its German
    # full-text search with ranking on top.
    stem_match = Q()
    for word in words:
        stem_match &= Q(search_text__contains=word)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # Built per row from the short fields only: a vector over the long texts of every
        # row made a search over 5,000 tools ~20× slower; those texts are covered by the
        # stored stems. A stored, indexed SearchVectorField is the next step if needed.
        vector = SearchVector("title", "keywords", config="german")
        query = SearchQuery(f.query, config="german", search_type="websearch")
        return (qs.annotate(document=vector, rank=SearchRank(vector, query))
                .filter(Q(document=query) | stem_match)
                .prefetch_related("topics").order_by("-rank", "title"))
    title_hit = Q()
    for word in f.query.split():
        title_hit |= Q(title__icontains=word)
    return (qs.filter(stem_match)
            .annotate(rank=Case(When(title_hit, then=Value(1)), default=Value(0),
                                output_field=IntegerField()))
            .prefetch_related("topics").order_by("-rank", "title"))


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


def usage_overview() -> QuerySet[Tool]:
    return (Tool.objects.exclude(status=Tool.Status.DRAFT)
            .annotate(adoption_count=Count("adoptions")).order_by("-adoption_count", "title"))


def facts_of_published() -> list[ranking.ToolFacts]:
    tools = published().prefetch_related("topics", "adoptions__commune")
    return [ranking.ToolFacts(
        id=t.pk, title=t.title, topics=frozenset(x.slug for x in t.topics.all()),
        terms=frozenset(stems(f"{t.title} {t.keywords}")), kinds=frozenset(t.kind_keys),
        min_population=t.min_population, max_population=t.max_population,
        adopters=tuple((a.commune.kind, a.commune.population) for a in t.adoptions.all()),
    ) for t in tools]


def recommendations_for_swot(*, commune, items, limit: int = 3) -> list[tuple[object, list]]:
    """Each SWOT item with its ranked tools: [(item, [(tool, Ranked), ...]), ...]."""
    facts = facts_of_published()
    by_id = {t.pk: t for t in published()}
    result = []
    for item in items:
        need = ranking.Need(
            text=item.text,
            topics=ranking.topics_for_action_fields(a.name for a in item.action_fields.all()),
            kind=commune.kind, population=commune.population)
        ranked = ranking.rank(need, facts, limit=limit)
        result.append((item, [(by_id[r.tool_id], r) for r in ranked]))
    return result


@dataclass
class ExchangeRow:
    commune: object
    fields: list[tuple[str, int]]   # Handlungsfelder of accepted SWOT points, most frequent first
    matches: list[str]              # SWOT statements matching the search


def exchange(*, programmes, query: str = "") -> list[tuple[str, str, list[ExchangeRow]]]:
    """Communes of the programmes grouped by cluster and kind, with the Handlungsfelder they work
    on (from their accepted SWOT points), to find partners: "who else has a shortage of GPs?".

    One query for the communes and one (with its prefetch) for all SWOT points: this reads
    across communes, which the profile app's per-commune selectors do not offer.
    """
    from zwk.communes.models import Commune
    from zwk.profile.models import SwotItem
    from zwk.toolbox.stemming import normalise

    communes = list(Commune.objects.filter(programme__in=programmes, is_active=True)
                    .order_by("cluster", "kind", "name"))
    items_by_commune: dict[int, list] = {}
    for item in (SwotItem.objects.filter(commune__in=communes, status=SwotItem.Status.ACCEPTED)
                 .prefetch_related("action_fields")):
        items_by_commune.setdefault(item.commune_id, []).append(item)
    words = stems(query)
    groups: dict[tuple[str, str], list[ExchangeRow]] = {}
    for commune in communes:
        items = items_by_commune.get(commune.pk, [])
        counts: dict[str, int] = {}
        matches = []
        for item in items:
            names = [a.name for a in item.action_fields.all()]
            for name in names:
                counts[name] = counts.get(name, 0) + 1
            text = normalise(" ".join([item.text, *names]))
            if words and all(w in text for w in words):
                matches.append(item.text)
        if words and not matches:
            continue
        row = ExchangeRow(commune, sorted(counts.items(), key=lambda p: (-p[1], p[0])), matches)
        key = (commune.get_cluster_display() or "ohne Cluster", commune.get_kind_display())
        groups.setdefault(key, []).append(row)
    return [(cluster, kind, rows) for (cluster, kind), rows in groups.items()]
