"""Typology: PCA → Ward → k-means on standardised indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zwk.demography import DemographyError, Typology, fit_typology

FEATURES = ["veraenderung_prozent", "medianalter", "altenquotient", "wanderungssaldo_je_1000"]
CENTRES = {
    "shrinking": [-8.0, 52.0, 55.0, -6.0],
    "stable": [0.0, 46.0, 38.0, 1.0],
    "growing": [6.0, 41.0, 28.0, 8.0],
}


def _communes(seed=0, per_type=12):
    rng = np.random.default_rng(seed)
    rows = []
    for kind, centre in CENTRES.items():
        for i in range(per_type):
            values = np.array(centre) + rng.normal(0, [1.0, 0.8, 1.5, 1.0])
            rows.append({"ags": f"{kind}{i:02d}", "truth": kind, **dict(zip(FEATURES, values, strict=True))})
    return pd.DataFrame(rows)


def test_recovers_well_separated_types_with_high_silhouette():
    frame = _communes()
    typology = fit_typology(frame, FEATURES)
    assert len(typology.names) == 3
    assert typology.silhouette > 0.6
    joined = typology.assignments.merge(frame[["ags", "truth"]], on="ags")
    purity = joined.groupby("type")["truth"].agg(lambda s: s.value_counts().iloc[0] / len(s))
    assert (purity == 1.0).all()


def test_types_are_named_by_their_profile():
    typology = fit_typology(_communes(), FEATURES)
    frame = _communes()
    shrinking_type = typology.assign(frame[frame.truth == "shrinking"].head(1))["type"].iloc[0]
    name = typology.names[shrinking_type]
    assert any(word in name.lower() for word in ("schrumpfend", "alternd", "abwanderung",
                                                 "älterer")), name
    assert len(set(typology.names)) == len(typology.names)


def test_new_commune_is_assigned_to_nearest_stored_type_after_round_trip():
    typology = fit_typology(_communes(), FEATURES)
    stored = Typology.from_dict(typology.to_dict())
    new = pd.DataFrame([dict(zip(FEATURES, CENTRES["growing"], strict=True), ags="neu")])
    original = typology.assign(new)
    restored = stored.assign(new)
    assert original["type"].iloc[0] == restored["type"].iloc[0]
    growing_members = typology.assign(_communes().query("truth == 'growing'"))["type"]
    assert (growing_members == original["type"].iloc[0]).all()


def test_too_few_communes_or_missing_features_raise_german_errors():
    with pytest.raises(DemographyError, match="mindestens vier"):
        fit_typology(_communes().head(3), FEATURES)
    typology = fit_typology(_communes(), FEATURES)
    with pytest.raises(DemographyError, match="fehlen"):
        typology.assign(pd.DataFrame({"medianalter": [45.0]}))


RATES = ["medianalter", "jugendquotient", "altenquotient", "geburten_je_1000",
         "sterbefaelle_je_1000", "wanderungssaldo_je_1000"]
TYPE_LEVELS = {   # growth % a year, then the yearly rates in RATES order
    "schrumpfend": [-0.8, 51.0, 28.0, 48.0, 6.5, 14.5, -4.0],
    "stabil": [0.0, 46.0, 31.0, 38.0, 8.0, 11.5, 1.0],
    "wachsend": [0.8, 42.0, 34.0, 30.0, 9.5, 9.0, 6.0],
}


def _yearly_indicators(seed=3, per_type=12, years=range(2011, 2024)):
    """Indicator rows per commune and year: stable type levels plus large yearly noise
    (single-year rates of small communes jump from year to year)."""
    rng = np.random.default_rng(seed)
    noise = np.array([0.3, 1.2, 3.0, 2.0, 2.5, 5.0])
    rows = []
    for kind, (growth, *levels) in TYPE_LEVELS.items():
        for i in range(per_type):
            own = np.array(levels) + rng.normal(0, noise / 3)
            population = 10_000.0
            for year in years:
                population *= 1 + (growth + rng.normal(0, 0.6)) / 100
                rates = own + rng.normal(0, noise)
                rows.append({"ags": f"{kind}{i:02d}", "truth": kind, "year": year,
                             "bevoelkerung": population, **dict(zip(RATES, rates, strict=True))})
    table = pd.DataFrame(rows)
    first = table.groupby("ags")["bevoelkerung"].transform("first")
    table["veraenderung_prozent"] = 100 * (table["bevoelkerung"] / first - 1)
    return table


def _latest(table, last_year):
    part = table[table["year"] <= last_year]
    return part.sort_values("year").groupby("ags").last().reset_index()


def test_fixed_period_means_keep_the_types_when_a_data_year_is_added():
    """Defect 8 of issue 14: single-year features changed types from one data year to the
    next (ARI 0.08–0.85). Means over a fixed period do not depend on the newest year."""
    from sklearn.metrics import adjusted_rand_score

    from zwk.demography.typology import period_features

    table = _yearly_indicators()
    single = [fit_typology(_latest(table, y), k=3, bootstrap=0).assignments.sort_values("ags")
              for y in (2022, 2023)]
    fixed = [fit_typology(period_features(table[table["year"] <= y], 2016, 2020), k=3,
                          bootstrap=0).assignments.sort_values("ags") for y in (2022, 2023)]
    ari_single = adjusted_rand_score(single[0]["type"], single[1]["type"])
    ari_fixed = adjusted_rand_score(fixed[0]["type"], fixed[1]["type"])
    assert ari_fixed == pytest.approx(1.0)
    assert ari_single < 0.9


def test_stability_is_reported_with_the_result():
    from zwk.demography.typology import period_features

    typology = fit_typology(period_features(_yearly_indicators(), 2016, 2020), k=3)
    assert 0.5 < typology.stability <= 1.0
    assert typology.assignments["stabilitaet"].between(0, 1).all()
    restored = Typology.from_dict(typology.to_dict())
    assert restored.stability == pytest.approx(typology.stability)


def test_near_duplicate_features_are_dropped():
    frame = _communes()
    frame["durchschnittsalter"] = frame["medianalter"] * 0.98 + 0.5
    typology = fit_typology(frame, FEATURES + ["durchschnittsalter"])
    assert "durchschnittsalter" in typology.dropped
    assert "durchschnittsalter" not in typology.features
