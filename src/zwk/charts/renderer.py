"""The one door to vl-convert: fork-safe chart rendering (Vega-Lite to SVG/PNG, the JS bundle).

vl-convert renders in a JavaScript runtime (Deno) that runs on threads of its own, started the
first time a process renders. Threads do not survive `fork()`: a child process that inherits a
started runtime (a gunicorn worker forked from a master that had rendered, e.g. under
`--preload` or after loading the demo) waits forever on the first render. So:

- the process that first renders is remembered (`_state.runtime_pid`); a process that finds
  another process's id there inherited a dead runtime and renders in a helper process started
  with `spawn` (a fresh interpreter, so a fresh runtime), kept for its later renders;
- the JS bundle for the browser is always produced in such a helper, so generating it (settings,
  at start-up) never starts a runtime in a process that forks workers later.

Nothing else in ZWK imports vl_convert (a test checks it). The locale and version look-ups and
`svg_to_png` (resvg, Rust only) do not use the runtime; they pass straight through.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

import vl_convert

from zwk.charts import pipes

# Longer than any single chart takes (the first render of a fresh runtime takes ~5 s on a busy
# machine, the JS bundle up to ~20 s); a helper that does not answer by then is replaced.
HELPER_TIMEOUT_SECONDS = 120


class RenderError(RuntimeError):
    """The chart helper process failed or did not answer in time."""


class _Helper:
    """One helper process (render_helper.py) and the pipes to it; one request at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "zwk.charts.render_helper"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        self.lock = threading.Lock()
        assert self.process.stdin is not None and self.process.stdout is not None  # PIPE
        self.stdin, self.stdout = self.process.stdin, self.process.stdout

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        with self.lock:
            try:
                pipes.send(self.stdin, (name, args, kwargs))
                status, value = pipes.receive(self.stdout,
                                                      timeout=HELPER_TIMEOUT_SECONDS)
            except (OSError, EOFError, TimeoutError) as error:
                self.stop()
                raise RenderError(f"chart helper failed: {error}") from error
        if status == "error":
            raise value
        return value

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.stdin, self.stdout):
            pipe.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class _RendererState:
    runtime_pid: int | None = None  # the process whose vl-convert runtime is (or will be) live
    helper: _Helper | None = None
    helper_pid: int | None = None  # the process that started `helper`
    lock: threading.Lock = field(default_factory=threading.Lock)


_state = _RendererState()


def _after_fork_in_child() -> None:
    # A lock held by another thread at fork time would never be released in the child, and the
    # parent's helper pipes belong to the parent: start both afresh.
    _state.lock = threading.Lock()
    _state.helper = None
    _state.helper_pid = None


os.register_at_fork(after_in_child=_after_fork_in_child)


def vegalite_to_svg(spec: dict[str, Any]) -> str:
    svg: str = _render("vegalite_to_svg", spec)
    return svg


def vegalite_to_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    png: bytes = _render("vegalite_to_png", spec, scale=scale)
    return png


def javascript_bundle() -> str:
    """vega + vega-lite + vega-embed in one file, built in a helper process (see module doc)."""
    helper = _Helper()
    try:
        bundle: str = helper.call("javascript_bundle", (), {})
        return bundle
    finally:
        helper.stop()


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    return vl_convert.svg_to_png(svg, scale=scale)


def format_locale(name: Literal["de-DE"]) -> dict[str, Any]:
    return vl_convert.get_format_locale(name)


def time_format_locale(name: Literal["de-DE"]) -> dict[str, Any]:
    return vl_convert.get_time_format_locale(name)


def versions() -> dict[str, str]:
    return {"vega": vl_convert.get_vega_version(),
            "vega-embed": vl_convert.get_vega_embed_version()}


def renders_in_helper() -> bool:
    """Whether this process inherited another process's runtime and so renders in a helper."""
    runtime_pid = _state.runtime_pid
    return runtime_pid is not None and runtime_pid != os.getpid()


def _render(name: str, *args: Any, **kwargs: Any) -> Any:
    with _state.lock:
        if _state.runtime_pid is None:
            _state.runtime_pid = os.getpid()  # claimed before the runtime starts
    if not renders_in_helper():
        return getattr(vl_convert, name)(*args, **kwargs)
    return _helper().call(name, args, kwargs)


def _helper() -> _Helper:
    with _state.lock:
        if (_state.helper is None or not _state.helper.alive
                or _state.helper_pid != os.getpid()):
            _state.helper, _state.helper_pid = _Helper(), os.getpid()
        return _state.helper
