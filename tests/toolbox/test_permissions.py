"""Every toolbox permission × every role, through the views: allowed roles get success AND the
effect; everyone else gets 403/404 (anonymous: the login page) and nothing is written."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.toolbox.conftest import make_tool
from zwk.history.models import HistoryEvent
from zwk.toolbox.models import Adoption, Tool

LOGGED_IN = set(ROLES) - {"anonymous"}
IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
MEMBERS = {"team_member", "coordinator", "consultant"}
CURATORS = {"programme_office", "office_other_programme", "superuser"}
OFFICE = {"programme_office", "superuser"}

FORM = {"title": "Neues Werkzeug", "type": "method", "topics": [], "summary": "Kurz.",
        "effort": "low"}


def form(w):
    from zwk.toolbox.models import Topic
    return {**FORM, "topics": [Topic.objects.get(slug="wohnen").pk]}


def draft(w):
    w.tool = make_tool(title="Praxis Bergstadt", owner_commune=w.commune, publish=False)


def in_review(w):
    draft(w)
    w.tool.status = "review"
    w.tool.save()


def programme_tool(w):
    w.tool = make_tool(title="Programmwerkzeug")


def status(w):
    return Tool.objects.get(pk=w.tool.pk).status




CASES = [
    Case("browse", LOGGED_IN, "get", lambda w: reverse("toolbox_index") + "?q=Wohnung"),
    Case("view published", LOGGED_IN, "get",
         lambda w: reverse("tool_detail", args=["world-cafe"])),
    Case("view commune draft", IN_COMMUNE, "get", lambda w: reverse("tool_detail",
                                                                    args=[w.tool.slug]),
         prepare=draft),
    Case("create tool", CURATORS, "post", lambda w: reverse("tool_create"), form,
         effect=lambda w: Tool.objects.filter(title="Neues Werkzeug", status="draft").exists()),
    Case("create practice", IN_COMMUNE, "post",
         lambda w: reverse("practice_create", args=[w.commune.pk]), form,
         effect=lambda w: Tool.objects.filter(title="Neues Werkzeug", type="practice",
                                              owner_commune=w.commune).exists()),
    Case("edit draft practice", IN_COMMUNE, "post",
         lambda w: reverse("tool_edit", args=[w.tool.slug]), form, prepare=draft,
         effect=lambda w: Tool.objects.get(pk=w.tool.pk).title == "Neues Werkzeug"),
    Case("edit programme tool", CURATORS, "post",
         lambda w: reverse("tool_edit", args=[w.tool.slug]), form, prepare=programme_tool,
         effect=lambda w: Tool.objects.get(pk=w.tool.pk).title == "Neues Werkzeug"),
    Case("submit practice", IN_COMMUNE, "post",
         lambda w: reverse("tool_status", args=[w.tool.slug, "submit"]), prepare=draft,
         effect=lambda w: status(w) == "review"),
    Case("approve practice", OFFICE, "post",
         lambda w: reverse("tool_status", args=[w.tool.slug, "publish"]), prepare=in_review,
         effect=lambda w: status(w) == "published"),
    Case("return practice", OFFICE, "post", lambda w: reverse("tool_return", args=[w.tool.slug]),
         lambda w: {"reason": "Bitte Kontakt ergänzen."}, prepare=in_review,
         effect=lambda w: status(w) == "draft"),
    Case("retire tool", CURATORS, "post",
         lambda w: reverse("tool_status", args=[w.tool.slug, "retire"]),
         prepare=programme_tool, effect=lambda w: status(w) == "retired"),
    Case("adopt tool", MEMBERS, "post", lambda w: reverse("tool_adopt", args=["world-cafe"]),
         lambda w: {"commune": w.commune.pk, "note": "ab Mai"},
         effect=lambda w: Adoption.objects.filter(commune=w.commune).exists(),
         denied_status=(400, 403, 404)),
    Case("commune recommendations", IN_COMMUNE, "get",
         lambda w: reverse("commune_toolbox", args=[w.commune.pk])),
    Case("review queue", CURATORS, "get", lambda w: reverse("toolbox_review")),
    Case("exchange", CURATORS, "get", lambda w: reverse("toolbox_exchange") + "?q=Arzt"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission(case, role, world, login):
    if case.prepare:
        case.prepare(world)
    events = HistoryEvent.objects.count()
    response = request_case(replace(case, prepare=None), role, world, login)
    if assert_case(case, role, world, response):
        if case.effect:  # every allowed write leaves a history event
            assert HistoryEvent.objects.count() > events
    else:
        assert HistoryEvent.objects.count() == events
