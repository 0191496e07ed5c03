"""Every write of the live workshop. Each function is atomic and counts a change for polling.

Moderator actions record a history event. Participant writes (cards, votes) are recorded in
their own rows (who = device, when = timestamp) and summarised in the history when a voting
round closes: one event per card or dot would drown the commune's timeline (docs/workshop.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zwk.core import counters
from zwk.history.services import record
from zwk.workshop import live
from zwk.workshop.models import (
    Ballot,
    Candidate,
    Card,
    Cluster,
    Participant,
    Phase,
    Session,
    Vote,
)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read off a wall
CODE_LENGTH = 6
CARD_LIMIT = (10, 60)     # at most 10 cards per device per 60 s
VOTE_LIMIT = (60, 60)     # at most 60 vote changes per device per 60 s

JUNGK_PHASES = (
    (Phase.Kind.CRITIQUE, "Kritikphase", "Was stört Sie heute in unserem Ort? Was fehlt?"),
    (Phase.Kind.FANTASY, "Phantasiephase",
     "Stellen Sie sich unseren Ort in 15 Jahren vor: Alles ist möglich. Was sehen Sie?"),
    (Phase.Kind.REALISATION, "Verwirklichungsphase",
     "Was davon packen wir an? Wer macht mit, was ist der erste Schritt?"),
)


class WorkshopError(ValueError):
    """A write the workshop does not allow; str() is a German message for the person."""


class RateLimited(WorkshopError):
    pass


@dataclass(frozen=True)
class PhaseData:
    title: str
    prompt: str = ""
    kind: str = Phase.Kind.CUSTOM


@dataclass(frozen=True)
class SessionData:
    title: str
    kind: str = Session.Kind.WORKSHOP
    phases: tuple[PhaseData, ...] = field(
        default_factory=lambda: tuple(PhaseData(t, p, k) for k, t, p in JUNGK_PHASES))
    points_per_person: int = 5
    max_per_card: int = 3
    rounds_planned: int = 1
    action_field_ids: tuple[int, ...] = ()


def _new_code() -> str:
    for _attempt in range(50):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Session.objects.filter(code=code).exists():
            return code
    raise WorkshopError(_("Es konnte kein freier Zugangscode erzeugt werden."))


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:CODE_LENGTH + 2]


def _check_rules(points_per_person: int, max_per_card: int, rounds: int) -> None:
    if not 1 <= points_per_person <= 100:
        raise WorkshopError(_("Die Punkte pro Person müssen zwischen 1 und 100 liegen."))
    if not 1 <= max_per_card <= points_per_person:
        raise WorkshopError(_("Die Höchstpunktzahl pro Karte muss zwischen 1 und der Zahl der "
                              "Punkte pro Person liegen."))
    if not 1 <= rounds <= 10:
        raise WorkshopError(_("Es sind 1 bis 10 Abstimmungsrunden möglich."))


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("commune__programme").get(
        pk=session.pk)


@transaction.atomic
def session_create(*, commune, data: SessionData, by, meeting=None) -> Session:
    _check_rules(data.points_per_person, data.max_per_card, data.rounds_planned)
    if not data.phases:
        raise WorkshopError(_("Eine Werkstatt braucht mindestens eine Phase."))
    if meeting is not None and meeting.stage.commune_id != commune.pk:
        raise WorkshopError(_("Die Veranstaltung gehört zu einer anderen Kommune."))
    session = Session.objects.create(
        commune=commune, meeting=meeting, title=data.title, kind=data.kind, code=_new_code(),
        points_per_person=data.points_per_person, max_per_card=data.max_per_card,
        rounds_planned=data.rounds_planned, created_by=by)
    phases = Phase.objects.bulk_create(
        Phase(session=session, position=i, kind=p.kind, title=p.title, prompt=p.prompt)
        for i, p in enumerate(data.phases))
    session.current_phase = phases[0]
    session.save(update_fields=["current_phase"])
    _set_action_fields(session, data.action_field_ids)
    record(verb="workshop.session_created", actor=by, subject=session, commune=commune,
           kind=data.kind, code=session.code, phases=[p.title for p in data.phases],
           meeting=meeting.pk if meeting else None)
    return session


def _set_action_fields(session: Session, ids) -> None:
    fields = list(session.commune.action_fields.filter(pk__in=ids, is_active=True))
    session.action_fields.set(fields)


@transaction.atomic
def session_configure(*, session: Session, data: SessionData, by) -> Session:
    """Title, phases' titles and prompts, offered action fields, voting rules."""
    session = _lock(session)
    _ensure_not_closed(session)
    _check_rules(data.points_per_person, data.max_per_card, data.rounds_planned)
    phases = list(session.phases.all())
    used = set(Card.objects.filter(session=session).values_list("phase_id", flat=True))
    if len(data.phases) < len(phases) and any(p.pk in used for p in phases[len(data.phases):]):
        raise WorkshopError(
            _("Phasen, in denen schon Karten stehen, können nicht entfernt werden."))
    for i, pdata in enumerate(data.phases):
        if i < len(phases):
            phase = phases[i]
            phase.title, phase.prompt = pdata.title, pdata.prompt
            phase.save(update_fields=["title", "prompt"])
        else:
            Phase.objects.create(session=session, position=i, kind=pdata.kind,
                                 title=pdata.title, prompt=pdata.prompt)
    for phase in phases[len(data.phases):]:
        if session.current_phase_id == phase.pk:
            session.current_phase = phases[0]
        phase.delete()
    session.title = data.title
    session.kind = data.kind
    session.points_per_person = data.points_per_person
    session.max_per_card = data.max_per_card
    session.rounds_planned = data.rounds_planned
    session.save()
    _set_action_fields(session, data.action_field_ids)
    live.touch(session)
    record(verb="workshop.session_configured", actor=by, subject=session,
           commune=session.commune, points=data.points_per_person, max_per_card=data.max_per_card,
           phases=[p.title for p in data.phases])
    return session


def _ensure_not_closed(session: Session) -> None:
    if session.status == Session.Status.CLOSED:
        raise WorkshopError(_("Die Werkstatt ist beendet. Öffnen Sie sie für eine weitere "
                              "Abstimmungsrunde wieder, um etwas zu ändern."))


# --- Running the session -------------------------------------------------------------------

CONTROL_VERBS = {
    "start": "workshop.session_started", "pause": "workshop.session_paused",
    "resume": "workshop.session_resumed", "close": "workshop.session_closed",
}


@transaction.atomic
def session_control(*, session: Session, action: str, by) -> Session:
    """start / pause / resume / close."""
    session = _lock(session)
    S = Session.Status
    allowed = {"start": (S.DRAFT,), "pause": (S.RUNNING,), "resume": (S.PAUSED,),
               "close": (S.DRAFT, S.RUNNING, S.PAUSED)}
    if action not in allowed:
        raise WorkshopError(_("Unbekannte Aktion."))
    if session.status not in allowed[action]:
        raise WorkshopError(_("Das geht im Zustand „%(status)s“ nicht.")
                            % {"status": session.get_status_display()})
    session.status = {"start": S.RUNNING, "pause": S.PAUSED, "resume": S.RUNNING,
                      "close": S.CLOSED}[action]
    if action == "close":
        if session.voting_open:
            _close_round(session, by)
        session.closed_at = timezone.now()
        session.timer_ends_at = None
    session.save()
    live.touch(session)
    data = {"participants": session.participants.filter(is_analogue=False).count(),
            "cards": session.cards.count()} if action == "close" else {}
    record(verb=CONTROL_VERBS[action], actor=by, subject=session, commune=session.commune,
           **data)
    return session


@transaction.atomic
def session_reopen(*, session: Session, by) -> Session:
    """Reopen a closed session for another voting round (results hidden again)."""
    session = _lock(session)
    if session.status != Session.Status.CLOSED:
        raise WorkshopError(_("Nur eine beendete Werkstatt kann wieder geöffnet werden."))
    if Vote.objects.filter(card__session=session, round=session.round).exists():
        session.round += 1
    session.status = Session.Status.RUNNING
    session.closed_at = None
    session.results_visible = False
    session.voting_open = False
    session.save()
    live.touch(session)
    record(verb="workshop.session_reopened", actor=by, subject=session, commune=session.commune,
           round=session.round)
    return session


@transaction.atomic
def phase_go(*, session: Session, phase_id: int, by) -> Session:
    session = _lock(session)
    _ensure_not_closed(session)
    phase = session.phases.filter(pk=phase_id).first()
    if phase is None:
        raise WorkshopError(_("Diese Phase gehört nicht zu dieser Werkstatt."))
    session.current_phase = phase
    session.save(update_fields=["current_phase"])
    live.touch(session)
    record(verb="workshop.phase_changed", actor=by, subject=session, commune=session.commune,
           phase=phase.title)
    return session


@transaction.atomic
def timer_set(*, session: Session, minutes: int | None, by) -> Session:
    """Start a countdown of `minutes` (1–180), or stop it with None."""
    session = _lock(session)
    _ensure_not_closed(session)
    if minutes is not None and not 1 <= minutes <= 180:
        raise WorkshopError(_("Der Timer läuft 1 bis 180 Minuten."))
    session.timer_ends_at = (timezone.now() + dt.timedelta(minutes=minutes)) if minutes else None
    session.save(update_fields=["timer_ends_at"])
    live.touch(session)
    record(verb="workshop.timer_set", actor=by, subject=session, commune=session.commune,
           minutes=minutes)
    return session


@transaction.atomic
def voting_set(*, session: Session, open: bool, by) -> Session:
    session = _lock(session)
    _ensure_not_closed(session)
    if session.voting_open == open:
        return session
    if open:
        session.voting_open = True
        session.save(update_fields=["voting_open"])
        record(verb="workshop.voting_opened", actor=by, subject=session,
               commune=session.commune, round=session.round)
    else:
        _close_round(session, by)
        session.save(update_fields=["voting_open"])
    live.touch(session)
    return session


def _close_round(session: Session, by) -> None:
    session.voting_open = False
    votes = Vote.objects.filter(card__session=session, round=session.round)
    totals = votes.aggregate(points=Sum("points"))
    record(verb="workshop.voting_closed", actor=by, subject=session, commune=session.commune,
           round=session.round, points=totals["points"] or 0,
           voters=votes.values("participant").distinct().count())


@transaction.atomic
def next_round(*, session: Session, by) -> Session:
    """Start a further voting round on an open session (results of the last are kept)."""
    session = _lock(session)
    _ensure_not_closed(session)
    if session.voting_open:
        _close_round(session, by)
    session.round += 1
    session.results_visible = False
    session.save(update_fields=["round", "results_visible", "voting_open"])
    live.touch(session)
    record(verb="workshop.round_started", actor=by, subject=session, commune=session.commune,
           round=session.round)
    return session


@transaction.atomic
def results_show(*, session: Session, visible: bool, by) -> Session:
    session = _lock(session)
    session.results_visible = visible
    session.save(update_fields=["results_visible"])
    live.touch(session)
    record(verb="workshop.results_revealed" if visible else "workshop.results_hidden",
           actor=by, subject=session, commune=session.commune, round=session.round)
    return session


# --- Participants --------------------------------------------------------------------------

JOIN_WINDOW = 600  # seconds in which joins per client and workshop are counted


@transaction.atomic
def participant_join(*, session: Session, display_name: str = "", age_band: str = "",
                     client_address: str = "") -> Participant:
    """A new device joins. Joins per client address and workshop are counted in the shared
    cache (all app processes together) and refused beyond ZWK_WORKSHOP_JOINS_PER_CLIENT within
    ten minutes, so one person cannot collect budgets of points by joining again and again."""
    if session.status == Session.Status.CLOSED:
        raise WorkshopError(_("Diese Werkstatt ist bereits beendet. Vielen Dank für Ihr "
                              "Interesse!"))
    if age_band and age_band not in Participant.AgeBand.values:
        raise WorkshopError(_("Bitte wählen Sie eine der angebotenen Altersgruppen."))
    client = counters.fingerprint(client_address) if client_address else ""
    if client and counters.hit(f"ws-join:{session.pk}:{client}", window_seconds=JOIN_WINDOW
                               ) > settings.ZWK_WORKSHOP_JOINS_PER_CLIENT:
        raise RateLimited(_("Von diesem Gerät oder Netz sind gerade sehr viele Personen "
                            "beigetreten. Bitte warten Sie einige Minuten oder wenden Sie sich "
                            "an die Moderation."))
    participant = Participant.objects.create(
        session=session, key=secrets.token_hex(16), display_name=display_name.strip()[:40],
        age_band=age_band, client=client)
    live.touch(session, public=False)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, display_name: str, age_band: str
                       ) -> Participant:
    if age_band and age_band not in Participant.AgeBand.values:
        raise WorkshopError(_("Bitte wählen Sie eine der angebotenen Altersgruppen."))
    participant.display_name = display_name.strip()[:40]
    participant.age_band = age_band
    participant.save(update_fields=["display_name", "age_band"])
    live.touch(participant.session, public=False)
    return participant


def _rate_limit(kind: str, participant: Participant, limit: tuple[int, int]) -> None:
    count, seconds = limit
    if counters.hit(f"ws-rate:{kind}:{participant.pk}", window_seconds=seconds) > count:
        raise RateLimited(_("Sie waren gerade sehr schnell. Bitte warten Sie einen Moment und "
                            "versuchen Sie es dann noch einmal."))


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise WorkshopError(_("Bitte schreiben Sie etwas auf die Karte."))
    if len(text) > 280:
        raise WorkshopError(_("Eine Karte fasst höchstens 280 Zeichen. Bitte kürzen Sie den Text."))
    return text


def card_submit(*, participant: Participant, text: str) -> Card:
    text = _clean_text(text)
    _rate_limit("card", participant, CARD_LIMIT)
    with transaction.atomic():
        session = Session.objects.get(pk=participant.session_id)
        if session.status != Session.Status.RUNNING:
            raise WorkshopError(_not_running(session))
        if session.current_phase_id is None:
            raise WorkshopError(_("Im Moment werden keine Karten gesammelt."))
        card = Card.objects.create(session=session, phase_id=session.current_phase_id,
                                   participant=participant, text=text)
        live.touch(session, public=False)
    return card


def _not_running(session: Session) -> str:
    if session.status == Session.Status.PAUSED:
        return "Die Werkstatt macht gerade eine Pause. Gleich geht es weiter."
    if session.status == Session.Status.DRAFT:
        return "Die Werkstatt hat noch nicht begonnen."
    return "Die Werkstatt ist beendet. Es werden keine Eingaben mehr angenommen."


def vote_set(*, participant: Participant, card_id: int, points: int) -> Vote | None:
    """Set this participant's points on a card in the current round to `points` (idempotent).

    Enforced under a row lock on the participant's ballot and by CHECK constraints: the card
    maximum (Vote.max_points) and the budget (Ballot.spent <= Ballot.budget).
    """
    _rate_limit("vote", participant, VOTE_LIMIT)
    with transaction.atomic():
        session = Session.objects.get(pk=participant.session_id)
        if session.status != Session.Status.RUNNING:
            raise WorkshopError(_not_running(session))
        if not session.voting_open:
            raise WorkshopError(_("Die Abstimmung ist gerade nicht geöffnet."))
        if not 0 <= points <= session.max_per_card:
            raise WorkshopError(_("Sie können einer Karte höchstens %(max_per_card)s "
                                  "Punkte geben.") % {"max_per_card": session.max_per_card})
        if not Card.objects.filter(pk=card_id, session=session,
                                   status=Card.Status.APPROVED).exists():
            raise WorkshopError(_("Diese Karte steht nicht zur Abstimmung."))
        ballot = _ballot(participant, session)
        existing = Vote.objects.filter(participant=participant, card_id=card_id,
                                       round=session.round).first()
        delta = points - (existing.points if existing else 0)
        if ballot.spent + delta > ballot.budget:
            left = ballot.budget - ballot.spent
            raise WorkshopError(_("So viele Punkte haben Sie nicht mehr: Ihnen bleiben %(left)s.")
                                % {"left": left})
        if delta:
            Ballot.objects.filter(pk=ballot.pk).update(spent=ballot.spent + delta)
        vote = existing
        if points == 0 and existing:
            existing.delete()
            vote = None
        elif existing and delta:
            existing.points, existing.max_points = points, session.max_per_card
            existing.save(update_fields=["points", "max_points", "updated_at"])
        elif not existing and points:
            vote = Vote.objects.create(participant=participant, card_id=card_id,
                                       round=session.round, points=points,
                                       max_points=session.max_per_card)
        # No counter is touched: phones do not re-read their page for every dot, and the
        # session row stays free of a lock per vote. The console and the projector notice
        # votes by selectors.vote_marker.
    return vote


def _ballot(participant: Participant, session: Session) -> Ballot:
    """The participant's ballot for the current round, locked for this transaction."""
    ballot = (Ballot.objects.select_for_update()
              .filter(participant=participant, round=session.round).first())
    if ballot is None:
        try:
            with transaction.atomic():
                Ballot.objects.create(participant=participant, round=session.round,
                                      budget=session.points_per_person)
        except IntegrityError:
            pass  # a parallel request created it; lock that one
        ballot = Ballot.objects.select_for_update().get(participant=participant,
                                                        round=session.round)
    return ballot


# --- Moderation ----------------------------------------------------------------------------

def _card_for_update(card: Card) -> Card:
    return Card.objects.select_for_update().select_related("session__commune__programme").get(
        pk=card.pk)


MODERATION = {
    "approve": (Card.Status.APPROVED, "workshop.card_approved"),
    "hide": (Card.Status.HIDDEN, "workshop.card_hidden"),
    "park": (Card.Status.PARKED, "workshop.card_parked"),
    "restore": (Card.Status.PENDING, "workshop.card_restored"),
}


@transaction.atomic
def card_moderate(*, card: Card, action: str, by) -> Card:
    if action not in MODERATION:
        raise WorkshopError(_("Unbekannte Aktion."))
    card = _card_for_update(card)
    _ensure_not_closed(card.session)
    if card.status == Card.Status.MERGED:
        raise WorkshopError(_("Diese Karte ist in einer anderen aufgegangen."))
    status, verb = MODERATION[action]
    public = status == Card.Status.APPROVED or card.status == Card.Status.APPROVED
    card.status = status
    card.save(update_fields=["status"])
    live.touch(card.session, public=public)
    record(verb=verb, actor=by, subject=card, commune=card.session.commune,
           session=card.session_id)
    return card


@transaction.atomic
def card_edit(*, card: Card, text: str, by) -> Card:
    card = _card_for_update(card)
    _ensure_not_closed(card.session)
    text = _clean_text(text)
    if text != card.text:
        old = card.text
        card.original_text = card.original_text or old
        card.text = text
        card.save(update_fields=["text", "original_text"])
        live.touch(card.session, public=card.status == Card.Status.APPROVED)
        record(verb="workshop.card_edited", actor=by, subject=card, commune=card.session.commune,
               before=old, after=text)
    return card


@transaction.atomic
def card_merge(*, card: Card, into_id: int, by) -> Card:
    """Merge a duplicate into another card of the session; all votes carry over."""
    card = _card_for_update(card)
    _ensure_not_closed(card.session)
    target = (Card.objects.select_for_update()
              .filter(pk=into_id, session_id=card.session_id)
              .exclude(status=Card.Status.MERGED).exclude(pk=card.pk).first())
    if target is None:
        raise WorkshopError(_("Bitte wählen Sie eine andere Karte dieser Werkstatt als Ziel."))
    for vote in Vote.objects.select_for_update().filter(card=card):
        other = Vote.objects.filter(card=target, participant_id=vote.participant_id,
                                    round=vote.round).first()
        if other:
            # The person's points stay the points they gave (their budget is unchanged); the
            # per-card maximum of the merged card grows to hold both.
            other.points += vote.points
            other.max_points = max(other.max_points, other.points)
            other.save(update_fields=["points", "max_points", "updated_at"])
            vote.delete()
        else:
            vote.card = target
            vote.save(update_fields=["card", "updated_at"])
    card.status = Card.Status.MERGED
    card.merged_into = target
    card.save(update_fields=["status", "merged_into"])
    live.touch(card.session)
    record(verb="workshop.cards_merged", actor=by, subject=target, commune=card.session.commune,
           merged=card.pk, merged_text=card.text)
    return target


@transaction.atomic
def cluster_create(*, session: Session, title: str, action_field_id: int | None, by) -> Cluster:
    session = _lock(session)
    _ensure_not_closed(session)
    title = " ".join((title or "").split())[:120]
    if not title:
        raise WorkshopError(_("Bitte geben Sie dem Thema einen Namen."))
    field_obj = _action_field(session, action_field_id)
    position = session.clusters.count()
    cluster = Cluster.objects.create(session=session, title=title, action_field=field_obj,
                                     position=position)
    live.touch(session)
    record(verb="workshop.cluster_created", actor=by, subject=cluster, commune=session.commune,
           action_field=str(field_obj or ""))
    return cluster


def _action_field(session: Session, action_field_id):
    if not action_field_id:
        return None
    found = session.commune.action_fields.filter(pk=action_field_id).first()
    if found is None:
        raise WorkshopError(_("Dieses Handlungsfeld gehört nicht zur Kommune."))
    return found


@transaction.atomic
def cluster_set_field(*, cluster: Cluster, action_field_id: int | None, by) -> Cluster:
    session = _lock(cluster.session)
    _ensure_not_closed(session)
    cluster.action_field = _action_field(session, action_field_id)
    cluster.save(update_fields=["action_field"])
    live.touch(session)
    record(verb="workshop.cluster_assigned", actor=by, subject=cluster, commune=session.commune,
           action_field=str(cluster.action_field or ""))
    return cluster


@transaction.atomic
def card_cluster(*, card: Card, cluster_id: int | None, by) -> Card:
    card = _card_for_update(card)
    _ensure_not_closed(card.session)
    cluster = None
    if cluster_id:
        cluster = Cluster.objects.filter(pk=cluster_id, session_id=card.session_id).first()
        if cluster is None:
            raise WorkshopError(_("Dieses Thema gehört nicht zu dieser Werkstatt."))
    if card.cluster_id != (cluster.pk if cluster else None):
        card.cluster = cluster
        card.save(update_fields=["cluster"])
        live.touch(card.session)
        record(verb="workshop.card_clustered", actor=by, subject=card,
               commune=card.session.commune, cluster=str(cluster or ""))
    return card


# --- Analogue capture ----------------------------------------------------------------------

@transaction.atomic
def analogue_card_add(*, session: Session, phase_id: int, text: str, by,
                      cluster_id: int | None = None) -> Card:
    """A flipchart card typed in by the moderator: approved, marked as analogue."""
    session = _lock(session)
    phase = session.phases.filter(pk=phase_id).first()
    if phase is None:
        raise WorkshopError(_("Bitte wählen Sie eine Phase dieser Werkstatt."))
    cluster = session.clusters.filter(pk=cluster_id).first() if cluster_id else None
    card = Card.objects.create(session=session, phase=phase, text=_clean_text(text),
                               status=Card.Status.APPROVED, source=Card.Source.ANALOGUE,
                               cluster=cluster)
    live.touch(session)
    record(verb="workshop.analogue_card_added", actor=by, subject=card, commune=session.commune,
           phase=phase.title)
    return card


def _analogue_participant(session: Session) -> Participant:
    found = session.participants.filter(is_analogue=True).first()
    return found or Participant.objects.create(session=session, key=secrets.token_hex(16),
                                               display_name="Papierpunkte", is_analogue=True)


@transaction.atomic
def analogue_votes_set(*, card: Card, points: int, by, round: int | None = None) -> Card:
    """Paper dots counted on the wall: the total for this card in a round (replaces the
    previous count, so typing it twice does not double it)."""
    card = _card_for_update(card)
    session = card.session
    if card.status != Card.Status.APPROVED:
        raise WorkshopError(_("Punkte lassen sich nur für freigegebene Karten erfassen."))
    if not 0 <= points <= 10_000:
        raise WorkshopError(_("Bitte geben Sie eine Punktzahl zwischen 0 und 10 000 an."))
    round = round or session.round
    if not 1 <= round <= session.round:
        raise WorkshopError(_("Diese Abstimmungsrunde gibt es nicht."))
    analogue = _analogue_participant(session)
    Vote.objects.filter(participant=analogue, card=card, round=round).delete()
    if points:
        Vote.objects.create(participant=analogue, card=card, round=round, points=points,
                            max_points=points)
    live.touch(session, public=False)
    record(verb="workshop.analogue_votes_set", actor=by, subject=card, commune=session.commune,
           points=points, round=round)
    return card


# --- Hand-over to the Werkstattplan --------------------------------------------------------

@transaction.atomic
def handover_create(*, session: Session, by, goals: int = 5, measures: int = 10
                    ) -> list[Candidate]:
    """Mark the top clusters (as candidate goals) and top cards (as candidate measures) of the
    latest round with votes. Replaces an earlier candidate list of the session."""
    from zwk.workshop import selectors

    session = _lock(session)
    round = selectors.latest_voted_round(session=session)
    if round is None:
        raise WorkshopError(_("Es gibt noch keine abgegebenen Punkte, aus denen sich eine "
                              "Rangfolge ergibt."))
    results = selectors.results(session=session, round=round)
    session.candidates.all().delete()
    rows = []
    for rank, item in enumerate([c for c in results.clusters if c.points][:goals], start=1):
        rows.append(Candidate(session=session, kind=Candidate.Kind.GOAL, rank=rank,
                              title=item.title, cluster_id=item.id,
                              action_field_id=item.action_field_id, points=item.points,
                              round=round, card_ids=item.card_ids, created_by=by))
    for rank, card in enumerate([c for c in results.cards if c.points][:measures], start=1):
        rows.append(Candidate(session=session, kind=Candidate.Kind.MEASURE, rank=rank,
                              title=card.text, card_id=card.id,
                              action_field_id=card.action_field_id, points=card.points,
                              round=round, card_ids=[card.id, *card.merged_ids],
                              created_by=by))
    created = Candidate.objects.bulk_create(rows)
    record(verb="workshop.handed_over", actor=by, subject=session, commune=session.commune,
           round=round, goals=sum(1 for c in created if c.kind == Candidate.Kind.GOAL),
           measures=sum(1 for c in created if c.kind == Candidate.Kind.MEASURE))
    return created
