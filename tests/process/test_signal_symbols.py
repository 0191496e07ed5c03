"""Each traffic-light state has its own symbol and words: "in Arbeit" is not shown with the
✓ of "abgeschlossen" (issue 11, item 10; WCAG 1.4.1, colour is never the only cue)."""

import pytest
from django.urls import reverse

from zwk.process.selectors import SIGNAL_LABELS, _signal

pytestmark = pytest.mark.django_db


def test_every_state_has_its_own_symbol_and_label():
    signals = [_signal(key) for key in SIGNAL_LABELS]
    assert len({s.symbol for s in signals}) == len(signals)
    assert len({s.label for s in signals}) == len(signals)
    assert _signal("active").symbol != _signal("done").symbol == "✓"


def test_portfolio_legend_explains_each_symbol_separately(world, login):
    page = login(world, "programme_office").get(
        reverse("portfolio", args=[world.programme.slug])).content.decode()
    assert "✓ abgeschlossen" in page and "◐ in Arbeit" in page
    assert "abgeschlossen / in Arbeit" not in page


def test_stage_in_progress_shows_the_in_progress_symbol(world, login):
    from zwk.process import services

    stage = world.commune.stages.get(key="kickoff")
    services.checklist_tick(stage=stage, item_key="leadership_attended", done=True, by=None)
    page = login(world, "coordinator").get(
        reverse("commune_detail", args=[world.commune.pk])).content.decode()
    assert '<span aria-hidden="true">◐</span> in Arbeit' in page
