"""The stored search representation of a tool, and the query that uses it.

Every write of a tool's texts (services, admin, loader, migration 0004) calls `refresh`, which
stores two things computed from the *plain text* of the fields (rich-text markup removed):

- `Tool.search_text`: stems and folded words (stemming.normalise), matched by substring. This
  is the search on SQLite and the reference for what the PostgreSQL search finds.
- `Tool.search_vector` (PostgreSQL only, GIN-indexed): a weighted tsvector —
  A title, B keywords and topic names, C summary and problem, D steps, outcome, place, origin.
  Each weight holds the `german` full-text lexemes of the text plus, in the `simple`
  configuration, our own terms: every stem, every folded word and every tail of a stem of at
  least three letters ("burgerbeteilig" → "urgerbeteilig", …, "beteilig", …). A query stem
  is matched as a prefix (`beteilig:*`), and a prefix of a tail is a substring of the stem, so
  the index answers exactly the substring question the SQLite fallback asks: "Beteiligung"
  finds "Bürgerbeteiligung", "Wohnung" finds "Wohnraum", "Ärzte" finds "Ärztemangel".
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Value

from zwk.toolbox.richtext import plain_text
from zwk.toolbox.stemming import MIN_STEM, normalise, query_variants, stem, words

MIN_QUERY_STEM = 2  # shorter query words ("a", "z") are ignored


def parts_of(tool, topic_names: list[str]) -> dict[str, str]:
    """The plain text of a tool by weight (works with historical models: plain attributes)."""
    return {
        "A": tool.title,
        "B": " ".join([tool.keywords, *topic_names]),
        "C": " ".join([plain_text(tool.summary), plain_text(tool.problem)]),
        "D": " ".join([plain_text(tool.steps), plain_text(tool.outcome),
                       plain_text(tool.where_used), tool.origin]),
    }


def search_text_of(tool, topic_names: list[str]) -> str:
    return normalise(" ".join(p for p in parts_of(tool, topic_names).values() if p))


def terms(text: str) -> str:
    """Our own lexemes for one weight: stems, folded words and the tails of the stems."""
    found = words(text)
    out: dict[str, None] = {}
    for word in found:
        s = stem(word)
        out[s] = None
        out[word] = None
        for i in range(1, len(s) - MIN_STEM + 1):
            out[s[i:]] = None
    return " ".join(out)


def vector_of(parts: dict[str, str]) -> Any:
    """The tsvector expression for the parts (PostgreSQL)."""
    from django.contrib.postgres.search import SearchVector

    vector: Any = None  # SearchVector, then the sum of several
    for weight, text in parts.items():
        for piece in (SearchVector(Value(text), config="german", weight=weight),
                      SearchVector(Value(terms(text)), config="simple", weight=weight)):
            vector = piece if vector is None else vector + piece
    return vector


def refresh(tool, *, model=None) -> None:
    """Store search_text and (on PostgreSQL) search_vector of one saved tool from its current
    fields and topics. `model` is the (historical) Tool class; default: the tool's class."""
    model = model or type(tool)
    topic_names = [t.name for t in tool.topics.all()]
    parts = parts_of(tool, topic_names)
    tool.search_text = normalise(" ".join(p for p in parts.values() if p))
    values: dict[str, object] = {"search_text": tool.search_text}
    # migration 0002 runs this with a historical model that has no vector yet (0004 fills it)
    has_vector = any(f.name == "search_vector" for f in model._meta.concrete_fields)
    if connection.vendor == "postgresql" and has_vector:
        values["search_vector"] = vector_of(parts)
    model.objects.filter(pk=tool.pk).update(**values)


def refresh_all(queryset) -> int:
    """Refresh every tool of a queryset (migration data step, benchmark, repair)."""
    count = 0
    for tool in queryset.prefetch_related("topics").iterator(chunk_size=500):
        refresh(tool, model=queryset.model)
        count += 1
    return count


def query_stems(query: str) -> list[tuple[str, list[str]]]:
    """Each usable query word (folded) with the stems it may stand for
    (see stemming.query_variants)."""
    result = []
    for word in words(query[:200]):
        variants = [v for v in query_variants(word) if len(v) >= MIN_QUERY_STEM]
        if variants:
            result.append((word, variants))
    return result[:10]


def matching(qs: QuerySet, query: str) -> QuerySet | None:
    """Tools matching every word of the query, annotated with `rank` (higher first);
    None when the query has no usable word."""
    groups = query_stems(query)
    if not groups:
        return None
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        tsquery: Any = None  # SearchQuery, then their combination
        for word, variants in groups:
            raw = " | ".join(f"{v}:*" for v in variants)  # [a-z0-9] only: safe as raw
            one = (SearchQuery(raw, config="simple", search_type="raw")
                   | SearchQuery(word, config="german", search_type="plain"))
            tsquery = one if tsquery is None else tsquery & one
        return (qs.filter(search_vector=tsquery)
                .annotate(rank=SearchRank(F("search_vector"), tsquery)))
    from django.db.models import Case, FloatField, When

    # SQLite: every word by substring in the stems; rank by where a word occurs in the raw
    # text, in the order of the weights (title, keywords, summary/problem, anything else)
    match = Q()
    hits = {"title": Q(), "keywords": Q(), "summary": Q()}
    for word, variants in groups:
        any_variant = Q()
        for v in dict.fromkeys([word, *variants]):
            any_variant |= Q(search_text__contains=v)
            hits["title"] |= Q(title__icontains=v)
            hits["keywords"] |= Q(keywords__icontains=v)
            hits["summary"] |= Q(summary__icontains=v) | Q(problem__icontains=v)
        match &= any_variant
    return qs.filter(match).annotate(rank=Case(
        When(hits["title"], then=Value(0.8)), When(hits["keywords"], then=Value(0.4)),
        When(hits["summary"], then=Value(0.2)), default=Value(0.1), output_field=FloatField()))
