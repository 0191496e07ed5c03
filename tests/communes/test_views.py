"""Bad input through the pages: a clear German message, nothing written."""

import pytest
from django.core import mail
from django.urls import reverse

from zwk.communes.models import Commune, Membership
from zwk.history.models import HistoryEvent


def form(**overrides):
    data = {"name": "Neue Gemeinde", "kind": "gemeinde", "land": "05", "ags": "05958997",
            "ars": "", "parent": "", "cluster": "west", "population": ""}
    return {**data, **overrides}


@pytest.mark.parametrize("overrides, message", [
    ({"ags": "0595899"}, "hat 7 Stellen"),
    ({"ags": "05958999"}, "Die Kommune Bergstadt mit dem Schlüssel 05958999 gibt es"),
    ({"land": "09"}, "gehört zu Nordrhein-Westfalen, nicht zu Bayern"),
    ({"population": "-5"}, "größer oder gleich 0"),
])
def test_create_commune_with_bad_input_shows_message_and_writes_nothing(world, login, overrides,
                                                                          message):
    client = login(world, "programme_office")
    before = (Commune.objects.count(), HistoryEvent.objects.count())
    response = client.post(reverse("commune_create", args=[world.programme.slug]),
                           form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Commune.objects.count(), HistoryEvent.objects.count()) == before


def test_user_text_is_escaped(world, login):
    client = login(world, "programme_office")
    client.post(reverse("commune_create", args=[world.programme.slug]),
                form(name="<script>alert(1)</script>Dorf", ags=""))
    commune = Commune.objects.get(name__endswith="Dorf")
    page = client.get(reverse("commune_detail", args=[commune.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Dorf" in page


def test_coordinator_cannot_invite_a_consultant(world, login):
    client = login(world, "coordinator")
    response = client.post(reverse("commune_members", args=[world.commune.pk]),
                           {"invite-email": "x@example.org", "invite-role": "consultant"})
    assert response.status_code == 200
    assert "keine gültige Auswahl" in response.content.decode()
    assert not Membership.objects.filter(user__email="x@example.org").exists()
    assert mail.outbox == []


def test_invitation_link_lets_the_new_person_set_a_password_and_log_in(
        world, login, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(world, "programme_office").post(
            reverse("commune_members", args=[world.commune.pk]),
            {"invite-email": "neu@example.org", "invite-first_name": "Nina",
             "invite-role": "team_member"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/passwort/neu/" in line)
    client.logout()
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    assert "Neues Passwort setzen" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "Sauerland-2024-neu", "new_password2": "Sauerland-2024-neu"})
    assert response.status_code == 302
    assert client.login(username="neu", password="Sauerland-2024-neu")
    assert "Bergstadt" in client.get(reverse("home") + "?alle=1").content.decode()


def test_portfolio_filters(world, login):
    client = login(world, "programme_office")
    url = reverse("portfolio", args=[world.programme.slug])
    page = client.get(url, {"consultant": world.user("consultant").pk}).content.decode()
    assert "Bergstadt" in page and "Talgemeinde" not in page
    page = client.get(url, {"land": "09"}).content.decode()
    assert "Keine Kommune passt zu den Filtern" in page
    page = client.get(url, {"stage": "kickoff", "signal": "open"}).content.decode()
    assert "Bergstadt" in page and "Talgemeinde" in page


def test_programme_office_lands_on_the_portfolio(world, login):
    response = login(world, "programme_office").get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio", args=[world.programme.slug])
