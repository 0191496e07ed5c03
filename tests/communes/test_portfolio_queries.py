"""The N+1 promise: page query counts do not grow with communes, events or documents.

These are behaviour tests, not timing tests: they count SQL queries with Django's
CaptureQueriesContext and compare a small world with a bigger one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    ProgrammeFactory,
    UserFactory,
    add_member,
    make_commune,
    make_office,
)
from zwk.communes.models import Membership
from zwk.process import services as process
from zwk.process.models import Stage

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add_communes(programme, office, count: int, consultants: list) -> list:
    """Communes with a consultant each and stages in different states."""
    today = dt.date.today()
    communes = []
    for i in range(count):
        commune = make_commune(programme, by=office, cluster=("west", "sued", "nord_ost")[i % 3])
        add_member(commune, consultants[i % len(consultants)], Membership.Role.CONSULTANT)
        add_member(commune, UserFactory(), Membership.Role.COORDINATOR)
        stages = list(commune.stages.order_by("number"))
        if i % 3 == 1:
            process.stage_complete(stage=stages[0], by=office, override_reason="Test")
        if i % 3 == 2:
            process.stage_block(stage=stages[0], by=office, reason="Test")
        process.stage_set_dates(stage=stages[1], by=office, dates=process.StageDates(
            planned_start=today - dt.timedelta(days=30), planned_end=today + dt.timedelta(days=i)))
        communes.append(commune)
    return communes


@pytest.fixture
def office_client(client):
    programme = ProgrammeFactory()
    office = make_office(programme, UserFactory())
    assert client.login(username=office.username, password=PASSWORD)
    return client, programme, office


def test_portfolio_queries_do_not_grow_with_communes(office_client):
    client, programme, office = office_client
    consultants = [UserFactory(), UserFactory()]
    _add_communes(programme, office, 3, consultants)
    url = reverse("portfolio", args=[programme.slug])
    small = _queries(client, url)

    consultants += [UserFactory(), UserFactory(), UserFactory()]
    _add_communes(programme, office, 9, consultants)
    big = _queries(client, url)

    assert client.get(url).content.decode().count('scope="row"') == 12
    assert big == small, f"3 communes: {small} queries, 12 communes: {big} queries"


def test_portfolio_filtered_by_consultant_queries_do_not_grow(office_client):
    client, programme, office = office_client
    consultant = UserFactory()
    _add_communes(programme, office, 3, [consultant])
    url = reverse("portfolio", args=[programme.slug]) + f"?consultant={consultant.pk}"
    small = _queries(client, url)
    _add_communes(programme, office, 9, [consultant])
    assert _queries(client, url) == small


def _fill_stage(stage: Stage, office, n: int) -> None:
    """n events, documents, decisions and ticks on one stage (all through the services)."""
    for i in range(n):
        process.meeting_record(stage=stage, by=office, data=process.MeetingData(
            title=f"Treffen {i}", date=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            participants_count=10 + i, minutes="Protokoll" if i % 2 else ""))
        upload = SimpleUploadedFile(f"bericht-{i}.pdf", b"%PDF-1.4\n% test\n",
                                    content_type="application/pdf")
        process.document_upload(stage=stage, upload=upload, title=f"Bericht {i}", kind="report",
                                by=UserFactory())
        process.decision_record(stage=stage, by=office, data=process.DecisionData(
            decided_on=dt.date(2024, 2, 1), title=f"Beschluss {i}", body="Rat"))
    manual = [item.key for item in stage.type.checklist if item.derived is None]
    for key in manual[:n]:
        process.checklist_tick(stage=stage, item_key=key, done=True, by=UserFactory())


def test_commune_detail_queries_do_not_grow_with_events_and_members(office_client):
    client, programme, office = office_client
    commune, = _add_communes(programme, office, 1, [UserFactory()])
    url = reverse("commune_detail", args=[commune.pk])
    small = _queries(client, url)

    for stage in commune.stages.exclude(status=Stage.Status.DONE).order_by("number")[:3]:
        _fill_stage(stage, office, 3)
    for _i in range(4):
        add_member(commune, UserFactory(), Membership.Role.TEAM_MEMBER)
    for _i in range(3):
        make_commune(programme, kind="quartier", ags="", parent=commune, by=office)
    big = _queries(client, url)
    assert big == small, f"empty: {small} queries, busy: {big} queries"


def test_timeline_queries_do_not_grow_with_events(office_client):
    client, programme, office = office_client
    commune, = _add_communes(programme, office, 1, [UserFactory()])
    url = reverse("commune_timeline", args=[commune.pk])
    small = _queries(client, url)
    _fill_stage(commune.stages.get(key="profile"), office, 4)
    assert _queries(client, url) == small


@pytest.mark.parametrize("key", ["kickoff", "plan"])
def test_stage_page_queries_do_not_grow_with_events_documents_decisions(office_client, key):
    client, programme, office = office_client
    commune, = _add_communes(programme, office, 1, [UserFactory()])
    stage = commune.stages.get(key=key)
    url = reverse("stage_detail", args=[commune.pk, key])
    _fill_stage(stage, office, 1)
    small = _queries(client, url)
    _fill_stage(stage, office, 4)
    big = _queries(client, url)
    assert big == small, f"1 of each: {small} queries, 5 of each: {big} queries"
