"""Every non-trivial read of the live workshop."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Prefetch, Q, Sum

from zwk.workshop.models import Ballot, Candidate, Card, Cluster, Participant, Phase, Session, Vote

#: Participant age bands as population age classes [from, to).
AGE_BANDS = {
    "u18": (0, 18), "18-29": (18, 30), "30-44": (30, 45), "45-64": (45, 65),
    "65-74": (65, 75), "75+": (75, float("inf")),
}
#: Flag a band when its share in the room is below this fraction of its population share.
UNDER_REPRESENTED = 0.5


def sessions_of(*, commune):
    return (Session.objects.filter(commune=commune).select_related("meeting", "current_phase")
            .annotate(participant_count=Count("participants", distinct=True))
            .order_by("-created_at", "-id"))


def commune_has_workshop_record(*, commune_id: int) -> bool:
    """A live workshop of the commune is closed with approved cards: its record (the
    protocol PDF) then documents the workshop, so nobody has to type the minutes again."""
    return Session.objects.filter(commune_id=commune_id, status=Session.Status.CLOSED,
                                  cards__status=Card.Status.APPROVED).exists()


def commune_has_voting_result(*, commune_id: int) -> bool:
    """Points (digital or paper dots) were given in a voting round that is over: the ranking
    of that round is the prioritisation of the Handlungsfelder."""
    round_over = (Q(card__session__status=Session.Status.CLOSED)
                  | Q(card__session__voting_open=False)
                  | Q(round__lt=F("card__session__round")))
    return Vote.objects.filter(round_over, card__session__commune_id=commune_id,
                               card__status=Card.Status.APPROVED).exists()


def session_for_page(*, commune, pk: int) -> Session | None:
    return (Session.objects.select_related("commune__programme", "meeting", "current_phase")
            .prefetch_related("phases", "action_fields").filter(commune=commune, pk=pk).first())


def session_by_code(code: str) -> Session | None:
    return (Session.objects.select_related("current_phase", "commune")
            .filter(code=code).first())


def approved_cards(*, session: Session):
    return (Card.objects.filter(session=session, status=Card.Status.APPROVED)
            .select_related("phase", "cluster").order_by("phase__position", "created_at", "id"))


def moderation_cards(*, session: Session) -> dict[str, list[Card]]:
    """All cards of the session by status, for the console."""
    by_status: dict[str, list[Card]] = defaultdict(list)
    for card in (Card.objects.filter(session=session).select_related("phase", "cluster",
                                                                      "merged_into")
                 .order_by("created_at", "id")):
        by_status[card.status].append(card)
    return by_status


def clusters_with_cards(*, session: Session) -> list[Cluster]:
    return list(Cluster.objects.filter(session=session).select_related("action_field")
                .prefetch_related(Prefetch("cards", queryset=Card.objects.filter(
                    status=Card.Status.APPROVED).order_by("created_at", "id"))))


@dataclass
class ParticipantState:
    votes: dict[int, int]          # card id -> my points this round
    spent: int
    budget: int

    @property
    def left(self) -> int:
        return self.budget - self.spent


def participant_state(*, participant: Participant, session: Session) -> ParticipantState:
    votes = dict(Vote.objects.filter(participant=participant, round=session.round)
                 .values_list("card_id", "points"))
    return ParticipantState(votes=votes, spent=sum(votes.values()),
                            budget=session.points_per_person)


@dataclass
class CardResult:
    id: int
    text: str
    phase: str
    cluster: str
    action_field_id: int | None
    points: int
    analogue_points: int
    source: str
    merged_ids: list[int] = field(default_factory=list)


@dataclass
class ClusterResult:
    id: int
    title: str
    action_field: str
    action_field_id: int | None
    points: int
    card_ids: list[int]


@dataclass
class Results:
    round: int
    cards: list[CardResult]
    clusters: list[ClusterResult]
    total_points: int
    voters: int

    @property
    def max_points(self) -> int:
        return max([c.points for c in self.cards] + [1])

    @property
    def max_cluster_points(self) -> int:
        return max([c.points for c in self.clusters] + [1])


def results(*, session: Session, round: int | None = None) -> Results:
    """Points per approved card and per cluster in a round, highest first."""
    round = round or session.round
    cards = list(Card.objects.filter(session=session, status=Card.Status.APPROVED)
                 .select_related("phase", "cluster__action_field"))
    digital: defaultdict[int, int] = defaultdict(int)
    analogue: defaultdict[int, int] = defaultdict(int)
    for card_id, is_analogue, points in (
            Vote.objects.filter(card__session=session, round=round)
            .values_list("card_id", "participant__is_analogue").annotate(p=Sum("points"))):
        (analogue if is_analogue else digital)[card_id] += points
    merged = defaultdict(list)
    for card_id, into in Card.objects.filter(session=session, status=Card.Status.MERGED) \
            .values_list("id", "merged_into_id"):
        merged[into].append(card_id)
    card_results = sorted(
        (CardResult(id=c.pk, text=c.text, phase=c.phase.title,
                    cluster=c.cluster.title if c.cluster else "",
                    action_field_id=c.cluster.action_field_id if c.cluster else None,
                    points=digital[c.pk] + analogue[c.pk], analogue_points=analogue[c.pk],
                    source=c.source, merged_ids=merged[c.pk]) for c in cards),
        key=lambda r: (-r.points, r.id))
    cluster_of = {c.pk: c.cluster_id for c in cards}
    clusters = []
    for cluster in Cluster.objects.filter(session=session).select_related("action_field"):
        mine = [r for r in card_results if cluster_of[r.id] == cluster.pk]
        clusters.append(ClusterResult(
            id=cluster.pk, title=cluster.title, action_field=str(cluster.action_field or ""),
            action_field_id=cluster.action_field_id, points=sum(r.points for r in mine),
            card_ids=[r.id for r in mine]))
    clusters.sort(key=lambda c: (-c.points, c.id))
    voters = (Vote.objects.filter(card__session=session, round=round,
                                  participant__is_analogue=False)
              .values("participant").distinct().count())
    return Results(round=round, cards=card_results, clusters=clusters,
                   total_points=sum(r.points for r in card_results), voters=voters)


def vote_marker(*, session: Session) -> str:
    """Changes whenever a vote of the current round is given, changed or taken back."""
    found = Vote.objects.filter(card__session=session, round=session.round).aggregate(
        n=Count("id"), last=Max("updated_at"), points=Sum("points"))
    last = found["last"].timestamp() if found["last"] else 0
    return f"{session.round}.{found['n']}.{found['points'] or 0}.{last:.6f}"


def latest_voted_round(*, session: Session) -> int | None:
    return (Vote.objects.filter(card__session=session).order_by("-round")
            .values_list("round", flat=True).first())


def rounds_with_votes(*, session: Session) -> list[int]:
    return sorted(set(Vote.objects.filter(card__session=session)
                      .values_list("round", flat=True)))


# --- Representativeness --------------------------------------------------------------------

@dataclass
class AgeRow:
    band: str
    label: str
    count: int
    share: float | None            # of participants who gave a band
    population_share: float | None
    flagged: bool


@dataclass
class AgeMix:
    rows: list[AgeRow]
    participants: int
    with_band: int
    data_note: str                 # German sentence about the comparison data
    population_year: int | None = None


def age_mix(*, session: Session, population_shares: dict[str, float] | None,
            data_note: str, year: int | None = None) -> AgeMix:
    counts = dict(Participant.objects.filter(session=session, is_analogue=False)
                  .exclude(age_band="").values_list("age_band").annotate(n=Count("id")))
    participants = Participant.objects.filter(session=session, is_analogue=False).count()
    with_band = sum(counts.values())
    rows = []
    for band, label in Participant.AgeBand.choices:
        count = counts.get(band, 0)
        share = count / with_band if with_band else None
        pop = population_shares.get(band) if population_shares else None
        flagged = bool(with_band and pop and share is not None
                       and share < UNDER_REPRESENTED * pop)
        rows.append(AgeRow(band, str(label), count, share, pop, flagged))
    return AgeMix(rows, participants, with_band, data_note, year)


def population_shares(dataset, ags: str | None) -> tuple[dict[str, float] | None, int | None]:
    """Share of each participant age band in the population of `ags`, latest year."""
    if dataset is None or not ags:
        return None, None
    frame = dataset.best_population()
    frame = frame[frame["ags"] == ags]
    if frame.empty:
        return None, None
    year = int(frame["year"].max())
    frame = frame[frame["year"] == year]
    split = frame[frame["sex"].isin(["m", "f"])]
    frame = split if not split.empty else frame[frame["sex"] == "t"]
    totals = {band: 0.0 for band in AGE_BANDS}
    for a_from, a_to, count in frame[["age_from", "age_to", "count"]].itertuples(index=False):
        if count != count:  # NaN
            continue
        width_to = a_to if a_to != float("inf") else a_from + 20
        for band, (b_from, b_to) in AGE_BANDS.items():
            lo, hi = max(a_from, b_from), min(width_to, b_to)
            if hi > lo:
                totals[band] += count * (hi - lo) / (width_to - a_from)
    whole = sum(totals.values())
    if not whole:
        return None, None
    return {band: value / whole for band, value in totals.items()}, year


def candidates_of(*, session: Session):
    return Candidate.objects.filter(session=session).select_related("action_field", "cluster",
                                                                    "card")


def phases_of(*, session: Session):
    return Phase.objects.filter(session=session).annotate(
        card_count=Count("cards")).order_by("position")


def ballots_total(*, session: Session, round: int) -> int:
    return Ballot.objects.filter(participant__session=session, round=round).aggregate(
        s=Sum("spent"))["s"] or 0


def age_mix_for(*, session: Session) -> AgeMix:
    """The room's age mix against the commune's population (profile data), if loaded."""
    from zwk.profile.data import commune_dataset

    commune = session.commune
    try:
        dataset = commune_dataset(commune)
    except Exception:  # a broken file must not break the live console
        dataset = None
    shares, year = population_shares(dataset, commune.ags)
    if shares is None:
        note = ("Für den Vergleich fehlen Bevölkerungsdaten nach Alter: Im Kommunalprofil ist "
                "für diese Kommune noch keine passende Datei geladen.")
    else:
        note = f"Vergleich mit der Bevölkerung nach Alter, Stand {year}"
        if dataset is not None and dataset.synthetic:
            note += " (synthetische Demodaten)"
        note += "."
    return age_mix(session=session, population_shares=shares, data_note=note, year=year)


@dataclass(frozen=True)
class JoinBurst:
    joins: int
    first: object   # datetime
    last: object    # datetime


def join_bursts(*, session: Session, threshold: int) -> list[JoinBurst]:
    """Clients (by keyed hash, never the address) from which `threshold` or more devices
    joined: one person collecting budgets, or a whole room on one Wi-Fi; the moderator can
    tell which from the room."""
    rows = (Participant.objects.filter(session=session, is_analogue=False).exclude(client="")
            .values("client").annotate(joins=Count("id"), first=Min("joined_at"),
                                       last=Max("joined_at"))
            .filter(joins__gte=threshold).order_by("-joins"))
    return [JoinBurst(r["joins"], r["first"], r["last"]) for r in rows]
