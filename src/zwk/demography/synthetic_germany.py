"""Seeded synthetic population of every inhabited German municipality, by sex × 17 age groups.

SYNTHETIC – not official statistics. For tests, the demo and benchmarks of Germany-wide runs
(issue 16): one row per municipality, sex and age group of table 12411-02-03-5, on the status
date of the register (31.12.2019), for all 10,796 inhabited municipalities of the register.

* Totals are the register's own: per municipality, males and females each add up exactly to
  the register figures (so Germany adds up to 83,166,711).
* The age structure is made, not measured: the German cohort profile of the Hochsauerlandkreis
  simulation (:func:`zwk.demography.synthetic._base_structure`: baby boom, birth slump, period
  survival), tilted per municipality towards younger ages in densely populated places and
  older ages in sparsely populated ones (the register's degree of urbanisation), plus a
  random tilt per municipality; counts are a multinomial draw of the register total over
  those shares, so small places are as lumpy as real ones.
* Deterministic: the same seed and register give the same numbers (one generator, drawing in
  AGS order).

Every dataset carries ``synthetic=True`` and the note ``SYNTHETISCHE DEMODATEN – keine
amtlichen Zahlen``; every file written says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .ages import MUNICIPAL_GROUPS, OPEN
from .dataset import SYNTHETIC_NOTE, Dataset
from .errors import DemographyError
from .synthetic import OPEN_AGE, _base_structure

#: Strength of the age tilt per degree of urbanisation (1 dicht, 2 mittel, 3 gering besiedelt):
#: negative = younger than the national profile, positive = older.
DEGURBA_TILT = {1: -0.18, 2: 0.0, 3: 0.10}
RANDOM_TILT_SD = 0.08
#: Students and young workers gather in cities: extra weight on ages 18–35 where dense.
YOUNG_ADULTS = (18, 35)
DENSE_YOUNG_ADULT_FACTOR = {1: 1.18, 2: 1.0, 3: 0.92}
TABLE = "12411-02-03-5"


def _group_shares(year: int) -> np.ndarray:
    """National shape by sex × the 17 groups (rows sum to 1)."""
    single = _base_structure(year)                       # (2, OPEN_AGE + 1)
    ages = np.arange(OPEN_AGE + 1)
    groups = np.stack([single[:, (ages >= lo) & (ages < hi)].sum(axis=1)
                       for lo, hi in MUNICIPAL_GROUPS], axis=1)
    return groups / groups.sum(axis=1, keepdims=True)


def _tilts(degurba: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per municipality × group multipliers of the national shape."""
    mids = np.array([(lo + (hi if hi != OPEN else 90)) / 2 for lo, hi in MUNICIPAL_GROUPS])
    z = (mids - 42.0) / 25.0
    strength = np.vectorize(lambda d: DEGURBA_TILT.get(int(d), 0.0))(degurba)
    strength = strength + rng.normal(0.0, RANDOM_TILT_SD, size=len(degurba))
    tilt = np.exp(strength[:, None] * z[None, :])
    young = np.array([lo >= YOUNG_ADULTS[0] and hi <= YOUNG_ADULTS[1]
                      for lo, hi in MUNICIPAL_GROUPS])
    factor = np.vectorize(lambda d: DENSE_YOUNG_ADULT_FACTOR.get(int(d), 1.0))(degurba)
    tilt[:, young] *= factor[:, None]
    return tilt


def germany(seed: int = 2024, *, register=None, laender: list[str] | None = None) -> Dataset:
    """The synthetic population of every inhabited municipality of the register.

    ``laender`` (two-digit codes) restricts it to some Länder; the numbers of a municipality
    do not depend on that choice (all are drawn, then filtered).
    """
    if register is None:
        from .register import load_register

        register = load_register()
    towns = sorted((m for m in register.inhabited()), key=lambda m: m.ags)
    if any(m.male is None or m.female is None for m in towns):
        raise DemographyError("Das Gemeindeverzeichnis nennt nicht für jede Gemeinde "
                              "Männer und Frauen.")
    rng = np.random.default_rng(seed)
    shares = _group_shares(register.status_date.year)
    degurba = np.array([m.degurba or 2 for m in towns])
    tilt = _tilts(degurba, rng)
    counts = []
    for sex, totals in ((0, [m.male for m in towns]), (1, [m.female for m in towns])):
        p = shares[sex][None, :] * tilt
        p /= p.sum(axis=1, keepdims=True)
        counts.append(rng.multinomial(np.array(totals, dtype=np.int64), p))
    frame = _frame([m.ags for m in towns], counts, register.status_date.year)
    if laender is not None:
        unknown = sorted(set(laender) - set(register.laender))
        if unknown:
            raise DemographyError(f"Unbekannte Länderkennung: {', '.join(unknown)} (01–16).")
        frame = frame[frame["ags"].str[:2].isin(set(laender))].reset_index(drop=True)
    present = set(frame["ags"])
    names = {m.ags: m.name for m in towns if m.ags in present}
    return Dataset(frame, names=names, source=f"{SYNTHETIC_NOTE}; Einwohnerzahlen: "
                   f"{register.attribution}", synthetic=True)


def _frame(keys: list[str], counts: list[np.ndarray], year: int) -> pd.DataFrame:
    n, g = len(keys), len(MUNICIPAL_GROUPS)
    lows = np.array([lo for lo, _ in MUNICIPAL_GROUPS])
    highs = np.array([hi for _, hi in MUNICIPAL_GROUPS], dtype=float)
    return pd.DataFrame({
        "ags": np.repeat(np.array(keys, dtype=object), 2 * g),
        "year": year,
        "sex": np.tile(np.repeat(np.array(["m", "f"], dtype=object), g), n),
        "age_from": np.tile(lows, 2 * n),
        "age_to": np.tile(highs, 2 * n),
        "count": np.stack(counts, axis=1).reshape(-1).astype(float),
        "flag": "",
    })


def write_germany(directory: str | Path, *, seed: int = 2024,
                  laender: list[str] | None = None) -> Path:
    """Write the synthetic Germany as a zipped GENESIS flat file (table 12411-02-03-5)."""
    from .io.writers import write_ffcsv

    dataset = germany(seed, laender=laender)
    suffix = "" if laender is None else "_" + "-".join(sorted(laender))
    path = Path(directory) / f"{TABLE}_deutschland{suffix}_synthetisch.zip"
    return write_ffcsv(dataset, path, TABLE, ["population"], zipped=True)
