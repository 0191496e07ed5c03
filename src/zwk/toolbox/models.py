"""The Werkzeugkoffer: tools (methods, concepts, good practices, talks, guides), their topics,
attachments, and adoptions of good practices by communes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL

# The 13 topics of the programme's toolbox (DOMAIN.md section 4): slug, German name.
TOPICS = (
    ("oeffentlichkeitsarbeit", "Öffentlichkeitsarbeit"),
    ("wohnen", "Wohnen"),
    ("kooperation", "Intra- und Interkommunale Kooperationen"),
    ("digitalisierung", "Digitalisierung"),
    ("demokratiefoerderung", "Demokratieförderung"),
    ("buergerbeteiligung", "Bürgerbeteiligung"),
    ("engagement", "Bürgerschaftliches Engagement"),
    ("begegnung", "Begegnung, Beratung, Selbsthilfe"),
    ("foerdermittel", "Fördermittel"),
    ("gesundheit", "Gesundheit und Pflege"),
    ("arbeit", "Arbeit und Wirtschaft"),
    ("demografiestrategie", "Demografiestrategie"),
    ("integration", "Integration"),
)


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("Thema"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tool(models.Model):
    class Type(models.TextChoices):
        METHOD = "method", _("Methode")
        CONCEPT = "concept", _("Konzept")
        PRACTICE = "practice", _("Gute Praxis")
        TALK = "talk", _("Vortrag oder Video")
        GUIDE = "guide", _("Leitfaden")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("in Prüfung")
        PUBLISHED = "published", _("veröffentlicht")
        RETIRED = "retired", _("zurückgezogen")

    class Effort(models.TextChoices):
        LOW = "low", _("gering")
        MEDIUM = "medium", _("mittel")
        HIGH = "high", _("hoch")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=220, unique=True)
    type = models.CharField(_("Art"), max_length=10, choices=Type.choices)
    topics = models.ManyToManyField(Topic, related_name="tools", verbose_name=_("Themen"))
    # Delimited lists (",kickoff,profile,") so that one `contains` filter works on every DB.
    stages = models.CharField(_("Prozessschritte"), max_length=100, blank=True)
    commune_kinds = models.CharField(_("Passende Kommunenarten"), max_length=100, blank=True)
    min_population = models.PositiveIntegerField(_("ab Einwohnerzahl"), null=True, blank=True)
    max_population = models.PositiveIntegerField(_("bis Einwohnerzahl"), null=True, blank=True)
    effort = models.CharField(_("Aufwand"), max_length=10, choices=Effort.choices,
                              default=Effort.MEDIUM)
    effort_time = models.CharField(_("Zeitaufwand"), max_length=200, blank=True)
    effort_people = models.CharField(_("Personal"), max_length=200, blank=True)
    effort_money = models.CharField(_("Kosten"), max_length=200, blank=True)
    problem = models.TextField(_("Ausgangsproblem"), blank=True)
    summary = models.TextField(_("Kurzbeschreibung"))
    steps = models.TextField(_("So gehen Sie vor"), blank=True, help_text=_("Ein Schritt je Zeile."))
    outcome = models.TextField(_("Ergebnis"), blank=True)
    where_used = models.TextField(_("Wo eingesetzt"), blank=True)
    origin = models.CharField(_("Herkunft"), max_length=300, blank=True)
    contact = models.CharField(_("Kontakt"), max_length=300, blank=True)
    sources = models.TextField(_("Quellen"), blank=True, help_text=_("Eine Quelle je Zeile."))
    keywords = models.CharField(_("Schlagwörter"), max_length=300, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    owner_commune = models.ForeignKey("communes.Commune", null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="toolbox_practices",
                                      verbose_name=_("Kommune"))
    # A good practice a commune published from its Werkstattplan keeps its origin.
    source_measure = models.ForeignKey("plan.Measure", null=True, blank=True,
                                       on_delete=models.SET_NULL,
                                       related_name="published_practices",
                                       verbose_name=_("Maßnahme aus dem Werkstattplan"))
    search_text = models.TextField(editable=False, blank=True)
    # PostgreSQL only (NULL on SQLite): weighted tsvector, GIN-indexed by migration 0004 on
    # PostgreSQL; kept current by zwk.toolbox.search.refresh on every write.
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Werkzeug")
        verbose_name_plural = _("Werkzeuge")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "type"])]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_keys(self) -> list[str]:
        return [s for s in self.stages.split(",") if s]

    @property
    def kind_keys(self) -> list[str]:
        return [s for s in self.commune_kinds.split(",") if s]

    @property
    def step_list(self) -> list[str]:
        return [s.strip() for s in self.steps.splitlines() if s.strip()]

    @property
    def source_list(self) -> list[str]:
        return [s.strip() for s in self.sources.splitlines() if s.strip()]


def attachment_path(attachment: ToolAttachment, filename: str) -> str:
    return f"toolbox/{attachment.tool_id}/{uuid.uuid4().hex}"


class ToolAttachment(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("Titel"), max_length=200)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Adoption(models.Model):
    """A commune took up a tool or good practice, optionally as a measure of its plan."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="adoptions")
    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="toolbox_adoptions")
    note = models.CharField(_("Notiz"), max_length=500, blank=True)
    # The copy in the adopting commune's Werkstattplan (kept when the tool changes).
    measure = models.ForeignKey("plan.Measure", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="toolbox_adoptions",
                                verbose_name=_("Maßnahme im Werkstattplan"))
    adopted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_at"]
        constraints = [models.UniqueConstraint(fields=["tool", "commune"],
                                               name="unique_adoption")]

    def __str__(self) -> str:
        return f"{self.tool} – {self.commune}"
