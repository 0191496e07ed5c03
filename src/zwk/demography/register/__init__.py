"""zwk.demography.register – the official register of German municipalities (framework-free).

The Destatis Gemeindeverzeichnis (GV-ISys extract) with one typed entry per Gemeinde, Kreis
and Land, lookups by AGS/ARS, Kreis and Land names, and a search by name, postcode or key.
The package ships the extract of 31.12.2019; ``zwk register load FILE`` stores a newer one in
the data folder, which :func:`load_register` then prefers. Every use of the figures must show
:attr:`Register.attribution` (dl-de/by-2-0). See docs/register.md.
"""

from .extract import RegisterError, read_extract
from .model import (
    LICENCE,
    LICENCE_URL,
    Kreis,
    Land,
    Municipality,
    Register,
    build_register,
    short_name,
)
from .search import Hit, fold
from .store import SHIPPED, import_extract, load_register, local_path

__all__ = [
    "RegisterError", "read_extract", "LICENCE", "LICENCE_URL", "Kreis", "Land", "Municipality",
    "Register", "build_register", "short_name", "Hit", "fold", "SHIPPED", "import_extract",
    "load_register", "local_path",
]
