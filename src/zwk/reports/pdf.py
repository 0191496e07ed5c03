"""PDF rendering with Typst: template from the package, data as a JSON file, no interpolation.

Escaping strategy: user text never becomes Typst source. `render_pdf` writes `data` to
`data.json` beside the template, the template reads it with `json(...)` and places values as
strings, which Typst always sets as literal text. There is nothing to escape, so nothing can
be injected.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typst

TEMPLATES = Path(__file__).parent / "templates"


class ReportError(RuntimeError):
    """Typst could not compile a report; the message carries Typst's diagnostics."""


def template_names() -> list[str]:
    return sorted(p.name for p in TEMPLATES.glob("*.typ") if p.name != "zwk.typ")


def _safe_filename(name: str) -> str:
    # Asset names are chosen by our code, but guard anyway: no paths out of the temp dir.
    if "/" in name or "\\" in name or name.startswith(".") or name in {"data.json"}:
        raise ValueError(f"Unzulässiger Dateiname für eine Berichtsdatei: {name!r}")
    return name


def render_pdf(
    template_name: str, data: Mapping[str, Any], files: Mapping[str, bytes] | None = None
) -> bytes:
    """Compile `templates/<template_name>` with `data` (JSON-serialisable) and extra `files`
    (e.g. chart SVGs, referenced by name from the data) and return the PDF bytes."""
    if template_name not in template_names():
        raise ValueError(f"Unbekannte Berichtsvorlage: {template_name!r}")
    with tempfile.TemporaryDirectory(prefix="zwk-report-") as tmp:
        root = Path(tmp)
        for source in TEMPLATES.glob("*.typ"):
            shutil.copyfile(source, root / source.name)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, content in (files or {}).items():
            (root / _safe_filename(name)).write_bytes(content)
        try:
            return typst.compile(str(root / template_name), root=str(root))
        except RuntimeError as error:  # typst raises RuntimeError with its diagnostics
            raise ReportError(str(error)) from error


def profile_pdf(report: Any) -> bytes:
    """The Kommunalprofil of a `ProfileReport` as PDF."""
    return render_pdf("kommunalprofil.typ", report.to_dict(), report.figure_files())
