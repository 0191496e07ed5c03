"""One way for views to run a write and tell the person how it went."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages


def run_and_report(request, write: Callable[[], object], success: str,
                   refusal: type[Exception]) -> bool:
    """Run `write`; show its German refusal (`refusal`, raised by the service) or `success`.

    Returns whether the write went through. Only the service's own error type is shown to the
    person: anything else is a bug and must surface as one.
    """
    try:
        write()
    except refusal as error:
        messages.error(request, str(error))
        return False
    if success:
        messages.success(request, success)
    return True
