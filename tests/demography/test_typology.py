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
    assert any(word in name for word in ("schrumpfend", "alternd", "Abwanderung",
                                         "Älterer")), name
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
