"""Where the register lives: the shipped Parquet file and a newer one in the data folder.

The package ships the extract of 31.12.2019 as ``data/gemeindeverzeichnis.parquet`` (built by
``scripts/build_register.py`` from the raw CSV). ``zwk register load FILE`` writes a newer
extract of the same layout to ``$ZWK_DATA_DIR/register/gemeindeverzeichnis.parquet``; the
loader prefers that file. The status date travels in the Parquet metadata, so every file says
which day its figures describe.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from threading import Lock

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .extract import RegisterError, read_extract
from .model import Register, build_register

logger = logging.getLogger(__name__)

FILE_NAME = "gemeindeverzeichnis.parquet"
SHIPPED = Path(__file__).parent / "data" / FILE_NAME
_METADATA_KEY = b"zwk_register"
_CACHE: dict[tuple, Register] = {}
_LOCK = Lock()


def data_dir() -> Path:
    """The data folder (ZWK_DATA_DIR, else ./var as in the Django settings)."""
    return Path(os.environ.get("ZWK_DATA_DIR", Path.cwd() / "var"))


def local_path() -> Path:
    """Where ``zwk register load`` puts a newer extract."""
    return data_dir() / "register" / FILE_NAME


def status_date_from_name(name: str) -> date | None:
    """The status date in a file name such as ``gv-auszug-2019-12-31.csv`` (None if absent)."""
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", name)
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def write_parquet(table: pd.DataFrame, path: Path, *, status_date: date, origin: str) -> Path:
    """Write the normalised table with its status date; atomically (temp file, then rename)."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    metadata = dict(arrow.schema.metadata or {})
    metadata[_METADATA_KEY] = json.dumps(
        {"status_date": status_date.isoformat(), "origin": origin}).encode()
    arrow = arrow.replace_schema_metadata(metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(handle)
    try:
        pq.write_table(arrow, temporary, compression="zstd")
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def read_parquet(path: Path) -> tuple[pd.DataFrame, date]:
    """The normalised table and its status date from a register Parquet file."""
    try:
        arrow = pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise RegisterError(f"Die Registerdatei lässt sich nicht lesen ({error}).",
                            file=str(path)) from error
    meta = json.loads((arrow.schema.metadata or {}).get(_METADATA_KEY, b"{}"))
    if "status_date" not in meta:
        raise RegisterError("Der Registerdatei fehlt der Stand (Stichtag).", file=str(path))
    return arrow.to_pandas(), date.fromisoformat(meta["status_date"])


def load_register(path: Path | None = None) -> Register:
    """The register in use: `path`, else the data folder's newer extract, else the shipped one.

    Cached per file and modification time, so a newly loaded extract is seen without restart.
    A data-folder file that cannot be read is logged and the shipped register used instead.
    """
    candidates = [path] if path is not None else [local_path(), SHIPPED]
    for candidate in candidates:
        try:
            stat = candidate.stat()
        except OSError:
            continue
        key = (str(candidate), stat.st_mtime_ns, stat.st_size)
        with _LOCK:
            if key in _CACHE:
                return _CACHE[key]
        try:
            table, status_date = read_parquet(candidate)
            register = build_register(table, status_date=status_date,
                                      source="shipped" if candidate == SHIPPED else str(candidate))
        except RegisterError:
            if path is not None or candidate == SHIPPED:
                raise
            logger.warning("Register file %s unreadable; using the shipped register", candidate,
                           exc_info=True)
            continue
        with _LOCK:
            _CACHE.clear()
            _CACHE[key] = register
        return register
    raise RegisterError("Kein Gemeindeverzeichnis gefunden.", file=str(path or SHIPPED))


def import_extract(source: Path, *, status_date: date | None = None,
                   target: Path | None = None) -> tuple[Path, Register]:
    """Read a GV-ISys extract CSV, check it, and store it as the register in use.

    The status date comes from `status_date` or the file name; nothing is written when the
    file or the date is wrong.
    """
    when = status_date or status_date_from_name(source.name)
    if when is None:
        raise RegisterError("Der Stand (Stichtag) ist weder im Dateinamen (z. B. "
                            "„gv-auszug-2020-12-31.csv“) noch mit --stand angegeben.",
                            file=source.name)
    table = read_extract(source)
    register = build_register(table, status_date=when, source=str(source))
    destination = write_parquet(table, target or local_path(), status_date=when,
                                origin=source.name)
    return destination, register
