"""Scenarios: named assumption sets with German labels, plus validation of user-defined ones.

A scenario says how the *calibrated local* levels change over the projection horizon:
fertility as a factor on the local level (or an absolute TFR), mortality as a gain in life
expectancy per decade, migration as factors on in-moves and out-move rates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

from ..errors import AssumptionError
from .engine import MIGRATION_MODELS


@dataclass(frozen=True)
class Scenario:
    key: str = "basis"
    label: str = "Basisvariante"
    fertility_factor: float = 1.0           # × local calibrated fertility (target level)
    tfr: float | None = None                # absolute target TFR; overrides the factor
    transition_years: int = 10              # years to reach the target fertility level
    e0_gain_male: float = 1.2               # years of life expectancy gained per decade
    e0_gain_female: float = 1.0
    in_migration_factor: float = 1.0        # × calibrated in-moves per year
    out_migration_factor: float = 1.0       # × calibrated out-move rates
    srb: float = 1.05                       # boys per girl at birth
    #: "mobility" (in-moves follow the population's out-move potential, decision 0106),
    #: "constant_net" (net migration stays at the calibrated level) or "fixed_in" (in-moves
    #: stay at the calibrated count while out-moves follow the population)
    migration_model: str = "mobility"

    def validate(self) -> Scenario:
        """Raise :class:`AssumptionError` (German message) for impossible or implausible values."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and not math.isfinite(value):
                raise AssumptionError(f"„{f.name}“ muss eine endliche Zahl sein.")
        _check(0.0 < self.fertility_factor <= 3.0, "Der Fertilitätsfaktor muss größer als 0 und "
               "höchstens 3 sein (negative oder fehlende Geburten sind unmöglich).")
        if self.tfr is not None:
            _check(0.3 <= self.tfr <= 4.0, "Die Geburtenziffer (TFR) muss zwischen 0,3 und 4,0 "
                   "Kindern je Frau liegen.")
        _check(0 <= self.transition_years <= 50, "Die Übergangszeit muss 0 bis 50 Jahre betragen.")
        for sex, gain in (("Männer", self.e0_gain_male), ("Frauen", self.e0_gain_female)):
            _check(-2.0 <= gain <= 4.0, f"Der Anstieg der Lebenserwartung ({sex}) muss zwischen "
                   "−2 und +4 Jahren je Jahrzehnt liegen; mehr ist nicht plausibel.")
        _check(0.0 <= self.in_migration_factor <= 5.0,
               "Der Faktor für Zuzüge muss zwischen 0 und 5 liegen.")
        _check(0.0 <= self.out_migration_factor <= 5.0,
               "Der Faktor für Fortzüge muss zwischen 0 und 5 liegen.")
        _check(0.9 <= self.srb <= 1.2, "Das Geschlechterverhältnis bei Geburt muss zwischen 0,9 "
               "und 1,2 Jungen je Mädchen liegen.")
        _check(self.migration_model in MIGRATION_MODELS, "Das Wanderungsmodell muss "
               f"{', '.join(MIGRATION_MODELS)} sein, nicht „{self.migration_model}“.")
        return self

    def as_dict(self) -> dict:
        return asdict(self)


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise AssumptionError(message)


SCENARIOS: dict[str, Scenario] = {s.key: s for s in (
    Scenario(),
    Scenario("zuwanderung_niedrig", "Niedrige Zuwanderung", in_migration_factor=0.8),
    Scenario("zuwanderung_hoch", "Hohe Zuwanderung", in_migration_factor=1.2),
    Scenario("geburten_niedrig", "Niedrige Geburtenhäufigkeit", fertility_factor=0.9),
    Scenario("geburten_hoch", "Hohe Geburtenhäufigkeit", fertility_factor=1.1),
    Scenario("lebenserwartung_niedrig", "Geringer Anstieg der Lebenserwartung",
             e0_gain_male=0.6, e0_gain_female=0.5),
    Scenario("lebenserwartung_hoch", "Starker Anstieg der Lebenserwartung",
             e0_gain_male=1.8, e0_gain_female=1.6),
    Scenario("wanderungssaldo_konstant", "Konstanter Wanderungssaldo",
             migration_model="constant_net"),
)}


def get_scenario(key: str) -> Scenario:
    try:
        return SCENARIOS[key]
    except KeyError:
        known = ", ".join(SCENARIOS)
        raise AssumptionError(f"Unbekanntes Szenario „{key}“; bekannt sind: {known}.") from None


def scenario_from_dict(values: Mapping[str, object], base: str = "basis") -> Scenario:
    """A user-defined scenario: start from ``base`` and override the given fields, validated."""
    allowed = {f.name: f for f in fields(Scenario)}
    changes = {}
    for name, raw in values.items():
        if name not in allowed:
            raise AssumptionError(f"Unbekannte Annahme „{name}“.")
        if name in ("key", "label", "migration_model"):
            changes[name] = str(raw)
            continue
        if raw is None and name == "tfr":
            changes[name] = None
            continue
        try:
            number = float(str(raw).replace(",", "."))
        except ValueError:
            raise AssumptionError(f"Die Annahme „{name}“ muss eine Zahl sein, nicht „{raw}“.") \
                from None
        changes[name] = int(number) if name == "transition_years" else number
    changes.setdefault("key", "eigenes")
    changes.setdefault("label", "Eigenes Szenario")
    return replace(get_scenario(base), **changes).validate()
