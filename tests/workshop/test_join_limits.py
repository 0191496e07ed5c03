"""Workshop joins are limited per client and workshop; the counters live in the shared cache
(Redis or the database), so all app processes count together; the console shows bursts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from zwk.core import counters
from zwk.workshop import services
from zwk.workshop.models import Participant
from zwk.workshop.views_participant import cookie_name

REDIS_URL = os.environ.get("ZWK_REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


def _join(client, session, ip="203.0.113.7"):
    return client.post(reverse("workshop_join_code", args=[session.code]),
                       {"display_name": "", "age_band": ""}, REMOTE_ADDR=ip)


def test_joins_per_client_are_limited(client, ws, settings):
    settings.ZWK_WORKSHOP_JOINS_PER_CLIENT = 3
    for _ in range(3):
        client.cookies.clear()                    # a script that drops its cookie
        assert _join(client, ws).status_code == 302
    client.cookies.clear()
    refused = _join(client, ws)
    assert refused.status_code == 400
    assert "sehr viele Personen beigetreten" in refused.content.decode()
    assert Participant.objects.filter(session=ws).count() == 3
    # Another client (another phone in the hall) still joins.
    assert _join(client, ws, ip="198.51.100.20").status_code == 302


def test_the_same_browser_rejoining_gets_its_participant_back(client, ws):
    assert _join(client, ws).status_code == 302
    first = Participant.objects.get(session=ws)
    assert _join(client, ws).status_code == 200   # the cookie names the existing participant
    assert Participant.objects.filter(session=ws).count() == 1
    assert client.cookies[cookie_name(ws.pk)]
    assert Participant.objects.get(session=ws).pk == first.pk


def test_console_shows_a_burst_of_joins_from_one_client(client, ws, world, login, settings):
    settings.ZWK_WORKSHOP_JOIN_BURST = 3
    for _ in range(3):
        client.cookies.clear()
        _join(client, ws)
    _join(client, ws, ip="198.51.100.20")
    page = login(world, "coordinator").get(
        reverse("workshop_console", args=[world.commune.pk, ws.pk])).content.decode()
    assert "Auffällige Beitritte" in page
    assert "3 Beitritte von einem Gerät oder Netz" in page
    assert "203.0.113.7" not in page                # the address itself is never stored
    assert not Participant.objects.filter(client="203.0.113.7").exists()


def test_console_is_quiet_without_bursts(client, ws, world, login):
    _join(client, ws)
    page = login(world, "coordinator").get(
        reverse("workshop_console", args=[world.commune.pk, ws.pk])).content.decode()
    assert "Auffällige Beitritte" not in page


def test_card_rate_limit_counts_in_the_shared_cache(ws, monkeypatch):
    monkeypatch.setattr(services, "CARD_LIMIT", (2, 60))
    me = services.participant_join(session=ws)
    services.card_submit(participant=me, text="Eins")
    assert counters.count(f"ws-rate:card:{me.pk}", window_seconds=60) == 1
    assert caches[counters.ALIAS].__class__.__name__ in {"DatabaseCache", "RedisCache"}


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"LOUD SKIP: no Redis reachable at {REDIS_URL}; the Redis path is untested")
    return redis.Redis.from_url(REDIS_URL)


def test_join_limit_with_the_real_redis(client, ws, settings):
    server = _redis_or_skip()
    prefix = f"zwk-test-{os.getpid()}"
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
              "KEY_PREFIX": prefix}
    settings.ZWK_WORKSHOP_JOINS_PER_CLIENT = 2
    try:
        with override_settings(CACHES={**settings.CACHES, counters.ALIAS: config}):
            for _ in range(2):
                client.cookies.clear()
                assert _join(client, ws).status_code == 302
            client.cookies.clear()
            assert _join(client, ws).status_code == 400
            assert any(key.startswith(prefix.encode()) for key in server.keys("*"))
    finally:
        for key in server.scan_iter(f"{prefix}*"):
            server.delete(key)


COUNT_IN_A_PROCESS = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("createcachetable", verbosity=0)
from zwk.core import counters
for _ in range(int(sys.argv[1])):
    value = counters.hit("ws-join:two-processes", window_seconds=10**8)
print(value)
"""


def _in_another_process(env: dict, hits: int) -> int:
    result = subprocess.run([sys.executable, "-c", COUNT_IN_A_PROCESS, str(hits)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return int(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_two_processes_share_the_counter(backend, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zwk.config.settings_test",
           "ZWK_DATA_DIR": str(settings.DATA_DIR), "ZWK_REDIS_URL": ""}
    if backend == "database":     # a database both processes reach, as gunicorn workers do
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    else:
        server = _redis_or_skip()
        env["ZWK_REDIS_URL"] = REDIS_URL
        for key in server.scan_iter("zwk-shared*two-processes*"):
            server.delete(key)
    try:
        assert _in_another_process(env, 3) == 3
        assert _in_another_process(env, 2) == 5     # the second process goes on counting
    finally:
        if backend == "redis":
            for key in server.scan_iter("zwk-shared*two-processes*"):
                server.delete(key)
