"""The stored search representation: weighted, indexed vector on PostgreSQL, stems on SQLite;
kept current on every write; ranking; umlaut spellings, compounds and prefixes."""

import pytest
from django.db import connection

from zwk.toolbox import search, services
from zwk.toolbox.models import Tool, Topic
from zwk.toolbox.selectors import ToolFilter, tool_search

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="the vector and its GIN index exist on PostgreSQL only")


def found(query, **kw):
    return [t.slug for t in tool_search(ToolFilter(query=query, **kw))]


def test_title_match_ranks_above_keyword_and_body_match(tool_factory):
    body = tool_factory(title="Aaa Runder Tisch", summary="Wir sprechen über Quokkahaltung.")
    keyword = tool_factory(title="Bbb Treffen", keywords="Quokkahaltung")
    title = tool_factory(title="Zzz Quokkahaltung im Dorf", summary="Ohne das Wort.")
    assert found("Quokkahaltung") == [title.slug, keyword.slug, body.slug]


def test_umlaut_spelled_with_two_letters_finds_umlaut(tool_factory):
    t = tool_factory(title="Bürgerbeteiligung im Quxdorf", summary="Mitreden.")
    assert t.slug in found("Buergerbeteiligung Quxdorf")
    assert t.slug in found("Bürgerbeteiligung Quxdorf")
    assert t.slug in found("Burgerbeteiligung Quxdorf")


def test_part_of_a_compound_and_prefix_while_typing(tool_factory):
    t = tool_factory(title="Seniorenwohnungen Quxdorf", summary="Kleine Wohnungen.")
    assert t.slug in found("Wohnung Quxdorf")        # tail of a compound
    assert t.slug in found("Seniorenwo Quxdorf")     # prefix of a word being typed
    assert t.slug in found("senior quxd")
    assert found("Wohnungsbau Quxdorf") == []


def test_every_word_must_match_and_short_words_are_ignored(tool_factory):
    a = tool_factory(title="Quxforum Jugend", summary="Jugend und Politik.")
    tool_factory(title="Quxtreff", summary="Ein Raum.")
    assert found("Quxforum Politik a") == [a.slug]
    assert set(found("a")) == set(found(""))


def test_update_keeps_the_stored_search_current(tool_factory):
    tool = tool_factory(title="Quxwerkzeug", summary="Es geht um Nistkästen.")
    assert found("Nistkasten") == [tool.slug]
    data = services.ToolData(title="Quxwerkzeug", summary="Es geht um Streuobstwiesen.",
                             topics=list(tool.topics.all()))
    services.tool_update(tool=tool, data=data, by=None)
    assert found("Nistkasten") == []
    assert found("Streuobstwiese") == [tool.slug]


def test_topic_names_are_searchable_and_follow_topic_changes(tool_factory):
    tool = tool_factory(title="Quxhilfe", summary="Ein Angebot.", topics=("integration",))
    assert tool.slug in found("Integration Quxhilfe")
    data = services.ToolData(title="Quxhilfe", summary="Ein Angebot.",
                             topics=list(Topic.objects.filter(slug="gesundheit")))
    services.tool_update(tool=tool, data=data, by=None)
    assert found("Integration Quxhilfe") == []
    assert found("Pflege Quxhilfe") == [tool.slug]


def test_stored_search_holds_plain_text_without_markup(tool_factory):
    tool = tool_factory(title="Quxlink", summary="Mehr bei [der Stadt](https://evil.example/x?a=1) "
                        "und **fett** <script>alert(1)</script>.")
    stored = Tool.objects.get(pk=tool.pk)
    assert "stadt" in stored.search_text.split() and "fett" in stored.search_text.split()
    for markup in ("evil", "https", "script", "alert", "*", "<", "["):
        assert markup not in stored.search_text
    assert found("evil Quxlink") == [] and found("alert Quxlink") == []
    assert found("Stadt Quxlink") == [tool.slug]


def test_refresh_all_fills_missing_representation(tool_factory):
    """What migration 0004's data step does for rows written before it."""
    tool = tool_factory(title="Quxalt", summary="Ein Heimatmuseum.")
    Tool.objects.filter(pk=tool.pk).update(search_text="", search_vector=None)
    assert found("Heimatmuseum") == []
    search.refresh_all(Tool.objects.filter(pk=tool.pk))
    assert found("Heimatmuseum") == [tool.slug]


def test_query_is_bounded_and_safe(tool_factory):
    tool = tool_factory(title="Quxsicher", summary="Text.")
    assert found("Quxsicher ' & | ! :* ( )") == [tool.slug]   # tsquery syntax is not passed on
    assert len(search.query_stems("wort " * 500)) == 10


@postgres_only
def test_vector_is_weighted_by_field(tool_factory):
    tool = tool_factory(title="Quxtitel", keywords="Quxschlag", summary="Quxkurz",
                        steps="Quxschritt")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM toolbox_tool WHERE id = %s", [tool.pk])
        vector = cursor.fetchone()[0]
    for lexeme, weight in (("quxtitel", "A"), ("quxschlag", "B"), ("quxkurz", "C"),
                           ("quxschritt", "")):  # D is the default and is not printed
        assert f"'{lexeme}':" in vector
        entry = vector.split(f"'{lexeme}':")[1].split(" ")[0]
        assert set(entry) & set("ABCD") == set(weight)   # e.g. "1A": position 1, weight A


def _plan(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _many_tools(n=3000):
    """n filler tools (copies of one shipped tool with a vector of their own), then ANALYZE:
    with realistic table statistics the planner picks the plan it would pick in production."""
    columns = [f.column for f in Tool._meta.concrete_fields
               if f.column not in ("id", "title", "slug", "search_vector")]
    names = ", ".join(columns)
    source = Tool.objects.get(slug="world-cafe").pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO toolbox_tool (title, slug, search_vector, {names}) "
            f"SELECT 'Fuell ' || i, 'fuell-' || i, to_tsvector('simple', 'fuellwort' || i), "
            f"{names} FROM toolbox_tool, generate_series(1, %s) AS i WHERE id = %s",
            [n, source])
        cursor.execute("ANALYZE toolbox_tool")


@postgres_only
@pytest.mark.parametrize("f", [ToolFilter(query="Wohnung"),
                               ToolFilter(query="Jugend Beteiligung", stage="workshop",
                                          population=10000, effort="high")],
                         ids=["words", "words+filters"])
def test_search_and_its_count_use_the_gin_index(db, f):
    _many_tools()
    qs = tool_search(f)
    assert qs.count() < 50
    page_sql = qs[:24].query.get_compiler(connection=connection).as_sql()
    assert "toolbox_tool_search_gin" in _plan(*page_sql)
    inner, params = qs.order_by().values("pk").query.get_compiler(connection=connection).as_sql()
    assert "toolbox_tool_search_gin" in _plan(f"SELECT COUNT(*) FROM ({inner}) q", params)


@postgres_only
def test_vector_is_stored_in_the_row_not_in_toast(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT attstorage FROM pg_attribute WHERE attrelid = 'toolbox_tool'::regclass"
                       " AND attname = 'search_vector'")
        assert cursor.fetchone()[0] == "m"
