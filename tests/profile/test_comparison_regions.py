"""Comparison regions come from the commune's own Kreis and Land, named from the register.

Issue 11, item 4: a commune outside NRW got HSK towns as comparison regions and saw its own
Kreis as "09180 (09180)". The programme here holds the Hochsauerlandkreis with its synthetic
data and Bavarian communes of the Kreis Garmisch-Partenkirchen (09180).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, add_member, make_commune
from tests.profile.test_data import demo_files, media  # noqa: F401  (fixtures)
from zwk.communes.models import Membership
from zwk.profile import analysis, data
from zwk.profile.forms_analysis import ComparisonForm
from zwk.profile.models import ComparisonRegion

GAPA_KREIS, GAPA_MARKT, MITTENWALD = "09180", "09180117", "09180123"


@pytest.fixture
def hsk(world):
    """The Hochsauerlandkreis and Brilon with the synthetic demo data."""
    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    brilon = make_commune(world.programme, name="Brilon", kind="stadt", ags="05958012",
                          parent=kreis)
    winterberg = make_commune(world.programme, name="Winterberg", kind="stadt",
                              ags="05958048", parent=kreis)
    data.demo_data_load(programme=world.programme, by=None)
    return {"kreis": kreis, "Brilon": brilon, "Winterberg": winterberg}


def rekeyed(content: bytes) -> bytes:
    """A demo file moved to the Kreis Garmisch-Partenkirchen (keys and names replaced)."""
    text = content.decode("utf-8-sig")
    for old, new in (("05958004", GAPA_MARKT), ("05958", GAPA_KREIS),
                     ("Hochsauerlandkreis", "Garmisch-Partenkirchen"),
                     ("Arnsberg", "Garmisch-Partenkirchen, Markt")):
        text = text.replace(old, new)
    return text.encode("utf-8")


def bavarian(world, *, with_data: bool, demo_files):  # noqa: F811
    """Markt Garmisch-Partenkirchen, with its Kreis as a commune holding data if asked."""
    parent = None
    if with_data:
        parent = make_commune(world.programme, name="Landkreis Garmisch-Partenkirchen",
                              kind="kreis", land="09", ags=GAPA_KREIS)
        for name in ("12411-0018_tabelle.csv", "melderegister_arnsberg.csv"):
            data.data_source_add(commune=parent, name=name, content=rekeyed(demo_files[name]),
                                 by=None)
    return make_commune(world.programme, name="Garmisch-Partenkirchen", kind="gemeinde",
                        land="09", ags=GAPA_MARKT, parent=parent)


def keys(regions) -> list[str]:
    return [r["ags"] for r in regions]


def test_nrw_town_compares_with_its_kreis_and_siblings_only(world, hsk, demo_files):  # noqa: F811
    bavarian(world, with_data=True, demo_files=demo_files)
    brilon = hsk["Brilon"]
    regions = data.comparison_regions(brilon, data.commune_dataset(brilon))
    assert regions[0] == {"ags": "05958", "name": "Hochsauerlandkreis", "kind": "kreis",
                          "has_data": True}
    assert "05958048" in keys(regions)                       # Winterberg, same Kreis
    assert all(k.startswith("05") for k in keys(regions))
    candidates = data.comparison_candidates(brilon, data.commune_dataset(brilon))
    assert not any(c["ags"].startswith("09") for c in candidates)
    assert {"ags": "05", "name": "Nordrhein-Westfalen"}.items() <= next(
        c for c in candidates if c["ags"] == "05").items()


def test_bavarian_commune_compares_with_its_own_kreis_named_from_the_register(
        world, hsk, demo_files):  # noqa: F811
    markt = bavarian(world, with_data=True, demo_files=demo_files)
    dataset = data.commune_dataset(markt)
    regions = data.comparison_regions(markt, dataset)
    assert keys(regions) == [GAPA_KREIS]                      # no HSK town, no data for Bayern
    assert regions[0]["name"] == "Garmisch-Partenkirchen"
    candidates = data.comparison_candidates(markt, dataset)
    assert {c["ags"] for c in candidates} == {GAPA_KREIS, "09"}
    assert next(c for c in candidates if c["ags"] == "09")["name"] == "Bayern"
    columns = analysis.key_figures(analysis.analysis_for(markt))["columns"]
    assert [(c["ags"], c["name"]) for c in columns] == [(GAPA_KREIS, "Garmisch-Partenkirchen")]
    assert columns[0]["row"] is not None


def test_commune_whose_kreis_has_no_data_gets_none_and_a_hint(client, world, hsk,
                                                               demo_files):  # noqa: F811
    markt = bavarian(world, with_data=False, demo_files=demo_files)
    regions = data.comparison_regions(markt, data.commune_dataset(markt))
    assert regions == []                                      # not the HSK towns
    candidates = data.comparison_candidates(markt, data.commune_dataset(markt))
    labels = dict(ComparisonForm(candidates=candidates).fields["regions"].choices)
    assert labels == {GAPA_KREIS: "Garmisch-Partenkirchen (09180) – noch keine Daten",
                      "09": "Bayern (09) – noch keine Daten"}
    add_member(markt, world.user("coordinator"), Membership.Role.COORDINATOR)
    client.login(username=world.user("coordinator").username, password=PASSWORD)
    page = client.get(reverse("profile_data", args=[markt.pk])).content.decode()
    assert "09180 (09180)" not in page and "Brilon" not in page
    assert ("Für den Kreis Garmisch-Partenkirchen und das Land Bayern liegen noch keine Daten "
            "vor") in page
    assert "GV-ISys, Stand 31.12.2019" in page


def test_communes_of_the_same_land_are_offered_but_none_of_another_land(world, hsk):
    mittenwald = make_commune(world.programme, name="Mittenwald", land="09", ags=MITTENWALD)
    make_commune(world.programme, name="Marburg", kind="stadt", land="06", ags="06534014")
    make_commune(world.programme, name="Bad Tölz", kind="stadt", land="09", ags="09173112")
    candidates = keys(data.comparison_candidates(mittenwald, None))
    assert candidates == [GAPA_KREIS, "09", "09173112"]


def test_stored_choice_named_by_its_key_shows_the_register_name(world, hsk):
    markt = make_commune(world.programme, name="Garmisch-Partenkirchen", land="09",
                         ags=GAPA_MARKT)
    ComparisonRegion.objects.create(commune=markt, ags=GAPA_KREIS, name=GAPA_KREIS,
                                    kind=ComparisonRegion.Kind.KREIS, is_automatic=False)
    assert data.comparison_regions(markt, None)[0]["name"] == "Garmisch-Partenkirchen"
