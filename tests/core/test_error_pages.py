"""400, 403, 404 and 500 pages: German, in the site's layout, saying where to go (DEBUG off)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.urls import include, path, reverse

from zwk.core.views import server_error


def broken(request):
    raise RuntimeError("something broke inside")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("bad input")


urlpatterns = [path("kaputt/", broken), path("verboten/", forbidden),
               path("verdaechtig/", suspicious), path("", include("zwk.config.urls"))]
handler500 = "zwk.core.views.server_error"


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def assert_german_error_page(response, status: int, heading: str):
    html = response.content.decode()
    assert response.status_code == status
    assert f"Fehler {status}" in html and heading in html
    assert '<html lang="de">' in html and 'class="site-header"' in html
    assert "Wie geht es weiter?" in html
    assert "Not Found" not in html and "Forbidden" not in html and "Server Error" not in html
    return html


@pytest.mark.django_db
def test_404_is_german_in_the_layout_with_the_way_home(client, world, login):
    html = assert_german_error_page(login(world, "coordinator").get("/gibt-es-nicht/"), 404,
                                    "Diese Seite gibt es nicht")
    assert f'href="{reverse("home")}?alle=1"' in html
    assert "Abmelden" in html  # the person stays in their session and navigation


@pytest.mark.django_db
def test_404_for_another_commune_leaks_nothing_about_it(client, world, login):
    other = world.other_commune
    response = login(world, "coordinator").get(reverse("commune_detail", args=[other.pk]))
    html = assert_german_error_page(response, 404, "Diese Seite gibt es nicht")
    assert other.name not in html and (other.ags or "no-ags") not in html
    missing = client.get(reverse("commune_detail", args=[other.pk + 1000]))
    # the answer for a commune that exists reads exactly like one for a commune that does not
    # (apart from the logout form's CSRF token, which changes with every page)
    def without_token(text):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert without_token(missing.content.decode()) == without_token(html)


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_error_pages")
def test_403_is_german_and_says_who_gives_roles(client, world, login):
    html = assert_german_error_page(login(world, "team_member").get("/verboten/"), 403,
                                    "Dafür fehlt Ihnen die Berechtigung")
    assert "Koordination" in html


@pytest.mark.django_db
def test_403_of_a_real_view_for_a_team_member(client, world, login):
    response = login(world, "team_member").get(reverse("commune_edit", args=[world.commune.pk]))
    assert_german_error_page(response, 403, "Dafür fehlt Ihnen die Berechtigung")


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_error_pages")
def test_400_is_german(client):
    assert_german_error_page(client.get("/verdaechtig/"), 400,
                             "Diese Anfrage kann ZWK nicht bearbeiten")


@pytest.mark.django_db
def test_expired_form_says_what_to_do(world):
    from django.test import Client

    from tests.factories import PASSWORD

    strict = Client(enforce_csrf_checks=True)
    strict.login(username=world.user("coordinator").username, password=PASSWORD)
    response = strict.post(reverse("commune_edit", args=[world.commune.pk]), {"name": "x"})
    html = assert_german_error_page(response, 403, "Das Formular ist abgelaufen")
    assert "Seite neu" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_error_pages")
def test_500_is_german_and_standalone(client):
    client.raise_request_exception = False
    html = assert_german_error_page(client.get("/kaputt/"), 500,
                                    "Im Server ist ein Fehler aufgetreten")
    assert "something broke inside" not in html
    assert 'href="/"' in html


def test_500_needs_no_database_and_no_context_processor(settings):
    """No `db` fixture: pytest-django fails any database query made here."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
        **settings.TEMPLATES[0]["OPTIONS"],
        "context_processors": ["tests.core.test_error_pages.failing_context_processor"]}}]
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Im Server ist ein Fehler aufgetreten" in response.content.decode()


def failing_context_processor(request):
    raise RuntimeError("context processor down")


def test_500_falls_back_to_a_fixed_german_page_when_templates_fail(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Im Server ist ein Fehler aufgetreten" in html and 'lang="de"' in html
