"""Finding register entries by name, postcode or key, best match first.

Names are compared in a folded form: lower case, umlauts as ae/oe/ue, ß as ss, other accents
dropped, punctuation as spaces, and without the official suffix after the first comma
("Arnsberg, Stadt" → "arnsberg"). Words such as "Stadt" or "Landkreis" in the query are
dropped (and hint at the kind wanted). Scores (0–100):

- 100 the folded name equals the query, also without its qualifier ("Halle" finds
  "Halle (Saale)", "Frankfurt" finds "Frankfurt am Main"); 98 the same with umlauts typed
  as plain vowels ("Munchen"); 95 the name starts with the query; 90 a later word does;
- below that, typos: RapidFuzz's normalised Indel similarity (an edit distance counting
  insertions and deletions), scaled to at most 88, from 4 characters of query on;
- digits: 100 an exact key (AGS, ARS, Kreis), 96 the postcode of the administrative seat,
  80 a key prefix, 75 a postcode prefix; a postcode that is no seat's postcode falls back to
  the seats sharing its first four (70) or three (65) digits.

Ties go to the kind the query names ("Landkreis München" → the Kreis; without such a word
the Gemeinde before the Kreis of the same name), then to inhabited places, then to the larger
population. See docs/decisions/0111.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from .model import Kreis, Municipality, Register

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
#: A qualifier after the place name: "(Saale)", "am Main", "an der Ruhr", "i.Bay." …
_QUALIFIER = re.compile(r"\(.*?\)|\s(am|an der|an den|in|im|bei|b|i|ob der|vor der|a d)\s.*$")
#: Words naming a kind rather than a place; dropped from queries (when something remains).
CITY_WORDS = frozenset({"stadt", "st", "hansestadt", "kreisstadt", "gkst", "grosse"})
KREIS_WORDS = frozenset({"landkreis", "kreis", "lk", "lkr", "lkrs"})
OTHER_WORDS = frozenset({"gemeinde", "markt", "m", "flecken", "samtgemeinde"})
FUZZY_FROM = 4          # characters of query before typos are tolerated
FUZZY_CUTOFF = 75       # Indel similarity (0–100) below this is no match
FUZZY_MAX = 88          # a fuzzy match never outranks a name match
FUZZY_CANDIDATES = 50


def fold(text: str) -> str:
    """Lower case, umlauts spelled out, accents and punctuation removed, single spaces."""
    text = text.casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def loose(folded: str) -> str:
    """A folded name with ae/oe/ue as plain vowels: what people type without umlauts."""
    return folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def bare_name(name: str) -> str:
    """The folded place name without a qualifier: "Frankfurt am Main" → "frankfurt"."""
    return fold(_QUALIFIER.sub(" ", name.split(",", 1)[0])) or fold(name)


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Municipality | Kreis
    score: float
    match: str           # "name", "fuzzy", "key", "postcode", "postcode_area"


def _group(values) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for i, value in enumerate(values):
        grouped.setdefault(value, []).append(i)
    return grouped


@dataclass
class SearchIndex:
    """Folded names, words, postcodes and keys of every Gemeinde and Kreis (cities once)."""

    entries: list
    names: list[str]
    exact: dict[str, list[int]]          # folded name and bare name → entries
    exact_loose: dict[str, list[int]]    # the same without umlaut spelling
    sorted_names: list[tuple[str, int]]  # for prefix look-ups by bisection
    sorted_words: list[tuple[str, int]]  # later words of each name
    sorted_keys: list[tuple[str, int]]       # AGS and ARS of every entry
    sorted_postcodes: list[tuple[str, int]]
    by_postcode: dict[str, list[int]]

    @classmethod
    def build(cls, register: Register) -> SearchIndex:
        entries: list = list(register.municipalities.values())
        # A kreisfreie Stadt is its own Kreis: list the Gemeinde only.
        entries += [k for k in register.kreise.values() if not k.is_city]
        names = [fold(e.short_name) for e in entries]
        bare = [bare_name(e.name) for e in entries]
        exact = _group(names)
        exact_loose = _group(loose(n) for n in names)
        for i, b in enumerate(bare):
            if b != names[i]:
                exact.setdefault(b, []).append(i)
                exact_loose.setdefault(loose(b), []).append(i)
        words = sorted((w, i) for i, n in enumerate(names) for w in n.split()[1:])
        postcodes = [getattr(e, "postcode", None) for e in entries]
        by_postcode = {p: members for p, members in _group(postcodes).items() if p}
        return cls(entries=entries, names=names, exact=exact, exact_loose=exact_loose,
                   sorted_names=sorted((n, i) for i, n in enumerate(names)),
                   sorted_words=words,
                   sorted_keys=sorted({(k, i) for i, e in enumerate(entries)
                                       for k in (e.ags, e.ars)}),
                   sorted_postcodes=sorted((p, i) for i, p in enumerate(postcodes) if p),
                   by_postcode=by_postcode)


def search(register: Register, text: str, *, limit: int = 10) -> list[Hit]:
    """The best `limit` entries for a name, postcode or key."""
    index = register.search_index
    compact = re.sub(r"\s+", "", text)
    hint = ""
    if compact.isdigit():
        scored = _by_digits(index, compact)
    else:
        query, hint = _query_words(text)
        scored = _by_name(index, query)
    hits = [Hit(index.entries[i], score, match) for i, (score, match) in scored.items()]
    hits.sort(key=lambda h: (-h.score, not _fits(h.entry, hint), not h.entry.population > 0,
                             -h.entry.population, h.entry.ags))
    return hits[:limit]


def _fits(entry, hint: str) -> bool:
    """Whether an entry is of the kind the query names (a place, not a Kreis, by default)."""
    if hint == "kreis":
        return entry.level == "kreis"
    if hint == "stadt":
        return "stadt" in entry.kind
    return entry.level == "gemeinde"


def _keep_best(scored: dict[int, tuple[float, str]], i: int, score: float, match: str) -> None:
    if i not in scored or scored[i][0] < score:
        scored[i] = (score, match)


def _by_digits(index: SearchIndex, digits: str) -> dict[int, tuple[float, str]]:
    scored: dict[int, tuple[float, str]] = {}
    for i in _prefixed(index.sorted_keys, digits):
        exact = digits in (index.entries[i].ags, index.entries[i].ars)
        _keep_best(scored, i, 100 if exact else 80, "key")
    if len(digits) == 5:
        for i in index.by_postcode.get(digits, []):
            _keep_best(scored, i, 96, "postcode")
        for width, score in ((4, 70), (3, 65)):
            if scored:
                break
            for i in _prefixed(index.sorted_postcodes, digits[:width]):
                _keep_best(scored, i, score, "postcode_area")
    elif len(digits) < 5:
        for i in _prefixed(index.sorted_postcodes, digits):
            _keep_best(scored, i, 75, "postcode")
    return scored


def _query_words(text: str) -> tuple[str, str]:
    """(folded query without kind words, the kind hinted at: "kreis", "stadt" or "")."""
    words = fold(text.split(",", 1)[0]).split()
    hint = ("kreis" if KREIS_WORDS & set(words) else
            "stadt" if CITY_WORDS & set(words) else "")
    kept = [w for w in words if w not in CITY_WORDS | KREIS_WORDS | OTHER_WORDS]
    return " ".join(kept or words), hint


def _prefixed(pairs: list[tuple[str, int]], prefix: str) -> list[int]:
    start = bisect.bisect_left(pairs, (prefix, -1))
    found = []
    for value, i in pairs[start:]:
        if not value.startswith(prefix):
            break
        found.append(i)
    return found


def _by_name(index: SearchIndex, query: str) -> dict[int, tuple[float, str]]:
    scored: dict[int, tuple[float, str]] = {}
    if not query:
        return scored
    for i in index.exact.get(query, []):
        _keep_best(scored, i, 100, "name")
    for i in index.exact_loose.get(loose(query), []):
        _keep_best(scored, i, 98, "name")
    for i in _prefixed(index.sorted_names, query):
        _keep_best(scored, i, 95, "name")
    for i in _prefixed(index.sorted_words, query):
        _keep_best(scored, i, 90, "name")
    if len(query) >= FUZZY_FROM:
        for _, ratio, i in process.extract(query, index.names, scorer=fuzz.ratio,
                                           limit=FUZZY_CANDIDATES, score_cutoff=FUZZY_CUTOFF):
            _keep_best(scored, i, round(ratio * FUZZY_MAX / 100, 1), "fuzzy")
    return scored
