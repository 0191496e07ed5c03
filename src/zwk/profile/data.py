"""Official data of a commune: storing files, reading them once, handing them to the engine.

Files are kept as uploaded (so every figure can be reproduced from its file) and parsed with
`zwk.demography`. Parsed datasets are cached in-process by the content hashes of the files,
so a page view does not re-read files that did not change, and in the shared cache of all app
processes when one is configured (`zwk.profile.cache`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import OrderedDict
from pathlib import Path, PurePath
from threading import Lock

import numpy as np
import pandas as pd
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from zwk.demography.dataset import Dataset, combine
from zwk.demography.errors import DemographyImportError
from zwk.demography.io import read_file
from zwk.demography.regions import LAENDER, kreis_of
from zwk.demography.register import load_register
from zwk.formatting import number
from zwk.history.services import record
from zwk.process.uploads import stored_only_on_success
from zwk.profile import cache as shared
from zwk.profile.models import ComparisonRegion, DataSource, Scenario
from zwk.profile.services import ProfileError
from zwk.profile.upload_check import UploadCheck, summarise

MAX_DATA_FILE_BYTES = 50 * 1024 * 1024
_CACHE: OrderedDict[tuple, Dataset] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = Lock()
#: Two values for the same cell differ when more than this many persons apart (rounding in
#: different tables of the statistical offices stays below it).
CONTRADICTION_TOLERANCE = 0.5


_PARSED: OrderedDict[tuple[str, str], Dataset] = OrderedDict()


def parse_upload(name: str, content: bytes) -> Dataset:
    """Parse file content with the engine; DemographyImportError becomes a ProfileError.

    Parsed files are remembered by (content hash, name): the layout is detected from the
    content, the name only breaks ties, so the same bytes always give the same dataset.
    """
    key = (hashlib.sha256(content).hexdigest(), PurePath(name).suffix.lower())
    with _CACHE_LOCK:
        if key in _PARSED:
            _PARSED.move_to_end(key)
            return _PARSED[key]
    dataset = _parse(name, content)
    with _CACHE_LOCK:
        _PARSED[key] = dataset
        while len(_PARSED) > 4 * _CACHE_SIZE:
            _PARSED.popitem(last=False)
    return dataset


def _parse(name: str, content: bytes) -> Dataset:
    suffix = PurePath(name).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory(prefix="zwk-upload-") as tmp:
        path = Path(tmp) / f"{PurePath(name).stem[:80] or 'daten'}{suffix}"
        path.write_bytes(content)
        try:
            return read_file(path)
        except DemographyImportError as error:
            raise ProfileError(str(error)) from error


def related_keys(commune) -> set[str]:
    """Keys a file must touch to belong to the commune: itself, its parts, its Kreis, Land."""
    keys = {commune.ags} if commune.ags else set()
    keys |= {child.ags for child in commune.children.all() if child.ags}
    if commune.parent is not None and commune.parent.ags:
        keys.add(commune.parent.ags)
    if commune.ags:
        keys |= {kreis_of(commune.ags) or "", commune.ags[:2]}
    return keys - {""}


def _check_belongs(commune, dataset: Dataset, name: str) -> None:
    keys = related_keys(commune)
    if not keys:
        raise ProfileError(_("Für %(commune)s ist kein Gemeindeschlüssel hinterlegt; ohne ihn "
                             "lassen sich amtliche Daten nicht zuordnen.")
                           % {"commune": commune.name})
    inside = len(commune.ags) == 5 and any(kreis_of(r) == commune.ags for r in dataset.regions)
    if not keys & set(dataset.regions) and not inside:
        found = ", ".join(f"{dataset.name(k)} ({k})" for k in dataset.regions[:5])
        raise ProfileError(_("Die Datei „%(name)s“ enthält keine Daten zu %(commune)s "
                             "(%(commune_ags)s) oder ihrem Kreis/Land. Gefunden: %(found)s.")
                           % {"name": name, "commune": commune.name, "commune_ags": commune.ags,
                              "found": found})


def contradictions(loaded: Dataset, new: Dataset) -> list[str]:
    """German descriptions of cells that both datasets hold with different values."""
    found = []
    for frame, keys in ((lambda d: d.population, ["ags", "year", "sex", "age_from", "age_to"]),
                        (lambda d: d.events, ["ags", "year", "event", "sex", "age_from",
                                              "age_to"])):
        merged = frame(loaded).merge(frame(new), on=keys, suffixes=("_alt", "_neu"))
        merged = merged.dropna(subset=["count_alt", "count_neu"])
        clash = merged[(merged["count_alt"] - merged["count_neu"]).abs()
                       > CONTRADICTION_TOLERANCE]
        for row in clash.head(3).itertuples():
            found.append(f"{new.name(row.ags)} {row.year}: bisher {number(row.count_alt, 0)}, "
                         f"in der Datei {number(row.count_neu, 0)}")
    return found


def _checked(*, commune, name: str, content: bytes, replacing: DataSource | None
             ) -> tuple[Dataset, str]:
    """Read and check a file whole, as an upload does: (dataset, sha256). Refused with a German
    message if it cannot be read, belongs to another commune, is already loaded, or contradicts
    data already loaded."""
    if len(content) > MAX_DATA_FILE_BYTES:
        raise ProfileError(_("Die Datei „%(name)s“ ist größer als 50 MB.") % {"name": name})
    sha = hashlib.sha256(content).hexdigest()
    others = commune.data_sources.exclude(pk=getattr(replacing, "pk", None))
    if others.filter(sha256=sha).exists():
        raise ProfileError(_("Die Datei „%(name)s“ ist für %(commune)s bereits geladen.")
                           % {"name": name, "commune": commune.name})
    dataset = parse_upload(name, content)
    _check_belongs(commune, dataset, name)
    loaded = dataset_of(list(others) + inherited_sources(commune))
    if loaded is not None and (clashes := contradictions(loaded, dataset)):
        raise ProfileError(_("Die Datei widerspricht bereits geladenen Daten: %(clashes)s. "
                             "Ersetzen Sie den älteren Datensatz, wenn die neue Datei gilt.")
                           % {"clashes": "; ".join(clashes)})
    return dataset, sha


def data_source_check(*, commune, name: str, content: bytes,
                      replacing: DataSource | None = None) -> UploadCheck:
    """"Nur prüfen": everything `data_source_add` checks, and what the file would load
    (regions, years, variables, rows, warnings). Stores nothing and records no event."""
    dataset, _sha = _checked(commune=commune, name=name, content=content, replacing=replacing)
    return summarise(commune, name, dataset, related_keys(commune), _layout_of(dataset))


@transaction.atomic
def data_source_add(*, commune, name: str, content: bytes, by, title: str = "",
                    origin: str = DataSource.Origin.UPLOAD,
                    replacing: DataSource | None = None) -> DataSource:
    """Store a data file for the commune after reading and checking it whole (`_checked`);
    refused with a German message and nothing stored when a check fails."""
    dataset, sha = _checked(commune=commune, name=name, content=content, replacing=replacing)
    if replacing is not None:
        data_source_remove(source=replacing, by=by, replaced=True)
    source = DataSource(
        commune=commune, title=title.strip() or name, original_name=name[:255], sha256=sha,
        origin=origin, layout=_layout_of(dataset), tables=_tables_of(name),
        regions=[{"ags": k, "name": dataset.name(k)} for k in dataset.regions],
        years=[int(y) for y in dataset.years],
        row_count=len(dataset.population) + len(dataset.events),
        source_line=dataset.source, is_synthetic=dataset.synthetic, uploaded_by=by)
    source.file.save(name, ContentFile(content), save=False)
    with stored_only_on_success(source.file):
        source.save()
        record(verb="data.added", actor=by, subject=source, commune=commune, name=name,
               years=[min(source.years), max(source.years)] if source.years else [],
               regions=len(source.regions), replaced=getattr(replacing, "pk", None))
    return source


@transaction.atomic
def data_source_remove(*, source: DataSource, by, replaced: bool = False) -> None:
    record(verb="data.replaced" if replaced else "data.removed", actor=by, subject=source,
           commune=source.commune, name=source.original_name)
    stored = source.file.name
    storage = source.file.storage
    source.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _layout_of(dataset: Dataset) -> str:
    if dataset.synthetic:
        return "synthetisch"
    return "amtlich" if dataset.official else DataSource.OWN_DATA


def _tables_of(name: str) -> list[str]:
    stem = PurePath(name).name.split("_")[0]
    return [stem] if stem[:5].isdigit() else []


def dataset_of(sources: list[DataSource]) -> Dataset | None:
    """The combined dataset of some stored sources, parsed once per set of file contents."""
    if not sources:
        return None
    key = tuple(sorted((s.sha256, s.file.name) for s in sources))
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    # a process that has not parsed these files yet takes them from the shared cache
    def parse_all():
        datasets = []
        for source in sources:
            with source.file.open("rb") as handle:
                datasets.append(parse_upload(source.original_name, handle.read()))
        return combine(datasets)

    dataset = shared.get_or_compute(("dataset", key), parse_all)
    with _CACHE_LOCK:
        _CACHE[key] = dataset
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return dataset


def inherited_sources(commune) -> list[DataSource]:
    """Files loaded for the Kreis a town belongs to (the town sees the Kreis's data too)."""
    parent = commune.parent
    if parent is None:
        return []
    return list(DataSource.objects.filter(commune_id=parent.pk).select_related("commune"))


def commune_sources(commune) -> list[DataSource]:
    """Own files plus those of the parent Kreis, own first."""
    own = list(commune.data_sources.all())
    return own + inherited_sources(commune)


def commune_dataset(commune) -> Dataset | None:
    """Everything loaded for a commune (its own files and its Kreis's), or None."""
    return dataset_of(commune_sources(commune))


def sources_key(sources: list[DataSource]) -> str:
    """A short stable key of a set of files, for caches of results computed from them."""
    return sources_key_of_hashes([s.sha256 for s in sources])


def sources_key_of_hashes(hashes) -> str:
    joined = "|".join(sorted(hashes))
    return hashlib.sha256(joined.encode()).hexdigest()[:24]


def commune_key(commune, dataset: Dataset) -> str | None:
    """The key under which the commune appears in its data (its AGS), if it does."""
    return commune.ags if commune.ags and commune.ags in dataset.regions else None


def finite(value) -> float | None:
    """A number for templates and JSON: None instead of NaN/inf."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with NaN turned into None."""
    return [{k: (finite(v) if isinstance(v, float) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


# ------------------------------------------------------------------- comparison regions

def region_name(key: str, dataset: Dataset | None = None) -> str:
    """The official name of a Land, Kreis or Gemeinde key: the Länder table or the register,
    else the name in the commune's data, else "" (never the bare key)."""
    if len(key) == 2:
        return LAENDER.get(key, "")
    register = load_register()
    entry = register.kreise.get(key) if len(key) == 5 else register.municipality(key)
    if entry is not None:
        return entry.name
    if dataset is not None and key in dataset.regions and dataset.name(key) != key:
        return dataset.name(key)
    return ""


def own_area(commune) -> tuple[str, str]:
    """(Kreis key, Land key) of the commune: from its AGS, else its parent's, else its Land."""
    key = commune.ags or (commune.parent.ags if commune.parent_id and commune.parent else "")
    kreis = (kreis_of(key) or "") if len(key) in (5, 8) else ""
    return kreis, (key[:2] if key else commune.land)


def comparison_candidates(commune, dataset: Dataset | None) -> list[dict]:
    """Regions the commune may be compared with: its Kreis, its Land, and the programme's
    communes inside its Land (issue 11: never communes of another Land).

    Each is ``{"ags", "name", "kind", "has_data"}``; names come from the register; regions
    without data are offered too (they get data when the commune with that key loads some).
    """
    from zwk.communes.models import Commune

    in_data = set(dataset.regions) if dataset is not None else set()
    found: dict[str, dict] = {}
    kreis, land = own_area(commune)

    def add(ags: str, name: str, kind: str) -> None:
        if ags and ags != commune.ags and ags not in found:
            found[ags] = {"ags": ags, "name": name or region_name(ags, dataset) or ags,
                          "kind": kind}

    if commune.parent is not None and commune.parent.ags:
        add(commune.parent.ags, region_name(commune.parent.ags, dataset) or commune.parent.name,
            ComparisonRegion.Kind.KREIS if len(commune.parent.ags) == 5
            else ComparisonRegion.Kind.COMMUNE)
    add(kreis, "", ComparisonRegion.Kind.KREIS)
    add(land, "", ComparisonRegion.Kind.LAND)
    others = (Commune.objects.filter(programme_id=commune.programme_id, is_active=True,
                                     ags__startswith=land)
              .exclude(pk=commune.pk).exclude(ags="").order_by("name")) if land else []
    with_data = set(DataSource.objects.filter(commune__programme_id=commune.programme_id)
                    .values_list("commune_id", flat=True))
    parents_with_data = {c.pk for c in others if c.parent_id in with_data}
    for other in others:
        add(other.ags, other.name, ComparisonRegion.Kind.COMMUNE)
        found[other.ags]["has_data"] = (other.ags in in_data or other.pk in with_data
                                        or other.pk in parents_with_data)
    for entry in found.values():
        entry.setdefault("has_data", entry["ags"] in in_data)
    return list(found.values())


def comparison_defaults(commune, dataset: Dataset | None, limit: int = 3) -> list[dict]:
    """The automatic choice: Kreis and Land where data exist, plus up to `limit` communes of
    the programme in the same Land with data, siblings of the same Kreis first, then the
    closest in population. Empty when none of them has data (the pages then say why)."""
    candidates = comparison_candidates(commune, dataset)
    chosen = [c for c in candidates if c["kind"] in ("kreis", "land") and c["has_data"]]
    others = [c for c in candidates if c["kind"] == "commune" and c["has_data"]]
    size = {c.ags: c.population or 0 for c in
            type(commune).objects.filter(programme_id=commune.programme_id,
                                         ags__in=[o["ags"] for o in others])}
    own = commune.population or 0
    same_kreis = own_area(commune)[0] or "-"
    others.sort(key=lambda c: (not c["ags"].startswith(same_kreis) or len(c["ags"]) != 8,
                               abs(size.get(c["ags"], 0) - own)))
    return chosen + others[:limit]


def comparison_regions(commune, dataset: Dataset | None) -> list[dict]:
    """The stored choice when the commune made one, else the automatic defaults."""
    stored = list(commune.comparison_regions.all())
    if stored:
        # rows stored before the register named Kreise carry the bare key as their name
        return [{"ags": r.ags, "name": (region_name(r.ags, dataset) or r.name)
                 if r.name == r.ags else r.name, "kind": r.kind} for r in stored]
    return comparison_defaults(commune, dataset)


def comparison_area(commune) -> dict:
    """The commune's own Kreis and Land by name, for the hint when nothing can be compared,
    with the register's attribution line (the names come from it)."""
    kreis, land = own_area(commune)
    return {"kreis": region_name(kreis) if kreis and kreis != commune.ags else "",
            "land": LAENDER.get(land, ""), "source": load_register().attribution}


@transaction.atomic
def comparison_regions_set(*, commune, keys: list[str], by) -> list[ComparisonRegion]:
    """Store the commune's own choice of comparison regions (from the candidates)."""
    candidates = {c["ags"]: c for c in comparison_candidates(commune, commune_dataset(commune))}
    unknown = [k for k in keys if k not in candidates]
    if unknown:
        raise ProfileError(_("Unbekannte Vergleichsregion: %(keys)s.")
                           % {"keys": ", ".join(unknown)})
    if len(keys) > 8:
        raise ProfileError(_("Bitte wählen Sie höchstens acht Vergleichsregionen."))
    commune.comparison_regions.all().delete()
    rows = [ComparisonRegion.objects.create(
        commune=commune, ags=k, name=candidates[k]["name"][:200], kind=candidates[k]["kind"],
        is_automatic=False, position=i) for i, k in enumerate(keys)]
    record(verb="comparison.changed", actor=by, commune=commune,
           regions=[candidates[k]["name"] for k in keys])
    return rows


@transaction.atomic
def comparison_regions_reset(*, commune, by) -> None:
    """Back to the automatic choice."""
    commune.comparison_regions.all().delete()
    record(verb="comparison.reset", actor=by, commune=commune)


# ------------------------------------------------------------------------------ the API

API_TABLES = {
    "12411-02-03-5": "Bevölkerung nach Geschlecht und Altersgruppen (Gemeinden)",
    "12612-91-01-5": "Lebendgeborene (Gemeinden)",
    "12613-91-01-5": "Gestorbene (Gemeinden)",
    "12711-91-01-5": "Zu- und Fortzüge über die Gemeindegrenzen (Gemeinden)",
    "12411-04-02-4": "Bevölkerung nach Geschlecht und Altersjahren (Kreise)",
}


def api_configured() -> bool:
    """True when the server has credentials for the Regionaldatenbank (pystatis)."""
    return bool(os.environ.get("PYSTATIS_REGIO_API_USERNAME")
                and os.environ.get("PYSTATIS_REGIO_API_PASSWORD"))


def pystatis_client(*, table: str, region: str) -> tuple[str, bytes]:
    """Fetch one table of the Regionaldatenbank as a flat file (GENESIS 5 "ffcsv")."""
    from django.conf import settings

    os.environ.setdefault("PYSTATIS_CONFIG_DIR", str(settings.DATA_DIR / "pystatis"))
    import pystatis

    pystatis.setup_credentials("regio")
    level_var = "KREISE" if len(region) == 5 else "GEMEIN"
    result = pystatis.Table(name=table)
    result.get_data(prettify=False, area="all", regionalvariable=level_var, regionalkey=region)
    return f"{table}_flat.csv", str(result.raw_data).encode("utf-8")


def data_source_fetch(*, commune, table: str, by, client=None) -> DataSource:
    """Fetch a table through the API and store it like an upload (same checks, same event)."""
    if table not in API_TABLES:
        raise ProfileError(_("Die Tabelle „%(table)s“ kann nicht abgerufen werden.")
                           % {"table": table})
    if not commune.ags:
        raise ProfileError(_("Für %(commune)s ist kein Gemeindeschlüssel hinterlegt.")
                           % {"commune": commune.name})
    if client is None:
        if not api_configured():
            raise ProfileError(_("Für den Abruf über die Schnittstelle sind auf dem Server keine "
                                 "Zugangsdaten hinterlegt."))
        client = pystatis_client
    try:
        name, content = client(table=table, region=commune.ags)
    except ProfileError:
        raise
    except Exception as error:  # network, credentials, quota: say so, store nothing
        raise ProfileError(_("Der Abruf der Tabelle %(table)s ist fehlgeschlagen: %(error)s")
                           % {"table": table, "error": error}) \
            from error
    return data_source_add(commune=commune, name=name, content=content, by=by,
                           title=f"{table} {API_TABLES[table]}",
                           origin=DataSource.Origin.API)


# ---------------------------------------------------------------------------- demo data

_DEMO_FILES: list[tuple[str, bytes]] = []


def demo_files() -> list[tuple[str, bytes]]:
    """The synthetic Hochsauerlandkreis files (generated once per process)."""
    if not _DEMO_FILES:
        from zwk.demography.synthetic import write_demo_files

        with tempfile.TemporaryDirectory(prefix="zwk-demo-") as tmp:
            _DEMO_FILES.extend((p.name, p.read_bytes()) for p in write_demo_files(tmp))
    return list(_DEMO_FILES)


DEMO_TITLES = {
    "12411-02-03-5": "Bevölkerung der Städte und Gemeinden nach Altersgruppen",
    "12411-04-02-4": "Bevölkerung des Kreises nach Altersjahren",
    "12411-0018": "Bevölkerung des Kreises nach Altersgruppen (Tabelle)",
    "12612-91-01-5": "Lebendgeborene der Städte und Gemeinden",
    "12613-91-01-5": "Gestorbene der Städte und Gemeinden",
    "12711-91-01-5": "Zu- und Fortzüge der Städte und Gemeinden",
    "12612-93-01-4": "Lebendgeborene des Kreises nach Alter der Mutter",
    "12613-93-01-4": "Gestorbene des Kreises nach Alter",
    "12711-01-03-4": "Zu- und Fortzüge des Kreises nach Alter",
    "12711-01-03-5": "Zu- und Fortzüge der Städte und Gemeinden nach Alter (bis 2017)",
    "melderegister": "Melderegisterauszug Arnsberg (Einzelalter)",
}


def demo_data_load(*, programme, by) -> list[DataSource]:
    """Give the demo Hochsauerlandkreis its synthetic data (its towns see it through it)."""
    from zwk.demography.synthetic import KREIS

    kreis = programme.communes.filter(ags=KREIS).first()
    if kreis is None or kreis.data_sources.exists():
        return []
    added = []
    for name, content in demo_files():
        stem = name.split("_")[0]
        title = f"{DEMO_TITLES.get(stem, stem)} (synthetisch)"
        added.append(data_source_add(commune=kreis, name=name, content=content, by=by,
                                     title=title, origin=DataSource.Origin.DEMO))
    return added


# ------------------------------------------------------------------------------ scenarios

@transaction.atomic
def scenario_save(*, commune, name: str, preset: str, horizon: int, parameters: dict,
                  by) -> Scenario:
    """Store a named projection scenario after validating it with the engine."""
    from zwk.demography import AssumptionError
    from zwk.demography.projection import scenario_from_dict

    name = name.strip()
    if not name:
        raise ProfileError(_("Bitte geben Sie dem Szenario einen Namen."))
    if commune.scenarios.filter(name=name).exists():
        raise ProfileError(_("Ein Szenario „%(name)s“ gibt es für %(commune)s schon.")
                           % {"name": name, "commune": commune.name})
    if not 2000 < horizon <= 2050:
        raise ProfileError(_("Das Zieljahr muss spätestens 2050 sein."))
    try:
        scenario_from_dict(parameters, base=preset)
    except AssumptionError as error:
        raise ProfileError(str(error)) from error
    scenario = Scenario.objects.create(commune=commune, name=name[:120], preset=preset,
                                       horizon=horizon, parameters=dict(parameters),
                                       created_by=by)
    record(verb="scenario.saved", actor=by, subject=scenario, commune=commune, preset=preset,
           horizon=horizon, parameters=parameters)
    return scenario


@transaction.atomic
def scenario_remove(*, scenario: Scenario, by) -> None:
    record(verb="scenario.removed", actor=by, subject=scenario, commune=scenario.commune,
           name=scenario.name)
    scenario.delete()
