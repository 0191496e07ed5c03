"""Chart rendering survives fork(): the set-up of gunicorn's workers (issue 11).

vl-convert's JavaScript runtime runs on threads that a forked child does not have; a child that
rendered with an inherited runtime used to wait forever. These tests really fork (and really
start fresh interpreters) and give every child a deadline instead of letting it hang.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from zwk.charts import renderer

SPEC = {"data": {"values": [{"Jahr": 2020, "Personen": 1200}, {"Jahr": 2030, "Personen": 1100}]},
        "mark": "bar", "encoding": {"x": {"field": "Jahr", "type": "ordinal"},
                                    "y": {"field": "Personen", "type": "quantitative"}}}
CHILD_DEADLINE = 120  # seconds; a fresh helper needs ~5 s, a hanging child never finishes
SRC = Path(__file__).resolve().parents[2] / "src"


def in_forked_child(work):
    """Run `work()` in a forked child; return what it returned, or fail if it hangs."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report and leave without running the parent's clean-up
        os.close(read_end)
        try:
            answer = ("ok", work())
        except BaseException as error:  # noqa: BLE001  (every failure goes to the parent)
            answer = ("error", f"{type(error).__name__}: {error}")
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(answer, pipe)
        os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + CHILD_DEADLINE
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_end)
            pytest.fail(f"the forked child did not finish rendering in {CHILD_DEADLINE} s")
        time.sleep(0.1)
    with os.fdopen(read_end, "rb") as pipe:
        status, value = pickle.load(pipe)
    assert status == "ok", value
    return value


def render_in_child():
    svg = renderer.vegalite_to_svg(SPEC)
    png = renderer.vegalite_to_png(SPEC, scale=1)
    return {"svg": svg, "png": png[:8], "in_helper": renderer.renders_in_helper(),
            "helper_pid": renderer._state.helper.process.pid if renderer._state.helper else 0}


def test_a_child_forked_after_a_render_renders_through_a_fresh_helper():
    renderer.vegalite_to_svg(SPEC)  # this process's runtime is now started
    result = in_forked_child(render_in_child)
    assert ET.fromstring(result["svg"]).tag.endswith("svg")
    assert "Personen" in result["svg"]
    assert result["png"] == b"\x89PNG\r\n\x1a\n"
    assert result["in_helper"] is True
    assert result["helper_pid"] not in (0, os.getpid())
    # the parent still renders in process and started no helper of its own
    assert not renderer.renders_in_helper() and renderer._state.helper is None


BAD_SPEC = {"mark": {"type": "no-such-mark"}}


def error_of_bad_spec() -> tuple[str, str]:
    try:
        renderer.vegalite_to_svg(BAD_SPEC)
    except Exception as error:  # what the caller sees: type and first line of the message
        return type(error).__name__, str(error).splitlines()[0]
    return "", ""


def test_errors_of_a_bad_spec_reach_the_caller_from_the_helper_as_in_process():
    in_process = error_of_bad_spec()
    assert in_process[0] == "ValueError"
    assert in_forked_child(error_of_bad_spec) == in_process


def test_a_helper_that_died_is_replaced():
    renderer.vegalite_to_svg(SPEC)

    def render_kill_render():
        first = renderer.vegalite_to_svg(SPEC)
        renderer._state.helper.process.kill()
        renderer._state.helper.process.wait()
        second = renderer.vegalite_to_svg(SPEC)
        return first == second

    assert in_forked_child(render_kill_render) is True


def run_fresh_interpreter(code: str) -> subprocess.CompletedProcess:
    """A new Python process (nothing rendered yet), with a deadline."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=2 * CHILD_DEADLINE)


FORK_AND_RENDER = """
    import os, signal
    from zwk.charts import renderer
    {before}
    pid = os.fork()
    if pid == 0:
        signal.alarm({deadline})  # a hanging render ends the child with SIGALRM
        svg = renderer.vegalite_to_svg({spec!r})
        print("child", "helper" if renderer.renders_in_helper() else "own", "<svg" in svg,
              flush=True)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print("status", status, "parent runtime", renderer._state.runtime_pid)
"""


def test_building_the_js_bundle_leaves_the_runtime_unstarted_for_forked_workers():
    """What `zwk demo` and `zwk serve` do on a fresh data folder before gunicorn forks."""
    result = run_fresh_interpreter(FORK_AND_RENDER.format(
        before="assert len(renderer.javascript_bundle()) > 100_000",
        deadline=CHILD_DEADLINE, spec=SPEC))
    assert result.returncode == 0, result.stderr
    assert "child own True" in result.stdout  # the child has a runtime of its own
    assert "status 0 parent runtime None" in result.stdout


def test_a_child_forked_before_any_render_renders_in_its_own_runtime():
    result = run_fresh_interpreter(FORK_AND_RENDER.format(
        before="", deadline=CHILD_DEADLINE, spec=SPEC))
    assert result.returncode == 0, result.stderr
    assert "child own True" in result.stdout and "status 0" in result.stdout


def test_only_the_renderer_imports_vl_convert():
    """Every other module renders through zwk.charts.renderer, so none can bring the hang back."""
    allowed = {SRC / "zwk/charts/renderer.py", SRC / "zwk/charts/render_helper.py"}
    importing = {path for path in SRC.rglob("*.py")
                 if re.search(r"^\s*(import vl_convert|from vl_convert)", path.read_text(),
                              re.MULTILINE)}
    assert importing == allowed, sorted(map(str, importing - allowed))
