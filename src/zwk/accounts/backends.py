"""Login throttling: django-axes in front of the normal backends (docs/security.md)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses every login of a locked account or client, even with the right password.

    Every login over HTTP passes its request (Django's LoginView does). A call without a
    request (a script, `Client.login` in tests) has no client to throttle: it is left to the
    backends behind this one instead of failing as django-axes' own backend does."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
