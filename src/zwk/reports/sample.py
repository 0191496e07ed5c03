"""A realistic synthetic Kommunalprofil (about ten pages) for demos, tests and benchmarks.

The numbers follow the magnitudes of a Sauerland town (DOMAIN.md) but are invented: the
report is marked synthetic and prints the banner on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zwk.reports.model import (
    THEMATIC_CHAPTERS,
    ActionFieldCandidate,
    Chapter,
    Figure,
    InventoryRow,
    KeyFigure,
    ProfileReport,
    Source,
    Swot,
    SwotItem,
)

if TYPE_CHECKING:
    from zwk.charts import Chart

AGE_GROUPS = [
    "unter 3",
    "3 bis unter 6",
    "6 bis unter 10",
    "10 bis unter 15",
    "15 bis unter 18",
    "18 bis unter 20",
    "20 bis unter 25",
    "25 bis unter 30",
    "30 bis unter 35",
    "35 bis unter 40",
    "40 bis unter 45",
    "45 bis unter 50",
    "50 bis unter 55",
    "55 bis unter 60",
    "60 bis unter 65",
    "65 bis unter 75",
    "75 und mehr",
]


def sample_charts(commune: str = "Musterstadt (Sauerland)") -> list[Chart]:
    """The charts of section 3.1, built from synthetic data with `zwk.charts`."""
    from zwk import charts

    rng = np.random.default_rng(7)
    width = np.array([3, 3, 4, 5, 3, 2, 5, 5, 5, 5, 5, 5, 5, 5, 5, 10, 15])
    shape = np.array(
        [0.8, 0.8, 0.85, 0.9, 0.95, 1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 1.3, 1.5, 1.5, 1.35, 1.1, 0.55]
    )
    men = np.round(width * shape * 95 + rng.normal(0, 20, 17))
    women = np.round(width * shape * 97 + rng.normal(0, 20, 17))
    women[-1] *= 1.5
    later_m, later_w = (
        np.round(men * np.linspace(0.8, 1.25, 17)),
        np.round(women * np.linspace(0.8, 1.2, 17)),
    )
    observed_years = list(range(2011, 2024))
    observed = np.round(np.linspace(26800, 25300, 13) + rng.normal(0, 60, 13))
    years = list(range(2023, 2041))
    median = np.linspace(observed[-1], 22900, len(years))
    spread = np.linspace(0, 1, len(years))
    return [
        charts.population_pyramid(
            AGE_GROUPS,
            men,
            women,
            year=2023,
            compare_men=later_m,
            compare_women=later_w,
            compare_year=2040,
            commune=commune,
        ),
        charts.population_development(
            observed_years,
            observed,
            projection_years=years,
            projection=np.round(median),
            low=np.round(median - 1500 * spread),
            high=np.round(median + 1100 * spread),
            base_year=2023,
            commune=commune,
        ),
        charts.fan_chart(
            years,
            {p: np.round(median + (p - 50) * 40 * spread) for p in (5, 10, 25, 50, 75, 90, 95)},
            base_year=2023,
            commune=commune,
        ),
        charts.age_groups_over_time(
            years,
            {
                "unter 18": np.linspace(4100, 3400, len(years)),
                "18 bis 64": np.linspace(15000, 12300, len(years)),
                "65 bis 79": np.linspace(4200, 4900, len(years)),
                "80 und älter": np.linspace(2000, 2300, len(years)),
            },
            commune=commune,
        ),
        charts.balance_over_time(
            list(range(2014, 2024)),
            np.round(np.linspace(-90, -160, 10) + rng.normal(0, 15, 10)),
            np.round(rng.normal(40, 120, 10)),
            commune=commune,
        ),
        charts.migration_by_life_phase(
            charts.LIFE_PHASES,
            [4.1, -48.2, -9.5, 1.8, 0.6],
            reference_rates=[3.0, -35.0, -6.1, 2.4, 1.1],
            commune=commune,
        ),
    ]


def sample_profile_report(*, with_charts: bool = True) -> ProfileReport:
    commune = "Musterstadt (Sauerland)"
    figures = [
        Figure.from_chart(c, source="Synthetische Demodaten, eigene Darstellung")
        for c in (sample_charts(commune) if with_charts else [])
    ]
    long_text = (
        "Die Stadt liegt im Hochsauerland zwischen bewaldeten Höhenzügen. "
        "Die Kernstadt bündelt Verwaltung, Schulen und Einzelhandel; 16 Ortsteile "
        "prägen das Bild, einige davon mit weniger als 300 Einwohner:innen. "
    ) * 3
    chapters = [
        Chapter(
            title,
            long_text + "\n\n- Befund aus den Interviews\n- Befund aus der "
            "Statistik\n- Offene Frage für die Zukunftswerkstatt",
        )
        for title in THEMATIC_CHAPTERS
    ]
    return ProfileReport(
        commune=commune,
        commune_type="Stadt",
        ags="05958999",
        state="Nordrhein-Westfalen",
        author="Beratung: Muster & Partner",
        synthetic=True,
        key_figures=[
            KeyFigure("Einwohner:innen 31.12.2023", 25310),
            KeyFigure("Veränderung seit 2011", -5.6, "%"),
            KeyFigure("Durchschnittsalter", 46.8, "Jahre"),
            KeyFigure("Altenquotient", 41.2, note="65+ je 100 Personen von 20–64"),
            KeyFigure("Jugendquotient", 31.5, note="unter 20 je 100 von 20–64"),
            KeyFigure("Vorausberechnung 2040", -9.5, "%", "Median, Basis 2023"),
        ],
        basics=long_text,
        geography=long_text + "\n\n" + long_text,
        demography_text=long_text,
        figures=figures,
        chapters=chapters,
        policy_text=long_text,
        inventory=[
            InventoryRow(
                f"Projekt {i}",
                "Wohnen & Ortsentwicklung" if i % 2 else "Mobilität & Erreichbarkeit",
                "Fachbereich Stadtentwicklung",
                "2021–2024",
                "laufend" if i % 3 else "abgeschlossen",
                "Förderung Land NRW",
            )
            for i in range(1, 13)
        ],
        swot=Swot(
            strengths=[
                SwotItem(
                    "Lebendiges Vereinsleben in allen Ortsteilen", "Interviews mit 12 Akteur:innen"
                ),
                SwotItem("Hohe Wohneigentumsquote", "Zensus, eigene Auswertung"),
            ],
            weaknesses=[
                SwotItem(
                    "Starke Abwanderung der 18- bis 24-Jährigen", "Bildungswanderung −48 je 1.000"
                ),
                SwotItem("Lücken im Busverkehr am Abend"),
            ],
            opportunities=[
                SwotItem("Rückkehrende Familien gezielt ansprechen", "Familienwanderung positiv")
            ],
            threats=[
                SwotItem("Hausärztliche Versorgung bis 2030 gefährdet", "Altersstruktur der Praxen")
            ],
        ),
        action_fields=[
            ActionFieldCandidate(
                "Wohnen & Orts-/Stadtentwicklung",
                "Leerstand in Ortskernen, Nachfrage junger Familien",
            ),
            ActionFieldCandidate(
                "Gesundheit, Pflege & Leben im Alter", "Steigende Zahl Hochaltriger"
            ),
            ActionFieldCandidate("Kinder, Jugend & Familie"),
        ],
        outlook_text="Die Zukunftswerkstatt im Frühjahr wählt aus diesen Handlungsfeldern aus.",
        sources=[
            Source("Interviews mit Schlüsselakteur:innen", "Muster & Partner", retrieved="03/2024")
        ],
    )
