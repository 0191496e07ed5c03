"""Length-prefixed pickles over a pipe: how renderer.py talks to its helper process.

Only the process that started a helper writes to its stdin, so the pickles come from a trusted
source.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import time
from typing import IO, Any

_LENGTH = struct.Struct(">I")


class HelperGone(EOFError):
    """The other end closed the pipe."""


def send(stream: IO[bytes], message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def receive(stream: IO[bytes], *, timeout: float | None = None) -> Any:
    deadline = None if timeout is None else time.monotonic() + timeout
    (length,) = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size, deadline))
    return pickle.loads(_read_exactly(stream, length, deadline))


def _read_exactly(stream: IO[bytes], size: int, deadline: float | None) -> bytes:
    chunks, missing, fd = [], size, stream.fileno()
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError("no answer in time")
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise HelperGone("pipe closed")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)
