"""Zwischenbilanz: progress log, indicator re-measurement, measure review, decisions,
continuation, revised version; permissions and bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import ROLES
from tests.plan.conftest import goal, measure
from zwk.plan import review, services
from zwk.plan.models import (
    IndicatorMeasurement,
    Measure,
    MeasureReview,
    PlanVersion,
    ProgressEntry,
    Review,
    ReviewDecision,
)

pytestmark = pytest.mark.django_db
IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
ADOPTERS = {"coordinator", "consultant", "programme_office", "superuser"}


def adopted_plan(commune):
    g = goal(commune, "Wohnen", indicator_key="altenquotient", baseline_value=Decimal("40"),
             baseline_year=2023, target_value=Decimal("36"))
    a = measure(commune, g, "Café", key="umsetzung")
    b = measure(commune, g, "Bus", key="abgeschlossen")
    services.plan_adopt(commune=commune, label="Beschluss", adopted_on=dt.date(2024, 1, 1),
                        by=None)
    c = measure(commune, g, "Neu dazu")
    return g, a, b, c


def test_target_share_pure():
    assert review.target_share(baseline=Decimal(40), target=Decimal(36), value=Decimal(38)) == 50.0
    assert review.target_share(baseline=None, target=Decimal(36), value=Decimal(38)) is None
    assert review.target_share(baseline=Decimal(1), target=Decimal(1), value=Decimal(1)) is None


def test_review_prefills_states_and_finishing_makes_revised_version(world):
    commune = world.commune
    g, a, b, c = adopted_plan(commune)
    r = review.review_create(commune=commune, title="Halbzeit", held_on=dt.date(2025, 6, 1),
                             by=None)
    states = dict(r.measure_reviews.values_list("measure__title", "state"))
    assert states == {"Café": "ongoing", "Bus": "done", "Neu dazu": "new"}
    review.measure_reviews_save(review=r, by=None, entries={
        a.pk: {"state": "delayed", "progress": "30", "barriers": "Kein Raum", "enablers": ""},
        b.pk: {"state": "done", "progress": "100"},
        c.pk: {"state": "stopped", "progress": "0"}})
    review.review_decision_add(review=r, text="Raum suchen", responsible="Bauamt", by=None)
    review.review_continuation_save(review=r, by=None, data={"has_structure": "1",
                                                             "continuation_notes": "Beirat"})
    version = review.review_finish(review=r, label="Fortschreibung", adopted_on=dt.date(2025, 7, 1),
                                   resolution="GR 7/25", by=None)
    assert version.number == 2 and Review.objects.get().revised_version == version
    a.refresh_from_db()
    c.refresh_from_db()
    assert (a.status.key, a.progress) == ("verzoegert", 30)
    assert a.progress_override == 30 and c.status.key == "gestoppt"
    from zwk.plan.diff import diff_plans
    v1 = PlanVersion.objects.get(number=1)
    changed = {i.title: {ch.field for ch in i.changes} for i in diff_plans(
        v1.snapshot, version.snapshot).changed}
    assert changed == {"Café": {"status", "progress"}}
    with pytest.raises(review.ReviewClosed):
        review.review_decision_add(review=r, text="später", by=None)
    assert ReviewDecision.objects.count() == 1


def test_measure_review_bad_input_writes_nothing(world):
    g, a, b, c = adopted_plan(world.commune)
    r = review.review_create(commune=world.commune, title="H", held_on=dt.date(2025, 1, 1),
                             by=None)
    with pytest.raises(ValidationError) as error:
        review.measure_reviews_save(review=r, by=None, entries={
            a.pk: {"state": "done", "progress": "100", "barriers": "gut"},
            b.pk: {"state": "vielleicht", "progress": "150"}})
    text = " ".join(error.value.messages)
    assert "„Bus“: Bitte wählen Sie einen Stand." in text
    assert "zwischen 0 und 100" in text
    assert MeasureReview.objects.get(measure=a).barriers == ""


def test_progress_log_and_indicator_measurement(world):
    g, a, b, c = adopted_plan(world.commune)
    review.progress_entry_add(measure=a, on=dt.date(2025, 2, 1), progress=20, note="Start",
                              by=None)
    with pytest.raises(ValidationError):
        review.progress_entry_add(measure=a, on=dt.date(2025, 2, 1), progress=None, note=" ",
                                  by=None)
    assert ProgressEntry.objects.count() == 1
    review.indicator_measurement_add(goal=g, value=Decimal("38"), measured_on=dt.date(2025, 1, 1),
                                     source="IT.NRW", by=None)
    no_indicator = goal(world.commune, "ohne")
    with pytest.raises(services.PlanError):
        review.indicator_measurement_add(goal=no_indicator, value=Decimal(1),
                                         measured_on=dt.date(2025, 1, 1), source="", by=None)
    r = review.review_create(commune=world.commune, title="H", held_on=dt.date(2025, 1, 1),
                             by=None)
    page = review.review_page(r)
    assert page["indicators"][0]["share"] == 50.0


@pytest.mark.parametrize("role", ROLES)
def test_review_permissions(world, login, role):
    g, a, b, c = adopted_plan(world.commune)
    r = review.review_create(commune=world.commune, title="H", held_on=dt.date(2025, 1, 1),
                             by=None)
    client = login(world, role)
    base = {"pk": world.commune.pk, "review_pk": r.pk}
    view = client.get(reverse("plan_review", kwargs=base))
    save = client.post(reverse("plan_review_action", kwargs={**base, "action": "beschluesse"}),
                       {"text": "Raum suchen"})
    finish = client.post(reverse("plan_review_action", kwargs={**base, "action": "fortschreibung"}),
                         {"label": "F", "adopted_on": "2025-02-01"})
    log = client.post(reverse("plan_progress_log", kwargs={"pk": world.commune.pk,
                                                           "measure_pk": a.pk}),
                      {"date": "2025-01-05", "progress": "10"})
    if role == "anonymous":
        assert {view.status_code, save.status_code, finish.status_code} == {302}
    else:
        assert view.status_code == (200 if role in IN_COMMUNE else 404)
        assert save.status_code == (302 if role in IN_COMMUNE else 404)
        assert finish.status_code == (302 if role in ADOPTERS
                                      else 403 if role in IN_COMMUNE else 404)
        assert log.status_code == (302 if role in IN_COMMUNE else 404)
    assert ReviewDecision.objects.exists() == (role in IN_COMMUNE)
    assert PlanVersion.objects.filter(number=2).exists() == (role in ADOPTERS)
    assert ProgressEntry.objects.exists() == (role in IN_COMMUNE)


def test_review_of_other_commune_is_404(world, login):
    adopted_plan(world.other_commune)
    r = review.review_create(commune=world.other_commune, title="H",
                             held_on=dt.date(2025, 1, 1), by=None)
    client = login(world, "coordinator")
    assert client.get(reverse("plan_review", kwargs={"pk": world.commune.pk,
                                                     "review_pk": r.pk})).status_code == 404


def test_review_views_flow_and_escaping(world, login):
    g, a, b, c = adopted_plan(world.commune)
    Measure.objects.filter(pk=a.pk).update(title="<script>x</script>")
    client = login(world, "coordinator")
    response = client.post(reverse("plan_reviews", args=[world.commune.pk]),
                           {"title": "Halbzeit", "held_on": "2025-06-01"})
    r = Review.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("plan_review", args=[world.commune.pk, r.pk])).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    bad = client.post(reverse("plan_review_action", args=[world.commune.pk, r.pk, "massnahmen"]),
                      {f"state-{a.pk}": "done", f"progress-{a.pk}": "viel"})
    assert bad.status_code == 400 and "zwischen 0 und 100" in bad.content.decode()
    assert client.post(reverse("plan_reviews", args=[world.commune.pk]),
                       {"title": "x", "held_on": "gestern"}).status_code == 400
    m = client.post(reverse("plan_indicator_measure", args=[world.commune.pk, g.pk]),
                    {"value": "38,5", "measured_on": "2025-01-01", "source": "Amt"})
    assert m.status_code == 302 and IndicatorMeasurement.objects.get().value == Decimal("38.5")
    client.post(reverse("plan_indicator_measure", args=[world.commune.pk, g.pk]),
                {"value": "abc", "measured_on": "2025-01-01"})
    assert IndicatorMeasurement.objects.count() == 1
