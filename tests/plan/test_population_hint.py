"""The Zwischenbilanz's population hint tells the case at hand (issue 11, item 7): no version
adopted yet; a version adopted while the profile held no population data; a version adopted
with data. It never claims "no data at adoption" when no version was adopted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.plan.conftest import goal, measure
from tests.plan.test_monitoring import pdf_text, profiled  # noqa: F401  (fixture)
from zwk.plan import baseline, monitoring, pdf, review, services
from zwk.plan.models import PlanVersion

pytestmark = pytest.mark.django_db
D = dt.date
NO_DATA_AT_ADOPTION = "waren im Kommunalprofil keine Bevölkerungsdaten geladen"


def adopt(commune, label="Beschluss Rat"):
    measure(commune, goal(commune), "Café")
    return services.plan_adopt(commune=commune, label=label, adopted_on=D(2024, 3, 1), by=None)


def test_no_version_adopted_while_data_is_loaded(profiled):  # noqa: F811
    check = monitoring.population_check(profiled)
    assert check["sentence"] == "" and check["chart"] is None
    hint = check["hint"]
    assert "Es ist noch keine Fassung des Werkstattplans beschlossen." in hint
    assert "Bevölkerungsdaten für 2011 bis 2023 geladen" in hint
    assert NO_DATA_AT_ADOPTION not in hint and "als die erste Fassung" not in hint


def test_no_version_adopted_and_no_data(world):
    hint = monitoring.population_check(world.commune)["hint"]
    assert "Es ist noch keine Fassung des Werkstattplans beschlossen." in hint
    assert "noch keine Bevölkerungsdaten geladen" in hint
    assert "Laden Sie diese vor dem Beschluss im Kommunalprofil." in hint
    assert NO_DATA_AT_ADOPTION not in hint


def test_adopted_without_data_then_data_loaded(world, media):
    version = adopt(world.commune)
    assert version.snapshot[baseline.SNAPSHOT_KEY] is None
    assert version.snapshot[baseline.DATA_YEARS_KEY] == []
    hint = monitoring.population_check(world.commune)["hint"]
    assert ("Als die Fassung „Beschluss Rat“ am 01.03.2024 beschlossen wurde, waren im "
            "Kommunalprofil keine Bevölkerungsdaten geladen") in hint
    assert "Laden Sie Daten im Kommunalprofil und beschließen Sie danach eine neue Fassung" in hint
    # data loaded afterwards: the hint says so and points to a Fortschreibung
    from tests.factories import make_commune
    from zwk.profile import data

    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    type(world.commune).objects.filter(pk=world.commune.pk).update(ags="05958004", parent=kreis)
    world.commune.refresh_from_db()
    data.demo_data_load(programme=world.programme, by=None)
    hint = monitoring.population_check(world.commune)["hint"]
    assert NO_DATA_AT_ADOPTION in hint
    assert "Im Kommunalprofil sind Bevölkerungsdaten für 2011 bis 2023 geladen." in hint
    assert "Beschließen Sie eine neue Fassung (Fortschreibung)" in hint


def test_adopted_with_data_compares_and_records_the_years(profiled):  # noqa: F811
    version = adopt(profiled)
    assert version.snapshot[baseline.DATA_YEARS_KEY][0] == 2011
    assert version.snapshot[baseline.DATA_YEARS_KEY][-1] == 2023
    check = monitoring.population_check(profiled)
    assert check["chart"] is not None and check["base_year"] == 2023
    assert "keine Fassung" not in check["hint"] and NO_DATA_AT_ADOPTION not in check["hint"]


def test_adopted_with_data_whose_projection_failed(profiled):  # noqa: F811
    """A version that stored data years but no projection (the projection failed then)."""
    version = adopt(profiled)
    snapshot = {**version.snapshot, baseline.SNAPSHOT_KEY: None}
    PlanVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    hint = monitoring.population_check(profiled)["hint"]
    assert "lagen Bevölkerungsdaten für 2011 bis 2023 vor, aber die Vorausberechnung" in hint
    assert NO_DATA_AT_ADOPTION not in hint


def test_review_page_and_pdf_tell_the_no_version_case(profiled, world, login):  # noqa: F811
    r = review.review_create(commune=profiled, title="Halbzeit", held_on=D(2025, 6, 1), by=None)
    html = login(world, "coordinator").get(
        reverse("plan_review", args=[profiled.pk, r.pk])).content.decode()
    assert "Es ist noch keine Fassung des Werkstattplans beschlossen." in html
    assert NO_DATA_AT_ADOPTION not in html
    text = " ".join(pdf_text(pdf.review_pdf(r)).split())
    assert "noch keine Fassung des Werkstattplans beschlossen" in text
    assert NO_DATA_AT_ADOPTION not in text
