"""The population projection frozen into a plan version when it is adopted.

`plan_adopt` stores `projection_snapshot(commune)` under the snapshot key "population_projection".
From then on the Zwischenbilanz compares the actual population (the profile's newest data) with
exactly those numbers; newer data never changes them, because the version is never changed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

logger = logging.getLogger(__name__)

SNAPSHOT_KEY = "population_projection"
#: The years of population data the profile held at adoption ([] = none). Versions adopted
#: before this key existed lack it; a missing projection then meant "no data" (as it was the
#: only reason the adoption stored None for that was checked then).
DATA_YEARS_KEY = "population_data_years"
SCENARIO = "basis"          # the profile's base scenario (Basisvariante)
HORIZON = 2040              # the profile's default target year
AGE_GROUPS = (("unter 18", 0, 18), ("18 bis 64", 18, 65), ("65 und älter", 65, None))


def population_years(commune) -> list[int]:
    """The years with a total population of the commune in the profile's loaded data."""
    from zwk.plan.monitoring import actual_population

    return sorted(actual_population(commune)[0])


def projection_snapshot(commune) -> dict[str, Any] | None:
    """The commune's projection under the profile's base scenario from its newest loaded data:
    total population per year and three age groups, with scenario, base year and data source.
    None when the profile has no population data for the commune or the projection fails (the
    adoption must not fail for that; the Zwischenbilanz then explains what is missing)."""
    from zwk.demography import DemographyError
    from zwk.demography.projection import get_scenario, project
    from zwk.plan.monitoring import sources_text
    from zwk.profile import analysis

    try:
        a = analysis.analysis_for(commune)
        if a is None or a.region is None:
            return None
        base = analysis.base_year_of(a)
        if base is None:
            return None
        horizon = min(max(HORIZON, base + 10), analysis.MAX_HORIZON)
        scenario = get_scenario(SCENARIO)
        key = ("plan-baseline", a.key, a.region, SCENARIO, horizon)
        result = analysis.cached(key, lambda: project(a.dataset, scenario, years=horizon - base,
                                                      regions=[a.region], base_year=base))
        i = result.index(a.region)
        both = result.population[i, :, 0, :] + result.population[i, :, 1, :]
        groups = {label: [round(float(v)) for v in both[:, lo:(hi or both.shape[1])].sum(axis=1)]
                  for label, lo, hi in AGE_GROUPS}
        return {
            "scenario": scenario.key, "scenario_label": scenario.label,
            "base_year": int(result.years[0]), "years": [int(y) for y in result.years],
            "totals": [round(float(v)) for v in result.totals()[i]],
            "age_groups": groups, "source": sources_text(a), "synthetic": a.synthetic,
            "computed_on": timezone.localdate().isoformat(),
        }
    except (DemographyError, ValueError, KeyError, IndexError) as error:
        logger.warning("No population projection for the plan of %s: %s", commune.pk, error)
        return None
