"""Werkstattplan: action field (communes.ActionField) → goal → sub-goal … → measure, and the
frozen plan versions. Business logic lives in services/selectors/progress/diff."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL

DEFAULT_STATUSES = (
    # key, name, default progress, timeline colour key (zwk.charts.timeline.STATUS_COLOURS)
    ("geplant", "geplant", 0, "geplant"),
    ("vorbereitung", "in Vorbereitung", 10, "geplant"),
    ("umsetzung", "in Umsetzung", 50, "laufend"),
    ("verzoegert", "verzögert", 40, "verzögert"),
    ("abgeschlossen", "abgeschlossen", 100, "abgeschlossen"),
    ("gestoppt", "gestoppt", 0, "gestoppt"),
)


class MeasureStatus(models.Model):
    """A status of measures, per programme, with the progress it means by default."""

    programme = models.ForeignKey("communes.Programme", on_delete=models.CASCADE,
                                  related_name="measure_statuses")
    key = models.SlugField(max_length=30)
    name = models.CharField(_("Status"), max_length=60)
    default_progress = models.PositiveSmallIntegerField(_("Fortschritt in %"), default=0)
    chart_key = models.CharField(max_length=20, default="geplant")
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        _("wird vergeben"), default=True,
        help_text=_("Ein zurückgezogener Status wird nicht mehr angeboten; Maßnahmen, die ihn "
                    "haben, behalten ihn."))

    class Meta:
        verbose_name = _("Status einer Maßnahme")
        verbose_name_plural = _("Status der Maßnahmen")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="plan_unique_status_key"),
            models.CheckConstraint(condition=Q(default_progress__lte=100),
                                   name="plan_status_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """A goal (Leitziel) or sub-goal, optionally SMART with an indicator."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="plan_goals")
    action_field = models.ForeignKey("communes.ActionField", on_delete=models.PROTECT,
                                     related_name="plan_goals", verbose_name=_("Handlungsfeld"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", verbose_name=_("Übergeordnetes Ziel"))
    title = models.CharField(_("Ziel"), max_length=280)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveIntegerField(default=0)
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)
    indicator_key = models.CharField(_("Kennzahl aus dem Kommunalprofil"), max_length=60,
                                     blank=True)
    indicator_name = models.CharField(_("Eigene Kennzahl"), max_length=200, blank=True)
    indicator_unit = models.CharField(_("Einheit"), max_length=40, blank=True)
    indicator_source = models.CharField(_("Quelle"), max_length=200, blank=True)
    baseline_value = models.DecimalField(_("Ausgangswert"), max_digits=14, decimal_places=3,
                                         null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("Jahr des Ausgangswerts"), null=True,
                                                     blank=True)
    target_value = models.DecimalField(_("Zielwert"), max_digits=14, decimal_places=3,
                                       null=True, blank=True)
    target_date = models.DateField(_("Zieldatum"), null=True, blank=True)
    swot_items = models.ManyToManyField("profile.SwotItem", blank=True, related_name="plan_goals",
                                        verbose_name=_("SWOT-Punkte"))
    candidate = models.ForeignKey("workshop.Candidate", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="plan_goals")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["commune", "action_field"])]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    class Priority(models.TextChoices):
        HIGH = "hoch", _("hoch")
        MEDIUM = "mittel", _("mittel")
        LOW = "niedrig", _("niedrig")

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="plan_measures")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="measures",
                             verbose_name=_("Ziel"))
    title = models.CharField(_("Maßnahme"), max_length=280)
    description = models.TextField(_("Beschreibung"), blank=True)
    target_groups = models.CharField(_("Zielgruppen"), max_length=300, blank=True)
    lead = models.CharField(_("Federführung"), max_length=200, blank=True)
    partners = models.CharField(_("Partner:innen"), max_length=300, blank=True)
    start = models.DateField(_("Beginn"), null=True, blank=True)
    end = models.DateField(_("Ende"), null=True, blank=True)
    budget = models.DecimalField(_("Budget in Euro"), max_digits=14, decimal_places=2, null=True,
                                 blank=True)
    funding_source = models.CharField(_("Finanzierung"), max_length=200, blank=True)
    status = models.ForeignKey(MeasureStatus, on_delete=models.PROTECT, related_name="measures",
                               verbose_name=_("Status"))
    progress_override = models.PositiveSmallIntegerField(
        _("Fortschritt in % (abweichend vom Status)"), null=True, blank=True,
        validators=[MaxValueValidator(100, _("Der Fortschritt muss zwischen 0 und 100 Prozent liegen."))])
    priority = models.CharField(_("Priorität"), max_length=10, choices=Priority.choices,
                                default=Priority.MEDIUM)
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)
    position = models.PositiveIntegerField(default=0)
    dependencies = models.ManyToManyField("self", symmetrical=False, blank=True,
                                          related_name="dependents",
                                          verbose_name=_("Hängt ab von"))
    candidates = models.ManyToManyField("workshop.Candidate", blank=True,
                                        related_name="plan_measures")
    cards = models.ManyToManyField("workshop.Card", blank=True, related_name="plan_measures",
                                   verbose_name=_("Karten der Werkstatt"))
    swot_items = models.ManyToManyField("profile.SwotItem", blank=True,
                                        related_name="plan_measures",
                                        verbose_name=_("SWOT-Punkte"))
    inventory_entries = models.ManyToManyField("profile.InventoryEntry", blank=True,
                                               related_name="plan_measures",
                                               verbose_name=_("Bestandsaufnahme"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["commune", "goal"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress_override__isnull=True)
                                   | Q(progress_override__lte=100),
                                   name="plan_measure_progress_max_100",
                                   violation_error_message=_(
                                       "Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")),
            models.CheckConstraint(condition=Q(start__isnull=True) | Q(end__isnull=True)
                                   | Q(end__gte=models.F("start")),
                                   name="plan_measure_end_after_start",
                                   violation_error_message=_("Das Ende liegt vor dem Beginn.")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> int:
        if self.progress_override is not None:
            return self.progress_override
        return self.status.default_progress


class PlanVersion(models.Model):
    """A frozen copy of the whole plan. Adopted versions are never changed."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="plan_versions")
    number = models.PositiveIntegerField()
    label = models.CharField(_("Bezeichnung"), max_length=200)
    adopted_on = models.DateField(_("Beschlossen am"))
    resolution = models.CharField(_("Beschluss-Nr."), max_length=100, blank=True)
    snapshot = models.JSONField(default=dict)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Fassung des Werkstattplans")
        verbose_name_plural = _("Fassungen des Werkstattplans")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["commune", "number"],
                                               name="plan_unique_version_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


class ProgressEntry(models.Model):
    """A dated note on how a measure is going (the progress log)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress_log")
    date = models.DateField(_("Datum"))
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in %"), null=True, blank=True,
        validators=[MaxValueValidator(100, _("Der Fortschritt muss zwischen 0 und 100 Prozent "
                                             "liegen."))])
    note = models.TextField(_("Was ist passiert?"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.date}"


class Milestone(models.Model):
    """A planned step of a measure with its due date. Reaching it logs a progress entry (the
    recorded milestone); until then the timeline shows it as planned, and overdue after `due`."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due = models.DateField(_("Geplant bis"))
    reached = models.OneToOneField(ProgressEntry, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="milestone")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.due})"


class IndicatorMeasurement(models.Model):
    """A re-measurement of a goal's indicator, compared with baseline and target."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("Wert"), max_digits=14, decimal_places=3)
    measured_on = models.DateField(_("Stand"))
    source = models.CharField(_("Quelle"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.value} ({self.measured_on})"


class Review(models.Model):
    """Zwischenbilanz: a review of every measure, decisions, continuation, revised version."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="plan_reviews")
    title = models.CharField(_("Titel"), max_length=200)
    held_on = models.DateField(_("Datum"))
    notes = models.TextField(_("Verlauf, Hindernisse und Gelingensfaktoren insgesamt"),
                             blank=True)
    has_structure = models.BooleanField(_("Struktur für die Verstetigung (z. B. "
                                          "Zukunftsbeirat)"), default=False)
    has_budget_line = models.BooleanField(_("Haushaltsstelle"), default=False)
    has_responsible_post = models.BooleanField(_("Zuständige Stelle"), default=False)
    has_council_decision = models.BooleanField(_("Ratsbeschluss zur Verstetigung"),
                                               default=False)
    continuation_notes = models.TextField(_("Anmerkungen zur Verstetigung"), blank=True)
    revised_version = models.OneToOneField(PlanVersion, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="review")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Zwischenbilanz")
        verbose_name_plural = _("Zwischenbilanzen")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class MeasureReview(models.Model):
    class State(models.TextChoices):
        DONE = "done", _("abgeschlossen")
        ONGOING = "ongoing", _("läuft")
        DELAYED = "delayed", _("verzögert")
        STOPPED = "stopped", _("gestoppt")
        NEW = "new", _("neu")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="measure_reviews")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reviews")
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices)
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in %"), validators=[MaxValueValidator(100)])
    barriers = models.TextField(_("Hindernisse"), blank=True)
    enablers = models.TextField(_("Gelingensfaktoren"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "measure"],
                                               name="plan_unique_measure_review"),
                       models.CheckConstraint(condition=Q(progress__lte=100),
                                              name="plan_review_progress_max_100")]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.state}"


class ReviewDecision(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("Beschluss oder Vereinbarung"), max_length=500)
    responsible = models.CharField(_("Zuständig"), max_length=200, blank=True)
    due = models.DateField(_("Bis"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class PlanPublication(models.Model):
    """Opt-in per commune: the latest adopted version is shown on a public page."""

    commune = models.OneToOneField("communes.Commune", on_delete=models.CASCADE,
                                   related_name="plan_publication")
    is_published = models.BooleanField(default=False)
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.is_published}"
