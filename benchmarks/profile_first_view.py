"""The first Kommunalprofil view after the demo is loaded, as a newcomer meets it.

Loads the demo (`zwk.core.demo.load` + migrations) into a temp SQLite database, then starts
this script again as a fresh process (what a new server worker is) and times, with Django's
test Client as the consultant "berater":

* the first view of the Hochsauerlandkreis' profile page (Kennzahlen), then the first view of
  a town's (Brilon), then the Kreis page again (warm) – reference: /health/ in the same child;
* optionally (--profile) the 15 functions with the most cumulative time of the first view.

Prints figures, asserts nothing.

    .venv/bin/python benchmarks/profile_first_view.py [--profile]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
import warnings

from portfolio import configure_environment


def timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def _profiler():
    """cProfile, imported past this folder's profile.py (which shadows the standard module)."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.modules.pop("profile", None)
    import cProfile
    import pstats

    return cProfile.Profile(), pstats


def child(profile: bool) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from zwk.communes.models import Commune

    client = Client()
    client.force_login(get_user_model().objects.get(username="berater"))
    kreis = reverse("profile_overview", args=[Commune.objects.get(ags="05958").pk])
    town = reverse("profile_overview", args=[Commune.objects.get(name="Brilon").pk])
    health = timed_get(client, "/health/")
    profiler, pstats = _profiler() if profile else (None, None)
    if profiler:
        profiler.enable()
    first = timed_get(client, kreis)
    if profiler:
        profiler.disable()
    town_first = timed_get(client, town)
    warm = timed_get(client, kreis)
    print(f"RESULT {first:.1f} {town_first:.1f} {warm:.1f} {health:.1f}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"src/zwk/", 30)
        print(out.getvalue())
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    configure_environment()
    warnings.filterwarnings("ignore", message="No directory at")
    if args.child:
        return child(args.profile)
    import django

    django.setup()
    from django.core.management import call_command

    from zwk.core import demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo.load()
    loaded = time.perf_counter()
    for warming in demo.WARMING:  # the demo's profile warm-up
        warming.wait()
    print(f"demo loaded in {loaded - started:.1f} s, profile warm-up (own process, beside the "
          f"server start) {time.perf_counter() - loaded:.1f} s "
          f"(data folder {os.environ['ZWK_DATA_DIR']})")
    result = subprocess.run([sys.executable, __file__, "--child",
                             *(["--profile"] if args.profile else [])],
                            capture_output=True, text=True, env=dict(os.environ), timeout=600,
                            check=False)
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    lines = result.stdout.splitlines()
    first, town, warm, health = (float(v) for v in next(
        line for line in lines if line.startswith("RESULT")).split()[1:])
    print(f"{'first view, Kreis profile (new process)':<44} {first:>9.1f} ms   "
          f"×{first / health:>8.1f} of /health/ ({health:.1f} ms)")
    print(f"{'first view, town profile (same process)':<44} {town:>9.1f} ms   "
          f"×{town / health:>8.1f}")
    print(f"{'Kreis profile again (warm)':<44} {warm:>9.1f} ms   ×{warm / health:>8.1f}")
    print(f"first / warm: ×{first / warm:.1f}")
    if args.profile:
        print("\n".join(line for line in lines if not line.startswith("RESULT")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
