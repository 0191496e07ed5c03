"""Workshop participants' own data: export and deletion by the device; the retention rule."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLES
from tests.workshop.conftest import approved_card, open_voting
from zwk.history.models import HistoryEvent
from zwk.workshop import services
from zwk.workshop.models import Card, Participant, Session, Vote
from zwk.workshop.views_participant import cookie_name


def _join(client, ws, name="Jördis"):
    response = client.post(reverse("workshop_join_code", args=[ws.code]),
                           {"display_name": name, "age_band": "30-44"})
    assert response.status_code == 302
    return Participant.objects.order_by("-id").first()


def test_export_holds_name_age_cards_and_points(client, ws, world):
    me = _join(client, ws)
    card = approved_card(ws, "Mehr Bänke", participant=me, by=world.user("coordinator"))
    open_voting(ws)
    services.vote_set(participant=me, card_id=card.pk, points=2)
    response = client.get(reverse("workshop_my_data", args=[ws.code]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["name"] == "Jördis" and data["altersgruppe"] == "30 bis 44"
    assert data["karten"][0]["text"] == "Mehr Bänke"
    assert data["punkte"] == [{"karte": "Mehr Bänke", "runde": ws.round, "punkte": 2}]


@pytest.mark.parametrize("role", ROLES)
def test_without_the_device_cookie_nobody_gets_the_data(role, ws, world, login, client):
    other = Session.objects.get(pk=ws.pk)
    services.participant_join(session=other, display_name="Jördis")
    client = login(world, role)
    assert client.get(reverse("workshop_my_data", args=[ws.code])).status_code == 404
    assert client.post(reverse("workshop_my_data_delete", args=[ws.code]),
                       {"confirm": "1"}).status_code == 404
    assert Participant.objects.filter(display_name="Jördis").exists()


def test_the_cookie_of_another_workshop_does_not_count(client, ws, world):
    _join(client, ws)
    second = services.session_create(commune=world.commune, by=world.user("coordinator"),
                                     data=services.SessionData(title="Zweite Werkstatt"))
    services.session_control(session=second, action="start", by=world.user("coordinator"))
    second.refresh_from_db()
    assert client.get(reverse("workshop_my_data", args=[second.code])).status_code == 404


def test_deletion_by_the_device_keeps_cards_and_votes_anonymous(client, ws, world):
    me = _join(client, ws)
    card = approved_card(ws, "Mehr Bänke", participant=me, by=world.user("coordinator"))
    open_voting(ws)
    services.vote_set(participant=me, card_id=card.pk, points=2)
    url = reverse("workshop_my_data_delete", args=[ws.code])
    client.post(url, {})                                   # no confirmation: nothing happens
    assert Participant.objects.get(pk=me.pk).display_name == "Jördis"
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 200
    assert "Ihre Angaben sind gelöscht" in response.content.decode()
    me.refresh_from_db()
    assert (me.display_name, me.age_band, me.client) == ("", "", "")
    assert me.anonymised_at is not None
    assert Card.objects.get(pk=card.pk).participant_id is None
    assert Vote.objects.get(card=card).points == 2            # the results do not change
    assert response.cookies[cookie_name(ws.pk)].value == ""
    # the old cookie value no longer names the participant
    assert client.get(reverse("workshop_my_data", args=[ws.code])).status_code == 404


def _close(ws, world, days_ago):
    services.session_control(session=ws, action="close", by=world.user("coordinator"))
    Session.objects.filter(pk=ws.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))


def test_retention_command_anonymises_old_workshops_only_and_is_idempotent(ws, world, settings,
                                                                          capsys):
    settings.ZWK_PARTICIPANT_RETENTION_DAYS = 30
    old = [services.participant_join(session=ws, display_name=f"Person {n}", age_band="75+",
                                     client_address="203.0.113.7") for n in range(3)]
    _close(ws, world, days_ago=31)
    recent = services.session_create(commune=world.commune, by=world.user("coordinator"),
                                     data=services.SessionData(title="Neue Werkstatt"))
    services.session_control(session=recent, action="start", by=world.user("coordinator"))
    kept = services.participant_join(session=recent, display_name="Bleibt")
    call_command("purge_participants")
    assert "3 Teilnehmende anonymisiert (Aufbewahrung 30 Tage)." in capsys.readouterr().out
    for participant in old:
        participant.refresh_from_db()
        assert participant.display_name == "" and participant.client == ""
        assert participant.age_band == "75+"                # anonymous statistics stay
    assert Participant.objects.get(pk=kept.pk).display_name == "Bleibt"
    events = HistoryEvent.objects.filter(verb="workshop.participants_anonymised")
    assert events.count() == 1 and events.get().data["participants"] == 3
    call_command("purge_participants")                     # again: nothing more to do
    assert "0 Teilnehmende anonymisiert" in capsys.readouterr().out
    assert events.count() == 1


def test_retention_with_days_argument_and_bad_value(ws, world, capsys):
    services.participant_join(session=ws, display_name="Person")
    _close(ws, world, days_ago=2)
    call_command("purge_participants", days=5)
    assert Participant.objects.get().display_name == "Person"
    call_command("purge_participants", days=1)
    assert Participant.objects.get().display_name == ""
    with pytest.raises(SystemExit):
        call_command("purge_participants", days=-1)
    assert "0 oder mehr Tage" in capsys.readouterr().err
