"""Does a short text look like a person's name? For the interview form's role field, which
must hold a role or institution only (data minimisation, docs/security.md).

A heuristic, deliberately simple and explainable: a salutation or title before a capitalised
word ("Frau Müller", "Dr. Schmidt"), or a common German first name followed by a capitalised
word ("Anna Schmidt"). Roles such as "Leitung Kita" or "Vorstand Sportverein" pass. It only
warns; the person can confirm that the text is no name.
"""

from __future__ import annotations

import re

SALUTATION = r"(?:Herr|Frau|Hr\.|Fr\.|Dr\.|Prof\.)\s+[A-ZÄÖÜ]"
# Frequent first names in Germany (births 1950–2010, GfdS lists); lower case
_FIRST_NAMES_TEXT = (
    "alexander andrea andreas angelika anja anna anne annette antje barbara bernd birgit brigitte "
    "carsten christa christian christiane christina christine claudia daniel daniela dennis dieter "
    "dirk doris elke elisabeth emma erika florian frank gabriele gerhard gisela günter hans "
    "heike heinz helga helmut ilse ingrid jan jana jens jörg julia juliane jürgen karin katharina "
    "kathrin katrin kerstin klaus laura lena leon lukas manfred manuela marco maria marie marina "
    "mario markus martin martina matthias max melanie michael michaela monika nadine nicole "
    "niklas nina olaf oliver paul peter petra philipp ralf renate rolf sabine sandra sara sarah "
    "sebastian silke simone sophie stefan stefanie steffen susanne sven swen thomas tim tobias "
    "torsten ulrich ursula ute uwe werner wolfgang yvonne"
)
FIRST_NAMES = tuple(_FIRST_NAMES_TEXT.split())
_NAME_PATTERN = re.compile(
    rf"{SALUTATION}|\b(?:{'|'.join(FIRST_NAMES)})\s+[A-ZÄÖÜ][a-zäöüß]+", re.IGNORECASE)
_CAPITAL = re.compile(r"[A-ZÄÖÜ]")


def looks_like_name(text: str) -> bool:
    for match in _NAME_PATTERN.finditer(text or ""):
        words = match.group(0).split()
        # the word after the first name or salutation must really start with a capital
        if _CAPITAL.match(words[-1]):
            return True
    return False


def browser_pattern() -> str:
    """The same rule for the live hint in the browser (zwk.js, data-name-pattern)."""
    return _NAME_PATTERN.pattern
