"""Set-up and production safety: the CLI, the settings, the security headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BIN = Path(sys.executable).parent


def run_zwk(*args, env=None, data_dir=None, timeout=240):
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("ZWK_", "DJANGO_", "DATABASE_URL"))}
    environment.update(env or {})
    if data_dir is not None:
        environment["ZWK_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(BIN / "zwk"), *args], capture_output=True, text=True,
                          env=environment, timeout=timeout, stdin=subprocess.DEVNULL)


def test_demo_prints_one_login_per_role_and_is_idempotent(tmp_path):
    first = run_zwk("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    logins = re.findall(r"^Login ([a-z-]+): (\S+) / (\S+)$", first.stdout, re.MULTILINE)
    assert [role for role, _, _ in logins] == [
        "programme-office", "consultant", "coordinator", "team-member"]
    assert "synthetisch" in first.stdout
    assert (tmp_path / "zwk.sqlite3").exists() and (tmp_path / "secret_key").exists()
    second = run_zwk("demo", "--no-serve", data_dir=tmp_path)
    assert second.returncode == 0 and second.stdout == first.stdout
    count = run_zwk("manage", "shell", "-c",
                    "from zwk.communes.models import Commune; print(Commune.objects.count())",
                    env={"ZWK_DEMO": "1"}, data_dir=tmp_path)
    assert count.stdout.strip().splitlines()[-1] == "17"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_zwk("manage", "check", data_dir=tmp_path)
    assert result.returncode != 0
    assert "ZWK_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_settings_are_safe_by_default(tmp_path):
    """Django's deployment checks pass; only the HSTS subdomain/preload choices remain, which
    depend on the operator's domain and are left to them."""
    result = run_zwk("manage", "check", "--deploy", env={
        "ZWK_SECRET_KEY": secrets.token_urlsafe(50), "ZWK_HTTPS": "1"}, data_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    found = set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr))
    assert found <= {"W005", "W021"}, found


def test_createuser_without_password_input_fails_clearly(tmp_path):
    env = {"ZWK_SECRET_KEY": "k" * 50}
    assert run_zwk("manage", "migrate", "-v0", env=env, data_dir=tmp_path).returncode == 0
    made = run_zwk("createuser", "anna", "--email", "anna@example.org",
                   env={**env, "ZWK_PASSWORD": "Geheim-2024-x"}, data_dir=tmp_path)
    assert made.returncode == 0 and "ist angelegt" in made.stdout
    again = run_zwk("createuser", "anna", env={**env, "ZWK_PASSWORD": "x"}, data_dir=tmp_path)
    assert again.returncode == 2 and "gibt es schon" in again.stderr


def test_security_headers_and_no_inline_script(client, world, login):
    response = login(world, "coordinator").get(reverse("commune_detail", args=[world.commune.pk]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script found"
    assert " onclick=" not in html and " onload=" not in html


@pytest.mark.django_db
def test_health_reports_database(client):
    assert client.get("/health/").json() == {"status": "ok"}


def test_every_page_says_demo_data_when_present(client, world, login):
    world.programme.is_demo = True
    world.programme.save()
    c = login(world, "coordinator")
    for url in (reverse("home") + "?alle=1", reverse("commune_detail", args=[world.commune.pk]),
                reverse("stage_detail", args=[world.commune.pk, "kickoff"])):
        assert "Demodaten:" in c.get(url).content.decode(), url
    c.logout()
    assert "Demodaten:" in c.get(reverse("login")).content.decode()


def test_redis_shares_cache_between_processes(tmp_path):
    """With ZWK_REDIS_URL the cache (and so sessions) is shared by all app processes."""
    url = os.environ.get("ZWK_REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"LOUD SKIP: no Redis reachable at {url}; the Redis path is untested here")
    env = {"ZWK_SECRET_KEY": "k" * 50, "ZWK_REDIS_URL": url}
    write = run_zwk("manage", "shell", "-c", "from django.core.cache import cache; "
                    "cache.set('zwk-test-key', 'aus Prozess A', 30)", env=env, data_dir=tmp_path)
    assert write.returncode == 0, write.stderr
    read = run_zwk("manage", "shell", "-c", "from django.core.cache import cache; "
                   "print(cache.get('zwk-test-key'))", env=env, data_dir=tmp_path)
    assert read.stdout.strip().splitlines()[-1] == "aus Prozess A"
