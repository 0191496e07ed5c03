"""Optimistic concurrency for everything two people may edit at the same time.

Each editable row carries a `version` (a positive integer). An edit form sends back the version
it was opened at; the service locks the row, compares, and refuses with `VersionConflict` when
someone saved in between, so nothing is overwritten silently. The view answers 409 with both
versions side by side (`conflict_rows`, template `_conflict.html`); saving again on purpose then
overwrites, because the form now carries the current version. Started with goals and measures
(zwk.plan); used by the profile texts, SWOT, inventory, interviews, the interview guide and the
events of the process steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


class VersionConflict(Exception):
    """Someone saved the object after this person opened it. Nothing was overwritten."""

    def __init__(self, current: Any):  # any model with a `version` field
        self.current = current
        title = getattr(current, "title", None) or str(current)
        super().__init__(_("„%(title)s“ wurde inzwischen von jemand anderem geändert (jetzt "
                           "Stand %(version)s). Ihre Änderungen sind nicht gespeichert: bitte "
                           "vergleichen Sie beide Fassungen und speichern Sie erneut.")
                         % {"title": title, "version": current.version})


def version_field() -> forms.IntegerField:
    """The hidden field of an edit form that carries the version it was opened at."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def lock_current(queryset: Any, *, pk: Any, expected_version: int | None) -> Any:
    """The row, locked for this transaction; `VersionConflict` if it changed since the form
    was opened. `expected_version=None` skips the check (writes that are not edit forms, e.g.
    the demo loader)."""
    current = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current)
    return current


def next_version(current: Any) -> None:
    """Count a save; call on the row returned by `lock_current` before saving it."""
    current.version = current.version + 1


def _shown(value: Any) -> str:
    if value in ("", None):
        return ""
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(sorted(str(item) for item in items))
    return str(value)


def conflict_rows(form: forms.BaseForm, saved: Any,
                  values: Mapping[str, Any] | None = None) -> list[tuple[str, str, str]]:
    """Field label, this person's input, the saved version: only where they differ.

    The saved value of a field is `values[name]` when given (plain forms whose fields are not
    model attributes), else the attribute of the same name of `saved`."""
    values = values or {}
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        theirs = values[name] if name in values else getattr(saved, name, None)
        mine = form.cleaned_data[name]
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = dict(field.choices)  # type: ignore[arg-type]  # a list of pairs here
            mine, theirs = choices.get(mine, mine), choices.get(theirs, theirs)
        if _shown(mine) != _shown(theirs):
            rows.append((str(field.label or name), _shown(mine), _shown(theirs)))
    return rows


def conflict_context(form: forms.BaseForm, error: VersionConflict,
                     values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What the 409 page shows; the form now carries the current version, so saving again on
    purpose overwrites."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict on POST
    data["version"] = error.current.version
    form.data = data
    return {"message": str(error), "rows": conflict_rows(form, error.current, values)}
