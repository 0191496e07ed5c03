"""Which tools fit a need (a SWOT item of a commune): a pure ranking over plain data.

Score = topic match (Handlungsfelder of the item mapped to toolbox topics: 3 for the first
        shared topic, 1 for each further one)
      + words of the item found in the tool's title/keywords (3 each, at most 3 words): a
        named problem ("Ärztemangel") says more than a broad topic
      + the tool fits the commune's kind (1) and size (1)
      + communes like this one adopted it (same kind +0.5, similar size +0.5 each, at most 2).
Tools without any topic or word match are not recommended: fitting size alone is no reason.
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
    adopters: tuple[tuple[str, int | None], ...] = ()  # (kind, population) of adopting communes


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


def similar_size(a: int | None, b: int | None) -> bool:
    return bool(a and b) and 0.5 <= a / b <= 2


def rank(need: Need, tools: list[ToolFacts], *, limit: int = 5) -> list[Ranked]:
    words = _words(need.text)
    result = []
    for tool in tools:
        reasons = []
        shared = need.topics & tool.topics
        matched = sorted(w for w in words if any(w in t or t in w for t in tool.terms
                                                 if len(t) >= 4))[:3]
        if not shared and not matched:
            continue
        score = (2.0 + len(shared) if shared else 0.0) + 3.0 * len(matched)
        if shared:
            reasons.append("Thema passt zum Handlungsfeld")
        if matched:
            reasons.append("Stichwort: " + ", ".join(matched))
        if not tool.kinds or need.kind in tool.kinds:
            score += 1
            reasons.append("passt zur Art der Kommune")
        pop = need.population
        if pop is not None and (tool.min_population is None or pop >= tool.min_population) \
                and (tool.max_population is None or pop <= tool.max_population):
            score += 1
        similar = sum(0.5 * (kind == need.kind) + 0.5 * similar_size(p, pop)
                      for kind, p in tool.adopters)
        if similar:
            score += min(similar, 2.0)
            reasons.append("von ähnlichen Kommunen übernommen")
        result.append(Ranked(tool.id, tool.title, score, reasons))
    result.sort(key=lambda r: (-r.score, r.title))
    return result[:limit]
