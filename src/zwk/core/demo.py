"""The demo: a programme with the Hochsauerlandkreis, its 12 towns and four invented communes.

Everything here is synthetic and labelled so (Programme.is_demo shows a banner on every page).
The data is written through the same services as real work, so the history looks real too.
Loading is idempotent: a second run finds the demo programme and only refreshes the logins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zwk.communes import services as communes
from zwk.communes.models import Membership, Programme, ProgrammeRole
from zwk.process import services as process
from zwk.process.models import Stage
from zwk.process.stages import STAGE_TYPES
from zwk.profile import data as profile_data
from zwk.profile.services import profile_approve

PROGRAMME_SLUG = "zwk-2021-2024"  # a stable key (tests, bookmarks); the title has the years
SCHEDULE_START_DAYS_AGO = 200  # the first stage began this many days before the demo is loaded
STAGE_DAYS = 150


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    name: tuple[str, str]
    email: str


LOGINS = (
    DemoLogin("programme-office", "geschaeftsstelle", "Demo-Geschaeftsstelle-2024",
              ("Greta", "Stelle"), "geschaeftsstelle@demo.zwk.invalid"),
    DemoLogin("consultant", "berater", "Demo-Berater-2024", ("Bernd", "Rater"),
              "berater@demo.zwk.invalid"),
    DemoLogin("coordinator", "koordination", "Demo-Koordination-2024", ("Karla", "Ordner"),
              "koordination@demo.zwk.invalid"),
    DemoLogin("team-member", "team", "Demo-Team-2024", ("Tim", "Mitglied"),
              "team@demo.zwk.invalid"),
)
SECOND_CONSULTANT = DemoLogin("consultant", "beraterin2", "Demo-Beraterin-2024",
                              ("Bea", "Weitblick"), "beraterin2@demo.zwk.invalid")

# Hochsauerlandkreis and its towns: keys and 30.06.2020 population from DOMAIN.md.
HSK_TOWNS = (
    ("Arnsberg", "05958004", "stadt", 73573), ("Bestwig", "05958008", "gemeinde", 10654),
    ("Brilon", "05958012", "stadt", 25452), ("Eslohe (Sauerland)", "05958016", "gemeinde", 8818),
    ("Hallenberg", "05958020", "stadt", 4485), ("Marsberg", "05958024", "stadt", 19506),
    ("Medebach", "05958028", "stadt", 7989), ("Meschede", "05958032", "stadt", 29720),
    ("Olsberg", "05958036", "stadt", 14453), ("Schmallenberg", "05958040", "stadt", 24834),
    ("Sundern (Sauerland)", "05958044", "stadt", 27645), ("Winterberg", "05958048", "stadt", 12548),
)
# Invented communes (no AGS, so they cannot be mistaken for real ones), each at another stage.
INVENTED = (
    ("Neustadt am Beispielsee (Demo)", "stadt", "13", "nord_ost", 18200, 3),
    ("Samtgemeinde Musterheide (Demo)", "verbund", "03", "west", 21400, 1),
    ("Kreisstadt Beispielburg (Demo)", "stadt", "16", "nord_ost", 34100, 2),
    ("Talheim am Mustertal (Demo)", "gemeinde", "08", "sued", 6900, 4),
)


def login_lines(logins=LOGINS) -> list[str]:
    return [f"Login {login.role}: {login.username} / {login.password}" for login in logins]


@transaction.atomic
def load() -> tuple[DemoLogin, ...]:
    users = {login.username: _user(login) for login in (*LOGINS, SECOND_CONSULTANT)}
    if Programme.objects.filter(slug=PROGRAMME_SLUG).exists():
        return LOGINS
    starts_on, ends_on = programme_period()
    programme = Programme.objects.create(
        name=f"Zukunftswerkstatt Kommunen {starts_on.year}–{ends_on.year}", slug=PROGRAMME_SLUG,
        starts_on=starts_on, ends_on=ends_on, is_demo=True)
    office = users["geschaeftsstelle"]
    ProgrammeRole.objects.create(user=office, programme=programme)
    kreis = _commune(programme, office, "Hochsauerlandkreis", "kreis", "05", "west", 259677,
                     ags="05958")
    towns = [_commune(programme, office, name, kind, "05", "west", population, ags=ags,
                      parent=kreis) for name, ags, kind, population in HSK_TOWNS]
    invented = [(_commune(programme, office, name, kind, land, cluster, population), done)
                for name, kind, land, cluster, population, done in INVENTED]
    _staff(kreis, office, users)
    for town in towns:
        communes.membership_add(commune=town, user=users["berater"],
                                role=Membership.Role.CONSULTANT, by=office)
    for commune, _done in invented:
        communes.membership_add(commune=commune, user=users["beraterin2"],
                                role=Membership.Role.CONSULTANT, by=office)
    _progress_kreis(kreis, users)
    for index, town in enumerate(towns):
        _progress(town, users["berater"], done=index % 3, overdue=index % 4 == 1)
    profile_data.demo_data_load(programme=programme, by=office)
    # Talheim's Werkstattplan is adopted before its plan stage is signed off (the gate item
    # "Der Plan ist beschlossen" is derived from the adopted version).
    _toolbox_exchange({commune.name: commune for commune, _done in invented}, users)
    for commune, done in invented:
        _progress(commune, users["beraterin2"], done=done, overdue=done == 1,
                  blocked=done == 2)
    _warm_profiles(kreis, towns)
    return LOGINS


def _warm_profiles(kreis, towns) -> None:
    """Compute the demo profiles once after loading, into the shared profile cache (files in
    the data folder, or Redis), so a newcomer's first profile view is fast in every worker.

    It runs in a fresh, detached process after the commit, beside the server start (not
    waited for: a view before it is done computes for itself): the loading process, which may
    go on to fork server workers, never starts numerical thread pools or a chart renderer."""
    from django.conf import settings

    from zwk.profile import cache as shared

    if shared.ALIAS not in settings.CACHES:
        return  # no shared level: a warm-up in another process would help nobody
    pks = [kreis.pk, *(town.pk for town in towns)]
    transaction.on_commit(lambda: _start_warm_up(pks))


#: The running warm-up process (benchmarks wait for it); `zwk demo` never does.
WARMING: list = []


def _start_warm_up(pks: list[int]) -> None:
    """A detached Python process (own session, not a child the CLI waits for at exit)."""
    import subprocess
    import sys

    WARMING.append(subprocess.Popen(
        [sys.executable, "-c", "import sys; from zwk.core.warmup import main; main(sys.argv[1:])",
         *map(str, pks)], start_new_session=True, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def programme_period() -> tuple[dt.date, dt.date]:
    """The demo programme runs over the stage schedule `_schedule` lays out around today, so
    its title and the stages' deadlines tell the same years."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=SCHEDULE_START_DAYS_AGO + 30)
    end = today + dt.timedelta(days=5 * STAGE_DAYS - SCHEDULE_START_DAYS_AGO + 30)
    return start, end


def _toolbox_exchange(communes_by_name, users) -> None:
    """One measure of Talheim shared as good practice and approved, and Neustadt adopting it
    into its Werkstattplan: the exchange between communes, visible in the demo."""
    from zwk.plan import services as plan
    from zwk.toolbox import services as toolbox
    from zwk.toolbox.loader import load_shipped_tools
    from zwk.toolbox.models import Tool, Topic

    load_shipped_tools(Topic, Tool)  # idempotent; the migration loaded them on a fresh database
    consultant, office = users["beraterin2"], users["geschaeftsstelle"]
    talheim = communes_by_name["Talheim am Mustertal (Demo)"]
    neustadt = communes_by_name["Neustadt am Beispielsee (Demo)"]

    def first_goal(commune, title):
        field = commune.action_fields.get(name="Mobilität & Erreichbarkeit")
        return plan.goal_create(commune=commune, by=consultant,
                                data={"action_field": field, "title": title})

    status = plan.default_status(programme=talheim.programme)
    measure = plan.measure_create(commune=talheim, by=consultant, data={
        "goal": first_goal(talheim, "Ortsteile ohne eigenes Auto erreichbar machen"),
        "title": "Mitfahrbänke in allen Ortsteilen", "status": status,
        "description": "An gut sichtbaren Stellen stehen Bänke mit Zielschildern; wer dort "
                       "sitzt, wird von Autofahrenden aus dem Ort mitgenommen (Demo).",
        "target_groups": "Ältere Menschen, Jugendliche", "lead": "Ordnungsamt Talheim (Demo)",
        "start": timezone.localdate() - dt.timedelta(days=270),
        "end": timezone.localdate() + dt.timedelta(days=270)})
    practice = toolbox.practice_share_from_measure(measure=measure, by=consultant,
                                                   data=toolbox.ToolData(
        title="Mitfahrbänke in allen Ortsteilen",
        summary=measure.description + "\n\nZielgruppen: " + measure.target_groups,
        topics=list(Topic.objects.filter(slug__in=("kooperation", "begegnung"))),
        commune_kinds=["gemeinde"], min_population=2000, max_population=15000,
        effort="low", where_used="Talheim am Mustertal (Demo)",
        origin="Talheim am Mustertal (Demo)",
        outcome="Nach einem Jahr nutzen gut 30 Menschen die Bänke regelmäßig (Demo).",
        contact="Ordnungsamt Talheim, mitfahrbank@talheim.demo.invalid"))
    _werkstattplan(talheim, consultant)
    toolbox.practice_submit(tool=practice, by=consultant)
    practice = toolbox.tool_publish(tool=practice, by=office)
    toolbox.tool_adopt_into_plan(tool=practice, by=consultant,
                                 goal=first_goal(neustadt, "Mobilität im Umland verbessern"),
                                 note="Start in zwei Ortsteilen (Demo).")


# Talheim's plan beside the Mitfahrbänke: (Handlungsfeld, goal, target, measures as (title,
# status key, start and end in months from today, budget)).
TALHEIM_PLAN = (
    ("Gesundheit, Pflege & Leben im Alter", "Ärztliche Versorgung im Ort halten",
     ("Hausärzt:innen im Ort", "Personen", 2, 3),
     (("Praxisräume im alten Rathaus herrichten", "umsetzung", -14, 6, 180000),
      ("Stipendium für Medizinstudierende mit Landarzt-Zusage", "vorbereitung", -4, 30, 24000))),
    ("Bürgerschaftliches Engagement & Ehrenamt", "Ehrenamt für alle Generationen stärken",
     None,
     (("Ehrenamtsbörse im Gemeindeblatt und online", "abgeschlossen", -20, -8, 1500),
      ("Nachbarschaftshilfe „Talheim hilft“ aufbauen", "verzoegert", -10, 8, 6000))),
    ("Kultur, Freizeit & Begegnung", "Treffpunkte in jedem Ortsteil",
     None,
     (("Dorfcafé im Gemeindehaus Unterheim", "umsetzung", -6, 12, 12000),)),
)


def _werkstattplan(talheim, consultant) -> None:
    """Talheim (in its Zwischenbilanz) gets a plan with a SMART goal, measures over time with
    progress entries and planned milestones, and the adopted baseline of 12 months ago."""
    from zwk.plan import milestones, review
    from zwk.plan import services as plan

    today = timezone.localdate()
    statuses = {s.key: s for s in plan.statuses_ensure(programme=talheim.programme)}

    def month(offset: int) -> dt.date:
        return today + dt.timedelta(days=30 * offset)

    measures = []
    for field_name, title, target, rows in TALHEIM_PLAN:
        smart = {} if target is None else {
            "indicator_name": target[0], "indicator_unit": target[1],
            "indicator_source": "Gemeindeverwaltung (Demo)", "baseline_value": target[2],
            "baseline_year": month(-12).year, "target_value": target[3],
            "target_date": month(36)}
        goal = plan.goal_create(commune=talheim, by=consultant, data={
            "action_field": talheim.action_fields.get(name=field_name), "title": title,
            **smart})
        for name, key, start, end, budget in rows:
            measures.append(plan.measure_create(commune=talheim, by=consultant, data={
                "goal": goal, "title": name, "status": statuses[key], "start": month(start),
                "end": month(end), "budget": budget, "lead": "Hauptamt Talheim (Demo)"}))
    plan.plan_adopt(commune=talheim, label="Werkstattplan Talheim", adopted_on=month(-12),
                    resolution="GR 17/2025 (Demo)", by=consultant)
    rooms, stipend = measures[0], measures[1]
    review.progress_entry_add(measure=rooms, on=month(-5), progress=30, by=consultant,
                              note="Bauantrag genehmigt (Demo).")
    review.progress_entry_add(measure=rooms, on=month(-1), progress=60, by=consultant,
                              note="Rohbau fertig (Demo).")
    milestones.milestone_add(measure=rooms, title="Praxis eröffnet", due=month(5),
                             by=consultant)
    milestones.milestone_add(measure=stipend, title="Satzung im Gemeinderat", due=month(-1),
                             by=consultant)


def _user(login: DemoLogin):
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=login.username,
        defaults={"first_name": login.name[0], "last_name": login.name[1], "email": login.email})
    user.set_password(login.password)
    user.is_active = True
    user.save()
    return user


def _commune(programme, by, name, kind, land, cluster, population, *, ags="", parent=None):
    data = communes.CommuneData(name=name, kind=kind, land=land, ags=ags, parent=parent,
                                cluster=cluster, population=population)
    return communes.commune_create(programme=programme, data=data, by=by)


def _staff(kreis, office, users) -> None:
    for username, role in (("koordination", Membership.Role.COORDINATOR),
                           ("team", Membership.Role.TEAM_MEMBER),
                           ("berater", Membership.Role.CONSULTANT)):
        communes.membership_add(commune=kreis, user=users[username], role=role, by=office)


def _schedule(commune, by, *, overdue: bool) -> None:
    """Plan the five stages over about three years, one stage after another."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=SCHEDULE_START_DAYS_AGO)
    for stage in commune.stages.order_by("number"):
        end = start + dt.timedelta(days=STAGE_DAYS)
        process.stage_set_dates(stage=stage, by=by, dates=process.StageDates(
            planned_start=start, planned_end=end))
        start = end
    if overdue:
        first_open = commune.stages.exclude(status=Stage.Status.DONE).order_by("number").first()
        process.stage_set_dates(stage=first_open, by=by, dates=process.StageDates(
            planned_start=today - dt.timedelta(days=120), planned_end=today - dt.timedelta(days=9)))


def _complete_stage(stage, by) -> None:
    today = timezone.localdate()
    process.meeting_record(stage=stage, by=by, data=process.MeetingData(
        title=f"{stage.type.title}: Arbeitstreffen", date=today - dt.timedelta(days=60),
        participants_count=18, participant_groups="Verwaltung, Vereine, Jugend, Seniorenbeirat",
        agenda="1. Begrüßung\n2. Stand der Arbeit\n3. Nächste Schritte",
        minutes="Synthetisches Demo-Protokoll: Die Teilnehmenden besprachen den Stand und "
                "vereinbarten die nächsten Schritte."))
    if stage.key == "workshop":
        _workshop_result(stage.commune, by)
    if stage.key == "plan":
        process.decision_record(stage=stage, by=by, data=process.DecisionData(
            decided_on=today - dt.timedelta(days=30), title="Werkstattplan beschlossen",
            body="Gemeinderat", reference="Demo-2024/017"))
    for item in STAGE_TYPES[stage.key].checklist:
        if item.derived is None and item.required:
            process.checklist_tick(stage=stage, item_key=item.key, done=True, by=by)
    if stage.key == "profile":
        profile_approve(commune=stage.commune, by=by)
    process.stage_complete(stage=stage, by=by)


def _workshop_result(commune, by) -> None:
    """A closed live workshop with flipchart cards and counted paper dots: its record documents
    the workshop and its ranking prioritises the Handlungsfelder (both derived gate items)."""
    from zwk.workshop import services as workshop

    session = workshop.session_create(commune=commune, by=by, data=workshop.SessionData(
        title="Zukunftswerkstatt im Bürgerhaus (Demo)"))
    phase = session.phases.order_by("position").last()
    assert phase is not None  # a new session always has its phases
    for text, points in (("Ärztliche Versorgung im Ort sichern", 23),
                         ("Treffpunkte für Jung und Alt", 17),
                         ("Busse auch am Abend und am Wochenende", 12)):
        card = workshop.analogue_card_add(session=session, phase_id=phase.pk, text=text, by=by)
        workshop.analogue_votes_set(card=card, points=points, by=by)
    workshop.session_control(session=session, action="close", by=by)


def _progress(commune, consultant, *, done: int, overdue: bool = False,
              blocked: bool = False) -> None:
    stages = list(commune.stages.order_by("number"))
    for stage in stages[:done]:
        _complete_stage(stage, consultant)
    _schedule(commune, consultant, overdue=overdue)
    if done < len(stages):
        current = stages[done]
        first = current.type.checklist[1] if len(current.type.checklist) > 1 else None
        if first is not None and first.derived is None:
            process.checklist_tick(stage=current, item_key=first.key, done=True, by=consultant)
        if blocked:
            process.stage_block(stage=current, by=consultant,
                                reason="Die Stelle der Koordination ist seit zwei Monaten "
                                       "unbesetzt (Demo).")


def _progress_kreis(kreis, users) -> None:
    """The Hochsauerlandkreis: Kick-Off done with minutes, the profile under way."""
    coordinator, team = users["koordination"], users["team"]
    kickoff = kreis.stages.get(key="kickoff")
    today = timezone.localdate()
    process.meeting_record(stage=kickoff, by=coordinator, data=process.MeetingData(
        title="Auftaktveranstaltung im Kreishaus Meschede", date=today - dt.timedelta(days=150),
        format="hybrid", location="Kreishaus Meschede und online", participants_count=64,
        participant_groups="Landrat, Bürgermeister:innen der 12 Städte und Gemeinden, "
                           "Kreistag, Vereine, Jugendforum, Seniorenvertretung, IHK",
        agenda="1. Begrüßung durch den Landrat\n2. Vorstellung des Vorhabens\n"
               "3. Erste Zahlen zur demografischen Lage\n4. Gruppenarbeit: Was hält uns hier?\n"
               "5. Vereinbarungen und nächste Termine",
        minutes="Synthetisches Demo-Protokoll. Der Landrat eröffnete die Veranstaltung. "
                "Die Gruppen nannten Ärztemangel, Mobilität im ländlichen Raum und "
                "Fachkräftebindung als dringendste Themen. Eine Steuerungsgruppe aus Kreis und "
                "Städten wurde gebildet."))
    for key in ("leadership_attended", "steering_group_named", "next_dates_fixed",
                "themes_collected"):
        process.checklist_tick(stage=kickoff, item_key=key, done=True, by=coordinator)
    process.stage_complete(stage=kickoff, by=users["berater"])
    _schedule(kreis, coordinator, overdue=False)
    profile = kreis.stages.get(key="profile")
    process.checklist_tick(stage=profile, item_key="data_analysed", done=True, by=team)
    process.checklist_tick(stage=profile, item_key="inventory_done", done=True, by=team)
