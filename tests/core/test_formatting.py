"""zwk.formatting: German numbers, percentages, changes and dates through Babel (de_DE)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zwk import formatting as f

NBSP = " "  # units follow after a plain space


@pytest.mark.parametrize("value, digits, expected", [
    (259677, None, "259.677"),
    (50000, None, "50.000"),
    (999, None, "999"),
    (1234.56, None, "1.234,6"),
    (1234.56, 2, "1.234,56"),
    (1234.5, 0, "1.235"),          # half up, not to even
    (2.5, 0, "3"),
    (0.125, 2, "0,13"),
    (2.675, 2, "2,68"),            # rounds as it reads, not as the float is stored
    (-1234.56, 1, "-1.234,6"),
    (-0.04, 1, "0,0"),             # no "-0,0"
    (Decimal("15261.000"), None, "15.261"),
    (1e6, 0, "1.000.000"),
])
def test_number(value, digits, expected):
    assert f.number(value, digits) == expected


@pytest.mark.parametrize("value", [None, float("nan")])
def test_number_of_nothing_is_empty_or_the_given_placeholder(value):
    assert f.number(value) == ""
    assert f.number(value, empty="–") == "–"


def test_number_passes_text_and_rejects_booleans():
    assert f.number("k. A.") == "k. A."
    assert f.number(True) == "True"


@pytest.mark.parametrize("fraction, digits, expected", [
    (0.159, 0, f"16{NBSP}%"),
    (0.159, 1, f"15,9{NBSP}%"),
    (0.0005, 1, f"0,1{NBSP}%"),
    (-0.25, 0, f"-25{NBSP}%"),
    (12.3456, 1, f"1.234,6{NBSP}%"),
])
def test_percent(fraction, digits, expected):
    assert f.percent(fraction, digits) == expected


def test_percent_value_and_none():
    assert f.percent_value(15.94, 1) == f"15,9{NBSP}%"
    assert f.percent(None) == "" and f.percent_value(None, empty="–") == "–"


@pytest.mark.parametrize("value, digits, unit, expected", [
    (1.24, 1, "", "+1,2"),
    (-3.45, 1, "", "\u22123,5"),
    (-2434, 0, "Personen", f"\u22122.434{NBSP}Personen"),
    (0.04, 1, "", "0,0"),
    (-0.04, 1, "", "0,0"),
])
def test_signed_uses_a_real_minus_and_an_explicit_plus(value, digits, unit, expected):
    assert f.signed(value, digits, unit=unit) == expected


def test_signed_percent():
    assert f.signed_percent(-0.159) == f"\u221215,9{NBSP}%"
    assert f.signed_percent(0.021, 0) == f"+2{NBSP}%"
    assert f.signed_percent(None, empty="–") == "–"


def test_dates():
    assert f.date(dt.date(2026, 3, 5)) == "05.03.2026"
    assert f.date(dt.datetime(2026, 12, 3, 9, 30)) == "03.12.2026"
    assert f.date_long(dt.date(2026, 3, 5)) == "5. März 2026"
    assert f.date(None) == "" and f.date_long(None, empty="–") == "–"


def test_template_filters_use_the_module():
    from django.template import Context, Template

    out = Template('{% load zwk_format %}{{ a|de_number }}|{{ b|de_number:2 }}|{{ c|de_number:"-3" }}|'
                   '{{ d|de_percent:1 }}|{{ e|de_signed:0 }}|{{ f|de_number }}').render(Context({
                       "a": 259677, "b": 1234.5, "c": Decimal("45.700"), "d": 0.159, "e": -2434,
                       "f": None}))
    assert out == "259.677|1.234,50|45,7|15,9 %|\u22122.434|–"
