"""The chart helper process: `python -m zwk.charts.render_helper` renders what it is sent.

A fresh interpreter (not a fork) has a fresh vl-convert runtime, so it can render for a process
whose own runtime is unusable (see renderer.py). It reads requests from stdin and writes answers
to stdout, each a pickled tuple behind a 4-byte length (pipes.py); it ends when stdin closes,
i.e. when the process that started it closes the pipe or dies.
"""

from __future__ import annotations

import pickle
import sys
from typing import Any

import vl_convert

from zwk.charts.pipes import HelperGone, receive, send


def answer(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", getattr(vl_convert, name)(*args, **kwargs)
    except Exception as error:  # handed back to the caller, who raises it there
        return "error", _picklable(error)


def _picklable(error: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def main() -> int:
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answer pipe
    while True:
        try:
            name, args, kwargs = receive(requests)
        except HelperGone:
            return 0
        send(answers, answer(name, args, kwargs))


if __name__ == "__main__":
    sys.exit(main())
