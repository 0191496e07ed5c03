"""Personal data of accounts: export and deletion, by the person and by the programme office;
the history keeps its events under a pseudonym (docs/security.md)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.factories import PASSWORD
from zwk.accounts.models import User
from zwk.communes import services as communes
from zwk.communes.models import Membership
from zwk.history.models import HistoryEvent

SIGNED_IN = set(ROLES) - {"anonymous"}
OFFICE = {"programme_office", "superuser"}


def _target(w):
    return w.user("coordinator")


def people_url(name):
    return lambda w: reverse(name, args=[w.programme.slug, _target(w).pk])


CASES = [
    Case("account page", SIGNED_IN, "get", lambda w: reverse("account")),
    Case("own data export", SIGNED_IN, "get", lambda w: reverse("account_export")),
    Case("own deletion page", SIGNED_IN, "get", lambda w: reverse("account_delete")),
    Case("people of the programme", OFFICE, "get",
         lambda w: reverse("programme_people", args=[w.programme.slug])),
    Case("unlock a login", OFFICE, "post", people_url("person_unlock"),
         effect=lambda w: HistoryEvent.objects.filter(verb="user.login_unlocked").exists()),
    Case("export a person's data", OFFICE, "get", people_url("person_export")),
    Case("delete a person", OFFICE, "post", people_url("person_delete"),
         lambda w: {"confirm": "koordination"},
         effect=lambda w: not User.objects.filter(username="koordination").exists()),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission_matrix(case, role, world, login):
    if role == "coordinator" and case.name == "delete a person":
        pytest.skip("the person to delete cannot be the one asking")
    response = request_case(case, role, world, login)
    assert_case(case, role, world, response)


def test_self_service_deletion_needs_the_password(world, login):
    user = world.user("team_member")
    client = login(world, "team_member")
    refused = client.post(reverse("account_delete"), {"password": "falsch"})
    assert refused.status_code == 400
    assert "Das Passwort stimmt nicht" in refused.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    done = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert done.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session


def test_export_holds_account_roles_and_history(world, login):
    user = world.user("coordinator")
    communes.membership_remove(membership=Membership.objects.get(user=user), by=user)
    data = json.loads(login(world, "coordinator").get(reverse("account_export")).content)
    assert data["konto"]["benutzername"] == "koordination"
    assert data["konto"]["e_mail"] == "koordination@example.org"
    assert any(e["aktion"] == "membership.removed" for e in data["verlauf"])


def test_deletion_pseudonymises_the_history_of_an_invitee(world, login):
    office = world.user("programme_office")
    invitation = communes.Invitation(email="Neu.Person@example.org", first_name="Jördis",
                                     last_name="Nußbaum", role=Membership.Role.TEAM_MEMBER)
    membership = communes.user_invite(commune=world.commune, invitation=invitation, by=office,
                                      base_url="http://testserver")
    invitee = membership.user
    client = login(world, "programme_office")
    response = client.post(reverse("person_delete", args=[world.programme.slug, invitee.pk]),
                           {"confirm": invitee.username})
    assert response.status_code == 302
    assert not User.objects.filter(pk=invitee.pk).exists()
    dump = json.dumps([[e.subject_label, e.data] for e in HistoryEvent.objects.all()],
                      ensure_ascii=False)
    for text in ("neu.person@example.org", invitee.username, "Jördis Nußbaum"):
        assert text not in dump
    assert "Gelöschte Person" in dump
    assert HistoryEvent.objects.filter(verb="user.invited").exists()  # the event stays


def test_office_of_another_programme_cannot_find_the_person(world, login):
    client = login(world, "office_other_programme")
    url = reverse("person_delete", args=[world.programme.slug, _target(world).pk])
    assert client.post(url, {"confirm": "koordination"}).status_code == 404
    other = reverse("person_export", args=[world.other_programme.slug, _target(world).pk])
    assert client.get(other).status_code == 404
    assert User.objects.filter(username="koordination").exists()


def test_wrong_confirmation_deletes_nothing(world, login):
    client = login(world, "programme_office")
    response = client.post(reverse("person_delete", args=[world.programme.slug,
                                                          _target(world).pk]),
                           {"confirm": "jemand"})
    assert response.status_code == 400
    assert "Benutzernamen" in response.content.decode()
    assert User.objects.filter(username="koordination").exists()


def test_pseudonymising_replaces_whole_words_only(world):
    from zwk.accounts import services

    office, team = world.user("programme_office"), world.user("team_member")  # username "team"
    other = communes.membership_add(commune=world.other_commune, user=world.user("coordinator"),
                                    role=Membership.Role.TEAM_MEMBER, by=office)
    own = communes.membership_add(commune=world.other_commune, user=team,
                                  role=Membership.Role.TEAM_MEMBER, by=office)
    services.user_delete(user=team, by=office, programme=world.programme)
    events = HistoryEvent.objects.filter(verb="membership.added")
    theirs = events.get(subject_id=str(other.pk))
    assert theirs.data == {"user": "koordination", "role": "team_member"}
    mine = events.get(subject_id=str(own.pk))
    assert mine.data["role"] == "team_member" and mine.data["user"].startswith("Gelöschte Person")
