"""Werkstattplan pages: SQL queries and server time for 15 fields / 60 goals / 300 measures.

Prints figures, asserts no timings. Builds one commune through the real services (15 action
fields of the default catalogue, 60 goals of which 30 are sub-goals, 300 measures with dates,
statuses and some dependencies), then requests the outline, the table (plain and filtered),
the timeline and the CSV, XLSX, DOCX and PDF exports as the programme office with Django's test Client, each
alternately with `/health/` as the reference; ×ref = median / reference median.

    .venv/bin/python benchmarks/plan.py                            # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwk_bench \\
        .venv/bin/python benchmarks/plan.py                        # PostgreSQL (test_<name>)

Options: --requests 30  --max-seconds 15 (per page); --large-import-only runs just the check
and import of a new plan of 8,000 rows (seconds, beside /health/ as the reference).
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


def _local_names(table: list[list[str]]) -> list[list[str]]:
    """The exported plan as a file of new rows: IDs become names of the file (Z12 → z12)."""
    header = table[0]
    cols = [header.index(c) for c in ("ID", "Übergeordnet", "Abhängig von")]
    rows = [header]
    for row in table[1:]:
        row = list(row)
        for i in cols:
            row[i] = row[i].replace("Z", "z").replace("M", "m")
        rows.append(row)
    return rows


def import_round_trip(client, commune, office, ref_url: str, *, runs: int) -> None:
    """plan_import (service call) of the same 300-measure plan, each run rolled back:
    create from file (every row new), update round trip with the unchanged export, and with
    every measure's title edited; plus the export functions. ×ref against /health/."""
    import csv
    import io

    from django.db import transaction

    from zwk.plan import exports, services

    def timed(fn) -> tuple[float, float]:
        """Median ms of fn and of the reference, timed alternately like measure_pair."""
        times, ref_times = [], []
        for _ in range(runs):
            ref_times += _ref_times(client, ref_url, 1)
            with transaction.atomic():
                started = time.perf_counter()
                fn()
                times.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        return statistics.median(times) * 1000, statistics.median(ref_times) * 1000

    def to_csv(table) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(table)
        return buffer.getvalue().encode("utf-8")

    exported = exports.plan_csv(commune)
    table = list(csv.reader(io.StringIO(exported.decode("utf-8-sig")), delimiter=";"))
    title = table[0].index("Titel")
    edited = [table[0]] + [r[:title] + [r[title] + " (neu)" if r[0] == "Maßnahme" else
                                        r[title]] + r[title + 1:] for r in table[1:]]
    files = {
        "create from file": to_csv(_local_names(table)),
        "update, 0 changed": exported,
        "update, 300 changed": to_csv(edited),
    }
    checks = {"create from file": lambda r: r.created_measures == 300,
              "update, 0 changed": lambda r: len(r.updated) == 0 and r.unchanged == 360,
              "update, 300 changed": lambda r: len(r.updated) == 300}
    print(f"import/export as service calls, median of {runs} (each import rolled back), "
          "/health/ timed alternately as reference")
    header = f"{'import/export':<26} {'median ms':>9} {'ref ms':>7} {'×ref':>7}"
    print(header)
    print("-" * len(header))
    for label, content in files.items():
        with transaction.atomic():
            result = services.plan_import(commune=commune, name="plan.csv", content=content,
                                          by=office)
            assert checks[label](result), (label, result.counts)
            transaction.set_rollback(True)
        ms, ref_ms = timed(lambda c=content: services.plan_import(
            commune=commune, name="plan.csv", content=c, by=office))
        print(f"{'import ' + label:<26} {ms:>9.1f} {ref_ms:>7.2f} {ms / ref_ms:>7.0f}")
    for label, fn in (("export CSV", exports.plan_csv), ("export XLSX", exports.plan_xlsx)):
        ms, ref_ms = timed(lambda f=fn: f(commune))
        print(f"{label:<26} {ms:>9.1f} {ref_ms:>7.2f} {ms / ref_ms:>7.0f}")


def large_file(commune, statuses, rows: int = 8000) -> bytes:
    """A new plan of `rows` rows as CSV: 5 % goals (every second one a sub-goal), the rest
    measures with dates, a status and every third one depending on the previous one."""
    import csv
    import io

    from zwk.plan.exports import COLUMNS

    fields = [af.name for af in commune.action_fields.all()[:15]]
    n_goals = rows // 20
    table = [list(COLUMNS)]

    def row(**cells) -> list[str]:
        cells = {k.replace("_", " "): v for k, v in cells.items()}
        return [cells.get(c, "") for c in COLUMNS]

    for g in range(n_goals):
        parent = {"Übergeordnet": f"z{g - 1}"} if g % 2 else {}
        table.append(row(Typ="Ziel", ID=f"z{g}", Handlungsfeld=fields[(g - g % 2) % 15],
                         Titel=f"Ziel {g}", **parent))
    for m in range(rows - n_goals):
        table.append(row(Typ="Maßnahme", ID=f"m{m}", Handlungsfeld=fields[0],
                         Übergeordnet=f"z{m % n_goals}", Titel=f"Maßnahme {m}",
                         Status=statuses[m % len(statuses)].name, Beginn="01.01.2025",
                         Ende="31.12.2026", Abhängig_von=f"m{m - 1}" if m % 3 == 0 and m else ""))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8")


def large_import(client, office, ref_url: str, *, runs: int, rows: int = 8000) -> None:
    """Check only and import of a new plan of 8,000 rows (service calls; each import rolled
    back), /health/ timed alternately as the reference."""
    from django.db import transaction

    from zwk.communes import services as communes
    from zwk.communes.models import Programme
    from zwk.plan import services

    programme = Programme.objects.get(slug="bench-plan")
    commune = communes.commune_create(programme=programme, by=office, data=communes.CommuneData(
        name="Großplanstadt", kind="stadt", land="05", ags="05999002", cluster="west"))
    content = large_file(commune, services.statuses_ensure(programme=programme), rows)
    print(f"large import: {rows:,} rows".replace(",", ".")
          + f" ({len(content) / 1e6:.1f} MB CSV), median of {runs}, /health/ timed alternately "
          "as reference")
    header = f"{'large import':<26} {'median s':>9} {'ref ms':>7} {'×ref':>7}"
    print(header)
    print("-" * len(header))
    for label, dry_run in (("check only (Prüfen)", True), ("import (rolled back)", False)):
        times, ref_times = [], []
        for _ in range(runs):
            ref_times += _ref_times(client, ref_url, 1)
            with transaction.atomic():
                started = time.perf_counter()
                result = services.plan_import(commune=commune, name="gross.csv",
                                              content=content, by=office, dry_run=dry_run)
                times.append(time.perf_counter() - started)
                transaction.set_rollback(True)
            assert result.created_goals + result.created_measures == rows, result.counts
        med, ref = statistics.median(times), statistics.median(ref_times)
        print(f"{label:<26} {med:>9.2f} {ref * 1000:>7.2f} {med / ref:>7.0f}")


def _ref_times(client, url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--max-seconds", type=float, default=15.0)
    parser.add_argument("--large-import-only", action="store_true",
                        help="only the 8,000-row check and import")
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
            "export.xlsx": reverse("plan_export", args=[commune.pk, "xlsx"]),
            "export.docx": reverse("plan_export", args=[commune.pk, "docx"]),
            "export.pdf": reverse("plan_export", args=[commune.pk, "pdf"]),
        }
        if args.large_import_only:
            large_import(client, office, ref, runs=min(args.requests, 3))
            return 0
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
        import_round_trip(client, commune, office, ref, runs=min(args.requests, 10))
        large_import(client, office, ref, runs=min(args.requests, 3))
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
