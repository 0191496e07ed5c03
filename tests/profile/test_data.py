"""Official data of a commune: upload in every layout, refusals that store nothing, replace,
remove, API fetch through a faked client, comparison regions, scenarios, demo data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_commune
from zwk.history.models import HistoryEvent
from zwk.profile import data
from zwk.profile.models import DataSource, Scenario
from zwk.profile.services import ProfileError


@pytest.fixture(scope="session")
def demo_files() -> dict[str, bytes]:
    """The synthetic Hochsauerlandkreis files, by name (generated once per test process)."""
    return dict(data.demo_files())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test stores files in its own folder (the database is rolled back, files not)."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "media"}}}
    return tmp_path / "media"


@pytest.fixture
def town(world):
    """The world's commune, re-keyed as Arnsberg (05958004) so the demo files belong to it."""
    type(world.commune).objects.filter(pk=world.commune.pk).update(ags="05958004")
    world.commune.refresh_from_db()
    return world.commune


def stored_files(commune) -> list[Path]:
    folder = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "profile" / str(
        commune.pk) / "data"
    return [p for p in folder.glob("*") if p.is_file()] if folder.exists() else []


def events(commune, verb: str) -> int:
    return HistoryEvent.objects.filter(commune=commune, verb=verb).count()


def assert_nothing_stored(commune) -> None:
    assert not DataSource.objects.filter(commune=commune).exists()
    assert stored_files(commune) == []
    assert events(commune, "data.added") == 0


def modified(content: bytes) -> bytes:
    """The register extract with one count changed (2021, women aged 0: 324 → 424)."""
    text = content.decode("utf-8-sig")
    assert "2021;;f;0;1;324" in text
    return text.replace("2021;;f;0;1;324", "2021;;f;0;1;424", 1).encode("utf-8")


@pytest.mark.parametrize("name, layout_years", [
    ("12411-02-03-5_flat.zip", (2011, 2023)),      # current flat file, zipped, long
    ("12411-04-02-4_flat.csv", (2011, 2023)),      # older flat file, wide
    ("12411-0018_tabelle.csv", (2011, 2023)),      # table download for people
    ("melderegister_arnsberg.csv", (2021, 2023)),  # tidy register extract
])
def test_upload_every_layout(town, world, demo_files, name, layout_years):
    source = data.data_source_add(commune=town, name=name, content=demo_files[name],
                                  by=world.user("coordinator"))
    assert source.years[0] == layout_years[0] and source.years[-1] == layout_years[1]
    assert source.is_synthetic and "SYNTHETISCHE DEMODATEN" in source.source_line
    assert source.regions and source.row_count > 0
    assert len(stored_files(town)) == 1
    event = HistoryEvent.objects.get(commune=town, verb="data.added")
    assert event.data["name"] == name
    assert data.commune_dataset(town) is not None


def test_file_of_another_commune_is_refused(world, demo_files):
    munich = make_commune(world.programme, name="München", kind="stadt", land="09",
                          ags="09162000")
    with pytest.raises(ProfileError, match="enthält keine Daten zu München"):
        data.data_source_add(commune=munich, name="12411-02-03-5_flat.zip",
                             content=demo_files["12411-02-03-5_flat.zip"], by=None)
    assert_nothing_stored(munich)


def test_wrong_layout_is_refused_with_a_german_message(town):
    with pytest.raises(ProfileError) as error:
        data.data_source_add(commune=town, name="notizen.csv",
                             content="Einkaufsliste;Menge\nÄpfel;3\n".encode(), by=None)
    assert "notizen" in str(error.value)
    assert_nothing_stored(town)


def test_contradicting_file_is_refused_and_can_replace(town, demo_files):
    original = data.data_source_add(commune=town, name="melderegister_arnsberg.csv",
                                    content=demo_files["melderegister_arnsberg.csv"], by=None)
    changed = modified(demo_files["melderegister_arnsberg.csv"])
    with pytest.raises(ProfileError, match="widerspricht bereits geladenen Daten.*bisher 324"):
        data.data_source_add(commune=town, name="melderegister_neu.csv", content=changed,
                             by=None)
    assert list(DataSource.objects.filter(commune=town)) == [original]
    assert len(stored_files(town)) == 1 and events(town, "data.added") == 1

    replacement = data.data_source_add(commune=town, name="melderegister_neu.csv",
                                       content=changed, by=None, replacing=original)
    assert list(DataSource.objects.filter(commune=town)) == [replacement]
    assert events(town, "data.replaced") == 1
    pop = data.commune_dataset(town).population
    cell = pop[(pop["year"] == 2021) & (pop["sex"] == "f") & (pop["age_from"] == 0)]
    assert cell["count"].tolist() == [424.0]


def test_same_file_twice_is_refused(town, demo_files):
    name = "12411-0018_tabelle.csv"
    data.data_source_add(commune=town, name=name, content=demo_files[name], by=None)
    with pytest.raises(ProfileError, match="bereits geladen"):
        data.data_source_add(commune=town, name=name, content=demo_files[name], by=None)
    assert DataSource.objects.filter(commune=town).count() == 1


def test_remove_deletes_row_and_file_after_commit(town, demo_files,
                                                  django_capture_on_commit_callbacks):
    name = "12411-0018_tabelle.csv"
    source = data.data_source_add(commune=town, name=name, content=demo_files[name], by=None)
    with django_capture_on_commit_callbacks(execute=True):
        data.data_source_remove(source=source, by=None)
    assert not DataSource.objects.filter(commune=town).exists() and stored_files(town) == []
    assert events(town, "data.removed") == 1
    assert data.commune_dataset(town) is None


def test_api_fetch_uses_the_client_and_stores_like_an_upload(town, demo_files):
    calls = []

    def recorded_client(*, table, region):   # stands in for pystatis at the boundary
        calls.append((table, region))
        return "12411-02-03-5_flat.zip", demo_files["12411-02-03-5_flat.zip"]

    source = data.data_source_fetch(commune=town, table="12411-02-03-5", by=None,
                                    client=recorded_client)
    assert calls == [("12411-02-03-5", "05958004")]
    assert source.origin == DataSource.Origin.API and source.title.startswith("12411-02-03-5")


def test_api_failure_and_missing_credentials_store_nothing(town, monkeypatch):
    def broken(*, table, region):
        raise ConnectionError("Zeitüberschreitung")

    with pytest.raises(ProfileError, match="fehlgeschlagen: Zeitüberschreitung"):
        data.data_source_fetch(commune=town, table="12411-02-03-5", by=None, client=broken)
    monkeypatch.delenv("PYSTATIS_REGIO_API_USERNAME", raising=False)
    assert not data.api_configured()
    with pytest.raises(ProfileError, match="keine Zugangsdaten"):
        data.data_source_fetch(commune=town, table="12411-02-03-5", by=None)
    assert_nothing_stored(town)


def test_demo_data_reaches_the_kreis_and_its_towns(world):
    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    brilon = make_commune(world.programme, name="Brilon", kind="stadt", ags="05958012",
                          parent=kreis)
    added = data.demo_data_load(programme=world.programme, by=None)
    assert len(added) == 11 and all(s.origin == "demo" and s.is_synthetic for s in added)
    assert not brilon.data_sources.exists()
    dataset = data.commune_dataset(brilon)
    assert "05958012" in dataset.regions and dataset.synthetic
    assert data.demo_data_load(programme=world.programme, by=None) == []  # idempotent


def test_comparison_regions_default_set_and_reset(world, demo_files):
    kreis = make_commune(world.programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    brilon = make_commune(world.programme, name="Brilon", kind="stadt", ags="05958012",
                          parent=kreis)
    data.demo_data_load(programme=world.programme, by=None)
    dataset = data.commune_dataset(brilon)
    automatic = data.comparison_regions(brilon, dataset)
    assert automatic[0]["ags"] == "05958"
    data.comparison_regions_set(commune=brilon, keys=["05"], by=None)
    assert [r["ags"] for r in data.comparison_regions(brilon, dataset)] == ["05"]
    assert events(brilon, "comparison.changed") == 1
    with pytest.raises(ProfileError, match="Unbekannte Vergleichsregion"):
        data.comparison_regions_set(commune=brilon, keys=["99999"], by=None)
    assert [r["ags"] for r in data.comparison_regions(brilon, dataset)] == ["05"]
    data.comparison_regions_reset(commune=brilon, by=None)
    assert data.comparison_regions(brilon, dataset) == automatic


@pytest.mark.parametrize("parameters, message", [
    ({"fertility_factor": -1.0}, "Fertilitätsfaktor"),
    ({"e0_gain_male": 9.0, "e0_gain_female": 9.0}, "Lebenserwartung"),
    ({"in_migration_factor": 7.0}, "Zuzüge"),
])
def test_impossible_scenario_is_not_stored(town, parameters, message):
    with pytest.raises(ProfileError, match=message):
        data.scenario_save(commune=town, name="Unmöglich", preset="basis", horizon=2040,
                           parameters=parameters, by=None)
    assert not Scenario.objects.filter(commune=town).exists()
    assert events(town, "scenario.saved") == 0


def test_scenario_saved_named_and_removed(town):
    scenario = data.scenario_save(commune=town, name="Mehr Zuzug", preset="zuwanderung_hoch",
                                  horizon=2045, parameters={"fertility_factor": 1.1}, by=None)
    with pytest.raises(ProfileError, match="gibt es für"):
        data.scenario_save(commune=town, name="Mehr Zuzug", preset="basis", horizon=2040,
                           parameters={}, by=None)
    data.scenario_remove(scenario=scenario, by=None)
    assert events(town, "scenario.saved") == 1 and events(town, "scenario.removed") == 1
    assert not Scenario.objects.filter(commune=town).exists()
