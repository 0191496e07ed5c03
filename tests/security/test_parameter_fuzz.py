"""No malformed parameter gives a server error: every URL pattern of the site (the admin
aside) is requested with each path parameter set to negative, huge, non-numeric, empty and
unicode values (the other parameters valid), and with every known query parameter set to the
same values, as the programme office and anonymously. Each answer must be below 500; the 400
and 404 pages are German (or empty: the answer to a polling script). A generated table, not random: the same ~7,000 requests each run."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FUZZ = ["-1", "0", str(2**31), str(2**63), str(2**64), "9" * 40, "abc", "", "ü€", "1e5",
        "1.5", "%00", "..", " 1"]
QUERY_PARAMETERS = ["jahr", "feld", "status", "ziel", "federfuehrung", "szenario", "kennzahl",
                    "vergleich", "preset", "seite", "q", "a", "b", "v", "ergebnis", "alle",
                    "typ", "thema", "schritt", "art", "stufe", "format"]
PARAMETER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def routes(resolver=None, prefix: str = "") -> list[str]:
    """Every route of the URL configuration as text with <kind:name> placeholders."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern)
        if text.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            found += routes(entry, text)
        elif isinstance(entry, URLPattern):
            found.append(text.lstrip("^").rstrip("$"))
    return sorted(set(found))


def valid_value(kind: str, name: str, world) -> str:
    if kind == "int":
        return str(world.commune.pk if name == "pk" else 1)
    if name == "slug":
        return world.programme.slug
    return "csv" if name == "fmt" else "x"


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAMETER.sub(lambda m: values[m["name"]], route)


def urls_to_try(world) -> list[str]:
    urls = []
    for route in routes():
        params = [(m["kind"] or "str", m["name"]) for m in PARAMETER.finditer(route)]
        valid = {name: valid_value(kind, name, world) for kind, name in params}
        base = fill(route, valid)
        for value in FUZZ:
            for _kind, name in params:
                urls.append(fill(route, {**valid, name: value.replace("/", "") or "-"}))
            urls.append(base + "?" + "&".join(f"{q}={value}" for q in QUERY_PARAMETERS))
    return sorted(set(urls))


@pytest.mark.parametrize("role", ["programme_office", "anonymous"])
def test_no_malformed_parameter_gives_a_server_error(world, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        assert client.login(username=world.user(role).username, password=PASSWORD)
    urls = urls_to_try(world)
    assert len(urls) > 1000, "the URL configuration was not walked"
    failures, started = [], time.monotonic()
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url}")
        elif response.status_code in (400, 404) and "text/html" in response.get(
                "Content-Type", ""):
            page = response.content.decode()
            if page.strip() and '<html lang="de">' not in page:   # empty: a poll's status
                failures.append(f"{response.status_code} without a German page: {url}")
    failures.sort(key=lambda f: not f.startswith("5"))
    assert not failures, f"{len(failures)} of {len(urls)} requests:\n" + "\n".join(failures[:40])
    assert time.monotonic() - started < 600   # bounded: a hang would show here, not in CI's kill


@pytest.mark.parametrize("query", ["jahr=-1", "jahr=abc", f"feld={2**64}", f"status={2**63}"])
def test_malformed_plan_filter_is_a_400_naming_the_parameter(world, login, query):
    client = login(world, "programme_office")
    response = client.get(f"/kommunen/{world.commune.pk}/werkstattplan/tabelle/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Die Angabe „{query.split('=')[0]}“ hat einen ungültigen Wert" in page


def test_public_plan_with_an_overflowing_number_is_a_german_404(client, db):
    response = client.get(f"/oeffentlich/werkstattplan/{2**64}/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
