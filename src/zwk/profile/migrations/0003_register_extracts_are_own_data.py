"""Register extracts (tidy CSV) stored before they had their own label were marked "amtlich":
mark them as the commune's own data and give them the own-data source line."""

from django.db import migrations

OLD_PREFIX = "Melderegister-Auszug ("


def relabel(apps, schema_editor):
    DataSource = apps.get_model("profile", "DataSource")
    for source in DataSource.objects.filter(source_line__startswith=OLD_PREFIX,
                                            is_synthetic=False):
        source.layout = "eigene Daten"
        source.source_line = ("Eigene Daten der Kommune (Melderegister-Auszug, Datei "
                              f"„{source.original_name}“)")
        source.save(update_fields=["layout", "source_line"])


class Migration(migrations.Migration):
    dependencies = [("profile", "0002_interview_version_interviewguide_version_and_more")]
    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
