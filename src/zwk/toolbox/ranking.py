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

import heapq
import re
from dataclasses import dataclass, field

from zwk.toolbox.stemming import fold, stem, stems

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


def _as_written(text: str) -> dict[str, str]:
    """Each stem of the text with the word it came from, as the user wrote it: a reason
    names "Ärztemangel", never the internal stem "arztemangel"."""
    found: dict[str, str] = {}
    for word in re.findall(r"\w+", text):
        found.setdefault(stem(word), word)
    return found


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
    if not a or not b:
        return False
    return 0.5 <= a / b <= 2


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
    by_word: dict[str, set[int]] = field(default_factory=dict)  # filled as needs come


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


def _word_positions(words, index: ToolIndex) -> dict[str, set[int]]:
    """For each word of the need, the tools with a term it matches (one inside the other)."""
    result: dict[str, set[int]] = {}
    for w in words:
        if w not in index.by_word:
            where: set[int] = set()
            for term, positions in index.by_term.items():
                if w in term or term in w:
                    where |= positions
            index.by_word[w] = where
        result[w] = index.by_word[w]
    return result


def rank(need: Need, tools: list[ToolFacts] | ToolIndex, *, limit: int = 5,
         topic_names: dict[str, str] | None = None, exclude=frozenset()) -> list[Ranked]:
    names = topic_names or {}
    index = tools if isinstance(tools, ToolIndex) else build_index(tools)
    word_positions = _word_positions(sorted(_words(need.text)), index)
    # only tools that share a topic or a word can score: the rest is never looked at
    candidates: set[int] = set()
    for topic in need.topics:
        candidates |= index.by_topic.get(topic, set())
    for positions in word_positions.values():
        candidates |= positions
    pop = need.population
    scored = []
    for position in candidates:
        tool = index.tools[position]
        if tool.id in exclude:
            continue
        shared = need.topics & tool.topics
        matched = [w for w, where in word_positions.items() if position in where][:3]
        score = (2.0 + len(shared) if shared else 0.0) + 3.0 * len(matched)
        fits_kind = not tool.kinds or need.kind in tool.kinds
        fits_size = pop is not None and (tool.min_population is None
                                         or pop >= tool.min_population) \
            and (tool.max_population is None or pop <= tool.max_population)
        score += fits_kind + fits_size
        similar = 0
        if tool.adopters:
            weights = [similarity(need.kind, pop, kind, p) for kind, p in tool.adopters]
            similar = sum(1 for w in weights if w)
            score += min(sum(weights), 2.0)
        scored.append((-score, tool.title, position, shared, matched,
                       fits_kind and fits_size, similar))
    top = heapq.nsmallest(limit, scored, key=lambda row: (row[0], row[1], row[2]))
    result = []
    for minus_score, title, position, shared, matched, fits, similar in top:
        tool = index.tools[position]
        # reasons only for what is shown: thousands of candidates need no sentences
        reasons = []
        if shared:
            reasons.append(_topic_reason(shared, names))
        if matched:
            written = _as_written(need.text)
            terms = ", ".join(f"„{written.get(w, w)}“" for w in matched)
            reasons.append(("passt zum Begriff " if len(matched) == 1
                            else "passt zu den Begriffen ") + terms)
        if fits and (tool.kinds or tool.min_population is not None
                     or tool.max_population is not None):
            reasons.append("passt zu Art und Größe Ihrer Kommune")
        if similar:
            reasons.append(f"von {similar} ähnlichen Kommunen genutzt" if similar > 1
                           else "von 1 ähnlichen Kommune genutzt")
        result.append(Ranked(tool.id, title, -minus_score, reasons, similar))
    return result
