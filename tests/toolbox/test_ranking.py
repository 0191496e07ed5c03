"""The recommendation ranking on constructed data: no database."""

from zwk.toolbox.ranking import Need, ToolFacts, rank, similar_size, topics_for_action_fields
from zwk.toolbox.stemming import stems


def facts(id, title, topics=(), keywords="", kinds=(), lo=None, hi=None, adopters=()):
    return ToolFacts(id=id, title=title, topics=frozenset(topics),
                     terms=frozenset(stems(f"{title} {keywords}")), kinds=frozenset(kinds),
                     min_population=lo, max_population=hi, adopters=tuple(adopters))


DOCTORS = facts(1, "Sommerakademie", ["gesundheit"], "Arzt Ärztemangel Hausarzt",
                kinds=["gemeinde"], hi=20000)
HOUSING = facts(2, "Wohnberatung", ["wohnen", "gesundheit"], "Wohnung Alter")
PR = facts(3, "Imagekampagne", ["oeffentlichkeitsarbeit"], "Image")
LETTERBOX = facts(4, "Rezeptbriefkasten", ["gesundheit"], "Arzt Rezept", kinds=["gemeinde"],
                  adopters=[("gemeinde", 3000), ("gemeinde", 4000), ("stadt", 90000)])


def need(text, fields=(), kind="gemeinde", population=3500):
    return Need(text=text, topics=topics_for_action_fields(fields), kind=kind,
                population=population)


def test_action_fields_map_to_topics():
    assert topics_for_action_fields(["Gesundheit, Pflege & Leben im Alter"]) == {
        "gesundheit", "wohnen"}
    assert topics_for_action_fields(["Unbekanntes Feld"]) == frozenset()


def test_word_match_finds_tools_for_a_weakness_without_action_field():
    ranked = rank(need("Hausärztemangel im ländlichen Raum"), [DOCTORS, HOUSING, PR])
    assert [r.tool_id for r in ranked] == [1]
    assert ranked[0].reasons[0] == "passt zum Begriff „Hausärztemangel“"


def test_unrelated_tools_are_not_recommended():
    assert rank(need("Schlechtes Image der Stadt"), [DOCTORS, HOUSING]) == []


def test_topic_match_ranks_and_adoption_by_similar_communes_breaks_ties():
    ranked = rank(need("Praxis schließt", ["Gesundheit, Pflege & Leben im Alter"]),
                  [DOCTORS, HOUSING, LETTERBOX, PR])
    ids = [r.tool_id for r in ranked]
    assert ids.index(2) < ids.index(1)  # two topics shared beat one
    assert ids[0] == 4  # one topic, but adopted by communes of the same kind and size
    assert 3 not in ids
    assert "von 2 ähnlichen Kommunen genutzt" in ranked[ids.index(4)].reasons


def test_kind_and_size_fit_add_points():
    small = rank(need("Arzt fehlt", population=3000), [DOCTORS])[0].score
    big_city = rank(need("Arzt fehlt", kind="stadt", population=300000), [DOCTORS])[0].score
    assert small == big_city + 2


def test_similar_size():
    assert similar_size(3000, 5000) and not similar_size(3000, 9000)
    assert not similar_size(None, 5000)


def test_limit_and_stable_order_by_title():
    tools = [facts(i, f"Werkzeug {chr(70 - i)}", ["wohnen"]) for i in range(5)]
    ranked = rank(need("x", ["Wohnen & Orts-/Stadtentwicklung"]), tools, limit=3)
    assert [r.title for r in ranked] == ["Werkzeug B", "Werkzeug C", "Werkzeug D"]
