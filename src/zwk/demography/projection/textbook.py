"""One textbook cohort-component step (Preston, Heuveline & Guillot 2001, ch. 6).

For age groups of width ``h`` (``step``), the last one open, per sex:

* survival ratios from a period life table: ``S_x = L_{x+h} / L_x``; the last closed group and
  the open group together survive into the open group with ``T_ω / T_{ω−h}``, where
  ``T_ω`` is the last ``L`` entry and ``T_{ω−h} = L_{ω−h} + T_ω``;
* net migrants: half added at the start of the step (exposed to mortality and fertility),
  half added at the end (by age at the end);
* births by mother's age group ``x``: ``h · f_x · (W_x(start) + W_x(end)) / 2`` where
  ``W_x(start)`` includes the first half of the migrants and ``W_x(end)`` are the women in
  group ``x`` at the end of the step *including the second half of the net migrants* – the
  book's convention (Preston, Heuveline & Guillot 2001, ch. 6.3, projection with migration:
  the women exposed at the end of the interval are the projected women, migrants included);
  this is reproduced exactly;
* births split by the sex ratio at birth ``srb`` (boys per girl): girls ``B / (1 + srb)``;
* newborns survive into the first group with ``L_0 / (h · l_0)`` and get their half of the
  migrants of the first group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import ProjectionInputError


@dataclass(frozen=True)
class TextbookStepResult:
    female: np.ndarray
    male: np.ndarray
    births_by_mother_age: np.ndarray  # over the fertile groups, in the order of ``asfr``
    births_female: float
    births_male: float

    @property
    def births(self) -> float:
        return self.births_female + self.births_male


def survival_ratios(Lx: np.ndarray, step: int, l0: float) -> tuple[np.ndarray, float]:
    """``S`` for groups 0 … n−1 (index = group at the start; last two equal) and newborns."""
    L = np.asarray(Lx, dtype=float)
    s = np.empty_like(L)
    s[:-2] = L[1:-1] / L[:-2]
    s[-2:] = L[-1] / (L[-2] + L[-1])
    return s, float(L[0] / (step * l0))


def textbook_step(female, male, female_Lx, male_Lx, l0: float, asfr: Mapping[int, float],
                  net_migrants_female, net_migrants_male, srb: float = 1.05,
                  step: int = 5) -> TextbookStepResult:
    """Project one step of ``step`` years (see the module docstring for every formula)."""
    arrays = [np.asarray(a, dtype=float) for a in
              (female, male, female_Lx, male_Lx, net_migrants_female, net_migrants_male)]
    f_pop, m_pop, f_L, m_L, f_mig, m_mig = arrays
    if len({len(a) for a in arrays}) != 1 or len(f_pop) < 3:
        raise ProjectionInputError("Alle Vektoren brauchen dieselbe Zahl von Altersgruppen (≥ 3).")
    f_start, f_end = _survive(f_pop, f_mig, f_L, step, l0)
    m_start, m_end = _survive(m_pop, m_mig, m_L, step, l0)
    groups = [_group_index(age, step, len(f_pop)) for age in asfr]
    rates = np.array(list(asfr.values()), dtype=float)
    women_end = f_end[groups] + f_mig[groups] / 2.0   # the second half of the migrants counts
    by_mother = step * rates * (f_start[groups] + women_end) / 2.0
    births = float(by_mother.sum())
    girls, boys = births / (1.0 + srb), births * srb / (1.0 + srb)
    f_end[0] = girls * survival_ratios(f_L, step, l0)[1]
    m_end[0] = boys * survival_ratios(m_L, step, l0)[1]
    return TextbookStepResult(f_end + f_mig / 2.0, m_end + m_mig / 2.0, by_mother, girls, boys)


def _survive(pop, migrants, Lx, step, l0) -> tuple[np.ndarray, np.ndarray]:
    """Population at the start (with half the migrants) and its survivors at the end."""
    ratios, _ = survival_ratios(Lx, step, l0)
    start = pop + migrants / 2.0
    end = np.zeros_like(start)
    end[1:-1] = start[:-2] * ratios[:-2]
    end[-1] = (start[-2] + start[-1]) * ratios[-1]
    return start, end


def _group_index(age: int, step: int, n: int) -> int:
    if age % step or not 0 <= age // step < n - 1:
        raise ProjectionInputError(f"Fertilitätsalter {age} passt nicht zu Gruppen der Breite {step}.")
    return age // step
