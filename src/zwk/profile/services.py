"""Writes of the Kommunalprofil. Each is atomic and records a history event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zwk.history.services import record
from zwk.profile.models import Profile


class ProfileError(ValueError):
    """A write the profile does not allow; str() is a German message."""


def profile_of(*, commune) -> Profile:
    profile, _created = Profile.objects.get_or_create(commune=commune)
    return profile


@transaction.atomic
def profile_approve(*, commune, by) -> Profile:
    """The coordinator approves the profile; this satisfies the gate item of step 2."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(commune=commune).pk)
    if profile.status == Profile.Status.APPROVED:
        raise ProfileError("Das Kommunalprofil ist bereits freigegeben.")
    profile.status = Profile.Status.APPROVED
    profile.approved_by, profile.approved_at = by, timezone.now()
    profile.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    record(verb="profile.approved", actor=by, subject=profile, commune=commune)
    return profile


@transaction.atomic
def profile_reopen(*, commune, by) -> Profile:
    """Back to draft, e.g. after the reflection workshop asked for changes."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(commune=commune).pk)
    if profile.status != Profile.Status.APPROVED:
        raise ProfileError("Das Kommunalprofil ist noch nicht freigegeben.")
    profile.status, profile.approved_by, profile.approved_at = Profile.Status.DRAFT, None, None
    profile.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    record(verb="profile.reopened", actor=by, subject=profile, commune=commune)
    return profile
