"""Login throttling: django-axes in front of the normal backends (docs/security.md)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes is untyped
    """Refuses every login of a locked account or client, even with the right password.

    Every login over HTTP passes its request (Django's LoginView does). A call without a
    request (a script, `Client.login` in tests) has no client to throttle: it is left to the
    backends behind this one instead of failing as django-axes' own backend does."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
