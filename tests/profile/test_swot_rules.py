"""SWOT rules on hand-made indicator tables: each fires at its threshold and not just before."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from zwk.profile import swot_rules as r

TOWN, KREIS, LAND = "05958004", "05958", "05"


def table(rows: dict[str, dict], years=(2022,)) -> pd.DataFrame:
    """One row per region and year; `rows` maps region key -> column values (same each year)."""
    names = {TOWN: "Arnsberg", KREIS: "Hochsauerlandkreis", LAND: "Nordrhein-Westfalen"}
    out = []
    for key, values in rows.items():
        for year in years:
            out.append({"ags": key, "name": names.get(key, key), "year": year, **values})
    return pd.DataFrame(out)


def keys(table_, key=TOWN, comparisons=(KREIS, LAND), projection=None):
    return {f.rule_key for f in r.evaluate(table_, key, comparisons, projection)}


@pytest.mark.parametrize("town, kreis, fires", [
    (45.0, 40.0, True),     # exactly 5 points above
    (44.9, 40.0, False),
    (60.0, 58.0, False),    # high, but not far above the comparison
])
def test_old_age_ratio_against_comparison(town, kreis, fires):
    found = keys(table({TOWN: {"altenquotient": town}, KREIS: {"altenquotient": kreis}}))
    assert ("altenquotient_hoch" in found) is fires


def test_old_age_ratio_uses_land_when_kreis_lacks_the_year():
    t = table({TOWN: {"altenquotient": 46.0}, KREIS: {"altenquotient": math.nan},
               LAND: {"altenquotient": 40.0}})
    [finding] = [f for f in r.evaluate(t, TOWN, (KREIS, LAND)) if f.rule_key == "altenquotient_hoch"]
    assert [row["label"] for row in finding.figures_json()["rows"]] == [
        "Altenquotient Arnsberg 2022", "Altenquotient Nordrhein-Westfalen 2022"]
    assert finding.quadrant == r.WEAKNESS
    assert "Gesundheit, Pflege & Leben im Alter" in finding.action_fields


@pytest.mark.parametrize("value, fires", [(45.0, True), (44.99, False)])
def test_old_age_ratio_without_comparison_uses_absolute_level(value, fires):
    found = keys(table({KREIS: {"altenquotient": value}}), key=KREIS, comparisons=(LAND,))
    assert ("altenquotient_hoch" in found) is fires


@pytest.mark.parametrize("town, kreis, fires", [(9.0, 8.0, True), (8.9, 8.0, False)])
def test_very_old_share(town, kreis, fires):
    found = keys(table({TOWN: {"anteil_80_plus": town}, KREIS: {"anteil_80_plus": kreis}}))
    assert ("hochaltrige_anteil_hoch" in found) is fires


@pytest.mark.parametrize("column, rule_key, at, beside", [
    ("bildungswanderung", "bildungswanderung_verlust", -40.0, -39.9),
    ("natuerlicher_saldo_je_1000", "natuerlicher_saldo_negativ", -4.0, -3.9),
    ("veraenderung_prozent", "bevoelkerung_rueckgang", -2.0, -1.99),
])
def test_loss_rules_fire_at_threshold_only(column, rule_key, at, beside):
    assert rule_key in keys(table({TOWN: {column: at}}))
    assert rule_key not in keys(table({TOWN: {column: beside}}))


@pytest.mark.parametrize("column, rule_key, at, beside", [
    ("familienwanderung", "familienwanderung_positiv", 5.0, 4.9),
    ("berufseinstiegswanderung", "berufseinstiegswanderung_positiv", 10.0, 9.9),
    ("wanderungssaldo_je_1000", "wanderungssaldo_positiv", 3.0, 2.9),
    ("veraenderung_prozent", "bevoelkerung_wachstum", 2.0, 1.99),
])
def test_gain_rules_fire_at_threshold_only(column, rule_key, at, beside):
    assert rule_key in keys(table({TOWN: {column: at}}))
    assert rule_key not in keys(table({TOWN: {column: beside}}))


def test_latest_known_year_is_used_and_nan_is_silent():
    t = pd.DataFrame([
        {"ags": TOWN, "name": "Arnsberg", "year": 2016, "bildungswanderung": -80.0},
        {"ags": TOWN, "name": "Arnsberg", "year": 2017, "bildungswanderung": -20.0},
        {"ags": TOWN, "name": "Arnsberg", "year": 2023, "bildungswanderung": math.nan},
    ])
    assert "bildungswanderung_verlust" not in keys(t)   # 2017 is the latest known: −20
    nan_only = table({TOWN: {"bildungswanderung": math.nan, "altenquotient": math.nan}})
    assert keys(nan_only) == set()


def test_missing_columns_regions_and_empty_tables_are_silent():
    assert keys(table({KREIS: {"altenquotient": 70.0}})) == set()   # commune not in the table
    assert r.evaluate(pd.DataFrame(), TOWN) == []
    assert keys(table({TOWN: {"irgendwas": 1.0}})) == set()


def test_population_decline_names_base_year_and_figures():
    t = table({TOWN: {"veraenderung_prozent": -3.25}}, years=(2011, 2023))
    [finding] = r.evaluate(t, TOWN)
    assert finding.rule_key == "bevoelkerung_rueckgang"
    assert finding.figures_json()["rows"][0] == {
        "label": "Veränderung der Bevölkerung 2011–2023", "value": -3.25, "text": "−3,3 %",
        "unit": "%", "digits": 1}


def projection(start_work: float, end_work: float, start_old=1000.0, end_old=1000.0,
               base=2023, key=TOWN) -> pd.DataFrame:
    rows = []
    for year, work, old in ((base, start_work, start_old), (base + 15, end_work, end_old),
                            (base + 20, end_work * 0.5, end_old)):
        rows += [{"ags": key, "year": year, "sex": "f", "age_from": 18, "age_to": 25.0,
                  "count": work / 2},
                 {"ags": key, "year": year, "sex": "f", "age_from": 25, "age_to": 65.0,
                  "count": work / 2},
                 {"ags": key, "year": year, "sex": "f", "age_from": 65, "age_to": math.inf,
                  "count": old}]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("end, fires", [(900.0, True), (901.0, False)])
def test_working_age_decline_within_fifteen_years(end, fires):
    t = table({TOWN: {"altenquotient": math.nan}})
    found = keys(t, projection=projection(1000.0, end, start_old=1e6, end_old=1e6))
    assert ("erwerbsalter_rueckgang" in found) is fires   # year +20 (−50 %) is not looked at


@pytest.mark.parametrize("end_total, fires", [(1900.0, True), (1901.0, False)])
def test_projected_total_decline(end_total, fires):
    t = table({TOWN: {"altenquotient": math.nan}})
    found = keys(t, projection=projection(1000.0, 1000.0, 1000.0, end_total - 1000.0))
    assert ("prognose_rueckgang" in found) is fires


def test_projection_of_another_region_or_missing_projection_is_silent():
    t = table({TOWN: {"altenquotient": math.nan}})
    assert keys(t, projection=projection(1000.0, 500.0, key=KREIS)) == set()
    assert keys(t, projection=None) == set()


def test_rule_keys_are_unique_and_fit_the_model():
    t = table({TOWN: {"altenquotient": 80.0, "anteil_80_plus": 20.0, "bildungswanderung": -90.0,
                      "familienwanderung": 20.0, "berufseinstiegswanderung": 20.0,
                      "natuerlicher_saldo_je_1000": -9.0, "wanderungssaldo_je_1000": 9.0,
                      "veraenderung_prozent": -9.0}})
    findings = r.evaluate(t, TOWN, (), projection(1000.0, 100.0))
    assert len({f.rule_key for f in findings}) == len(findings) == 10
    for finding in findings:
        assert len(finding.rule_key) <= 60 and len(finding.text) <= 300
        assert finding.quadrant in {r.STRENGTH, r.WEAKNESS, r.OPPORTUNITY, r.THREAT}
        assert finding.figures and finding.action_fields


def test_suggested_action_fields_exist_in_the_default_catalogue():
    from zwk.communes.models import DEFAULT_ACTION_FIELDS

    t = table({TOWN: {"altenquotient": 80.0, "anteil_80_plus": 20.0, "bildungswanderung": -90.0,
                      "familienwanderung": 20.0, "berufseinstiegswanderung": 20.0,
                      "natuerlicher_saldo_je_1000": -9.0, "wanderungssaldo_je_1000": 9.0,
                      "veraenderung_prozent": 9.0}})
    for finding in r.evaluate(t, TOWN, (), projection(1000.0, 100.0)):
        assert set(finding.action_fields) <= set(DEFAULT_ACTION_FIELDS), finding.rule_key
