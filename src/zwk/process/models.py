from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwk.process.stages import STAGE_CHOICES, STAGE_TYPES, StageType


class Stage(models.Model):
    """One of the five steps of one commune: the data part (dates, status)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        ACTIVE = "active", _("In Arbeit")
        BLOCKED = "blocked", _("Blockiert")
        DONE = "done", _("Abgeschlossen")

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE, related_name="stages")
    key = models.CharField(_("Schritt"), max_length=20, choices=STAGE_CHOICES)
    number = models.PositiveSmallIntegerField()
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices,
                              default=Status.OPEN)
    planned_start = models.DateField(_("Geplanter Beginn"), null=True, blank=True)
    planned_end = models.DateField(_("Geplantes Ende (fällig)"), null=True, blank=True)
    actual_start = models.DateField(_("Tatsächlicher Beginn"), null=True, blank=True)
    actual_end = models.DateField(_("Tatsächliches Ende"), null=True, blank=True)
    blocked_reason = models.TextField(_("Grund der Blockade"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    override_reason = models.TextField(_("Begründung für den Abschluss trotz offener Punkte"),
                                       blank=True)

    class Meta:
        verbose_name = _("Schritt")
        verbose_name_plural = _("Schritte")
        ordering = ["commune", "number"]
        constraints = [models.UniqueConstraint(fields=["commune", "key"], name="unique_stage")]

    def __str__(self) -> str:
        return f"{self.number}. {self.type.title} – {self.commune}"

    @property
    def type(self) -> StageType:
        return STAGE_TYPES[self.key]

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class ChecklistTick(models.Model):
    """A hand-ticked checklist item of a stage; no row means not ticked."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="ticks")
    item_key = models.CharField(max_length=64)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    ticked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "item_key"], name="unique_tick")]

    def __str__(self) -> str:
        return f"{self.stage}: {self.item_key}"


class Meeting(models.Model):
    """An event of a stage (Veranstaltung): kick-off evening, interview round, workshop …"""

    class Format(models.TextChoices):
        ONSITE = "onsite", _("vor Ort")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("Titel"), max_length=200)
    date = models.DateField(_("Datum"))
    format = models.CharField(_("Format"), max_length=10, choices=Format.choices,
                              default=Format.ONSITE)
    location = models.CharField(_("Ort oder Plattform"), max_length=200, blank=True)
    participants_count = models.PositiveIntegerField(_("Zahl der Teilnehmenden"), null=True,
                                                     blank=True)
    participant_groups = models.TextField(
        _("Beteiligte Gruppen"), blank=True,
        help_text=_("z. B. Verwaltung, Politik, Vereine, Jugend, Senior:innen, Wirtschaft"))
    agenda = models.TextField(_("Tagesordnung"), blank=True)
    minutes = models.TextField(_("Protokoll"), blank=True)
    version = models.PositiveIntegerField(default=1)  # zwk.core.concurrency
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


def document_path(document: "Document", filename: str) -> str:
    # The stored name is random: the original name is kept in the row, never trusted as a path.
    import uuid

    return f"documents/{document.stage.commune_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Protokoll")
        PRESENTATION = "presentation", _("Präsentation")
        REPORT = "report", _("Bericht")
        RESOLUTION = "resolution", _("Beschlussvorlage")
        PHOTO = "photo", _("Foto")
        OTHER = "other", _("Sonstiges")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision taken in the process (steering group, council, administration)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField(_("Datum"))
    title = models.CharField(_("Beschluss"), max_length=200)
    body = models.CharField(_("Gremium"), max_length=200, blank=True,
                            help_text=_("z. B. Steuerungsgruppe, Gemeinderat, Kreistag"))
    reference = models.CharField(_("Aktenzeichen oder Beschlussnummer"), max_length=100,
                                 blank=True)
    text = models.TextField(_("Inhalt"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title
