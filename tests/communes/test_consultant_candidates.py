"""'Berater:in zuordnen' offers only people who can be consultants: external people, never
municipal staff or the programme office (issue 11, item 10)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from zwk.communes.models import Membership
from zwk.communes.selectors import consultant_candidates

pytestmark = pytest.mark.django_db


def test_only_external_people_are_offered(world):
    newcomer = UserFactory(username="neue_beraterin")
    offered = set(consultant_candidates(commune=world.commune))
    assert world.user("consultant_other_commune") in offered and newcomer in offered
    for staff in ("team_member", "coordinator", "consultant", "programme_office"):
        assert world.user(staff) not in offered, staff
    # a team member of another commune is municipal staff there: no consultant either
    other_team = UserFactory(username="team_anderswo")
    Membership.objects.create(commune=world.other_commune, user=other_team,
                              role=Membership.Role.TEAM_MEMBER)
    assert other_team not in set(consultant_candidates(commune=world.commune))


def test_consultants_of_other_communes_come_first(world):
    UserFactory(username="aaa_neu", last_name="Aaron")
    first = consultant_candidates(commune=world.commune).first()
    assert first == world.user("consultant_other_commune")


def test_the_members_page_offers_no_team_member_and_refuses_one(world, login):
    client = login(world, "programme_office")
    url = reverse("commune_members", args=[world.commune.pk])
    other_team = UserFactory(username="team_anderswo", first_name="Tina", last_name="Team")
    Membership.objects.create(commune=world.other_commune, user=other_team,
                              role=Membership.Role.TEAM_MEMBER)
    page = client.get(url).content.decode()
    assert "Tina Team" not in page and "– Berater:in wählen –" in page
    response = client.post(url, {"assign-user": other_team.pk})
    assert response.status_code in (200, 400)
    assert "gültige Auswahl" in response.content.decode()
    assert not Membership.objects.filter(commune=world.commune, user=other_team).exists()
