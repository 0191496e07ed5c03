"""A person of commune A can never see or change anything of commune B, even with
tampered IDs in the URL: objects are always looked up through the commune in the URL."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zwk.communes.models import Membership
from zwk.process import services
from zwk.process.models import Meeting

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def b_objects(world, media):
    stage = world.other_commune.stages.get(key="kickoff")
    meeting = services.meeting_record(stage=stage, by=None, data=services.MeetingData(
        title="Geheim B", date=dt.date(2024, 1, 1), minutes="nur für B"))
    document = services.document_upload(stage=stage, upload=SimpleUploadedFile("b.pdf", PDF),
                                         title="Dokument B", kind="other", by=None)
    membership = Membership.objects.get(commune=world.other_commune)
    return meeting, document, membership


@pytest.mark.parametrize("role", ["team_member", "coordinator", "consultant"])
def test_b_objects_through_a_urls_are_not_found(role, world, login, b_objects):
    meeting, document, membership = b_objects
    client = login(world, role)
    a = world.commune.pk
    for url in (reverse("meeting_detail", args=[a, meeting.pk]),
                reverse("meeting_edit", args=[a, meeting.pk]),
                reverse("document_download", args=[a, document.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("membership_remove", args=[a, membership.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(reverse("meeting_edit", args=[a, meeting.pk]),
                           {"title": "überschrieben", "date": "2024-01-01", "format": "online"})
    assert response.status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).title == "Geheim B"


@pytest.mark.parametrize("role", ["team_member", "coordinator", "consultant"])
def test_b_pages_are_not_found_and_b_names_never_shown(role, world, login, b_objects):
    client = login(world, role)
    b = world.other_commune.pk
    for name in ("commune_detail", "commune_members", "commune_timeline"):
        assert client.get(reverse(name, args=[b])).status_code == 404
    for key in ("kickoff", "review"):
        assert client.get(reverse("stage_detail", args=[b, key])).status_code == 404
        response = client.post(reverse("stage_complete", args=[b, key]),
                               {"override_reason": "x"})
        assert response.status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert "Bergstadt" in home and "Talgemeinde" not in home


def test_unknown_stage_key_and_ids_are_404(world, login):
    client = login(world, "coordinator")
    assert client.get(reverse("stage_detail", args=[world.commune.pk, "erfunden"])).status_code \
        == 404
    assert client.get(reverse("commune_detail", args=[999999])).status_code == 404
    assert client.get(reverse("meeting_detail", args=[world.commune.pk, 999999])).status_code \
        == 404


def test_office_of_another_programme_sees_nothing(world, login):
    client = login(world, "office_other_programme")
    assert client.get(reverse("portfolio", args=[world.programme.slug])).status_code == 403
    assert client.get(reverse("commune_detail", args=[world.commune.pk])).status_code == 404
