"""The permission matrices' shared parts: one case type, one request, one verdict.

Each app lists its cases (who may do what, and how to see that it happened); every role is
then asked through the real views. Allowed roles must succeed and cause the effect; the others
get 403/404 (anonymous: the login page) and leave no effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

LOGIN_PATH = "/konto/anmelden/"
DENIED = (403, 404)


@dataclass
class Case:
    name: str
    allowed: set[str]
    method: str
    url: Callable                      # world -> url
    data: Callable = lambda w: {}      # world -> request data
    effect: Callable | None = None     # world -> did the write happen?
    prepare: Callable | None = None    # world -> None, before the request
    denied_status: tuple = DENIED


def assert_access(response, role: str, allowed: bool, denied: tuple = DENIED) -> None:
    """The response a role must get: success when allowed; the login page for anonymous
    visitors; 403 (or 404 for a commune one may not see) for everyone else."""
    if allowed:
        assert response.status_code in (200, 302), (response.status_code, response.content[:800])
        if response.status_code == 302:
            assert LOGIN_PATH not in response["Location"]
    elif role == "anonymous":
        assert response.status_code == 302 and LOGIN_PATH in response["Location"]
    else:
        assert response.status_code in denied, response.status_code


def request_case(case: Case, role: str, world, login):
    if case.prepare:
        case.prepare(world)
    client = login(world, role)
    return getattr(client, case.method)(case.url(world), case.data(world))


def assert_case(case: Case, role: str, world, response) -> bool:
    """Check the response and the effect; return whether the role was allowed."""
    allowed = role in case.allowed
    assert_access(response, role, allowed, case.denied_status)
    if case.effect:
        assert bool(case.effect(world)) is allowed
    return allowed
