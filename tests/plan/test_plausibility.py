"""Implausible plan values are refused with German messages (form, service and import alike),
and whatever the goal and measure forms accept survives the export → import round trip
unchanged (property test over the forms' fields)."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.plan.conftest import goal, status
from tests.plan.test_import_roundtrip import table_of, to_csv
from zwk.plan import exports, services
from zwk.plan.exports import ImportRejected
from zwk.plan.forms import GoalForm, MeasureForm
from zwk.plan.models import Goal, Measure

pytestmark = pytest.mark.django_db


def test_baseline_year_1_is_refused_by_the_form_and_the_service(world):
    commune = world.commune
    form = GoalForm({"action_field": commune.action_fields.first().pk, "title": "Ziel",
                     "weight": "1", "baseline_year": "1"}, commune=commune)
    assert form.is_valid()          # the field itself takes any small positive number ...
    with pytest.raises(ValidationError) as error:   # ... the service checks plausibility
        services.goal_create(commune=commune, by=None, data=form.cleaned_data)
    assert error.value.message_dict["baseline_year"] == [
        "Bitte geben Sie ein Jahr zwischen 1900 und 2200 an."]
    assert not Goal.objects.exists()


def test_goal_form_page_shows_the_plausibility_message(world, login):
    client = login(world, "coordinator")
    response = client.post(f"/kommunen/{world.commune.pk}/werkstattplan/ziele/neu/", {
        "action_field": world.commune.action_fields.first().pk, "title": "Ziel",
        "weight": "1", "baseline_year": "1", "target_date": "2999-12-31"})
    assert response.status_code == 400
    assert "Bitte geben Sie ein Jahr zwischen 1900 und 2200 an." in response.content.decode()


def test_measure_dates_far_out_are_refused(world):
    target = goal(world.commune)
    with pytest.raises(ValidationError) as error:
        services.measure_create(commune=world.commune, by=None, data={
            "goal": target, "title": "M", "status": status(world.commune),
            "start": dt.date(1, 1, 1), "end": dt.date(9999, 12, 31)})
    assert set(error.value.message_dict) == {"start", "end"}


def test_import_names_row_and_field_of_implausible_values(world):
    target = goal(world.commune, "Ziel")
    table = table_of(exports.plan_csv(world.commune))
    header = table[0]
    table[1][header.index("Jahr des Ausgangswerts")] = "1"
    table[1][header.index("Zieldatum")] = "31.12.2999"
    with pytest.raises(ImportRejected) as rejected:
        services.plan_import(commune=world.commune, name="p.csv", content=to_csv(table),
                             by=None)
    text = "\n".join(rejected.value.errors)
    assert ("Zeile 2, Spalte „Jahr des Ausgangswerts“: „1“ ist kein plausibles Jahr "
            "(erwartet: 1900 bis 2200).") in text
    assert "Zeile 2, Spalte „Zieldatum“: „31.12.2999“ liegt nicht zwischen 1900 und 2200." in text
    assert Goal.objects.get().title == target.title


# --- property: what the forms accept comes back unchanged ------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
MULTILINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    max_size=80)
DATES = st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))


def decimals(places: int, digits: int):
    return st.one_of(st.none(), st.decimals(0, Decimal(10) ** (digits - places) - 1,
                                            places=places, allow_nan=False,
                                            allow_infinity=False))


EMPTY_GOAL = {"title": "Ziel", "description": "", "weight": Decimal("1"), "indicator_name": "",
              "indicator_unit": "", "indicator_source": "", "baseline_value": None,
              "baseline_year": None, "target_value": None, "target_date": None}
EMPTY_MEASURE = {"title": "M", "description": "", "target_groups": "", "lead": "",
                 "partners": "", "start": None, "end": None, "budget": None,
                 "funding_source": "", "progress_override": None, "priority": "mittel",
                 "weight": Decimal("1")}


def plain(value) -> str:
    return "" if value is None else str(value)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(g=st.fixed_dictionaries({
    "title": LINE, "description": MULTILINE, "weight": decimals(2, 6),
    "indicator_name": TEXT, "indicator_unit": st.text(max_size=40), "indicator_source": TEXT,
    "baseline_value": decimals(3, 14), "baseline_year": st.one_of(
        st.none(), st.integers(0, 40000), st.sampled_from([1, 999, 1899, 1900, 2200, 2201])),
    "target_value": decimals(3, 14), "target_date": DATES}),
    m=st.fixed_dictionaries({
        "title": LINE, "description": MULTILINE, "target_groups": TEXT, "lead": TEXT,
        "partners": TEXT, "start": DATES, "end": DATES, "budget": decimals(2, 14),
        "funding_source": TEXT, "progress_override": st.one_of(st.none(), st.integers(0, 100)),
        "priority": st.sampled_from(["hoch", "mittel", "niedrig"]), "weight": decimals(2, 6)}),
    fmt=st.sampled_from(["csv", "xlsx"]))
@example(g={**EMPTY_GOAL, "baseline_year": 1}, m=EMPTY_MEASURE, fmt="csv")   # issue 12
@example(g={**EMPTY_GOAL, "description": "a\x08b"}, m=EMPTY_MEASURE, fmt="xlsx")
def test_what_the_forms_accept_survives_export_and_import(world, g, m, fmt):
    commune = world.commune
    Measure.objects.filter(commune=commune).delete()
    Goal.objects.filter(commune=commune).delete()
    goal_form = GoalForm({**{k: plain(v) for k, v in g.items()},
                          "action_field": commune.action_fields.first().pk}, commune=commune)
    if not goal_form.is_valid():
        return
    data = dict(goal_form.cleaned_data)
    data.pop("version", None)
    swot = data.pop("swot_items", ())
    try:
        saved_goal = services.goal_create(commune=commune, by=None, data=data, swot_items=swot)
    except ValidationError:
        return                       # refused with a message: nothing to round-trip
    measure_form = MeasureForm({**{k: plain(v) for k, v in m.items()}, "goal": saved_goal.pk,
                                "status": status(commune).pk}, commune=commune)
    if measure_form.is_valid():
        data = dict(measure_form.cleaned_data)
        data.pop("version", None)
        links = {k: data.pop(k) for k in ("dependencies", "cards", "swot_items",
                                          "inventory_entries") if k in data}
        with contextlib.suppress(ValidationError):
            services.measure_create(commune=commune, by=None, data=data, links=links)
    content = exports.plan_csv(commune) if fmt == "csv" else exports.plan_xlsx(commune)
    result = services.plan_import(commune=commune, name=f"plan.{fmt}", content=content,
                                  by=None, dry_run=True)
    assert result.updated == [] and result.created_goals == result.created_measures == 0
