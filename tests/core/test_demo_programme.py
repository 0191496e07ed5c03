"""The demo programme's title and dates tell the same years as its stages' deadlines
(issue 11, item 10: a programme titled 2021–2024 had deadlines in 2026–2028)."""

import re

from zwk.communes.models import Programme
from zwk.core import demo
from zwk.process.models import Stage


def test_programme_years_cover_every_stage_deadline(db):
    demo.load()
    programme = Programme.objects.get(slug=demo.PROGRAMME_SLUG)
    first, last = (int(y) for y in re.search(r"(\d{4})–(\d{4})", programme.name).groups())
    assert (first, last) == (programme.starts_on.year, programme.ends_on.year)
    ends = Stage.objects.filter(commune__programme=programme, planned_end__isnull=False) \
        .values_list("planned_end", flat=True)
    starts = Stage.objects.filter(commune__programme=programme, planned_start__isnull=False) \
        .values_list("planned_start", flat=True)
    assert ends and starts
    assert programme.starts_on <= min(starts) and max(ends) <= programme.ends_on
