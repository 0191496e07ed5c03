"""German number, percentage and date formatting for every page, PDF and export (de_DE).

One module, standing on Babel's CLDR data (docs/decisions/0003-german-formatting-with-babel.md),
so no part of ZWK writes its own thousands separators. Framework-free: the demography, chart
and report layers use it as well as the Django apps (through the `zwk_format` template filters).

Rounding is commercial (half up), as the statistical offices publish: 2,25 -> 2,3. Numbers pass
through `Decimal(str(x))` first, so a float like 2.675 rounds as it reads, not as it is stored.
Plain numbers keep the ASCII hyphen for negatives (what spreadsheets parse); `signed` writes
changes with a real minus sign (U+2212) and an explicit plus, as in "−15,9 %". Units and "%"
follow after a plain space, as everywhere else in ZWK's pages and documents.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALE = "de_DE"
MINUS = "\u2212"
UNIT_SPACE = " "


def _decimal(value) -> Decimal | None:
    """A finite Decimal for any real number, a Decimal or numeric text; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, Real | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            return None
    else:
        return None
    return result if result.is_finite() else None


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def _rounded(number: Decimal, digits: int) -> Decimal:
    result = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return result + 0 if result == 0 else result  # no "-0"


def number(value, digits: int | None = None, *, empty: str = "") -> str:
    """259677 -> '259.677'; 1234.56 -> '1.234,6'; None -> `empty`.

    Without `digits`, whole numbers get no decimals and others one."""
    decimal = _decimal(value)
    if decimal is None:
        return empty if value is None or _is_nan(value) else str(value)
    if digits is None:
        digits = 0 if decimal == decimal.to_integral_value() else 1
    return format_decimal(_rounded(decimal, digits), format=_pattern(digits), locale=LOCALE)


def decimals_of(value: Decimal) -> int:
    """Digits after the point of a finite Decimal (its exponent is an int then)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number_trimmed(value, max_digits: int = 3, *, empty: str = "") -> str:
    """At most `max_digits` decimals, trailing zeros dropped: 45.700 -> '45,7'; 2 -> '2'."""
    decimal = _decimal(value)
    if decimal is None:
        return number(value, empty=empty)
    rounded = _rounded(decimal, max_digits).normalize()
    return number(rounded, decimals_of(rounded))


def percent(fraction, digits: int = 0, *, empty: str = "") -> str:
    """A share as percentage: 0.159 -> '16 %'."""
    decimal = _decimal(fraction)
    if decimal is None:
        return empty
    rounded = _rounded(decimal * 100, digits) / 100
    return format_percent(rounded, format=_pattern(digits) + UNIT_SPACE + "%", locale=LOCALE,
                          decimal_quantization=True)


def percent_value(value, digits: int = 0, *, empty: str = "") -> str:
    """A value already in percent: 15.9 -> '15,9 %' with `digits=1`."""
    decimal = _decimal(value)
    return empty if decimal is None else percent(decimal / 100, digits)


def signed(value, digits: int = 1, *, unit: str = "", empty: str = "") -> str:
    """A change: +1,2 / −3,4 (real minus sign) / 0,0; `unit` follows after a space."""
    decimal = _decimal(value)
    if decimal is None:
        return empty
    rounded = _rounded(decimal, digits)
    text = format_decimal(abs(rounded), format=_pattern(digits), locale=LOCALE)
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else ""
    return sign + text + (UNIT_SPACE + unit if unit else "")


def signed_percent(fraction, digits: int = 1, *, empty: str = "") -> str:
    """A relative change: -0.159 -> '−15,9 %'."""
    decimal = _decimal(fraction)
    return empty if decimal is None else signed(decimal * 100, digits, unit="%")


def date(value: dt.date | dt.datetime | None, *, empty: str = "") -> str:
    """03.12.2026"""
    return empty if value is None else format_date(value, "dd.MM.yyyy", locale=LOCALE)


def date_long(value: dt.date | dt.datetime | None, *, empty: str = "") -> str:
    """3. Dezember 2026"""
    return empty if value is None else format_date(value, "d. MMMM yyyy", locale=LOCALE)


def _is_nan(value) -> bool:
    try:
        return value != value  # NaN is the only value not equal to itself
    except TypeError:
        return False
