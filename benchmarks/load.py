"""Load test against the production server set-up: `zwk serve` (gunicorn, 2 workers × 4 threads).

Prints figures, asserts no timings. The script

1. prepares a database: the demo (`zwk.core.demo.load`, as `zwk demo --no-serve` does) or,
   with --communes N, a programme of N communes built as in benchmarks/portfolio.py;
2. starts `python -m zwk.cli serve` on 127.0.0.1 with a free port (own process group);
3. logs in --users virtual users (default 50), each with its own session cookie, through
   the real login form (CSRF token from the form);
4. lets them walk the main pages (portfolio, commune, stage, timeline, home and /health/ as
   the reference) without think time (--think) for --duration seconds or --max-requests requests,
   whichever comes first;
5. prints p50/p95/p99 latency per page and overall, requests per second and errors, with
   the ratio of each page's p50 to /health/'s p50 in the same run; then stops the server
   (always, try/finally).

    .venv/bin/python benchmarks/load.py                              # SQLite, temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwk_bench \\
        .venv/bin/python benchmarks/load.py                          # PostgreSQL

With DATABASE_URL the database must exist (`createdb zwk_bench`); the demo and the
--communes programme are loaded idempotently, so repeated runs reuse them.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
BENCH_PASSWORD = "Bench-Passwort-2024"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Person:
    username: str
    password: str
    pages: list[tuple[str, str]]   # (page label, path)


# --- preparing the database (in this process, same environment as the server) ------------


def prepare(communes: int) -> list[Person]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    people = _prepare_bench(communes) if communes else _prepare_demo()
    connections.close_all()
    return people


def _prepare_demo() -> list[Person]:
    from zwk.core import demo

    demo.load()
    logins = [*demo.LOGINS, demo.SECOND_CONSULTANT]
    return [_person(login.username, login.password) for login in logins]


def _prepare_bench(n: int) -> list[Person]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from zwk.communes.models import Membership, Programme

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from portfolio import build_programme

    slug = f"load-{n}"
    if not Programme.objects.filter(slug=slug).exists():
        built = build_programme(n, slug=slug, password_hash=make_password(BENCH_PASSWORD))
        print(f"built {n} communes, {built.users} people in {built.seconds:.1f} s")
    user_model = get_user_model()
    members = Membership.objects.filter(commune__programme__slug=slug)
    names = [f"{slug}-gs"]
    for role in (Membership.Role.CONSULTANT, Membership.Role.CONSULTANT,
                 Membership.Role.COORDINATOR, Membership.Role.TEAM_MEMBER):
        taken = members.filter(role=role).exclude(user__username__in=names)
        names.append(taken.order_by("user__username").values_list("user__username",
                                                                  flat=True).first())
    assert user_model.objects.filter(username__in=names).count() == len(names)
    return [_person(name, BENCH_PASSWORD) for name in names]


def _person(username: str, password: str) -> Person:
    """The pages this person walks: the portfolio of the programmes they run, the detail,
    stage and timeline pages of the communes they may see, the start page, /health/."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from zwk.communes.selectors import communes_visible_to, programmes_managed_by
    from zwk.process.stages import STAGE_TYPES

    user = get_user_model().objects.get(username=username)
    pages = [("home", reverse("home") + "?alle=1"), ("health", reverse("health"))]
    pages += [("portfolio", reverse("portfolio", args=[p.slug]))
              for p in programmes_managed_by(user=user)]
    keys = list(STAGE_TYPES)
    for i, commune in enumerate(communes_visible_to(user=user)):
        pages.append(("commune", reverse("commune_detail", args=[commune.pk])))
        pages.append(("stage", reverse("stage_detail", args=[commune.pk, keys[i % len(keys)]])))
        pages.append(("timeline", reverse("commune_timeline", args=[commune.pk])))
    return Person(username, password, pages)


# --- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port: int, log_path: Path, workers: int) -> subprocess.Popen:
    """`zwk serve` (gunicorn, --workers, 4 threads) in its own process group."""
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "zwk.cli", "serve", "--host", HOST, "--port", str(port),
         "--workers", str(workers)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=os.environ.copy())


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with code {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /health/ within {timeout:g} s")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group (gunicorn master and its workers)."""
    if server.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        except ProcessLookupError:
            pass


# --- virtual users -----------------------------------------------------------------------


class Session:
    """One browser: a keep-alive connection and its own cookies."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "zwk-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):               # a keep-alive connection the server closed
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, response.getheader("Location", ""), text

    def login(self, username: str, password: str) -> None:
        status, _, text = self.request("GET", "/konto/anmelden/")
        token = CSRF_INPUT.search(text)
        if status != 200 or token is None:
            raise RuntimeError(f"login form: status {status}, CSRF token found: {bool(token)}")
        status, location, _ = self.request("POST", "/konto/anmelden/", {
            "csrfmiddlewaretoken": token.group(1), "username": username,
            "password": password, "next": ""})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: status {status} → {location}")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    count: int = 0
    exceptions: int = 0


def walk(session: Session, person: Person, results: Results, *, deadline: float,
         max_requests: int, seed: int, think: float = 0.0) -> None:
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, path in person.pages:
        by_label[label].append(path)
    labels = sorted(by_label)
    while time.monotonic() < deadline:
        with results.lock:
            if results.count >= max_requests:
                return
            results.count += 1
        if think:
            time.sleep(min(rng.uniform(0.5, 1.5) * think, max(0.0, deadline - time.monotonic())))
        label = rng.choice(labels)                    # each kind of page equally often
        path = rng.choice(by_label[label])
        started = time.perf_counter()
        try:
            status, location, _ = session.request("GET", path)
        except Exception as error:  # noqa: BLE001 - every failure is a figure
            with results.lock:
                results.errors[f"{label}: {type(error).__name__}"] += 1
                results.exceptions += 1
            continue
        elapsed = time.perf_counter() - started
        with results.lock:
            results.times[label].append(elapsed)
            if not 200 <= status < 400:
                results.errors[f"{label}: HTTP {status}"] += 1
            elif status in (301, 302) and "/konto/anmelden/" in location:
                results.errors[f"{label}: redirected to the login"] += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help="virtual users (sessions)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of walking")
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--communes", type=int, default=0, help="0: the demo data")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean think time between a user's requests, seconds (0: none)")
    args = parser.parse_args(argv)

    data_dir = tempfile.mkdtemp(prefix="zwk-load-")
    os.environ.setdefault("ZWK_DATA_DIR", data_dir)
    os.environ.setdefault("ZWK_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwk.config.settings")
    os.environ.setdefault("ZWK_ALLOWED_HOSTS", f"{HOST},localhost")
    os.environ.setdefault("ZWK_LOG_LEVEL", "ERROR")
    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    started = time.perf_counter()
    people = prepare(args.communes)
    print(f"ZWK load benchmark – database: {database}; data: "
          f"{f'{args.communes} communes' if args.communes else 'demo'} "
          f"(prepared in {time.perf_counter() - started:.1f} s); data folder {data_dir}")

    port = free_port()
    log_path = Path(os.environ["ZWK_DATA_DIR"]) / "server.log"
    server = start_server(port, log_path, args.workers)
    sessions: list[Session] = []
    try:
        wait_ready(port, server)
        print(f"server: zwk serve (gunicorn) on {HOST}:{port}, {args.workers} workers × 4 "
              f"threads; {args.users} virtual users, think time {args.think:g} s, up to {args.duration:g} s "
              f"or {args.max_requests} requests")
        vus = [(Session(port, args.timeout), people[i % len(people)]) for i in range(args.users)]
        sessions = [s for s, _ in vus]
        login_errors: list[str] = []
        login_started = time.perf_counter()

        def _login(session: Session, person: Person) -> None:
            try:
                session.login(person.username, person.password)
            except Exception as error:  # noqa: BLE001
                login_errors.append(f"{person.username}: {error}")

        threads = [threading.Thread(target=_login, args=vu, daemon=True) for vu in vus]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        print(f"logins: {args.users - len(login_errors)}/{args.users} in "
              f"{time.perf_counter() - login_started:.1f} s (password hashing dominates)")
        for message in login_errors[:5]:
            print(f"  login error: {message}")

        results = Results()
        walk_started = time.monotonic()
        deadline = walk_started + args.duration
        threads = [threading.Thread(target=walk, args=(session, person, results), daemon=True,
                                    kwargs={"deadline": deadline, "seed": i, "think": args.think,
                                            "max_requests": args.max_requests})
                   for i, (session, person) in enumerate(vus)
                   if f"{person.username}:" not in " ".join(login_errors)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + args.timeout + 10)
        elapsed = time.monotonic() - walk_started
        report(results, elapsed)
    finally:
        for session in sessions:
            session.close()
        stop_server(server)
        print(f"server stopped (exit code {server.returncode}); log: {log_path}")
    return 0


def report(results: Results, elapsed: float) -> None:
    all_times = [t for times in results.times.values() for t in times]
    total = len(all_times) + results.exceptions
    health = percentile(results.times["health"], 50) if results.times.get("health") else None
    print()
    header = (f"{'page':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'max ms':>8} {'errors':>6} {'p50 ×health':>11}")
    print(header)
    print("-" * len(header))
    order = ["health", "home", "portfolio", "commune", "stage", "timeline"]
    labels = [*[o for o in order if o in results.times],
              *sorted(set(results.times) - set(order))]
    for label in [*labels, "overall"]:
        times = all_times if label == "overall" else results.times[label]
        if not times:
            continue
        errors = (sum(results.errors.values()) if label == "overall" else
                  sum(v for k, v in results.errors.items() if k.startswith(f"{label}:")))
        p50 = percentile(times, 50) * 1000
        ratio = f"{p50 / (health * 1000):>11.1f}" if health else f"{'–':>11}"
        print(f"{label:<10} {len(times):>8} {p50:>8.1f} {percentile(times, 95) * 1000:>8.1f} "
              f"{percentile(times, 99) * 1000:>8.1f} {max(times) * 1000:>8.1f} {errors:>6} "
              f"{ratio}")
    print()
    print(f"{total} requests in {elapsed:.1f} s = {total / elapsed:.1f} requests/s; "
          f"errors: {sum(results.errors.values())}")
    for key, count in results.errors.most_common(10):
        print(f"  {count} × {key}")


if __name__ == "__main__":
    sys.exit(main())
