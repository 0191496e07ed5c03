"""Django admin for the toolbox: registered, filterable, and every save keeps the stored search
current and leaves a history event."""

import pytest
from django.urls import reverse

from tests.toolbox.conftest import make_tool
from zwk.history.models import HistoryEvent
from zwk.toolbox.models import Adoption, Tool, Topic
from zwk.toolbox.selectors import ToolFilter, tool_search

INLINE = {"attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
          "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000"}


def found(query):
    return [t.slug for t in tool_search(ToolFilter(query=query))]


def tool_post(**fields):
    data = {"title": "Quxadmin Werkzeug", "slug": "quxadmin-werkzeug", "type": "method",
            "topics": [Topic.objects.get(slug="wohnen").pk], "stages": ",plan,",
            "commune_kinds": "", "effort": "low", "summary": "Es geht um Nistkästen.",
            "status": "published", **INLINE}
    data.update(fields)
    return data


@pytest.fixture
def admin_client(world, login):
    return login(world, "superuser")


def test_add_in_admin_is_searchable_and_recorded(admin_client):
    events = HistoryEvent.objects.filter(verb="toolbox.tool_created").count()
    response = admin_client.post(reverse("admin:toolbox_tool_add"), tool_post())
    assert response.status_code == 302, response.content[:2000]
    tool = Tool.objects.get(slug="quxadmin-werkzeug")
    assert found("Nistkasten") == [tool.slug]
    assert found("Wohnen Quxadmin") == [tool.slug]          # topic names are in the search
    assert HistoryEvent.objects.filter(verb="toolbox.tool_created").count() == events + 1


def test_change_in_admin_refreshes_the_stored_search(admin_client):
    tool = make_tool(title="Quxadmin Werkzeug", summary="Es geht um Nistkästen.")
    url = reverse("admin:toolbox_tool_change", args=[tool.pk])
    response = admin_client.post(url, tool_post(slug=tool.slug, summary="Streuobstwiesen pflegen.",
                                                topics=[Topic.objects.get(slug="gesundheit").pk]))
    assert response.status_code == 302, response.content[:2000]
    assert found("Nistkasten") == []
    assert found("Streuobstwiese") == [tool.slug]
    assert found("Gesundheit Quxadmin") == [tool.slug]
    assert HistoryEvent.objects.filter(verb="toolbox.tool_updated", subject_id=str(tool.pk),
                                       data__via="admin").exists()


def test_renaming_a_topic_in_admin_refreshes_its_tools(admin_client):
    tool = make_tool(title="Quxthema", topics=("integration",))
    topic = Topic.objects.get(slug="integration")
    response = admin_client.post(reverse("admin:toolbox_topic_change", args=[topic.pk]),
                                 {"slug": "integration", "name": "Zuwanderung", "position": "12"})
    assert response.status_code == 302
    assert tool.slug in found("Zuwanderung")
    assert HistoryEvent.objects.filter(verb="toolbox.topic_updated").exists()


def test_invalid_admin_input_writes_nothing(admin_client):
    events = HistoryEvent.objects.count()
    response = admin_client.post(reverse("admin:toolbox_tool_add"), tool_post(title=""))
    assert response.status_code == 200
    assert not Tool.objects.filter(slug="quxadmin-werkzeug").exists()
    assert HistoryEvent.objects.count() == events


def test_changelists_with_filters_and_search(admin_client, world):
    tool = make_tool(title="Quxliste")
    Adoption.objects.create(tool=tool, commune=world.commune)
    for url in (reverse("admin:toolbox_tool_changelist") + "?status__exact=published&q=Quxliste",
                reverse("admin:toolbox_tool_changelist") + f"?topics__id__exact="
                f"{Topic.objects.get(slug='wohnen').pk}&type__exact=method",
                reverse("admin:toolbox_topic_changelist"),
                reverse("admin:toolbox_adoption_changelist") + "?q=Quxliste",
                reverse("admin:toolbox_tool_change", args=[tool.pk])):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(reverse("admin:toolbox_tool_changelist") + "?q=Quxliste")
    assert "Quxliste" in page.content.decode()
    # adoptions are written by communes in the app (with history), not in the admin
    assert admin_client.get(reverse("admin:toolbox_adoption_add")).status_code == 403


@pytest.mark.parametrize("role", ["programme_office", "coordinator"])
def test_admin_is_for_staff_only(world, login, role):
    response = login(world, role).get(reverse("admin:toolbox_tool_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
