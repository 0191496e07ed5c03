"""The shared second level behind the profile's in-process cache (zwk.profile.cache).

Behaviour only, no times: what is computed how often, what is stored, what happens when the
backend fails. The real Redis tests use 127.0.0.1:6379 db 15 (ZWK_REDIS_TEST_URL) as
tests/core/test_setup.py does, each with its own key namespace, and delete their keys.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from tests.profile.test_analysis import hsk, page  # noqa: F401  (fixture)
from tests.profile.test_data import demo_files, media  # noqa: F401  (fixtures)
from zwk.profile import analysis
from zwk.profile import cache as shared

REDIS_URL = os.environ.get("ZWK_REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def with_profile_cache(config: dict):
    return override_settings(CACHES={**settings.CACHES, shared.ALIAS: config})


def locmem():
    return with_profile_cache({"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                               "LOCATION": f"profile-{uuid.uuid4().hex}"})


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    monkeypatch.setattr(shared, "NAMESPACE", f"zwk-profile-test-{uuid.uuid4().hex[:12]}")
    shared.reset()
    yield
    shared.reset()


class Counter:
    def __init__(self, value):
        self.calls, self.value = 0, value

    def __call__(self):
        self.calls += 1
        return self.value


def forget(key: tuple) -> None:
    """Drop a key from this process's LRU: the next lookup is what a fresh process sees."""
    with analysis._LOCK:
        analysis._CACHE.pop(key, None)


def redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"LOUD SKIP: no Redis reachable at {REDIS_URL}; the Redis path is untested")
    return redis.Redis.from_url(REDIS_URL)


def delete_namespace(client, namespace: str) -> int:
    keys = list(client.scan_iter(match=f"*{namespace}:*"))
    if keys:
        client.delete(*keys)
    return len(keys)


# ------------------------------------------------------------------------------- keys

def test_key_is_the_same_in_another_process_with_other_string_hashes():
    key = ("projection", "ab12", "05958004", (("fertility_factor", 0.95), ("tfr", None)), 2040,
           True, ("altenquotient", (("05958", "Hochsauerlandkreis"),)))
    here = shared.stable_key(key)
    code = ("import sys, json; from zwk.profile import cache as c; c.NAMESPACE = sys.argv[1]; "
            "print(c.stable_key(json.loads(sys.argv[2], object_hook=None)))")
    # JSON turns the tuples into lists: the text form does not tell them apart, on purpose
    there = subprocess.run(
        [sys.executable, "-c", code, shared.NAMESPACE, json.dumps(key)], capture_output=True,
        text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout.strip()
    assert here == there and here.startswith(shared.NAMESPACE + ":")


def test_key_differs_with_every_part_and_type():
    keys = [("a", 1), ("a", 2), ("a", "1"), ("a", 1.5), ("a", True), ("a", None), ("b", 1),
            ("a", (1,)), ("a", 1, None)]
    assert len({shared.stable_key(k) for k in keys}) == len(keys)


def test_numpy_numbers_give_the_key_of_the_python_numbers():
    np = pytest.importorskip("numpy")
    assert shared.stable_key(("x", np.int64(2023), np.float64(0.5))) == \
        shared.stable_key(("x", 2023, 0.5))


@pytest.mark.parametrize("part", [frozenset({"a"}), {"a": 1}, object(), b"bytes"])
def test_keys_with_unstable_parts_have_no_shared_key(part):
    assert shared.stable_key(("x", part)) is None


def test_every_key_of_the_profile_and_the_plan_baseline_is_shareable(hsk, monkeypatch):  # noqa: F811
    """All call sites of `cached` (analysis and zwk.plan.baseline) build keys of plain values:
    run a demo town through them and collect the keys."""
    from zwk.plan.baseline import projection_snapshot

    town = hsk["Brilon"]
    seen = []
    original = analysis.cached

    def spy(key, compute):
        seen.append(key)
        return original(key, compute)

    monkeypatch.setattr(analysis, "cached", spy)
    a = analysis.analysis_for(town)
    run = analysis.run_projection(a, analysis.scenario_for("basis"), 2040)
    for chart in ("pyramide", "entwicklung", "altersgruppen", "salden", "lebensphasen",
                  "vergleich"):
        analysis.build_chart(a, chart, run)
    analysis.typology(town)
    analysis.programme_analyses([town])
    projection_snapshot(town)
    kinds = {key[0] for key in seen}
    assert {"indicators", "projection", "chart", "typology", "regions",
            "plan-baseline"} <= kinds
    assert [key for key in seen if shared.stable_key(key) is None] == []


# ------------------------------------------------------------- the second level (LocMem)

def test_without_a_profile_alias_everything_stays_in_process():
    assert shared.ALIAS not in settings.CACHES
    key = ("test", uuid.uuid4().hex)
    compute = Counter([1, 2])
    assert analysis.cached(key, compute) == [1, 2]
    forget(key)
    assert analysis.cached(key, compute) == [1, 2]
    assert compute.calls == 2


def test_a_miss_in_process_is_answered_by_the_shared_level():
    key = ("test", uuid.uuid4().hex)
    compute = Counter({"value": [1, 2, 3]})
    with locmem():
        assert analysis.cached(key, compute) == {"value": [1, 2, 3]}
        forget(key)
        again = analysis.cached(key, compute)
    assert again == {"value": [1, 2, 3]} and compute.calls == 1


def test_none_is_a_value_too():
    key = ("test", uuid.uuid4().hex)
    compute = Counter(None)
    with locmem():
        analysis.cached(key, compute)
        forget(key)
        assert analysis.cached(key, compute) is None
    assert compute.calls == 1


def test_unpicklable_values_stay_in_process():
    key = ("test", uuid.uuid4().hex)
    value = lambda: None  # noqa: E731 – a lambda cannot be pickled
    compute = Counter(value)
    with locmem():
        assert analysis.cached(key, compute) is value
        assert analysis.cached(key, compute) is value          # in-process hit
        forget(key)
        assert analysis.cached(key, compute) is value
    assert compute.calls == 2


def test_values_larger_than_the_limit_stay_in_process(monkeypatch):
    monkeypatch.setattr(shared, "MAX_BYTES", 1000)
    small, large = ("test", "small", uuid.uuid4().hex), ("test", "large", uuid.uuid4().hex)
    with locmem():
        assert shared.put(shared.stable_key(small), "x" * 100)
        assert not shared.put(shared.stable_key(large), "x" * 2000)
        assert shared.get(shared.stable_key(small)) == "x" * 100
        assert shared.get(shared.stable_key(large)) is shared.MISSING


def test_keys_without_a_stable_form_stay_in_process():
    key = ("test", uuid.uuid4().hex, frozenset({"a"}))
    compute = Counter(7)
    with locmem():
        analysis.cached(key, compute)
        forget(key)
        analysis.cached(key, compute)
    assert compute.calls == 2


def test_a_damaged_entry_is_computed_again():
    key = ("test", uuid.uuid4().hex)
    compute = Counter(5)
    with locmem():
        caches[shared.ALIAS].set(shared.stable_key(key), b"not a pickle")
        assert analysis.cached(key, compute) == 5
    assert compute.calls == 1


def test_the_profile_page_is_the_same_from_the_shared_level(client, world, hsk):  # noqa: F811
    """The real values (tables, projections, charts, datasets) survive the round trip: the
    page rendered from the shared level equals the freshly computed one."""
    from zwk.profile import data

    def get():
        return page(client, world, "profile_overview", hsk["Brilon"])

    with locmem():
        saved = dict(analysis._CACHE), dict(data._CACHE)
        analysis._CACHE.clear(), data._CACHE.clear()
        try:
            first = get()
            stored = len(caches[shared.ALIAS]._cache)
            analysis._CACHE.clear(), data._CACHE.clear()
            computed = []
            original = analysis.cached
            analysis.cached = lambda key, compute: original(
                key, lambda: computed.append(key[0]) or compute())
            try:
                second = get()
            finally:
                analysis.cached = original
        finally:
            analysis._CACHE.update(saved[0]), data._CACHE.update(saved[1])
    assert first.status_code == second.status_code == 200
    # the only computation again is the typology: with three towns it fails (it needs four),
    # and a failure is cached at neither level
    assert "error" in analysis.typology(hsk["Brilon"])
    assert stored >= 8 and computed == ["typology"]
    assert without_csrf(second) == without_csrf(first)


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# ------------------------------------------------------------------ the backend failing

class Recorder:
    """Stands in for the cache module's logger: the messages it was given, whatever the
    process's logging set-up (other tests and libraries may reconfigure logging)."""

    def __init__(self):
        self.warnings: list[str] = []

    def warning(self, message, *args):
        self.warnings.append(message % args)

    def info(self, *args):
        pass

    debug = info


@pytest.fixture
def recorder(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(shared, "logger", recorder)
    return recorder


def test_a_failing_backend_is_warned_about_once_and_the_request_goes_on(recorder, monkeypatch):
    with locmem():
        backend = caches[shared.ALIAS]
        calls = []

        def broken(*args, **kwargs):
            calls.append(args)
            raise ConnectionError("Redis is down")

        monkeypatch.setattr(backend, "get", broken)
        monkeypatch.setattr(backend, "set", broken)
        for i in range(5):
            assert analysis.cached(("test", uuid.uuid4().hex, i), Counter(i)) == i
        assert len(calls) == 1           # after the error: in process only for RETRY_AFTER
        assert len(recorder.warnings) == 1 and "Redis is down" in recorder.warnings[0]

        # after RETRY_AFTER it tries again; once it works, it says so, also once
        monkeypatch.setattr(shared, "RETRY_AFTER", 0.0)
        shared._state["down_until"] = 0.0
        monkeypatch.setattr(backend, "get", backend.__class__.get.__get__(backend))
        monkeypatch.setattr(backend, "set", backend.__class__.set.__get__(backend))
        monkeypatch.setattr(shared, "NAMESPACE", f"zwk-profile-test-{uuid.uuid4().hex[:12]}")
        recorder.warnings.clear()
        key = ("test", uuid.uuid4().hex)
        compute = Counter("back")
        analysis.cached(key, compute)
        forget(key)
        assert analysis.cached(key, compute) == "back" and compute.calls == 1
        assert recorder.warnings == ["Shared profile cache ('profile') is reachable again."]


def test_redis_on_a_closed_port_leaves_the_profile_working(recorder):
    pytest.importorskip("redis")
    with socket.socket() as probe:              # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
              "LOCATION": f"redis://127.0.0.1:{port}/0",
              "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    key = ("test", uuid.uuid4().hex)
    compute = Counter([4, 5])
    with with_profile_cache(config):
        assert analysis.cached(key, compute) == [4, 5]
        forget(key)
        assert analysis.cached(key, compute) == [4, 5]
    assert compute.calls == 2
    assert len(recorder.warnings) == 1 and "unavailable" in recorder.warnings[0]


# ------------------------------------------------------------------------- real Redis

def test_real_redis_answers_a_miss_in_process():
    client = redis_or_skip()
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    key = ("test", uuid.uuid4().hex, 2040, None)
    compute = Counter({"totals": [1.5, 2.5]})
    try:
        with with_profile_cache(config):
            analysis.cached(key, compute)
            forget(key)
            assert analysis.cached(key, compute) == {"totals": [1.5, 2.5]}
        assert compute.calls == 1
        ttl = client.ttl(next(iter(client.scan_iter(match=f"*{shared.NAMESPACE}:*"))))
        assert 0 < ttl <= shared.TIMEOUT
    finally:
        delete_namespace(client, shared.NAMESPACE)


CHILD = """
import json
from zwk.communes.models import Commune
from zwk.plan.baseline import projection_snapshot
from zwk.profile import analysis, data
from zwk.profile import cache as shared
shared.NAMESPACE = {namespace!r}
computed = []
original, parse = analysis.cached, data._parse
def counting(key, compute):
    return original(key, lambda: computed.append(key[0]) or compute())
def counting_parse(name, content):
    computed.append("parse")
    return parse(name, content)
analysis.cached, data._parse = counting, counting_parse
town = Commune.objects.get(ags="05958004")
a = analysis.analysis_for(town)
figures = analysis.key_figures(a)
run = analysis.run_projection(a, analysis.scenario_for("basis"), 2040)
charts = [analysis.build_chart(a, k, run) is not None for k in
          ("pyramide", "entwicklung", "altersgruppen", "salden", "lebensphasen", "vergleich")]
snapshot = projection_snapshot(town)
print(json.dumps({{"computed": computed, "totals": run.totals, "charts": charts,
                  "figures": [f["value"] for f in figures["figures"]],
                  "baseline": snapshot["totals"]}}))
"""


def test_a_second_process_computes_nothing_with_the_shared_redis_cache(tmp_path):
    """Two separate app processes on the same data and the same Redis: the first computes
    (parses the files, indicators, projection, charts, plan baseline), the second only reads."""
    from tests.core.test_setup import run_zwk

    client = redis_or_skip()
    demo = run_zwk("demo", "--no-serve", data_dir=tmp_path)
    assert demo.returncode == 0, demo.stderr
    namespace = f"zwk-profile-test-{uuid.uuid4().hex[:12]}"
    env = {"ZWK_DEMO": "1", "ZWK_REDIS_URL": REDIS_URL}
    try:
        results = []
        for _ in range(2):
            done = run_zwk("manage", "shell", "-c", CHILD.format(namespace=namespace), env=env,
                           data_dir=tmp_path)
            assert done.returncode == 0, done.stderr
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        first, second = results
        assert {"parse", "indicators", "projection", "chart", "plan-baseline"} <= \
            set(first["computed"])
        assert second["computed"] == []
        assert {k: v for k, v in second.items() if k != "computed"} == \
            {k: v for k, v in first.items() if k != "computed"}
    finally:
        assert delete_namespace(client, namespace) > 0
