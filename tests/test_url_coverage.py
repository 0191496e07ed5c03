"""Every URL name has a case in a permission matrix (docs/DANGEROUS.md, "Unchecked object
access"): a new view without one fails here.

A URL name counts as covered when its name appears in a `Case(...)` of a matrix module (the
tests that use tests.access: tests/test_permissions.py and the apps' matrices), directly or in
a helper function the case calls, or in a test parametrized over every role (`"role"`, ROLES)
that asks for it. Pages that are public or belong to the login itself are listed below, each
with the reason it has no role matrix and where its behaviour is tested.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent

PUBLIC = {
    # The start page greets anonymous visitors and lists what a logged-in person may see
    # (tests/core); health is the load balancer's probe.
    "home": "public start page",
    "health": "public health probe",
    # Django's own login, logout and password views (tests/core, tests/communes invitations).
    "login": "authentication", "logout": "authentication",
    "password_change": "authentication", "password_change_done": "authentication",
    "password_reset": "authentication", "password_reset_done": "authentication",
    "password_reset_confirm": "authentication", "password_reset_complete": "authentication",
    # Workshop participants are anonymous by design: the session code and the participant
    # cookie are the key (tests/workshop/test_participant_views.py).
    "workshop_join": "anonymous participants", "workshop_join_code": "anonymous participants",
    "workshop_stand": "anonymous participants",
    "workshop_card_submit": "anonymous participants",
    "workshop_vote": "anonymous participants", "workshop_profile": "anonymous participants",
    # A plan the commune published is public; unpublished ones are 404 (tests/plan/test_public.py).
    "plan_public": "published plans are public",
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace is None:
                names.add(pattern.name)   # the admin (namespace "admin") is staff-only

    walk(get_resolver().url_patterns, None)
    return names


def _strings(node: ast.AST, names: set[str]) -> set[str]:
    return {sub.value for sub in ast.walk(node)
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value in names}


def _is_role_matrix(function: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Call) and d.args and isinstance(d.args[0], ast.Constant)
               and d.args[0].value == "role" for d in function.decorator_list)


def covered_names(names: set[str]) -> set[str]:
    covered: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and _is_role_matrix(node):
                covered |= _strings(node, names)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Case":
                todo, seen = [node], set()
                while todo:
                    part = todo.pop()
                    covered |= _strings(part, names)
                    for sub in ast.walk(part):
                        if isinstance(sub, ast.Name) and sub.id in helpers and sub.id not in seen:
                            seen.add(sub.id)
                            todo.append(helpers[sub.id])
    return covered


def test_every_url_name_has_a_permission_case():
    names = url_names()
    missing = sorted(names - covered_names(names) - set(PUBLIC))
    assert not missing, ("URL names without a permission-matrix case (add a Case to the "
                         "app's matrix, or to PUBLIC here with the reason): " + ", ".join(missing))


def test_public_list_names_only_real_urls():
    assert set(PUBLIC) <= url_names()
