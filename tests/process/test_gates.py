import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import ProgrammeFactory, UserFactory, add_member, make_commune, make_office
from zwk.history.models import HistoryEvent
from zwk.process import services
from zwk.process.models import Stage
from zwk.process.selectors import stage_missing_items, stage_signal
from zwk.process.stages import STAGE_TYPES
from zwk.profile.services import profile_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    programme = ProgrammeFactory()
    commune = make_commune(programme)
    coordinator = UserFactory()
    add_member(commune, coordinator, "coordinator")
    return commune, coordinator, make_office(programme)


def kickoff(commune):
    return commune.stages.get(key="kickoff")


def fulfil(stage, by):
    services.meeting_record(stage=stage, by=by, data=services.MeetingData(
        title="Auftakt", date=dt.date(2024, 3, 1), minutes="Protokoll"))
    for item in STAGE_TYPES[stage.key].checklist:
        if item.required and item.derived is None:
            services.checklist_tick(stage=stage, item_key=item.key, done=True, by=by)


def test_gate_blocks_completion_while_required_items_are_missing(setting):
    commune, coordinator, _ = setting
    stage = kickoff(commune)
    services.checklist_tick(stage=stage, item_key="leadership_attended", done=True, by=coordinator)
    with pytest.raises(services.StageGateError) as error:
        services.stage_complete(stage=stage, by=coordinator)
    assert "Die Steuerungsgruppe ist benannt" in str(error.value)
    assert "Die Verwaltungsspitze hat teilgenommen" not in error.value.missing
    assert "Auftaktveranstaltung ist mit Protokoll dokumentiert" in error.value.missing
    stage.refresh_from_db()
    assert stage.status == Stage.Status.ACTIVE
    assert not HistoryEvent.objects.filter(verb__startswith="stage.completed").exists()


def test_optional_items_do_not_block(setting):
    commune, coordinator, _ = setting
    stage = kickoff(commune)
    fulfil(stage, coordinator)
    assert stage_missing_items(stage=stage) == []
    services.stage_complete(stage=stage, by=coordinator)
    stage.refresh_from_db()
    assert stage.status == Stage.Status.DONE and stage.completed_by == coordinator
    event = HistoryEvent.objects.get(verb="stage.completed")
    assert event.data == {"stage": "kickoff", "missing": [], "override_reason": ""}


def test_derived_item_follows_the_minutes_not_a_tick(setting):
    commune, coordinator, _ = setting
    stage = kickoff(commune)
    with pytest.raises(services.ProcessError, match="nicht von Hand"):
        services.checklist_tick(stage=stage, item_key="kickoff_held", done=True, by=coordinator)
    services.meeting_record(stage=stage, by=coordinator, data=services.MeetingData(
        title="Auftakt ohne Protokoll", date=dt.date(2024, 3, 1)))
    assert any("Protokoll" in m for m in stage_missing_items(stage=stage))
    services.meeting_record(stage=stage, by=coordinator, data=services.MeetingData(
        title="Auftakt", date=dt.date(2024, 3, 2), minutes="Wir haben begonnen."))
    assert not any("Protokoll" in m for m in stage_missing_items(stage=stage))


def test_a_later_stage_waits_for_the_earlier_ones(setting):
    commune, coordinator, _ = setting
    profile = commune.stages.get(key="profile")
    for item in profile.type.checklist:
        if item.derived is None:
            services.checklist_tick(stage=profile, item_key=item.key, done=True, by=coordinator)
    profile_approve(commune=commune, by=coordinator)
    with pytest.raises(services.StageGateError) as error:
        services.stage_complete(stage=profile, by=coordinator)
    assert error.value.missing == ["Der vorherige Schritt „Kick-Off“ ist abgeschlossen"]


def test_override_needs_a_reason(setting):
    commune, _, office = setting
    with pytest.raises(services.StageGateError):
        services.stage_complete(stage=kickoff(commune), by=office, override_reason="   ")


def test_override_is_only_for_the_programme_office(setting):
    commune, coordinator, _ = setting
    with pytest.raises(PermissionDenied):
        services.stage_complete(stage=kickoff(commune), by=coordinator,
                                override_reason="Wir wollen weiter.")
    assert kickoff(commune).status == Stage.Status.OPEN


def test_override_by_programme_office_is_recorded_with_what_was_missing(setting):
    commune, _, office = setting
    stage = services.stage_complete(stage=kickoff(commune), by=office,
                                    override_reason="Auftakt fand als Ratssitzung statt.")
    assert stage.status == Stage.Status.DONE
    assert stage.override_reason == "Auftakt fand als Ratssitzung statt."
    event = HistoryEvent.objects.get(verb="stage.completed_with_override")
    assert event.actor == office and len(event.data["missing"]) == 4
    assert event.data["override_reason"] == "Auftakt fand als Ratssitzung statt."


def test_forbidden_transitions(setting):
    commune, coordinator, _ = setting
    stage = kickoff(commune)
    with pytest.raises(services.ProcessError, match="nicht abgeschlossen"):
        services.stage_reopen(stage=stage, by=coordinator)
    fulfil(stage, coordinator)
    services.stage_complete(stage=stage, by=coordinator)
    with pytest.raises(services.ProcessError, match="bereits abgeschlossen"):
        services.stage_complete(stage=stage, by=coordinator)
    with pytest.raises(services.ProcessError, match="wieder"):
        services.checklist_tick(stage=stage, item_key="themes_collected", done=True,
                                by=coordinator)
    with pytest.raises(services.ProcessError, match="Öffnen Sie ihn wieder"):
        services.meeting_record(stage=stage, by=coordinator, data=services.MeetingData(
            title="Zu spät", date=dt.date(2024, 4, 1)))
    with pytest.raises(services.ProcessError, match="nicht blockiert"):
        services.stage_unblock(stage=stage, by=coordinator)


def test_reopen_keeps_the_ticks_and_records_why(setting):
    commune, coordinator, _ = setting
    stage = kickoff(commune)
    fulfil(stage, coordinator)
    services.stage_complete(stage=stage, by=coordinator)
    stage = services.stage_reopen(stage=stage, by=coordinator, reason="Zweiter Auftakt im Ortsteil")
    assert (stage.status, stage.completed_at) == (Stage.Status.ACTIVE, None)
    assert stage_missing_items(stage=stage) == []
    assert HistoryEvent.objects.get(verb="stage.reopened").data["reason"] == \
        "Zweiter Auftakt im Ortsteil"


def test_first_work_starts_a_stage_and_every_write_is_in_the_history(setting):
    commune, coordinator, _ = setting
    stage = kickoff(commune)
    services.checklist_tick(stage=stage, item_key="steering_group_named", done=True, by=coordinator)
    services.checklist_tick(stage=stage, item_key="steering_group_named", done=False,
                            by=coordinator)
    services.stage_block(stage=stage, reason="Koordination fehlt", by=coordinator)
    services.stage_unblock(stage=stage, by=coordinator)
    verbs = list(HistoryEvent.objects.filter(commune=commune).order_by("id")
                 .values_list("verb", flat=True))
    assert verbs[-5:] == ["stage.started", "stage.checklist_ticked", "stage.checklist_unticked",
                          "stage.blocked", "stage.unblocked"]
    assert HistoryEvent.objects.filter(commune=commune, actor=coordinator).count() == 5


def test_unknown_checklist_item_and_empty_block_reason_are_refused(setting):
    commune, coordinator, _ = setting
    with pytest.raises(services.ProcessError, match="gibt es in der Checkliste"):
        services.checklist_tick(stage=kickoff(commune), item_key="erfunden", done=True,
                                by=coordinator)
    with pytest.raises(services.ProcessError, match="beschreiben"):
        services.stage_block(stage=kickoff(commune), reason=" ", by=coordinator)


def test_dates_must_be_in_order(setting):
    commune, coordinator, _ = setting
    with pytest.raises(services.ProcessError, match="vor dem geplanten Beginn"):
        services.stage_set_dates(stage=kickoff(commune), by=coordinator, dates=services.StageDates(
            planned_start=dt.date(2024, 5, 1), planned_end=dt.date(2024, 4, 1)))
    assert kickoff(commune).planned_end is None


@pytest.mark.parametrize("status, planned_end, expected", [
    (Stage.Status.DONE, dt.date(2024, 1, 1), "done"),
    (Stage.Status.BLOCKED, None, "blocked"),
    (Stage.Status.ACTIVE, dt.date(2024, 5, 31), "overdue"),
    (Stage.Status.ACTIVE, dt.date(2024, 6, 14), "due_soon"),
    (Stage.Status.ACTIVE, dt.date(2024, 6, 16), "active"),
    (Stage.Status.OPEN, None, "open"),
])
def test_traffic_light(status, planned_end, expected):
    stage = Stage(key="kickoff", number=1, status=status, planned_end=planned_end)
    assert stage_signal(stage, today=dt.date(2024, 6, 1)).key == expected


def test_profile_gate_follows_the_approval_of_the_profile(setting):
    commune, coordinator, _ = setting
    profile = commune.stages.get(key="profile")
    assert "Die Koordination hat das Profil freigegeben" in stage_missing_items(stage=profile)
    with pytest.raises(services.ProcessError, match="nicht von Hand"):
        services.checklist_tick(stage=profile, item_key="profile_approved", done=True,
                                by=coordinator)
    profile_approve(commune=commune, by=coordinator)
    assert "Die Koordination hat das Profil freigegeben" not in stage_missing_items(stage=profile)
