"""Register search: p50/p95 per query kind over the 11,004 municipalities and 401 Kreise.

Prints figures, asserts nothing. Loads the register in use (the shipped one, or a newer
extract in ZWK_DATA_DIR), builds the search index once (time printed), then runs every query
--rounds times, interleaved, and reports p50/p95 per kind and over all queries. Reference in
the same run: an exact dictionary look-up by AGS (`Register.municipality`), the cheapest
thing a search could do; the ratio p95(search) / p95(look-up) is what to compare across
machines. Goal (issue 16): search p95 < 50 ms.

    .venv/bin/python benchmarks/register.py
    .venv/bin/python benchmarks/register.py --rounds 50
"""

from __future__ import annotations

import argparse
import statistics
import time

QUERIES = {
    "exact name": ["Arnsberg", "Köln", "Schmallenberg", "Garmisch-Partenkirchen", "Berlin"],
    "umlaut spelling": ["Muenchen", "Munchen", "Weissenburg", "Muelheim an der Ruhr"],
    "suffix": ["Stadt Arnsberg", "Meschede, Kreis- und Hochschulstadt", "Landkreis München"],
    "prefix": ["Hochsauer", "Frank", "Hal", "Bad"],
    "typo": ["Schmallenbreg", "Winterbreg", "Olsbrg", "Gelsenkirchn", "Wuppertall"],
    "postcode": ["59759", "59821", "80331", "598"],
    "key": ["05958", "05958040", "059580040040", "09"],
    "no hit": ["Qxzvbnm"],
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    started = time.perf_counter()
    from zwk.demography.register import load_register

    register = load_register()
    loaded = time.perf_counter()
    register.search_index  # noqa: B018 – build the index outside the timed searches
    indexed = time.perf_counter()
    print(f"Register {register.status_label}: {len(register.municipalities)} Gemeinden, "
          f"{len(register.kreise)} Kreise")
    print(f"import+load {1000 * (loaded - started):.0f} ms, "
          f"search index {1000 * (indexed - loaded):.0f} ms")

    times: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    reference: list[float] = []
    for _ in range(args.rounds):
        for kind, queries in QUERIES.items():
            for query in queries:
                t0 = time.perf_counter()
                register.search(query)
                t1 = time.perf_counter()
                register.municipality("05958040")
                t2 = time.perf_counter()
                times[kind].append(1000 * (t1 - t0))
                reference.append(1000 * (t2 - t1))
    print(f"{'kind':16s} {'n':>5s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for kind, values in times.items():
        print(f"{kind:16s} {len(values):5d} {statistics.median(values):8.2f} "
              f"{percentile(values, 95):8.2f}")
    every = [v for values in times.values() for v in values]
    p95, ref95 = percentile(every, 95), percentile(reference, 95)
    print(f"{'all':16s} {len(every):5d} {statistics.median(every):8.2f} {p95:8.2f}"
          f"   (goal p95 < 50 ms)")
    print(f"reference: AGS look-up p95 {1000 * ref95:.1f} µs; "
          f"ratio search/look-up p95 {p95 / ref95:,.0f}×")


if __name__ == "__main__":
    main()
