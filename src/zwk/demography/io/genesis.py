"""Live fetch from GENESIS / Regionaldatenbank through ``pystatis`` (optional extra).

Install with ``pip install zwk[genesis]``. Credentials come from the environment, as pystatis
reads them: ``PYSTATIS_REGIO_API_USERNAME`` / ``PYSTATIS_REGIO_API_PASSWORD`` for the
Regionaldatenbank (``regio``), ``PYSTATIS_GENESIS_API_…`` for GENESIS-Online. The table is
requested as ffcsv and parsed by the same reader as a downloaded file, so a fetched table and
a downloaded one give the same :class:`~zwk.demography.Dataset`.
"""

from __future__ import annotations

import os

from ..dataset import Dataset
from ..errors import DemographyError
from . import read_content

DATABASES = ("regio", "genesis")


def credentials_available(db: str = "regio") -> bool:
    prefix = f"PYSTATIS_{db.upper()}_API_"
    return bool(os.environ.get(prefix + "USERNAME")) and bool(os.environ.get(prefix + "PASSWORD"))


def _table_class():
    try:
        from pystatis import Table
    except ImportError:  # pragma: no cover – depends on the installation
        raise DemographyError("Für den Online-Abruf wird das Zusatzpaket benötigt: "
                              "pip install zwk[genesis]") from None
    return Table


def fetch_table(name: str, *, db: str = "regio", startyear: str = "", endyear: str = "",
                regionalvariable: str = "", regionalkey: str = "", table_class=None) -> Dataset:
    """Fetch table ``name`` (e.g. ``12411-02-03-5``) and parse it like a downloaded ffcsv file.

    ``table_class`` replaces ``pystatis.Table`` (tests pass a recorder; no network in tests).
    """
    text = fetch_raw(name, db=db, startyear=startyear, endyear=endyear,
                     regionalvariable=regionalvariable, regionalkey=regionalkey,
                     table_class=table_class)
    return read_content(text, f"{name} (GENESIS-Abruf)")


def fetch_raw(name: str, *, db: str = "regio", startyear: str = "", endyear: str = "",
              regionalvariable: str = "", regionalkey: str = "", table_class=None) -> str:
    """The table as ffcsv text, as GENESIS sends it (to store it next to uploads)."""
    if db not in DATABASES:
        raise DemographyError(f"Unbekannte Datenbank „{db}“ (regio oder genesis).")
    if table_class is None:
        if not credentials_available(db):
            raise DemographyError(
                f"Zugangsdaten fehlen: bitte PYSTATIS_{db.upper()}_API_USERNAME und "
                f"PYSTATIS_{db.upper()}_API_PASSWORD setzen.")
        table_class = _table_class()
        _ensure_pystatis_config(db)
    table = table_class(name=name)
    try:
        table.fetch(prettify=False, startyear=startyear, endyear=endyear,
                    regionalvariable=regionalvariable, regionalkey=regionalkey)
    except DemographyError:
        raise
    except Exception as exc:  # noqa: BLE001 – any API failure becomes one German message
        raise DemographyError(f"Abruf der Tabelle {name} ist fehlgeschlagen: {exc}") from exc
    return table.raw_data


def _ensure_pystatis_config(db: str) -> None:
    """pystatis reads credentials from its config; write it from the environment once."""
    from pystatis import config

    if not config.config_exists():
        config.setup_credentials(db)
