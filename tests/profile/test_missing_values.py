"""Years without a value show as a dash that reads "kein Wert", explained by a note under the
table; CSV and XLSX exports leave such cells empty. Never "None" or "nan" (issue 11, item 3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_commune
from tests.profile.test_data import demo_files, media, town  # noqa: F401  (fixtures)
from zwk.charts.chart import DataTable
from zwk.profile import data
from zwk.reports.model import display_cell
from zwk.reports.xlsx import workbook_bytes

pytestmark = pytest.mark.django_db
RAW = re.compile(r">\s*(None|nan|NaN)\s*<")
NOTE = "„–“ heißt: kein Wert."
MISSING = '<span aria-hidden="true">–</span><span class="visually-hidden">kein Wert</span>'


@pytest.fixture
def arnsberg(world, town):  # noqa: F811
    """Arnsberg in the Hochsauerlandkreis with the synthetic data (observed 2011–2023)."""
    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    type(town).objects.filter(pk=town.pk).update(parent=kreis)
    town.refresh_from_db()
    data.demo_data_load(programme=world.programme, by=None)
    return town


@pytest.mark.parametrize("page", ["profile_overview", "profile_projection"])
def test_data_tables_show_a_dash_with_text_alternative_and_a_note(arnsberg, world, login, page):
    html = login(world, "coordinator").get(reverse(page, args=[arnsberg.pk])).content.decode()
    assert not RAW.search(html), RAW.search(html)
    # the development table: observed years have no projection, projected years no observation
    row_2011 = re.search(r'<th scope="row">2011</th>(.*?)</tr>', html, re.S).group(1)
    assert "75.100" in row_2011 and row_2011.count(MISSING) == 3
    assert NOTE in html


def test_chart_csv_download_leaves_missing_cells_empty(arnsberg, world, login):
    response = login(world, "coordinator").get(
        reverse("profile_chart", args=[arnsberg.pk, "entwicklung", "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "None" not in text and "nan" not in text.lower()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Jahr"
    first = next(r for r in rows if r[0] == "2011")
    assert first[1] == "75100" and first[2:] == ["", "", ""]


def test_csv_xlsx_and_report_cells_of_missing_values_are_empty():
    table = DataTable(["Jahr", "Wert", "Anteil"], [[2023, None, math.nan], [2024, 5.5, 1.0]])
    assert table.to_csv().splitlines()[1] == "2023;;"
    content = workbook_bytes({"Daten": (table.headers, table.rows)})
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[2]] == [2023, None, None]
    assert [c.value for c in sheet[3]] == [2024, 5.5, 1]
    assert display_cell(math.nan) == "" and display_cell(None) == ""


@pytest.mark.parametrize("value, shown", [
    (None, MISSING), (math.nan, MISSING), ("–", MISSING), ("", MISSING),
    (72903, "72.903"), (2023, "2023"), (41.25, "41,25"), ("Messung", "Messung"),
])
def test_data_cell_filter(value, shown):
    rendered = Template("{% load zwk_tables %}{{ v|data_cell }}").render(Context({"v": value}))
    assert rendered == shown


def test_review_population_table_has_no_none(arnsberg, world, login):
    from tests.plan.conftest import goal, measure
    from zwk.plan import review, services

    measure(arnsberg, goal(arnsberg), "Café")
    services.plan_adopt(commune=arnsberg, label="B", adopted_on=dt.date(2024, 3, 1),
                        by=None)
    r = review.review_create(commune=arnsberg, title="Halbzeit",
                             held_on=dt.date(2025, 6, 1), by=None)
    html = login(world, "coordinator").get(
        reverse("plan_review", args=[arnsberg.pk, r.pk])).content.decode()
    assert not RAW.search(html), RAW.search(html)
    assert MISSING in html and NOTE in html
