"""Werkzeugkoffer search over many tools: server time (p50/p95) against /health/.

Prints figures, asserts no timings. Builds --tools published tools (default 5,000: the 38
shipped ones plus generated variants of them, with stems stored as the services do), then
requests the search page as a logged-in person with Django's test Client (in process: server
time without the network), each search interleaved with /health/ as the reference.

    .venv/bin/python benchmarks/toolbox.py                           # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwk_bench \\
        .venv/bin/python benchmarks/toolbox.py                       # PostgreSQL

With DATABASE_URL a fresh database is created beside the given one (`test_<name>`) and
dropped at the end. Options: --tools 5000  --requests 40  --max-seconds 20.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import warnings

from portfolio import configure_environment  # shared with plan.py

SEARCHES = {
    "Wohnung": "?q=Wohnung",
    "Ärztemangel": "?q=%C3%84rztemangel",
    "2 Wörter": "?q=Jugend+Beteiligung",
    "Filter": "?thema=wohnen&schritt=plan&kommunenart=gemeinde&aufwand=medium",
    "Wort+Filter": "?q=Wohnen&schritt=plan&groesse=10000",
    "ohne Treffer": "?q=Quxbazfoo",
}


def build_tools(total: int) -> int:
    """Variants of the shipped tools until `total` published tools exist (bulk, no history)."""
    from django.db import connection, transaction

    from zwk.toolbox.data.tools import TOOLS
    from zwk.toolbox.loader import load_shipped_tools, search_text_of
    from zwk.toolbox.models import Tool, Topic
    from zwk.toolbox.search import refresh_all

    load_shipped_tools(Topic, Tool)
    topics = {t.slug: t for t in Topic.objects.all()}
    missing = total - Tool.objects.count()
    places = ("Nord", "Süd", "Ost", "West", "Mitte", "am See", "im Tal", "auf der Höhe")
    with transaction.atomic():
        tools, links = [], []
        for i in range(max(missing, 0)):
            entry = TOOLS[i % len(TOOLS)]
            data = {k: v for k, v in entry.items() if k not in ("topics", "stages",
                                                                 "commune_kinds", "slug")}
            data["title"] = f"{entry['title']} – Variante {places[i % len(places)]} {i}"
            tool = Tool(**data, slug=f"bench-{i}", stages=f",{entry['stages']},",
                        commune_kinds=f",{entry['commune_kinds']},", status="published")
            tool.search_text = search_text_of(tool, [topics[t].name for t in entry["topics"]])
            tools.append(tool)
        Tool.objects.bulk_create(tools, batch_size=500)
        through = Tool.topics.through
        by_slug = dict(Tool.objects.filter(slug__startswith="bench-").values_list("slug", "pk"))
        for i in range(max(missing, 0)):
            for t in TOOLS[i % len(TOOLS)]["topics"]:
                links.append(through(tool_id=by_slug[f"bench-{i}"], topic_id=topics[t].pk))
        through.objects.bulk_create(links, batch_size=1000)
        # what the services do on every write: stems and (PostgreSQL) the weighted vector
        refresh_all(Tool.objects.filter(slug__startswith="bench-"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE toolbox_tool")  # as autovacuum would after the bulk load
    return Tool.objects.filter(status="published").count()


def print_plans() -> None:
    """EXPLAIN of the search and of the paginator's count: both must use the GIN index."""
    from django.db import connection

    from zwk.toolbox.selectors import ToolFilter, tool_search

    for label, f in (("Ärztemangel", ToolFilter(query="Ärztemangel")),
                     ("Wort+Filter count", ToolFilter(query="Wohnen", stage="plan",
                                                      population=10000))):
        qs = tool_search(f)
        sql, params = (qs.query.get_compiler(connection=connection).as_sql() if "count" not in
                       label else qs.order_by().values("pk").query.get_compiler(
                           connection=connection).as_sql())
        if "count" in label:
            sql = f"SELECT COUNT(*) FROM ({sql}) AS q"
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        uses = any("toolbox_tool_search_gin" in line for line in plan)
        print(f"plan {label}: {'uses' if uses else 'does NOT use'} toolbox_tool_search_gin")
        for line in plan[:8]:
            print("   ", line)


def _get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}, expected 200")
    return elapsed


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


# --- recommendations where the work happens (toolbox "good practice" part) ------------------

SWOT_TEXTS = ("Hausärztemangel: Praxen finden keine Nachfolge", "Wenig barrierefreier Wohnraum",
              "Junge Menschen ziehen weg", "Ehrenamt überaltert", "Busverbindungen fehlen",
              "Leerstand im Ortskern", "Fachkräfte fehlen im Handwerk", "Schlechtes Image",
              "Kaum Treffpunkte für Ältere", "Digitale Verwaltung fehlt")


def build_plan_and_swot(*, measures: int = 300, swot_items: int = 40, adopters: int = 20):
    """One commune with all 15 default Handlungsfelder, `measures` measures under goals in
    every field, `swot_items` accepted weaknesses/threats, and `adopters` other communes that
    adopted tools (so the similarity part of the ranking has work to do). Bulk, no history."""
    from django.contrib.auth import get_user_model

    from zwk.communes import services as communes
    from zwk.communes.models import Membership, Programme
    from zwk.plan.models import Goal, Measure
    from zwk.plan.services import statuses_ensure
    from zwk.profile.models import SwotItem
    from zwk.toolbox.models import Adoption, Tool

    programme = Programme.objects.create(name="Benchmark", slug="bench-recommendations")
    commune = communes.commune_create(programme=programme, by=None, data=communes.CommuneData(
        name="Benchdorf", kind="gemeinde", land="05", population=4200))
    others = [communes.commune_create(programme=programme, by=None, data=communes.CommuneData(
        name=f"Nachbar {i}", kind=("gemeinde", "stadt")[i % 2], land="05",
        population=2000 + 700 * i)) for i in range(adopters)]
    status = min(statuses_ensure(programme=programme), key=lambda s: s.position)
    fields = list(commune.action_fields.all())
    goals = Goal.objects.bulk_create([
        Goal(commune=commune, action_field=f, title=f"Ziel {j + 1}: {f.name} stärken",
             position=j) for f in fields for j in range(4)])
    Measure.objects.bulk_create([
        Measure(commune=commune, goal=goals[i % len(goals)], status=status,
                title=f"Maßnahme {i + 1} zu {goals[i % len(goals)].title}", position=i)
        for i in range(measures)])
    items = SwotItem.objects.bulk_create([
        SwotItem(commune=commune, quadrant=("weakness", "threat")[i % 2],
                 text=f"{SWOT_TEXTS[i % len(SWOT_TEXTS)]} ({i + 1})", position=i)
        for i in range(swot_items)])
    through = SwotItem.action_fields.through
    through.objects.bulk_create([through(swotitem_id=item.pk,
                                         actionfield_id=fields[i % len(fields)].pk)
                                 for i, item in enumerate(items)])
    tools = list(Tool.objects.filter(status="published").order_by("pk")[:200])
    Adoption.objects.bulk_create([Adoption(tool=t, commune=others[i % len(others)])
                                  for i, t in enumerate(tools)], ignore_conflicts=True)
    user = get_user_model().objects.create(username="bench-recommendations", password="!")
    Membership.objects.create(commune=commune, user=user, role=Membership.Role.COORDINATOR)
    return commune, user


def bench_recommendations(args) -> None:
    """Time to compute the recommendations for a plan (300 measures, 15 Handlungsfelder) and a
    SWOT (40 items): the selector alone and the whole page, against /health/."""
    from django.test import Client
    from django.urls import reverse

    from zwk.profile.models import SwotItem
    from zwk.profile.selectors import swot_items_of
    from zwk.toolbox import selectors

    commune, user = build_plan_and_swot()
    client = Client()
    client.force_login(user)
    health = reverse("health")

    def plan():
        selectors.recommendations_for_plan(commune=commune)

    def swot():
        selectors.swot_recommendations(commune=commune, items=swot_items_of(
            commune=commune, statuses=[SwotItem.Status.ACCEPTED]))

    def page(url):
        return lambda: _get(client, url)

    runs = {
        "plan: selector": plan,
        "plan: outline page": page(reverse("plan_outline", args=[commune.pk])),
        "SWOT: selector": swot,
        "SWOT: page": page(reverse("profile_swot", args=[commune.pk])),
    }
    print(f"recommendations: 1 commune, {commune.plan_measures.count()} measures in "
          f"{commune.action_fields.count()} Handlungsfelder, "
          f"{commune.swot_items.count()} SWOT "
          f"items; ×health = median / median of /health/ in the same run")
    header = f"{'what':<20} {'median ms':>9} {'p95 ms':>8} {'health ms':>9} {'×health':>8}"
    print(header)
    print("-" * len(header))
    for label, run in runs.items():
        run()
        times, ref = [], []
        deadline = time.monotonic() + args.max_seconds
        while len(times) < max(5, args.requests // 4) and time.monotonic() < deadline:
            ref.append(_get(client, health))
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        print(f"{label:<20} {statistics.median(times) * 1000:>9.1f} {p95(times):>8.1f} "
              f"{statistics.median(ref) * 1000:>9.2f} "
              f"{statistics.median(times) / statistics.median(ref):>8.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--max-seconds", type=float, default=20.0)
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
        started = time.perf_counter()
        count = build_tools(args.tools)
        print(f"ZWK toolbox search benchmark – {connection.vendor}, {count} published tools "
              f"(built in {time.perf_counter() - started:.1f} s), Django {django.get_version()}, "
              f"Python {sys.version.split()[0]}")
        print("server time in process (test Client); each search interleaved with /health/; "
              "×health = p95 / p95 of /health/ in the same run")
        user = get_user_model().objects.create(username="bench-toolbox", password="!")
        client = Client()
        client.force_login(user)
        index, health = reverse("toolbox_index"), reverse("health")
        header = (f"{'search':<14} {'hits':>5} {'median ms':>9} {'p95 ms':>8} "
                  f"{'health p95':>10} {'×health':>8}")
        print(header)
        print("-" * len(header))
        for label, query in SEARCHES.items():
            url = index + query
            for _ in range(2):
                _get(client, url)
                _get(client, health)
            response = client.get(url)
            found = re.search(r'id="results-heading"[^>]*>(\d+) Werkzeug', response.content.decode())
            hits = int(found.group(1)) if found else -1
            times, ref = [], []
            deadline = time.monotonic() + args.max_seconds
            while len(times) < args.requests and time.monotonic() < deadline:
                ref.append(_get(client, health))
                times.append(_get(client, url))
            print(f"{label:<14} {hits:>5} "
                  f"{statistics.median(times) * 1000:>9.1f} {p95(times):>8.1f} "
                  f"{p95(ref):>10.2f} {p95(times) / p95(ref):>8.0f}")
        bench_recommendations(args)
        if postgres:
            print_plans()
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
