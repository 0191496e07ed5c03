from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryEvent(models.Model):
    """One row per write: who did what, when, with which parameters.

    This is the audit trail and the commune's timeline. Rows are only ever added.
    `subject_label` keeps the name the object had at the time, so the history stays
    readable after renames and deletions.
    """

    programme = models.ForeignKey(
        "communes.Programme", null=True, blank=True, on_delete=models.CASCADE,
        related_name="history_events",
    )
    commune = models.ForeignKey(
        "communes.Commune", null=True, blank=True, on_delete=models.CASCADE,
        related_name="history_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlaufseinträge")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["commune", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.subject_label}"
