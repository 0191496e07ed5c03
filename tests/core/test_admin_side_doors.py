"""The Django admin is no side door: what it writes goes through the services (stages, history,
gates), and the admins that must not write refuse add, change and delete."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory
from zwk.communes.models import Commune, Membership, Programme, ProgrammeRole
from zwk.history.models import HistoryEvent
from zwk.process.models import Stage

MEMBERSHIPS = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
               "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000"}

# Admins that write, each through a service (tested below); every other admin is read-only.
WRITING_ADMINS = {"accounts.user", "communes.programme", "communes.programmerole",
                  "communes.commune", "toolbox.tool", "toolbox.topic"}
READ_ONLY = {"history.historyevent", "process.stage", "process.meeting", "process.document",
             "process.decision", "toolbox.adoption",
             "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}


@pytest.fixture
def admin_client(world, login):
    return login(world, "superuser")


def commune_post(world, **fields):
    data = {"programme": world.programme.pk, "name": "Quxdorf", "kind": "gemeinde",
            "land": "05", "ags": "05958777", "ars": "", "parent": "", "cluster": "west",
            "population": "1500", **MEMBERSHIPS}
    data.update(fields)
    return data


def test_every_registered_admin_is_routed_or_read_only(rf, world):
    request = rf.get("/")
    request.user = world.user("superuser")
    labels = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        labels.add(label)
        if label in WRITING_ADMINS:
            continue
        assert label in READ_ONLY, f"{label}: route its writes through a service or make it " \
                                   "read-only (zwk.core.admin.ReadOnlyAdmin)"
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
    assert labels >= WRITING_ADMINS | READ_ONLY


def test_commune_added_in_admin_gets_stages_fields_and_history(admin_client, world):
    response = admin_client.post(reverse("admin:communes_commune_add"), commune_post(world))
    assert response.status_code == 302, response.content[:3000]
    commune = Commune.objects.get(name="Quxdorf")
    assert sorted(commune.stages.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert commune.action_fields.exists()
    event = HistoryEvent.objects.get(verb="commune.created", commune=commune)
    assert event.actor == world.user("superuser")


def test_invalid_commune_in_admin_gets_the_services_message_and_writes_nothing(admin_client,
                                                                               world):
    events = HistoryEvent.objects.count()
    response = admin_client.post(reverse("admin:communes_commune_add"),
                                 commune_post(world, land="09"))   # AGS 05… lies in NRW
    assert response.status_code == 200
    assert "gehört zu Nordrhein-Westfalen" in response.content.decode()
    assert not Commune.objects.filter(name="Quxdorf").exists()
    assert HistoryEvent.objects.count() == events


def test_commune_changed_in_admin_is_recorded(admin_client, world):
    commune = world.commune
    response = admin_client.post(reverse("admin:communes_commune_change", args=[commune.pk]),
                                 commune_post(world, name="Bergstadt an der Qux",
                                              kind=commune.kind, ags=commune.ags,
                                              population=commune.population or ""))
    assert response.status_code == 302, response.content[:3000]
    commune.refresh_from_db()
    assert commune.name == "Bergstadt an der Qux"
    event = HistoryEvent.objects.get(verb="commune.updated", commune=commune)
    assert event.data["changed"] == {"name": "Bergstadt an der Qux"}


def test_commune_admin_refuses_delete_and_membership_edits(admin_client, world):
    commune = world.commune
    assert admin_client.post(reverse("admin:communes_commune_delete", args=[commune.pk]),
                             {"post": "yes"}).status_code == 403
    assert Commune.objects.filter(pk=commune.pk).exists()
    members = Membership.objects.filter(commune=commune).count()
    # an added inline row is ignored: the inline is read-only
    data = commune_post(world, name=commune.name, kind=commune.kind, ags=commune.ags,
                        **{"memberships-TOTAL_FORMS": "1", "memberships-0-user":
                           world.user("no_membership").pk, "memberships-0-role": "coordinator"})
    admin_client.post(reverse("admin:communes_commune_change", args=[commune.pk]), data)
    assert Membership.objects.filter(commune=commune).count() == members


def test_stage_cannot_be_completed_past_its_gate_in_admin(admin_client, world):
    stage = world.commune.stages.get(key="kickoff")
    url = reverse("admin:process_stage_change", args=[stage.pk])
    assert admin_client.get(url).status_code == 200          # shown, read-only
    response = admin_client.post(url, {"commune": world.commune.pk, "key": "kickoff",
                                       "number": "1", "status": "done"})
    assert response.status_code == 403
    stage.refresh_from_db()
    assert stage.status != Stage.Status.DONE
    assert admin_client.get(reverse("admin:process_stage_add")).status_code == 403
    assert admin_client.post(reverse("admin:process_stage_delete", args=[stage.pk]),
                             {"post": "yes"}).status_code == 403
    assert Stage.objects.filter(pk=stage.pk).exists()


@pytest.mark.parametrize("model", ["meeting", "document", "decision", "stage"])
def test_read_only_process_admins_refuse_add(admin_client, model):
    assert admin_client.get(reverse(f"admin:process_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:process_{model}_add")).status_code == 403


def test_history_admin_refuses_every_write(admin_client, world):
    event = HistoryEvent.objects.filter(commune=world.commune).first()
    assert admin_client.get(reverse("admin:history_historyevent_add")).status_code == 403
    url = reverse("admin:history_historyevent_change", args=[event.pk])
    assert admin_client.post(url, {"verb": "x"}).status_code == 403
    assert admin_client.post(reverse("admin:history_historyevent_delete", args=[event.pk]),
                             {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.verb != "x"


def test_programme_role_granted_and_revoked_in_admin_is_recorded(admin_client, world):
    person = UserFactory()
    response = admin_client.post(reverse("admin:communes_programmerole_add"), {
        "user": person.pk, "programme": world.programme.pk, "role": "office"})
    assert response.status_code == 302, response.content[:3000]
    grant = ProgrammeRole.objects.get(user=person, programme=world.programme)
    granted = HistoryEvent.objects.get(verb="programme_role.granted", subject_id=str(grant.pk))
    assert granted.programme == world.programme and granted.data["user"] == person.username
    assert granted.actor == world.user("superuser")

    response = admin_client.post(reverse("admin:communes_programmerole_delete", args=[grant.pk]),
                                 {"post": "yes"})
    assert response.status_code == 302
    assert not ProgrammeRole.objects.filter(pk=grant.pk).exists()
    assert HistoryEvent.objects.filter(verb="programme_role.revoked",
                                       data__user=person.username).exists()


def test_programme_role_bulk_revoke_in_admin_is_recorded(admin_client, world):
    office = world.user("programme_office")
    grant = ProgrammeRole.objects.get(user=office)
    response = admin_client.post(reverse("admin:communes_programmerole_changelist"), {
        "action": "delete_selected", "_selected_action": [grant.pk], "post": "yes"})
    assert response.status_code == 302
    assert not ProgrammeRole.objects.filter(pk=grant.pk).exists()
    assert HistoryEvent.objects.filter(verb="programme_role.revoked",
                                       data__user=office.username).exists()


def test_double_or_inactive_programme_role_is_refused_with_a_message(admin_client, world):
    events = HistoryEvent.objects.count()
    office = world.user("programme_office")
    response = admin_client.post(reverse("admin:communes_programmerole_add"), {
        "user": office.pk, "programme": world.programme.pk, "role": "office"})
    assert response.status_code == 200
    assert ProgrammeRole.objects.filter(user=office).count() == 1
    inactive = UserFactory(is_active=False)
    response = admin_client.post(reverse("admin:communes_programmerole_add"), {
        "user": inactive.pk, "programme": world.programme.pk, "role": "office"})
    assert response.status_code == 200
    assert "ist deaktiviert" in response.content.decode()
    assert not ProgrammeRole.objects.filter(user=inactive).exists()
    assert HistoryEvent.objects.count() == events


def test_programme_role_grant_is_not_changed_in_place(admin_client, world):
    grant = ProgrammeRole.objects.get(user=world.user("programme_office"))
    response = admin_client.post(reverse("admin:communes_programmerole_change", args=[grant.pk]),
                                 {"user": grant.user.pk, "programme": world.other_programme.pk,
                                  "role": "office"})
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.programme == world.programme


def test_programme_saved_in_admin_is_recorded_and_not_deleted(admin_client, world):
    response = admin_client.post(reverse("admin:communes_programme_add"), {
        "name": "Quxprogramm", "slug": "quxprogramm", "starts_on": "", "ends_on": ""})
    assert response.status_code == 302, response.content[:3000]
    programme = Programme.objects.get(slug="quxprogramm")
    assert HistoryEvent.objects.filter(verb="programme.created", programme=programme).exists()
    assert admin_client.post(reverse("admin:communes_programme_delete", args=[programme.pk]),
                             {"post": "yes"}).status_code == 403


def test_user_admin_records_grants_and_password_and_refuses_delete(admin_client, world):
    person = world.user("no_membership")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name not in ("groups", "user_permissions", "password",
                                                  "last_login", "date_joined")}
    data.update({"is_staff": "on", "is_active": "on", "date_joined_0": "2024-01-01",
                 "date_joined_1": "10:00:00"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    event = HistoryEvent.objects.get(verb="user.updated", subject_id=str(person.pk))
    assert "is_staff" in event.data["changed"] and event.data["is_staff"] is True

    password_url = reverse("admin:auth_user_password_change", args=[person.pk])
    response = admin_client.post(password_url, {"password1": "Neu-Passwort-77",
                                                 "password2": "Neu-Passwort-77",
                                                 "usable_password": "true"})
    assert response.status_code == 302, response.content[:3000]
    event = HistoryEvent.objects.get(verb="user.password_set", subject_id=str(person.pk))
    assert "Neu-Passwort" not in str(event.data)
    assert admin_client.post(reverse("admin:accounts_user_delete", args=[person.pk]),
                             {"post": "yes"}).status_code == 403


def test_user_added_in_admin_is_recorded(admin_client):
    response = admin_client.post(reverse("admin:accounts_user_add"), {
        "username": "quxneu", "password1": "Neu-Passwort-77", "password2": "Neu-Passwort-77",
        "usable_password": "true"})
    assert response.status_code == 302, response.content[:3000]
    assert HistoryEvent.objects.filter(verb="user.created", subject_label="quxneu").exists()


@pytest.mark.parametrize("model", ["tool", "topic", "adoption"])
def test_toolbox_admins_refuse_delete(rf, world, model):
    from zwk.toolbox.models import Adoption, Tool, Topic

    request = rf.get("/")
    request.user = world.user("superuser")
    model_class = {"tool": Tool, "topic": Topic, "adoption": Adoption}[model]
    assert not admin.site._registry[model_class].has_delete_permission(request)
