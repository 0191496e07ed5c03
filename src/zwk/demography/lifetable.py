"""Period life tables on single years and the survival ratios the projection needs.

Conventions (Preston, Heuveline & Guillot 2001, ch. 3): ``q_x = m_x / (1 + (1 - a_x) m_x)``
with ``a_x = 0.5`` except ``a_0 = 0.1``; ``L_x = l_{x+1} + a_x d_x``; the open group has
``L_ω = l_ω / m_ω``; ``T_x = Σ_{y≥x} L_y``; ``e_x = T_x / l_x``; radix ``l_0 = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

#: Life expectancy at birth, Germany 2018/20 (Destatis period life table), used as the
#: default reference ("Land") level when no local life table is given.
E0_REFERENCE = {"m": 78.6, "f": 83.4}


@dataclass(frozen=True)
class LifeTable:
    mx: np.ndarray
    qx: np.ndarray
    lx: np.ndarray
    Lx: np.ndarray
    Tx: np.ndarray

    @property
    def ex(self) -> np.ndarray:
        return self.Tx / self.lx

    @property
    def e0(self) -> float:
        return float(self.Tx[0])

    @classmethod
    def from_mx(cls, mx: np.ndarray) -> LifeTable:
        """Life table from death rates ``m_0 … m_ω`` (last entry: open group)."""
        m = np.asarray(mx, dtype=float)
        a = np.full_like(m, 0.5)
        a[0] = 0.1
        q = np.minimum(m / (1.0 + (1.0 - a) * m), 1.0)
        q[-1] = 1.0
        lx = np.concatenate(([1.0], np.cumprod(1.0 - q[:-1])))
        dx = lx * q
        Lx = np.empty_like(m)
        Lx[:-1] = lx[1:] + a[:-1] * dx[:-1]
        Lx[-1] = lx[-1] / m[-1]
        Tx = np.cumsum(Lx[::-1])[::-1]
        return cls(m, q, lx, Lx, Tx)

    def survival(self) -> tuple[np.ndarray, float]:
        """One-year survival ratios by age at start and the newborn ratio.

        ``S_x = L_{x+1} / L_x`` for ``x < ω−1``; the last closed age and the open group both get
        ``T_ω / T_{ω−1}`` (they end up together in the open group); newborns ``L_0 / l_0``.
        """
        L, T = self.Lx, self.Tx
        s = np.empty_like(L)
        s[:-2] = L[1:-1] / L[:-2]
        s[-2:] = T[-1] / T[-2]
        return s, float(L[0] / self.lx[0])

    def mean_age_above(self, age: int) -> float:
        """Mean age of the stationary population aged ``age`` and over (for open groups)."""
        ages = np.arange(len(self.Lx)) + 0.5
        ages[-1] = len(self.Lx) - 1 + self.ex[-1]
        w = self.Lx[age:]
        return float((ages[age:] * w).sum() / w.sum())


def standard_mx(e0: float, sex: str, open_age: int = 100) -> np.ndarray:
    """A smooth, German-looking schedule of death rates with life expectancy ``e0``.

    Siler-type: infant term + Makeham constant + Gompertz, plus an accident hump for young
    men. The Gompertz level is solved so that the table's ``e0`` matches.
    """
    ages = np.arange(open_age + 1, dtype=float)
    slope = 0.094 if sex == "m" else 0.104
    hump = (4e-4 if sex == "m" else 1.2e-4) * np.exp(-((ages - 21.0) / 6.0) ** 2)
    infant = (0.0032 if sex == "m" else 0.0027) * np.exp(-2.5 * ages)

    def schedule(level: float) -> np.ndarray:
        return infant + 8e-5 + hump + level * np.exp(slope * (ages - 80.0))

    def gap(log_level: float) -> float:
        return LifeTable.from_mx(schedule(np.exp(log_level))).e0 - e0

    log_level = brentq(gap, np.log(1e-4), np.log(5.0), xtol=1e-10)
    return schedule(float(np.exp(log_level)))


def reference_life_tables(open_age: int = 100, e0: dict[str, float] | None = None
                          ) -> dict[str, LifeTable]:
    target = e0 or E0_REFERENCE
    return {s: LifeTable.from_mx(standard_mx(target[s], s, open_age)) for s in ("m", "f")}


def death_multiplier_for_gain(table: LifeTable, gains: np.ndarray) -> np.ndarray:
    """Factor on one-year death proportions ``1 − S_x`` that raises ``e0`` by ``gains`` years.

    The projection changes mortality by scaling death proportions (cheap inside the annual
    loop); this maps a wanted life-expectancy gain to that factor by interpolation on a grid
    computed once from the reference table.
    """
    e0s, factors = _gain_grid(table.mx.tobytes())
    return np.interp(table.e0 + np.asarray(gains), e0s, factors)


@lru_cache(maxsize=32)
def _gain_grid(mx_bytes: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(e0, factor) pairs for factors 0.2 … 1.8 on ``m_x``, sorted by e0; cached per table."""
    mx = np.frombuffer(mx_bytes)
    factors = np.linspace(0.2, 1.8, 161)
    e0s = np.array([LifeTable.from_mx(mx * k).e0 for k in factors])
    order = np.argsort(e0s)
    return e0s[order], factors[order]


#: Destatis period life tables for Germany ("Sterbetafel", three-year periods): life
#: expectancy at birth, at 65 and at 80 by sex, as published (None: not shipped). Each entry
#: names its source; a table is "known" from the year after its period ends (Destatis
#: publishes it in the summer of that year), see :func:`period_for_base_year`.
PERIOD_TABLES: dict[tuple[int, int], dict] = {
    (2002, 2004): {"m": (75.9, None, None), "f": (81.5, None, None),
                   "source": "Destatis, Pressemitteilung vom 02.09.2005 (Sterbetafel 2002/2004)"},
    (2006, 2008): {"m": (77.2, None, None), "f": (82.4, None, None),
                   "source": "Destatis, Pressemitteilung 2009 (Sterbetafel 2006/2008)"},
    (2013, 2015): {"m": (78.17, None, None), "f": (83.08, None, None),
                   "source": "Destatis, Pressemitteilung vom 20.10.2016 (Sterbetafel "
                             "2013/2015: 78 Jahre 2 Monate, 83 Jahre 1 Monat)"},
    (2018, 2020): {"m": (78.6, 17.9, 8.0), "f": (83.4, 21.1, 9.4),
                   "source": "Destatis, Pressemitteilung vom 27.07.2021 (Sterbetafel "
                             "2018/2020: e0, e65); e80: GENESIS 12621-0002"},
    (2019, 2021): {"m": (78.2, None, None), "f": (83.2, None, None),
                   "source": "Destatis, Pressemitteilung vom 26.07.2022 (Sterbetafel 2019/2021)"},
}
#: The table whose old-age shape (e65, e80) is fitted; others keep that shape.
SHAPE_PERIOD = (2018, 2020)


def period_for_base_year(base_year: int) -> tuple[int, int]:
    """The latest shipped period table that was published before or in the jump-off year
    (period end ≤ base year − 1); the oldest one for earlier base years."""
    known = [p for p in PERIOD_TABLES if p[1] <= base_year - 1]
    return max(known) if known else min(PERIOD_TABLES)


def period_life_tables(base_year: int | None = None, open_age: int = 100
                       ) -> dict[str, LifeTable]:
    """Reference life tables fitted to the Destatis period table known at ``base_year``
    (default: the shape period 2018/2020), with the period as attribute ``period``."""
    period = period_for_base_year(base_year) if base_year else SHAPE_PERIOD
    return dict(_period_tables(period, open_age))


@lru_cache(maxsize=16)
def _period_tables(period: tuple[int, int], open_age: int) -> tuple:
    entry = PERIOD_TABLES[period]
    tables = []
    for sex in ("m", "f"):
        e0, e65, e80 = entry[sex]
        if e65 is None or e80 is None:
            _, slope, background = _fitted_parameters(sex, *PERIOD_TABLES[SHAPE_PERIOD][sex],
                                                       open_age)
            mx = _level_for_e0(e0, sex, slope, background, open_age)
        else:
            mx = _schedule(sex, *_fitted_parameters(sex, e0, e65, e80, open_age), open_age)
        tables.append((sex, LifeTable.from_mx(mx)))
    return tuple(tables)


def _schedule(sex: str, log_level: float, slope: float, log_background: float,
              open_age: int) -> np.ndarray:
    """Siler-type rates: background (infant + Makeham + accident hump) × exp(log_background)
    + Gompertz ``exp(log_level) · exp(slope · (x − 80))``."""
    ages = np.arange(open_age + 1, dtype=float)
    hump = (4e-4 if sex == "m" else 1.2e-4) * np.exp(-((ages - 21.0) / 6.0) ** 2)
    infant = (0.0032 if sex == "m" else 0.0027) * np.exp(-2.5 * ages)
    background = (infant + 8e-5 + hump) * np.exp(log_background)
    return background + np.exp(log_level) * np.exp(slope * (ages - 80.0))


@lru_cache(maxsize=16)
def _fitted_parameters(sex: str, e0: float, e65: float, e80: float,
                       open_age: int) -> tuple[float, float, float]:
    """Gompertz level and slope and the background level that reproduce e0, e65 and e80."""
    from scipy.optimize import least_squares

    def gaps(params):
        table = LifeTable.from_mx(_schedule(sex, *params, open_age))
        ex = table.ex
        return [ex[0] - e0, ex[65] - e65, ex[80] - e80]

    start = (np.log(0.06), 0.095 if sex == "m" else 0.105, 0.0)
    fit = least_squares(gaps, start, xtol=1e-12, ftol=1e-12)
    return tuple(float(v) for v in fit.x)


def _level_for_e0(e0: float, sex: str, slope: float, log_background: float,
                  open_age: int) -> np.ndarray:
    def gap(log_level: float) -> float:
        return LifeTable.from_mx(_schedule(sex, log_level, slope, log_background,
                                           open_age)).e0 - e0

    return _schedule(sex, brentq(gap, np.log(1e-4), np.log(5.0), xtol=1e-10), slope,
                     log_background, open_age)
