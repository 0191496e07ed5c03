"""Views: every permission × every role, isolation, bad input, conflicts, escaping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.plan.conftest import goal, measure, status, workshop_candidates
from zwk.plan import services as plan_services
from zwk.plan.models import Goal, Measure, PlanVersion

pytestmark = pytest.mark.django_db

IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
ADOPTERS = {"coordinator", "consultant", "programme_office", "superuser"}


def url(name, w, **kw):
    return reverse(name, kwargs={"pk": w.commune.pk, **kw})


def prepared(w):
    w.goal = goal(w.commune, "Leitziel")
    w.measure = measure(w.commune, w.goal, "Bus")




CASES = [
    Case("outline", IN_COMMUNE, "get", lambda w: url("plan_outline", w)),
    Case("table", IN_COMMUNE, "get", lambda w: url("plan_table", w)),
    Case("versions", IN_COMMUNE, "get", lambda w: url("plan_versions", w)),
    Case("compare", IN_COMMUNE, "get", lambda w: url("plan_compare", w)),
    Case("goal_form", IN_COMMUNE, "get", lambda w: url("plan_goal_create", w)),
    Case("takeover_page", IN_COMMUNE, "get", lambda w: url("plan_takeover", w)),
    Case("goal_create", IN_COMMUNE, "post", lambda w: url("plan_goal_create", w),
         lambda w: {"action_field": w.commune.action_fields.first().pk, "title": "Neu",
                    "weight": "1"},
         lambda w: Goal.objects.filter(title="Neu").exists()),
    Case("measure_edit", IN_COMMUNE, "post",
         lambda w: url("plan_measure_edit", w, measure_pk=w.measure.pk),
         lambda w: {"goal": w.goal.pk, "title": "Rufbus", "status": w.measure.status_id,
                    "priority": "hoch", "weight": "1", "version": 1},
         lambda w: Measure.objects.filter(title="Rufbus").exists()),
    Case("move", IN_COMMUNE, "post",
         lambda w: url("plan_move", w, kind="massnahme", obj_pk=w.measure.pk),
         lambda w: {"richtung": "up"}, None),
    Case("goal_edit_form", IN_COMMUNE, "get", lambda w: url("plan_goal_edit", w,
                                                            goal_pk=w.goal.pk)),
    Case("measure_form", IN_COMMUNE, "get", lambda w: url("plan_measure_create", w)),
    Case("version", IN_COMMUNE, "get", lambda w: url("plan_version", w, number=1),
         prepare=lambda w: plan_services.plan_adopt(
             commune=w.commune, label="Beschluss", adopted_on=dt.date(2025, 1, 1), by=None)),
    Case("adopt", ADOPTERS, "post", lambda w: url("plan_versions", w),
         lambda w: {"label": "Beschluss", "adopted_on": "2025-03-01", "resolution": "12/25"},
         lambda w: PlanVersion.objects.exists()),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission_matrix(world, login, role, case):
    prepared(world)
    assert_case(case, role, world, request_case(case, role, world, login))

@pytest.mark.parametrize("name, kw", [
    ("plan_goal_edit", "goal_pk"), ("plan_measure_edit", "measure_pk")])
def test_other_communes_objects_are_404(world, login, name, kw):
    foreign_goal = goal(world.other_commune, "fremd")
    foreign = {"goal_pk": foreign_goal.pk,
               "measure_pk": measure(world.other_commune, foreign_goal).pk}
    client = login(world, "coordinator")
    assert client.get(url(name, world, **{kw: foreign[kw]})).status_code == 404
    assert client.get(reverse("plan_outline", args=[world.other_commune.pk])).status_code == 404


def test_foreign_ids_in_form_input_rejected(world, login):
    foreign_goal = goal(world.other_commune, "fremd")
    client = login(world, "coordinator")
    response = client.post(url("plan_measure_create", world), {
        "goal": foreign_goal.pk, "title": "X", "status": status(world.commune).pk,
        "priority": "mittel", "weight": "1"})
    assert response.status_code == 400
    assert not Measure.objects.exists()


def test_bad_input_gives_german_messages_and_writes_nothing(world, login):
    g = goal(world.commune)
    client = login(world, "team_member")
    response = client.post(url("plan_measure_create", world), {
        "goal": g.pk, "title": "X", "status": status(world.commune).pk, "priority": "mittel",
        "weight": "1", "start": "2025-05-01", "end": "2025-01-01", "progress_override": "120"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Das Ende liegt vor dem Beginn." in text
    assert "Der Fortschritt muss zwischen 0 und 100 Prozent liegen." in text
    assert not Measure.objects.exists()


def test_conflict_shows_both_versions_and_overwrites_nothing(world, login):
    g = goal(world.commune)
    m = measure(world.commune, g, "Bus", lead="Bauamt")
    client = login(world, "coordinator")
    base = {"goal": g.pk, "title": "Bus", "status": m.status_id, "priority": "mittel",
            "weight": "1", "version": 1}
    assert client.post(url("plan_measure_edit", world, measure_pk=m.pk),
                       {**base, "lead": "Sozialamt"}).status_code == 302
    response = client.post(url("plan_measure_edit", world, measure_pk=m.pk),
                           {**base, "lead": "Kämmerei"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "inzwischen von jemand anderem geändert" in text
    assert "Kämmerei" in text and "Sozialamt" in text
    assert Measure.objects.get(pk=m.pk).lead == "Sozialamt"
    # Saving again on purpose (now with the current version) overwrites.
    assert client.post(url("plan_measure_edit", world, measure_pk=m.pk),
                       {**base, "lead": "Kämmerei", "version": 2}).status_code == 302
    assert Measure.objects.get(pk=m.pk).lead == "Kämmerei"


def test_dependency_cycle_message_in_form(world, login):
    g = goal(world.commune)
    a = measure(world.commune, g, "A")
    b = measure(world.commune, g, "B", links={"dependencies": [a]})
    client = login(world, "coordinator")
    response = client.post(url("plan_measure_edit", world, measure_pk=a.pk), {
        "goal": g.pk, "title": "A", "status": a.status_id, "priority": "mittel", "weight": "1",
        "version": 1, "dependencies": [b.pk]})
    assert response.status_code == 400
    assert "ergäben einen Kreis" in response.content.decode()
    assert not a.dependencies.exists()


def test_user_text_is_escaped(world, login):
    g = goal(world.commune, "<script>alert(1)</script>")
    measure(world.commune, g, "<b>fett</b>", lead="<i>x</i>")
    client = login(world, "team_member")
    for page in ("plan_outline", "plan_table"):
        text = client.get(url(page, world)).content.decode()
        assert "<script>alert(1)</script>" not in text and "<b>fett</b>" not in text
        assert "&lt;b&gt;fett&lt;/b&gt;" in text


def test_table_filters(world, login):
    fields = list(world.commune.action_fields.all()[:2])
    import datetime as dt
    g1, g2 = goal(world.commune, "G1", field=fields[0]), goal(world.commune, "G2", field=fields[1])
    measure(world.commune, g1, "Alpha", lead="Bauamt", start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31))
    measure(world.commune, g2, "Beta", key="umsetzung", lead="Sozialamt",
            start=dt.date(2027, 1, 1))
    client = login(world, "team_member")

    def titles(**params):
        response = client.get(url("plan_table", world), params)
        return [m.title for m in response.context["measures"]]

    assert titles() == ["Alpha", "Beta"]
    assert titles(feld=fields[1].pk) == ["Beta"]
    assert titles(status=status(world.commune, "umsetzung").pk) == ["Beta"]
    assert titles(federfuehrung="bau") == ["Alpha"]
    assert titles(jahr=2025) == ["Alpha"]
    assert titles(jahr="") == ["Alpha", "Beta"]
    malformed = client.get(url("plan_table", world), {"jahr": "kein Jahr"})   # issue 12
    assert malformed.status_code == 400
    assert "Die Angabe „jahr“ hat einen ungültigen Wert" in malformed.content.decode()


def test_takeover_view_marks_candidates(world, login):
    workshop_candidates(world.commune)
    client = login(world, "coordinator")
    page = client.get(url("plan_takeover", world))
    ids = [c.pk for c in page.context["candidates"]]
    response = client.post(url("plan_takeover", world), {"kandidat": ids})
    assert response.status_code == 302
    assert Measure.objects.get().goal == Goal.objects.get()


def test_takeover_view_rejects_foreign_candidate(world, login):
    _, goal_c, _, _ = workshop_candidates(world.other_commune)
    client = login(world, "coordinator")
    response = client.post(url("plan_takeover", world), {"kandidat": [goal_c.pk]})
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_reorder_goals(world, login):
    goal(world.commune, "A")
    b = goal(world.commune, "B")
    client = login(world, "team_member")
    client.post(url("plan_move", world, kind="ziel", obj_pk=b.pk), {"richtung": "up"})
    assert list(Goal.objects.order_by("position").values_list("title", flat=True)) == ["B", "A"]


def test_compare_view_shows_changes(world, login):
    import datetime as dt

    from zwk.plan import services
    g = goal(world.commune, "Wohnen")
    services.plan_adopt(commune=world.commune, label="Beschluss", adopted_on=dt.date(2025, 1, 1),
                        by=None)
    measure(world.commune, g, "Neue Maßnahme")
    client = login(world, "team_member")
    text = client.get(url("plan_compare", world), {"a": "1", "b": "aktuell"}).content.decode()
    assert "Neue Maßnahme" in text and "Neu" in text
    assert client.get(url("plan_version", world, number=1)).status_code == 200
    assert client.get(url("plan_version", world, number=9)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_goal_delete_permission_and_guard(world, login, role):
    parent = goal(world.commune, "Oben")
    goal(world.commune, "Unten", parent=parent)
    leaf = Goal.objects.get(title="Unten")
    client = login(world, role)
    refused = client.post(url("plan_goal_delete", world, goal_pk=parent.pk))
    assert Goal.objects.filter(pk=parent.pk).exists()
    client.post(url("plan_goal_delete", world, goal_pk=leaf.pk))
    assert Goal.objects.filter(pk=leaf.pk).exists() == (role not in IN_COMMUNE)
    if role in IN_COMMUNE:
        assert refused.status_code == 302
        follow = client.get(refused["Location"]).content.decode()
        assert "Das Ziel hat noch Unterziele oder Maßnahmen." in follow
