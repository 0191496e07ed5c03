"""Register search: names with umlauts and their spellings, suffixes, typos, postcodes, keys."""

from __future__ import annotations

import pytest

from zwk.demography.register import SHIPPED, fold, load_register


@pytest.fixture(scope="module")
def register():
    return load_register(SHIPPED)


def first(register, text: str) -> str:
    hits = register.search(text)
    assert hits, f"no hit for {text!r}"
    return hits[0].entry.ags


def test_fold_spells_out_umlauts_and_drops_punctuation():
    assert fold("Weißenburg i.Bay., GKSt") == "weissenburg i bay gkst"
    assert fold("  Müllheim,  Stadt ") == "muellheim stadt"
    assert fold("Garmisch-Partenkirchen") == "garmisch partenkirchen"


@pytest.mark.parametrize("text, ags", [
    ("Schmallenberg", "05958040"),
    ("schmallenberg, stadt", "05958040"),       # with the official suffix
    ("Stadt Schmallenberg", "05958040"),        # "Stadt" in front
    ("Schmallenbreg", "05958040"),              # typo: swapped letters
    ("Schmallenberk", "05958040"),              # typo: wrong letter
    ("München", "09162000"),                    # the city before the Landkreis (population)
    ("Muenchen", "09162000"),                   # umlaut spelled out
    ("Munchen", "09162000"),                    # umlaut typed as plain vowel
    ("Landkreis München", "09184"),             # the kind named in the query
    ("Weissenburg i. Bay.", "09577177"),        # ß as ss, abbreviations
    ("Koeln", "05315000"),
    ("Sundern", "05958044"),                    # qualifier in brackets left out
    ("Frankfurt", "06412000"),                  # "am Main" left out, larger first
    ("Frankfurt Oder", "12053000"),
    ("Halle", "15002000"),                      # Halle (Saale) before the small Halle
    ("Garmisch Partenkirchen", "09180117"),     # hyphen as space; the Markt before the Kreis
    ("Landkreis Garmisch-Partenkirchen", "09180"),
    ("Hochsauerlandkreis", "05958"),
    ("hochsauerland", "05958"),                 # a prefix of the name
    ("Schmalenberg", "07340044"),               # a real place is not taken for a typo
])
def test_name_search_best_match_first(register, text, ags):
    assert first(register, text) == ags


def test_exact_name_outranks_typo_tolerance(register):
    hits = register.search("Schmalenberg", limit=3)
    assert [h.entry.ags for h in hits[:2]] == ["07340044", "05958040"]
    assert hits[0].match == "name" and hits[1].match == "fuzzy"
    assert hits[0].score > hits[1].score


def test_same_name_in_kreis_and_markt_both_found(register):
    found = {h.entry.ags for h in register.search("Garmisch-Partenkirchen", limit=5)}
    assert {"09180", "09180117"} <= found


def test_search_by_postcode_of_the_seat_and_by_area(register):
    hits = register.search("59759")
    assert hits[0].entry.ags == "05958004" and hits[0].match == "postcode"
    # not a seat's postcode: the seats of the same postcode area are offered
    area = register.search("59821")
    assert area and all(h.match == "postcode_area" for h in area)
    assert all(h.entry.postcode.startswith("598") for h in area)


def test_search_by_key(register):
    hits = register.search("05958", limit=20)
    assert hits[0].entry.ags == "05958" and hits[0].match == "key"
    assert {h.entry.ags for h in hits[1:13]} == {m.ags for m in register.towns_of("05958")}
    assert first(register, "059580040040") == "05958040"       # ARS
    assert first(register, "05958 040") == "05958040"           # spaces ignored


def test_kreisfreie_stadt_is_listed_once(register):
    hits = register.search("Köln", limit=10)
    assert [h.entry.ags for h in hits].count("05315000") == 1
    assert "05315" not in [h.entry.ags for h in hits]


def test_nonsense_finds_nothing(register):
    assert register.search("Qxzvbnm") == []
    assert register.search("   ") == []
