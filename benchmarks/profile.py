"""Kommunalprofil (analysis half): page, scenario round trip, PDF and synopsis server times.

Prints figures, asserts nothing. Builds a programme of 40 communes in a temp SQLite database
(or PostgreSQL with DATABASE_URL, in a fresh test database): three synthetic Kreise of 12
towns each (the demo Hochsauerlandkreis generator with 20 years, 2004–2023, its keys moved to
other Kreise for the 2nd and 3rd) plus one commune without data, all loaded through
`zwk.profile.data.data_source_add` like an upload. Then, as the programme office with Django's
test Client (server time in process, no network):

* profile page (Kennzahlen) of a town with 20 years of data, warm caches – goal < 300 ms;
  reference: /health/ measured alternately; the first (cold) view is printed too;
* the first view in a *second* process (what every further gunicorn worker pays after new
  data): the same script started again as a child on the same database and data folder,
  once with the shared profile cache switched off (reference) and once with it warm from
  the first process. The shared cache is Redis when ZWK_REDIS_URL is set (alias "profile");
  without it there is none and both children compute everything. The script uses its own
  key namespace and deletes its keys at the end, so earlier runs never make it look warm;
* scenario recalculation: the Prognose page with a new fertility value each time (no cache
  hit) – goal < 1 s; reference: the bare engine calls (deterministic + 200 trajectories);
* PDF of the profile – goal < 2 s; reference: Typst alone on the same report data;
* synopsis of the 40 communes – reference: /health/.

    .venv/bin/python benchmarks/profile.py [--requests 15]
    ZWK_REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python benchmarks/profile.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
import zipfile
from io import BytesIO

from portfolio import configure_environment  # shared with plan.py

KREISE = (("05958", "Hochsauerlandkreis"), ("05962", "Märkischer Kreis (synthetisch)"),
          ("05966", "Kreis Olpe (synthetisch)"))


def rekey(name: str, content: bytes, kreis: str) -> bytes:
    """The demo file with the Hochsauerlandkreis key 05958 replaced by another Kreis key."""
    if kreis == "05958":
        return content
    if name.endswith(".zip"):
        out = BytesIO()
        with zipfile.ZipFile(BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, rekey(info.filename, src.read(info), kreis))
        return out.getvalue()
    text = content.decode("utf-8-sig")
    text = text.replace(";05958", ";" + kreis).replace("\n05958", "\n" + kreis)
    return ("\ufeff" + text).encode("utf-8")


def build(office):
    from zwk.communes import services as communes
    from zwk.communes.models import Programme, ProgrammeRole
    from zwk.demography.synthetic import TOWNS, write_demo_files
    from zwk.profile import data

    programme = Programme.objects.create(name="Benchmark Kommunalprofil", slug="bench-profil")
    ProgrammeRole.objects.create(user=office, programme=programme)
    with tempfile.TemporaryDirectory() as tmp:
        files = [(p.name, p.read_bytes()) for p in write_demo_files(tmp, start_year=2004,
                                                                    end_year=2023)]
    started = time.perf_counter()
    kreise = []
    for key, name in KREISE:
        kreis = communes.commune_create(programme=programme, by=office, data=communes.CommuneData(
            name=name, kind="kreis", land="05", ags=key, cluster="west"))
        for town_key, (town, population) in TOWNS.items():
            suffix = "" if key == "05958" else f" ({key})"
            communes.commune_create(programme=programme, by=office, data=communes.CommuneData(
                name=town + suffix, kind="stadt", land="05", ags=key + town_key[5:],
                parent=kreis, cluster="west", population=population))
        for file_name, content in files:
            data.data_source_add(commune=kreis, name=file_name,
                                 content=rekey(file_name, content, key), by=office)
        kreise.append(kreis)
    communes.commune_create(programme=programme, by=office, data=communes.CommuneData(
        name="Ohne Daten (Demo)", kind="gemeinde", land="13", cluster="nord_ost"))
    return programme, kreise, time.perf_counter() - started


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def get(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def pair(call, ref, n: int) -> tuple[float, float]:
    """Medians in ms of `call` and `ref`, measured alternately n times after one warm-up."""
    call(), ref()
    times, ref_times = [], []
    for _ in range(n):
        ref_times.append(timed(ref))
        times.append(timed(call))
    return statistics.median(times) * 1000, statistics.median(ref_times) * 1000


def line(label: str, ms: float, ref_label: str, ref_ms: float, goal: str) -> None:
    ratio = ms / ref_ms
    print(f"{label:<44} {ms:>9.1f} ms   {ref_label:<34} {ref_ms:>8.1f} ms   "
          f"×{ratio:>7.{2 if ratio < 1 else 1}f}   {goal}")


def child(args) -> int:
    """A second app process: time its first view of the profile page; prints milliseconds."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from zwk.profile import cache as shared

    town_pk, office_pk, db_name, namespace, use_shared = args.child
    if connection.vendor == "postgresql":
        connection.settings_dict["NAME"] = db_name
    shared.NAMESPACE = namespace
    if use_shared != "1":
        shared.ALIAS = "switched-off-for-this-figure"
    client = Client()
    client.force_login(get_user_model().objects.get(pk=office_pk))
    url = reverse("profile_overview", args=[int(town_pk)])
    print(f"{timed(lambda: get(client, url)) * 1000:.1f}")
    return 0


def second_process(town, office, namespace: str, use_shared: bool) -> float:
    """Milliseconds of the first profile view in a fresh process (this script as a child)."""
    from django.db import connection

    result = subprocess.run(
        [sys.executable, __file__, "--child", str(town.pk), str(office.pk),
         str(connection.settings_dict["NAME"]), namespace, "1" if use_shared else "0"],
        capture_output=True, text=True, env=dict(os.environ), timeout=300, check=False)
    if result.returncode != 0:
        raise SystemExit(f"second process failed:\n{result.stderr[-3000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def shared_backend() -> str:
    from django.conf import settings

    from zwk.profile import cache as shared

    config = settings.CACHES.get(shared.ALIAS)
    if config is None:
        return "none (no ZWK_REDIS_URL: in-process caches only)"
    return f"{config['BACKEND'].rsplit('.', 1)[-1]} at {config['LOCATION']}"


def forget_namespace(namespace: str) -> int:
    """Delete this run's keys from the shared cache (Redis only); returns how many."""
    from django.conf import settings
    from django.core.cache import caches

    from zwk.profile import cache as shared

    if "Redis" not in settings.CACHES.get(shared.ALIAS, {}).get("BACKEND", ""):
        return 0
    backend = caches[shared.ALIAS]
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"*{namespace}:*"))
    if keys:
        client.delete(*keys)
    return len(keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    data_dir = configure_environment()
    warnings.filterwarnings("ignore", message="No directory at")
    if args.child:
        return child(args)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from zwk.demography.projection import project, scenario_from_dict
    from zwk.demography.projection.stochastic import project_stochastic
    from zwk.profile import analysis
    from zwk.profile import cache as shared
    from zwk.reports import profile_pdf

    namespace = f"zwk-profile-bench-{uuid.uuid4().hex[:12]}"
    shared.NAMESPACE = namespace         # a cold shared cache, whatever earlier runs left

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    office = get_user_model().objects.create(username="bench-gs", password="!")
    programme, kreise, seconds = build(office)
    town = kreise[0].children.get(ags="05958004")
    n = programme.communes.count()
    print(f"ZWK profile benchmark – {connection.vendor}, Django {django.get_version()}, "
          f"Python {sys.version.split()[0]}; data folder {data_dir}")
    print(f"built {n} communes, {len(KREISE)} Kreise × 11 files with 20 years (2004–2023) "
          f"in {seconds:.1f} s; {args.requests} requests per figure, medians, server time "
          "in process (test Client)")
    print(f"shared profile cache: {shared_backend()}")
    print()
    client = Client()
    client.force_login(office)
    health = reverse("health")
    overview = reverse("profile_overview", args=[town.pk])
    cold = timed(lambda: get(client, overview))
    print(f"{'figure':<44} {'value':>12}   {'reference':<34} {'ref':>11}   {'ratio':>8}   goal")
    line("profile page, first view (cold caches)", cold * 1000, "/health/",
         pair(lambda: get(client, health), lambda: None, 1)[0], "(indicators computed once)")
    alone = second_process(town, office, namespace, use_shared=False)
    warm_shared = second_process(town, office, namespace, use_shared=True)
    line("first view, 2nd process, warm shared cache", warm_shared, "2nd process, no shared cache",
         alone, "(one process computes for all)")
    ms, ref = pair(lambda: get(client, overview), lambda: get(client, health), args.requests)
    line("profile page (Kennzahlen, 20 years), warm", ms, "/health/", ref, "< 300 ms")

    a = analysis.analysis_for(town)
    counter = iter(range(10_000))
    projection = reverse("profile_projection", args=[town.pk])

    def round_trip():
        factor = f"{0.8 + next(counter) * 0.0007:.4f}".replace(".", ",")
        get(client, f"{projection}?preset=basis&horizon=2045&fertility_factor={factor}")

    def engine():
        scenario = scenario_from_dict({"fertility_factor": 0.8 + next(counter) * 0.0007})
        project(a.dataset, scenario, years=22, regions=[a.region])
        project_stochastic(a.dataset, scenario, trajectories=analysis.TRAJECTORIES, years=22,
                           regions=[a.region])

    ms, ref = pair(round_trip, engine, args.requests)
    line("scenario recalculation (new values each)", ms, "bare engine (det. + 200 traj.)", ref,
         "< 1 s")

    pdf = reverse("profile_pdf", args=[town.pk])
    report = analysis.profile_report(town)
    ms, ref = pair(lambda: get(client, pdf), lambda: profile_pdf(report),
                   max(3, args.requests // 3))
    line("PDF Kommunalprofil (request)", ms, "Typst alone, same report", ref, "< 2 s")

    synopsis = reverse("profile_synopsis", args=[programme.slug])
    ms, ref = pair(lambda: get(client, synopsis), lambda: get(client, health), args.requests)
    line(f"synopsis of {n} communes", ms, "/health/", ref, "")
    removed = forget_namespace(namespace)
    if removed:
        print(f"\n(removed this run's {removed} keys from the shared cache)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
