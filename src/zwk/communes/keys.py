"""Official municipal keys (AGS, ARS): validation with German messages.

AGS: Land (2) · Regierungsbezirk (1) · Kreis (2) · Gemeinde (3). Its first five digits are the
Kreis. ARS: the same, with a four-digit Gemeindeverband inserted before the Gemeinde (12 digits).
Keys are always strings: leading zeros matter.
"""

from __future__ import annotations

from zwk.demography.regions import LAENDER  # the one table of the Länder (codes → names)

KREIS_LENGTH, GEMEINDE_LENGTH, VERBAND_LENGTH, ARS_LENGTH = 5, 8, 9, 12


class KeyError_(ValueError):
    """A key that is not a valid AGS/ARS; str() is a German message for the user."""


def ags_problem(ags: str) -> str | None:
    """None if `ags` is a valid Kreis (5) or Gemeinde (8) key, else a German message."""
    if not ags.isdigit():
        return f"Der Gemeindeschlüssel „{ags}“ darf nur Ziffern enthalten."
    if len(ags) not in (KREIS_LENGTH, GEMEINDE_LENGTH):
        return (
            f"Der Gemeindeschlüssel „{ags}“ hat {len(ags)} Stellen; erwartet werden "
            "5 (Kreis) oder 8 (Gemeinde)."
        )
    if ags[:2] not in LAENDER:
        return f"Der Gemeindeschlüssel „{ags}“ beginnt nicht mit einer Länderkennung (01–16)."
    return None


def ars_problem(ars: str) -> str | None:
    """None if `ars` is a valid 12-digit Regionalschlüssel (or a 9-digit Verband key)."""
    if not ars.isdigit():
        return f"Der Regionalschlüssel „{ars}“ darf nur Ziffern enthalten."
    if len(ars) not in (VERBAND_LENGTH, ARS_LENGTH):
        return (
            f"Der Regionalschlüssel „{ars}“ hat {len(ars)} Stellen; erwartet werden 12 "
            "(oder 9 für einen Gemeindeverband)."
        )
    if ars[:2] not in LAENDER:
        return f"Der Regionalschlüssel „{ars}“ beginnt nicht mit einer Länderkennung (01–16)."
    return None


def ags_from_ars(ars: str) -> str:
    """The AGS contained in a 12-digit ARS: Kreis part plus the Gemeinde part."""
    return ars[:5] + ars[9:]


def land_of(key: str) -> str:
    return key[:2]
