"""Usage overview of the Werkzeugkoffer for the programme office: who may see it, what it shows
(only the office's programmes), filters, order, export, bad input."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.factories import make_commune
from tests.toolbox.conftest import make_tool
from zwk.process.stages import STAGE_TYPES
from zwk.toolbox import services

CURATORS = {"programme_office", "office_other_programme", "superuser"}

CASES = [
    Case("usage page", CURATORS, "get", lambda w: reverse("toolbox_usage")),
    Case("usage page filtered", CURATORS, "get",
         lambda w: reverse("toolbox_usage") + "?thema=wohnen&art=method&genutzt=ja"
                                              "&sortierung=zuletzt"),
    Case("usage export csv", CURATORS, "get", lambda w: reverse("toolbox_usage_export", args=["csv"])),
    Case("usage export xlsx", CURATORS, "get", lambda w: reverse("toolbox_usage_export",
                                                          args=["xlsx"])),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission(case, role, world, login):
    response = request_case(replace(case), role, world, login)
    if assert_case(case, role, world, response) and "export" not in case.name:
        assert "Nutzung des Werkzeugkoffers" in response.content.decode()


@pytest.fixture
def used(world):
    """Two tools adopted in the office's programme, one also in another programme."""
    stranger = make_commune(world.other_programme, name="Fernweiler", ags="05958900")
    often = make_tool(title="Quxoft", topics=("wohnen",), type="method", stages=["plan"])
    once = make_tool(title="Quxeinmal", topics=("gesundheit",), type="practice")
    never = make_tool(title="Quxnie", topics=("wohnen",), type="method")
    services.tool_adopt(tool=often, commune=world.commune, by=None, note="")
    services.tool_adopt(tool=often, commune=world.other_commune, by=None, note="")
    services.tool_adopt(tool=once, commune=world.commune, by=None, note="")
    services.tool_adopt(tool=once, commune=stranger, by=None, note="")
    return {"often": often, "once": once, "never": never, "stranger": stranger}


def rows(page: str) -> list[str]:
    import re

    return re.findall(r'data-usage-tool="(qux[a-z]+)"', page)


def test_office_sees_adoptions_of_its_own_programmes_only(world, login, used):
    page = login(world, "programme_office").get(reverse("toolbox_usage")).content.decode()
    assert rows(page)[:2] == ["quxoft", "quxeinmal"]          # most adopted first
    assert "Bergstadt" in page and "Talgemeinde" in page
    assert "Fernweiler" not in page
    plan = STAGE_TYPES["plan"]
    assert f"{plan.number}. {plan.title}" in page                   # recommended step shown
    other = login(world, "office_other_programme").get(reverse("toolbox_usage")).content \
        .decode()
    assert "Fernweiler" in other and "Bergstadt" not in other


def test_superuser_sees_every_programme(world, login, used):
    page = login(world, "superuser").get(reverse("toolbox_usage")).content.decode()
    assert "Fernweiler" in page and "Bergstadt" in page


def test_filters_and_order(world, login, used):
    client = login(world, "programme_office")
    url = reverse("toolbox_usage")
    assert rows(client.get(url + "?thema=wohnen&genutzt=ja").content.decode()) == ["quxoft"]
    assert "quxnie" in rows(client.get(url + "?genutzt=nein").content.decode())
    assert "quxoft" not in rows(client.get(url + "?genutzt=nein").content.decode())
    assert rows(client.get(url + "?art=practice&genutzt=ja").content.decode()) == ["quxeinmal"]
    by_title = rows(client.get(url + "?sortierung=titel&thema=wohnen").content.decode())
    assert by_title == sorted(by_title)


def test_bad_filter_gives_a_german_message(world, login, used):
    response = login(world, "programme_office").get(reverse("toolbox_usage")
                                                    + "?sortierung=hack&thema=gibtsnicht")
    assert response.status_code == 400
    assert "hack ist keine gültige Auswahl" in response.content.decode()
    assert login(world, "programme_office").get(
        reverse("toolbox_usage_export", args=["pdf"])).status_code == 404


def test_csv_and_xlsx_export_the_filtered_rows(world, login, used):
    client = login(world, "programme_office")
    response = client.get(reverse("toolbox_usage_export", args=["csv"]) + "?genutzt=ja")
    assert response["Content-Disposition"].endswith('werkzeugkoffer-nutzung.csv"')
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][0] == "Werkzeug"
    by_title = {r[0]: r for r in table[1:]}
    assert by_title["Quxoft"][5] == "2" and "Bergstadt" in by_title["Quxoft"][7]
    assert "Fernweiler" not in response.content.decode("utf-8-sig")
    assert "Quxnie" not in by_title
    xlsx = client.get(reverse("toolbox_usage_export", args=["xlsx"]) + "?genutzt=ja")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Quxoft"][5] == 2 and values["Quxeinmal"][5] == 1


def test_export_guards_against_formulas(world, login):
    tool = make_tool(title="=HYPERLINK(\"http://x\")")
    services.tool_adopt(tool=tool, commune=world.commune, by=None, note="")
    content = login(world, "programme_office").get(
        reverse("toolbox_usage_export", args=["csv"]) + "?genutzt=ja").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def test_queries_do_not_grow_with_tools_and_adoptions(world, login, used,
                                                      django_assert_max_num_queries):
    client = login(world, "programme_office")
    client.get(reverse("toolbox_usage"))
    for i in range(8):
        tool = make_tool(title=f"Quxmehr {i}")
        services.tool_adopt(tool=tool, commune=world.commune, by=None, note="")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("toolbox_usage")).status_code == 200


def test_review_page_links_to_usage(world, login):
    page = login(world, "programme_office").get(reverse("toolbox_review")).content.decode()
    assert reverse("toolbox_usage") in page
