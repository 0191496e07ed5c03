"""The production engine: annual cohort-component steps on single years of age.

Everything is vectorised over *units* (regions, or regions × trajectories), sexes and ages.
Arrays: ``population[unit, year, sex, age]`` with sex 0 = male, 1 = female and the last age
an open group. Each year, per unit (DOMAIN.md §5, with h = 1):

1. half the year's migration at the start: ``start = P − ½·o·P + ½·I·p_in``
   (out-moves as probabilities ``o`` by age, in-moves as a count ``I`` with age profile
   ``p_in``) – these people are exposed to mortality and fertility;
2. deaths ``D_x = start_x · d_x`` with ``d_x = 1 − L_{x+1}/L_x`` (open group: ``1 − T_ω/T_{ω−1}``
   for the last closed age and the open group, which merge);
3. survivors move one age up; the last closed age joins the open group;
4. births ``B = Σ_x f_x · (W_x(start) + W_x(end)) / 2`` over mothers' ages, split by the sex
   ratio at birth; newborns survive with ``L_0 / l_0``;
5. the second half of migration at the end: ``P(t+1) = end − ½·o·end + ½·I·p_in``.

Yearly *factors* per unit scale fertility, death proportions and the two migration flows, so
scenarios and stochastic trajectories reuse the same calibrated schedules. The loop runs over
blocks of units small enough to stay in the CPU cache; all temporaries are preallocated.
Every component is recorded so that ``P(t+1) = P(t) + B − D + I − O`` can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK = 128  # units per cache block: 128 × 2 × 101 float64 ≈ 200 kB per temporary (fits L2)


MIGRATION_MODELS = ("mobility", "constant_net", "fixed_in")


@dataclass
class EngineInputs:
    """Calibrated schedules per unit (see module docstring for the meaning)."""

    population: np.ndarray      # (U, 2, A) base population
    death_prop: np.ndarray      # (U, 2, A) one-year death proportion by age at start
    newborn_death: np.ndarray   # (U, 2) 1 − L0/l0
    asfr: np.ndarray            # (U, F) fertility rates for ages fert_from … fert_from+F−1
    fert_from: int
    in_profile: np.ndarray      # (U, 2, A) age-sex distribution of in-movers, sums to 1
    in_level: np.ndarray        # (U,) in-movers per year (at the base)
    out_rates: np.ndarray       # (U, 2, A) annual out-move probability (across the pool)
    srb: np.ndarray             # (U,) boys per girl at birth
    #: How in-moves evolve (decision 0106): "fixed_in" keeps the count; "mobility" scales it
    #: with the out-move potential Σ o·P(t) / Σ o·P(0); "constant_net" keeps in − out at the
    #: base level (in-moves = this year's out-moves + base net migration).
    migration_model: str = "fixed_in"
    #: Moves between units of one pool (towns of a Kreis), decision 0107: probability of
    #: moving to another unit of the same pool, the pool id of each unit (pools contiguous)
    #: and the share of the pool's movers each unit receives (sums to 1 per pool).
    internal_rates: np.ndarray | None = None    # (U, 2, A)
    pool: np.ndarray | None = None              # (U,) int
    pool_share: np.ndarray | None = None        # (U,)

    @property
    def units(self) -> int:
        return self.population.shape[0]

    @property
    def ages(self) -> int:
        return self.population.shape[-1]

    @property
    def pooled(self) -> bool:
        return self.internal_rates is not None and self.pool is not None


@dataclass
class YearFactors:
    """Multipliers per unit and projection year, shape (U, T) ((U, T, 2) for mortality)."""

    fertility: np.ndarray
    mortality: np.ndarray
    in_migration: np.ndarray
    out_migration: np.ndarray

    @classmethod
    def constant(cls, units: int, years: int) -> YearFactors:
        one = np.broadcast_to(np.ones(1), (units, years))
        return cls(one, np.broadcast_to(np.ones(1), (units, years, 2)), one, one)

    @property
    def years(self) -> int:
        return self.fertility.shape[1]


@dataclass
class EngineOutput:
    population: np.ndarray   # (U, T+1, 2, A)
    births: np.ndarray       # (U, T, 2) by sex of the child
    deaths: np.ndarray       # (U, T)
    moves_in: np.ndarray     # (U, T) all moves into the unit, including from its pool
    moves_out: np.ndarray    # (U, T) all moves out of the unit, including into its pool
    internal_in: np.ndarray | None = None    # (U, T) of which from units of the same pool
    internal_out: np.ndarray | None = None   # (U, T) of which to units of the same pool

    def accounting_gap(self) -> float:
        """Largest |P(t+1) − (P(t) + B − D + I − O)| over units and years."""
        totals = self.population.sum(axis=(2, 3))
        expected = (totals[:, :-1] + self.births.sum(axis=2) - self.deaths + self.moves_in
                    - self.moves_out)
        return float(np.abs(totals[:, 1:] - expected).max()) if expected.size else 0.0


def run(inputs: EngineInputs, factors: YearFactors, out: np.ndarray | None = None,
        block: int = BLOCK) -> EngineOutput:
    """Project all units over ``factors.years`` years; ``out`` may be a preallocated array."""
    units, ages, years = inputs.units, inputs.ages, factors.years
    if inputs.migration_model not in MIGRATION_MODELS:
        raise ValueError(f"unknown migration model {inputs.migration_model!r}")
    if out is None:
        out = np.empty((years + 1, units, 2, ages))
    if out.shape != (years + 1, units, 2, ages) or not out[0].flags.c_contiguous:
        raise ValueError("out must be a C-contiguous array of shape (years + 1, units, 2, ages)")
    out[0] = inputs.population
    result = EngineOutput(np.moveaxis(out, 0, 1), *(np.empty(shape) for shape in (
        (units, years, 2), (units, years), (units, years), (units, years), (units, years),
        (units, years))))
    for lo, hi in _blocks(inputs, block):
        _run_block(inputs, factors, out[:, lo:hi], result, lo, hi)
    return result


def _blocks(inputs: EngineInputs, block: int):
    """Unit ranges of about ``block`` units; a pool is never split (its moves are coupled)."""
    units, lo = inputs.units, 0
    pool = inputs.pool if inputs.pooled else None
    while lo < units:
        hi = min(units, lo + block)
        if pool is not None:
            while hi < units and pool[hi] == pool[hi - 1]:
                hi += 1
        yield lo, hi
        lo = hi


def _run_block(inp: EngineInputs, fac: YearFactors, pop: np.ndarray, res: EngineOutput, lo: int,
               hi: int) -> None:
    n, ages = hi - lo, inp.ages
    death_base = np.ascontiguousarray(inp.death_prop[lo:hi])
    surv_base = 1.0 - death_base
    out_half_base = 0.5 * inp.out_rates[lo:hi]
    asfr = np.ascontiguousarray(inp.asfr[lo:hi])
    f0, f1 = inp.fert_from, inp.fert_from + inp.asfr.shape[1]
    # Everything that is per unit and year only (no age axis) is prepared for all years at
    # once: it saves a dozen tiny NumPy calls per year and block.
    girls_share = 1.0 / (1.0 + np.broadcast_to(inp.srb, (inp.units,))[lo:hi])
    mortality = np.asarray(fac.mortality[lo:hi])                         # (n, T, 2)
    newborn_survival = 1.0 - np.minimum(inp.newborn_death[lo:hi, None, :] * mortality, 1.0)
    newborn_per_birth = (1.0 - girls_share)[:, None] * newborn_survival[:, :, 0] + \
        girls_share[:, None] * newborn_survival[:, :, 1]                  # (n, T)
    half_fertility = 0.5 * np.asarray(fac.fertility[lo:hi])              # (n, T)
    must_clip = float(death_base.max(initial=0.0)) * mortality.max(axis=(0, 2)) > 1.0
    births_all = np.empty((n, fac.years))
    start = np.empty((n, 2, ages))
    bufs = _YearBuffers(inp, fac, lo, hi)
    moves = _Moves(inp, fac, lo, hi, out_half_base)
    for t in range(fac.years):
        now, nxt = pop[t], pop[t + 1]
        out_half, keep = bufs.out_moves(t, out_half_base, moves.keep_base,
                                        fac.out_migration[lo:hi, t], moves.keep_internal)
        # 1. first half of the moves: start = P·(1 − o/2) + I/2 (+ moves within the pool)
        first_out = _dot(now, out_half)
        arriving = bufs.in_moves(t, moves.in_scale(t, now, first_out, out_half_base))
        leaving = moves.internal_leavers(now)
        np.multiply(now, keep, out=start)
        start += arriving
        moves.arrive_internal(start, leaving)
        # 2.–3. survivors move one age up; the last closed age joins the open group
        deaths = bufs.survive(t, start, death_base, surv_base, mortality[:, t], must_clip[t], nxt)
        # 4. births from the mean of women at start and end of the year
        women = start[:, 1, f0:f1] + nxt[:, 1, f0:f1]
        births = np.einsum("ij,ij->i", asfr, women)
        births *= half_fertility[:, t]
        births_all[:, t] = births
        girls = births * girls_share
        nxt[:, 0, 0] = (births - girls) * newborn_survival[:, t, 0]
        nxt[:, 1, 0] = girls * newborn_survival[:, t, 1]
        # 5. second half of the moves: P(t+1) = end·(1 − o/2) + I/2 (+ moves within the pool)
        second_out = _dot(nxt, out_half)
        in_first = moves.last_in
        if moves.model == "constant_net":      # arrivals follow this half-year's out-moves
            arriving = bufs.in_moves(t, moves.net_scale(t, second_out))
        leaving = moves.internal_leavers(nxt)
        nxt *= keep
        nxt += arriving
        moves.arrive_internal(nxt, leaving)
        res.deaths[lo:hi, t] = deaths
        res.moves_out[lo:hi, t] = first_out + second_out + moves.internal_out
        res.moves_in[lo:hi, t] = in_first + moves.last_in + moves.internal_in
        res.internal_out[lo:hi, t] = moves.internal_out
        res.internal_in[lo:hi, t] = moves.internal_in
        moves.reset_year()
    res.births[lo:hi, :, 1] = births_all * girls_share[:, None]
    res.births[lo:hi, :, 0] = births_all - res.births[lo:hi, :, 1]
    res.deaths[lo:hi] += births_all * (1.0 - newborn_per_birth)      # deaths of newborns


class _Moves:
    """Per-block state of the migration model: how many arrive from outside each half-year
    (decision 0106) and the moves between units of one pool (decision 0107)."""

    def __init__(self, inp: EngineInputs, fac: YearFactors, lo: int, hi: int,
                 out_half_base: np.ndarray) -> None:
        n = hi - lo
        self.model = inp.migration_model
        self.in_half = 0.5 * np.asarray(inp.in_level[lo:hi], dtype=float)     # (n,)
        self.in_factor = np.asarray(fac.in_migration[lo:hi])
        self.out_factor = np.asarray(fac.out_migration[lo:hi])
        self.out_half_base = out_half_base
        # Out-move potential at the base, Σ ½o·P(0): the reference of both models that tie
        # in-moves to the population (decision 0106).
        self.reference = _dot(inp.population[lo:hi], out_half_base)
        self.last_in = np.zeros(n)
        self.internal_in = np.zeros(n)
        self.internal_out = np.zeros(n)
        self.keep_internal = None
        self.keep_base = 1.0 - out_half_base
        pooled = inp.pooled and np.any(inp.internal_rates[lo:hi] > 0)
        if pooled:
            self.int_half = 0.5 * np.asarray(inp.internal_rates[lo:hi])
            self.keep_internal = 1.0 - self.int_half
            self.keep_base = self.keep_internal - out_half_base
            pool = np.asarray(inp.pool[lo:hi])
            share = np.asarray(inp.pool_share[lo:hi], dtype=float)
            # arrivals_i = share_i · Σ_{j in pool(i)} leavers_j (no BLAS: on a busy machine its
            # threads cost more than these small sums)
            self.starts = np.flatnonzero(np.r_[True, pool[1:] != pool[:-1]])
            sizes = np.diff(np.r_[self.starts, n])
            self.equal_size = int(sizes[0]) if np.all(sizes == sizes[0]) else 0
            self.group_of = np.repeat(np.arange(len(sizes)), sizes)
            self.share = share
            self.leavers = np.empty((n, 2, inp.ages))
            self.arrivals = np.empty((n, 2 * inp.ages))
        self.pooled = pooled

    def in_scale(self, t: int, now: np.ndarray, first_out: np.ndarray, out_half_base):
        """Factor on the base in-moves of the first half-year (None: the plain factor)."""
        if self.model == "fixed_in":
            scale = None
        elif self.model == "mobility":
            factor = self.out_factor[:, t]
            potential = (first_out / factor if np.all(factor > 0)
                         else _dot(now, out_half_base))
            ratio = np.divide(potential, self.reference, out=np.ones_like(potential),
                              where=self.reference > 0)
            scale = self.in_factor[:, t] * ratio
        else:
            return self.net_scale(t, first_out)
        self.last_in = self.in_half * (self.in_factor[:, t] if scale is None else scale)
        return scale

    def net_scale(self, t, this_half_out):
        """In-moves = this half-year's out-moves + half the base net migration (≥ 0)."""
        net_half = self.in_half * self.in_factor[:, t] - self.reference * self.out_factor[:, t]
        wanted = np.maximum(this_half_out + net_half, 0.0)
        self.last_in = wanted
        return np.divide(wanted, self.in_half, out=np.zeros_like(wanted),
                         where=self.in_half > 0)

    def internal_leavers(self, population: np.ndarray):
        if not self.pooled:
            return None
        np.multiply(population, self.int_half, out=self.leavers)
        return self.leavers

    def arrive_internal(self, population: np.ndarray, leaving) -> None:
        """Pool the leavers of every unit by age and sex and hand them to the units of their
        pool by fixed shares: the moves within a pool cancel exactly in every year."""
        if leaving is None:
            return
        flat = leaving.reshape(leaving.shape[0], -1)
        if self.equal_size:
            pooled = flat.reshape(-1, self.equal_size, flat.shape[1]).sum(axis=1)
        else:
            pooled = np.add.reduceat(flat, self.starts, axis=0)          # (pools, 2·A)
        np.take(pooled, self.group_of, axis=0, out=self.arrivals)
        self.arrivals *= self.share[:, None]
        population += self.arrivals.reshape(population.shape)
        self.internal_out += flat.sum(axis=1)
        self.internal_in += pooled.sum(axis=1)[self.group_of] * self.share

    def reset_year(self) -> None:
        self.internal_in = np.zeros_like(self.internal_in)
        self.internal_out = np.zeros_like(self.internal_out)


class _YearBuffers:
    """Per-year schedules of a block; recomputed only when a factor differs from 1."""

    def __init__(self, inp: EngineInputs, fac: YearFactors, lo: int, hi: int) -> None:
        n, ages = hi - lo, inp.ages
        self.death, self.surv, self.out_half, self.keep, self.arriving = (
            np.empty((n, 2, ages)) for _ in range(5))
        self.in_half_base = inp.in_profile[lo:hi] * (0.5 * inp.in_level[lo:hi])[:, None, None]
        # Which factors differ from 1 in which year, decided once per block.
        # Deterministic base runs have factor 1 almost everywhere; skipping saves passes.
        self.varies = {}
        for name in ("mortality", "out_migration", "in_migration"):
            block = getattr(fac, name)[lo:hi]
            self.varies[name] = ~np.all(block == 1.0, axis=_not_time_axes(block))
        self.in_factor = fac.in_migration[lo:hi]

    def survive(self, t, start, death_base, surv_base, factor, must_clip, nxt) -> np.ndarray:
        """Write the survivors of ``start`` one age up into ``nxt``; return deaths per unit.

        The shift by one age is done on the flattened block: contiguous slices are several
        times faster than ``[:, :, :-1]`` slices. It also writes the last age of each row into
        age 0 of the next row – age 0 is overwritten with the newborns afterwards.
        """
        flat_start, flat_next = start.reshape(-1), nxt.reshape(-1)
        if not self.varies["mortality"][t]:
            np.multiply(flat_start[:-1], surv_base.reshape(-1)[:-1], out=flat_next[1:])
            nxt[:, :, -1] += start[:, :, -1] * surv_base[:, :, -1]
            return _dot(start, death_base)
        died = self.death
        np.multiply(start, death_base, out=died)
        died *= factor[:, :, None]
        if must_clip:  # nobody can die twice
            np.minimum(died, start, out=died)
        np.subtract(flat_start[:-1], died.reshape(-1)[:-1], out=flat_next[1:])
        nxt[:, :, -1] += start[:, :, -1] - died[:, :, -1]
        return died.reshape(died.shape[0], -1).sum(axis=1)

    def out_moves(self, t, out_half_base, keep_base, factor, keep_internal):
        """Half the out-move probabilities across the pool boundary and the share that stays
        (1 − external half − internal half)."""
        if not self.varies["out_migration"][t]:
            return out_half_base, keep_base
        np.multiply(out_half_base, factor[:, None, None], out=self.out_half)
        np.subtract(1.0 if keep_internal is None else keep_internal, self.out_half,
                    out=self.keep)
        return self.out_half, self.keep

    def in_moves(self, t, scale):
        """Arrivals of one half-year: the base profile × ``scale`` (None: the year's factor)."""
        if scale is None:
            if not self.varies["in_migration"][t]:
                return self.in_half_base
            scale = self.in_factor[:, t]
        np.multiply(self.in_half_base, scale[:, None, None], out=self.arriving)
        return self.arriving


def _dot(values: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Per-unit sum of ``values · rates`` without writing a temporary array."""
    n = values.shape[0]
    return np.einsum("ij,ij->i", values.reshape(n, -1), rates.reshape(n, -1))


def _not_time_axes(factor: np.ndarray) -> tuple[int, ...]:
    """All axes of a (U, T[, 2]) factor array except the year axis."""
    return tuple(a for a in range(factor.ndim) if a != 1)
