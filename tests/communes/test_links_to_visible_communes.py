"""A page links only to communes the person may open (found by the served crawl, issue 11):
a Kreis's coordinator sees its towns' names, but no link that would answer 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import add_member, make_commune
from zwk.communes.models import Membership


@pytest.mark.django_db
@pytest.mark.parametrize("role, linked", [("coordinator", False), ("programme_office", True)])
def test_towns_of_a_commune_are_linked_only_when_visible(world, login, role, linked):
    kreis = make_commune(world.programme, name="Testkreis", kind="kreis", ags="05957")
    town = make_commune(world.programme, name="Unterdorf", ags="05957004", parent=kreis)
    add_member(kreis, world.user("coordinator"), Membership.Role.COORDINATOR)
    response = login(world, role).get(reverse("commune_detail", args=[kreis.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "Unterdorf" in html
    link = f'href="{reverse("commune_detail", args=[town.pk])}"'
    assert (link in html) is linked
    if linked:  # the link the office sees really opens
        assert login(world, role).get(reverse("commune_detail", args=[town.pk])).status_code == 200
    else:
        assert login(world, role).get(reverse("commune_detail", args=[town.pk])).status_code == 404
