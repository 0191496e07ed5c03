"""The longest renderings in the real server, as a share of gunicorn's worker time-out.

Prepares the demo with `zwk demo --no-serve` in a temporary data folder (or uses DATABASE_URL),
starts `zwk serve` (2 workers, --timeout T) on a free port of 127.0.0.1 and, logged in as the
programme office, downloads the big files: the Kommunalprofil PDF and DOCX of the Kreis, the
Werkstattplan PDF and the Zwischenbilanz report PDF of every demo commune that has them. Each is
fetched twice (the first request of a worker also starts its chart runtime and fills the
caches). Prints each time, its ratio to the worker time-out, and `/health/` as a reference.
Asserts nothing. A ratio near 1 means gunicorn would kill the worker.

Run: .venv/bin/python benchmarks/served_renderings.py [--timeout 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.served.conftest import BIN, Server, clean_environment  # noqa: E402
from tests.served.crawl import login  # noqa: E402


def prepare(data_dir: Path) -> dict[str, str]:
    env = clean_environment(ZWK_DATA_DIR=str(data_dir), ZWK_DEMO="1")
    done = subprocess.run([str(BIN / "zwk"), "demo", "--no-serve"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return env


def big_files(session, url: str) -> list[tuple[str, str]]:
    """(label, path) of every big download the programme office can reach in the demo."""
    home = session.get(f"{url}/?alle=1", timeout=60).text
    communes = dict((name.strip(), path) for path, name in
                    re.findall(r'href="(/kommunen/\d+/)"[^>]*>([^<]+)</a>', home))
    files = []
    for name, path in sorted(communes.items()):
        if name == "Hochsauerlandkreis":
            files += [(f"Kommunalprofil PDF, {name}", f"{path}profil/kommunalprofil.pdf"),
                      (f"Kommunalprofil DOCX, {name}", f"{path}profil/kommunalprofil.docx")]
        plan = session.get(f"{url}{path}werkstattplan/", timeout=60)
        if plan.status_code == 200 and "export.pdf" in plan.text:
            files.append((f"Werkstattplan PDF, {name}", f"{path}werkstattplan/export.pdf"))
        reviews = session.get(f"{url}{path}werkstattplan/zwischenbilanz/", timeout=60).text
        pages = [reviews] + [session.get(f"{url}{detail}", timeout=60).text for detail in
                             sorted(set(re.findall(r'href="([^"]+/zwischenbilanz/\d+/)"',
                                                   reviews)))]
        reports = {link for page in pages
                   for link in re.findall(r'href="([^"]+/bericht\.pdf)"', page)}
        files += [(f"Zwischenbilanz PDF, {name}", report) for report in sorted(reports)]
    return files


def timed_get(session, url: str, timeout: float) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        status = session.get(url, timeout=timeout).status_code
    except Exception:  # a request that does not come back counts as the full time-out
        status = 0
    return time.perf_counter() - start, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=int, default=60, help="worker time-out (s)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zwk-bench-served-") as folder:
        data_dir = Path(folder)
        env = prepare(data_dir)
        server = Server([str(BIN / "zwk"), "serve", "--port", "{port}", "--workers",
                         str(args.workers), "--timeout", str(args.timeout)], env,
                        data_dir / "serve.log").start()
        try:
            session = login(server.url, "geschaeftsstelle", "Demo-Geschaeftsstelle-2024")
            health = statistics.median(timed_get(session, f"{server.url}/health/", 10)[0]
                                       for _ in range(5))
            rows = []
            for label, path in big_files(session, server.url):
                for attempt in ("first", "again"):
                    seconds, status = timed_get(session, f"{server.url}{path}", args.timeout + 5)
                    rows.append((seconds, label, attempt, status))
        finally:
            server.stop()
    print(f"zwk serve: {args.workers} workers, worker time-out {args.timeout} s; "
          f"/health/ median {health * 1000:.1f} ms")
    print(f"{'download':<48} {'request':>7} {'HTTP':>4} {'s':>7} {'/ time-out':>10} "
          f"{'/ health':>9}")
    for seconds, label, attempt, status in sorted(rows, reverse=True):
        print(f"{label:<48} {attempt:>7} {status:>4} {seconds:7.2f} "
              f"{seconds / args.timeout:10.3f} {seconds / health:9.0f}")
    longest = max(rows)[0] if rows else 0.0
    print(f"longest rendering: {longest:.2f} s = {longest / args.timeout:.2f} of the worker "
          "time-out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
