"""Type checking is part of the suite, so CI (which runs `make test`) enforces it.

mypy with django-stubs checks the whole of src/zwk with the settings in pyproject.toml: strict
for the modules listed as fully typed, default for the rest; 0 errors is the bar. The
import-linter contracts (the other half of `make lint` beside ruff) run in tests/test_layers.py.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MISSING = ("LOUD SKIP: mypy or django-stubs is not installed (pip install -e '.[dev]'): "
           "the type check did NOT run")


def test_mypy_finds_no_errors():
    if importlib.util.find_spec("mypy") is None or \
            importlib.util.find_spec("mypy_django_plugin") is None:
        pytest.skip(MISSING)
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout


def test_strict_list_covers_the_promised_modules():
    """The fully typed list only grows: these modules must stay on it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    strict = next(o for o in config["tool"]["mypy"]["overrides"]
                  if o.get("disallow_untyped_defs"))
    promised = {"zwk.charts.*", "zwk.reports.*", "zwk.history.*", "zwk.accounts.*",
                "zwk.communes.services", "zwk.communes.selectors", "zwk.process.services",
                "zwk.process.selectors", "zwk.process.stages"}
    assert promised <= set(strict["module"])
    assert strict["disallow_any_generics"] and strict["warn_return_any"]
