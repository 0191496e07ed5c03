"""Zwischenbilanz: services and reads for the review of a plan (progress log, indicator
re-measurement, review of every measure, decisions, continuation, revised version)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zwk import formatting
from zwk.history.services import record
from zwk.plan import services
from zwk.plan.models import (
    Goal,
    IndicatorMeasurement,
    Measure,
    MeasureReview,
    PlanVersion,
    ProgressEntry,
    Review,
    ReviewDecision,
)

STATE = MeasureReview.State
# What a reviewed state means for the measure's status in the revised plan.
STATUS_OF_STATE: dict[str, str] = {STATE.DONE: "abgeschlossen", STATE.STOPPED: "gestoppt",
                   STATE.DELAYED: "verzoegert", STATE.ONGOING: "umsetzung",
                   STATE.NEW: "umsetzung"}
STATE_OF_STATUS = {"abgeschlossen": STATE.DONE, "gestoppt": STATE.STOPPED,
                   "verzoegert": STATE.DELAYED}


class ReviewClosed(services.PlanError):
    pass


def _open(review: Review) -> None:
    if review.revised_version_id:
        raise ReviewClosed(_("Diese Zwischenbilanz ist abgeschlossen; ihre Fortschreibung ist "
                             "beschlossen und kann nicht mehr geändert werden."))


@transaction.atomic
def progress_entry_add(*, measure: Measure, on: date, progress: int | None, note: str,
                       by) -> ProgressEntry:
    """Log a dated entry (a milestone) on a measure. An entry with a percentage sets the
    measure's progress, unless a newer entry with a percentage exists: an entry dated before
    the latest one is kept in the log but does not overwrite newer progress. Same date: the
    entry recorded last wins."""
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Der Fortschritt muss zwischen 0 und 100 Prozent "
                                             "liegen.")})
    if progress is None and not note.strip():
        raise ValidationError({"note": _("Bitte geben Sie einen Fortschritt oder eine Notiz "
                                         "ein.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("Das Datum liegt in der Zukunft. Bitte halten Sie nur "
                                         "fest, was schon geschehen ist.")})
    current = Measure.objects.select_for_update().select_related("status").get(pk=measure.pk)
    newest = (ProgressEntry.objects.filter(measure=current, progress__isnull=False)
              .order_by("-date", "-pk").first())
    entry = ProgressEntry.objects.create(measure=current, date=on, progress=progress,
                                         note=note.strip(), created_by=by)
    before = current.progress
    applied = progress is not None and (newest is None or on >= newest.date)
    if applied:
        Measure.objects.filter(pk=current.pk).update(progress_override=progress,
                                                     version=F("version") + 1)
        measure.progress_override = progress
        measure.version = current.version + 1
    record(verb="plan.progress_logged", actor=by, subject=current, commune=current.commune,
           progress=progress, date=on.isoformat(), previous=before, applied=applied,
           newer=None if applied or newest is None else newest.date.isoformat())
    return entry


@transaction.atomic
def indicator_measurement_add(*, goal: Goal, value: Decimal, measured_on: date, source: str,
                              by) -> IndicatorMeasurement:
    if not (goal.indicator_key or goal.indicator_name):
        raise services.PlanError(_("Dieses Ziel hat keine Kennzahl. Bitte legen Sie zuerst eine "
                                   "Kennzahl fest."))
    item = IndicatorMeasurement.objects.create(goal=goal, value=value, measured_on=measured_on,
                                               source=source.strip(), created_by=by)
    record(verb="plan.indicator_measured", actor=by, subject=goal, commune=goal.commune,
           value=value, measured_on=measured_on)
    return item


def profile_indicator_value(commune, key: str) -> tuple[int, float, str] | None:
    """The newest value of a profile indicator for the commune: (year, value, source), or None
    when the profile has no data for it."""
    from zwk.plan.monitoring import profile_series

    series, a = profile_series(commune, key)
    if not series:
        return None
    year = max(series)
    source = f"Kommunalprofil, Datenstand {year}" + (" (synthetische Demodaten)"
                                                      if a.synthetic else "")
    return year, series[year], source


@transaction.atomic
def indicator_from_profile(*, goal: Goal, by) -> IndicatorMeasurement:
    """Take the newest value of the goal's profile indicator as a measurement (as of 31.12. of
    its year, with the profile's data source). One measurement per year: a second one for the
    same year is refused."""
    from zwk.profile.analysis import INDICATOR_BY_KEY

    indicator = INDICATOR_BY_KEY.get(goal.indicator_key)
    if indicator is None:
        raise services.PlanError(_("Dieses Ziel hat keine Kennzahl aus dem Kommunalprofil. Bitte "
                                   "tragen Sie die Messung von Hand ein."))
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    found = profile_indicator_value(goal.commune, indicator.key)
    if found is None:
        raise services.PlanError(_("Im Kommunalprofil liegen keine Werte für „%(name)s“ vor. "
                                   "Bitte laden Sie zuerst Bevölkerungsdaten im "
                                   "Kommunalprofil.") % {"name": indicator.label})
    year, value, source = found
    if goal.measurements.filter(measured_on__year=year).exists():
        raise services.PlanError(_("Für %(year)s gibt es schon eine Messung von „%(name)s“. Neuere "
                                   "Daten laden Sie im Kommunalprofil; dann können Sie den neuen "
                                   "Wert übernehmen.") % {"year": year, "name": indicator.label})
    return indicator_measurement_add(
        goal=goal, value=Decimal(str(round(value, indicator.digits))),
        measured_on=date(year, 12, 31), source=source[:200], by=by)


def trend_of(*, previous: Decimal | None, latest: Decimal | None, baseline: Decimal | None,
             target: Decimal | None) -> dict[str, Any]:
    """Arrow and words for the change from the previous to the latest measurement, and whether
    it goes towards the target (pure)."""
    if previous is None or latest is None:
        return {"arrow": "", "text": "", "towards": None}
    change = latest - previous
    arrow = "↑" if change > 0 else "↓" if change < 0 else "→"
    towards = None
    if target is not None and change != 0:
        reference = baseline if baseline is not None else previous
        towards = (change > 0) == (target > reference) if target != reference else None
    words = {True: _("in Richtung Ziel"), False: _("vom Ziel weg"), None: ""}[towards]
    number = formatting.signed(change, formatting.decimals_of(change.normalize()))
    return {"arrow": arrow, "text": f"{arrow} {number}" + (f" ({words})" if words else ""),
            "towards": towards}


def target_share(*, baseline: Decimal | None, target: Decimal | None,
                 value: Decimal) -> float | None:
    """How much of the way from baseline to target a value has gone, in percent (pure)."""
    if baseline is None or target is None or target == baseline:
        return None
    return round(float((value - baseline) / (target - baseline)) * 100, 1)


def _latest_adopted_ids(commune) -> set[int] | None:
    latest = PlanVersion.objects.filter(commune=commune).order_by("-number").first()
    return None if latest is None else {m["id"] for m in latest.snapshot.get("measures", [])}


@transaction.atomic
def review_create(*, commune, title: str, held_on: date, by) -> Review:
    if not title.strip():
        raise ValidationError({"title": _("Bitte geben Sie einen Titel ein.")})
    review = Review.objects.create(commune=commune, title=title.strip(), held_on=held_on,
                                   created_by=by)
    adopted = _latest_adopted_ids(commune)
    MeasureReview.objects.bulk_create([
        MeasureReview(review=review, measure=m, progress=m.progress,
                      state=STATE_OF_STATUS.get(m.status.key)
                      or (STATE.NEW if adopted is not None and m.pk not in adopted
                          else STATE.ONGOING))
        for m in Measure.objects.filter(commune=commune).select_related("status")])
    record(verb="plan.review_created", actor=by, subject=review, commune=commune)
    return review


@transaction.atomic
def measure_reviews_save(*, review: Review, entries: dict[int, dict[str, Any]], by) -> None:
    """Save state, progress, barriers and enablers of every measure; all or nothing."""
    _open(review)
    rows = {r.measure_id: r for r in review.measure_reviews.select_related("measure")}
    errors = []
    for measure_id, values in entries.items():
        row = rows.get(measure_id)
        if row is None:
            errors.append(_("Eine Maßnahme gehört nicht zu dieser Zwischenbilanz."))
            continue
        if values.get("state") not in STATE.values:
            errors.append(_("„%(t)s“: Bitte wählen Sie einen Stand.") % {"t": row.measure.title})
        try:
            progress = int(values.get("progress", ""))
        except (TypeError, ValueError):
            progress = -1
        if not 0 <= progress <= 100:
            errors.append(_("„%(t)s“: Der Fortschritt muss eine ganze Zahl zwischen 0 und 100 "
                            "sein.") % {"t": row.measure.title})
        row.state, row.progress = values.get("state") or "", progress
        row.barriers = (values.get("barriers") or "").strip()
        row.enablers = (values.get("enablers") or "").strip()
    if errors:
        raise ValidationError(errors)
    MeasureReview.objects.bulk_update(list(rows.values()),
                                      ["state", "progress", "barriers", "enablers"])
    record(verb="plan.review_updated", actor=by, subject=review, commune=review.commune)


@transaction.atomic
def review_continuation_save(*, review: Review, data: dict[str, Any], by) -> Review:
    _open(review)
    for key in ("has_structure", "has_budget_line", "has_responsible_post",
                "has_council_decision"):
        setattr(review, key, bool(data.get(key)))
    review.continuation_notes = (data.get("continuation_notes") or "").strip()
    review.notes = (data.get("notes") or "").strip()
    review.save()
    record(verb="plan.review_updated", actor=by, subject=review, commune=review.commune)
    return review


@transaction.atomic
def review_decision_add(*, review: Review, text: str, responsible: str = "",
                        due: date | None = None, by) -> ReviewDecision:
    _open(review)
    if not text.strip():
        raise ValidationError({"text": _("Bitte beschreiben Sie den Beschluss.")})
    decision = ReviewDecision.objects.create(review=review, text=text.strip(),
                                             responsible=responsible.strip(), due=due)
    record(verb="plan.review_decision", actor=by, subject=review, commune=review.commune)
    return decision


@transaction.atomic
def review_finish(*, review: Review, label: str, adopted_on: date, resolution: str,
                  by) -> PlanVersion:
    """Carry the reviewed states and progress into the plan and freeze the revised version
    (Fortschreibung). The review is closed afterwards."""
    _open(review)
    statuses = {s.key: s for s in services.statuses_ensure(programme=review.commune.programme)}
    for row in review.measure_reviews.select_related("measure", "measure__status"):
        measure = row.measure
        status = statuses.get(STATUS_OF_STATE[row.state], measure.status)
        if row.state in (STATE.ONGOING, STATE.NEW) and measure.status.key == "umsetzung":
            status = measure.status
        override = None if row.progress == status.default_progress else row.progress
        Measure.objects.filter(pk=measure.pk).update(status=status, progress_override=override,
                                                     version=F("version") + 1)
    version = services.plan_adopt(commune=review.commune, label=label, adopted_on=adopted_on,
                                  resolution=resolution, by=by)
    review.revised_version = version
    review.save(update_fields=["revised_version"])
    record(verb="plan.review_finished", actor=by, subject=review, commune=review.commune,
           version=version.number)
    return version


def review_page(review: Review) -> dict[str, Any]:
    rows = list(review.measure_reviews.select_related("measure", "measure__goal",
                                                      "measure__goal__action_field",
                                                      "measure__status")
                .order_by("measure__goal__action_field__position", "measure__goal__position",
                          "measure__position"))
    counts = {label: sum(1 for r in rows if r.state == value) for value, label in STATE.choices}
    from zwk.profile.analysis import INDICATOR_BY_KEY

    goals = list(Goal.objects.filter(commune=review.commune)
                 .exclude(indicator_key="", indicator_name="")
                 .prefetch_related("measurements").select_related("action_field")
                 .order_by("action_field__position", "position", "pk"))
    indicators = []
    for g in goals:
        series = list(g.measurements.all())
        m = series[-1] if series else None
        previous = series[-2] if len(series) > 1 else None
        profile_indicator = INDICATOR_BY_KEY.get(g.indicator_key)
        indicators.append({
            "goal": g, "latest": m, "previous": previous, "series": series,
            "name": profile_indicator.label if profile_indicator else g.indicator_name,
            "unit": profile_indicator.unit if profile_indicator else g.indicator_unit,
            "from_profile": profile_indicator is not None,
            "share": target_share(baseline=g.baseline_value, target=g.target_value,
                                  value=m.value) if m else None,
            "trend": trend_of(previous=previous.value if previous else g.baseline_value,
                              latest=m.value if m else None, baseline=g.baseline_value,
                              target=g.target_value)})
    return {"rows": rows, "counts": counts, "indicators": indicators,
            "decisions": list(review.decisions.all())}


def review_page_with_charts(review: Review) -> dict[str, Any]:
    """review_page plus, per indicator with measurements, its target-vs-actual chart."""
    from zwk.plan.monitoring import indicator_chart

    page = review_page(review)
    for i in page["indicators"]:
        i["chart"] = indicator_chart(i["goal"], i["series"], name=i["name"] or i["goal"].title,
                                     unit=i["unit"])
    return page
