"""Zukunftswerkstatt live: sessions, phases, participants (devices), cards, clusters, votes.

Vote rules are enforced in the database, not only in the UI:
- `Vote`: one row per (participant, card, round), CHECK 1 <= points <= max_points, where
  `max_points` is the session's per-card maximum copied into the row when it is written;
- `Ballot`: one row per (participant, round) with CHECK 0 <= spent <= budget; a vote changes
  `spent` by the difference inside the same transaction, under a row lock on the ballot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    """One live workshop (Zukunftswerkstatt, district evening, youth workshop, …)."""

    class Kind(models.TextChoices):
        WORKSHOP = "zukunftswerkstatt", _("Zukunftswerkstatt")
        DISTRICT = "stadtteilabend", _("Stadtteil- oder Ortsteilabend")
        YOUTH = "jugendwerkstatt", _("Jugendwerkstatt")
        ONLINE = "online", _("Online-Werkstatt")
        GAME = "planspiel", _("Planspiel / Serious Game")
        OTHER = "andere", _("Andere Form")

    class Status(models.TextChoices):
        DRAFT = "draft", _("In Vorbereitung")
        RUNNING = "running", _("Läuft")
        PAUSED = "paused", _("Pausiert")
        CLOSED = "closed", _("Beendet")

    commune = models.ForeignKey("communes.Commune", on_delete=models.CASCADE,
                                related_name="workshop_sessions")
    meeting = models.ForeignKey("process.Meeting", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="workshop_sessions",
                                verbose_name=_("Veranstaltung"))
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    code = models.CharField(_("Zugangscode"), max_length=8, unique=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    current_phase = models.ForeignKey("Phase", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    action_fields = models.ManyToManyField("communes.ActionField", blank=True,
                                           related_name="workshop_sessions",
                                           verbose_name=_("Angebotene Handlungsfelder"))
    points_per_person = models.PositiveSmallIntegerField(_("Punkte pro Person"), default=5)
    max_per_card = models.PositiveSmallIntegerField(_("Höchstens Punkte pro Karte"), default=3)
    rounds_planned = models.PositiveSmallIntegerField(_("Geplante Abstimmungsrunden"), default=1)
    round = models.PositiveSmallIntegerField(_("Aktuelle Runde"), default=1)
    voting_open = models.BooleanField(_("Abstimmung offen"), default=False)
    results_visible = models.BooleanField(_("Ergebnisse sichtbar"), default=False)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    # Two change counters for conditional polling (docs/decisions/0501-live-updates.md):
    # `version` for what participants and the projector see, `staff_version` for the console.
    version = models.PositiveBigIntegerField(default=1)
    staff_version = models.PositiveBigIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Werkstatt-Sitzung")
        verbose_name_plural = _("Werkstatt-Sitzungen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(points_per_person__gte=1, points_per_person__lte=100),
                                   name="ws_points_per_person_range"),
            models.CheckConstraint(condition=Q(max_per_card__gte=1)
                                   & Q(max_per_card__lte=F("points_per_person")),
                                   name="ws_max_per_card_range"),
            models.CheckConstraint(condition=Q(round__gte=1), name="ws_round_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RUNNING, self.Status.PAUSED)


class Phase(models.Model):
    """A phase of a session: Kritik, Phantasie, Verwirklichung, or a custom step."""

    class Kind(models.TextChoices):
        CRITIQUE = "kritik", _("Kritikphase")
        FANTASY = "phantasie", _("Phantasiephase")
        REALISATION = "verwirklichung", _("Verwirklichungsphase")
        CUSTOM = "eigene", _("Eigene Phase")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    title = models.CharField(_("Phase"), max_length=100)
    prompt = models.CharField(_("Leitfrage"), max_length=300, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"],
                                               name="ws_unique_phase_position")]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A device that joined a session; no account. The key lives in a signed cookie."""

    class AgeBand(models.TextChoices):
        UNDER_18 = "u18", _("unter 18")
        A18_29 = "18-29", _("18 bis 29")
        A30_44 = "30-44", _("30 bis 44")
        A45_64 = "45-64", _("45 bis 64")
        A65_74 = "65-74", _("65 bis 74")
        A75 = "75+", _("75 und älter")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    key = models.CharField(max_length=32, unique=True)
    display_name = models.CharField(_("Name (freiwillig)"), max_length=40, blank=True)
    age_band = models.CharField(_("Altersgruppe (freiwillig)"), max_length=8,
                                choices=AgeBand.choices, blank=True)
    is_analogue = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)
    # keyed hash of the client address (zwk.core.counters.fingerprint), never the address:
    # lets the console show bursts of joins from one client
    client = models.CharField(max_length=16, blank=True, db_index=True)
    # set when the personal data was removed (by the person, or by the retention rule)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return self.display_name or f"Teilnehmende #{self.pk}"


class Cluster(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(_("Thema"), max_length=120)
    action_field = models.ForeignKey("communes.ActionField", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("Handlungsfeld"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Card(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet auf Freigabe")
        APPROVED = "approved", _("Freigegeben")
        HIDDEN = "hidden", _("Ausgeblendet")
        PARKED = "parked", _("Geparkt")
        MERGED = "merged", _("Zusammengeführt")

    class Source(models.TextChoices):
        DIGITAL = "digital", _("digital")
        ANALOGUE = "analogue", _("analog")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="cards")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="cards")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="cards")
    text = models.CharField(_("Karte"), max_length=280)
    original_text = models.CharField(max_length=280, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DIGITAL)
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="cards")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged_cards")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return self.text[:80]


class Ballot(models.Model):
    """The points a participant has in one round: spent never exceeds budget (CHECK)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ballots")
    round = models.PositiveSmallIntegerField()
    budget = models.PositiveSmallIntegerField()
    spent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "round"], name="ws_unique_ballot"),
            models.CheckConstraint(condition=Q(spent__gte=0) & Q(spent__lte=F("budget")),
                                   name="ws_ballot_within_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.round}: {self.spent}/{self.budget}"


class Vote(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField()
    points = models.PositiveSmallIntegerField()
    max_points = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "card", "round"],
                                    name="ws_unique_vote"),
            models.CheckConstraint(condition=Q(points__gte=1) & Q(points__lte=F("max_points")),
                                   name="ws_vote_within_card_max"),
        ]
        indexes = [models.Index(fields=["card", "round"])]

    def __str__(self) -> str:
        return f"{self.points} → {self.card_id} (Runde {self.round})"


class Candidate(models.Model):
    """Hand-over to the Werkstattplan: a prioritised cluster or card, with rank and points.

    The Werkstattplan app (a later issue) consumes these rows as candidate goals (clusters)
    and measures (cards); `cluster`/`card` keep the link back to the workshop's cards.
    """

    class Kind(models.TextChoices):
        GOAL = "goal", _("Ziel (aus Thema)")
        MEASURE = "measure", _("Maßnahme (aus Karte)")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="candidates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=280)
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    card = models.ForeignKey(Card, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    action_field = models.ForeignKey("communes.ActionField", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    points = models.PositiveIntegerField(default=0)
    round = models.PositiveSmallIntegerField()
    card_ids = models.JSONField(default=list, blank=True)
    taken_over = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "rank"]
        constraints = [models.UniqueConstraint(fields=["session", "kind", "rank"],
                                               name="ws_unique_candidate_rank")]

    def __str__(self) -> str:
        return self.title
