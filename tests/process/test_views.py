import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zwk.process.models import Document, Stage


def test_gate_error_is_shown_in_german_and_nothing_changes(world, login):
    client = login(world, "coordinator")
    url = reverse("stage_complete", args=[world.commune.pk, "kickoff"])
    page = client.post(url, follow=True).content.decode()
    assert "Der Schritt kann noch nicht abgeschlossen werden. Es fehlt:" in page
    assert "Die Steuerungsgruppe ist benannt" in page
    assert world.commune.stages.get(key="kickoff").status == Stage.Status.OPEN


def test_checklist_toggle_answers_htmx_with_the_fragment(world, login):
    client = login(world, "team_member")
    url = reverse("checklist_toggle", args=[world.commune.pk, "kickoff", "steering_group_named"])
    response = client.post(url, {"done": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="checklist"')
    assert 'aria-pressed="true"' in html


def test_rejected_upload_shows_german_message_at_the_field(world, login, settings, media):
    settings.ZWK_MAX_UPLOAD_BYTES = 10
    client = login(world, "coordinator")
    url = reverse("document_upload", args=[world.commune.pk, "kickoff"])
    response = client.post(url, {"kind": "other", "file": SimpleUploadedFile(
        "gross.pdf", b"%PDF-1.4" + b"x" * 100)})
    assert response.status_code == 400
    assert "erlaubt sind höchstens" in response.content.decode()
    response = client.post(url, {"kind": "other", "file": SimpleUploadedFile("a.exe", b"MZ")})
    assert "„.exe“ können nicht hochgeladen werden" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("data, message", [
    ({"planned_start": "2024-05-01", "planned_end": "2024-04-01"}, "vor dem geplanten Beginn"),
    ({"planned_end": "31.02.2024"}, "gültiges Datum"),
])
def test_bad_dates_are_refused(world, login, data, message):
    client = login(world, "coordinator")
    response = client.post(reverse("stage_dates", args=[world.commune.pk, "kickoff"]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert world.commune.stages.get(key="kickoff").planned_end is None


def test_document_download_keeps_the_original_name(world, login, media):
    client = login(world, "coordinator")
    client.post(reverse("document_upload", args=[world.commune.pk, "kickoff"]), {
        "kind": "minutes", "file": SimpleUploadedFile("Protokoll Auftakt.pdf", b"%PDF-1.4 x")})
    document = Document.objects.get()
    response = client.get(reverse("document_download", args=[world.commune.pk, document.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "Protokoll Auftakt.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
