"""Every installation starts with the topics and the shipped tools of the Werkzeugkoffer."""

from django.db import migrations


def load(apps, schema_editor):
    from zwk.toolbox.loader import load_shipped_tools

    load_shipped_tools(apps.get_model("toolbox", "Topic"), apps.get_model("toolbox", "Tool"))


class Migration(migrations.Migration):
    dependencies = [("toolbox", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
