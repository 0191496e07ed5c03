"""Import that updates: export → edit in a spreadsheet → import again (CSV and XLSX)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.access import Case, assert_case, request_case
from tests.conftest import ROLES
from tests.plan.conftest import goal, measure, status
from zwk.history.models import HistoryEvent
from zwk.plan import exports, selectors, services
from zwk.plan.exports import COLUMNS, ImportRejected
from zwk.plan.models import Goal, Measure, MeasureStatus

pytestmark = pytest.mark.django_db


def swot_item(commune, text="Starkes Vereinsleben", quadrant="strength"):
    from zwk.profile.models import SwotItem

    return SwotItem.objects.create(commune=commune, quadrant=quadrant, text=text,
                                   status=SwotItem.Status.ACCEPTED)


def inventory_entry(commune, title="Seniorenbüro"):
    from zwk.profile.models import InventoryEntry

    return InventoryEntry.objects.create(commune=commune, title=title)


def card(commune, text="Dorfcafé"):
    from tests.plan.conftest import workshop_candidates

    return workshop_candidates(commune)[3]


@pytest.fixture
def plan(world):
    c = world.commune
    fields = list(c.action_fields.all()[:2])
    top = goal(c, "Gut wohnen im Alter", field=fields[0], weight=Decimal("2"))
    sub = goal(c, "Barrierefreie Wohnungen", parent=top)
    other = goal(c, "Mobil bleiben", field=fields[1])
    a = measure(c, sub, "Wohnberatung", key="umsetzung", lead="Sozialamt",
                start=dt.date(2025, 1, 1), end=dt.date(2026, 6, 30),
                budget=Decimal("12000.50"),
                links={"swot_items": [swot_item(c)], "inventory_entries": [inventory_entry(c)],
                       "cards": [card(c)]})
    b = measure(c, other, "Bürgerbus", progress_override=30, links={"dependencies": [a]})
    return {"top": top, "sub": sub, "other": other, "a": a, "b": b}


def table_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def to_csv(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def edit(table, ref: str, columns: dict[str, str] | None = None, **cells):
    """Change cells of the row with this ID; keyword names use _ for a space."""
    header = table[0]
    row = next(r for r in table if r[header.index("ID")] == ref)
    for column, value in {**(columns or {}),
                          **{k.replace("_", " "): v for k, v in cells.items()}}.items():
        row[header.index(column)] = value
    return table


def versions(commune) -> dict[str, int]:
    return {**{f"Z{g.pk}": g.version for g in Goal.objects.filter(commune=commune)},
            **{f"M{m.pk}": m.version for m in Measure.objects.filter(commune=commune)}}


def test_export_carries_ids_parents_and_links(world, plan):
    table = table_of(exports.plan_csv(world.commune))
    header = table[0]
    rows = {r[header.index("ID")]: dict(zip(header, r, strict=True)) for r in table[1:]}
    a = rows[f"M{plan['a'].pk}"]
    assert a["Übergeordnet"] == f"Z{plan['sub'].pk}"
    assert rows[f"Z{plan['sub'].pk}"]["Übergeordnet"] == f"Z{plan['top'].pk}"
    assert a["Karten der Werkstatt"] == "Dorfcafé [Treffpunkte]"
    assert a["Karten (IDs)"] == f"K{plan['a'].cards.get().pk}"
    assert a["SWOT-Punkte"] == "Starkes Vereinsleben"
    assert a["SWOT (IDs)"] == f"S{plan['a'].swot_items.get().pk}"
    assert a["Bestandsaufnahme (IDs)"] == f"B{plan['a'].inventory_entries.get().pk}"
    assert rows[f"M{plan['b'].pk}"]["Abhängig von"] == f"M{plan['a'].pk}"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unchanged_file_changes_nothing(world, plan, fmt):
    content = (exports.plan_csv if fmt == "csv" else exports.plan_xlsx)(world.commune)
    before, snap = versions(world.commune), selectors.plan_snapshot(world.commune)
    result = services.plan_import(commune=world.commune, name=f"p.{fmt}", content=content,
                                  by=world.user("team_member"))
    assert result.counts["updated"] == 0 and result.counts["created"] == 0
    assert result.counts["unchanged"] == 5
    assert versions(world.commune) == before
    assert selectors.plan_snapshot(world.commune) == snap
    event = HistoryEvent.objects.filter(verb="plan.imported").get()
    assert event.data["updated"] == 0 and event.data["unchanged"] == 5


def test_edited_cells_change_exactly_those_fields_csv(world, plan):
    a, b = plan["a"], plan["b"]
    table = table_of(exports.plan_csv(world.commune))
    edit(table, f"M{a.pk}", Titel="Wohnberatung mobil", Budget_in_Euro="1.234,56",
         Ende="31.12.2026", Status="verzögert")
    edit(table, f"Z{plan['other'].pk}", Gewicht="2,5")
    before = versions(world.commune)
    result = services.plan_import(commune=world.commune, name="p.csv", content=to_csv(table),
                                  by=world.user("team_member"))
    assert result.counts["updated"] == 2 and result.counts["unchanged"] == 3
    changed = {c.ref: set(c.fields) for c in result.updated}
    assert changed == {f"M{a.pk}": {"Maßnahme", "Budget in Euro", "Ende", "Status"},
                       f"Z{plan['other'].pk}": {"Gewicht"}}
    a.refresh_from_db()
    assert a.title == "Wohnberatung mobil" and a.budget == Decimal("1234.56")
    assert a.end == dt.date(2026, 12, 31) and a.status == status(world.commune, "verzoegert")
    assert a.lead == "Sozialamt" and a.start == dt.date(2025, 1, 1)      # untouched
    assert a.cards.count() == 1 and a.swot_items.count() == 1            # links kept
    assert Goal.objects.get(pk=plan["other"].pk).weight == Decimal("2.5")
    after = versions(world.commune)
    assert after[f"M{a.pk}"] == before[f"M{a.pk}"] + 1
    assert after[f"M{b.pk}"] == before[f"M{b.pk}"]                       # not bumped
    assert set(b.dependencies.all()) == {a}


def test_edited_cells_change_exactly_those_fields_xlsx(world, plan):
    from openpyxl import load_workbook

    from zwk.reports.xlsx import workbook_bytes

    sheet = load_workbook(io.BytesIO(exports.plan_xlsx(world.commune))).worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = table[0]
    row = next(r for r in table if r[header.index("ID")] == f"M{plan['b'].pk}")
    row[header.index("Federführung")] = "Ordnungsamt"
    row[header.index("Beginn")] = dt.datetime(2026, 3, 1)        # a real Excel date
    row[header.index("Fortschritt abweichend")] = 45
    content = workbook_bytes({"Werkstattplan": (header, table[1:])})
    result = services.plan_import(commune=world.commune, name="p.xlsx", content=content, by=None)
    assert [(c.ref, set(c.fields)) for c in result.updated] == [
        (f"M{plan['b'].pk}", {"Federführung", "Beginn",
                              "Fortschritt in % (abweichend vom Status)"})]
    b = Measure.objects.get(pk=plan["b"].pk)
    assert (b.lead, b.start, b.progress_override) == ("Ordnungsamt", dt.date(2026, 3, 1), 45)


def test_new_rows_reference_each_other_and_existing_items(world, plan):
    table = table_of(exports.plan_csv(world.commune))
    field = plan["top"].action_field.name
    blank = dict.fromkeys(COLUMNS, "")
    table.append(list({**blank, "Typ": "Ziel", "ID": "neu-ziel", "Handlungsfeld": field,
                       "Übergeordnet": f"Z{plan['top'].pk}", "Titel": "Wohnen im Quartier"}
                      .values()))
    table.append(list({**blank, "Typ": "Maßnahme", "ID": "neu-1", "Handlungsfeld": field,
                       "Übergeordnet": "neu-ziel", "Titel": "Quartierstreff",
                       "Status": "geplant", "Abhängig von": f"neu-2, M{plan['a'].pk}",
                       "SWOT (IDs)": f"S{plan['a'].swot_items.get().pk}",
                       "Beginn": "01.02.2026", "Budget in Euro": "2.500"}.values()))
    table.append(list({**blank, "Typ": "Maßnahme", "Handlungsfeld": field, "ID": "neu-2",
                       "Übergeordnet": "neu-ziel", "Titel": "Raum finden",
                       "Status": "geplant"}.values()))
    result = services.plan_import(commune=world.commune, name="p.csv", content=to_csv(table),
                                  by=None)
    assert (result.created_goals, result.created_measures) == (1, 2)
    assert result.counts["updated"] == 0
    new_goal = Goal.objects.get(title="Wohnen im Quartier")
    assert new_goal.parent == plan["top"] and new_goal.action_field == plan["top"].action_field
    treff = Measure.objects.get(title="Quartierstreff")
    assert treff.goal == new_goal and treff.start == dt.date(2026, 2, 1)
    assert treff.budget == Decimal("2500")
    assert {m.title for m in treff.dependencies.all()} == {"Raum finden", "Wohnberatung"}
    assert list(treff.swot_items.all()) == list(plan["a"].swot_items.all())


def test_missing_rows_are_kept_and_counted(world, plan):
    table = table_of(exports.plan_csv(world.commune))
    keep = [table[0]] + [r for r in table[1:] if r[1] in (f"Z{plan['other'].pk}",
                                                         f"M{plan['b'].pk}")]
    result = services.plan_import(commune=world.commune, name="p.csv", content=to_csv(keep),
                                  by=None)
    assert result.counts["not_in_file"] == 3 and result.counts["unchanged"] == 2
    assert Goal.objects.filter(commune=world.commune).count() == 3
    assert Measure.objects.filter(commune=world.commune).count() == 2


def test_only_the_columns_in_the_file_are_touched(world, plan):
    a = plan["a"]
    content = to_csv([["Typ", "ID", "Handlungsfeld", "Übergeordnet", "Titel", "Federführung"],
                      ["Maßnahme", f"M{a.pk}", a.goal.action_field.name, f"Z{a.goal_id}",
                       a.title, "Bauamt"]])
    result = services.plan_import(commune=world.commune, name="p.csv", content=content, by=None)
    assert [set(c.fields) for c in result.updated] == [{"Federführung"}]
    a.refresh_from_db()
    assert a.lead == "Bauamt" and a.budget == Decimal("12000.50")
    assert a.cards.count() == 1 and a.dependencies.count() == 0


def test_clearing_link_ids_removes_links_and_moving_a_measure(world, plan):
    a = plan["a"]
    table = edit(table_of(exports.plan_csv(world.commune)), f"M{a.pk}",
                 {"Karten (IDs)": ""}, Übergeordnet=f"Z{plan['other'].pk}")
    services.plan_import(commune=world.commune, name="p.csv", content=to_csv(table), by=None)
    a.refresh_from_db()
    assert a.cards.count() == 0 and a.goal == plan["other"]
    assert a.swot_items.count() == 1


def test_import_never_changes_an_adopted_version(world, plan):
    version = services.plan_adopt(commune=world.commune, label="Beschluss",
                                  adopted_on=dt.date(2025, 5, 1), by=None)
    frozen = dict(version.snapshot)
    table = edit(table_of(exports.plan_csv(world.commune)), f"M{plan['a'].pk}",
                 Titel="Neu im Entwurf")
    services.plan_import(commune=world.commune, name="p.csv", content=to_csv(table), by=None)
    version.refresh_from_db()
    assert version.snapshot == frozen
    assert any(m["title"] == "Wohnberatung" for m in version.snapshot["measures"])
    assert Measure.objects.get(pk=plan["a"].pk).title == "Neu im Entwurf"


def test_legacy_file_with_keys_adds_rows(world):
    field = world.commune.action_fields.first().name
    content = to_csv([["Typ", "Schlüssel", "Handlungsfeld", "Übergeordnet", "Titel", "Status"],
                      ["Ziel", "Z1", field, "", "Alt", ""],
                      ["Maßnahme", "M1", field, "Z1", "Altmaßnahme", "geplant"]])
    result = services.plan_import(commune=world.commune, name="p.csv", content=content, by=None)
    assert (result.created_goals, result.created_measures) == (1, 1)
    assert Measure.objects.get().goal.title == "Alt"


def test_export_copied_into_another_commune_via_legacy_keys(world, plan):
    table = table_of(exports.plan_csv(world.commune))
    table[0][table[0].index("ID")] = "Schlüssel"
    drop = [table[0].index(c) for c in ("Karten (IDs)", "SWOT (IDs)", "Bestandsaufnahme (IDs)")]
    table = [[c for i, c in enumerate(r) if i not in drop] for r in table]
    result = services.plan_import(commune=world.other_commune, name="p.csv",
                                  content=to_csv(table), by=None)
    assert (result.created_goals, result.created_measures) == (3, 2)
    copied = Measure.objects.get(commune=world.other_commune, title="Bürgerbus")
    assert [d.title for d in copied.dependencies.all()] == ["Wohnberatung"]
    assert copied.dependencies.get().commune == world.other_commune


# --- rejected as a whole -------------------------------------------------------------------------

def rejected(commune, table) -> str:
    with pytest.raises(ImportRejected) as error:
        services.plan_import(commune=commune, name="p.csv", content=to_csv(table), by=None)
    return "\n".join(error.value.errors)


def unchanged_after(commune, check):
    snap, before = selectors.plan_snapshot(commune), versions(commune)
    events = HistoryEvent.objects.count()
    text = check()
    assert selectors.plan_snapshot(commune) == snap and versions(commune) == before
    assert HistoryEvent.objects.count() == events
    return text


def test_goal_under_its_own_sub_goal_is_rejected(world, plan):
    table = edit(table_of(exports.plan_csv(world.commune)), f"Z{plan['top'].pk}",
                 Übergeordnet=f"Z{plan['sub'].pk}", Titel="geändert")
    text = unchanged_after(world.commune, lambda: rejected(world.commune, table))
    assert "nicht unter sich selbst oder einem seiner Unterziele" in text


def test_unknown_and_foreign_ids_are_rejected(world, plan):
    foreign_goal = goal(world.other_commune, "Fremd")
    foreign_swot = swot_item(world.other_commune, "Fremder Punkt")
    table = table_of(exports.plan_csv(world.commune))
    edit(table, f"M{plan['a'].pk}", {"SWOT (IDs)": f"S{foreign_swot.pk}"})
    edit(table, f"M{plan['b'].pk}", Übergeordnet=f"Z{foreign_goal.pk}")
    edit(table, f"Z{plan['other'].pk}", ID="Z999999")
    text = unchanged_after(world.commune, lambda: rejected(world.commune, table))
    line_a = next(i for i, r in enumerate(table, start=1) if r[1] == f"M{plan['a'].pk}")
    assert (f"Zeile {line_a}, Spalte „SWOT (IDs)“: S{foreign_swot.pk} gehört nicht zu dieser "
            "Kommune") in text
    assert f"Das Ziel „Z{foreign_goal.pk}“ gibt es weder in der Datei noch in dieser Kommune" \
        in text
    assert "Das Ziel „Z999999“ gibt es in dieser Kommune nicht." in text


def test_dependency_cycle_through_existing_measure_is_rejected(world, plan):
    table = edit(table_of(exports.plan_csv(world.commune)), f"M{plan['a'].pk}",
                 Abhängig_von=f"M{plan['b'].pk}")
    text = unchanged_after(world.commune, lambda: rejected(world.commune, table))
    assert f"Die Abhängigkeiten bilden einen Kreis: M{plan['a'].pk} → M{plan['b'].pk} → " \
           f"M{plan['a'].pk}" in text


def test_wrong_types_are_rejected_with_german_messages(world, plan):
    table = table_of(exports.plan_csv(world.commune))
    header = table[0]
    row = next(r for r in table if r[1] == f"M{plan['a'].pk}")
    row[header.index("Ende")] = "2026-31-12"
    row[header.index("Budget in Euro")] = "zwölf"
    row[header.index("Fortschritt abweichend")] = "120"
    row[header.index("ID")] = f"Z{plan['a'].pk}"
    table[0] = header + ["Bemerkung"]
    text = unchanged_after(world.commune, lambda: rejected(world.commune, table))
    assert "Unbekannte Spalten: „Bemerkung“" in text
    table[0] = header
    text = unchanged_after(world.commune, lambda: rejected(world.commune, table))
    assert "„2026-31-12“ ist kein Datum (TT.MM.JJJJ, z. B. 31.12.2026)." in text
    assert "„zwölf“ ist keine Zahl." in text
    assert "Der Wert muss zwischen 0 und 100 liegen." in text
    assert f"„Z{plan['a'].pk}“ ist die ID eines Ziels, die Zeile ist aber vom Typ „Maßnahme“" \
        in text


def test_retired_status_cannot_be_given_but_stays_valid(world, plan):
    stopped = status(world.commune, "gestoppt")
    MeasureStatus.objects.filter(pk=stopped.pk).update(is_active=False)
    table = edit(table_of(exports.plan_csv(world.commune)), f"M{plan['a'].pk}",
                 Status="gestoppt")
    text = unchanged_after(world.commune, lambda: rejected(world.commune, table))
    assert "Der Status „gestoppt“ wird nicht mehr vergeben." in text
    Measure.objects.filter(pk=plan["b"].pk).update(status=stopped)
    result = services.plan_import(commune=world.commune, name="p.csv",
                                  content=exports.plan_csv(world.commune), by=None)
    assert result.counts["updated"] == 0


# --- the page --------------------------------------------------------------------------------

def test_page_checks_then_imports_and_shows_counts(world, plan, login):
    client = login(world, "team_member")
    url = reverse("plan_import", args=[world.commune.pk])
    table = edit(table_of(exports.plan_csv(world.commune)), f"M{plan['b'].pk}",
                 Titel="Bürgerbus 2.0")
    content = to_csv(table)
    response = client.post(url, {"aktion": "pruefen",
                                 "datei": SimpleUploadedFile("p.csv", content)})
    page = response.content.decode()
    assert response.status_code == 200 and "1 geändert" in page and "Bürgerbus 2.0" in page
    assert Measure.objects.get(pk=plan["b"].pk).title == "Bürgerbus"     # only checked
    response = client.post(url, {"aktion": "importieren",
                                 "datei": SimpleUploadedFile("p.csv", content)}, follow=True)
    page = response.content.decode()
    assert "Import abgeschlossen" in page and "1 geändert" in page and "4 unverändert" in page
    assert Measure.objects.get(pk=plan["b"].pk).title == "Bürgerbus 2.0"


def test_page_unchanged_file_says_0_changed(world, plan, login):
    client = login(world, "coordinator")
    response = client.post(reverse("plan_import", args=[world.commune.pk]), {
        "aktion": "importieren",
        "datei": SimpleUploadedFile("p.csv", exports.plan_csv(world.commune))}, follow=True)
    assert "0 geändert" in response.content.decode()


def test_page_lists_errors_and_writes_nothing(world, plan, login):
    client = login(world, "team_member")
    table = edit(table_of(exports.plan_csv(world.commune)), f"M{plan['a'].pk}",
                 Beginn="morgen")
    response = client.post(reverse("plan_import", args=[world.commune.pk]), {
        "aktion": "importieren", "datei": SimpleUploadedFile("p.csv", to_csv(table))})
    assert response.status_code == 400
    assert "„morgen“ ist kein Datum" in response.content.decode()
    assert Measure.objects.get(pk=plan["a"].pk).start == dt.date(2025, 1, 1)


# --- who may import and export -------------------------------------------------------------------

IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}


def _new_goal_file(w):
    field = w.commune.action_fields.first().name
    content = to_csv([["Typ", "ID", "Handlungsfeld", "Übergeordnet", "Titel"],
                      ["Ziel", "", field, "", "Importiertes Ziel"]])
    return {"aktion": "importieren", "datei": SimpleUploadedFile("p.csv", content)}


IMPORT_CASES = [
    Case("import", IN_COMMUNE, "post", lambda w: reverse("plan_import", args=[w.commune.pk]),
         data=_new_goal_file,
         effect=lambda w: Goal.objects.filter(title="Importiertes Ziel").exists()),
    Case("check_only", IN_COMMUNE, "post",
         lambda w: reverse("plan_import", args=[w.commune.pk]),
         data=lambda w: {**_new_goal_file(w), "aktion": "pruefen"}),
    Case("export_docx", IN_COMMUNE, "get",
         lambda w: reverse("plan_export", args=[w.commune.pk, "docx"])),
]


@pytest.mark.parametrize("case", IMPORT_CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_import_export_permissions(world, login, case, role):
    assert_case(case, role, world, request_case(case, role, world, login))
    if case.name == "check_only":
        assert not Goal.objects.exists()
