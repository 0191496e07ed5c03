"""What a data file would load, told before anything is stored ("Nur prüfen").

`data.data_source_check` reads and checks a file exactly as an upload does; this module turns
the parsed dataset into the summary the page shows: regions, years, variables with row counts,
how the source will be labelled, and warnings. Nothing here writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from zwk.demography.dataset import Dataset

#: Official tables per purpose (DOMAIN.md §5; suffix -5 Gemeinde, -4 Kreis).
OFFICIAL_TABLES = (
    ("12411-02-03-5", "Bevölkerung nach Geschlecht und 17 Altersgruppen, Stichtag 31.12.",
     "Gemeinde", "Bevölkerung, Altersaufbau, Kennzahlen, Ausgangsbevölkerung der Prognose"),
    ("12411-04-02-4", "Bevölkerung nach Geschlecht und Altersjahren", "Kreis",
     "feinere Altersgliederung für Kreis und Prognose"),
    ("12612-91-01-5", "Lebendgeborene insgesamt", "Gemeinde", "Geburten, natürlicher Saldo"),
    ("12612-93-01-4", "Lebendgeborene nach Alter der Mutter", "Kreis",
     "Geburtenziffern der Prognose"),
    ("12613-91-01-5", "Gestorbene insgesamt", "Gemeinde", "Sterbefälle, natürlicher Saldo"),
    ("12613-93-01-4", "Gestorbene nach Altersgruppen", "Kreis", "Sterbetafel der Prognose"),
    ("12711-91-01-5", "Zu- und Fortzüge über die Gemeindegrenze", "Gemeinde",
     "Wanderungssaldo"),
    ("12711-01-03-4", "Zu- und Fortzüge nach Geschlecht und Alter", "Kreis",
     "Wanderung nach Alter, Prognose"),
)
#: The columns of the register extract template, with what each holds (the importer also
#: accepts the English names ags/year/sex/age/count).
REGISTER_COLUMNS = (
    ("ags", "Amtlicher Gemeindeschlüssel (8 Stellen) oder Nummer des Ortsteils/Bezirks"),
    ("name", "Name der Gemeinde oder des Ortsteils (freiwillig)"),
    ("jahr", "Jahr des Stichtags (31.12.), z. B. 2023"),
    ("geschlecht", "m (männlich), w (weiblich)"),
    ("alter", "Alter in vollendeten Jahren, 0 bis 99, das letzte Jahr als „100+“"),
    ("anzahl", "Zahl der Einwohner:innen (ganze Zahl)"),
)
VARIABLES = {"population": "Bevölkerung nach Geschlecht und Alter", "births": "Lebendgeborene",
             "deaths": "Gestorbene", "moves_in": "Zuzüge", "moves_out": "Fortzüge"}


@dataclass
class UploadCheck:
    """The answer of "Nur prüfen": what the file holds and how it would be labelled."""

    name: str
    layout: str                       # "amtlich", "eigene Daten" or "synthetisch"
    source_line: str
    regions: list[dict] = field(default_factory=list)    # ags, name, own (belongs to commune)
    years: list[int] = field(default_factory=list)
    variables: list[dict] = field(default_factory=list)  # label, rows, years
    row_count: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def official(self) -> bool:
        return self.layout == "amtlich"


def _variables(dataset: Dataset) -> list[dict]:
    found = []
    frames = [("population", dataset.population)] + [
        (event, dataset.events[dataset.events["event"] == event]) for event in VARIABLES
        if event != "population"]
    for key, frame in frames:
        if len(frame):
            years = sorted(int(y) for y in set(frame["year"]))
            found.append({"label": _(VARIABLES[key]), "rows": len(frame),
                          "years": f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])})
    return found


def _missing_values(dataset: Dataset) -> int:
    return int(sum(pd.isna(f["count"]).sum() for f in (dataset.population, dataset.events)))


def _warnings(commune, dataset: Dataset, related: set[str], layout: str) -> list[str]:
    warnings = []
    if layout == "synthetisch":
        warnings.append(_("Die Datei ist als synthetische Demodaten gekennzeichnet: keine "
                          "amtlichen Zahlen."))
    elif layout != "amtlich":
        warnings.append(_("Die Datei ist ein Melderegister-Auszug, also eigene Daten der "
                          "Kommune und keine amtliche Statistik. Sie wird als eigene Datenquelle "
                          "gekennzeichnet und nicht unter der Datenlizenz Deutschland genannt."))
    foreign = [k for k in dataset.regions if k not in related
               and not (len(commune.ags or "") == 5 and k.startswith(commune.ags))]
    if foreign:
        names = ", ".join(f"{dataset.name(k)} ({k})" for k in foreign[:5])
        more = len(foreign) - 5
        warnings.append(_("Die Datei enthält auch Regionen außerhalb von %(c)s und seinem "
                          "Kreis und Land: %(names)s%(more)s. Sie werden mitgespeichert, aber "
                          "nicht ausgewertet.") % {
            "c": commune.name, "names": names,
            "more": _(" und %(n)s weitere") % {"n": more} if more > 0 else ""})
    if commune.ags and commune.ags not in set(dataset.population["ags"]):
        warnings.append(_("Die Datei enthält keine Bevölkerungszahlen für %(c)s selbst.")
                        % {"c": commune.name})
    if missing := _missing_values(dataset):
        warnings.append(_("%(n)s Werte fehlen in der Datei (Zeichen wie „.“, „-“ oder „x“); "
                          "sie werden als „kein Wert“ übernommen.") % {"n": missing})
    flagged = int(sum(f["flag"].isin(["p", "s"]).sum()
                      for f in (dataset.population, dataset.events)))
    if flagged:
        warnings.append(_("%(n)s Werte sind vorläufig oder geschätzt (Kennzeichen „p“ oder "
                          "„s“).") % {"n": flagged})
    return warnings


def summarise(commune, name: str, dataset: Dataset, related: set[str], layout: str
              ) -> UploadCheck:
    # a register extract often has no name column: the commune's own key gets its name
    regions = [{"ags": k, "name": commune.name if k == commune.ags and dataset.name(k) == k
                else dataset.name(k), "own": k in related} for k in dataset.regions]
    return UploadCheck(
        name=name, layout=layout, source_line=dataset.source, regions=regions,
        years=[int(y) for y in dataset.years if not math.isnan(y)],
        variables=_variables(dataset), row_count=len(dataset.population) + len(dataset.events),
        warnings=_warnings(commune, dataset, related, layout))


EXAMPLE_AGS, EXAMPLE_NAME = "05958004", "Arnsberg"


def register_template(ags: str = "", name: str = "") -> str:
    """The register extract template: the exact columns and example rows (two ages, both
    sexes, the open last age), `;`-separated as German spreadsheets write it. With the
    commune's key and name when it has them."""
    ags, name = (ags, name) if len(ags or "") == 8 else (EXAMPLE_AGS, EXAMPLE_NAME)
    rows = [";".join(column for column, _text in REGISTER_COLUMNS)]
    for sex, counts in (("m", (251, 248, 37)), ("w", (239, 244, 112))):
        for age, count in zip(("0", "1", "100+"), counts, strict=True):
            rows.append(f"{ags};{name};2023;{sex};{age};{count}")
    return "\r\n".join(rows) + "\r\n"
