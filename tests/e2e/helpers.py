"""Small helpers for the browser tests: data set-up through the services, page probes."""

from __future__ import annotations

from zwk.communes import services as communes
from zwk.communes.models import Commune, Membership, Programme
from zwk.core import demo as demo_module


def demo_programme() -> Programme:
    return Programme.objects.get(slug=demo_module.PROGRAMME_SLUG)


def user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def fresh_commune(name: str = "Neuhausen am Testbach", *, coordinator: str = "koordination",
                  land: str = "05", ags: str = "", kind: str = "gemeinde") -> Commune:
    """A new commune in the demo programme with all five stages open and a coordinator."""
    office = user("geschaeftsstelle")
    commune = communes.commune_create(
        programme=demo_programme(), by=office,
        data=communes.CommuneData(name=name, kind=kind, land=land, ags=ags, cluster="west"))
    communes.membership_add(commune=commune, user=user(coordinator),
                            role=Membership.Role.COORDINATOR, by=office)
    return commune


def commune(name: str) -> Commune:
    return Commune.objects.get(programme=demo_programme(), name=name)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page itself is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
