"""Search and filters, on SQLite (own stemmer) and PostgreSQL (plus German full text)."""

from zwk.toolbox.models import Tool
from zwk.toolbox.selectors import ToolFilter, related_tools, tool_search, tools_for_stage


def slugs(f: ToolFilter, base=None):
    return {t.slug for t in tool_search(f, base=base)}


def test_wohnung_finds_wohnen_and_compounds(tool_factory):
    a = tool_factory(title="Mehrgenerationen", summary="Gemeinsames Wohnen von Jung und Alt.",
                     keywords="Zzyqx")
    b = tool_factory(title="Tauschbörse", summary="Ein Wohnraumtausch für Ältere.",
                     keywords="Zzyqx")
    tool_factory(title="Sportfest", summary="Sport im Park.", keywords="Zzyqx",
                 topics=("begegnung",))
    found = slugs(ToolFilter(query="Wohnung Zzyqx"))
    assert found == {a.slug, b.slug}


def test_umlauts_are_optional_in_queries(tool_factory):
    t = tool_factory(title="Ärztehaus auf dem Land", summary="Praxisräume günstig vermieten.")
    assert t.slug in slugs(ToolFilter(query="arzte"))
    assert t.slug in slugs(ToolFilter(query="Ärzte"))
    assert t.slug in slugs(ToolFilter(query="GÜNSTIG"))


def test_shipped_catalogue_answers_typical_questions(db):
    assert "wohnraumberatung" in slugs(ToolFilter(query="Wohnung"))
    assert "sommerakademie-aerzte" in slugs(ToolFilter(query="Ärztemangel"))
    assert "zukunftswerkstatt-jungk" in slugs(ToolFilter(query="Zukunftswerkstatt"))
    assert slugs(ToolFilter(query="Quxbazfoo")) == set()


def test_all_words_must_match(tool_factory):
    a = tool_factory(title="Jugendforum Kreis", summary="Jugend und Politik.")
    tool_factory(title="Jugendtreff", summary="Ein Raum.")
    assert slugs(ToolFilter(query="Jugend Politik")) == {a.slug}


def test_title_hits_come_first(tool_factory):
    tool_factory(title="Aaa Beratung", summary="Etwas über Zwergschulen.")
    tool_factory(title="Zwergschulen erhalten", summary="Kleine Schulen.")
    first = next(iter(tool_search(ToolFilter(query="Zwergschulen"))))
    assert first.title == "Zwergschulen erhalten"


def test_filters_topic_type_stage_kind_size_effort(tool_factory):
    base = Tool.objects.filter(title__startswith="F-")
    small = tool_factory(title="F-Dorf", topics=("engagement",), type="practice",
                         stages=["plan"], commune_kinds=["gemeinde"], max_population=5000,
                         effort="low")
    city = tool_factory(title="F-Stadt", topics=("wohnen",), type="method",
                        stages=["workshop", "plan"], commune_kinds=["stadt"],
                        min_population=20000, effort="high")
    anywhere = tool_factory(title="F-Überall", topics=("wohnen", "engagement"), type="guide",
                            stages=["kickoff"], effort="medium")
    assert slugs(ToolFilter(topic="engagement"), base) == {small.slug, anywhere.slug}
    assert slugs(ToolFilter(type="method"), base) == {city.slug}
    assert slugs(ToolFilter(stage="plan"), base) == {small.slug, city.slug}
    assert slugs(ToolFilter(kind="stadt"), base) == {city.slug, anywhere.slug}
    assert slugs(ToolFilter(population=2000), base) == {small.slug, anywhere.slug}
    assert slugs(ToolFilter(population=50000), base) == {city.slug, anywhere.slug}
    assert slugs(ToolFilter(effort="low"), base) == {small.slug}
    assert slugs(ToolFilter(effort="medium"), base) == {small.slug, anywhere.slug}
    assert slugs(ToolFilter(topic="wohnen", stage="workshop", kind="stadt"), base) == {city.slug}


def test_only_published_tools_are_found(tool_factory):
    draft = tool_factory(title="Entwurfswerkzeug Xylo", publish=False)
    assert draft.slug not in slugs(ToolFilter(query="Xylo"))


def test_related_tools_share_topics(db):
    tool = Tool.objects.get(slug="sommerakademie-aerzte")
    related = related_tools(tool)
    assert related and tool not in related
    assert all({"gesundheit", "arbeit"} & {t.slug for t in r.topics.all()} for r in related)


def test_tools_for_stage_put_methods_first(db):
    tools = tools_for_stage(key="workshop")
    assert tools and all(",workshop," in t.stages for t in tools)
    assert tools[0].type == "method"
