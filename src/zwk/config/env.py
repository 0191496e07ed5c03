"""Small helpers to read configuration from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def secret_key(data_dir: Path, *, allow_generate: bool) -> str:
    """The secret key from ZWK_SECRET_KEY, else a local one kept in the data folder.

    A local key is only created for the demo and for development; production must set
    the variable, so that several app processes share one key.
    """
    if key := os.environ.get("ZWK_SECRET_KEY"):
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    if not allow_generate:
        return ""
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
