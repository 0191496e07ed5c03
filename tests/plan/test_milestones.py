"""Planned milestones of a measure: plan, reach (a progress entry records it), remove while open;
shown as planned/overdue on the timeline and compared between plan versions; every role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.plan.conftest import goal, measure
from zwk.charts.timeline import measures_timeline
from zwk.history.models import HistoryEvent
from zwk.plan import diff, milestones, monitoring, selectors
from zwk.plan.models import Milestone, ProgressEntry

pytestmark = pytest.mark.django_db
D = dt.date
IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}


@pytest.fixture
def bus(world):
    return measure(world.commune, goal(world.commune, "Mobil bleiben"), "Bürgerbus",
                   start=D(2025, 1, 1), end=D(2027, 12, 31))


def test_reaching_a_milestone_logs_the_entry_and_sets_progress(world, bus):
    planned = milestones.milestone_add(measure=bus, title="  Fahrzeug   beschafft ",
                                       due=D(2025, 6, 30), by=None)
    assert planned.title == "Fahrzeug beschafft"
    reached = milestones.milestone_reach(milestone=planned, on=D(2025, 7, 3), progress=40,
                                         by=None)
    entry = reached.reached
    assert (entry.date, entry.progress, entry.note) == (
        D(2025, 7, 3), 40, "Meilenstein erreicht: Fahrzeug beschafft")
    bus.refresh_from_db()
    assert bus.progress == 40
    assert monitoring.planned_of(bus) == []
    verbs = list(HistoryEvent.objects.filter(commune=world.commune)
                 .values_list("verb", flat=True))
    assert {"plan.milestone_planned", "plan.progress_logged",
            "plan.milestone_reached"} <= set(verbs)


def test_bad_milestone_input_is_refused_and_nothing_half_written(bus):
    with pytest.raises(ValidationError, match="Namen"):
        milestones.milestone_add(measure=bus, title="   ", due=D(2026, 1, 1), by=None)
    planned = milestones.milestone_add(measure=bus, title="Fahrplan", due=D(2026, 1, 1),
                                       by=None)
    future = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ValidationError, match="Zukunft"):
        milestones.milestone_reach(milestone=planned, on=future, progress=10, by=None)
    planned.refresh_from_db()
    assert planned.reached is None and not ProgressEntry.objects.exists()
    milestones.milestone_reach(milestone=planned, on=D(2025, 12, 1), progress=None, by=None)
    with pytest.raises(ValidationError, match="bereits als erreicht"):
        milestones.milestone_reach(milestone=planned, on=D(2025, 12, 2), progress=None, by=None)
    with pytest.raises(ValidationError, match="nicht gelöscht"):
        milestones.milestone_delete(milestone=Milestone.objects.get(pk=planned.pk), by=None)
    assert ProgressEntry.objects.count() == 1


def test_open_milestones_are_planned_or_overdue_on_the_timeline(world, bus):
    milestones.milestone_add(measure=bus, title="Ausschreibung", due=D(2020, 3, 1), by=None)
    milestones.milestone_add(measure=bus, title="Erste Fahrt", due=D(2099, 5, 1), by=None)
    rows, points = monitoring.timeline_rows(world.commune)
    chart = measures_timeline(rows, milestones=points, today=dt.date.today())
    cell = chart.table.rows[0][5]
    assert "Ausschreibung (geplant bis 01.03.2020, überfällig)" in cell
    assert "Erste Fahrt (geplant bis 01.05.2099)" in cell
    assert "davon 2 geplant (1 überfällig)" in chart.description
    assert "leer: geplant" in chart.spec["title"]["subtitle"]
    assert [p.overdue for p in monitoring.planned_of(bus)] == [True, False]


def test_versions_compare_milestones_and_old_snapshots_do_not_differ(world, bus):
    before = selectors.plan_snapshot(world.commune)
    assert diff.diff_plans({**before, "measures": [
        {k: v for k, v in m.items() if k != "milestones"} for m in before["measures"]]},
        before).is_empty  # a version saved before milestones existed
    milestones.milestone_add(measure=bus, title="Fahrzeug", due=D(2026, 6, 30), by=None)
    changed = diff.diff_plans(before, selectors.plan_snapshot(world.commune)).changed
    assert [(c.label, c.new) for c in changed[0].changes] == [
        ("Meilensteine", ["Fahrzeug (bis 30.06.2026)"])]


def test_milestones_on_the_measure_page_and_through_the_views(world, login, bus):
    client = login(world, "team_member")
    page = reverse("plan_measure_edit", args=[world.commune.pk, bus.pk])
    add = reverse("plan_milestone_add", args=[world.commune.pk, bus.pk])
    response = client.post(add, {"title": "Haltestellen", "due": "kein Datum"})
    assert response.status_code == 302 and not Milestone.objects.exists()
    assert "Bitte geben Sie ein gültiges Datum ein." in client.get(page).content.decode()
    client.post(add, {"title": "Haltestellen", "due": "2020-01-31"})
    html = client.get(page).content.decode()
    assert "Haltestellen</strong> – geplant bis 31.01.2020" in html and "überfällig" in html
    item = Milestone.objects.get()
    reach = reverse("plan_milestone", args=[world.commune.pk, bus.pk, item.pk, "erreicht"])
    client.post(reach, {"date": "2025-02-01", "progress": "viel"})
    assert Milestone.objects.get().reached is None
    client.post(reach, {"date": "2025-02-01", "progress": "30"})
    html = client.get(page).content.decode()
    assert "Meilenstein erreicht: Haltestellen" in html and "Keine offenen Meilensteine" in html
    bogus = reverse("plan_milestone", args=[world.commune.pk, bus.pk, item.pk, "verschieben"])
    assert client.post(bogus).status_code == 404


def _prepared(w):
    w.measure = measure(w.commune, goal(w.commune), "Bus", start=D(2025, 1, 1))
    w.milestone = milestones.milestone_add(measure=w.measure, title="Alt", due=D(2025, 3, 1),
                                           by=None)


def _url(w, name, **kw):
    return reverse(name, kwargs={"pk": w.commune.pk, "measure_pk": w.measure.pk, **kw})


CASES = [
    Case("plan milestone", IN_COMMUNE, "post", lambda w: _url(w, "plan_milestone_add"),
         lambda w: {"title": "Neu", "due": "2026-01-01"},
         lambda w: Milestone.objects.filter(title="Neu").exists(), prepare=_prepared),
    Case("reach milestone", IN_COMMUNE, "post",
         lambda w: _url(w, "plan_milestone", milestone_pk=w.milestone.pk, action="erreicht"),
         lambda w: {"date": "2025-03-02"},
         lambda w: Milestone.objects.get(pk=w.milestone.pk).reached is not None,
         prepare=_prepared),
    Case("remove milestone", IN_COMMUNE, "post",
         lambda w: _url(w, "plan_milestone", milestone_pk=w.milestone.pk, action="entfernen"),
         effect=lambda w: not Milestone.objects.filter(pk=w.milestone.pk).exists(),
         prepare=_prepared),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_milestone_permissions(world, login, role, case):
    assert_case(case, role, world, request_case(case, role, world, login))
