"""Standard age schedules used when local data give only totals.

They are shapes, not levels: calibration scales them to local counts.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import gamma

FERTILE_AGES = (15, 50)  # mothers aged 15 … 49 at the birth


def fertility_schedule(tfr: float = 1.55, mean_age: float = 31.3, sd: float = 5.6) -> np.ndarray:
    """Age-specific fertility rates for ages 15…49 (gamma-shaped, summing to ``tfr``).

    Defaults: German period values around 2020 (TFR 1.53–1.58, mean age at birth 31.3).
    """
    ages = np.arange(*FERTILE_AGES) + 0.5
    shape = (mean_age - 12.0) ** 2 / sd**2
    scale = sd**2 / (mean_age - 12.0)
    density = gamma.pdf(ages - 12.0, shape, scale=scale)
    return tfr * density / density.sum()


def rogers_castro(ages: np.ndarray, *, child=0.02, alpha1=0.1, peak=0.08, mu2=22.0,
                  alpha2=0.12, lambda2=0.45, retire=0.0, mu3=65.0, alpha3=0.3, lambda3=0.4,
                  constant=0.003) -> np.ndarray:
    """Rogers–Castro model migration schedule (children, labour peak, retirement bump)."""
    x = np.asarray(ages, dtype=float)
    labour = peak * np.exp(-alpha2 * (x - mu2) - np.exp(-lambda2 * (x - mu2)))
    retirement = retire * np.exp(-alpha3 * (x - mu3) - np.exp(-lambda3 * (x - mu3)))
    return child * np.exp(-alpha1 * x) + labour + retirement + constant


def in_migration_shape(open_age: int = 100) -> np.ndarray:
    """Age distribution (sums to 1 over both sexes) of people moving into a rural commune."""
    ages = np.arange(open_age + 1)
    one_sex = rogers_castro(ages, child=0.025, peak=0.075, mu2=25.0, retire=0.003,
                            constant=0.0012)
    shape = np.stack([one_sex * 1.04, one_sex])  # slightly more men among movers
    return shape / shape.sum()


def out_migration_rates(open_age: int = 100, level: float = 0.045) -> np.ndarray:
    """Annual out-move probabilities by sex and age with a crude rate near ``level``.

    Young adults leave for training and study far more often than other ages.
    """
    ages = np.arange(open_age + 1)
    one_sex = rogers_castro(ages, child=0.03, peak=0.16, mu2=20.5, alpha2=0.11, retire=0.004)
    rates = np.stack([one_sex, one_sex * 0.97])
    # Normalise so that a population spread evenly over ages 0–79 has the crude rate `level`.
    return np.clip(rates * level / rates[:, :80].mean(), 0.0, 0.5)
