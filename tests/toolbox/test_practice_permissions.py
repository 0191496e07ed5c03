"""Every new view of good practice from the plan and adoption into it × every role: allowed
roles succeed and cause the effect (with a history event); everyone else gets 403/404 (the
login page when anonymous) and nothing is written. A commune's shared draft stays with that
commune and its programme office."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.plan.conftest import goal, measure
from tests.toolbox.test_permissions import IN_COMMUNE, MEMBERS
from zwk.history.models import HistoryEvent
from zwk.toolbox import services
from zwk.toolbox.models import Adoption, Tool


def with_measure(w):
    w.goal = goal(w.commune, "Versorgung halten")
    w.measure = measure(w.commune, w.goal, "Bürgerbus", description="Ehrenamtliche fahren.",
                        lead="Ordnungsamt")


def shared_draft(w):
    with_measure(w)
    w.tool = services.practice_share_from_measure(
        measure=w.measure, by=None, data=services.ToolData(
            title="Bürgerbus Bergstadt", summary="Ehrenamtliche fahren.", outcome="Viele Fahrten.",
            contact="Ordnungsamt"))


def share_form(w):
    from zwk.toolbox.models import Topic

    return {"title": "Bürgerbus Bergstadt", "summary": "Ehrenamtliche fahren.",
            "topics": [Topic.objects.get(slug="kooperation").pk], "effort": "low",
            "outcome": "Viele Fahrten.", "contact": "Ordnungsamt, 0123 456"}


CASES = [
    Case("open share form", IN_COMMUNE, "get",
         lambda w: reverse("practice_from_measure", args=[w.commune.pk, w.measure.pk]),
         prepare=with_measure),
    Case("share a measure as practice", IN_COMMUNE, "post",
         lambda w: reverse("practice_from_measure", args=[w.commune.pk, w.measure.pk]),
         share_form, prepare=with_measure,
         effect=lambda w: Tool.objects.filter(source_measure=w.measure, status="draft").exists()),
    Case("view shared draft", IN_COMMUNE, "get",
         lambda w: reverse("tool_detail", args=[w.tool.slug]), prepare=shared_draft),
    Case("measure page with toolbox box", IN_COMMUNE, "get",
         lambda w: reverse("plan_measure_edit", args=[w.commune.pk, w.measure.pk]),
         prepare=shared_draft),
    Case("adopt into plan", MEMBERS, "post",
         lambda w: reverse("tool_adopt_into_plan", args=["world-cafe"]),
         lambda w: {"goal": w.goal.pk, "title": "World Café im Rathaus"}, prepare=with_measure,
         effect=lambda w: Adoption.objects.filter(commune=w.commune,
                                                  measure__isnull=False).exists(),
         denied_status=(400, 403, 404)),
    Case("SWOT page with recommendations", IN_COMMUNE, "get",
         lambda w: reverse("profile_swot", args=[w.commune.pk])),
    Case("plan outline with recommendations", IN_COMMUNE, "get",
         lambda w: reverse("plan_outline", args=[w.commune.pk]), prepare=with_measure),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission(case, role, world, login):
    if case.prepare:
        case.prepare(world)
    events = HistoryEvent.objects.count()
    response = request_case(replace(case, prepare=None), role, world, login)
    if assert_case(case, role, world, response):
        if case.effect:
            assert HistoryEvent.objects.count() > events
    else:
        assert HistoryEvent.objects.count() == events


def test_a_shared_draft_is_nowhere_visible_outside_its_commune(world, login):
    """Not on the tool page, not in search, not in recommendations of another commune, not in
    the review queue of another programme's office."""
    shared_draft(world)
    services.practice_submit(tool=world.tool, by=None)
    for role in ("consultant_other_commune", "office_other_programme", "no_membership"):
        client = login(world, role)
        assert client.get(reverse("tool_detail", args=[world.tool.slug])).status_code == 404
        found = client.get(reverse("toolbox_index") + "?q=Bürgerbus").content.decode()
        assert "Bürgerbus Bergstadt" not in found
        if role == "office_other_programme":
            queue = client.get(reverse("toolbox_review")).content.decode()
            assert "Bürgerbus Bergstadt" not in queue
        client.logout()
    client = login(world, "consultant_other_commune")
    page = client.get(reverse("commune_toolbox", args=[world.other_commune.pk])).content.decode()
    assert "Bürgerbus Bergstadt" not in page
