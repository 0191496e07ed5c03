"""Official data of a commune: storing files, reading them once, handing them to the engine.

Files are kept as uploaded (so every figure can be reproduced from its file) and parsed with
`zwk.demography`. Parsed datasets are cached in-process by the content hashes of the files,
so a page view does not re-read files that did not change.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import OrderedDict
from pathlib import Path, PurePath
from threading import Lock

import numpy as np
import pandas as pd
from django.core.files.base import ContentFile
from django.db import transaction

from zwk.demography.dataset import Dataset, combine
from zwk.demography.errors import DemographyImportError
from zwk.demography.io import read_file
from zwk.demography.regions import kreis_of
from zwk.history.services import record
from zwk.profile.models import DataSource
from zwk.profile.services import ProfileError

MAX_DATA_FILE_BYTES = 50 * 1024 * 1024
_CACHE: OrderedDict[tuple, Dataset] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = Lock()
#: Two values for the same cell differ when more than this many persons apart (rounding in
#: different tables of the statistical offices stays below it).
CONTRADICTION_TOLERANCE = 0.5


def parse_upload(name: str, content: bytes) -> Dataset:
    """Parse file content with the engine; DemographyImportError becomes a ProfileError."""
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
        raise ProfileError(f"Für {commune.name} ist kein Gemeindeschlüssel hinterlegt; ohne ihn "
                           "lassen sich amtliche Daten nicht zuordnen.")
    if not keys & set(dataset.regions):
        found = ", ".join(f"{dataset.name(k)} ({k})" for k in dataset.regions[:5])
        raise ProfileError(f"Die Datei „{name}“ enthält keine Daten zu {commune.name} "
                           f"({commune.ags}) oder ihrem Kreis/Land. Gefunden: {found}.")


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
            found.append(f"{new.name(row.ags)} {row.year}: bisher {row.count_alt:,.0f}, "
                         f"in der Datei {row.count_neu:,.0f}".replace(",", "."))
    return found


@transaction.atomic
def data_source_add(*, commune, name: str, content: bytes, by, title: str = "",
                    origin: str = DataSource.Origin.UPLOAD,
                    replacing: DataSource | None = None) -> DataSource:
    """Store an official data file for the commune after reading and checking it whole.

    Refused with a German message (and nothing stored) if the file cannot be read, belongs to
    another commune, is already loaded, or contradicts data already loaded.
    """
    if len(content) > MAX_DATA_FILE_BYTES:
        raise ProfileError(f"Die Datei „{name}“ ist größer als 50 MB.")
    sha = hashlib.sha256(content).hexdigest()
    others = commune.data_sources.exclude(pk=getattr(replacing, "pk", None))
    if others.filter(sha256=sha).exists():
        raise ProfileError(f"Die Datei „{name}“ ist für {commune.name} bereits geladen.")
    dataset = parse_upload(name, content)
    _check_belongs(commune, dataset, name)
    loaded = dataset_of(list(others))
    if loaded is not None and (clashes := contradictions(loaded, dataset)):
        raise ProfileError("Die Datei widerspricht bereits geladenen Daten: "
                           + "; ".join(clashes) + ". Ersetzen Sie den älteren Datensatz, "
                           "wenn die neue Datei gilt.")
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
    try:
        source.save()
        record(verb="data.added", actor=by, subject=source, commune=commune, name=name,
               years=[min(source.years), max(source.years)] if source.years else [],
               regions=len(source.regions), replaced=getattr(replacing, "pk", None))
    except Exception:
        source.file.delete(save=False)
        raise
    return source


@transaction.atomic
def data_source_remove(*, source: DataSource, by, replaced: bool = False) -> None:
    record(verb="data.replaced" if replaced else "data.removed", actor=by, subject=source,
           commune=source.commune, name=source.original_name)
    stored = source.file.name
    storage = source.file.storage
    source.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def _layout_of(dataset: Dataset) -> str:
    return "synthetisch" if dataset.synthetic else "amtlich"


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
    datasets = []
    for source in sources:
        with source.file.open("rb") as handle:
            datasets.append(parse_upload(source.original_name, handle.read()))
    dataset = combine(datasets)
    with _CACHE_LOCK:
        _CACHE[key] = dataset
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return dataset


def commune_dataset(commune) -> Dataset | None:
    """Everything loaded for a commune (its own files), or None when nothing is loaded."""
    return dataset_of(list(commune.data_sources.all()))


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
