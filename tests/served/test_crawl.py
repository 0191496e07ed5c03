"""Every page and download of the demo, as each demo role reaches it in the real server.

Each role logs in through the login form, follows every link breadth first (bounded: see
crawl.py) and downloads every kind of PDF, DOCX, XLSX, ODS, CSV, SVG and PNG it finds. Every file
must answer 200 and open with the library its users' programs stand for; no request may time
out (REQUEST_TIMEOUT is half the worker time-out; two requests at a time, one per worker) or answer with a server error.
"""

from __future__ import annotations

import pytest

from tests.served.conftest import REQUEST_TIMEOUT, WORKER_TIMEOUT
from tests.served.crawl import Budget, crawl, login

ROLES = ("programme-office", "consultant", "coordinator", "team-member")
# Kinds of file every crawl together must have met: the demo links to all of them.
EXPECTED_KINDS = {"pdf", "docx", "xlsx", "csv", "svg", "png"}


@pytest.fixture(scope="module")
def shared_budget():
    """Each kind of file is downloaded once for all roles; pages are opened per role."""
    return Budget(pages_per_route=2, files_per_kind=1)


@pytest.fixture(scope="module")
def crawled() -> dict:
    return {}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_file_answers_for(role, served_demo, prepared_demo, shared_budget,
                                         crawled):
    assert REQUEST_TIMEOUT <= WORKER_TIMEOUT / 2
    username, password = prepared_demo.logins[role]
    session = login(served_demo.url, username, password)
    result = crawl(session, served_demo.url, f"{served_demo.url}/?alle=1",
                   budget=shared_budget, timeout=REQUEST_TIMEOUT, threads=2)
    crawled[role] = result
    assert len(result.pages) > 5, [page.url for page in result.pages]
    problems = result.problems()
    assert not problems, (f"{len(problems)} problems for {role}:\n  " + "\n  ".join(problems)
                          + f"\nserver log:\n{served_demo.log()}")


def test_the_crawl_met_every_kind_of_download(crawled):
    if set(crawled) != set(ROLES):
        pytest.skip("the role crawls did not all run in this process")
    kinds = {item.kind for result in crawled.values() for item in result.files}
    assert kinds >= EXPECTED_KINDS, kinds
