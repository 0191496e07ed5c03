"""A small German stemmer for search without PostgreSQL: umlaut folding plus suffix stripping.

Lighter than Snowball on purpose: it strips a few derivational endings ("-ung", "-heit",
"-keit", "-schaft", "-lich", "-isch") and then the inflectional ones, so "Wohnung", "Wohnungen"
and "Wohnen" all become "wohn". Stored text and query go through the same function, and the
query matches by substring, so a stem also finds compounds ("wohn" in "wohnraum").
"""

from __future__ import annotations

import re

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e"})
_WORD = re.compile(r"[a-z0-9]+")
_DERIVATIONAL = ("ungen", "heiten", "keiten", "schaften", "lichen", "ischen", "ung", "heit",
                 "keit", "schaft", "lich", "isch")
_INFLECTIONAL = ("ern", "em", "en", "er", "es", "e", "s", "n")
MIN_STEM = 3


def fold(text: str) -> str:
    return text.lower().translate(_FOLD)


def stem(word: str) -> str:
    word = fold(word)
    for suffix in _DERIVATIONAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    for suffix in _INFLECTIONAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(fold(text))]


def words(text: str) -> list[str]:
    """The folded words of a text, unstemmed."""
    return _WORD.findall(fold(text))


_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def query_variants(word: str) -> list[str]:
    """The stems one query word may stand for: its own stem and, when it spells an umlaut
    with two letters ("Buergerbeteiligung", "Aerzte"), the stem of the umlaut form, which
    folds to the same letters as the stored text ("burgerbeteilig", "arzt")."""
    variants = [stem(word)]
    spelled = fold(word)
    for pair, single in _DIGRAPHS:
        spelled = spelled.replace(pair, single)
    if spelled != fold(word):
        variants.append(stem(spelled))
    return list(dict.fromkeys(v for v in variants if v))


def normalise(text: str) -> str:
    """What is stored in Tool.search_text: the stems and the folded words (for prefixes
    while typing: "wohnu" finds "wohnung"), space-separated, each once."""
    found = words(text)
    return " ".join(dict.fromkeys([*(stem(w) for w in found), *found]))
