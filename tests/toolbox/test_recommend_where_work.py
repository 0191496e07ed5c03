"""Recommendations where the work happens: beside each weakness/threat of the SWOT page and
each Handlungsfeld of the plan outline, ranked with a reason; computed once per page, so the
number of queries does not grow with the number of items, fields, goals or measures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.plan.conftest import goal, measure
from tests.toolbox.conftest import make_tool
from zwk.profile import services as profile_services
from zwk.toolbox import selectors, services
from zwk.toolbox.models import Tool

HEALTH = "Gesundheit, Pflege & Leben im Alter"


def swot(commune, text, quadrant="weakness", fields=(HEALTH,)):
    return profile_services.swot_item_create(
        commune=commune, by=None, data=profile_services.SwotData(
            quadrant=quadrant, text=text,
            action_fields=list(commune.action_fields.filter(name__in=fields))))


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def small_town(world):
    world.commune.kind, world.commune.population = "gemeinde", 3800
    world.commune.save()
    return world.commune


def test_swot_page_shows_tools_with_reasons_beside_weaknesses_only(world, login, small_town):
    weak = swot(small_town, "Hausärztemangel: Praxen finden keine Nachfolge")
    strong = swot(small_town, "Starke Nachbarschaftshilfe", quadrant="strength")
    client = login(world, "team_member")
    html = client.get(reverse("profile_swot", args=[small_town.pk])).content.decode()
    item_html = html[html.index(f'id="punkt-{weak.pk}"'):]
    item_html = item_html[:item_html.index("</li>", item_html.index("</details>"))]
    assert "Rezeptbriefkasten an der Hausarztpraxis" in item_html
    assert "passt zum Thema Gesundheit und Pflege" in item_html
    strong_html = html[html.index(f'id="punkt-{strong.pk}"'):]
    assert "passende Werkzeug" not in strong_html[:strong_html.index("</li>")]


def test_swot_page_marks_tools_the_commune_already_adopted(world, login, small_town):
    weak = swot(small_town, "Hausärztemangel: Praxen finden keine Nachfolge")
    tool = Tool.objects.get(title="Rezeptbriefkasten an der Hausarztpraxis")
    client = login(world, "team_member")
    url = reverse("profile_swot", args=[small_town.pk])

    def item_html() -> str:
        html = client.get(url).content.decode()
        part = html[html.index(f'id="punkt-{weak.pk}"'):]
        return part[:part.index("</li>", part.index("</details>"))]

    assert "bereits übernommen" not in item_html()
    services.tool_adopt(tool=tool, commune=small_town, by=None)
    assert "Rezeptbriefkasten an der Hausarztpraxis</a>" in item_html()
    assert "bereits übernommen" in item_html()


def test_swot_page_queries_do_not_grow_with_the_items(world, login, small_town):
    client = login(world, "coordinator")
    url = reverse("profile_swot", args=[small_town.pk])
    swot(small_town, "Hausärztemangel")
    swot(small_town, "Wenig Wohnraum", fields=("Wohnen & Orts-/Stadtentwicklung",))
    few = queries(client, url)
    for i in range(38):
        swot(small_town, f"Schwäche {i}: Pflegeplätze fehlen",
             quadrant="threat" if i % 2 else "weakness")
    assert queries(client, url) == few


def test_adoptions_of_similar_communes_raise_a_tool_and_the_page_says_so(world, small_town):
    from tests.factories import make_commune

    bus = make_tool(title="Alpha-Pflegelotsen", topics=("gesundheit",))
    lift = make_tool(title="Zeta-Pflegelotsen", topics=("gesundheit",))
    for i in range(2):
        neighbour = make_commune(world.programme, name=f"Nachbardorf {i}")
        neighbour.population = 3000 + i
        neighbour.save()
        services.tool_adopt(tool=lift, commune=neighbour, by=None)
    item = swot(small_town, "Pflegelotsen gesucht")
    ranked = selectors.swot_recommendations(commune=small_town, items=[item], limit=20)[item.pk]
    titles = [t.title for t, _r in ranked]
    assert titles.index("Zeta-Pflegelotsen") < titles.index("Alpha-Pflegelotsen")
    why = dict((t.title, r.why) for t, r in ranked)
    assert "von 2 ähnlichen Kommunen genutzt" in why["Zeta-Pflegelotsen"]
    assert bus.pk != lift.pk


def test_plan_outline_shows_per_field_tools_and_adopted_measures(world, login, small_town):
    health = small_town.action_fields.get(name=HEALTH)
    target = goal(small_town, "Hausärzte halten", field=health)
    adopted = services.tool_adopt_into_plan(tool=Tool.objects.get(slug="rezeptbriefkasten"),
                                            goal=target, by=None)
    client = login(world, "team_member")
    html = client.get(reverse("plan_outline", args=[small_town.pk])).content.decode()
    section = html[html.index(f'id="feld-{health.pk}"'):]
    section = section[:section.index("</section>")]
    assert f"{adopted.measure.title}</a> – übernommen aus" in section
    assert "Werkzeugkoffer: 3 Vorschläge für „Gesundheit, Pflege &amp; Leben im Alter“" in section
    proposals = section[section.index("<details"):]
    assert "Rezeptbriefkasten" not in proposals  # already adopted: not proposed again


def test_own_practices_and_adopted_tools_are_not_proposed_for_the_plan(world, small_town):
    own = make_tool(title="Eigene Pflegelotsen", owner_commune=small_town, topics=("gesundheit",))
    recs = selectors.recommendations_for_plan(commune=small_town, limit=50)
    proposed = {t.pk for r in recs.values() for t, _ in r.tools}
    assert own.pk not in proposed
    other = selectors.recommendations_for_plan(commune=world.other_commune, limit=50)
    assert own.pk in {t.pk for r in other.values() for t, _ in r.tools}


def test_plan_outline_queries_do_not_grow_with_the_plan(world, login, small_town):
    client = login(world, "coordinator")
    url = reverse("plan_outline", args=[small_town.pk])
    g = goal(small_town, "Ein Ziel")
    measure(small_town, g, "Eine Maßnahme")
    few = queries(client, url)
    for af in small_town.action_fields.all()[:10]:
        top = goal(small_town, f"Ziel {af.name}", field=af)
        for j in range(5):
            measure(small_town, goal(small_town, f"Unterziel {j}", parent=top), f"M {j}")
    services.tool_adopt_into_plan(tool=Tool.objects.get(slug="rezeptbriefkasten"), goal=g,
                                  by=None)
    assert queries(client, url) == few


def test_recommendations_for_a_whole_plan_take_seven_queries(small_town,
                                                          django_assert_max_num_queries):
    for af in small_town.action_fields.all():
        measure(small_town, goal(small_town, f"Ziel {af.name}", field=af), "M")
    services.tool_adopt(tool=Tool.objects.get(slug="world-cafe"), commune=small_town, by=None)
    fields = small_town.action_fields.count()
    with django_assert_max_num_queries(7):
        recs = selectors.recommendations_for_plan(commune=small_town)
        assert len(recs) == fields
        assert all(r.tools for r in recs.values() if r.action_field.name == HEALTH)
