"""Projection: textbook step, production engine, scenarios, stochastic mode, back-test."""

from .api import GROUPS_PROJECTION, ProjectionResult, add_aggregates, leaf_regions, project
from .assumptions import SCENARIOS, Scenario, get_scenario, scenario_from_dict
from .backtest import backtest, backtest_summary
from .calibration import Calibration, calibrate
from .engine import EngineInputs, EngineOutput, YearFactors, run
from .stochastic import StochasticResult, Uncertainty, project_stochastic
from .textbook import TextbookStepResult, survival_ratios, textbook_step

__all__ = [
    "GROUPS_PROJECTION", "ProjectionResult", "add_aggregates", "leaf_regions", "project",
    "SCENARIOS", "Scenario", "get_scenario", "scenario_from_dict", "backtest",
    "backtest_summary", "Calibration", "calibrate", "EngineInputs", "EngineOutput",
    "YearFactors", "run", "StochasticResult", "Uncertainty", "project_stochastic",
    "TextbookStepResult", "survival_ratios", "textbook_step",
]
