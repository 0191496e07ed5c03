"""The Kommunalprofil of a commune: data, scenarios, inventory, interviews, SWOT, approval."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


def data_path(source: DataSource, filename: str) -> str:
    return f"profile/{source.commune_id}/data/{uuid.uuid4().hex}"


def attachment_path(entry: InventoryEntry, filename: str) -> str:
    return f"profile/{entry.commune_id}/inventory/{uuid.uuid4().hex}"


class DataSource(models.Model):
    """An official statistics file (or API result, or synthetic demo file) of a commune.

    The file itself is kept so the numbers can always be reproduced from it; what it holds
    (tables, regions, years) is stored beside it for listing without parsing.
    """

    class Origin(models.TextChoices):
        UPLOAD = "upload", _("Hochgeladen")
        API = "api", _("Über die Schnittstelle abgerufen")
        DEMO = "demo", _("Synthetische Demodaten")

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="data_sources")
    title = models.CharField(_("Titel"), max_length=200)
    file = models.FileField(upload_to=data_path, max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.UPLOAD)
    layout = models.CharField(_("Format"), max_length=40)
    tables = models.JSONField(default=list)
    regions = models.JSONField(default=list)   # [{"ags": "05958", "name": "Hochsauerlandkreis"}]
    years = models.JSONField(default=list)     # sorted list of years
    row_count = models.PositiveIntegerField(default=0)
    source_line = models.TextField(_("Quelle und Lizenz"))
    is_synthetic = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    #: `layout` of a commune's own figures (a register extract): not official statistics
    OWN_DATA = "eigene Daten"

    class Meta:
        verbose_name = _("Datensatz")
        verbose_name_plural = _("Datensätze")
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["commune", "sha256"],
                                               name="unique_data_file_per_commune")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_official(self) -> bool:
        """Official statistics (credited under the Datenlizenz Deutschland)?"""
        return not self.is_synthetic and self.layout != self.OWN_DATA


class ComparisonRegion(models.Model):
    """A region the profile compares the commune with: its Kreis, its Land, other communes."""

    class Kind(models.TextChoices):
        KREIS = "kreis", _("Kreis")
        LAND = "land", _("Land")
        COMMUNE = "commune", _("Kommune des Programms")
        OTHER = "other", _("Sonstige")

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="comparison_regions")
    ags = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_automatic = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "ags"],
                                               name="unique_comparison_region")]

    def __str__(self) -> str:
        return self.name


class Scenario(models.Model):
    """A named projection scenario of a commune: a preset plus the user's adjustments."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="scenarios")
    name = models.CharField(_("Name"), max_length=120)
    preset = models.CharField(_("Ausgangsvariante"), max_length=40, default="base")
    horizon = models.PositiveSmallIntegerField(_("Zieljahr"), default=2040)
    parameters = models.JSONField(default=dict)  # the engine's assumption values, validated
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Szenario")
        verbose_name_plural = _("Szenarien")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"],
                                               name="unique_scenario_name")]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """The profile document itself: chapter texts, outlook, and its approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        APPROVED = "approved", _("Freigegeben")

    commune = models.OneToOneField("communes.Commune", on_delete=models.CASCADE,
                                   related_name="profile")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    chapters = models.JSONField(default=dict)  # chapter key -> free text
    outlook = models.TextField(_("Ausblick"), blank=True)
    version = models.PositiveIntegerField(default=1)  # zwk.core.concurrency
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Kommunalprofil {self.commune}"


class InventoryEntry(models.Model):
    """Bestandsaufnahme: an existing measure, project, concept or actor."""

    class Kind(models.TextChoices):
        MEASURE = "measure", _("Maßnahme")
        PROJECT = "project", _("Projekt")
        CONCEPT = "concept", _("Konzept")
        ACTOR = "actor", _("Akteur:in oder Netzwerk")

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        RUNNING = "running", _("läuft")
        PERMANENT = "permanent", _("dauerhaft")
        FINISHED = "finished", _("abgeschlossen")

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="inventory")
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.MEASURE)
    description = models.TextField(_("Beschreibung"), blank=True)
    action_fields = models.ManyToManyField("communes.ActionField", blank=True,
                                           verbose_name=_("Handlungsfelder"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices,
                              default=Status.RUNNING)
    responsible = models.CharField(_("Verantwortlich"), max_length=200, blank=True)
    url = models.URLField(_("Link"), blank=True)
    attachment = models.FileField(upload_to=attachment_path, blank=True, max_length=300)
    attachment_name = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)  # zwk.core.concurrency
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Eintrag der Bestandsaufnahme")
        verbose_name_plural = _("Bestandsaufnahme")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class InterviewGuide(models.Model):
    commune = models.OneToOneField("communes.Commune", on_delete=models.CASCADE,
                                   related_name="interview_guide")
    questions = models.TextField(_("Fragen (eine pro Zeile)"))
    version = models.PositiveIntegerField(default=1)  # zwk.core.concurrency

    def __str__(self) -> str:
        return f"Leitfaden {self.commune}"


class Interview(models.Model):
    """An interview with a key actor. Only role/institution, no name: data minimisation."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="interviews")
    role = models.CharField(_("Rolle oder Institution"), max_length=200)
    held_on = models.DateField(_("Datum"))
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    version = models.PositiveIntegerField(default=1)  # zwk.core.concurrency
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Interview")
        verbose_name_plural = _("Interviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.role} ({self.held_on:%d.%m.%Y})"


class InterviewStatement(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE,
                                  related_name="statements")
    action_field = models.ForeignKey("communes.ActionField", null=True, blank=True,
                                     on_delete=models.SET_NULL, verbose_name=_("Handlungsfeld"))
    text = models.TextField(_("Kernaussage"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class SwotItem(models.Model):
    class Quadrant(models.TextChoices):
        STRENGTH = "strength", _("Stärke")
        WEAKNESS = "weakness", _("Schwäche")
        OPPORTUNITY = "opportunity", _("Chance")
        THREAT = "threat", _("Risiko")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Vorschlag")
        ACCEPTED = "accepted", _("übernommen")
        DISMISSED = "dismissed", _("verworfen")

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="swot_items")
    quadrant = models.CharField(_("Feld"), max_length=12, choices=Quadrant.choices)
    text = models.CharField(_("Aussage"), max_length=300)
    action_fields = models.ManyToManyField("communes.ActionField", blank=True,
                                           verbose_name=_("Handlungsfelder"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    rule_key = models.CharField(max_length=60, blank=True)  # set on proposals from the data
    figures = models.JSONField(default=dict, blank=True)     # what triggered the proposal
    indicator_key = models.CharField(_("Kennzahl"), max_length=60, blank=True)
    interview_statement = models.ForeignKey(InterviewStatement, null=True, blank=True,
                                            on_delete=models.SET_NULL,
                                            verbose_name=_("Interviewaussage"))
    inventory_entry = models.ForeignKey(InventoryEntry, null=True, blank=True,
                                        on_delete=models.SET_NULL,
                                        verbose_name=_("Eintrag der Bestandsaufnahme"))
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)  # zwk.core.concurrency
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SWOT-Punkt")
        verbose_name_plural = _("SWOT-Punkte")
        ordering = ["quadrant", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["commune", "rule_key"],
                                               condition=~Q(rule_key=""),
                                               name="unique_swot_proposal")]

    def __str__(self) -> str:
        return self.text

    @property
    def indicator_label(self) -> str:
        """The German name of the evidence indicator; never the internal key."""
        from zwk.profile.analysis import INDICATOR_BY_KEY

        found = INDICATOR_BY_KEY.get(self.indicator_key)
        return str(found.label) if found else ""


class Comment(models.Model):
    """A remark on the draft profile, from team or consultant (the reflection step)."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="profile_comments")
    section = models.CharField(_("Abschnitt"), max_length=40, blank=True)
    text = models.TextField(_("Kommentar"))
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
