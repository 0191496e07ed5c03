"""Personal data of workshop participants: export, deletion by the device, retention.

A participant has no account; the signed cookie of the device is the only link to a person.
What is personal: the optional display name, the client hash, the device key, and the age band
the person gave. Deleting (by the person, `participant_anonymise`) removes all of them and the
link to the device; the cards and votes stay as anonymous contributions, so the results others
saw do not change. The retention rule (`participants_purge`, setting
ZWK_PARTICIPANT_RETENTION_DAYS, command `zwk manage purge_participants`) does the same for
every participant of a workshop closed longer ago, but keeps the coarse age band, which alone
names nobody and feeds the record's age mix (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from zwk.history.services import record
from zwk.workshop import live
from zwk.workshop.models import Participant, Session, Vote


def participant_data(*, participant: Participant) -> dict[str, Any]:
    """Everything stored about this device (export for Art. 15/20 GDPR)."""
    session = participant.session
    return {
        "werkstatt": session.title, "code": session.code,
        "beigetreten": participant.joined_at.isoformat(),
        "name": participant.display_name,
        "altersgruppe": participant.get_age_band_display() if participant.age_band else "",
        "karten": [{"text": card.text, "status": card.get_status_display(),
                    "zeit": card.created_at.isoformat()}
                   for card in participant.cards.order_by("created_at", "id")],
        "punkte": [{"karte": vote.card.text, "runde": vote.round, "punkte": vote.points}
                   for vote in Vote.objects.filter(participant=participant)
                   .select_related("card").order_by("round", "card_id")],
    }


def _anonymise(participants, *, keep_age_band: bool) -> int:
    now, count = timezone.now(), 0
    for participant in participants:
        participant.display_name, participant.client = "", ""
        participant.key = secrets.token_hex(16)        # the device's cookie matches no more
        if not keep_age_band:
            participant.age_band = ""
        participant.anonymised_at = now
        count += 1
        participant.save(update_fields=["display_name", "client", "key", "age_band",
                                        "anonymised_at"])
    return count


@transaction.atomic
def participant_anonymise(*, participant: Participant) -> None:
    """The person deletes their data from their phone; cards and votes stay anonymous."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    participant.cards.update(participant=None)
    _anonymise([participant], keep_age_band=False)
    live.touch(participant.session, public=False)


@transaction.atomic
def participants_purge(*, older_than_days: int, now: dt.datetime | None = None) -> int:
    """Remove the personal data of every participant of a workshop closed more than
    `older_than_days` ago. Idempotent: participants already anonymised are skipped."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    total = 0
    sessions = Session.objects.filter(status=Session.Status.CLOSED, closed_at__lt=cutoff,
                                      participants__anonymised_at__isnull=True,
                                      participants__is_analogue=False
                                      ).select_related("commune").distinct()
    for session in sessions:
        due = Participant.objects.select_for_update().filter(
            session=session, is_analogue=False, anonymised_at__isnull=True)
        count = _anonymise(due, keep_age_band=True)
        record(verb="workshop.participants_anonymised", actor=None, subject=session,
               commune=session.commune, participants=count, retention_days=older_than_days)
        total += count
    return total
