"""The shared second level behind the profile's in-process caches.

`analysis.cached` (indicator tables, projections, charts, typology) and `data.dataset_of`
(parsed files) keep results in an in-process LRU. With several app processes each one used to
compute the same results again after new data or a restart. This module lets them share: on a
miss in process, the value is looked up in the Django cache alias ``"profile"`` (configured in
settings only when ``ZWK_REDIS_URL`` is set); on a miss there it is computed and stored in both.

Rules (docs/profile-analysis.md, Caching):

* The string key is ``zwk-profile-v1:<code>:<sha256 of the tuple key as JSON>``. Only plain
  values (str, int, float, bool, None and tuples/lists of them) may be in a tuple key; any
  other type (a set, a model instance, an object whose repr holds an address) makes the key
  not stable across processes, and the value stays in process.
  ``<code>`` is a hash of the installed ``zwk`` source files and of the Python, numpy, pandas,
  altair and scikit-learn versions: after a deploy that changes code the old entries are simply
  not found (and expire), so a fixed chart or projection is never served from before the fix.
* Values that cannot be pickled or are larger than `MAX_BYTES` pickled stay in process.
* Any error of the cache backend (Redis down, timeout) is logged once as a warning; for
  `RETRY_AFTER` seconds the process then works in process only and tries again after that.
  A request never fails because of the shared cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sys
import time
from importlib import metadata
from pathlib import Path
from threading import Lock
from typing import Any

logger = logging.getLogger(__name__)

ALIAS = "profile"
NAMESPACE = "zwk-profile-v1"
TIMEOUT = 7 * 24 * 3600          # data fingerprints change with the data; old entries expire
MAX_BYTES = 5 * 1024 * 1024      # largest value measured: a parsed Kreis dataset, ~1 MB
RETRY_AFTER = 30.0               # seconds in process only after a backend error

MISSING = object()
_state: dict[str, Any] = {"down_until": 0.0, "warned": False, "code": None}
_lock = Lock()
_PACKAGES = ("numpy", "pandas", "altair", "scikit-learn")


class UnstableKey(TypeError):
    """The tuple key holds a value whose text form may differ between processes."""


def _plain(value):
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    number = getattr(value, "item", None)          # numpy scalars (np.int64 years etc.)
    if callable(number) and type(value).__module__ == "numpy":
        item = number()
        if isinstance(item, (int, float, bool)):
            return item
    raise UnstableKey(f"{type(value).__name__} in a cache key")


def code_fingerprint() -> str:
    """Hash of the zwk source files and the versions of the libraries whose objects are
    pickled; computed once per process, at the first lookup (about 200 files, ~50 ms)."""
    if _state["code"] is None:
        digest = hashlib.sha256(sys.version.encode())
        for name in _PACKAGES:
            try:
                digest.update(f"{name}={metadata.version(name)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{name}=-".encode())
        root = Path(__file__).resolve().parents[1]          # src/zwk
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
        _state["code"] = digest.hexdigest()[:12]
    return _state["code"]


def stable_key(key: tuple) -> str | None:
    """The cache key for a tuple key, the same in every process; None if there is none."""
    try:
        text = json.dumps(_plain(key), ensure_ascii=False, separators=(",", ":"))
    except UnstableKey:
        return None
    return f"{NAMESPACE}:{code_fingerprint()}:{hashlib.sha256(text.encode()).hexdigest()}"


def _backend():
    """The shared cache, or None when not configured or after a recent error."""
    from django.conf import settings
    from django.core.cache import caches

    if ALIAS not in settings.CACHES or time.monotonic() < _state["down_until"]:
        return None
    return caches[ALIAS]


def _failed(error: Exception, doing: str) -> None:
    with _lock:
        _state["down_until"] = time.monotonic() + RETRY_AFTER
        first = not _state["warned"]
        _state["warned"] = True
    if first:
        logger.warning("Shared profile cache (%r) unavailable while %s: %s: %s. Working with "
                       "the in-process cache only; trying again every %d s.", ALIAS, doing,
                       type(error).__name__, error, RETRY_AFTER)


def _succeeded() -> None:
    if _state["warned"]:
        with _lock:
            _state["warned"] = False
        logger.warning("Shared profile cache (%r) is reachable again.", ALIAS)


def get(key: str | None):
    """The value stored under `key`, or MISSING."""
    backend = _backend() if key is not None else None
    if backend is None:
        return MISSING
    try:
        raw = backend.get(key, MISSING)
    except Exception as error:  # noqa: BLE001 – any backend error: carry on in process
        _failed(error, "reading")
        return MISSING
    _succeeded()
    if raw is MISSING:
        return MISSING
    try:
        return pickle.loads(raw)
    except Exception:  # noqa: BLE001 – a damaged entry is a miss, the value is computed again
        logger.info("Unreadable shared profile cache entry %s; computing again", key)
        return MISSING


def put(key: str | None, value) -> bool:
    """Store `value` under `key` if it can be pickled and is small enough; True if stored."""
    backend = _backend() if key is not None else None
    if backend is None:
        return False
    try:
        raw = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 – not picklable: stays in process
        logger.debug("Value for %s cannot be pickled; kept in process only", key)
        return False
    if len(raw) > MAX_BYTES:
        logger.debug("Value for %s is %d bytes pickled; kept in process only", key, len(raw))
        return False
    try:
        backend.set(key, raw, TIMEOUT)
    except Exception as error:  # noqa: BLE001
        _failed(error, "writing")
        return False
    _succeeded()
    return True


def get_or_compute(key: tuple, compute):
    """The shared value for the tuple `key`, else `compute()` (stored for the other
    processes); without a shared cache or a stable key simply `compute()`."""
    shared_key = stable_key(key)
    value = get(shared_key)
    if value is MISSING:
        value = compute()
        put(shared_key, value)
    return value


def reset() -> None:
    """Forget a recorded backend error (tests)."""
    with _lock:
        _state.update(down_until=0.0, warned=False)
