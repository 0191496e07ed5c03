"""Which tools fit a need (a SWOT item or a Handlungsfeld of a commune): a pure ranking over
plain data, no database.

Score = topic match (Handlungsfelder of the need mapped to toolbox topics: 3 for the first
        shared topic, 1 for each further one)
      + words of the need found in the tool's title/keywords (3 each, at most 3 words): a
        named problem ("Ärztemangel") says more than a broad topic
      + the tool fits the commune's kind (1) and size (1)
      + communes like this one used it (the commune a practice comes from and every commune
        that adopted it): same kind +0.5, similar size (half to double) +0.5 each, at most 2.
Tools without any topic or word match are not recommended: fitting size alone is no reason.
Every point comes with a German reason, so the page can say why ("passt zum Thema
Gesundheit und Pflege · von 2 ähnlichen Kommunen genutzt").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zwk.toolbox.stemming import fold, stems

# Default Handlungsfelder (communes.models.DEFAULT_ACTION_FIELDS) → toolbox topic slugs.
ACTION_FIELD_TOPICS = {
    "wohnen & orts-/stadtentwicklung": ("wohnen",),
    "mobilitat & erreichbarkeit": ("kooperation",),
    "gesundheit, pflege & leben im alter": ("gesundheit", "wohnen"),
    "kinder, jugend & familie": ("demokratiefoerderung", "begegnung"),
    "bildung": ("arbeit", "integration"),
    "arbeit, wirtschaft & fachkrafte": ("arbeit",),
    "integration, vielfalt & teilhabe": ("integration",),
    "burgerschaftliches engagement & ehrenamt": ("engagement",),
    "beteiligung & demokratie": ("buergerbeteiligung", "demokratiefoerderung"),
    "kultur, freizeit & begegnung": ("begegnung",),
    "nahversorgung & daseinsvorsorge": ("gesundheit", "kooperation"),
    "digitalisierung": ("digitalisierung",),
    "identitat, image & offentlichkeitsarbeit": ("oeffentlichkeitsarbeit",),
    "verwaltung & kooperation": ("kooperation",),
}
STOP = {"fehl", "fehlt", "wenig", "viel", "kein", "keine", "mehr", "gibt", "nicht", "sind",
        "wird", "werd", "durch", "fur", "sehr", "hoh", "hoch", "gering", "stark", "schwach"}


def topics_for_action_fields(names) -> frozenset[str]:
    return frozenset(t for n in names for t in ACTION_FIELD_TOPICS.get(fold(n).strip(), ()))


def _words(text: str) -> set[str]:
    return {s for s in stems(text) if len(s) >= 4 and s not in STOP}


@dataclass(frozen=True)
class ToolFacts:
    id: int
    title: str
    topics: frozenset[str]
    terms: frozenset[str]                 # stems of title and keywords
    kinds: frozenset[str] = frozenset()   # empty: fits every kind
    min_population: int | None = None
    max_population: int | None = None
    # (kind, population) of the communes that used it: the origin of a practice and adopters
    adopters: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class Need:
    text: str
    topics: frozenset[str]
    kind: str
    population: int | None


@dataclass
class Ranked:
    tool_id: int
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    similar_users: int = 0    # communes like the one in need that used the tool

    @property
    def why(self) -> str:
        return " · ".join(self.reasons)


def similar_size(a: int | None, b: int | None) -> bool:
    return bool(a and b) and 0.5 <= a / b <= 2


def similarity(kind: str, population: int | None, other_kind: str,
               other_population: int | None) -> float:
    """0.5 for the same kind of commune, 0.5 for a similar size."""
    return 0.5 * (kind == other_kind) + 0.5 * similar_size(other_population, population)


def _topic_reason(slugs, names: dict[str, str]) -> str:
    labels = [names.get(s, s) for s in sorted(slugs, key=lambda s: names.get(s, s))]
    if len(labels) == 1:
        return f"passt zum Thema {labels[0]}"
    return f"passt zu den Themen {', '.join(labels[:-1])} und {labels[-1]}"


@dataclass
class ToolIndex:
    """Which tools have a topic or a term: ranking a need then only looks at the tools that
    can match it (the same result as looking at all, a fraction of the time for thousands)."""

    tools: list[ToolFacts]
    by_topic: dict[str, set[int]]
    by_term: dict[str, set[int]]


def build_index(tools: list[ToolFacts]) -> ToolIndex:
    by_topic: dict[str, set[int]] = {}
    by_term: dict[str, set[int]] = {}
    for position, tool in enumerate(tools):
        for topic in tool.topics:
            by_topic.setdefault(topic, set()).add(position)
        for term in tool.terms:
            if len(term) >= 4:
                by_term.setdefault(term, set()).add(position)
    return ToolIndex(tools, by_topic, by_term)


def _word_terms(words, vocabulary) -> dict[str, frozenset[str]]:
    """For each word of the need, the terms it matches (one inside the other)."""
    return {w: frozenset(t for t in vocabulary if len(t) >= 4 and (w in t or t in w))
            for w in words}


def _candidates(need_topics, word_terms, index: ToolIndex) -> list[ToolFacts]:
    positions: set[int] = set()
    for topic in need_topics:
        positions |= index.by_topic.get(topic, set())
    for terms in word_terms.values():
        for term in terms:
            positions |= index.by_term[term]
    return [index.tools[p] for p in sorted(positions)]


def rank(need: Need, tools: list[ToolFacts] | ToolIndex, *, limit: int = 5,
         topic_names: dict[str, str] | None = None, exclude=frozenset()) -> list[Ranked]:
    names = topic_names or {}
    words = _words(need.text)
    if isinstance(tools, ToolIndex):
        word_terms = _word_terms(words, tools.by_term)
        tools = _candidates(need.topics, word_terms, tools)
    else:
        word_terms = _word_terms(words, {t for tool in tools for t in tool.terms})
    pop = need.population
    scored = []
    for tool in tools:
        if tool.id in exclude:
            continue
        shared = need.topics & tool.topics
        matched = sorted(w for w, terms in word_terms.items()
                         if not terms.isdisjoint(tool.terms))[:3]
        if not shared and not matched:
            continue
        score = (2.0 + len(shared) if shared else 0.0) + 3.0 * len(matched)
        fits_kind = not tool.kinds or need.kind in tool.kinds
        fits_size = pop is not None and (tool.min_population is None
                                         or pop >= tool.min_population) \
            and (tool.max_population is None or pop <= tool.max_population)
        score += fits_kind + fits_size
        weights = [similarity(need.kind, pop, kind, p) for kind, p in tool.adopters]
        similar = sum(1 for w in weights if w)
        if similar:
            score += min(sum(weights), 2.0)
        scored.append((-score, tool.title, tool, shared, matched, fits_kind and fits_size,
                       similar))
    scored.sort(key=lambda row: (row[0], row[1]))
    result = []
    for minus_score, title, tool, shared, matched, fits, similar in scored[:limit]:
        # reasons only for what is shown: thousands of candidates need no sentences
        reasons = []
        if shared:
            reasons.append(_topic_reason(shared, names))
        if matched:
            reasons.append("Stichwort: " + ", ".join(matched))
        if fits and (tool.kinds or tool.min_population is not None
                     or tool.max_population is not None):
            reasons.append("passt zu Art und Größe Ihrer Kommune")
        if similar:
            reasons.append(f"von {similar} ähnlichen Kommunen genutzt" if similar > 1
                           else "von 1 ähnlichen Kommune genutzt")
        result.append(Ranked(tool.id, title, -minus_score, reasons, similar))
    return result
