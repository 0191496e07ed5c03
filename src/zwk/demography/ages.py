"""Age classes: parsing GENESIS age codes and labels, the 17 municipal groups.

An age class is a half-open interval ``[age_from, age_to)``; the open top group has
``age_to = inf``. Totals over all ages are ``(0, inf)``.
"""

from __future__ import annotations

import math
import re

OPEN = math.inf
TOTAL = (0, OPEN)

#: The 17 age groups of table 12411-02-03-5 (Gemeinde level).
MUNICIPAL_GROUPS: tuple[tuple[int, float], ...] = (
    (0, 3), (3, 6), (6, 10), (10, 15), (15, 18), (18, 20), (20, 25), (25, 30), (30, 35),
    (35, 40), (40, 45), (45, 50), (50, 55), (55, 60), (60, 65), (65, 75), (75, OPEN),
)

_CODE_RANGE = re.compile(r"^ALT(\d{3})B(\d{2,3})$")
_CODE_UNDER = re.compile(r"^ALTVU(\d{2,3})$")
_CODE_OPEN = re.compile(r"^ALT(\d{3})UM$")
_LABEL_RANGE = re.compile(r"^(\d+)\s*bis\s*unter\s*(\d+)\s*Jahre?n?$", re.IGNORECASE)
_LABEL_UNDER = re.compile(r"^unter\s*(\d+)\s*Jahre?n?$", re.IGNORECASE)
_LABEL_OPEN = re.compile(r"^(\d+)\s*Jahre?\s*und\s*(mehr|älter)$", re.IGNORECASE)
_LABEL_SINGLE = re.compile(r"^(\d+)\s*Jahre?$", re.IGNORECASE)
_TOTAL_WORDS = {"", "insgesamt", "gesamt", "alle altersgruppen", "total"}


def age_code(age_from: int, age_to: float) -> str:
    """GENESIS code for an age class, e.g. ``(0, 3) -> ALT000B03``, ``(75, inf) -> ALT075UM``."""
    if age_to == OPEN:
        return f"ALT{age_from:03d}UM"
    if age_from == 0:
        return f"ALTVU{int(age_to):02d}" if age_to <= 1 else f"ALT000B{int(age_to):02d}"
    return f"ALT{age_from:03d}B{int(age_to):02d}"


def age_label(age_from: int, age_to: float) -> str:
    """German label as GENESIS prints it, e.g. ``3 bis unter 6 Jahre``."""
    if age_to == OPEN:
        return "Insgesamt" if age_from == 0 else f"{age_from} Jahre und mehr"
    if age_from == 0:
        return "unter 1 Jahr" if age_to == 1 else f"unter {int(age_to)} Jahre"
    return f"{age_from} bis unter {int(age_to)} Jahre"


def parse_age(text: str) -> tuple[int, float] | None:
    """Parse a GENESIS age code or label; ``None`` if the text is not an age class.

    Empty text and "Insgesamt" mean all ages and return :data:`TOTAL`.
    """
    s = text.strip()
    if s.lower() in _TOTAL_WORDS:
        return TOTAL
    for pattern, build in (
        (_CODE_RANGE, lambda m: (int(m[1]), float(int(m[2])))),
        (_CODE_UNDER, lambda m: (0, float(int(m[1])))),
        (_CODE_OPEN, lambda m: (int(m[1]), OPEN)),
        (_LABEL_RANGE, lambda m: (int(m[1]), float(int(m[2])))),
        (_LABEL_UNDER, lambda m: (0, float(int(m[1])))),
        (_LABEL_OPEN, lambda m: (int(m[1]), OPEN)),
        (_LABEL_SINGLE, lambda m: (int(m[1]), float(int(m[1]) + 1))),
    ):
        match = pattern.match(s)
        if match:
            lo, hi = build(match)
            return (lo, hi) if hi > lo else None
    return None


def is_single_years(groups: list[tuple[int, float]]) -> bool:
    """True if the classes are 0,1,2,… single years up to one open top group."""
    ordered = sorted(groups)
    for expected_from, (lo, hi) in enumerate(ordered):
        if lo != expected_from:
            return False
        last = expected_from == len(ordered) - 1
        if (hi != lo + 1) and not (last and hi == OPEN):
            return False
    return bool(ordered)


def partitions(groups: list[tuple[int, float]]) -> bool:
    """True if the classes cover 0…open without gaps or overlaps."""
    ordered = sorted(groups)
    if not ordered or ordered[0][0] != 0 or ordered[-1][1] != OPEN:
        return False
    return all(a[1] == b[0] for a, b in zip(ordered, ordered[1:], strict=False))
