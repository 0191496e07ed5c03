"""Framework-free chart builders: plain data in, Vega-Lite spec plus data table out.

Every function returns a `Chart` (`.spec`, `.table`, `.to_svg()`, `.to_png()`, `.to_csv()`).
See docs/charts.md.
"""

from zwk.charts.balance import LIFE_PHASES, balance_over_time, migration_by_life_phase
from zwk.charts.bundle import static_dir, write_javascript_bundle, write_static_files
from zwk.charts.chart import Chart, DataTable
from zwk.charts.comparison import (
    commune_ranking,
    projected_totals_small_multiples,
    pyramid_small_multiples,
)
from zwk.charts.monitoring import (
    indicator_over_time,
    population_vs_projection,
    progress_over_time,
)
from zwk.charts.population import (
    age_groups_over_time,
    fan_chart,
    population_development,
    population_pyramid,
)
from zwk.charts.timeline import STATUS_COLOURS, measures_timeline

__all__ = [
    "LIFE_PHASES",
    "STATUS_COLOURS",
    "Chart",
    "DataTable",
    "age_groups_over_time",
    "balance_over_time",
    "commune_ranking",
    "fan_chart",
    "indicator_over_time",
    "migration_by_life_phase",
    "population_development",
    "population_pyramid",
    "population_vs_projection",
    "progress_over_time",
    "projected_totals_small_multiples",
    "pyramid_small_multiples",
    "measures_timeline",
    "static_dir",
    "write_javascript_bundle",
    "write_static_files",
]
