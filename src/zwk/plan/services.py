"""Every write of the Werkstattplan: keyword-only, atomic, recorded in the history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from zwk.core.concurrency import VersionConflict, lock_current  # noqa: F401 (re-exported)
from zwk.core.params import YEARS
from zwk.history.services import record
from zwk.plan import baseline, selectors
from zwk.plan.importer import ImportResult, PlanImport
from zwk.plan.models import DEFAULT_STATUSES, Goal, Measure, MeasureStatus, PlanVersion
from zwk.plan.progress import dependency_cycle

GOAL_FIELDS = ("action_field", "parent", "title", "description", "weight", "indicator_key",
               "indicator_name", "indicator_unit", "indicator_source", "baseline_value",
               "baseline_year", "target_value", "target_date")
MEASURE_FIELDS = ("goal", "title", "description", "target_groups", "lead", "partners", "start",
                  "end", "budget", "funding_source", "status", "progress_override", "priority",
                  "weight")
MEASURE_LINKS = ("dependencies", "swot_items", "inventory_entries", "cards")


class PlanError(Exception):
    """A German message for the person; nothing was written."""


def statuses_ensure(*, programme) -> list[MeasureStatus]:
    """The statuses of a programme; the default list is created the first time."""
    existing = list(MeasureStatus.objects.filter(programme=programme))
    if existing:
        return existing
    MeasureStatus.objects.bulk_create(
        [MeasureStatus(programme=programme, key=key, name=name, default_progress=progress,
                       chart_key=chart, position=i)
         for i, (key, name, progress, chart) in enumerate(DEFAULT_STATUSES)],
        ignore_conflicts=True)
    return list(MeasureStatus.objects.filter(programme=programme))


def first_status(statuses) -> MeasureStatus | None:
    """The status a new measure starts with: the first one still offered."""
    return min((s for s in statuses if s.is_active), key=lambda s: (s.position, s.pk),
               default=None)


def default_status(*, programme) -> MeasureStatus | None:
    return first_status(statuses_ensure(programme=programme))


STATUS_COLOUR_KEYS = ("geplant", "laufend", "verzögert", "abgeschlossen", "gestoppt", "neu")


def _check_status(programme, name: str, default_progress, chart_key: str,
                  status: MeasureStatus | None = None) -> str:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Bitte geben Sie einen Namen ein.")
    elif len(name) > 60:
        errors["name"] = _("Der Name darf höchstens 60 Zeichen lang sein.")
    elif MeasureStatus.objects.filter(programme=programme, name__iexact=name).exclude(
            pk__in=[status.pk] if status is not None else []).exists():
        errors["name"] = _("Einen Status „%(name)s“ gibt es in diesem Programm schon.") % {
            "name": name}
    if not isinstance(default_progress, int) or not 0 <= default_progress <= 100:
        errors["default_progress"] = _("Der Fortschritt muss eine ganze Zahl zwischen 0 und "
                                       "100 sein.")
    if chart_key not in STATUS_COLOUR_KEYS:
        errors["chart_key"] = _("Bitte wählen Sie eine Farbe aus der Liste.")
    if errors:
        raise ValidationError(errors)
    return name


@transaction.atomic
def status_create(*, programme, name: str, default_progress: int, chart_key: str = "laufend",
                  by) -> MeasureStatus:
    """A new status of measures for the whole programme, placed last."""
    from django.utils.text import slugify

    statuses_ensure(programme=programme)
    name = _check_status(programme, name, default_progress, chart_key)
    keys = set(MeasureStatus.objects.filter(programme=programme).values_list("key", flat=True))
    base = (slugify(name.replace("ß", "ss")) or "status")[:24]
    key, n = base, 1
    while key in keys:
        n += 1
        key = f"{base}-{n}"
    status = MeasureStatus.objects.create(
        programme=programme, key=key, name=name, default_progress=default_progress,
        chart_key=chart_key,
        position=_next_position(MeasureStatus.objects.filter(programme=programme)))
    record(verb="plan.status_created", actor=by, subject=status, programme=programme,
           name=name, default_progress=default_progress)
    return status


@transaction.atomic
def status_update(*, status: MeasureStatus, name: str, default_progress: int,
                  chart_key: str, by) -> MeasureStatus:
    """Rename a status or change its default progress. Every measure with this status and no
    own progress then counts with the new value (the roll-up changes with it)."""
    current = MeasureStatus.objects.select_for_update().get(pk=status.pk)
    name = _check_status(current.programme, name, default_progress, chart_key, current)
    changed = {k: [getattr(current, k), v] for k, v in
               (("name", name), ("default_progress", default_progress), ("chart_key", chart_key))
               if getattr(current, k) != v}
    if not changed:
        return current
    current.name, current.default_progress, current.chart_key = name, default_progress, chart_key
    current.save(update_fields=["name", "default_progress", "chart_key"])
    record(verb="plan.status_updated", actor=by, subject=current, programme=current.programme,
           changes=changed,
           measures_following=Measure.objects.filter(status=current,
                                                     progress_override__isnull=True).count())
    return current


@transaction.atomic
def status_move(*, status: MeasureStatus, direction: str, by) -> bool:
    moved = _swap(MeasureStatus.objects.filter(programme=status.programme_id)
                  .order_by("position", "pk"), status, direction)
    if moved:
        record(verb="plan.status_moved", actor=by, subject=status, programme=status.programme,
               direction=direction)
    return moved


def _is_last_active(status: MeasureStatus) -> bool:
    """No other status of the programme can be chosen for new measures."""
    return not MeasureStatus.objects.filter(programme=status.programme_id, is_active=True) \
        .exclude(pk=status.pk).exists()


@transaction.atomic
def status_set_active(*, status: MeasureStatus, active: bool, by) -> MeasureStatus:
    """Retire a status (no longer offered for new choices; measures that have it keep it and
    stay valid) or offer it again."""
    current = MeasureStatus.objects.select_for_update().get(pk=status.pk)
    if current.is_active == active:
        return current
    if not active and _is_last_active(current):
        raise PlanError(_("Mindestens ein Status muss vergeben werden können. Legen Sie zuerst "
                          "einen anderen an."))
    current.is_active = active
    current.save(update_fields=["is_active"])
    record(verb="plan.status_reactivated" if active else "plan.status_retired", actor=by,
           subject=current, programme=current.programme, name=current.name)
    return current


@transaction.atomic
def status_delete(*, status: MeasureStatus, by) -> None:
    """Delete a status no measure uses; one in use can only be retired."""
    current = MeasureStatus.objects.select_for_update().get(pk=status.pk)
    used = Measure.objects.filter(status=current).count()
    if used:
        raise PlanError(_("„%(name)s“ wird von %(n)s Maßnahmen verwendet und kann nicht "
                          "gelöscht werden. Ziehen Sie ihn stattdessen zurück: dann wird er nicht "
                          "mehr angeboten, die Maßnahmen behalten ihn.")
                        % {"name": current.name, "n": used})
    if current.is_active and _is_last_active(current):
        raise PlanError(_("Mindestens ein Status muss vergeben werden können."))
    record(verb="plan.status_deleted", actor=by, subject=current, programme=current.programme,
           name=current.name)
    current.delete()


# --- goals -----------------------------------------------------------------------------------

def _check_goal(commune, data: dict[str, Any], goal: Goal | None = None) -> None:
    errors: dict[str, str] = {}
    field, parent = data.get("action_field"), data.get("parent")
    if field is None or field.commune_id != commune.pk:
        errors["action_field"] = _("Bitte wählen Sie ein Handlungsfeld dieser Kommune.")
    if parent is not None:
        if parent.commune_id != commune.pk:
            errors["parent"] = _("Das übergeordnete Ziel gehört nicht zu dieser Kommune.")
        elif field is not None and parent.action_field_id != field.pk:
            errors["parent"] = _("Das übergeordnete Ziel liegt in einem anderen Handlungsfeld.")
        elif goal is not None and goal.pk in selectors.goal_ancestor_ids(parent):
            errors["parent"] = _("Ein Ziel kann nicht unter sich selbst oder einem seiner "
                                 "Unterziele stehen.")
    if not (data.get("title") or "").strip():
        errors["title"] = _("Bitte geben Sie einen Titel ein.")
    errors |= _implausible_years(data, ("target_date",), year_field="baseline_year")
    errors |= _control_characters(data, GOAL_FIELDS)
    if data.get("indicator_key") and data.get("indicator_name"):
        errors["indicator_name"] = _("Bitte wählen Sie entweder eine Kennzahl aus dem "
                                     "Kommunalprofil oder eine eigene Kennzahl, nicht beides.")
    if errors:
        raise ValidationError(errors)


def _implausible_years(data: dict[str, Any], date_fields: tuple[str, ...],
                       year_field: str = "") -> dict[str, str]:
    """Years and dates of a plan lie between 1900 and 2200 (the plan export writes them with
    four digits and reads them back the same way)."""
    low, high = YEARS
    message = _("Bitte geben Sie ein Jahr zwischen %(low)s und %(high)s an.") % {
        "low": low, "high": high}
    errors = {name: message for name in date_fields
              if data.get(name) is not None and not low <= data[name].year <= high}
    if year_field and data.get(year_field) is not None and not low <= data[year_field] <= high:
        errors[year_field] = message
    return errors


def _control_characters(data: dict[str, Any], names) -> dict[str, str]:
    """Texts may hold line breaks and tabs but no other control characters (spreadsheets
    cannot store them, so the plan's own XLSX export would fail)."""
    return {name: _("Der Text enthält unsichtbare Steuerzeichen. Bitte entfernen Sie sie.")
            for name in names if isinstance(data.get(name), str)
            and any(ord(c) < 32 and c not in "\n\r\t" or c == "\x7f" for c in data[name])}


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def goal_create(*, commune, data: dict[str, Any], by, swot_items=(), candidate=None) -> Goal:
    _check_goal(commune, data)
    values = {k: data[k] for k in GOAL_FIELDS if k in data}
    goal = Goal(commune=commune, candidate=candidate, **values)
    goal.position = _next_position(Goal.objects.filter(commune=commune,
                                                       action_field=goal.action_field,
                                                       parent=goal.parent))
    goal.save()
    if swot_items:
        goal.swot_items.set(swot_items)
    record(verb="plan.goal_created", actor=by, subject=goal, commune=commune)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, data: dict[str, Any], expected_version: int, by,
                swot_items=None) -> Goal:
    current = lock_current(Goal.objects, pk=goal.pk, expected_version=expected_version)
    _check_goal(current.commune, data, goal=current)
    changed = [k for k in GOAL_FIELDS if k in data and getattr(current, k) != data[k]]
    for key in GOAL_FIELDS:
        if key in data:
            setattr(current, key, data[key])
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if swot_items is not None:
        current.swot_items.set(swot_items)
    Goal.objects.filter(pk__in=selectors.goal_descendant_ids(current)).update(
        action_field=current.action_field)
    record(verb="plan.goal_updated", actor=by, subject=current, commune=current.commune,
           fields=changed)
    return current


@transaction.atomic
def goal_delete(*, goal: Goal, by) -> None:
    if goal.measures.exists() or goal.children.exists():
        raise PlanError(_("Das Ziel hat noch Unterziele oder Maßnahmen. Bitte verschieben oder "
                          "löschen Sie diese zuerst."))
    record(verb="plan.goal_deleted", actor=by, subject=goal, commune=goal.commune)
    goal.delete()


def _swap(queryset, obj, direction: str) -> bool:
    siblings = list(queryset)
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.position != position:
            type(item).objects.filter(pk=item.pk).update(position=position)
    return True


@transaction.atomic
def goal_move(*, goal: Goal, direction: str, by) -> bool:
    moved = _swap(Goal.objects.filter(commune=goal.commune, action_field=goal.action_field,
                                      parent=goal.parent).order_by("position", "pk"), goal,
                  direction)
    if moved:
        record(verb="plan.goal_moved", actor=by, subject=goal, commune=goal.commune,
               direction=direction)
    return moved


# --- measures --------------------------------------------------------------------------------

def _check_measure(commune, data: dict[str, Any], links: dict[str, Any],
                   measure: Measure | None = None) -> None:
    errors: dict[str, str] = {}
    goal, status = data.get("goal"), data.get("status")
    if goal is None or goal.commune_id != commune.pk:
        errors["goal"] = _("Bitte wählen Sie ein Ziel dieser Kommune.")
    if status is None or status.programme_id != commune.programme_id:
        errors["status"] = _("Bitte wählen Sie einen Status.")
    elif not status.is_active and (measure is None or measure.status_id != status.pk):
        errors["status"] = _("Der Status „%(name)s“ wird nicht mehr vergeben. Bitte wählen Sie "
                             "einen anderen.") % {"name": status.name}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Bitte geben Sie einen Titel ein.")
    start, end = data.get("start"), data.get("end")
    if start and end and end < start:
        errors["end"] = _("Das Ende liegt vor dem Beginn.")
    errors |= _implausible_years(data, ("start", "end"))
    errors |= _control_characters(data, data.keys())
    override = data.get("progress_override")
    if override is not None and not 0 <= override <= 100:
        errors["progress_override"] = _("Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")
    for key in MEASURE_LINKS:
        if any(getattr(obj, "commune_id", None) not in (None, commune.pk)
               or (key == "cards" and obj.session.commune_id != commune.pk)
               for obj in links.get(key) or ()):
            errors[key] = _("Eine Verknüpfung gehört nicht zu dieser Kommune.")
    deps = links.get("dependencies")
    if deps is not None and "dependencies" not in errors and measure is not None:
        if measure.pk in {d.pk for d in deps}:
            errors["dependencies"] = _("Eine Maßnahme kann nicht von sich selbst abhängen.")
        else:
            cycle = dependency_cycle(selectors.dependency_edges(commune), measure.pk,
                                     [d.pk for d in deps])
            if cycle:
                titles = selectors.measure_titles(cycle)
                errors["dependencies"] = _(
                    "Diese Abhängigkeiten ergäben einen Kreis: %(path)s. Bitte entfernen Sie "
                    "eine davon.") % {"path": " → ".join(titles[pk] for pk in cycle)}
    if errors:
        raise ValidationError(errors)


def _set_links(measure: Measure, links: dict[str, Any]) -> None:
    for key in MEASURE_LINKS:
        if links.get(key) is not None:
            getattr(measure, key).set(links[key])


@transaction.atomic
def measure_create(*, commune, data: dict[str, Any], by, links: dict[str, Any] | None = None,
                   candidates=()) -> Measure:
    links = links or {}
    _check_measure(commune, data, links)
    measure = Measure(commune=commune, **{k: data[k] for k in MEASURE_FIELDS if k in data})
    measure.position = _next_position(Measure.objects.filter(goal=measure.goal))
    measure.save()
    _set_links(measure, links)
    if candidates:
        measure.candidates.set(candidates)
    record(verb="plan.measure_created", actor=by, subject=measure, commune=commune)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, data: dict[str, Any], expected_version: int, by,
                   links: dict[str, Any] | None = None) -> Measure:
    links = links or {}
    current = lock_current(Measure.objects.select_related("status"), pk=measure.pk,
                           expected_version=expected_version)
    _check_measure(current.commune, data, links, measure=current)
    changed = [k for k in MEASURE_FIELDS if k in data and getattr(current, k) != data[k]]
    for key in MEASURE_FIELDS:
        if key in data:
            setattr(current, key, data[key])
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _set_links(current, links)
    record(verb="plan.measure_updated", actor=by, subject=current, commune=current.commune,
           fields=changed)
    return current


@transaction.atomic
def measure_move(*, measure: Measure, direction: str, by) -> bool:
    moved = _swap(Measure.objects.filter(goal=measure.goal).order_by("position", "pk"), measure,
                  direction)
    if moved:
        record(verb="plan.measure_moved", actor=by, subject=measure, commune=measure.commune,
               direction=direction)
    return moved


# --- take-over from the workshop and the SWOT -------------------------------------------------

@transaction.atomic
def takeover(*, commune, candidates, swot_items=(), by, fallback_field=None,
             fallback_goal=None) -> dict[str, int]:
    """Goal candidates → goals under their action field, measure candidates → measures under
    the goal taken over from their card's cluster (or `fallback_goal`); accepted SWOT items →
    goals. Links are kept; candidates are marked `taken_over`. All or nothing."""
    from zwk.workshop.models import Candidate

    start_status = default_status(programme=commune.programme)
    candidates = sorted(candidates, key=lambda c: (c.kind != Candidate.Kind.GOAL, c.rank))
    goal_of_cluster: dict[int, Goal] = {
        g.candidate.cluster_id: g
        for g in Goal.objects.filter(commune=commune, candidate__cluster__isnull=False)
        .select_related("candidate")
        if g.candidate is not None and g.candidate.cluster_id is not None}  # both: the filter
    created = {"goals": 0, "measures": 0}
    for candidate in candidates:
        if candidate.session.commune_id != commune.pk or candidate.taken_over:
            raise PlanError(_("„%(title)s“ ist kein offener Vorschlag dieser Kommune.")
                            % {"title": candidate.title})
        if candidate.kind == Candidate.Kind.GOAL:
            field = candidate.action_field or fallback_field
            if field is None:
                raise PlanError(_("„%(title)s“ hat kein Handlungsfeld. Bitte wählen Sie eines "
                                  "für Ziele ohne Handlungsfeld.") % {"title": candidate.title})
            goal = goal_create(commune=commune, by=by, candidate=candidate,
                               data={"action_field": field, "title": candidate.title})
            if candidate.cluster_id:
                goal_of_cluster[candidate.cluster_id] = goal
            created["goals"] += 1
        else:
            cluster_id = candidate.card.cluster_id if candidate.card else candidate.cluster_id
            goal = goal_of_cluster.get(cluster_id) or fallback_goal
            if goal is None:
                raise PlanError(_("Für die Maßnahme „%(title)s“ gibt es kein Ziel. Bitte "
                                  "übernehmen Sie das Ziel ihres Themas mit oder wählen Sie ein "
                                  "Ziel.") % {"title": candidate.title})
            card_ids = set(candidate.card_ids or []) | ({candidate.card_id} if candidate.card_id
                                                        else set())
            from zwk.workshop.models import Card
            measure_create(commune=commune, by=by, candidates=[candidate],
                           data={"goal": goal, "title": candidate.title, "status": start_status},
                           links={"cards": list(Card.objects.filter(
                               pk__in=card_ids, session__commune=commune))})
            created["measures"] += 1
        Candidate.objects.filter(pk=candidate.pk).update(taken_over=True)
    for item in swot_items:
        if item.commune_id != commune.pk or item.status != "accepted":
            raise PlanError(_("„%(text)s“ ist kein übernommener SWOT-Punkt dieser Kommune.")
                            % {"text": item.text})
        field = item.action_fields.first() or fallback_field
        if field is None:
            raise PlanError(_("„%(text)s“ hat kein Handlungsfeld. Bitte wählen Sie eines.")
                            % {"text": item.text})
        goal_create(commune=commune, by=by, swot_items=[item],
                    data={"action_field": field, "title": item.text})
        created["goals"] += 1
    record(verb="plan.taken_over", actor=by, commune=commune, goals=created["goals"],
           measures=created["measures"])
    return created


# --- versions --------------------------------------------------------------------------------

@transaction.atomic
def plan_adopt(*, commune, label: str, adopted_on: date, resolution: str = "", by) -> PlanVersion:
    """Freeze the current plan as a new version. Versions are never changed afterwards."""
    if not label.strip():
        raise ValidationError({"label": _("Bitte geben Sie eine Bezeichnung ein.")})
    snapshot = selectors.plan_snapshot(commune)
    if not snapshot["goals"]:
        raise PlanError(_("Der Plan hat noch keine Ziele; es gibt nichts zu beschließen."))
    snapshot[baseline.SNAPSHOT_KEY] = baseline.projection_snapshot(commune)
    snapshot[baseline.DATA_YEARS_KEY] = baseline.population_years(commune)
    number = (PlanVersion.objects.filter(commune=commune).aggregate(m=Max("number"))["m"] or 0) + 1
    version = PlanVersion.objects.create(commune=commune, number=number, label=label.strip(),
                                         adopted_on=adopted_on, resolution=resolution.strip(),
                                         snapshot=snapshot, created_by=by)
    record(verb="plan.adopted", actor=by, subject=version, commune=commune, number=number,
           resolution=version.resolution)
    return version


# --- import ----------------------------------------------------------------------------------

def plan_import(*, commune, name: str, content: bytes, by, dry_run: bool = False
                ) -> ImportResult:
    """Import a CSV/XLSX file with the export's columns (round trip): rows with an ID update
    that goal/measure field by field, rows without ID are created; goals and measures of the
    plan that are not in the file stay as they are (counted in `not_in_file`). The whole file
    is checked first; any wrong row rejects it with German messages and nothing is written.
    `dry_run` checks and counts without writing. Adopted versions are frozen snapshots and
    are never touched.

    The file is read and every row checked outside any transaction, so other people's writes
    (on SQLite: every write of the site) are never kept waiting while a large file is parsed;
    "check only" takes no write lock at all. Only the checks against the plan and the writing
    run in one short transaction, on the rows locked there."""
    from zwk.plan import exports

    statuses_ensure(programme=commune.programme)
    statuses = {s.name: s for s in MeasureStatus.objects.filter(programme=commune.programme)}
    fields = {af.name: af for af in commune.action_fields.all()}
    parsed = exports.parse_rows(exports.read_table(name, content), action_fields=fields,
                                statuses=statuses, collect=True)
    by_pk = {af.pk: af for af in fields.values()}
    if dry_run:
        job = PlanImport(commune=commune, parsed=parsed, statuses=statuses,
                         action_fields=by_pk, lock=False)
        job.resolve()       # raises ImportRejected with every problem
        return job.result(dry_run=True)
    with transaction.atomic():
        job = PlanImport(commune=commune, parsed=parsed, statuses=statuses,
                         action_fields=by_pk, lock=True)
        job.resolve()
        result = job.result(dry_run=False)
        job.apply()
        record(verb="plan.imported", actor=by, commune=commune, file=name,
               created_goals=result.created_goals, created_measures=result.created_measures,
               updated=len(result.updated), unchanged=result.unchanged,
               not_in_file=result.not_in_file)
    return result


@transaction.atomic
def plan_publish(*, commune, publish: bool, by):
    """Show (or hide) the latest adopted version on the public page."""
    from zwk.plan.models import PlanPublication

    if publish and not PlanVersion.objects.filter(commune=commune).exists():
        raise PlanError(_("Veröffentlicht werden kann nur eine beschlossene Fassung. Bitte "
                          "beschließen Sie zuerst den Plan."))
    publication, _created = PlanPublication.objects.get_or_create(commune=commune)
    publication.is_published = publish
    publication.changed_by = by if getattr(by, "is_authenticated", False) else None
    publication.save()
    record(verb="plan.published" if publish else "plan.unpublished", actor=by, commune=commune)
    return publication
