"""Each factor of the ranking changes the order on its own (constructed data, no database).

Two tools differ in one factor only; the one with the factor has the later title, so only the
factor can lift it above the alphabetical tie-break."""

import pytest

from zwk.toolbox.ranking import Need, ToolFacts, rank, topics_for_action_fields
from zwk.toolbox.stemming import stems

HEALTH = "Gesundheit, Pflege & Leben im Alter"
NAMES = {"gesundheit": "Gesundheit und Pflege", "wohnen": "Wohnen",
         "kooperation": "Intra- und Interkommunale Kooperationen"}


def tool(id, title, topics=("gesundheit",), keywords="", kinds=(), lo=None, hi=None,
         adopters=()):
    return ToolFacts(id=id, title=title, topics=frozenset(topics),
                     terms=frozenset(stems(f"{title} {keywords}")), kinds=frozenset(kinds),
                     min_population=lo, max_population=hi, adopters=tuple(adopters))


def need(text="Praxis schließt", fields=(HEALTH,), kind="gemeinde", population=3500):
    return Need(text=text, topics=topics_for_action_fields(fields), kind=kind,
                population=population)


def order(need_, *tools):
    return [r.title for r in rank(need_, list(tools), topic_names=NAMES)]


def test_without_any_factor_the_title_decides():
    assert order(need(), tool(2, "Zeta"), tool(1, "Alpha")) == ["Alpha", "Zeta"]


@pytest.mark.parametrize("factor, alpha, zeta", [
    ("topic match", dict(topics=("kooperation",), keywords="Praxis"),
     dict(topics=("gesundheit",), keywords="Praxis")),
    ("a second shared topic", dict(topics=("gesundheit",)),
     dict(topics=("gesundheit", "wohnen"))),
    ("a word of the need", dict(), dict(keywords="Praxisnachfolge")),
    ("kind of commune", dict(kinds=("stadt",)), dict(kinds=("gemeinde",))),
    ("size of commune", dict(hi=1000), dict(hi=20000)),
    ("used by a commune of the same kind", dict(adopters=[("stadt", 500000)]),
     dict(adopters=[("gemeinde", 500000)])),
    ("used by a commune of similar size", dict(adopters=[("stadt", 500000)]),
     dict(adopters=[("stadt", 4000)])),
    ("used by more similar communes", dict(adopters=[("gemeinde", 3000)]),
     dict(adopters=[("gemeinde", 3000), ("gemeinde", 5000)])),
])
def test_each_factor_lifts_a_tool(factor, alpha, zeta):
    assert order(need(), tool(1, "Alpha", **alpha), tool(2, "Zeta", **zeta)) == [
        "Zeta", "Alpha"], factor


def test_adoptions_by_dissimilar_communes_do_not_count():
    ranked = rank(need(), [tool(1, "Alpha"),
                           tool(2, "Zeta", adopters=[("kreis", 250000), ("stadt", 90000)])])
    assert [r.title for r in ranked] == ["Alpha", "Zeta"]
    assert ranked[1].similar_users == 0
    assert not any("ähnlich" in reason for reason in ranked[1].reasons)


def test_adoption_bonus_is_capped_so_topic_still_matters():
    crowd = [("gemeinde", 3500)] * 20
    ranked = rank(need(text="x"), [tool(1, "Alpha", topics=("gesundheit", "wohnen")),
                                   tool(2, "Zeta", topics=("gesundheit",), adopters=crowd)])
    # Alpha: 2 + 2 topics; Zeta: 2 + 1 topic + capped 2 for adoptions
    assert [r.title for r in ranked] == ["Zeta", "Alpha"]
    assert ranked[0].score - ranked[1].score == 1


def test_the_page_can_say_why():
    ranked = rank(need(), [tool(1, "Rezeptbriefkasten", kinds=("gemeinde",), hi=5000,
                                adopters=[("gemeinde", 3000), ("gemeinde", 4200)])],
                  topic_names=NAMES)
    assert ranked[0].why == ("passt zum Thema Gesundheit und Pflege · passt zu Art und Größe "
                             "Ihrer Kommune · von 2 ähnlichen Kommunen genutzt")
    two = rank(need(), [tool(1, "Wohnberatung", topics=("gesundheit", "wohnen"))],
               topic_names=NAMES)
    assert two[0].why == "passt zu den Themen Gesundheit und Pflege und Wohnen"
    one = rank(need(), [tool(1, "Bus", adopters=[("gemeinde", 3000)])], topic_names=NAMES)
    assert "von 1 ähnlichen Kommune genutzt" in one[0].why


def test_excluded_tools_are_left_out():
    tools = [tool(1, "Alpha"), tool(2, "Zeta")]
    assert [r.title for r in rank(need(), tools, exclude={1})] == ["Zeta"]


def test_the_index_gives_the_same_ranking_as_looking_at_every_tool():
    from zwk.toolbox.ranking import build_index

    tools = [tool(1, "Alpha", topics=("kooperation",), keywords="Hausarzt"),
             tool(2, "Beta", topics=("wohnen",)),
             tool(3, "Gamma", topics=("gesundheit",), adopters=[("gemeinde", 3000)]),
             tool(4, "Delta", topics=("integration",), keywords="Sprachkurs"),
             tool(5, "Epsilon", topics=(), keywords="Hausärztemangel Praxis")]
    for n in (need(), need("Hausärztemangel", fields=()), need("Wohnraum fehlt",
                                                               fields=("Bildung",))):
        plain = rank(n, tools, limit=10)
        indexed = rank(n, build_index(tools), limit=10)
        assert [(r.tool_id, r.score, r.reasons) for r in plain] == [
            (r.tool_id, r.score, r.reasons) for r in indexed]
