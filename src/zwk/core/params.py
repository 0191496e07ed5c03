"""Parameters of a request, checked: a malformed value is a 400 with a German page (never a
500 from an overflowing integer or an impossible date), an unknown object a 404."""

from __future__ import annotations

from django.utils.translation import gettext as _

#: The largest key a database row can have (a signed 64-bit integer: SQLite, PostgreSQL bigint).
MAX_ID = 2**63 - 1
YEARS = (1900, 2200)


class BadParameter(Exception):
    """A query parameter with a malformed value; ParameterGuardMiddleware answers 400."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def query_int(request, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """An integer query parameter within bounds; None when absent or empty."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not minimum <= int(raw) <= maximum:
        raise BadParameter(_("Die Angabe „%(name)s“ hat einen ungültigen Wert: ganze Zahl "
                             "zwischen %(min)s und %(max)s erwartet.")
                           % {"name": name, "min": minimum, "max": maximum})
    return int(raw)


def query_year(request, name: str) -> int | None:
    return query_int(request, name, minimum=YEARS[0], maximum=YEARS[1])
