"""The shipped tools: loaded by migration on every install, covering every topic and step."""

from zwk.process.stages import STAGE_TYPES
from zwk.toolbox.data.tools import TOOLS
from zwk.toolbox.loader import load_shipped_tools
from zwk.toolbox.models import TOPICS, Tool, Topic


def test_the_migration_runs_the_loader():
    import importlib

    migration = importlib.import_module("zwk.toolbox.migrations.0002_shipped_tools")
    assert migration.Migration.operations[0].code is migration.load


def test_at_least_30_published_tools_and_13_topics(db):
    assert Tool.objects.filter(status="published").count() >= 30
    assert Topic.objects.count() == 13


def test_every_topic_and_every_step_has_tools(db):
    for slug, _name in TOPICS:
        assert Tool.objects.filter(topics__slug=slug).exists(), slug
    for key in STAGE_TYPES:
        assert Tool.objects.filter(stages__contains=f",{key},").count() >= 3, key


def test_named_methods_are_there_with_sources(db):
    for slug in ("zukunftswerkstatt-jungk", "world-cafe", "open-space", "swot-workshop",
                 "experteninterview", "planspiel-verwaltung", "quartiersspaziergang",
                 "buergerbefragung", "quartiersprofile-demografielabor", "zukunftsbeirat"):
        assert Tool.objects.filter(slug=slug).exists(), slug
    for slug in ("zukunftswerkstatt-jungk", "world-cafe", "open-space", "swot-workshop"):
        assert Tool.objects.get(slug=slug).source_list[0].startswith("https://")


def test_every_entry_is_complete():
    types = {c for c, _ in Tool.Type.choices}
    for entry in TOOLS:
        assert entry["type"] in types and entry["summary"] and entry["topics"], entry["slug"]
        assert set(entry["stages"].split(",")) <= set(STAGE_TYPES), entry["slug"]


def test_loader_is_idempotent_and_fills_search_text(db):
    assert load_shipped_tools(Topic, Tool) == 0  # the autouse fixture loaded them already
    assert "wohn" in Tool.objects.get(slug="wohnraumberatung").search_text.split()
