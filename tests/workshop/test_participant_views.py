"""Participants: join by code without account, signed device cookie, write and vote without
JavaScript, conditional polling, escaping, closed sessions, kind errors."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.workshop.conftest import approved_card, open_voting
from zwk.workshop import services
from zwk.workshop.models import Card, Participant, Vote
from zwk.workshop.views_participant import cookie_name


def join(client, session, **data):
    response = client.post(reverse("workshop_join_code", args=[session.code]),
                           {"display_name": "", "age_band": "", **data})
    assert response.status_code == 302
    return Participant.objects.order_by("-id").first()


def test_join_by_typed_code_in_any_case_and_with_spaces(client, ws):
    response = client.get(reverse("workshop_join"), {"code": f" {ws.code[:3].lower()} {ws.code[3:]}"})
    assert response.status_code == 302 and response["Location"].endswith(f"/w/{ws.code}/")


def test_wrong_code_says_so_kindly(client, ws):
    response = client.get(reverse("workshop_join"), {"code": "ZZZZZZ"})
    assert response.status_code == 404
    assert "haben wir keine Werkstatt gefunden" in response.content.decode()
    response = client.get(reverse("workshop_join_code", args=["QQQQQQ"]))
    assert response.status_code == 404 and "vertauscht" in response.content.decode()


def test_join_without_account_sets_a_signed_cookie(client, ws):
    response = client.get(reverse("workshop_join_code", args=[ws.code]))
    assert "Mitmachen" in response.content.decode()
    person = join(client, ws, display_name="Anna", age_band="65-74")
    assert (person.display_name, person.age_band, person.session) == ("Anna", "65-74", ws)
    cookie = client.cookies[cookie_name(ws.pk)]
    assert cookie.value != person.key and cookie["httponly"]
    page = client.get(reverse("workshop_join_code", args=[ws.code])).content.decode()
    assert "Karte schreiben" in page and ws.current_phase.prompt in page


def test_tampered_cookie_is_a_new_device(client, ws):
    person = join(client, ws)
    client.cookies[cookie_name(ws.pk)] = person.key  # unsigned: refused
    page = client.get(reverse("workshop_join_code", args=[ws.code])).content.decode()
    assert "Karte schreiben" not in page and "Mitmachen" in page


def test_unknown_age_band_is_refused(client, ws):
    response = client.post(reverse("workshop_join_code", args=[ws.code]), {"age_band": "99+"})
    assert response.status_code == 400 and not Participant.objects.exists()


def test_write_a_card_without_javascript(client, ws):
    join(client, ws)
    response = client.post(reverse("workshop_card_submit", args=[ws.code]),
                           {"text": "Mehr Busse"}, follow=True)
    assert "Ihre Karte ist angekommen" in response.content.decode()
    assert Card.objects.get().status == "pending"


def test_card_text_is_escaped_everywhere(client, ws, world, login):
    person = join(client, ws)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    card = services.card_submit(participant=person, text=evil)
    services.card_moderate(card=card, action="approve", by=None)
    pages = [client.get(reverse("workshop_join_code", args=[ws.code])).content.decode()]
    staff = login(world, "coordinator")
    for name in ("workshop_console", "workshop_projector"):
        pages.append(staff.get(reverse(name, args=[world.commune.pk, ws.pk])).content.decode())
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_vote_without_javascript_and_remaining_points(client, ws, cards):
    join(client, ws)
    url = reverse("workshop_vote", args=[ws.code])
    assert client.post(url, {"card": cards[0].pk, "points": 3}).status_code == 302
    client.post(url, {"card": cards[1].pk, "points": 2})
    page = client.get(reverse("workshop_join_code", args=[ws.code])).content.decode()
    assert 'Noch zu vergeben: <strong class="ws-left">0</strong> von 5 Punkten' in page
    response = client.post(url, {"card": cards[2].pk, "points": 1}, follow=True)
    assert "So viele Punkte haben Sie nicht mehr" in response.content.decode()
    assert sum(Vote.objects.values_list("points", flat=True)) == 5


def test_vote_by_fetch_answers_with_my_points(client, ws, cards):
    join(client, ws)
    url = reverse("workshop_vote", args=[ws.code])
    response = client.post(url, {"card": cards[0].pk, "points": 1},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert response.json() == {"votes": {str(cards[0].pk): 1}, "left": 4, "max": 3, "error": ""}
    response = client.post(url, {"card": cards[0].pk, "points": 4},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and "höchstens 3" in response.json()["error"]
    response = client.post(url, {"card": cards[0].pk, "points": "viele"},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and "nicht lesen" in response.json()["error"]


def test_poll_answers_204_until_something_visible_changes(client, ws, world,
                                                         django_capture_on_commit_callbacks):
    join(client, ws)
    stand = reverse("workshop_stand", args=[ws.code])
    first = client.get(stand, {"v": "0"})
    assert first.status_code == 200
    version = first["X-Stand-Version"]
    assert client.get(stand, {"v": version}).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):  # the cache copy follows commits
        card = services.card_submit(participant=Participant.objects.get(), text="Neu")
    assert client.get(stand, {"v": version}).status_code == 204  # pending: not visible yet
    with django_capture_on_commit_callbacks(execute=True):
        services.card_moderate(card=card, action="approve", by=None)
    changed = client.get(stand, {"v": version})
    assert changed.status_code == 200 and "Neu" in changed.content.decode()
    assert int(changed["X-Stand-Version"]) > int(version)


def test_poll_needs_the_device_cookie_and_a_known_code(client, ws):
    assert client.get(reverse("workshop_stand", args=[ws.code]), {"v": "0"}).status_code == 403
    assert client.get(reverse("workshop_stand", args=["NOPE99"]), {"v": "0"}).status_code == 404


def test_closed_session_accepts_nothing(client, ws, cards):
    join(client, ws)
    services.session_control(session=ws, action="close", by=None)
    response = client.post(reverse("workshop_card_submit", args=[ws.code]), {"text": "Spät"},
                           follow=True)
    assert "beendet" in response.content.decode()
    client.post(reverse("workshop_vote", args=[ws.code]), {"card": cards[0].pk, "points": 1})
    assert not Vote.objects.exists()
    assert Card.objects.filter(text="Spät").count() == 0
    before = Participant.objects.count()
    other = client.__class__()
    response = other.post(reverse("workshop_join_code", args=[ws.code]), {"age_band": ""})
    assert response.status_code in (200, 400)
    assert "beendet" in response.content.decode()
    assert Participant.objects.count() == before


def test_rate_limit_shows_a_kind_message(client, ws, monkeypatch):
    monkeypatch.setattr(services, "CARD_LIMIT", (1, 60))
    join(client, ws)
    url = reverse("workshop_card_submit", args=[ws.code])
    client.post(url, {"text": "Eins"})
    response = client.post(url, {"text": "Zwei"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and "einen Moment" in response.content.decode()


def test_projector_shows_results_only_after_reveal(ws, cards, world, login):
    person = services.participant_join(session=ws)
    services.vote_set(participant=person, card_id=cards[2].pk, points=3)
    client = login(world, "coordinator")
    url = reverse("workshop_projector", args=[world.commune.pk, ws.pk])
    page = client.get(url).content.decode()
    assert "Ergebnis Runde 1" not in page and ws.code in page
    assert 'alt="QR-Code zur Teilnahme' in page
    client.post(reverse("workshop_control", args=[world.commune.pk, ws.pk]), {"action": "reveal"})
    page = client.get(url).content.decode()
    assert "Ergebnis Runde 1" in page and "Jugendtreff" in page


@pytest.mark.parametrize("action, check", [
    ("voting_close", lambda s: not s.voting_open),
    ("next_round", lambda s: s.round == 2),
    ("reveal", lambda s: s.results_visible),
])
def test_console_controls(ws, cards, world, login, action, check):
    client = login(world, "team_member")
    client.post(reverse("workshop_control", args=[world.commune.pk, ws.pk]), {"action": action})
    ws.refresh_from_db()
    assert check(ws)


def test_console_timer_and_phase(ws, world, login):
    client = login(world, "consultant")
    url = reverse("workshop_control", args=[world.commune.pk, ws.pk])
    phase = ws.phases.last()
    client.post(url, {"action": "phase", "phase": phase.pk})
    client.post(url, {"action": "timer", "minutes": "5"})
    ws.refresh_from_db()
    assert ws.current_phase == phase and ws.timer_ends_at is not None
    client.post(url, {"action": "timer", "stop": "1"})
    ws.refresh_from_db()
    assert ws.timer_ends_at is None


def test_drag_and_drop_endpoint_assigns_a_cluster(ws, world, login):
    card = approved_card(ws)
    cluster = services.cluster_create(session=ws, title="Orte", action_field_id=None, by=None)
    client = login(world, "coordinator")
    response = client.post(reverse("workshop_card", args=[world.commune.pk, ws.pk, card.pk]),
                           {"action": "cluster", "cluster": cluster.pk},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 204
    assert Card.objects.get(pk=card.pk).cluster == cluster
    open_voting(ws)


def test_polled_part_is_shared_and_my_points_come_as_json(client, ws, cards):
    join(client, ws)
    client.post(reverse("workshop_vote", args=[ws.code]), {"card": cards[1].pk, "points": 2})
    first = client.get(reverse("workshop_stand", args=[ws.code]), {"v": "0"})
    other = client.__class__()
    join(other, ws)
    second = other.get(reverse("workshop_stand", args=[ws.code]), {"v": "0"})
    assert first.content == second.content  # the same HTML for every phone of this version
    assert b"csrfmiddlewaretoken" not in first.content
    mine = json.loads(first["X-My-State"])
    assert (mine["votes"], mine["left"], mine["max"]) == ({str(cards[1].pk): 2}, 3, 3)
    assert json.loads(second["X-My-State"])["left"] == 5
    page = client.get(reverse("workshop_join_code", args=[ws.code])).content.decode()
    assert "csrfmiddlewaretoken" in page.split('id="card-form"')[0]  # no-JS forms keep tokens
