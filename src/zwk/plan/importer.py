"""The database half of the plan import: resolve IDs and references of a parsed file against
the commune's plan, check the result as a whole (parents, goal loops, dependency cycles, links
of other communes), then write it. Called only by services.plan_import, inside its
transaction (a check only reads without locks)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zwk.plan.exports import GOAL, LINK_COLUMNS, MEASURE, ImportRejected, ParsedFile, Row
from zwk.plan.exports import is_db_ref as _is_db_ref
from zwk.plan.models import Goal, Measure
from zwk.plan.progress import dependency_cycles

BATCH = 500           # rows per bulk statement (SQLite allows 32,766 parameters)
Token = tuple[str, int]   # ("z", pk) existing goal, ("m", pk) existing measure, ("n", line) new


@dataclass
class ImportChange:
    ref: str
    title: str
    fields: list[str]


@dataclass
class ImportResult:
    """What an import did (or, checked only, would do)."""

    created_goals: int = 0
    created_measures: int = 0
    updated: list[ImportChange] = dc_field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {"goals": self.created_goals, "measures": self.created_measures,
                "created": self.created_goals + self.created_measures,
                "updated": len(self.updated), "unchanged": self.unchanged,
                "not_in_file": self.not_in_file}


def _label(model, name: str) -> str:
    labels = {"cards": _("Karten der Werkstatt"), "swot_items": _("SWOT-Punkte"),
              "inventory_entries": _("Bestandsaufnahme"), "dependencies": _("Abhängig von"),
              "parent": _("Übergeordnet"), "goal": _("Ziel")}
    return str(labels.get(name) or model._meta.get_field(name).verbose_name)


def _same(old, new) -> bool:
    if isinstance(old, str) or isinstance(new, str):
        return (old or "").strip() == (new or "").strip()
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    return old == new




class PlanImport:
    def __init__(self, *, commune, parsed: ParsedFile, statuses: dict[str, Any],
                 action_fields: dict[int, Any], lock: bool = True):
        self.commune = commune
        self.parsed = parsed
        self.rows = parsed.rows
        self.statuses = statuses
        self.action_fields = action_fields
        self.errors: list[str] = list(parsed.errors)
        goals, measures = Goal.objects.all(), Measure.objects.all()
        if lock:        # the rows this import may change stay as read until it commits
            goals, measures = goals.select_for_update(), measures.select_for_update(of=("self",))
        self.goals = {g.pk: g for g in goals.filter(commune=commune)}
        self.measures = {m.pk: m for m in measures.filter(commune=commune)
                         .select_related("status")}
        self.links = self._existing_links()
        self.local = {r.key: r for r in self.rows
                      if r.key and (r.db_id is None or parsed.legacy)}
        self.row_at = {r.line: r for r in self.rows}
        self.goal_rows = [r for r in self.rows if r.kind == GOAL]
        self.measure_rows = [r for r in self.rows if r.kind == MEASURE]
        self.parent_of: dict[int, Token | None] = {}      # row line → resolved parent goal
        self.deps_of: dict[int, list[Token]] = {}         # row line → resolved dependencies
        self.changes: dict[int, list[str]] = {}           # row line → changed field names

    # --- reading ---------------------------------------------------------------------------

    def _existing_links(self) -> dict[str, dict[int, set[int]]]:
        result: dict[str, dict[int, set[int]]] = {}
        specs = {"dependencies": (Measure.dependencies.through, "from_measure", "to_measure"),
                 "cards": (Measure.cards.through, "measure", "card"),
                 "swot_items": (Measure.swot_items.through, "measure", "swotitem"),
                 "inventory_entries": (Measure.inventory_entries.through, "measure",
                                       "inventoryentry"),
                 "goal_swot": (Goal.swot_items.through, "goal", "swotitem")}
        for key, (through, owner, target) in specs.items():
            pairs: dict[int, set[int]] = defaultdict(set)
            for o, t in through.objects.filter(**{f"{owner}__commune": self.commune}) \
                    .values_list(f"{owner}_id", f"{target}_id"):
                pairs[o].add(t)
            result[key] = pairs
        return result

    def token(self, row: Row) -> Token:
        if row.db_id is not None and not self.parsed.legacy:
            return ("z" if row.kind == GOAL else "m", row.db_id)
        return ("n", row.line)

    def name_of(self, token: Token) -> str:
        kind, value = token
        if kind == "z":
            return f"Z{value}"
        if kind == "m":
            return f"M{value}"
        row = self.row_at[value]
        return row.key or _("Zeile %(n)s") % {"n": value}

    def _ref(self, text: str, kind: str) -> Token | None:
        """An ID or a row name of the file → token; None when it names nothing fitting."""
        if _is_db_ref(text) and not self.parsed.legacy:
            pk = int(text[1:])
            if kind == GOAL and text[0] == "Z" and pk in self.goals:
                return ("z", pk)
            if kind == MEASURE and text[0] == "M" and pk in self.measures:
                return ("m", pk)
            return None
        row = self.local.get(text)
        return ("n", row.line) if row is not None and row.kind == kind else None

    def bad(self, row: Row, column: str, message: str) -> None:
        self.errors.append(_("Zeile %(line)s, Spalte „%(column)s“: %(message)s")
                           % {"line": row.line, "column": column, "message": message})

    # --- checking --------------------------------------------------------------------------

    def resolve(self) -> None:
        self._check_ids()
        self._resolve_parents()
        self._check_goal_tree()
        self._resolve_dependencies()
        self._check_links()
        self._check_statuses_and_dates()
        if self.errors:
            raise ImportRejected(sorted(self.errors, key=_line_of))
        self._diff()

    def _check_ids(self) -> None:
        for row in self.rows:
            if row.db_id is None or self.parsed.legacy:
                continue
            known = self.goals if row.kind == GOAL else self.measures
            if row.db_id not in known:
                self.bad(row, "ID", (_("Das Ziel „%(id)s“ gibt es in dieser Kommune nicht.")
                                     if row.kind == GOAL else
                                     _("Die Maßnahme „%(id)s“ gibt es in dieser Kommune nicht."))
                         % {"id": row.key} + " " + _("Neue Zeilen lassen Sie ohne ID oder "
                                                     "geben ihnen einen eigenen Namen wie "
                                                     "„neu-1“."))

    def _resolve_parents(self) -> None:
        for row in self.rows:
            if row.kind == GOAL and not row.parent:
                self.parent_of[row.line] = None
                continue
            if row.kind == MEASURE and not row.parent:
                self.bad(row, "Übergeordnet", _("Bitte nennen Sie das Ziel der Maßnahme."))
                continue
            parent = self._ref(row.parent, GOAL)
            if parent is None:
                self.bad(row, "Übergeordnet",
                         _("Das Ziel „%(ref)s“ gibt es weder in der Datei noch in dieser "
                           "Kommune.") % {"ref": row.parent})
                continue
            self.parent_of[row.line] = parent

    def final_goal_tree(self) -> tuple[dict[Token, Token | None], dict[Token, int | None]]:
        parents: dict[Token, Token | None] = {
            ("z", g.pk): (("z", g.parent_id) if g.parent_id else None)
            for g in self.goals.values()}
        fields: dict[Token, int | None] = {("z", g.pk): g.action_field_id
                                           for g in self.goals.values()}
        for row in self.goal_rows:
            token = self.token(row)
            if token[0] == "z" and row.db_id not in self.goals:
                continue
            parents[token] = self.parent_of.get(row.line, parents.get(token))
            af = row.values.get("action_field")
            fields[token] = af.pk if af is not None else None
        return parents, fields

    def _check_goal_tree(self) -> None:
        parents, fields = self.final_goal_tree()
        for row in self.goal_rows:
            token = self.token(row)
            if row.line not in self.parent_of or token not in parents:
                continue
            root = _top(parents, token)
            if root is None:
                self.bad(row, "Übergeordnet", _("Ein Ziel kann nicht unter sich selbst oder "
                                                "einem seiner Unterziele stehen."))
                continue
            if root != token and fields.get(root) != fields.get(token) \
                    and fields.get(root) is not None and fields.get(token) is not None:
                self.bad(row, "Handlungsfeld", _(
                    "Das übergeordnete Ziel liegt im Handlungsfeld „%(parent)s“, die Zeile nennt "
                    "„%(own)s“. Ein Unterziel steht immer im Handlungsfeld seines Oberziels.")
                    % {"parent": self.action_fields[fields[root]].name,
                       "own": self.action_fields[fields[token]].name})

    def _resolve_dependencies(self) -> None:
        edges: dict[Token, set[Token]] = {
            ("m", src): {("m", d) for d in dsts}
            for src, dsts in self.links["dependencies"].items()}
        for row in self.measure_rows:
            if row.dependencies is None:
                continue
            resolved = []
            for ref in row.dependencies:
                dep = self._ref(ref, MEASURE)
                if dep is None:
                    self.bad(row, "Abhängig von",
                             _("Die Maßnahme „%(ref)s“ gibt es weder in der Datei noch in "
                               "dieser Kommune.") % {"ref": ref})
                elif dep == self.token(row):
                    self.bad(row, "Abhängig von",
                             _("Eine Maßnahme kann nicht von sich selbst abhängen."))
                else:
                    resolved.append(dep)
            self.deps_of[row.line] = resolved
            edges[self.token(row)] = set(resolved)
        index: dict[Token, int] = {}
        for src, dsts in edges.items():
            for t in (src, *dsts):
                index.setdefault(t, len(index))
        names = {i: t for t, i in index.items()}
        graph = {index[s]: {index[d] for d in ds} for s, ds in edges.items()}
        row_of = {self.token(r): r for r in self.measure_rows}
        order = [index[t] for t in row_of if t in index]
        for path in dependency_cycles(graph, order):
            self.bad(row_of[names[path[0]]], "Abhängig von",
                     _("Die Abhängigkeiten bilden einen Kreis: %(path)s.")
                     % {"path": " → ".join(self.name_of(names[i]) for i in path)})

    def _check_links(self) -> None:
        from zwk.profile.models import InventoryEntry, SwotItem
        from zwk.workshop.models import Card

        wanted: dict[str, set[int]] = defaultdict(set)
        for row in self.rows:
            for key, ids in row.links.items():
                wanted[key] |= set(ids)
        allowed = {
            "cards": set(Card.objects.filter(session__commune=self.commune,
                                             pk__in=wanted["cards"])
                         .values_list("pk", flat=True)) if wanted["cards"] else set(),
            "swot_items": set(SwotItem.objects.filter(commune=self.commune,
                                                      pk__in=wanted["swot_items"])
                              .values_list("pk", flat=True)) if wanted["swot_items"] else set(),
            "inventory_entries": set(InventoryEntry.objects.filter(
                commune=self.commune, pk__in=wanted["inventory_entries"])
                .values_list("pk", flat=True)) if wanted["inventory_entries"] else set(),
        }
        for row in self.rows:
            for key, ids in row.links.items():
                column, prefix = LINK_COLUMNS[key][1], LINK_COLUMNS[key][2]
                foreign = [f"{prefix}{i}" for i in ids if i not in allowed[key]]
                if foreign:
                    self.bad(row, column, _("%(ids)s gehört nicht zu dieser Kommune oder gibt "
                                            "es nicht.") % {"ids": ", ".join(foreign)})

    def _check_statuses_and_dates(self) -> None:
        from zwk.plan.services import first_status

        self.default_status = first_status(self.statuses.values())
        for row in self.measure_rows:
            current = self.measures.get(row.db_id) if self.token(row)[0] == "m" else None
            status = row.values.get("status")
            if status is not None and not status.is_active and (
                    current is None or current.status_id != status.pk):
                self.bad(row, "Status", _("Der Status „%(name)s“ wird nicht mehr vergeben. "
                                          "Bitte wählen Sie einen anderen.")
                         % {"name": status.name})
            if current is None and "status" not in row.values and self.default_status is None:
                self.bad(row, "Status", _("Bitte geben Sie einen Status an."))
            if current is not None:
                start = row.values.get("start", current.start)
                end = row.values.get("end", current.end)
                if start and end and end < start and not (
                        "start" in row.values and "end" in row.values):
                    self.bad(row, "Ende", _("Das Ende liegt vor dem Beginn."))

    # --- what changes ----------------------------------------------------------------------

    def _diff(self) -> None:
        for row in self.rows:
            token = self.token(row)
            if token[0] == "n":
                continue
            changed: list[str] = []
            if row.kind == GOAL:
                obj = self.goals[row.db_id]
                for name, value in row.values.items():
                    if not _same(getattr(obj, name), value):
                        changed.append(name)
                parent = self.parent_of.get(row.line)
                if parent != (("z", obj.parent_id) if obj.parent_id else None):
                    changed.append("parent")
                if "swot_items" in row.links and \
                        set(row.links["swot_items"]) != self.links["goal_swot"].get(obj.pk, set()):
                    changed.append("swot_items")
            else:
                obj = self.measures[row.db_id]
                for name, value in row.values.items():
                    if not _same(getattr(obj, name), value):
                        changed.append(name)
                if self.parent_of.get(row.line) != ("z", obj.goal_id):
                    changed.append("goal")
                if row.line in self.deps_of and {t[1] for t in self.deps_of[row.line]
                                                 if t[0] == "m"} != self.links[
                        "dependencies"].get(obj.pk, set()) or any(
                        t[0] == "n" for t in self.deps_of.get(row.line, [])):
                    changed.append("dependencies")
                for key, ids in row.links.items():
                    if set(ids) != self.links[key].get(obj.pk, set()):
                        changed.append(key)
            self.changes[row.line] = changed

    def result(self, *, dry_run: bool) -> ImportResult:
        result = ImportResult(dry_run=dry_run)
        seen_goals = {r.db_id for r in self.goal_rows if self.token(r)[0] == "z"}
        seen_measures = {r.db_id for r in self.measure_rows if self.token(r)[0] == "m"}
        for row in self.rows:
            token = self.token(row)
            if token[0] == "n":
                if row.kind == GOAL:
                    result.created_goals += 1
                else:
                    result.created_measures += 1
            elif self.changes.get(row.line):
                model = Goal if row.kind == GOAL else Measure
                result.updated.append(ImportChange(
                    row.key, row.values.get("title", ""),
                    [_label(model, n) for n in self.changes[row.line]]))
            else:
                result.unchanged += 1
        result.not_in_file = (len(set(self.goals) - seen_goals)
                              + len(set(self.measures) - seen_measures))
        return result

    # --- writing ---------------------------------------------------------------------------

    def apply(self) -> None:
        """Write what resolve() found, in bulk: one INSERT per tier of new goals, one for the
        new measures, batched UPDATEs for changed rows, link rows replaced per table."""
        self.created: dict[Token, Any] = {}
        self.goal_by_pk = dict(self.goals)
        self.positions = self._last_positions()
        self._create_goals()
        self._update_goals()
        self._align_action_fields()
        self._create_measures()
        self._update_measures()
        self._write_measure_links()

    def _last_positions(self) -> dict[tuple, int]:
        last: dict[tuple, int] = defaultdict(int)
        for g in self.goals.values():
            group = ("g", g.action_field_id, g.parent_id)
            last[group] = max(last[group], g.position)
        for m in self.measures.values():
            last[("m", m.goal_id)] = max(last[("m", m.goal_id)], m.position)
        return last

    def _next_position(self, group: tuple) -> int:
        self.positions[group] += 1
        return self.positions[group]

    def _goal_of(self, token: Token | None):
        if token is None:
            return None
        return self.goals[token[1]] if token[0] == "z" else self.created[token]

    def _root_of(self, goal):
        while goal.parent_id is not None:     # resolve() has ruled out loops
            goal = self.goal_by_pk[goal.parent_id]
        return goal

    def _create_goals(self) -> None:
        """New goals tier by tier, parents first (resolve() ruled out loops and unknown
        parents), so each tier's parents have their keys."""
        pending = [r for r in self.goal_rows if self.token(r)[0] == "n"]
        while pending:
            ready = [r for r in pending if (p := self.parent_of.get(r.line)) is None
                     or p[0] == "z" or p in self.created]
            goals = []
            for row in ready:
                parent = self._goal_of(self.parent_of.get(row.line))
                goal = Goal(commune=self.commune, parent=parent, **row.values)
                if parent is not None:
                    goal.action_field = self._root_of(parent).action_field
                goal.position = self._next_position(("g", goal.action_field_id,
                                                     getattr(parent, "pk", None)))
                goals.append(goal)
            Goal.objects.bulk_create(goals)
            for row, goal in zip(ready, goals, strict=True):
                self.created[self.token(row)] = goal
                self.goal_by_pk[goal.pk] = goal
            _replace_links(Goal.swot_items.through, "goal", "swotitem",
                           {g.pk: row.links["swot_items"] for row, g in zip(ready, goals,
                                                                           strict=True)
                            if row.links.get("swot_items")}, fresh=True)
            pending = [r for r in pending if self.token(r) not in self.created]

    def _update_goals(self) -> None:
        changed_goals, fields, swot = [], {"version", "updated_at"}, {}
        now = timezone.now()
        for row in self.goal_rows:
            changed = self.changes.get(row.line)
            if not changed:
                continue
            goal = self.goals[row.db_id]
            for name in changed:
                if name == "parent":
                    goal.parent = self._goal_of(self.parent_of.get(row.line))
                    goal.position = self._next_position(
                        ("g", row.values["action_field"].pk, getattr(goal.parent, "pk", None)))
                    fields |= {"parent", "position"}
                elif name == "swot_items":
                    swot[goal.pk] = row.links["swot_items"]
                else:
                    setattr(goal, name, row.values[name])
                    fields.add(name)
            goal.version = F("version") + 1      # open edit forms now see a conflict
            goal.updated_at = now
            changed_goals.append(goal)
        if changed_goals:
            Goal.objects.bulk_update(changed_goals, sorted(fields), batch_size=BATCH)
        _replace_links(Goal.swot_items.through, "goal", "swotitem", swot)

    def _create_measures(self) -> None:
        rows, measures = [], []
        for row in self.measure_rows:
            if self.token(row)[0] != "n":
                continue
            goal = self._goal_of(self.parent_of[row.line])
            values = {k: v for k, v in row.values.items() if k != "action_field"}
            values.setdefault("status", self.default_status)
            measure = Measure(commune=self.commune, goal=goal, **values)
            measure.position = self._next_position(("m", goal.pk))
            rows.append(row)
            measures.append(measure)
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        for row, measure in zip(rows, measures, strict=True):
            self.created[self.token(row)] = measure

    def _update_measures(self) -> None:
        changed_measures, fields = [], {"version", "updated_at"}
        now = timezone.now()
        for row in self.measure_rows:
            changed = self.changes.get(row.line)
            if not changed:
                continue
            measure = self.measures[row.db_id]
            for name in changed:
                if name in ("dependencies", *LINK_COLUMNS):
                    continue
                if name == "goal":
                    measure.goal = self._goal_of(self.parent_of[row.line])
                    measure.position = self._next_position(("m", measure.goal.pk))
                    fields |= {"goal", "position"}
                else:
                    setattr(measure, name, row.values[name])
                    fields.add(name)
            measure.version = F("version") + 1   # open edit forms now see a conflict
            measure.updated_at = now
            changed_measures.append(measure)
        if changed_measures:
            Measure.objects.bulk_update(changed_measures, sorted(fields), batch_size=BATCH)

    def _write_measure_links(self) -> None:
        """Dependencies and links of new and changed measures, one table at a time."""
        wanted: dict[str, dict[int, list[int]]] = defaultdict(dict)
        fresh: dict[str, bool] = defaultdict(lambda: True)
        for row in self.measure_rows:
            token = self.token(row)
            measure = self.created.get(token) or self.measures.get(row.db_id)
            new = token[0] == "n"
            changed = self.changes.get(row.line, []) if not new else [
                key for key in ("dependencies", *row.links)
                if (self.deps_of.get(row.line) if key == "dependencies" else row.links[key])]
            if "dependencies" in changed and row.line in self.deps_of:
                wanted["dependencies"][measure.pk] = [self._measure_pk(t)
                                                      for t in self.deps_of[row.line]]
                fresh["dependencies"] &= new
            for key in LINK_COLUMNS:
                if key in changed and key in row.links:
                    wanted[key][measure.pk] = row.links[key]
                    fresh[key] &= new
        tables = {"dependencies": ("from_measure", "to_measure"), "cards": ("measure", "card"),
                  "swot_items": ("measure", "swotitem"),
                  "inventory_entries": ("measure", "inventoryentry")}
        for key, (owner, target) in tables.items():
            _replace_links(getattr(Measure, key).through, owner, target, wanted[key],
                           fresh=fresh[key])

    def _measure_pk(self, token: Token) -> int:
        return token[1] if token[0] == "m" else self.created[token].pk

    def _align_action_fields(self) -> None:
        """Sub-goals not in the file follow their top goal's action field."""
        rows = list(Goal.objects.filter(commune=self.commune)
                    .values_list("pk", "parent_id", "action_field_id"))
        parent = {pk: p for pk, p, _af in rows}
        field = {pk: af for pk, _p, af in rows}
        moves: dict[int, list[int]] = defaultdict(list)
        for pk in parent:
            root = _top(parent, pk)          # resolve() has ruled out loops
            if field[pk] != field[root]:
                moves[field[root]].append(pk)
        for af, pks in moves.items():
            Goal.objects.filter(pk__in=pks).update(action_field_id=af)


def _replace_links(through, owner: str, target: str, wanted: dict[int, list[int]], *,
                   fresh: bool = False) -> None:
    """Set the links of each owner in `wanted` to exactly its ids (like .set(), in bulk);
    `fresh` owners were just created and have no links to delete."""
    if not wanted:
        return
    if not fresh:
        for chunk in _chunks(list(wanted), BATCH):
            through.objects.filter(**{f"{owner}_id__in": chunk}).delete()
    through.objects.bulk_create([through(**{f"{owner}_id": o, f"{target}_id": t})
                                 for o, ids in wanted.items() for t in dict.fromkeys(ids)],
                                batch_size=BATCH)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _line_of(message: str) -> int:
    match = re.match(r"\D*(\d+)", message)
    return int(match.group(1)) if match and message.startswith(("Zeile", "Line")) else 0


def _top(parent_of: dict, start):
    """The top of `start`'s chain of parents (`parent_of` maps a node to its parent or None),
    or None when the chain runs in a loop."""
    seen = set()
    node = start
    while parent_of.get(node) is not None:
        if node in seen:
            return None
        seen.add(node)
        node = parent_of[node]
    return node
