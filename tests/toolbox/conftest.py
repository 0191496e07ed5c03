import pytest

from zwk.toolbox import services
from zwk.toolbox.loader import load_shipped_tools
from zwk.toolbox.models import Tool, Topic


@pytest.fixture(autouse=True)
def shipped_tools(request):
    """The migration loads the shipped tools, but a transactional test elsewhere in the run
    flushes every table; loading again (idempotent) keeps these tests independent of order."""
    if {"db", "world", "tool_factory"} & set(request.fixturenames):
        request.getfixturevalue("db")
        load_shipped_tools(Topic, Tool)


def make_tool(*, title, by=None, owner_commune=None, publish=True, topics=("wohnen",), **fields):
    data = services.ToolData(title=title, summary=fields.pop("summary", f"Über {title}."),
                             topics=list(Topic.objects.filter(slug__in=topics)), **fields)
    tool = services.tool_create(data=data, by=by, owner_commune=owner_commune)
    if publish:
        tool = services.tool_publish(tool=tool, by=by)
    return tool


@pytest.fixture
def tool_factory(db):
    return make_tool
