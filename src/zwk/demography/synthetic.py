"""Seeded synthetic demo data: the Hochsauerlandkreis (05958) and its 12 towns.

SYNTHETIC – not official statistics. The numbers are simulated to *look like* a rural, ageing
Kreis (DOMAIN.md §5: 2020 populations of the towns, Kreis ≈ 259,677): a German cohort profile
(baby boom 1955–68, birth slump after 1970), fewer young adults than the national average,
period mortality near Germany 2018/20, TFR about 1.6, cross-boundary moves about 4–5 % a year
with a net loss of 18–24-year-olds. Every dataset carries ``synthetic=True`` and every written
file the line ``SYNTHETISCHE DEMODATEN – keine amtlichen Zahlen``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .ages import MUNICIPAL_GROUPS, OPEN
from .dataset import EVENT_COLUMNS, POP_COLUMNS, SYNTHETIC_NOTE, Dataset
from .lifetable import reference_life_tables
from .schedules import FERTILE_AGES, fertility_schedule, in_migration_shape, out_migration_rates

KREIS = "05958"
KREIS_NAME = "Hochsauerlandkreis"
#: Official population on 30.06.2020 (IT.NRW), used only as magnitudes for the simulation.
TOWNS = {
    "05958004": ("Arnsberg", 73573), "05958008": ("Bestwig", 10654),
    "05958012": ("Brilon", 25452), "05958016": ("Eslohe (Sauerland)", 8818),
    "05958020": ("Hallenberg", 4485), "05958024": ("Marsberg", 19506),
    "05958028": ("Medebach", 7989), "05958032": ("Meschede", 29720),
    "05958036": ("Olsberg", 14453), "05958040": ("Schmallenberg", 24834),
    "05958044": ("Sundern (Sauerland)", 27645), "05958048": ("Winterberg", 12548),
}
OPEN_AGE = 100
MIGRATION_GROUPS = ((0, 18.0), (18, 25.0), (25, 30.0), (30, 50.0), (50, 65.0), (65, OPEN))
MOTHER_GROUPS = ((0, 20.0), (20, 25.0), (25, 30.0), (30, 35.0), (35, 40.0), (40, OPEN))
DEATH_GROUPS = ((0, 1.0), (1, 15.0), (15, 40.0), (40, 60.0), (60, 70.0), (70, 80.0),
                (80, 90.0), (90, OPEN))
MOVES_BY_AGE_UNTIL = 2017  # Gemeinde moves by age end in 2017 (DOMAIN.md)

# Relative size of German birth cohorts (births per year, 1964 ≈ 1.36 million → 1.36).
_COHORT_KNOTS = np.array([
    (1900, 1.40), (1914, 1.35), (1916, 0.85), (1919, 0.95), (1920, 1.30), (1932, 0.95),
    (1936, 1.25), (1940, 1.30), (1945, 0.80), (1947, 0.95), (1950, 1.10), (1955, 1.10),
    (1964, 1.36), (1970, 1.05), (1975, 0.78), (1980, 0.81), (1990, 0.90), (1995, 0.77),
    (2000, 0.77), (2005, 0.69), (2011, 0.66), (2016, 0.79), (2021, 0.80), (2030, 0.75)])


def hochsauerlandkreis(seed: int = 2024, start_year: int = 2011, end_year: int = 2023,
                       detail: str = "official") -> Dataset:
    """Simulate the Kreis and its 12 towns from ``start_year`` to ``end_year`` (31.12.).

    ``detail="official"`` returns what the official tables would hold (Kreis by single years,
    towns by the 17 age groups, town events as totals, town moves by age only up to 2017);
    ``detail="full"`` returns every region by sex × single years (the simulation's truth).
    """
    if end_year < start_year:
        raise ValueError("end_year muss ≥ start_year sein.")
    rng = np.random.default_rng(seed)
    sim = _simulate(rng, start_year, end_year)
    pop, events = sim
    kreis_pop = pop.groupby(["year", "sex", "age"], as_index=False)["count"].sum()
    kreis_pop["ags"] = KREIS
    kreis_events = _kreis_events(events)
    pop = pd.concat([pop, kreis_pop], ignore_index=True)
    events = pd.concat([events, kreis_events], ignore_index=True)
    names = {KREIS: KREIS_NAME} | {k: v[0] for k, v in TOWNS.items()}
    if detail == "full":
        return Dataset(_single_rows(pop), _single_event_rows(events), names, SYNTHETIC_NOTE, True)
    if detail != "official":
        raise ValueError("detail muss 'official' oder 'full' sein.")
    return Dataset(_official_population(pop), _official_events(events), names, SYNTHETIC_NOTE,
                   True)


def _cohort_sizes(start_year: int) -> np.ndarray:
    birth_years = start_year - np.arange(OPEN_AGE + 1)
    return np.interp(birth_years, _COHORT_KNOTS[:, 0], _COHORT_KNOTS[:, 1])


def _base_structure(start_year: int) -> np.ndarray:
    """Kreis-shaped population by sex × age at the start, summing to 1."""
    tables = reference_life_tables(OPEN_AGE)
    cohort = _cohort_sizes(start_year)
    ages = np.arange(OPEN_AGE + 1)
    rural = 1.0 - 0.16 * np.exp(-(((ages - 27.0) / 7.0) ** 2)) + 0.05 * np.exp(
        -(((ages - 55.0) / 12.0) ** 2))
    # Older cohorts lived through higher mortality than today's period table says.
    male = cohort * tables["m"].lx ** 1.9 * 1.05 / 2.05 * rural
    female = cohort * tables["f"].lx ** 1.9 / 2.05 * rural
    male[-1] *= tables["m"].ex[-1]  # open group holds many cohorts
    female[-1] *= tables["f"].ex[-1]
    both = np.stack([male, female])
    return both / both.sum()


def _simulate(rng: np.random.Generator, start_year: int, end_year: int):
    tables = reference_life_tables(OPEN_AGE)
    survival = np.stack([tables[s].survival()[0] for s in "mf"])
    newborn = np.array([tables[s].survival()[1] for s in "mf"])
    shape = _base_structure(start_year)
    ages = np.arange(OPEN_AGE + 1)
    out_rates = out_migration_rates(OPEN_AGE, level=0.042)
    in_shape = in_migration_shape(OPEN_AGE)
    pop_rows, event_rows = [], []
    for ags, (_, pop2020) in TOWNS.items():
        tilt = np.exp(rng.normal(0.0, 0.08) * (ages - 45.0) / 40.0)
        base_total = pop2020 * (1.0 + 0.0023 * (2020 - start_year))
        pop = np.round(shape * tilt / (shape * tilt).sum() * base_total)
        tfr = rng.normal(1.60, 0.06)
        asfr = fertility_schedule(tfr)
        smr = rng.normal(1.03, 0.03)
        for year in range(start_year, end_year + 1):
            if year > start_year:
                pop = _simulate_year(rng, ags, year, pop, survival, newborn, smr, asfr,
                                     out_rates, in_shape, event_rows)
            pop_rows += [(ags, year, s, a, pop[i, a]) for i, s in enumerate("mf")
                         for a in range(OPEN_AGE + 1)]
    population = pd.DataFrame(pop_rows, columns=["ags", "year", "sex", "age", "count"])
    events = pd.DataFrame(event_rows, columns=["ags", "year", "event", "sex", "age", "count"])
    return population, events


def _simulate_year(rng, ags, year, pop, survival, newborn, smr, asfr, out_rates, in_shape,
                   event_rows):
    movers_out = rng.binomial(pop.astype(np.int64), out_rates)
    stay = pop - movers_out
    deaths = rng.binomial(stay.astype(np.int64), np.clip((1 - survival) * smr, 0, 1))
    survivors = stay - deaths
    aged = np.zeros_like(pop)
    aged[:, 1:] = survivors[:, :-1]
    aged[:, -1] += survivors[:, -1]
    f0, f1 = FERTILE_AGES
    women = (pop[1, f0:f1] + aged[1, f0:f1]) / 2.0
    by_mother = rng.poisson(asfr * women)
    births = by_mother.sum()
    boys = rng.binomial(births, 1.05 / 2.05)
    born = np.array([boys, births - boys])
    infant_deaths = rng.binomial(born, np.clip((1 - newborn) * smr, 0, 1))
    aged[:, 0] = born - infant_deaths
    deaths[:, 0] += infant_deaths
    net_rate = 0.0008 + {2015: 0.007, 2016: 0.003, 2022: 0.005}.get(year, 0.0)
    expected_in = movers_out.sum() * 1.0 + net_rate * pop.sum()
    arrivals = rng.multinomial(rng.poisson(max(expected_in, 0.0)), in_shape.ravel()).reshape(2, -1)
    new_pop = aged + arrivals
    for event, values in (("deaths", deaths), ("moves_out", movers_out), ("moves_in", arrivals)):
        event_rows += [(ags, year, event, s, a, values[i, a]) for i, s in enumerate("mf")
                       for a in range(OPEN_AGE + 1) if values[i, a]]
    event_rows += [(ags, year, "births", s, 0, born[i]) for i, s in enumerate("mf")]
    event_rows += [(ags, year, "births_mother", "t", f0 + a, by_mother[a])
                   for a in range(f1 - f0) if by_mother[a]]
    return new_pop


def _kreis_events(events: pd.DataFrame) -> pd.DataFrame:
    """Kreis events = sum of towns, except moves between its own towns, which cancel."""
    summed = events.groupby(["year", "event", "sex", "age"], as_index=False)["count"].sum()
    moves = summed[summed["event"].isin(["moves_in", "moves_out"])]
    wide = moves.pivot_table(index=["year", "sex", "age"], columns="event", values="count",
                             fill_value=0)
    internal = np.floor(0.3 * np.minimum(wide["moves_in"], wide["moves_out"]))
    wide = wide.sub(internal, axis=0)
    moves = wide.reset_index().melt(id_vars=["year", "sex", "age"], value_name="count")
    other = summed[~summed["event"].isin(["moves_in", "moves_out"])]
    out = pd.concat([other, moves[moves["count"] > 0]], ignore_index=True)
    out["ags"] = KREIS
    return out


def _single_rows(pop: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"ags": pop["ags"], "year": pop["year"], "sex": pop["sex"],
                         "age_from": pop["age"],
                         "age_to": np.where(pop["age"] == OPEN_AGE, OPEN, pop["age"] + 1.0),
                         "count": pop["count"].astype(float), "flag": ""})[POP_COLUMNS]


def _single_event_rows(events: pd.DataFrame) -> pd.DataFrame:
    ev = events.copy()
    is_birth = ev["event"] == "births"
    mother = ev["event"] == "births_mother"
    ev["age_from"] = ev["age"]
    ev["age_to"] = np.where(ev["age"] == OPEN_AGE, OPEN, ev["age"] + 1.0)
    ev.loc[is_birth, ["age_from", "age_to"]] = (0, OPEN)
    ev.loc[mother, "event"] = "births"
    ev["flag"] = ""
    return ev[EVENT_COLUMNS]


def _grouped(frame: pd.DataFrame, groups, keys: list[str]) -> pd.DataFrame:
    """Sum single years into ``groups``; every group appears, with 0 where nothing happened."""
    lows = np.array([g[0] for g in groups])
    idx = np.searchsorted(lows, frame["age"].to_numpy(), side="right") - 1
    out = frame.assign(age_from=lows[idx], age_to=np.array([g[1] for g in groups])[idx])
    summed = out.groupby(keys + ["age_from", "age_to"])["count"].sum()
    combos = out[keys].drop_duplicates()
    full = combos.merge(pd.DataFrame(groups, columns=["age_from", "age_to"]), how="cross")
    full = full.set_index(keys + ["age_from", "age_to"]).index
    return summed.reindex(full, fill_value=0).reset_index()


def _official_population(pop: pd.DataFrame) -> pd.DataFrame:
    kreis = _single_rows(pop[pop["ags"] == KREIS])
    towns = _grouped(pop[pop["ags"] != KREIS], MUNICIPAL_GROUPS, ["ags", "year", "sex"])
    towns["flag"] = ""
    return pd.concat([kreis, towns[POP_COLUMNS]], ignore_index=True)


def _official_events(events: pd.DataFrame) -> pd.DataFrame:
    parts = []
    kreis, towns = events[events["ags"] == KREIS], events[events["ags"] != KREIS]
    keys = ["ags", "year", "event", "sex"]
    births = kreis[kreis["event"] == "births"]
    parts.append(births.assign(age_from=0, age_to=OPEN)[keys + ["age_from", "age_to", "count"]])
    mothers = _grouped(kreis[kreis["event"] == "births_mother"], MOTHER_GROUPS, keys)
    parts.append(mothers.assign(event="births"))
    parts.append(_grouped(kreis[kreis["event"] == "deaths"], DEATH_GROUPS, keys))
    parts.append(_grouped(kreis[kreis["event"].isin(["moves_in", "moves_out"])],
                          MIGRATION_GROUPS, keys))
    town_totals = towns[towns["event"] != "births_mother"].groupby(
        ["ags", "year", "event"], as_index=False)["count"].sum()
    parts.append(town_totals.assign(sex="t", age_from=0, age_to=OPEN))
    early = towns[towns["event"].isin(["moves_in", "moves_out"])
                  & (towns["year"] <= MOVES_BY_AGE_UNTIL)]
    parts.append(_grouped(early, MIGRATION_GROUPS, keys))
    out = pd.concat(parts, ignore_index=True)
    out["flag"] = ""
    out["count"] = out["count"].astype(float)
    return out[EVENT_COLUMNS]


def write_demo_files(directory: str | Path, seed: int = 2024, start_year: int = 2011,
                     end_year: int = 2023) -> list[Path]:
    """Write the demo data as files in the official layouts (each marked synthetic).

    * ``12411-02-03-5_flat.zip`` – towns by sex × 17 age groups, current flat file, zipped;
    * ``12411-04-02-4_flat.csv`` – Kreis by sex × single years, older wide flat file;
    * ``12411-0018_tabelle.csv`` – Kreis by sex × 17 age groups, table download;
    * ``12612-91-01-5_flat.csv``, ``12613-91-01-5_flat.csv``, ``12711-91-01-5_flat.csv`` –
      births, deaths, moves of the towns (totals);
    * ``12612-93-01-4_flat.csv``, ``12613-93-01-4_flat.csv``, ``12711-01-03-4_flat.csv`` –
      Kreis births by sex and mother's age, deaths and moves by sex × age;
    * ``12711-01-03-5_flat.csv`` – town moves by sex × age (until 2017);
    * ``melderegister_arnsberg.csv`` – a tidy register-style extract (Arnsberg, single years).
    """
    from .io.writers import write_ffcsv, write_flat_wide, write_genesis_table, write_tidy

    ds = hochsauerlandkreis(seed, start_year, end_year)
    full = hochsauerlandkreis(seed, start_year, end_year, detail="full")
    d = Path(directory)
    towns = [a for a in ds.regions if len(a) == 8]
    kreis_groups = _kreis_in_groups(ds)
    written = [
        write_ffcsv(ds.subset(regions=towns), d / "12411-02-03-5_flat.zip", "12411-02-03-5",
                    ["population"], zipped=True),
        write_flat_wide(ds.subset(regions=[KREIS]), d / "12411-04-02-4_flat.csv",
                        "12411-04-02-4", "population"),
        write_genesis_table(kreis_groups, d / "12411-0018_tabelle.csv", "12411-0018"),
    ]
    town_ev = ds.subset(regions=towns)
    town_ev.events = town_ev.events[town_ev.events["sex"] == "t"]
    early_moves = ds.subset(regions=towns)
    early_moves.events = early_moves.events[early_moves.events["sex"] != "t"]
    kreis = ds.subset(regions=[KREIS])
    for table, kinds, source in (
            ("12612-91-01-5", ["births"], town_ev), ("12613-91-01-5", ["deaths"], town_ev),
            ("12711-91-01-5", ["moves_in", "moves_out"], town_ev),
            ("12612-93-01-4", ["births"], kreis), ("12613-93-01-4", ["deaths"], kreis),
            ("12711-01-03-4", ["moves_in", "moves_out"], kreis),
            ("12711-01-03-5", ["moves_in", "moves_out"], early_moves)):
        written.append(write_ffcsv(_events_only(source), d / f"{table}_flat.csv", table, kinds))
    arnsberg = full.subset(regions=["05958004"], years=full.years[-3:])
    arnsberg.events = arnsberg.events.iloc[0:0]
    written.append(write_tidy(arnsberg, d / "melderegister_arnsberg.csv"))
    return written


def _events_only(ds: Dataset) -> Dataset:
    return Dataset(ds.population.iloc[0:0], ds.events, ds.names, ds.source, ds.synthetic)


def _kreis_in_groups(ds: Dataset) -> Dataset:
    kreis = ds.population[ds.population["ags"] == KREIS].rename(columns={"age_from": "age"})
    grouped = _grouped(kreis, MUNICIPAL_GROUPS, ["ags", "year", "sex"])
    grouped["flag"] = ""
    return Dataset(grouped[POP_COLUMNS], names={KREIS: KREIS_NAME}, source=ds.source,
                   synthetic=ds.synthetic)
