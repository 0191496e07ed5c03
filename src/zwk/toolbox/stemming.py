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


def normalise(text: str) -> str:
    """What is stored in Tool.search_text: the stems, space-separated, each once."""
    return " ".join(dict.fromkeys(stems(text)))
