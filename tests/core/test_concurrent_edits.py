"""Optimistic concurrency on every shared edit form (zwk.core.concurrency, docs/security.md).

For each entity: person A opens the form (version 1), person B saves first, A's save is
refused with 409, the page shows A's input beside B's saved version, nothing of A's input is
written; saving again on purpose (the form now carries B's version) overwrites.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zwk.process import services as process
from zwk.process.models import Meeting, Stage
from zwk.profile import services as profile
from zwk.profile.models import Interview, InterviewGuide, InventoryEntry, Profile, SwotItem

MINE, THEIRS = "Fassung von Person A", "Fassung von Person B"


def _entry(w):
    return profile.inventory_create(commune=w.commune, by=None,
                                    data=profile.InventoryData(title="Bürgerbus"))


def _interview(w):
    return profile.interview_create(commune=w.commune, by=None, data=profile.InterviewData(
        role="Leitung Kita", held_on=dt.date(2024, 5, 2)))


def _item(w):
    return profile.swot_item_create(commune=w.commune, by=None, data=profile.SwotData(
        quadrant="strength", text="Starke Vereine"))


def _meeting(w):
    stage = Stage.objects.get(commune=w.commune, key="kickoff")
    return process.meeting_record(stage=stage, by=None, data=process.MeetingData(
        title="Auftakt", date=dt.date(2024, 3, 1)))


def _case_inventory(w):
    entry = _entry(w)
    profile.inventory_update(entry=entry, by=None, expected_version=1, data=profile.InventoryData(
        title="Bürgerbus", description=THEIRS))
    return (reverse("profile_inventory_edit", args=[w.commune.pk, entry.pk]),
            {"title": "Bürgerbus", "kind": "measure", "status": "running", "description": MINE},
            lambda: InventoryEntry.objects.get(pk=entry.pk).description)


def _case_interview(w):
    interview = _interview(w)
    profile.interview_update(interview=interview, by=None, expected_version=1,
                             data=profile.InterviewData(role="Leitung Kita",
                                                        held_on=dt.date(2024, 5, 2),
                                                        summary=THEIRS))
    return (reverse("profile_interview_edit", args=[w.commune.pk, interview.pk]),
            {"role": "Leitung Kita", "held_on": "2024-05-02", "summary": MINE},
            lambda: Interview.objects.get(pk=interview.pk).summary)


def _case_guide(w):
    profile.interview_guide_of(commune=w.commune)
    profile.interview_guide_update(commune=w.commune, questions=THEIRS, by=None,
                                   expected_version=1)
    return (reverse("profile_guide_edit", args=[w.commune.pk]), {"questions": MINE},
            lambda: InterviewGuide.objects.get(commune=w.commune).questions)


def _case_swot(w):
    item = _item(w)
    profile.swot_item_update(item=item, by=None, expected_version=1, data=profile.SwotData(
        quadrant="strength", text=THEIRS))
    return (reverse("profile_swot_edit", args=[w.commune.pk, item.pk]),
            {"quadrant": "strength", "text": MINE},
            lambda: SwotItem.objects.get(pk=item.pk).text)


def _case_texts(w):
    profile.profile_of(commune=w.commune)
    profile.profile_texts_update(commune=w.commune, chapters={}, outlook=THEIRS, by=None,
                                 expected_version=1)
    return (reverse("profile_texts_save", args=[w.commune.pk]), {"outlook": MINE},
            lambda: Profile.objects.get(commune=w.commune).outlook)


def _case_meeting(w):
    meeting = _meeting(w)
    process.meeting_update(meeting=meeting, by=None, expected_version=1,
                           data=process.MeetingData(title="Auftakt", date=dt.date(2024, 3, 1),
                                                    minutes=THEIRS))
    return (reverse("meeting_edit", args=[w.commune.pk, meeting.pk]),
            {"title": "Auftakt", "date": "2024-03-01", "format": "onsite", "minutes": MINE},
            lambda: Meeting.objects.get(pk=meeting.pk).minutes)


CASES = {"inventory": _case_inventory, "interview": _case_interview, "guide": _case_guide,
         "swot": _case_swot, "texts": _case_texts, "meeting": _case_meeting}


@pytest.mark.parametrize("name", CASES)
def test_stale_save_is_refused_with_both_versions_and_writes_nothing(name, world, login):
    address, data, saved = CASES[name](world)
    client = login(world, "coordinator")
    response = client.post(address, {**data, "version": 1})
    assert response.status_code == 409
    text = response.content.decode()
    assert "inzwischen von jemand anderem geändert" in text
    assert MINE in text and THEIRS in text          # both versions side by side
    assert saved() == THEIRS                         # nothing of person A written
    # Saving again on purpose (the page now carries version 2) overwrites.
    assert 'name="version" value="2"' in text
    assert client.post(address, {**data, "version": 2}).status_code == 302
    assert saved() == MINE


@pytest.mark.parametrize("name", CASES)
def test_save_at_the_current_version_passes(name, world, login):
    address, data, saved = CASES[name](world)
    response = login(world, "coordinator").post(address, {**data, "version": 2})
    assert response.status_code == 302
    assert saved() == MINE


def test_edit_forms_carry_the_version_they_were_opened_at(world, login):
    item = _item(world)
    profile.swot_item_dismiss(item=item, by=None)   # a decision counts as a change too
    page = login(world, "coordinator").get(
        reverse("profile_swot_edit", args=[world.commune.pk, item.pk])).content.decode()
    assert 'name="version" value="2"' in page
