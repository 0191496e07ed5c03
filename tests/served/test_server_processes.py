"""Chart renderings answer in every way the server is started (issue 11).

Each server here starts on a fresh data folder, so its master process builds the browser's
chart bundle before gunicorn forks the workers: before the fix that started vl-convert's runtime
in the master, and every chart the workers rendered hung until gunicorn killed them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.served.conftest import (
    BIN,
    REPO,
    REQUEST_TIMEOUT,
    WORKER_TIMEOUT,
    Server,
    no_control_socket,
)
from tests.served.crawl import file_problem, links_of, login


@pytest.fixture
def fresh_data_env(prepared_demo, tmp_path):
    """The prepared demo (database, uploaded files, key) in a data folder that lacks the
    generated chart bundle, as on the first start."""
    data_dir = tmp_path / "data"
    shutil.copytree(prepared_demo.data_dir, data_dir,
                    ignore=shutil.ignore_patterns("generated-static", "static", "gunicorn.ctl"))
    return {**prepared_demo.env, "ZWK_DATA_DIR": str(data_dir)}


def kreis_downloads(server: Server, logins) -> list[tuple[str, str]]:
    """The Kreis's profile PDF and DOCX and its first chart as SVG and PNG: (url, kind)."""
    session = login(server.url, *logins["programme-office"])
    portfolio = session.get(f"{server.url}/?alle=1", timeout=REQUEST_TIMEOUT).text
    kreis = re.search(r'href="(/kommunen/\d+/)"[^>]*>\s*Hochsauerlandkreis', portfolio).group(1)
    profile = session.get(f"{server.url}{kreis}profil/", timeout=REQUEST_TIMEOUT).text
    svg = next(link for link in links_of(profile) if re.search(r"/grafik/[\w-]+\.svg", link))
    wanted = [(f"{kreis}profil/kommunalprofil.pdf", "pdf"),
              (f"{kreis}profil/kommunalprofil.docx", "docx"),
              (svg, "svg"), (svg.replace(".svg", ".png"), "png")]
    problems = []
    for path, kind in wanted:
        response = session.get(f"{server.url}{path}", timeout=REQUEST_TIMEOUT)
        problem = (f"HTTP {response.status_code}" if response.status_code != 200
                   else file_problem(kind, response.content))
        if problem:
            problems.append((path, problem))
    return problems


def worker_helpers(server: Server) -> list[int]:
    """Chart helper processes started by the server's workers (children of its children)."""
    parents = dict(_processes())  # pid -> parent pid
    workers = {pid for pid, parent in parents.items() if parent == server.process.pid}
    return [pid for pid, parent in parents.items() if parent in workers
            and "zwk.charts.render_helper" in _cmdline(pid)]


def _processes() -> list[tuple[int, int]]:
    pairs = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pairs.append((int(stat.parent.name), int(fields[1])))
    return pairs


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_zwk_demo_serves_charts_and_reports(prepared_demo, fresh_data_env, tmp_path):
    """`zwk demo` as a newcomer starts it (one worker here; the crawl uses two)."""
    server = Server([str(BIN / "zwk"), "demo", "--port", "{port}", "--workers", "1",
                     "--timeout", str(WORKER_TIMEOUT)], fresh_data_env, tmp_path / "demo.log")
    server.start()
    try:
        problems = kreis_downloads(server, prepared_demo.logins)
        log = server.log()
    finally:
        server.stop()
    assert not problems, f"{problems}\n{log}"
    assert log.count("Booting worker") == 1, log
    assert "WORKER TIMEOUT" not in log


def test_preload_after_the_master_rendered_a_chart(prepared_demo, fresh_data_env, tmp_path):
    """gunicorn --preload with a master that rendered: the workers render through helpers."""
    env = {**fresh_data_env, "PYTHONPATH": str(REPO)}
    server = Server([str(BIN / "gunicorn"), "--preload", "tests.served.preload_wsgi:application",
                     "--bind", "127.0.0.1:{port}", "--workers", "2", "--threads", "2",
                     "--timeout", str(WORKER_TIMEOUT), *no_control_socket()],
                    env, tmp_path / "preload.log")
    server.start()
    try:
        problems = kreis_downloads(server, prepared_demo.logins)
        helpers = worker_helpers(server)
        log = server.log()
    finally:
        server.stop()
    assert not problems, f"{problems}\n{log}"
    assert helpers, "the workers rendered without a helper, with the master's runtime"
    assert "WORKER TIMEOUT" not in log
