"""Query-count guard for every page: its SQL query count does not grow with the data
(docs/DANGEROUS.md, "Queries in template tags and templates").

The same mechanism as tests/communes/test_portfolio_queries.py, for all pages at once: render
every GET page of a small world, add more of everything through the services (communes,
people, events, documents, decisions, profile entries, plan goals and measures, workshop cards,
tools and adoptions), render again, and compare the counts page by page. URL names that only
take POST (405 on GET) are not pages. Every URL name must have a builder here, so a new page
cannot slip past the guard.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.communes.test_portfolio_queries import _fill_stage
from tests.factories import UserFactory, add_member, make_commune
from tests.plan.conftest import goal, measure
from tests.test_url_coverage import url_names
from tests.toolbox.conftest import make_tool
from tests.workshop.conftest import approved_card
from zwk.communes.models import Membership
from zwk.plan import review as plan_review
from zwk.plan import services as plan_services
from zwk.profile import data as profile_data
from zwk.profile import services as profile
from zwk.toolbox import services as toolbox
from zwk.workshop import services as workshop

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"

# Pages whose count is allowed to differ, each with the reason. Keep this empty if possible.
ALLOWED_GROWTH: dict[str, str] = {}

# The live workshop pages read the session's change counter from the cache and recompute it
# from the database on a miss (zwk.workshop.live.current), so their count moves by one with the
# cache's state. One query of slack there still catches an N+1 over the four cards, goals and
# measures each that the bigger world adds.
LIVE_SLACK = {"workshop_console": 1, "workshop_console_stand": 1, "workshop_projector": 1,
              "workshop_projector_stand": 1, "workshop_join_code": 1, "workshop_stand": 1}


def ck(name, **fields):
    """URL of the commune with extra kwargs taken from the world's objects."""
    return lambda w: reverse(name, kwargs={"pk": w.commune.pk,
                                           **{k: f(w) for k, f in fields.items()}})


def dk(name, **fields):
    """A page of the Kommunalprofil's analysis: on a town with (synthetic) official data."""
    return lambda w: reverse(name, kwargs={"pk": w.data_commune.pk,
                                           **{k: f(w) for k, f in fields.items()}})


def stage(name, **fields):
    return ck(name, key=lambda w: "kickoff", **fields)


def prog(name, **fields):
    return lambda w: reverse(name, kwargs={"slug": w.programme.slug,
                                           **{k: f(w) for k, f in fields.items()}})


def plain(name, **fields):
    return lambda w: reverse(name, kwargs={k: f(w) for k, f in fields.items()})


def ws(name, **fields):
    return ck(name, sid=lambda w: w.session.pk, **fields)


def code(name):
    return lambda w: reverse(name, kwargs={"code": w.session.code})


def tool(name, **fields):
    return plain(name, slug=lambda w: w.tool.slug, **fields)


def person(name):
    return prog(name, user_pk=lambda w: w.user("team_member").pk)


BUILDERS = {
    "account": plain("account"), "account_delete": plain("account_delete"),
    "account_export": plain("account_export"), "programme_people": prog("programme_people"),
    "person_delete": person("person_delete"), "person_export": person("person_export"),
    "person_unlock": person("person_unlock"),
    "profile_data_check": ck("profile_data_check"), "profile_data_guide": ck("profile_data_guide"),
    "profile_data_template": ck("profile_data_template"),
    "workshop_my_data": code("workshop_my_data"),
    "workshop_my_data_delete": code("workshop_my_data_delete"),
    "home": plain("home"), "health": plain("health"), "login": plain("login"),
    "logout": plain("logout"), "password_change": plain("password_change"),
    "password_change_done": plain("password_change_done"),
    "password_reset": plain("password_reset"), "password_reset_done": plain("password_reset_done"),
    "password_reset_confirm": plain("password_reset_confirm", uidb64=lambda w: "MQ",
                                    token=lambda w: "x-y"),
    "password_reset_complete": plain("password_reset_complete"),
    "portfolio": prog("portfolio"), "commune_create": prog("commune_create"),
    "commune_detail": ck("commune_detail"), "commune_edit": ck("commune_edit"),
    "commune_members": ck("commune_members"),
    "membership_remove": ck("membership_remove", membership_pk=lambda w: w.membership.pk),
    "commune_timeline": ck("commune_timeline"),
    "stage_detail": stage("stage_detail"),
    "checklist_toggle": stage("checklist_toggle", item=lambda w: "invitations_sent"),
    "stage_dates": stage("stage_dates"), "stage_block": stage("stage_block"),
    "stage_complete": stage("stage_complete"), "stage_reopen": stage("stage_reopen"),
    "meeting_create": stage("meeting_create"), "document_upload": stage("document_upload"),
    "decision_create": stage("decision_create"),
    "meeting_detail": ck("meeting_detail", meeting_pk=lambda w: w.meeting.pk),
    "meeting_edit": ck("meeting_edit", meeting_pk=lambda w: w.meeting.pk),
    "document_download": ck("document_download", document_pk=lambda w: w.document.pk),
    "profile_overview": dk("profile_overview"),
    "profile_chart": dk("profile_chart", key=lambda w: "entwicklung", fmt=lambda w: "csv"),
    "profile_data": dk("profile_data"), "profile_data_fetch": ck("profile_data_fetch"),
    "profile_data_remove": ck("profile_data_remove", source_pk=lambda w: 1),
    "profile_comparison": dk("profile_comparison"), "profile_projection": dk("profile_projection"),
    "profile_scenario_save": ck("profile_scenario_save"),
    "profile_scenario_delete": ck("profile_scenario_delete", scenario_pk=lambda w: 1),
    "profile_towns": lambda w: reverse("profile_towns", args=[w.kreis.pk]), "profile_pdf": dk("profile_pdf"),
    "profile_docx": dk("profile_docx"), "profile_inventory": ck("profile_inventory"),
    "profile_inventory_create": ck("profile_inventory_create"),
    "profile_inventory_edit": ck("profile_inventory_edit", entry_pk=lambda w: w.entry.pk),
    "profile_inventory_delete": ck("profile_inventory_delete", entry_pk=lambda w: w.entry.pk),
    "profile_inventory_attachment": ck("profile_inventory_attachment",
                                       entry_pk=lambda w: w.entry.pk),
    "profile_interviews": ck("profile_interviews"), "profile_guide_edit": ck("profile_guide_edit"),
    "profile_interview_create": ck("profile_interview_create"),
    "profile_interview_edit": ck("profile_interview_edit", interview_pk=lambda w: w.interview.pk),
    "profile_interview_delete": ck("profile_interview_delete",
                                   interview_pk=lambda w: w.interview.pk),
    "profile_statement_add": ck("profile_statement_add", interview_pk=lambda w: w.interview.pk),
    "profile_statement_edit": ck("profile_statement_edit", interview_pk=lambda w: w.interview.pk,
                                 statement_pk=lambda w: w.statement.pk),
    "profile_statement_delete": ck("profile_statement_delete",
                                   interview_pk=lambda w: w.interview.pk,
                                   statement_pk=lambda w: w.statement.pk),
    "profile_swot": ck("profile_swot"), "profile_swot_refresh": ck("profile_swot_refresh"),
    "profile_swot_create": ck("profile_swot_create"),
    "profile_swot_edit": ck("profile_swot_edit", item_pk=lambda w: w.item.pk),
    "profile_swot_status": ck("profile_swot_status", item_pk=lambda w: w.item.pk),
    "profile_swot_delete": ck("profile_swot_delete", item_pk=lambda w: w.item.pk),
    "profile_document": ck("profile_document"), "profile_texts_save": ck("profile_texts_save"),
    "profile_comment_add": ck("profile_comment_add"), "profile_approve": ck("profile_approve"),
    "profile_reopen": ck("profile_reopen"),
    "profile_synopsis": prog("profile_synopsis"),
    "profile_synopsis_xlsx": prog("profile_synopsis_xlsx"),
    "workshop_sessions": ck("workshop_sessions"), "workshop_create": ck("workshop_create"),
    "workshop_console": ws("workshop_console"), "workshop_console_stand": ws("workshop_console_stand"),
    "workshop_settings": ws("workshop_settings"), "workshop_control": ws("workshop_control"),
    "workshop_card": ws("workshop_card", card_pk=lambda w: w.card.pk),
    "workshop_cluster_create": ws("workshop_cluster_create"),
    "workshop_cluster": ws("workshop_cluster", cluster_pk=lambda w: w.cluster.pk),
    "workshop_analogue_card": ws("workshop_analogue_card"),
    "workshop_handover": ws("workshop_handover"), "workshop_projector": ws("workshop_projector"),
    "workshop_projector_stand": ws("workshop_projector_stand"), "workshop_qr": ws("workshop_qr"),
    "workshop_record_pdf": ws("workshop_record_pdf"),
    "workshop_record_xlsx": ws("workshop_record_xlsx"),
    "workshop_join": plain("workshop_join"), "workshop_join_code": code("workshop_join_code"),
    "workshop_stand": code("workshop_stand"), "workshop_card_submit": code("workshop_card_submit"),
    "workshop_vote": code("workshop_vote"), "workshop_profile": code("workshop_profile"),
    "plan_outline": ck("plan_outline"), "plan_table": ck("plan_table"),
    "plan_goal_create": ck("plan_goal_create"),
    "plan_goal_edit": ck("plan_goal_edit", goal_pk=lambda w: w.goal.pk),
    "plan_measure_create": ck("plan_measure_create"),
    "plan_measure_edit": ck("plan_measure_edit", measure_pk=lambda w: w.measure.pk),
    "plan_move": ck("plan_move", kind=lambda w: "massnahme", obj_pk=lambda w: w.measure.pk),
    "plan_takeover": ck("plan_takeover"), "plan_versions": ck("plan_versions"),
    "plan_version": ck("plan_version", number=lambda w: 1), "plan_compare": ck("plan_compare"),
    "plan_export": ck("plan_export", fmt=lambda w: "xlsx"), "plan_import": ck("plan_import"),
    "plan_timeline": ck("plan_timeline"), "plan_publish": ck("plan_publish"),
    "plan_public": ck("plan_public"), "plan_reviews": ck("plan_reviews"),
    "plan_review": ck("plan_review", review_pk=lambda w: w.review.pk),
    "plan_review_pdf": ck("plan_review_pdf", review_pk=lambda w: w.review.pk),
    "plan_review_action": ck("plan_review_action", review_pk=lambda w: w.review.pk,
                             action=lambda w: "beschluesse"),
    "plan_progress_log": ck("plan_progress_log", measure_pk=lambda w: w.measure.pk),
    "plan_milestone_add": ck("plan_milestone_add", measure_pk=lambda w: w.measure.pk),
    "plan_milestone": ck("plan_milestone", measure_pk=lambda w: w.measure.pk,
                         milestone_pk=lambda w: 1, action=lambda w: "erreicht"),
    "plan_goal_delete": ck("plan_goal_delete", goal_pk=lambda w: w.goal.pk),
    "plan_indicator_measure": ck("plan_indicator_measure", goal_pk=lambda w: w.goal.pk),
    "plan_indicator_from_profile": ck("plan_indicator_from_profile", goal_pk=lambda w: w.goal.pk),
    "plan_statuses": prog("plan_statuses"),
    "plan_status_edit": prog("plan_status_edit", status_pk=lambda w: w.measure.status_id),
    "plan_status_action": prog("plan_status_action", status_pk=lambda w: w.measure.status_id,
                               action=lambda w: "hoch"),
    "toolbox_index": plain("toolbox_index"), "tool_create": plain("tool_create"),
    "toolbox_review": plain("toolbox_review"), "toolbox_exchange": plain("toolbox_exchange"),
    "toolbox_usage": plain("toolbox_usage"),
    "toolbox_usage_export": plain("toolbox_usage_export", fmt=lambda w: "csv"),
    "tool_detail": tool("tool_detail"), "tool_edit": tool("tool_edit"),
    "tool_status": tool("tool_status", action=lambda w: "veroeffentlichen"),
    "tool_return": tool("tool_return"), "tool_adopt": tool("tool_adopt"),
    "tool_adopt_into_plan": tool("tool_adopt_into_plan"),
    "tool_attachment_add": tool("tool_attachment_add"),
    "tool_attachment": tool("tool_attachment", attachment_pk=lambda w: w.attachment.pk),
    "commune_toolbox": ck("commune_toolbox"), "practice_create": ck("practice_create"),
    "practice_from_measure": ck("practice_from_measure", measure_pk=lambda w: w.measure.pk),
}

# Pages that are not counted, each with the reason.
NOT_COUNTED = {
    "logout": "logging out changes the session; nothing to grow",
    "password_reset_confirm": "a token page: no data of the world",
}


def populate(w, n: int, office) -> None:
    """n more of everything the pages list, all through the services."""
    programme, commune = w.programme, w.commune
    for _i in range(n):
        other = make_commune(programme, by=office)
        add_member(other, UserFactory(), Membership.Role.CONSULTANT)
        w.membership = add_member(commune, UserFactory(), Membership.Role.TEAM_MEMBER)
    kickoff = commune.stages.get(key="kickoff")
    _fill_stage(kickoff, office, n)
    w.meeting, w.document = kickoff.meetings.first(), kickoff.documents.first()
    for i in range(n):
        w.entry = profile.inventory_create(
            commune=commune, by=office, data=profile.InventoryData(title=f"Projekt {i}"),
            attachment=SimpleUploadedFile("plan.pdf", PDF))
        w.interview = profile.interview_create(commune=commune, by=office, data=profile.InterviewData(
            role=f"Leitung {i}", held_on=dt.date(2024, 5, 2)))
        w.statement = profile.statement_add(interview=w.interview, text=f"Aussage {i}", by=office)
        w.item = profile.swot_item_create(commune=commune, by=office, data=profile.SwotData(
            quadrant="weakness", text=f"Punkt {i}", inventory_entry=w.entry,
            interview_statement=w.statement))
        profile.comment_add(commune=commune, text=f"Kommentar {i}", by=office)
        w.goal = goal(commune, f"Ziel {i}", by=office)
        w.measure = measure(commune, w.goal, f"Maßnahme {i}", by=office)
        measure(commune, w.goal, f"Maßnahme {i}b", by=office)
        w.card = approved_card(w.session, text=f"Karte {i}", by=office)
        w.tool = make_tool(title=f"Quxwerkzeug {i}", by=office)
        toolbox.tool_adopt(tool=w.tool, commune=commune, by=office)
        w.attachment = toolbox.attachment_add(tool=w.tool, upload=SimpleUploadedFile(
            "info.pdf", PDF), title=f"Info {i}", by=office)
    w.cluster = workshop.cluster_create(session=w.session, title=f"Thema {n}",
                                        action_field_id=None, by=office)


def measure_pages(client, w, names) -> dict[str, int]:
    counts = {}
    for name in names:
        url = BUILDERS[name](w)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code == 405:
            continue                                  # an action, not a page
        assert response.status_code in (200, 302), (name, url, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


def test_every_url_name_has_a_page_builder():
    assert set(BUILDERS) == url_names(), sorted(set(BUILDERS) ^ url_names())


def test_page_query_counts_do_not_grow_with_the_data(world, login, media):
    office = world.user("programme_office")
    world.session = workshop.session_create(commune=world.commune, by=office,
                                            data=workshop.SessionData(title="Werkstatt"))
    workshop.session_control(session=world.session, action="start", by=office)
    world.kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis",
                               ags="05958")
    world.data_commune = make_commune(world.programme, name="Brilon", kind="stadt",
                                      ags="05958012", parent=world.kreis)
    profile_data.demo_data_load(programme=world.programme, by=None)
    populate(world, 1, office)
    plan_services.plan_adopt(commune=world.commune, label="Beschluss",
                             adopted_on=dt.date(2025, 1, 1), by=office)
    plan_services.plan_publish(commune=world.commune, publish=True, by=office)
    world.review = plan_review.review_create(commune=world.commune, title="Bilanz",
                                             held_on=dt.date(2025, 6, 1), by=office)
    client = login(world, "superuser")
    # the same browser also joins the live workshop, so the participant pages are counted too
    assert client.post(reverse("workshop_join_code", args=[world.session.code]),
                       {"display_name": "", "age_band": ""}).status_code == 302
    names = sorted(set(BUILDERS) - set(NOT_COUNTED))
    measure_pages(client, world, names)               # first visits create lazy rows
    small = measure_pages(client, world, names)
    populate(world, 4, office)
    measure_pages(client, world, list(small))         # live pages re-fill their caches
    big = measure_pages(client, world, list(small))
    grown = {name: (small[name], big[name]) for name in small
             if big[name] > small[name] + LIVE_SLACK.get(name, 0)
             and name not in ALLOWED_GROWTH}
    assert not grown, f"pages whose query count grows with the data (small, big): {grown}"
    # and the guard did count real pages, not only actions
    assert {"portfolio", "commune_detail", "stage_detail", "plan_outline", "profile_swot",
            "profile_overview", "workshop_console", "toolbox_index", "tool_detail"} <= set(small)
