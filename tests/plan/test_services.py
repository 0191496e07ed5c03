"""Services: tree rules, dependencies, optimistic concurrency, take-over, adoption."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.plan.conftest import goal, measure, status, workshop_candidates
from zwk.history.models import HistoryEvent
from zwk.plan import selectors, services
from zwk.plan.models import Goal, Measure, PlanVersion
from zwk.workshop.models import Candidate

pytestmark = pytest.mark.django_db


def test_default_statuses_seeded_once_per_programme(commune):
    statuses = services.statuses_ensure(programme=commune.programme)
    assert {(s.name, s.default_progress) for s in statuses} == {
        ("geplant", 0), ("in Vorbereitung", 10), ("in Umsetzung", 50), ("verzögert", 40),
        ("abgeschlossen", 100), ("gestoppt", 0)}
    assert len(services.statuses_ensure(programme=commune.programme)) == 6


def test_tree_any_depth_and_rollup_in_outline(commune):
    top = goal(commune, "Leitziel")
    sub = goal(commune, "Unterziel", parent=top)
    subsub = goal(commune, "Werkzeug", parent=sub)
    measure(commune, subsub, "fertig", key="abgeschlossen", weight=3)
    measure(commune, subsub, "neu", progress_override=20)
    block = next(b for b in selectors.plan_outline(commune) if b.rows)
    assert [(r.goal.title, r.depth) for r in block.rows] == [
        ("Leitziel", 0), ("Unterziel", 1), ("Werkzeug", 2)]
    assert [r.progress for r in block.rows] == [80.0, 80.0, 80.0]
    assert block.progress == 80.0
    assert HistoryEvent.objects.filter(verb="plan.goal_created").count() == 3


def test_goal_cannot_move_under_its_own_descendant(commune):
    top = goal(commune, "A")
    sub = goal(commune, "B", parent=top)
    with pytest.raises(ValidationError) as error:
        services.goal_update(goal=top, expected_version=1, by=None,
                             data={"action_field": top.action_field, "parent": sub,
                                   "title": "A"})
    assert "unter sich selbst" in str(error.value)
    top.refresh_from_db()
    assert top.parent is None and top.version == 1


def test_goal_of_other_commune_rejected(world):
    foreign = goal(world.other_commune, "fremd")
    with pytest.raises(ValidationError):
        goal(world.commune, "X", field=world.commune.action_fields.first(), parent=foreign)
    assert not Goal.objects.filter(commune=world.commune).exists()


def test_dependency_cycle_rejected_with_german_message(commune):
    g = goal(commune)
    a, b = measure(commune, g, "A"), measure(commune, g, "B")
    c = measure(commune, g, "C", links={"dependencies": [b]})
    services.measure_update(measure=b, data={"goal": g, "title": "B", "status": b.status},
                            links={"dependencies": [a]}, expected_version=1, by=None)
    with pytest.raises(ValidationError) as error:
        services.measure_update(measure=a, data={"goal": g, "title": "A", "status": a.status},
                                links={"dependencies": [c]}, expected_version=1, by=None)
    assert "Kreis: A → C → B → A" in str(error.value)
    assert list(a.dependencies.all()) == []
    assert Measure.objects.get(pk=a.pk).version == 1


def test_stale_version_is_a_conflict_and_nothing_overwritten(commune):
    g = goal(commune)
    m = measure(commune, g, "Bus", lead="Amt 1")
    data = {"goal": g, "title": "Bus", "status": m.status, "lead": "Amt 2"}
    services.measure_update(measure=m, data=data, expected_version=1, by=None)
    with pytest.raises(services.VersionConflict) as error:
        services.measure_update(measure=m, data={**data, "lead": "Amt 3"}, expected_version=1,
                                by=None)
    assert "inzwischen von jemand anderem geändert" in str(error.value)
    assert error.value.current.lead == "Amt 2"
    m.refresh_from_db()
    assert (m.lead, m.version) == ("Amt 2", 2)
    with pytest.raises(services.VersionConflict):
        services.goal_update(goal=g, data={"action_field": g.action_field, "title": "neu"},
                             expected_version=7, by=None)
    assert Goal.objects.get(pk=g.pk).title == "Ziel"


def test_end_before_start_rejected(commune):
    g = goal(commune)
    with pytest.raises(ValidationError) as error:
        measure(commune, g, start=dt.date(2025, 5, 1), end=dt.date(2025, 1, 1))
    assert "Ende liegt vor dem Beginn" in str(error.value)
    assert not Measure.objects.exists()


def test_takeover_candidates_keeps_links_and_marks_them(commune, world):
    session, goal_c, measure_c, card = workshop_candidates(commune)
    created = services.takeover(commune=commune, candidates=[measure_c, goal_c],
                                by=world.user("coordinator"))
    assert created == {"goals": 1, "measures": 1}
    g = Goal.objects.get(commune=commune)
    assert (g.title, g.candidate, g.action_field) == ("Treffpunkte", goal_c, goal_c.action_field)
    m = Measure.objects.get(commune=commune)
    assert m.goal == g and list(m.cards.all()) == [card] and list(m.candidates.all()) == [measure_c]
    assert set(Candidate.objects.values_list("taken_over", flat=True)) == {True}
    assert selectors.open_candidates(commune).count() == 0


def test_takeover_measure_without_goal_is_rejected_whole(commune):
    session, goal_c, measure_c, card = workshop_candidates(commune)
    with pytest.raises(services.PlanError) as error:
        services.takeover(commune=commune, candidates=[measure_c], by=None)
    assert "kein Ziel" in str(error.value)
    assert not Measure.objects.exists()
    assert not Candidate.objects.filter(taken_over=True).exists()


def test_takeover_of_foreign_candidate_rejected(world):
    _, goal_c, _, _ = workshop_candidates(world.other_commune)
    with pytest.raises(services.PlanError):
        services.takeover(commune=world.commune, candidates=[goal_c], by=None)
    assert not Goal.objects.exists()


def test_takeover_swot_item_becomes_goal_with_link(commune):
    from zwk.profile.models import SwotItem

    item = SwotItem.objects.create(commune=commune, quadrant="weakness", text="Wenig Ärzt:innen")
    item.action_fields.add(commune.action_fields.first())
    services.takeover(commune=commune, candidates=[], swot_items=[item], by=None)
    g = Goal.objects.get()
    assert list(g.swot_items.all()) == [item]
    assert not selectors.open_swot_items(commune).exists()


def test_adopt_freezes_snapshot_and_later_versions_differ(commune):
    g = goal(commune, "Wohnen")
    m = measure(commune, g, "Café")
    v1 = services.plan_adopt(commune=commune, label="Beschluss", adopted_on=dt.date(2025, 3, 1),
                             resolution="GR 12/2025", by=None)
    assert v1.number == 1 and v1.snapshot["measures"][0]["title"] == "Café"
    services.measure_update(measure=m, expected_version=1, by=None,
                            data={"goal": g, "title": "Dorfcafé", "status": m.status})
    v1.refresh_from_db()
    assert v1.snapshot["measures"][0]["title"] == "Café"      # frozen
    v2 = services.plan_adopt(commune=commune, label="Fortschreibung",
                             adopted_on=dt.date(2026, 3, 1), by=None)
    assert v2.number == 2
    from zwk.plan.diff import diff_plans
    changed = diff_plans(v1.snapshot, v2.snapshot).changed
    assert [(c.field, c.old, c.new) for c in changed[0].changes] == [
        ("title", "Café", "Dorfcafé")]


def test_adopt_empty_plan_rejected(commune):
    with pytest.raises(services.PlanError):
        services.plan_adopt(commune=commune, label="x", adopted_on=dt.date(2025, 1, 1), by=None)
    assert not PlanVersion.objects.exists()


def test_outline_query_count_is_constant(commune, django_assert_max_num_queries):
    for i in range(3):
        g = goal(commune, f"Z{i}")
        for j in range(4):
            measure(commune, goal(commune, f"U{i}{j}", parent=g), f"M{i}{j}")
    status(commune)
    with django_assert_max_num_queries(4):
        blocks = selectors.plan_outline(commune)
        sum(len(r.measures) for b in blocks for r in b.rows)
