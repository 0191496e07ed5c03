"""Login throttling (django-axes) and throttled password-reset mails (docs/security.md)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD
from zwk.history.models import HistoryEvent

LOGIN = "/konto/anmelden/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_after_n_failures_refuses_even_the_right_password(world, client):
    user = world.user("coordinator")
    for _ in range(2):
        assert _login(client, user.username, "falsch").status_code == 200
    locked = _login(client, user.username, "falsch")
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.content.decode()
    right = _login(client, user.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_another_client_too(world, client):
    user = world.user("coordinator")
    for n in range(3):
        _login(client, user.username, "falsch", ip=f"198.51.100.{n}")
    assert _login(client, user.username, PASSWORD, ip="192.0.2.99").status_code == 429


def test_a_client_trying_many_accounts_is_locked(world, client):
    for role in ("coordinator", "team_member", "consultant"):
        _login(client, world.user(role).username, "falsch")
    response = _login(client, world.user("programme_office").username, PASSWORD)
    assert response.status_code == 429


def test_success_before_the_limit_resets_the_count(world, client):
    user = world.user("coordinator")
    _login(client, user.username, "falsch")
    _login(client, user.username, "falsch")
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    _login(client, user.username, "falsch")
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_programme_office_unlocks_and_history_records_it(world, client, login):
    user = world.user("coordinator")
    for _ in range(3):
        _login(client, user.username, "falsch")
    office = login(world, "programme_office")
    page = office.get(reverse("programme_people", args=[world.programme.slug])).content.decode()
    assert "gesperrt" in page and "Sperre aufheben" in page
    response = office.post(reverse("person_unlock", args=[world.programme.slug, user.pk]))
    assert response.status_code == 302
    event = HistoryEvent.objects.get(verb="user.login_unlocked")
    assert event.actor == world.user("programme_office") and event.subject_id == str(user.pk)
    office.logout()
    assert _login(client, user.username, PASSWORD).status_code == 302


def _reset(client, address, ip="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=ip)


def test_reset_mails_to_one_address_are_throttled(world, client, settings):
    settings.ZWK_RESET_MAILS_PER_ADDRESS = 2
    address = world.user("coordinator").email
    assert address
    for n in range(2):
        assert _reset(client, address, ip=f"198.51.100.{n}").status_code == 302
    refused = _reset(client, address, ip="198.51.100.9")
    assert refused.status_code == 429
    assert "mehrere Links angefordert" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_reset_mails_from_one_client_are_throttled(world, client, settings):
    settings.ZWK_RESET_MAILS_PER_CLIENT = 2
    for n in range(2):
        assert _reset(client, f"person{n}@example.org").status_code == 302
    assert _reset(client, "person9@example.org").status_code == 429
