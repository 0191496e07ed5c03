"""Live workshop under load against the production server set-up (`zwk serve`: gunicorn,
2 workers × 4 threads), loopback only, bounded in time.

N simulated participants (default 300) join a session by its code (no account), each writes
3 cards, then spends its 5 points in single-point steps ("my points on this card = n"), with
one request sent twice (a replay) and one last attempt beyond the budget. Meanwhile every participant polls
`/w/<code>/stand/?v=N` every 1.2 s like live.js. A moderator (in this process, through the
services) approves cards in batches, opens the voting and reveals the results.

Printed figures:
- p50/p95/max latency of join, card and vote submissions and of polls (204 and 200 apart);
- delay from a moderator's change (after commit) until every participant's poll has seen it;
- the vote check: every accepted vote counted exactly once (lost and double points: 0),
  refused over-budget attempts, ballots equal to the sum of votes.

    .venv/bin/python benchmarks/workshop_load.py                        # SQLite, temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwk_bench \\
        .venv/bin/python benchmarks/workshop_load.py                    # PostgreSQL

Pacing (arrival within --join-spread s, --card-think s before each card, --vote-think s
between votes) sets the offered load; the defaults are a brisk workshop (all 300 phones within
20 s, ~45 cards/s, ~100 votes/s at the peak). `--join-spread 3 --card-think 0.5-3
--vote-think 0.2-1.5` is a burst far beyond a real room. The load generator (asyncio, one
process) runs on the same machine and takes CPU from the server. Nothing is asserted; the script exits 1 only if votes were lost or doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from load import free_port, percentile, start_server, stop_server, wait_ready  # noqa: E402

HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
POLL_SECONDS = 1.2


class Client:
    """One phone: a keep-alive HTTP/1.1 connection (asyncio streams) and its own cookies.

    asyncio instead of one thread per phone: 600 client threads on two cores would measure
    the load generator's GIL more than the server.
    """

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.reader = self.writer = None

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def request(self, method, path, body=None, headers=None):
        sent = {"Host": f"{HOST}:{self.port}", "User-Agent": "zwk-workshop-bench",
                "Connection": "keep-alive", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = b""
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["X-CSRFToken"] = self.csrf
        sent["Content-Length"] = str(len(data))
        raw = (f"{method} {path} HTTP/1.1\r\n"
               + "".join(f"{k}: {v}\r\n" for k, v in sent.items()) + "\r\n").encode() + data
        for attempt in (1, 2):
            try:
                if self.writer is None:
                    await self._connect()
                self.writer.write(raw)
                await self.writer.drain()
                return await self._read(method)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")

    async def _read(self, method):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = (await self.reader.readuntil(b"\r\n")).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, rest = value.partition("=")
                self.cookies[cookie.strip()] = rest.split(";", 1)[0]
            headers[name] = value
        body = b""
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        elif status not in (204, 304) and method != "HEAD":
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body.decode("utf-8", "replace")

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Figures:
    def __init__(self):
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, label, seconds, ok=True):
        self.times[label].append(seconds)
        if not ok:
            self.errors[label] += 1


async def timed(figures, label, call, ok_statuses=(200, 204, 302)):
    started = time.perf_counter()
    try:
        status, headers, text = await call()
    except Exception as error:  # noqa: BLE001 - every failure is a figure
        figures.add(label, time.perf_counter() - started, ok=False)
        figures.errors[f"{label}: {type(error).__name__}"] += 1
        return None, {}, ""
    figures.add(label, time.perf_counter() - started, ok=status in ok_statuses)
    return status, headers, text


# --- the run -------------------------------------------------------------------------------

class Run:
    def __init__(self, port, code, participants):
        self.port, self.code = port, code
        self.n = participants
        self.figures = Figures()
        self.stop = asyncio.Event()
        self.voting = asyncio.Event()
        self.cards_written = 0
        self.cards_done = asyncio.Event()
        self.votes_cast = 0
        self.votes_done = asyncio.Event()
        self.card_ids: list[int] = []
        self.voting_version = 10**9
        self.sees_voting: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.think = (1.0, 4.0)
        self.card_think = (3.0, 12.0)
        self.join_spread = 20.0
        self.seen = defaultdict(dict)       # participant -> version -> first time seen
        self.accepted = {}                  # participant -> {card: points} as the server said
        self.refused = 0
        self.other_refusals: dict[str, int] = defaultdict(int)

    async def participant(self, index):
        rng = random.Random(index)
        client = Client(self.port)
        base = f"/w/{self.code}/"
        await asyncio.sleep(rng.uniform(0, self.join_spread))  # people arrive over a while
        _status, _h, text = await timed(self.figures, "join (page)",
                                        lambda: client.request("GET", base))
        token = CSRF_INPUT.search(text or "")
        if token is None:
            self.figures.errors["join: no form"] += 1
            return self._finished_cards(), self._finished_votes()
        client.csrf = token.group(1)
        band = rng.choice(["u18", "18-29", "30-44", "45-64", "65-74", "75+", ""])
        await timed(self.figures, "join (submit)", lambda: client.request(
            "POST", base, {"csrfmiddlewaretoken": client.csrf, "age_band": band,
                           "display_name": f"bench-{index}"}))
        poll_client = Client(self.port)
        poll_client.cookies = dict(client.cookies)
        poller = asyncio.create_task(self.poll(poll_client, index, rng))
        for number in range(3):
            await asyncio.sleep(rng.uniform(*self.card_think))
            await timed(self.figures, "card", lambda n=number: client.request(
                "POST", base + "karte/", {"text": f"Idee {n + 1} von Person {index}: "
                                                  f"{rng.choice(['Bus', 'Treff', 'Arzt'])}"},
                {"X-Requested-With": "fetch"}), ok_statuses=(200,))
        self._finished_cards()
        await self.voting.wait()
        await self.sees_voting[index].wait()  # a person votes once the phone shows the buttons
        mine: dict[int, int] = {}
        steps = []
        for _ in range(5):                  # 5 single-point steps, at most 3 on a card
            card = rng.choice([c for c in self.card_ids if mine.get(c, 0) < 3])
            mine[card] = mine.get(card, 0) + 1
            steps.append((card, mine[card]))
        replay = steps[2]  # the previous request sent again, as after a lost answer
        extra = next(c for c in self.card_ids if mine.get(c, 0) < 3)
        accepted: dict[int, int] = {}
        plan = steps[:3] + [replay] + steps[3:] + [(extra, mine.get(extra, 0) + 1)]
        for number, (card, points) in enumerate(plan):
            await asyncio.sleep(rng.uniform(*self.think))
            status, _h, text = await timed(self.figures, "vote", lambda c=card, p=points:
                                           client.request("POST", base + "stimme/",
                                                          {"card": c, "points": p},
                                                          {"X-Requested-With": "fetch"}),
                                           ok_statuses=(200, 400))
            if status == 200:
                accepted[card] = points
            elif status == 400:
                self.refused += 1
                if number < len(plan) - 1:   # only the last try is meant to be refused
                    self.other_refusals[json.loads(text).get("error", text)[:80]] += 1
        self.accepted[index] = accepted
        self._finished_votes()
        await self.stop.wait()
        await poller
        client.close()

    def _finished_cards(self):
        self.cards_written += 1
        if self.cards_written >= self.n:
            self.cards_done.set()

    def _finished_votes(self):
        self.votes_cast += 1
        if self.votes_cast >= self.n:
            self.votes_done.set()

    async def poll(self, client, index, rng):
        path = f"/w/{self.code}/stand/?v="
        version = "0"
        await asyncio.sleep(rng.uniform(0, POLL_SECONDS))
        while not self.stop.is_set():
            started = time.perf_counter()
            status, headers, _ = await timed(self.figures, "poll", lambda v=version: client.request(
                "GET", path + v, headers={"X-Requested-With": "fetch"}))
            if status is not None:
                label = "poll 204 (nothing new)" if status == 204 else \
                    f"poll {status} (new state)"
                self.figures.add(label, time.perf_counter() - started)
                if status == 200 and headers.get("x-stand-version"):
                    version = headers["x-stand-version"]
                    self.seen[index].setdefault(int(version), time.monotonic())
                    if int(version) >= self.voting_version:
                        self.sees_voting[index].set()
            await asyncio.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - started)))
        client.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--approve", type=int, default=40,
                        help="cards the moderator approves (in batches of 10) for the voting")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=240, help="whole run, seconds")
    parser.add_argument("--join-spread", type=float, default=20.0,
                        help="participants arrive uniformly within this many seconds")
    parser.add_argument("--card-think", default="3-12",
                        help="seconds before each of a person's 3 cards, uniform MIN-MAX")
    parser.add_argument("--vote-think", default="1-4",
                        help="seconds between a person's votes, uniform MIN-MAX")
    args = parser.parse_args(argv)

    data_dir = tempfile.mkdtemp(prefix="zwk-workshop-load-")
    os.environ.setdefault("ZWK_DATA_DIR", data_dir)
    os.environ.setdefault("ZWK_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwk.config.settings")
    os.environ.setdefault("ZWK_ALLOWED_HOSTS", f"{HOST},localhost")
    os.environ.setdefault("ZWK_LOG_LEVEL", "ERROR")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from zwk.communes import services as communes
    from zwk.communes.models import Programme
    from zwk.workshop import live, services
    from zwk.workshop.models import Ballot, Card, Participant, Session, Vote

    programme, _ = Programme.objects.get_or_create(slug="workshop-bench",
                                                   defaults={"name": "Werkstatt-Benchmark"})
    commune = communes.commune_create(programme=programme, by=None, data=communes.CommuneData(
        name=f"Lasthausen {int(time.time())}", kind="gemeinde", land="05", ags="",
        cluster="west"))
    session = services.session_create(commune=commune, by=None, data=services.SessionData(
        title="Lasttest-Werkstatt", points_per_person=5, max_per_card=3))
    services.session_control(session=session, action="start", by=None)
    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"ZWK workshop load – database: {database}; {args.participants} participants "
          f"arriving within {args.join_spread:g} s; {args.card_think} s before each card, "
          f"{args.vote_think} s between votes; code {session.code}")

    port = free_port()
    server = start_server(port, Path(os.environ["ZWK_DATA_DIR"]) / "server.log", args.workers)
    changes: list[tuple[str, int, float]] = []   # (what, public version, monotonic time)

    def change(what, call):
        call()
        version = Session.objects.get(pk=session.pk).version
        changes.append((what, version, time.monotonic()))

    def approve(cards):
        for card in cards:
            services.card_moderate(card=card, action="approve", by=None)

    async def moderate(run):
        await asyncio.wait_for(run.cards_done.wait(), 300)
        pending = await asyncio.to_thread(lambda: list(
            Card.objects.filter(session=session, status="pending").order_by("id")[:args.approve]))
        for batch in range(0, len(pending), 10):
            cards = pending[batch:batch + 10]
            await asyncio.to_thread(change, f"approve {len(cards)} cards", lambda c=cards:
                                    approve(c))
            await asyncio.sleep(2.5)
        run.card_ids = [c.pk for c in pending]
        await asyncio.to_thread(change, "open voting", lambda: services.voting_set(
            session=session, open=True, by=None))
        run.voting_version = changes[-1][1]
        for index in range(args.participants):  # those whose poll already saw it
            if any(v >= run.voting_version for v in run.seen[index]):
                run.sees_voting[index].set()
        run.voting.set()
        await asyncio.wait_for(run.votes_done.wait(), 300)
        await asyncio.sleep(2.5)
        await asyncio.to_thread(change, "reveal results", lambda: services.results_show(
            session=session, visible=True, by=None))
        await asyncio.sleep(4)
        run.stop.set()

    async def warm_up():
        """First requests of each gunicorn worker import and compile; not part of the figures."""
        clients = [Client(port) for _ in range(4 * args.workers)]
        for path in (f"/w/{session.code}/", "/w/", f"/w/{session.code}/stand/?v=0"):
            await asyncio.gather(*(c.request("GET", path) for c in clients))
        for c in clients:
            c.close()

    async def whole_run():
        await warm_up()
        run = Run(port, session.code, args.participants)
        run.think = tuple(float(x) for x in args.vote_think.split("-"))
        run.card_think = tuple(float(x) for x in args.card_think.split("-"))
        run.join_spread = args.join_spread
        tasks = [asyncio.create_task(run.participant(i)) for i in range(args.participants)]
        try:
            await asyncio.wait_for(moderate(run), args.timeout)
        finally:
            run.stop.set()
            run.voting.set()
            await asyncio.wait(tasks, timeout=30)
        return run

    started = time.monotonic()
    try:
        wait_ready(port, server)
        print(f"server: zwk serve (gunicorn) on {HOST}:{port}, {args.workers} workers × 4 "
              f"threads; polling every {POLL_SECONDS} s per participant")
        run = asyncio.run(whole_run())
    finally:
        stop_server(server)
    elapsed = time.monotonic() - started

    f = run.figures
    print(f"\nrun: {elapsed:.1f} s; latency in ms (p50 / p95 / max, count):")
    for label in ("join (page)", "join (submit)", "card", "vote", "poll 204 (nothing new)",
                  "poll 200 (new state)"):
        values = f.times.get(label, [])
        if values:
            print(f"  {label:24s} {percentile(values, 50) * 1000:7.1f} / "
                  f"{percentile(values, 95) * 1000:7.1f} / {max(values) * 1000:7.1f}   "
                  f"n={len(values)}")
    errors = {k: v for k, v in f.errors.items() if v}
    print(f"  errors: {errors or 'none'}")

    print("\ndelay until every participant's poll has seen a change (goal < 2 s):")
    for what, version, at in changes:
        delays = [min(t for v, t in seen.items() if v >= version) - at
                  for seen in run.seen.values() if any(v >= version for v in seen)]
        missing = args.participants - len(delays)
        if delays:
            print(f"  {what:22s} p50 {percentile(delays, 50):.2f} s, p95 "
                  f"{percentile(delays, 95):.2f} s, all {max(delays):.2f} s"
                  + (f"  ({missing} never saw it)" if missing else ""))

    # Exactly once: the database must hold exactly what the server accepted.
    by_name = {p.display_name: p for p in Participant.objects.filter(session=session)}
    lost = double = 0
    for index, accepted in run.accepted.items():
        person = by_name.get(f"bench-{index}")
        stored = dict(Vote.objects.filter(participant=person, round=1)
                      .values_list("card_id", "points")) if person else {}
        for card in set(stored) | set(accepted):
            diff = stored.get(card, 0) - accepted.get(card, 0)
            lost += max(0, -diff)
            double += max(0, diff)
    total = Vote.objects.filter(card__session=session).values_list("points", flat=True)
    spent = sum(Ballot.objects.filter(participant__session=session).values_list("spent",
                                                                                  flat=True))
    over = Ballot.objects.filter(participant__session=session, spent__gt=5).count()
    print(f"\nvotes: {sum(total)} points stored from {len(run.accepted)} participants "
          f"(expected {5 * len(run.accepted)}); ballots sum {spent}; ballots over budget {over}; "
          f"refused attempts {run.refused} (one over-budget try per participant)")
    print(f"exactly once: lost points {lost}, double points {double}")
    if run.other_refusals:
        print(f"refused before the last try: {dict(run.other_refusals)}")
    print(f"cards stored: {Card.objects.filter(session=session).count()} "
          f"(expected {3 * args.participants}); version now {live.current(session.pk)}")
    print(json.dumps({"lost": lost, "double": double}))
    return 1 if lost or double else 0


if __name__ == "__main__":
    sys.exit(main())
