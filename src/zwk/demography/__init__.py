"""zwk.demography – framework-free demography engine of ZWK (numpy/pandas, no Django).

Read official population statistics (:func:`read_files`), compute the indicators municipal
demography work uses (:func:`indicators_table`), project populations with the
cohort-component method (:func:`project`, :func:`project_stochastic`, :func:`backtest`),
build a typology of communes (:func:`fit_typology`) and generate clearly labelled synthetic
demo data (:mod:`zwk.demography.synthetic`). See docs/demography.md.
"""

from . import indicators, projection, synthetic
from .dataset import OFFICIAL_SOURCE, SYNTHETIC_NOTE, Dataset, PopulationCube, combine
from .disaggregate import disaggregate, disaggregate_population
from .errors import AssumptionError, DemographyError, DemographyImportError, ProjectionInputError
from .indicators import (
    age_share,
    change_percent,
    indicators_table,
    life_phase_rate,
    mean_age,
    median_age,
    old_age_ratio,
    rate_per_1000,
    youth_ratio,
)
from .io import detect_layout, read_file, read_files
from .lifetable import LifeTable
from .projection import (
    SCENARIOS,
    ProjectionResult,
    Scenario,
    StochasticResult,
    backtest,
    get_scenario,
    project,
    project_stochastic,
    scenario_from_dict,
    textbook_step,
)
from .typology import Typology, fit_typology

__all__ = [
    "indicators", "projection", "synthetic", "OFFICIAL_SOURCE", "SYNTHETIC_NOTE", "Dataset",
    "PopulationCube", "combine", "disaggregate", "disaggregate_population", "AssumptionError",
    "DemographyError", "DemographyImportError", "ProjectionInputError", "age_share",
    "change_percent", "indicators_table", "life_phase_rate", "mean_age", "median_age",
    "old_age_ratio", "rate_per_1000", "youth_ratio", "detect_layout", "read_file",
    "read_files", "LifeTable", "SCENARIOS", "ProjectionResult", "Scenario", "StochasticResult",
    "backtest", "get_scenario", "project", "project_stochastic", "scenario_from_dict",
    "textbook_step", "Typology", "fit_typology",
]
