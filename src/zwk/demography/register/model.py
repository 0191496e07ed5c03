"""The register in memory: typed entries per Gemeinde, Kreis and Land, lookups by key.

Built from the normalised table of :mod:`.extract` (stored as Parquet with the status date in
its metadata, see :mod:`.store`). Kreis and Land figures are sums over their municipalities;
the density of a Gemeinde is the register's own figure (inhabitants per km², rounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from ..regions import LAENDER, normalise_key
from .extract import GEMEINDE, KREIS, VERBAND, RegisterError

ATTRIBUTION_TEMPLATE = ("© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-"
                        "Informationssystem GV-ISys, Stand {date}")
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"

#: textkennzeichen → (kind, German label). Gemeinde kinds 60–67, Kreis kinds 41–45.
MUNICIPALITY_KINDS = {
    "60": ("markt", "Markt"), "61": ("kreisfreie_stadt", "Kreisfreie Stadt"),
    "62": ("stadtkreis", "Stadtkreis"), "63": ("stadt", "Stadt"),
    "64": ("gemeinde", "Gemeinde"), "65": ("gemeindefreies_gebiet", "Gemeindefreies Gebiet"),
    "66": ("gemeindefreies_gebiet_unbewohnt", "Gemeindefreies Gebiet (unbewohnt)"),
    "67": ("grosse_kreisstadt", "Große Kreisstadt"),
}
KREIS_KINDS = {
    "41": ("kreisfreie_stadt", "Kreisfreie Stadt"), "42": ("stadtkreis", "Stadtkreis"),
    "43": ("kreis", "Kreis"), "44": ("landkreis", "Landkreis"),
    "45": ("regionalverband", "Regionalverband"),
}
#: Kreis kinds that are one city (the Kreis and its single Gemeinde are the same place).
CITY_KREIS_CODES = ("41", "42")
DEGURBA_LABELS = {1: "dicht besiedelt", 2: "mittlere Besiedlungsdichte", 3: "gering besiedelt"}


def short_name(name: str) -> str:
    """The name without its official suffix: "Meschede, Kreis- und Hochschulstadt" → "Meschede"."""
    return name.split(",", 1)[0].strip()


@dataclass(frozen=True, slots=True)
class Municipality:
    """One Gemeinde (or gemeindefreies Gebiet) of the register."""

    ags: str
    ars: str
    name: str
    kind_code: str
    population: int
    male: int | None
    female: int | None
    area_km2: float | None
    density: int | None
    degurba: int | None
    lat: float | None
    lon: float | None
    postcode: str | None

    level = "gemeinde"

    @property
    def kind(self) -> str:
        return MUNICIPALITY_KINDS.get(self.kind_code, ("gemeinde", ""))[0]

    @property
    def kind_label(self) -> str:
        return MUNICIPALITY_KINDS.get(self.kind_code, ("", "Gemeinde"))[1]

    @property
    def short_name(self) -> str:
        return short_name(self.name)

    @property
    def land(self) -> str:
        return self.ags[:2]

    @property
    def kreis_ags(self) -> str:
        return self.ags[:5]

    @property
    def verband_ars(self) -> str:
        return self.ars[:9]

    @property
    def inhabited(self) -> bool:
        return self.population > 0

    @property
    def degurba_label(self) -> str | None:
        return DEGURBA_LABELS.get(self.degurba) if self.degurba else None


@dataclass(frozen=True, slots=True)
class Kreis:
    """A Kreis or kreisfreie Stadt; figures are sums over its municipalities."""

    ags: str
    name: str
    kind_code: str
    population: int
    male: int
    female: int
    area_km2: float
    municipality_count: int
    #: population-weighted centre of its municipalities (None if none is inhabited)
    lat: float | None
    lon: float | None

    level = "kreis"

    @property
    def ars(self) -> str:
        return self.ags

    @property
    def kind(self) -> str:
        return KREIS_KINDS.get(self.kind_code, ("kreis", ""))[0]

    @property
    def kind_label(self) -> str:
        return KREIS_KINDS.get(self.kind_code, ("", "Kreis"))[1]

    @property
    def short_name(self) -> str:
        return short_name(self.name)

    @property
    def land(self) -> str:
        return self.ags[:2]

    @property
    def kreis_ags(self) -> str:
        return self.ags

    @property
    def is_city(self) -> bool:
        """A kreisfreie Stadt or Stadtkreis: one Gemeinde that is the Kreis itself."""
        return self.kind_code in CITY_KREIS_CODES

    @property
    def density(self) -> int | None:
        return round(self.population / self.area_km2) if self.area_km2 else None


@dataclass(frozen=True, slots=True)
class Land:
    """One of the 16 Länder; figures are sums over its municipalities."""

    code: str
    name: str
    population: int
    area_km2: float

    level = "land"

    @property
    def ags(self) -> str:
        return self.code


@dataclass
class Register:
    """All entries of one Gemeindeverzeichnis extract with its status date."""

    status_date: date
    municipalities: dict[str, Municipality]
    kreise: dict[str, Kreis]
    laender: dict[str, Land]
    verbaende: dict[str, str] = field(default_factory=dict)   # 9-digit ARS → name
    source: str = "shipped"                                   # "shipped" or the data file

    @property
    def attribution(self) -> str:
        """The attribution line the licence asks for, with this extract's status date."""
        return ATTRIBUTION_TEMPLATE.format(date=self.status_date.strftime("%d.%m.%Y"))

    @property
    def status_label(self) -> str:
        return f"Stand {self.status_date.strftime('%d.%m.%Y')}"

    @cached_property
    def _by_ars(self) -> dict[str, Municipality]:
        return {m.ars: m for m in self.municipalities.values()}

    @cached_property
    def _towns(self) -> dict[str, list[Municipality]]:
        towns: dict[str, list[Municipality]] = {}
        for m in self.municipalities.values():
            towns.setdefault(m.kreis_ags, []).append(m)
        return towns

    def municipality(self, key: str) -> Municipality | None:
        """The Gemeinde with this AGS (8 digits) or ARS (12 digits)."""
        k = key.strip()
        return self._by_ars.get(k) if len(k) == 12 else self.municipalities.get(k)

    def kreis(self, key: str) -> Kreis | None:
        return self.kreise.get(key.strip()[:5]) if len(key.strip()) in (5, 8, 12) else None

    def kreis_name(self, key: str) -> str | None:
        """The name of the Kreis a key (Kreis, AGS or ARS) belongs to."""
        kreis = self.kreis(normalise_key(key))
        return kreis.name if kreis else None

    def land_name(self, key: str) -> str | None:
        return LAENDER.get(key.strip()[:2])

    def entry(self, key: str) -> Municipality | Kreis | Land | None:
        """Any entry by its key: 2 digits Land, 5 Kreis, 8 AGS, 12 ARS."""
        k = key.strip()
        if len(k) == 2:
            return self.laender.get(k)
        if len(k) == 5:
            return self.kreise.get(k)
        return self.municipality(k) if len(k) in (8, 12) else None

    def towns_of(self, kreis_ags: str) -> list[Municipality]:
        """The municipalities of a Kreis in key order (uninhabited areas included)."""
        return sorted(self._towns.get(kreis_ags, []), key=lambda m: m.ags)

    def inhabited(self) -> list[Municipality]:
        return [m for m in self.municipalities.values() if m.inhabited]

    def verband_name(self, ars: str) -> str | None:
        return self.verbaende.get(ars[:9])

    @property
    def population(self) -> int:
        return sum(m.population for m in self.municipalities.values())

    def record(self, entry: Municipality | Kreis) -> dict:
        """The public record of a Gemeinde or Kreis (the JSON of ``zwk register show``)."""
        kreis = self.kreise.get(entry.kreis_ags)
        return {
            "ags": entry.ags, "ars": entry.ars, "name": entry.name, "kind": entry.kind,
            "land": LAENDER.get(entry.land), "kreis_ags": entry.kreis_ags,
            "kreis_name": kreis.name if kreis else None, "population": entry.population,
            "male": entry.male, "female": entry.female,
            "area_km2": None if entry.area_km2 is None else round(entry.area_km2, 2),
            "density": entry.density, "degurba": getattr(entry, "degurba", None),
            "lat": entry.lat, "lon": entry.lon, "postcode": getattr(entry, "postcode", None),
        }

    def search(self, text: str, *, limit: int = 10) -> list:
        """Entries matching a name, postcode or key, best first (see :mod:`.search`)."""
        from .search import search

        return search(self, text, limit=limit)

    @cached_property
    def search_index(self):
        from .search import SearchIndex

        return SearchIndex.build(self)


# ------------------------------------------------------------------------ building

def _plain(frame: pd.DataFrame, column: str, kind: type) -> list:
    """A column as Python values, missing ones as None (one pass, not per cell)."""
    values = frame[column]
    mask = values.isna().tolist()
    return [None if missing else kind(v) for v, missing in zip(values.tolist(), mask,
                                                               strict=True)]


def _municipalities(frame: pd.DataFrame) -> dict[str, Municipality]:
    columns = {
        "ags": _plain(frame, "ags", str), "ars": _plain(frame, "ars", str),
        "name": _plain(frame, "name", str), "kind_code": _plain(frame, "kind_code", str),
        "population": _plain(frame, "population", int), "male": _plain(frame, "male", int),
        "female": _plain(frame, "female", int), "area_km2": _plain(frame, "area_km2", float),
        "density": _plain(frame, "density", int), "degurba": _plain(frame, "degurba", int),
        "lat": _plain(frame, "lat", float), "lon": _plain(frame, "lon", float),
        "postcode": _plain(frame, "postcode", str),
    }
    rows = (dict(zip(columns, values, strict=True)) for values in zip(*columns.values(),
                                                                        strict=True))
    return {row["ags"]: Municipality(**row) for row in rows}


def _centre(towns: list[Municipality]) -> tuple[float | None, float | None]:
    weighted = [(m.population, m.lat, m.lon) for m in towns
                if m.population and m.lat is not None and m.lon is not None]
    total = sum(w for w, _, _ in weighted)
    if not total:
        return None, None
    return (round(sum(w * lat for w, lat, _ in weighted) / total, 6),
            round(sum(w * lon for w, _, lon in weighted) / total, 6))


def _kreis(row, towns: list[Municipality]) -> Kreis:
    lat, lon = _centre(towns)
    return Kreis(
        ags=row.ags, name=row.name, kind_code=row.kind_code,
        population=sum(m.population for m in towns), male=sum(m.male or 0 for m in towns),
        female=sum(m.female or 0 for m in towns),
        area_km2=round(sum(m.area_km2 or 0.0 for m in towns), 2),
        municipality_count=len(towns), lat=lat, lon=lon)


def build_register(table: pd.DataFrame, *, status_date: date, source: str) -> Register:
    """The register from the normalised table of :func:`.extract.read_extract`."""
    municipalities = _municipalities(table[table["level"] == GEMEINDE])
    by_level: dict[int, list] = {}
    for row in table[table["level"] != GEMEINDE].itertuples(index=False):
        by_level.setdefault(int(row.level), []).append(row)
    towns: dict[str, list[Municipality]] = {}
    for m in municipalities.values():
        towns.setdefault(m.kreis_ags, []).append(m)
    kreise = {r.ags: _kreis(r, towns.get(r.ags, [])) for r in by_level.get(KREIS, [])}
    laender = {}
    for code, name in LAENDER.items():
        members = [k for k in kreise.values() if k.land == code]
        laender[code] = Land(code=code, name=name, population=sum(k.population for k in members),
                             area_km2=round(sum(k.area_km2 for k in members), 2))
    verbaende = {r.ars: r.name for r in by_level.get(VERBAND, [])}
    if not municipalities:
        raise RegisterError("Das Gemeindeverzeichnis enthält keine Gemeinden.")
    return Register(status_date=status_date, municipalities=municipalities, kreise=kreise,
                    laender=laender, verbaende=verbaende, source=source)
