"""Werkstattplan pages: SQL queries and server time for 15 fields / 60 goals / 300 measures.

Prints figures, asserts no timings. Builds one commune through the real services (15 action
fields of the default catalogue, 60 goals of which 30 are sub-goals, 300 measures with dates,
statuses and some dependencies), then requests the outline, the table (plain and filtered),
the timeline and the CSV export as the programme office with Django's test Client, each
alternately with `/health/` as the reference; ×ref = median / reference median.

    .venv/bin/python benchmarks/plan.py                            # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwk_bench \\
        .venv/bin/python benchmarks/plan.py                        # PostgreSQL (test_<name>)

Options: --requests 30  --max-seconds 15 (per page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import warnings

from portfolio import configure_environment, count_queries, measure_pair


def build(office):
    from zwk.communes import services as communes
    from zwk.communes.models import Programme, ProgrammeRole
    from zwk.plan import services

    programme = Programme.objects.create(name="Benchmark Werkstattplan", slug="bench-plan")
    ProgrammeRole.objects.create(user=office, programme=programme)
    commune = communes.commune_create(programme=programme, by=office, data=communes.CommuneData(
        name="Planstadt", kind="stadt", land="05", ags="05999001", cluster="west"))
    fields = list(commune.action_fields.all()[:15])
    statuses = services.statuses_ensure(programme=programme)
    goals, measures = [], []
    for i in range(30):
        top = services.goal_create(commune=commune, by=office, data={
            "action_field": fields[i % len(fields)], "title": f"Leitziel {i + 1}"})
        sub = services.goal_create(commune=commune, by=office, data={
            "action_field": top.action_field, "parent": top, "title": f"Unterziel {i + 1}"})
        goals += [top, sub]
    for j in range(300):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=11 * j % 900)
        links = {"dependencies": [measures[-1]]} if measures and j % 4 == 0 else None
        measures.append(services.measure_create(commune=commune, by=office, links=links, data={
            "goal": goals[j % len(goals)], "title": f"Maßnahme {j + 1}",
            "status": statuses[j % len(statuses)], "lead": f"Amt {j % 7}", "start": start,
            "end": start + dt.timedelta(days=200)}))
    return commune, fields


def timeline_cold_warm(client, commune, office, *, requests: int) -> None:
    """Timeline page with 100 milestones: rendered (cache emptied before each request) and
    from Django's cache (SVG keyed by a hash of the chart's rows). Prints medians."""
    from django.core.cache import cache
    from django.urls import reverse

    from zwk.plan import review
    from zwk.plan.models import Measure

    for i, m in enumerate(Measure.objects.filter(commune=commune).order_by("pk")[:100]):
        review.progress_entry_add(measure=m, on=dt.date(2025, 1, 1) + dt.timedelta(days=7 * i),
                                  progress=i % 101, note=f"Meilenstein {i + 1}", by=office)
    url = reverse("plan_timeline", args=[commune.pk])
    cold, warm = [], []
    for _ in range(requests):
        cache.clear()
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        warm.append(time.perf_counter() - started)
    c, w = statistics.median(cold) * 1000, statistics.median(warm) * 1000
    print(f"timeline cold (render) {c:.1f} ms · warm (cache) {w:.1f} ms · ×{c / w:.0f} "
          f"(median of {requests}, 300 measures, 100 milestones)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--max-seconds", type=float, default=15.0)
    args = parser.parse_args(argv)
    configure_environment()
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    postgres = connection.vendor == "postgresql"
    if postgres:
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        office = get_user_model().objects.create(username="bench-plan-gs", password="!")
        started = time.perf_counter()
        commune, fields = build(office)
        print(f"ZWK Werkstattplan benchmark – database: {connection.vendor}, "
              f"Django {django.get_version()}, Python {sys.version.split()[0]}")
        print(f"built 15 fields / 60 goals / 300 measures in {time.perf_counter() - started:.1f} s"
              f"; per page up to {args.requests} requests or {args.max_seconds:g} s")
        client = Client()
        client.force_login(office)
        ref = reverse("health")
        pages = {
            "outline": reverse("plan_outline", args=[commune.pk]),
            "table": reverse("plan_table", args=[commune.pk]),
            "table+filter": reverse("plan_table", args=[commune.pk])
            + f"?feld={fields[0].pk}&jahr=2026",
            "timeline": reverse("plan_timeline", args=[commune.pk]),
            "export.csv": reverse("plan_export", args=[commune.pk, "csv"]),
        }
        header = f"{'page':<14} {'queries':>7} {'median ms':>9} {'p95 ms':>8} {'ref ms':>7} {'×ref':>7}"
        print(header)
        print("-" * len(header))
        for label, url in pages.items():
            queries = count_queries(client, url)
            times, ref_times = measure_pair(client, url, ref, requests=args.requests,
                                            max_seconds=args.max_seconds)
            med, ref_med = statistics.median(times) * 1000, statistics.median(ref_times) * 1000
            p95 = sorted(times)[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000
            print(f"{label:<14} {queries:>7} {med:>9.1f} {p95:>8.1f} {ref_med:>7.2f} "
                  f"{med / ref_med:>7.1f}")
        timeline_cold_warm(client, commune, office, requests=min(args.requests, 10))
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
