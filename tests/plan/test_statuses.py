"""Per-programme statuses of measures: the office's page, services, permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.plan.conftest import goal, measure, status
from zwk.history.models import HistoryEvent
from zwk.plan import selectors, services
from zwk.plan.models import MeasureStatus

pytestmark = pytest.mark.django_db
OFFICE = {"programme_office", "superuser"}


def statuses_url(w, *args, name="plan_statuses"):
    return reverse(name, args=[w.programme.slug, *args])


def names(programme) -> list[str]:
    return [s.name for s in MeasureStatus.objects.filter(programme=programme)
            .order_by("position", "pk")]


def test_create_rename_change_progress_and_rollup_follows(world):
    c, office = world.commune, world.user("programme_office")
    g = goal(c, "Ziel")
    m = measure(c, g, key="umsetzung")
    own = measure(c, g, key="umsetzung", progress_override=80)
    new = services.status_create(programme=world.programme, name="in Prüfung",
                                 default_progress=5, chart_key="geplant", by=office)
    assert new.key == "in-prufung" and names(world.programme)[-1] == "in Prüfung"
    umsetzung = status(c, "umsetzung")
    services.status_update(status=umsetzung, name="läuft", default_progress=60,
                           chart_key="laufend", by=office)
    m.refresh_from_db()
    own.refresh_from_db()
    assert m.status.name == "läuft" and m.progress == 60 and own.progress == 80
    block = next(b for b in selectors.plan_outline(c) if b.rows)
    assert block.rows[0].progress == pytest.approx(70)        # (60 + 80) / 2
    event = HistoryEvent.objects.get(verb="plan.status_updated")
    assert event.data["changes"]["default_progress"] == [50, 60]
    assert event.data["measures_following"] == 1


@pytest.mark.parametrize("name, progress, field", [
    ("", 10, "name"), ("geplant", 10, "name"), ("GEPLANT", 10, "name"), ("x" * 61, 5, "name"),
    ("neu", 101, "default_progress"), ("neu", -1, "default_progress")])
def test_invalid_status_is_rejected_and_nothing_written(world, name, progress, field):
    services.statuses_ensure(programme=world.programme)
    before = names(world.programme)
    with pytest.raises(ValidationError) as error:
        services.status_create(programme=world.programme, name=name, default_progress=progress,
                               by=None)
    assert field in error.value.message_dict
    assert names(world.programme) == before


def test_status_in_use_cannot_be_deleted_but_retired(world):
    c = world.commune
    m = measure(c, goal(c), key="gestoppt")
    stopped = status(c, "gestoppt")
    with pytest.raises(services.PlanError, match="wird von 1 Maßnahmen verwendet"):
        services.status_delete(status=stopped, by=None)
    services.status_set_active(status=stopped, active=False, by=None)
    m.refresh_from_db()
    assert m.status == stopped                                          # stays valid
    services.measure_update(measure=m, data={"title": "umbenannt", "goal": m.goal,
                                             "status": stopped}, expected_version=m.version,
                            by=None)                                    # may keep it
    with pytest.raises(ValidationError, match="wird nicht mehr vergeben"):
        measure(c, m.goal, key="gestoppt")                              # not for new ones
    unused = services.status_create(programme=world.programme, name="Probe",
                                    default_progress=0, by=None)
    services.status_delete(status=unused, by=None)
    assert not MeasureStatus.objects.filter(pk=unused.pk).exists()


def test_last_offered_status_cannot_be_retired(world):
    statuses = services.statuses_ensure(programme=world.programme)
    for s in statuses[1:]:
        services.status_set_active(status=s, active=False, by=None)
    with pytest.raises(services.PlanError, match="Mindestens ein Status"):
        services.status_set_active(status=statuses[0], active=False, by=None)


def test_retired_status_is_not_offered_on_a_new_measure_but_kept_on_its_measure(world, login):
    c = world.commune
    m = measure(c, goal(c), key="gestoppt")
    services.status_set_active(status=status(c, "gestoppt"), active=False, by=None)
    client = login(world, "team_member")
    new_page = client.get(reverse("plan_measure_create", args=[c.pk])).content.decode()
    edit_page = client.get(reverse("plan_measure_edit", args=[c.pk, m.pk])).content.decode()
    assert ">gestoppt</option>" not in new_page and ">geplant</option>" in new_page
    assert ">gestoppt</option>" in edit_page


def test_reorder(world, login):
    services.statuses_ensure(programme=world.programme)
    client = login(world, "programme_office")
    second = MeasureStatus.objects.get(programme=world.programme, key="vorbereitung")
    client.post(statuses_url(world, second.pk, "hoch", name="plan_status_action"))
    assert names(world.programme)[:2] == ["in Vorbereitung", "geplant"]
    assert HistoryEvent.objects.filter(verb="plan.status_moved").count() == 1


def test_page_says_what_a_change_does_and_rejects_bad_input(world, login):
    client = login(world, "programme_office")
    page = client.get(statuses_url(world)).content.decode()
    assert "ändert sich sofort der Fortschritt aller Maßnahmen" in page
    response = client.post(statuses_url(world), {"name": "Test", "default_progress": "150",
                                                 "chart_key": "laufend"})
    assert response.status_code == 400
    assert "Der Fortschritt muss zwischen 0 und 100 liegen." in response.content.decode()
    assert "Test" not in names(world.programme)
    response = client.post(statuses_url(world), {"name": "geplant", "default_progress": "3",
                                                 "chart_key": "laufend"})
    assert response.status_code == 400 and "gibt es in diesem Programm schon" in \
        response.content.decode()


def test_portfolio_links_the_page_for_the_office_only(world, login):
    page = login(world, "programme_office").get(
        reverse("portfolio", args=[world.programme.slug])).content.decode()
    assert statuses_url(world) in page


def _status(w, key="geplant"):
    return MeasureStatus.objects.get(programme=w.programme, key=key)


def _prepare(w):
    services.statuses_ensure(programme=w.programme)


CASES = [
    Case("list", OFFICE, "get", statuses_url, prepare=_prepare),
    Case("create", OFFICE, "post", statuses_url, prepare=_prepare,
         data=lambda w: {"name": "Neu", "default_progress": "20", "chart_key": "laufend"},
         effect=lambda w: MeasureStatus.objects.filter(programme=w.programme,
                                                       name="Neu").exists()),
    Case("edit", OFFICE, "post",
         lambda w: statuses_url(w, _status(w).pk, name="plan_status_edit"), prepare=_prepare,
         data=lambda w: {"name": "geplant", "default_progress": "7", "chart_key": "geplant"},
         effect=lambda w: _status(w).default_progress == 7),
    Case("retire", OFFICE, "post",
         lambda w: statuses_url(w, _status(w).pk, "zurueckziehen", name="plan_status_action"),
         prepare=_prepare, effect=lambda w: not _status(w).is_active),
    Case("delete", OFFICE, "post",
         lambda w: statuses_url(w, _status(w).pk, "loeschen", name="plan_status_action"),
         prepare=_prepare,
         effect=lambda w: not MeasureStatus.objects.filter(programme=w.programme,
                                                           key="geplant").exists()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_permissions(world, login, case, role):
    assert_case(case, role, world, request_case(case, role, world, login))
