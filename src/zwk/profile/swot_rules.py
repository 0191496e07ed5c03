"""SWOT proposals from the data: pure rules over the indicator table.

Each rule is a small function `(Facts) -> Finding | None`. It looks at the commune's row of
`zwk.demography.indicators.indicators_table(dataset)` (latest year in which the indicator is
known), compares it where a rule says so with the nearest comparison region of the same year
(the Kreis for a town, the Land for a Kreis) and returns a finding with a stable `rule_key`,
a German sentence, a SWOT quadrant, suggested Handlungsfelder (names from the default
catalogue, `zwk.communes.models.DEFAULT_ACTION_FIELDS`) and the figures that triggered it.

No Django here: the module takes a pandas table and returns dataclasses, so each rule can be
tested on a hand-made table. `zwk.profile.services.swot_proposals_refresh` stores the findings.

Thresholds are module constants below; each rule's docstring says when it fires. A rule that
lacks its data (NaN, region missing, no projection) stays silent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from zwk import formatting

STRENGTH, WEAKNESS, OPPORTUNITY, THREAT = "strength", "weakness", "opportunity", "threat"

# Handlungsfelder of the default catalogue the rules suggest (exact names).
HF_WOHNEN = "Wohnen & Orts-/Stadtentwicklung"
HF_GESUNDHEIT = "Gesundheit, Pflege & Leben im Alter"
HF_FAMILIE = "Kinder, Jugend & Familie"
HF_BILDUNG = "Bildung"
HF_ARBEIT = "Arbeit, Wirtschaft & Fachkräfte"
HF_IMAGE = "Identität, Image & Öffentlichkeitsarbeit"
HF_NAHVERSORGUNG = "Nahversorgung & Daseinsvorsorge"
HF_ENGAGEMENT = "Bürgerschaftliches Engagement & Ehrenamt"

#: Altenquotient (65+ per 100 aged 20–64): points above the comparison region that count as
#: "far above"; without a comparison value of the same year, the absolute level.
OLD_AGE_RATIO_ABOVE = 5.0
OLD_AGE_RATIO_ABSOLUTE = 45.0
#: Share of people aged 80+ in %: points above the comparison, or absolute level.
VERY_OLD_SHARE_ABOVE = 1.0
VERY_OLD_SHARE_ABSOLUTE = 9.0
#: Bildungswanderung (net moves of 18–24-year-olds per 1,000 of that age, 4-year mean).
EDUCATION_LOSS = -40.0
#: Familienwanderung (net moves of under-18s and 30–49-year-olds per 1,000 of those ages).
FAMILY_GAIN = 5.0
#: Berufseinstiegswanderung (net moves of 25–29-year-olds per 1,000 of that age).
CAREER_START_GAIN = 10.0
#: Natural balance (births − deaths) per 1,000 residents.
NATURAL_BALANCE_LOW = -4.0
#: Net migration per 1,000 residents.
NET_MIGRATION_GAIN = 3.0
#: Population change since the first year of the data, in %.
POPULATION_DECLINE = -2.0
POPULATION_GROWTH = 2.0
#: Projection: years ahead and the change (in %) that triggers a finding.
PROJECTION_YEARS = 15
WORKING_AGE_DECLINE = -10.0
PROJECTED_DECLINE = -5.0
#: Working age in the projection's age groups: 18 to under 65.
WORKING_AGE = (18, 65)


@dataclass(frozen=True)
class Figure:
    """One number shown beside a proposal: what it is, its value, its unit."""

    label: str
    value: float
    unit: str = ""
    digits: int = 1

    def text(self) -> str:
        return figure_text(self.value, self.unit, self.digits)

    def as_dict(self) -> dict:
        return {"label": self.label, "value": round(self.value, 4), "text": self.text(),
                "unit": self.unit, "digits": self.digits}


MINUS = "\u2212"   # the typographic minus sign; a hyphen reads as a dash in German text


def figure_text(value: float, unit: str = "", digits: int = 1) -> str:
    """German number with its unit: 15261 -> '15.261', -15.94 % -> '−15,9 %'."""
    number = formatting.number(value, digits)   # rounds half up and never prints "-0"
    if number.startswith("-"):
        number = MINUS + number[1:]
    return f"{number} {unit}".strip()


@dataclass(frozen=True)
class Finding:
    rule_key: str
    quadrant: str
    text: str
    action_fields: tuple[str, ...]
    indicator_key: str
    figures: tuple[Figure, ...] = ()
    threshold: str = ""

    def figures_json(self) -> dict:
        """What `SwotItem.figures` stores: an ordered list (JSON objects lose key order)."""
        return {"rows": [f.as_dict() for f in self.figures], "threshold": self.threshold}


@dataclass(frozen=True)
class Facts:
    """What the rules look at: the indicator table, whose row is the commune's, comparisons."""

    table: pd.DataFrame
    key: str
    comparisons: Sequence[str] = ()       # nearest first: Kreis, then Land
    projection: pd.DataFrame | None = None  # ProjectionResult.to_frame("groups") of `key`
    labels: dict = field(default_factory=dict)

    def name(self, key: str) -> str:
        rows = self.table[self.table["ags"] == key]
        if len(rows) and isinstance(rows.iloc[0]["name"], str) and rows.iloc[0]["name"]:
            return rows.iloc[0]["name"]
        return key

    def latest(self, column: str) -> tuple[int, float] | None:
        """(year, value) of the commune's latest finite value of `column`."""
        return _latest(self.table, self.key, column)

    def comparison(self, column: str, year: int) -> tuple[str, float] | None:
        """(region key, value) of the nearest comparison region that has `column` in `year`."""
        for key in self.comparisons:
            value = _value(self.table, key, column, year)
            if value is not None:
                return key, value
        return None


def _finite(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _latest(table: pd.DataFrame, key: str, column: str) -> tuple[int, float] | None:
    if column not in table.columns:
        return None
    rows = table[table["ags"] == key].sort_values("year", ascending=False)
    for year, value in zip(rows["year"], rows[column], strict=True):
        if (number := _finite(value)) is not None:
            return int(year), number
    return None


def _value(table: pd.DataFrame, key: str, column: str, year: int) -> float | None:
    if column not in table.columns:
        return None
    rows = table[(table["ags"] == key) & (table["year"] == year)]
    return _finite(rows.iloc[0][column]) if len(rows) else None


def _level_rule(facts: Facts, column: str, label: str, above: float, absolute: float,
                unit: str = "") -> tuple[list[Figure], str] | None:
    """Figures and threshold text if the commune is `above` over its comparison (or, without
    one, at least `absolute`); None otherwise."""
    latest = facts.latest(column)
    if latest is None:
        return None
    year, value = latest
    figures = [Figure(f"{label} {facts.name(facts.key)} {year}", value, unit)]
    compared = facts.comparison(column, year)
    if compared is not None:
        key, other = compared
        if value - other < above:
            return None
        figures.append(Figure(f"{label} {facts.name(key)} {year}", other, unit))
        return figures, f"mindestens {_num(above)} Punkte über dem Vergleichswert"
    if value < absolute:
        return None
    return figures, f"kein Vergleichswert; Schwelle {_num(absolute)}{' ' + unit if unit else ''}"


def _num(value: float) -> str:
    return formatting.number_trimmed(value, 3).replace("-", MINUS)


def old_age_ratio_high(facts: Facts) -> Finding | None:
    """Weakness: Altenquotient at least 5 points above the comparison region (Kreis/Land of the
    same year) or, without a comparison value, at least 45."""
    hit = _level_rule(facts, "altenquotient", "Altenquotient", OLD_AGE_RATIO_ABOVE,
                      OLD_AGE_RATIO_ABSOLUTE)
    if hit is None:
        return None
    figures, threshold = hit
    return Finding("altenquotient_hoch", WEAKNESS,
                   "Deutlich mehr ältere Menschen je Person im Erwerbsalter als im Vergleich: "
                   "Pflege, Versorgung und Fachkräfte stehen unter Druck.",
                   (HF_GESUNDHEIT, HF_ARBEIT), "altenquotient", tuple(figures), threshold)


def very_old_share_high(facts: Facts) -> Finding | None:
    """Threat: share of people aged 80+ at least 1 point above the comparison region or,
    without a comparison value, at least 9 %."""
    hit = _level_rule(facts, "anteil_80_plus", "Anteil 80 Jahre und älter",
                      VERY_OLD_SHARE_ABOVE, VERY_OLD_SHARE_ABSOLUTE, "%")
    if hit is None:
        return None
    figures, threshold = hit
    return Finding("hochaltrige_anteil_hoch", THREAT,
                   "Hoher Anteil hochaltriger Menschen: Der Bedarf an Pflege, barrierefreiem "
                   "Wohnen und wohnortnaher Versorgung wächst.",
                   (HF_GESUNDHEIT, HF_WOHNEN, HF_NAHVERSORGUNG), "anteil_80_plus",
                   tuple(figures), threshold)


def _rate_rule(facts: Facts, column: str, label: str, unit: str = "je 1.000"):
    """(figures, value) of the commune's latest value with the comparison beside it."""
    latest = facts.latest(column)
    if latest is None:
        return None
    year, value = latest
    figures = [Figure(f"{label} {facts.name(facts.key)} {year}", value, unit)]
    if (compared := facts.comparison(column, year)) is not None:
        figures.append(Figure(f"{label} {facts.name(compared[0])} {year}", compared[1], unit))
    return figures, value


def education_migration_loss(facts: Facts) -> Finding | None:
    """Weakness: Bildungswanderung (net moves of 18–24-year-olds, per 1,000 of that age,
    4-year mean) at or below −40."""
    hit = _rate_rule(facts, "bildungswanderung", "Bildungswanderung")
    if hit is None or hit[1] > EDUCATION_LOSS:
        return None
    return Finding("bildungswanderung_verlust", WEAKNESS,
                   "Starke Abwanderung junger Menschen zwischen 18 und 24 Jahren, meist für "
                   "Ausbildung und Studium.", (HF_BILDUNG, HF_FAMILIE, HF_ARBEIT),
                   "bildungswanderung", tuple(hit[0]), f"höchstens {_num(EDUCATION_LOSS)} je 1.000")


def family_migration_gain(facts: Facts) -> Finding | None:
    """Strength: Familienwanderung (net moves of under-18s and 30–49-year-olds per 1,000)
    at or above +5."""
    hit = _rate_rule(facts, "familienwanderung", "Familienwanderung")
    if hit is None or hit[1] < FAMILY_GAIN:
        return None
    return Finding("familienwanderung_positiv", STRENGTH,
                   "Familien ziehen zu: Die Kommune ist als Wohnort für Familien attraktiv.",
                   (HF_FAMILIE, HF_WOHNEN), "familienwanderung", tuple(hit[0]),
                   f"mindestens {_num(FAMILY_GAIN)} je 1.000")


def career_start_gain(facts: Facts) -> Finding | None:
    """Opportunity: Berufseinstiegswanderung (net moves of 25–29-year-olds per 1,000) at or
    above +10."""
    hit = _rate_rule(facts, "berufseinstiegswanderung", "Berufseinstiegswanderung")
    if hit is None or hit[1] < CAREER_START_GAIN:
        return None
    return Finding("berufseinstiegswanderung_positiv", OPPORTUNITY,
                   "Junge Erwachsene kommen zum Berufseinstieg: eine Chance, Fachkräfte zu "
                   "gewinnen und zu halten.", (HF_ARBEIT, HF_WOHNEN),
                   "berufseinstiegswanderung", tuple(hit[0]),
                   f"mindestens {_num(CAREER_START_GAIN)} je 1.000")


def natural_balance_negative(facts: Facts) -> Finding | None:
    """Threat: natural balance (births − deaths per 1,000 residents) at or below −4."""
    hit = _rate_rule(facts, "natuerlicher_saldo_je_1000", "Natürlicher Saldo")
    if hit is None or hit[1] > NATURAL_BALANCE_LOW:
        return None
    return Finding("natuerlicher_saldo_negativ", THREAT,
                   "Deutlich mehr Sterbefälle als Geburten: Ohne Zuzug schrumpft die "
                   "Bevölkerung.", (HF_FAMILIE, HF_GESUNDHEIT), "natuerlicher_saldo_je_1000",
                   tuple(hit[0]), f"höchstens {_num(NATURAL_BALANCE_LOW)} je 1.000")


def net_migration_gain(facts: Facts) -> Finding | None:
    """Opportunity: net migration per 1,000 residents at or above +3."""
    hit = _rate_rule(facts, "wanderungssaldo_je_1000", "Wanderungssaldo")
    if hit is None or hit[1] < NET_MIGRATION_GAIN:
        return None
    return Finding("wanderungssaldo_positiv", OPPORTUNITY,
                   "Mehr Zuzüge als Fortzüge: Neue Einwohner:innen können den natürlichen "
                   "Rückgang ausgleichen, wenn sie gut ankommen.", (HF_WOHNEN, HF_ENGAGEMENT),
                   "wanderungssaldo_je_1000", tuple(hit[0]),
                   f"mindestens {_num(NET_MIGRATION_GAIN)} je 1.000")


def _since_base(facts: Facts):
    latest = facts.latest("veraenderung_prozent")
    if latest is None:
        return None
    year, change = latest
    rows = facts.table[facts.table["ags"] == facts.key]
    base = int(rows["year"].min())
    figures = (Figure(f"Veränderung der Bevölkerung {base}–{year}", change, "%"),)
    return figures, change


def population_decline(facts: Facts) -> Finding | None:
    """Weakness: population changed by −2 % or less since the first year of the data."""
    hit = _since_base(facts)
    if hit is None or hit[1] > POPULATION_DECLINE:
        return None
    return Finding("bevoelkerung_rueckgang", WEAKNESS,
                   "Die Bevölkerung ist seit dem Basisjahr zurückgegangen.",
                   (HF_WOHNEN, HF_NAHVERSORGUNG), "veraenderung_prozent", hit[0],
                   f"höchstens {_num(POPULATION_DECLINE)} %")


def population_growth(facts: Facts) -> Finding | None:
    """Strength: population grew by +2 % or more since the first year of the data."""
    hit = _since_base(facts)
    if hit is None or hit[1] < POPULATION_GROWTH:
        return None
    return Finding("bevoelkerung_wachstum", STRENGTH,
                   "Die Bevölkerung ist seit dem Basisjahr gewachsen.",
                   (HF_WOHNEN, HF_IMAGE), "veraenderung_prozent", hit[0],
                   f"mindestens +{_num(POPULATION_GROWTH)} %")


def _projected(facts: Facts, lo: float, hi: float) -> tuple[int, float, int, float] | None:
    """(base year, persons, target year, persons) aged [lo, hi) in the projection."""
    frame = facts.projection
    if frame is None or len(frame) == 0:
        return None
    frame = frame[frame["ags"] == facts.key] if "ags" in frame.columns else frame
    if len(frame) == 0:
        return None
    part = frame[(frame["age_from"] >= lo) & (frame["age_to"] <= hi)]
    totals = part.groupby("year")["count"].sum()
    if len(totals) < 2:
        return None
    base, last = int(totals.index.min()), int(totals.index.max())
    target = min(last, base + PROJECTION_YEARS)
    start, end = _finite(totals.loc[base]), _finite(totals.loc[target])
    if not start or end is None:
        return None
    return base, start, target, end


def working_age_decline(facts: Facts) -> Finding | None:
    """Threat: projected number of people aged 18–64 falls by 10 % or more within 15 years."""
    hit = _projected(facts, *WORKING_AGE)
    if hit is None:
        return None
    base, start, target, end = hit
    change = round((end / start - 1.0) * 100.0, 6)
    if change > WORKING_AGE_DECLINE:
        return None
    return Finding("erwerbsalter_rueckgang", THREAT,
                   "Die Zahl der Menschen im Erwerbsalter geht laut Prognose deutlich zurück: "
                   "Fachkräfte werden knapp.", (HF_ARBEIT, HF_BILDUNG), "prognose_erwerbsalter",
                   (Figure(f"Personen im Erwerbsalter (18 bis 64 Jahre) {base}", start, "", 0),
                    Figure(f"{target} (Prognose)", end, "", 0),
                    Figure("Veränderung", change, "%")),
                   f"höchstens {_num(WORKING_AGE_DECLINE)} % in {PROJECTION_YEARS} Jahren")


def projected_decline(facts: Facts) -> Finding | None:
    """Threat: projected total population falls by 5 % or more within 15 years."""
    hit = _projected(facts, 0, math.inf)
    if hit is None:
        return None
    base, start, target, end = hit
    change = round((end / start - 1.0) * 100.0, 6)
    if change > PROJECTED_DECLINE:
        return None
    return Finding("prognose_rueckgang", THREAT,
                   "Die Prognose erwartet einen spürbaren Rückgang der Bevölkerung.",
                   (HF_WOHNEN, HF_NAHVERSORGUNG), "prognose_bevoelkerung",
                   (Figure(f"Bevölkerung {base}", start, "", 0),
                    Figure(f"{target} (Prognose)", end, "", 0),
                    Figure("Veränderung", change, "%")),
                   f"höchstens {_num(PROJECTED_DECLINE)} % in {PROJECTION_YEARS} Jahren")


RULES: tuple[Callable[[Facts], Finding | None], ...] = (
    population_growth, family_migration_gain,
    career_start_gain, net_migration_gain,
    population_decline, old_age_ratio_high, education_migration_loss,
    natural_balance_negative, very_old_share_high, working_age_decline, projected_decline,
)


def evaluate(table: pd.DataFrame, key: str, comparisons: Sequence[str] = (),
             projection: pd.DataFrame | None = None) -> list[Finding]:
    """Every finding of every rule for the region `key`, in the order of RULES."""
    if table is None or len(table) == 0 or "ags" not in table.columns:
        return []
    facts = Facts(table=table, key=key,
                  comparisons=[c for c in comparisons if c and c != key],
                  projection=projection)
    return [finding for rule in RULES if (finding := rule(facts)) is not None]
