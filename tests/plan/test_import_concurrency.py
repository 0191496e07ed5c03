"""A large plan import must not keep the rest of the site waiting: while the file is parsed,
other people's writes (a login, an edit of the same plan) go through, on SQLite (one writer at a
time for the whole database) and on PostgreSQL (row locks). The other writer runs in a second
thread with its own connection and waits at most 2 s for a lock, so the test fails quickly
where the import holds a lock during the parse."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from tests.factories import PASSWORD
from tests.plan.conftest import goal
from zwk.plan import exports, services
from zwk.plan.exports import COLUMNS
from zwk.plan.models import Goal


def plan_file(commune, rows: int) -> bytes:
    field = commune.action_fields.first().name
    lines = [";".join(COLUMNS)]
    for i in range(rows):
        cells = dict.fromkeys(COLUMNS, "")
        cells.update(Typ="Ziel", ID=f"neu-{i}", Handlungsfeld=field, Titel=f"Ziel {i}")
        lines.append(";".join(cells[c] for c in COLUMNS))
    return ("\n".join(lines) + "\n").encode()


def _short_lock_wait() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = '2s'")
        else:
            cursor.execute("PRAGMA busy_timeout = 2000")


def _write_elsewhere(world, existing: Goal, outcome: dict) -> None:
    """A login of another person and an edit of a goal of the same plan."""
    try:
        _short_lock_wait()
        client = Client()
        outcome["login"] = client.login(username=world.user("consultant").username,
                                        password=PASSWORD)
        updated = services.goal_update(goal=existing, data={"title": "Anders benannt",
                                             "action_field": existing.action_field},
                                       expected_version=existing.version,
                                       by=world.user("consultant"))
        outcome["edit"] = updated.title
    except Exception as error:  # the test reports what went wrong
        outcome["error"] = f"{type(error).__name__}: {error}"
    finally:
        connections.close_all()


@pytest.mark.parametrize("dry_run", [True, False], ids=["pruefen", "importieren"])
@pytest.mark.django_db(transaction=True)
def test_other_writes_succeed_while_an_import_parses(world, monkeypatch, dry_run):
    existing = goal(world.commune, "Bestehendes Ziel")
    content = plan_file(world.commune, 300)
    outcome: dict = {}
    parse_rows = exports.parse_rows

    def parse_while_someone_writes(*args, **kwargs):
        other = threading.Thread(target=_write_elsewhere, args=(world, existing, outcome))
        other.start()
        other.join(timeout=60)
        return parse_rows(*args, **kwargs)

    monkeypatch.setattr(exports, "parse_rows", parse_while_someone_writes)
    result = services.plan_import(commune=world.commune, name="gross.csv", content=content,
                                  by=world.user("coordinator"), dry_run=dry_run)
    assert outcome == {"login": True, "edit": "Anders benannt"}
    assert result.created_goals == 300
    assert Goal.objects.get(pk=existing.pk).title == "Anders benannt"
    assert Goal.objects.filter(commune=world.commune).count() == (1 if dry_run else 301)
