"""Portfolio, commune and stage pages: SQL queries and server time per programme size.

Prints figures, asserts no timings. For each programme size (10, 40, 80 communes by default)
it builds a programme through the real services (communes, memberships, stages completed,
blocked, overdue, events and decisions, all with history), then requests the pages as the
programme office with Django's test Client (in process: server time without the network).

Every page is measured interleaved with a trivial authenticated page (the password-change
form) in the same run, and the ratio is printed: machines are noisy, ratios less so.
The query count per size shows whether a page grows with the number of communes (N+1).

    .venv/bin/python benchmarks/portfolio.py                       # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwk_bench \\
        .venv/bin/python benchmarks/portfolio.py                   # PostgreSQL

With DATABASE_URL the script creates a fresh database next to the given one (Django's
test-database machinery: `test_<name>`) and drops it at the end; the given database is not
written to. Options: --sizes 10,40,80  --requests 40  --max-seconds 20 (per page and size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass

LANDS = (("05", "west"), ("03", "west"), ("09", "sued"), ("13", "nord_ost"), ("16", "nord_ost"))


def configure_environment() -> str:
    """Environment for Django before it is imported; returns the temp data folder."""
    data_dir = tempfile.mkdtemp(prefix="zwk-bench-")
    os.environ.setdefault("ZWK_DATA_DIR", data_dir)
    os.environ.setdefault("ZWK_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwk.config.settings")
    os.environ.setdefault("ZWK_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("ZWK_LOG_LEVEL", "ERROR")
    return os.environ["ZWK_DATA_DIR"]


# --- building a programme through the services --------------------------------------------


@dataclass
class Built:
    programme: object
    office: object
    communes: list
    users: int
    seconds: float


def build_programme(n_communes: int, *, slug: str, users_per_commune: int = 5,
                    password_hash: str = "!") -> Built:
    """A programme with n communes, users_per_commune × n people with memberships and the
    five stages in varied states, written through zwk.communes/zwk.process services.

    `password_hash` is stored as is for every person (default: unusable password), so the
    builder does not spend seconds hashing passwords.
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from zwk.communes import services as communes
    from zwk.communes.models import Membership, Programme, ProgrammeRole

    user_model = get_user_model()
    started = time.perf_counter()
    with transaction.atomic():
        programme = Programme.objects.create(name=f"Benchmark-Programm {slug}", slug=slug,
                                             starts_on=dt.date(2024, 1, 1))
        office = user_model.objects.create(username=f"{slug}-gs", first_name="Greta",
                                           last_name="Stelle", password=password_hash)
        ProgrammeRole.objects.create(user=office, programme=programme)
        people = user_model.objects.bulk_create(
            user_model(username=f"{slug}-p{i:04d}", first_name=f"Vorname{i}",
                       last_name=f"Nachname{i % 97:02d}", email=f"p{i}@{slug}.invalid",
                       password=password_hash)
            for i in range(users_per_commune * n_communes - 1))
        n_consultants = max(2, n_communes // 5)
        consultants, locals_ = people[:n_consultants], people[n_consultants:]
        made = []
        for i in range(n_communes):
            land, cluster = LANDS[i % len(LANDS)]
            commune = communes.commune_create(programme=programme, by=office, data=communes.CommuneData(
                name=f"Benchstadt {i:03d}", kind="stadt" if i % 4 == 0 else "gemeinde",
                land=land, ags=f"{land}9{i // 1000 % 100:02d}{i % 1000:03d}", cluster=cluster,
                population=3000 + 997 * i))
            communes.membership_add(commune=commune, user=consultants[i % n_consultants],
                                    role=Membership.Role.CONSULTANT, by=office)
            if i % 7 == 0:
                communes.membership_add(commune=commune,
                                        user=consultants[(i + 1) % n_consultants],
                                        role=Membership.Role.CONSULTANT, by=office)
            staff = locals_[i::n_communes]
            for j, person in enumerate(staff):
                role = Membership.Role.COORDINATOR if j == 0 else Membership.Role.TEAM_MEMBER
                communes.membership_add(commune=commune, user=person, role=role, by=office)
            _progress(commune, office, consultants[i % n_consultants], i)
            made.append(commune)
    return Built(programme, office, made, len(people) + 1, time.perf_counter() - started)


def _progress(commune, office, consultant, i: int) -> None:
    """Stage states by index: 0–4 stages done (some signed off with an override), the
    current one ticked, blocked, overdue or due soon."""
    from zwk.process import services as process
    from zwk.process.stages import STAGE_TYPES

    today = dt.date.today()
    stages = list(commune.stages.order_by("number"))
    done = 5 if i % 11 == 10 else i % 5
    for stage in stages[:done]:
        if i % 2 == 0:
            process.meeting_record(stage=stage, by=consultant, data=process.MeetingData(
                title=f"{stage.type.title}: Werkstatt", date=today - dt.timedelta(days=90),
                participants_count=12 + i % 30, participant_groups="Verwaltung, Vereine",
                agenda="1. Stand\n2. Nächste Schritte", minutes="Synthetisches Protokoll."))
            if stage.key == "plan":
                process.decision_record(stage=stage, by=consultant, data=process.DecisionData(
                    decided_on=today - dt.timedelta(days=40), title="Plan beschlossen",
                    body="Gemeinderat", reference=f"B-{i}"))
            for item in STAGE_TYPES[stage.key].checklist:
                if item.derived is None and item.required:
                    process.checklist_tick(stage=stage, item_key=item.key, done=True,
                                           by=consultant)
            try:
                process.stage_complete(stage=stage, by=consultant)
            except process.StageGateError:           # a derived item the builder cannot meet
                process.stage_complete(stage=stage, by=office,
                                       override_reason="Benchmark: abgeleiteter Punkt offen")
        else:
            process.stage_complete(stage=stage, by=office,
                                   override_reason="Benchmark: Abschluss mit Begründung")
    stages = list(commune.stages.order_by("number"))     # re-read: the services lock and save
    start = today - dt.timedelta(days=200)
    for number, stage in enumerate(stages):
        end = start + dt.timedelta(days=120)
        if number == done and i % 4 == 1:
            start, end = today - dt.timedelta(days=60), today - dt.timedelta(days=5)  # overdue
        elif number == done and i % 4 == 2:
            start, end = today - dt.timedelta(days=60), today + dt.timedelta(days=7)  # soon
        if not stage.is_done:
            process.stage_set_dates(stage=stage, by=consultant, dates=process.StageDates(
                planned_start=start, planned_end=end))
        start = end
    if done < 5:
        current = stages[done]
        manual = [item for item in current.type.checklist if item.derived is None]
        if manual and i % 3:
            process.checklist_tick(stage=current, item_key=manual[0].key, done=True,
                                   by=consultant)
        if i % 6 == 3:
            process.stage_block(stage=current, by=consultant,
                                reason="Koordination unbesetzt (Benchmark).")


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    queries: int
    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx.captured_queries)


def _get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}, expected 200")
    return elapsed


def measure_pair(client, url: str, ref_url: str, *, requests: int,
                 max_seconds: float) -> tuple[list[float], list[float]]:
    """Time url and the reference alternately (same conditions), bounded in count and time."""
    for _ in range(2):                                    # warm-up: templates, connections
        _get(client, url)
        _get(client, ref_url)
    times, ref_times = [], []
    deadline = time.monotonic() + max_seconds
    while len(times) < requests and time.monotonic() < deadline:
        ref_times.append(_get(client, ref_url))
        times.append(_get(client, url))
    return times, ref_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,40,80")
    parser.add_argument("--requests", type=int, default=40, help="per page and size")
    parser.add_argument("--max-seconds", type=float, default=20.0, help="per page and size")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    data_dir = configure_environment()
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    postgres = connection.vendor == "postgresql"
    if postgres:
        # A fresh database beside the configured one, dropped at the end.
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        db = settings.DATABASES["default"]
        print(f"ZWK portfolio benchmark – database: {connection.vendor} ({db['NAME']}), "
              f"Django {django.get_version()}, Python {sys.version.split()[0]}")
        print(f"data folder: {data_dir}; per page and size: up to {args.requests} requests or "
              f"{args.max_seconds:g} s; times are server time in process (test Client)")
        print("reference (ref): the password-change page, a trivial authenticated page, "
              "requested alternately with each page; ×ref = median / reference median")
        print()
        header = (f"{'communes':>8}  {'page':<16} {'queries':>7} {'median ms':>9} {'p95 ms':>8} "
                  f"{'ref ms':>7} {'×ref':>6}")
        print(header)
        print("-" * len(header))
        summary: dict[str, dict[int, Figure]] = {}
        ref_url = reverse("password_change")
        for size in sizes:
            built = build_programme(size, slug=f"bench-{size}")
            client = Client()
            client.force_login(built.office)
            busy = next(c for c in built.communes if c.stages.filter(status="done").count() >= 3)
            current = busy.stages.exclude(status="done").order_by("number").first()
            pages = {
                "health": reverse("health"),
                "ref (passwort)": ref_url,
                "portfolio": reverse("portfolio", args=[built.programme.slug]),
                "portfolio+filter": reverse("portfolio", args=[built.programme.slug])
                + "?signal=red",
                "commune": reverse("commune_detail", args=[busy.pk]),
                "stage": reverse("stage_detail", args=[busy.pk, current.key]),
                "stage (done)": reverse("stage_detail", args=[busy.pk, "kickoff"]),
                "timeline": reverse("commune_timeline", args=[busy.pk]),
            }
            for label, url in pages.items():
                queries = count_queries(client, url)
                times, ref_times = measure_pair(client, url, ref_url, requests=args.requests,
                                                max_seconds=args.max_seconds)
                figure = Figure(label, queries, times)
                ref = Figure("ref", 0, ref_times)
                summary.setdefault(label, {})[size] = figure
                print(f"{size:>8}  {label:<16} {queries:>7} {figure.median:>9.2f} "
                      f"{figure.p95:>8.2f} {ref.median:>7.2f} {figure.median / ref.median:>6.2f}")
            print(f"{'':>8}  (built {size} communes, {built.users} people in "
                  f"{built.seconds:.1f} s)")
        print()
        print("Queries per page and size (constant = no N+1):")
        for label, by_size in summary.items():
            counts = ", ".join(f"{size}: {fig.queries}" for size, fig in by_size.items())
            verdict = "constant" if len({f.queries for f in by_size.values()}) == 1 else "GROWS"
            print(f"  {label:<16} {counts}  -> {verdict}")
        if len(sizes) > 1:
            small, big = sizes[0], sizes[-1]
            print(f"Time scaling {small} -> {big} communes (×{big / small:g} communes), "
                  "median ratio:")
            for label in ("portfolio", "portfolio+filter", "commune", "stage"):
                by_size = summary[label]
                print(f"  {label:<16} ×{by_size[big].median / by_size[small].median:.2f}")
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
