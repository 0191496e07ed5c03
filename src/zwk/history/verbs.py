"""German sentences for the timeline, one per verb that services record."""

from django.utils.translation import gettext_lazy as _

VERB_SENTENCES = {
    "commune.created": _("hat die Kommune angelegt"),
    "commune.updated": _("hat die Stammdaten geändert"),
    "membership.added": _("hat eine Person aufgenommen"),
    "membership.removed": _("hat eine Person aus der Kommune entfernt"),
    "user.invited": _("hat eine Person eingeladen"),
    "stage.checklist_ticked": _("hat einen Punkt der Checkliste abgehakt"),
    "stage.checklist_unticked": _("hat einen Haken der Checkliste entfernt"),
    "stage.dates_changed": _("hat die Termine geändert"),
    "stage.started": _("hat den Schritt begonnen"),
    "stage.blocked": _("hat den Schritt als blockiert markiert"),
    "stage.unblocked": _("hat die Blockade aufgehoben"),
    "stage.completed": _("hat den Schritt abgeschlossen"),
    "stage.completed_with_override": _("hat den Schritt trotz offener Punkte abgeschlossen"),
    "stage.reopened": _("hat den Schritt wieder geöffnet"),
    "meeting.recorded": _("hat eine Veranstaltung dokumentiert"),
    "meeting.updated": _("hat eine Veranstaltung geändert"),
    "document.uploaded": _("hat ein Dokument hochgeladen"),
    "decision.recorded": _("hat einen Beschluss festgehalten"),
    "data.added": _("hat einen Datensatz geladen"),
    "data.removed": _("hat einen Datensatz entfernt"),
    "data.replaced": _("hat einen Datensatz ersetzt"),
    "profile.approved": _("hat das Kommunalprofil freigegeben"),
    "profile.reopened": _("hat die Freigabe des Kommunalprofils zurückgenommen"),
}


def sentence(verb: str) -> str:
    return str(VERB_SENTENCES.get(verb, verb))
