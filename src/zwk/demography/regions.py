"""Regional keys (AGS/ARS) and their hierarchy Land ⊃ Kreis ⊃ Gemeinde.

Keys stay strings: leading zeros carry meaning ("05958" is not 5958).
"""

from __future__ import annotations

LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}
GERMANY = "DG"


def normalise_key(key: str) -> str:
    """Turn an ARS (12 digits) into the AGS (8 digits); keep every other key as given.

    The ARS inserts a 4-digit Gemeindeverband after the Kreis: LL R KK VVVV GGG.
    """
    k = key.strip()
    if len(k) == 12 and k.isdigit():
        return k[:5] + k[9:]
    return k


def level(key: str) -> str:
    """'bund', 'land', 'regbez', 'kreis', 'gemeinde' or 'other' from the key length."""
    k = normalise_key(key)
    if k == GERMANY:
        return "bund"
    if not k.isdigit():
        return "other"
    return {2: "land", 3: "regbez", 5: "kreis", 8: "gemeinde"}.get(len(k), "other")


def parent(key: str) -> str | None:
    """The next higher key: Gemeinde → Kreis, Kreis → Land, Land → Germany."""
    k = normalise_key(key)
    lv = level(k)
    if lv == "gemeinde":
        return k[:5]
    if lv in ("kreis", "regbez"):
        return k[:2]
    if lv == "land":
        return GERMANY
    return None


def kreis_of(key: str) -> str | None:
    """The Kreis key of a Gemeinde or Kreis, else None."""
    k = normalise_key(key)
    return k[:5] if level(k) in ("gemeinde", "kreis") else None
