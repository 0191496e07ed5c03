"""`zwk manage purge_participants`: apply the retention rule for participant data."""

from django.conf import settings
from django.core.management.base import BaseCommand

from zwk.workshop.personal_data import participants_purge


class Command(BaseCommand):
    help = ("Entfernt die persönlichen Angaben der Teilnehmenden von Werkstätten, die länger als "
            "ZWK_PARTICIPANT_RETENTION_DAYS beendet sind. Mehrfaches Ausführen ändert nichts "
            "weiter.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Aufbewahrung in Tagen (Standard: ZWK_PARTICIPANT_RETENTION_DAYS)")

    def handle(self, *args, days=None, **options):
        days = settings.ZWK_PARTICIPANT_RETENTION_DAYS if days is None else days
        if days < 0:
            self.stderr.write("Die Aufbewahrung muss 0 oder mehr Tage betragen.")
            raise SystemExit(2)
        count = participants_purge(older_than_days=days)
        self.stdout.write(f"{count} Teilnehmende anonymisiert (Aufbewahrung {days} Tage).")
