"""A stored, weighted search vector for tools (GIN-indexed on PostgreSQL) and a data step that
fills it, and the new search_text (stems plus folded words, rich-text markup removed), for
every existing tool. On SQLite the column stays empty and no index is created: the search
there uses search_text (zwk.toolbox.search)."""

import django.contrib.postgres.search
from django.db import migrations

INDEX = "toolbox_tool_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON toolbox_tool USING gin (search_vector)")
        # Keep the (compressed) vectors in the table row instead of the TOAST table: a search
        # that matches many tools reads and ranks each matching vector, and a TOAST look-up per
        # row made that 3-4x slower (benchmarks/toolbox.py, 5,000 tools: 37 ms -> 10 ms).
        schema_editor.execute(
            "ALTER TABLE toolbox_tool ALTER COLUMN search_vector SET STORAGE MAIN")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(
            "ALTER TABLE toolbox_tool ALTER COLUMN search_vector SET STORAGE EXTENDED")


def fill(apps, schema_editor):
    from zwk.toolbox.search import refresh_all

    Tool = apps.get_model("toolbox", "Tool")
    refresh_all(Tool.objects.using(schema_editor.connection.alias).all())


class Migration(migrations.Migration):

    dependencies = [
        ("toolbox", "0003_practice_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="tool",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
