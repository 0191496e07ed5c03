"""Monitoring: progress entries drive progress, milestones on the timeline (cached render),
the population projection frozen at adoption against actual data, indicators from the profile,
the Zwischenbilanz PDF and the plan PDF's overview pages; permissions of the new views."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.factories import make_commune
from tests.plan.conftest import goal, measure
from zwk.history.models import HistoryEvent
from zwk.plan import baseline, monitoring, pdf, review, services
from zwk.plan.models import IndicatorMeasurement, Measure, PlanVersion, ProgressEntry

pytestmark = pytest.mark.django_db
IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
D = dt.date


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def log(m, on, progress=None, note=""):
    return review.progress_entry_add(measure=m, on=on, progress=progress, note=note, by=None)


def reload(m) -> Measure:
    return Measure.objects.select_related("status").get(pk=m.pk)


@pytest.fixture
def profiled(world, media):
    """The world's commune as Arnsberg (05958004) in the Hochsauerlandkreis with the synthetic
    data (population 2011–2023)."""
    from zwk.profile import data

    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    type(world.commune).objects.filter(pk=world.commune.pk).update(ags="05958004", parent=kreis)
    world.commune.refresh_from_db()
    data.demo_data_load(programme=world.programme, by=None)
    return world.commune


# --- 1. progress entries drive progress ---------------------------------------------------------

def test_progress_entry_sets_progress_and_is_recorded(world):
    m = measure(world.commune, goal(world.commune), "Café", key="umsetzung")
    version = reload(m).version
    log(m, D(2025, 3, 1), 30, "Raum gefunden")
    m2 = reload(m)
    assert (m2.progress, m2.progress_override, m2.version) == (30, 30, version + 1)
    event = HistoryEvent.objects.filter(verb="plan.progress_logged").get()
    assert event.data["applied"] is True and event.data["previous"] == 50
    assert event.data["progress"] == 30 and event.data["date"] == "2025-03-01"


def test_older_entry_does_not_overwrite_newer_progress(world):
    m = measure(world.commune, goal(world.commune), "Café")
    log(m, D(2025, 6, 1), 60)
    log(m, D(2025, 3, 1), 20, "nachgetragen")          # back-dated: kept in the log only
    assert reload(m).progress == 60
    assert ProgressEntry.objects.filter(measure=m).count() == 2
    late = HistoryEvent.objects.filter(verb="plan.progress_logged").order_by("-pk").first()
    assert late.data["applied"] is False and late.data["newer"] == "2025-06-01"
    log(m, D(2025, 6, 1), 65)                           # same day, recorded later: wins
    assert reload(m).progress == 65
    log(m, D(2025, 7, 1), note="nur eine Notiz")        # no percentage: progress unchanged
    assert reload(m).progress == 65
    log(m, D(2025, 8, 1), 70)                           # a note-only entry is not "newer"
    assert reload(m).progress == 70


def test_progress_entry_bad_input_writes_nothing(world):
    m = measure(world.commune, goal(world.commune), "Café")
    for on, progress, note in ((D(2025, 1, 1), 101, ""), (D(2025, 1, 1), None, "  "),
                               (dt.date.today() + dt.timedelta(days=2), 10, "")):
        with pytest.raises(ValidationError):
            log(m, on, progress, note)
    assert not ProgressEntry.objects.exists() and reload(m).progress_override is None
    assert not HistoryEvent.objects.filter(verb="plan.progress_logged").exists()


def test_measure_page_shows_log_chart_and_table(world, login):
    m = measure(world.commune, goal(world.commune), "Café")
    log(m, D(2025, 2, 1), 10, "Start <b>fett</b>")
    log(m, D(2025, 5, 1), 40)
    client = login(world, "team_member")
    html = client.get(reverse("plan_measure_edit", args=[world.commune.pk, m.pk])).content.decode()
    assert "Fortschrittsverlauf und Meilensteine" in html and "Aktueller Fortschritt: 40 %" in html
    assert "01.05.2025</strong>: 40 %" in html and "&lt;b&gt;fett&lt;/b&gt;" in html
    assert 'alt="Fortschritt der Maßnahme an 2 Stichtagen: von 10 % am 01.02.2025 auf 40 %' in html
    assert "<caption>Daten: Fortschritt im Zeitverlauf</caption>" in html


def test_progress_view_says_when_a_newer_entry_keeps_progress(world, login):
    m = measure(world.commune, goal(world.commune), "Café")
    log(m, D(2025, 6, 1), 60)
    client = login(world, "coordinator")
    url = reverse("plan_progress_log", args=[world.commune.pk, m.pk])
    response = client.post(url, {"date": "2025-01-01", "progress": "10"}, follow=True)
    assert "Es gibt einen neueren Eintrag; der Fortschritt der Maßnahme bleibt bei 60 %" in \
        response.content.decode()
    response = client.post(url, {"date": "2025-01-01", "progress": "zehn"}, follow=True)
    assert "ganze Zahl zwischen 0 und 100" in response.content.decode()
    assert ProgressEntry.objects.count() == 2 and reload(m).progress == 60


# --- 2./3. milestones on the timeline, cached rendering -----------------------------------------

def test_timeline_rows_carry_milestones(world):
    g = goal(world.commune)
    m = measure(world.commune, g, "Café", start=D(2025, 1, 1), end=D(2025, 12, 31))
    log(m, D(2025, 4, 1), 25, "Eröffnung " + "x" * 80)
    rows, milestones = monitoring.timeline_rows(world.commune)
    assert rows[0]["title"] == "Café" and rows[0]["start"] == "2025-01-01"
    assert milestones[0]["measure"] == "Café" and milestones[0]["date"] == "2025-04-01"
    assert milestones[0]["title"].startswith("25 % – Eröffnung") and \
        milestones[0]["title"].endswith("…")


def test_timeline_page_shows_milestones_and_uses_cache(world, login, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    g = goal(world.commune)
    m = measure(world.commune, g, "Café", start=D(2025, 1, 1), end=D(2025, 12, 31))
    log(m, D(2025, 4, 1), 25, "Eröffnung")
    calls = []
    real = monitoring.measures_timeline
    monkeypatch.setattr(monitoring, "measures_timeline",
                        lambda *a, **kw: calls.append(1) or real(*a, **kw))
    client = login(world, "team_member")
    url = reverse("plan_timeline", args=[world.commune.pk])
    html = client.get(url).content.decode()
    assert "25 % – Eröffnung (01.04.2025)" in html and "Meilensteine" in html
    assert "data:image/svg+xml;base64," in html
    client.get(url)
    assert len(calls) == 1                         # second view: from the cache
    log(m, D(2025, 5, 1), 50)                      # new data, new fingerprint: never stale
    assert "50 % (01.05.2025)" in client.get(url).content.decode()
    assert len(calls) == 2


def test_fingerprint_changes_with_data_and_day():
    rows = [{"title": "A", "start": "2025-01-01"}]
    assert monitoring.fingerprint(rows, [], "2025-01-01") == \
        monitoring.fingerprint([{"start": "2025-01-01", "title": "A"}], [], "2025-01-01")
    assert monitoring.fingerprint(rows, [], "2025-01-01") != \
        monitoring.fingerprint(rows, [], "2025-01-02")
    assert monitoring.fingerprint(rows, [], "2025-01-01") != \
        monitoring.fingerprint([{"title": "B", "start": "2025-01-01"}], [], "2025-01-01")


# --- 4. population against the projection frozen at the plan's start ---------------------------

def test_population_sentence_german():
    assert monitoring.population_sentence("Bergstadt", 2025, 22_612, 22_300) == (
        "2025 lebten 312 Menschen mehr in Bergstadt als zu Planbeginn vorausberechnet (+1,4 %).")
    assert monitoring.population_sentence("B", 2025, 999, 1000) == (
        "2025 lebte 1 Mensch weniger in B als zu Planbeginn vorausberechnet (−0,1 %).")


def test_adoption_freezes_projection_and_later_data_does_not_change_it(profiled):
    g = goal(profiled)
    measure(profiled, g, "Café")
    v1 = services.plan_adopt(commune=profiled, label="Beschluss", adopted_on=D(2024, 3, 1),
                             by=None)
    frozen = PlanVersion.objects.get(pk=v1.pk).snapshot[baseline.SNAPSHOT_KEY]
    assert frozen["scenario"] == "basis" and frozen["base_year"] == 2023
    assert frozen["years"][0] == 2023 and len(frozen["years"]) == len(frozen["totals"])
    assert frozen["totals"][0] == 72903 and "synthetisch" in frozen["source"]
    assert set(frozen["age_groups"]) == {"unter 18", "18 bis 64", "65 und älter"}
    assert sum(v[0] for v in frozen["age_groups"].values()) == pytest.approx(72903, abs=3)
    # Newest data only reaches the base year: a clear hint, no sentence.
    check = monitoring.population_check(profiled)
    assert check["sentence"] == "" and "reichen bis 2023" in check["hint"]
    # Pretend the plan started earlier (projection from 2020): 2021–2023 are now comparable,
    # and the stored numbers, not today's projection, are what counts.
    snapshot = dict(v1.snapshot)
    snapshot[baseline.SNAPSHOT_KEY] = {**frozen, "base_year": 2020, "years": [2020, 2021, 2022,
                                                                             2023, 2024],
                                       "totals": [73762, 73500, 73000, 72600, 72300]}
    PlanVersion.objects.filter(pk=v1.pk).update(snapshot=snapshot)
    check = monitoring.population_check(profiled)
    assert check["sentence"] == ("2023 lebten 303 Menschen mehr in Bergstadt als zu Planbeginn "
                                 "vorausberechnet (+0,4 %).")
    assert check["table"]["rows"][3] == [2023, 72600, 72903, 303]
    assert check["chart"].svg.startswith("<svg")
    # A later version freezes its own projection but the first one stays the baseline.
    services.plan_adopt(commune=profiled, label="Zweite", adopted_on=D(2025, 1, 1), by=None)
    assert monitoring.population_check(profiled)["base_year"] == 2020


def test_adoption_without_profile_data_and_the_hint(world):
    g = goal(world.commune)
    measure(world.commune, g, "Café")
    v = services.plan_adopt(commune=world.commune, label="B", adopted_on=D(2024, 1, 1), by=None)
    assert v.snapshot[baseline.SNAPSHOT_KEY] is None
    check = monitoring.population_check(world.commune)
    assert "keine Bevölkerungsvorausberechnung eingefroren" in check["hint"]


def test_version_page_says_whether_a_projection_was_frozen(world, profiled, login):
    g = goal(profiled)
    measure(profiled, g, "Café")
    services.plan_adopt(commune=profiled, label="B", adopted_on=D(2024, 1, 1), by=None)
    html = login(world, "team_member").get(
        reverse("plan_version", args=[profiled.pk, 1])).content.decode()
    assert "Bevölkerungsvorausberechnung „Basisvariante“ mit Basisjahr 2023" in html


# --- 5. indicators from the profile ---------------------------------------------------------------

def test_indicator_from_profile_takes_newest_value_once_per_year(profiled):
    g = goal(profiled, "Älter werden", indicator_key="altenquotient",
             baseline_value=Decimal("45"), baseline_year=2020, target_value=Decimal("44"))
    item = review.indicator_from_profile(goal=g, by=None)
    assert item.measured_on == D(2023, 12, 31) and item.value == Decimal("48.0")
    assert item.source == "Kommunalprofil, Datenstand 2023 (synthetische Demodaten)"
    with pytest.raises(services.PlanError, match="Für 2023 gibt es schon eine Messung"):
        review.indicator_from_profile(goal=g, by=None)
    own = goal(profiled, "Eigene", indicator_name="Vereine", indicator_unit="Anzahl")
    with pytest.raises(services.PlanError, match="keine Kennzahl aus dem Kommunalprofil"):
        review.indicator_from_profile(goal=own, by=None)
    people = goal(profiled, "Einwohnerzahl halten", indicator_key="bevoelkerung")
    assert review.indicator_from_profile(goal=people, by=None).value == Decimal(72903)
    assert IndicatorMeasurement.objects.count() == 2


def test_indicator_from_profile_without_data(world):
    g = goal(world.commune, "Älter werden", indicator_key="altenquotient")
    with pytest.raises(services.PlanError, match="Bitte laden Sie zuerst Bevölkerungsdaten"):
        review.indicator_from_profile(goal=g, by=None)
    assert not IndicatorMeasurement.objects.exists()


def test_trend_pure():
    t = review.trend_of(previous=Decimal(40), latest=Decimal(38), baseline=Decimal(40),
                        target=Decimal(36))
    assert t["arrow"] == "↓" and t["towards"] is True and t["text"] == "↓ −2 (in Richtung Ziel)"
    t = review.trend_of(previous=Decimal(40), latest=Decimal("41.5"), baseline=Decimal(40),
                        target=Decimal(36))
    assert t["towards"] is False and "vom Ziel weg" in t["text"]
    assert review.trend_of(previous=None, latest=Decimal(1), baseline=None,
                           target=None)["text"] == ""


def test_review_page_shows_trend_profile_button_and_population(world, profiled, login):
    g = goal(profiled, "Älter werden", indicator_key="altenquotient",
             baseline_value=Decimal("50"), baseline_year=2020, target_value=Decimal("46"))
    measure(profiled, g, "Café")
    services.plan_adopt(commune=profiled, label="B", adopted_on=D(2024, 1, 1), by=None)
    r = review.review_create(commune=profiled, title="Halbzeit", held_on=D(2025, 6, 1), by=None)
    client = login(world, "coordinator")
    url = reverse("plan_review", args=[profiled.pk, r.pk])
    html = client.get(url).content.decode()
    assert "Aus dem Kommunalprofil übernehmen" in html and "Altenquotient" in html
    assert "Bevölkerung: tatsächlich und vorausberechnet" in html and "reichen bis 2023" in html
    response = client.post(reverse("plan_indicator_from_profile", args=[profiled.pk, g.pk]),
                           {"zwischenbilanz": r.pk}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"{url}#kennzahlen")
    assert "Aus dem Kommunalprofil übernommen: 48 (Stand 31.12.2023)" in html
    assert "↓ −2 (in Richtung Ziel)" in html
    assert "Daten: Messungen zu „Älter werden“" in html and "Altenquotient: Ziel und Ist" in html
    assert "Ausgangswert 50 am 31.12.2020; Messung 48 am 31.12.2023" in html
    assert "<td>48 (31.12.2023)<br>" in html and "<td>46</td>" in html
    again = client.post(reverse("plan_indicator_from_profile", args=[profiled.pk, g.pk]),
                        {"zwischenbilanz": r.pk}, follow=True)
    assert "Für 2023 gibt es schon eine Messung" in again.content.decode()


# --- 6. PDFs ---------------------------------------------------------------------------------------

def test_review_pdf_has_every_part_and_prints_markup_literally(world):
    commune = world.commune
    g = goal(commune, "Wohnen #1 *fett*", indicator_name="Leerstand", indicator_unit="Häuser",
             baseline_value=Decimal(40), target_value=Decimal(30))
    a = measure(commune, g, "Café $x$ ]", key="umsetzung", budget=Decimal(1200))
    measure(commune, g, "Bus")
    services.plan_adopt(commune=commune, label="Beschluss", adopted_on=D(2024, 1, 1), by=None)
    measure(commune, g, "Neu dazu")
    r = review.review_create(commune=commune, title="Halbzeit #2", held_on=D(2025, 6, 1),
                             by=None)
    review.measure_reviews_save(review=r, by=None, entries={
        a.pk: {"state": "delayed", "progress": "30", "barriers": "Kein Raum #[x]",
               "enablers": "Verein * hilft"}})
    review.indicator_measurement_add(goal=g, value=Decimal(35), measured_on=D(2025, 1, 1),
                                     source="Zählung", by=None)
    review.review_decision_add(review=r, text="Raum suchen ] #set page(width: 1cm)",
                               responsible="Bauamt", due=D(2025, 9, 1), by=None)
    review.review_continuation_save(review=r, by=None, data={
        "has_budget_line": "1", "continuation_notes": "Beirat $$", "notes": "Gut *gelaufen*"})
    review.review_finish(review=r, label="Fortschreibung", adopted_on=D(2025, 7, 1),
                         resolution="GR 7/25", by=None)
    r.refresh_from_db()
    text = pdf_text(pdf.review_pdf(r))
    for expected in ("Zwischenbilanz", "Halbzeit #2", "01.06.2025", "Gut *gelaufen*",
                     "Café $x$ ]", "verzögert", "Kein Raum #[x]", "Verein * hilft",
                     "Wohnen #1 *fett*", "Leerstand", "50 %", "Raum suchen ] #set page(width: 1cm)",
                     "Bauamt", "Haushaltsstelle", "Beirat $$", "keine Bevölkerungsvorausberechnung",
                     "Fortschreibung im Vergleich zum Ausgangsplan", "1. Beschluss",
                     "2. Fortschreibung", "Neu dazu", "Fortschritt in %",
                     "Wohnen #1 *fett*: Leerstand: Ziel und Ist"):
        assert expected in text.replace("\n", " ") or expected in text, expected


def test_plan_pdf_has_one_overview_page_per_action_field(world):
    commune = world.commune
    first, second = list(commune.action_fields.all()[:2])
    g1 = goal(commune, "Wohnen im Alter", field=first)
    goal(commune, "Unterziel Pflege", parent=g1)
    measure(commune, g1, "Café", key="umsetzung", budget=Decimal(1000))
    measure(commune, g1, "Bus", budget=Decimal(500))
    g2 = goal(commune, "Jugend", field=second)
    measure(commune, g2, "Treff")
    text = pdf_text(pdf.plan_pdf(commune))
    assert f"Überblick: {first.name}" in text and f"Überblick: {second.name}" in text
    assert "Unterziel: Unterziel Pflege" in text and "1.500 €" in text
    assert "2 von 2 Maßnahmen mit Budget" in text
    assert text.index(f"Überblick: {second.name}") < text.index("Ziel: Wohnen im Alter")


def test_review_pdf_view(world, login):
    g = goal(world.commune)
    measure(world.commune, g, "Café")
    r = review.review_create(commune=world.commune, title="H", held_on=D(2025, 1, 2), by=None)
    response = login(world, "team_member").get(
        reverse("plan_review_pdf", args=[world.commune.pk, r.pk]))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    assert 'filename="zwischenbilanz-bergstadt-2025-01-02.pdf"' in response["Content-Disposition"]
    assert "Es gibt noch keine beschlossene Ausgangsfassung" in pdf_text(response.content)


# --- 7. permissions of the new views -------------------------------------------------------------

def _prepared(w):
    w.goal = goal(w.commune, "Leitziel", indicator_key="altenquotient")
    w.measure = measure(w.commune, w.goal, "Bus", start=D(2025, 1, 1))
    w.review = review.review_create(commune=w.commune, title="H", held_on=D(2025, 1, 1),
                                    by=None)


def url(name, w, **kw):
    return reverse(name, kwargs={"pk": w.commune.pk, **kw})


CASES = [
    Case("timeline", IN_COMMUNE, "get", lambda w: url("plan_timeline", w), prepare=_prepared),
    Case("reviews", IN_COMMUNE, "get", lambda w: url("plan_reviews", w), prepare=_prepared),
    Case("review_pdf", IN_COMMUNE, "get",
         lambda w: url("plan_review_pdf", w, review_pk=w.review.pk), prepare=_prepared),
    Case("measure_page", IN_COMMUNE, "get",
         lambda w: url("plan_measure_edit", w, measure_pk=w.measure.pk), prepare=_prepared),
    Case("progress_log", IN_COMMUNE, "post",
         lambda w: url("plan_progress_log", w, measure_pk=w.measure.pk),
         lambda w: {"date": "2025-02-01", "progress": "20"},
         lambda w: reload(w.measure).progress == 20, prepare=_prepared),
    Case("indicator_measure", IN_COMMUNE, "post",
         lambda w: url("plan_indicator_measure", w, goal_pk=w.goal.pk),
         lambda w: {"value": "3", "measured_on": "2025-01-01"},
         lambda w: IndicatorMeasurement.objects.exists(), prepare=_prepared),
    # No profile data in this world: allowed roles get the German message, nothing is written.
    Case("indicator_from_profile", IN_COMMUNE, "post",
         lambda w: url("plan_indicator_from_profile", w, goal_pk=w.goal.pk),
         prepare=_prepared),
    Case("review_create", IN_COMMUNE, "post", lambda w: url("plan_reviews", w),
         lambda w: {"title": "Neu", "held_on": "2025-02-01"},
         lambda w: w.commune.plan_reviews.filter(title="Neu").exists(), prepare=_prepared),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_monitoring_permissions(world, login, role, case):
    assert_case(case, role, world, request_case(case, role, world, login))
    assert not IndicatorMeasurement.objects.filter(source__startswith="Kommunalprofil").exists()


def test_goal_page_offers_profile_value_and_returns_there(world, profiled, login):
    g = goal(profiled, "Älter werden", indicator_key="altenquotient")
    client = login(world, "team_member")
    page = reverse("plan_goal_edit", args=[profiled.pk, g.pk])
    assert "Aus dem Kommunalprofil übernehmen" in client.get(page).content.decode()
    response = client.post(reverse("plan_indicator_from_profile", args=[profiled.pk, g.pk]))
    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).content.decode()
    assert "31.12.2023: 48" in html and "Kommunalprofil, Datenstand 2023" in html
    own = goal(profiled, "Vereine", indicator_name="Vereine")
    assert "Aus dem Kommunalprofil übernehmen" not in client.get(
        reverse("plan_goal_edit", args=[profiled.pk, own.pk])).content.decode()
