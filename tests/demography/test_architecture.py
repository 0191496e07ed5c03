"""zwk.demography must stay framework-free: no Django import, checked two ways."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from importlinter.cli import lint_imports


def test_import_linter_contract_forbids_django(tmp_path, monkeypatch):
    config = tmp_path / "importlinter.ini"
    config.write_text(textwrap.dedent("""
        [importlinter]
        root_package = zwk
        include_external_packages = True

        [importlinter:contract:demography-framework-free]
        name = zwk.demography never imports Django
        type = forbidden
        source_modules = zwk.demography
        forbidden_modules =
            django
            rules
            django_htmx
    """))
    monkeypatch.chdir(tmp_path)
    assert lint_imports(config_filename=str(config), no_cache=True) == 0


def test_importing_the_library_loads_no_django():
    code = ("import sys, zwk.demography, zwk.demography.cli, zwk.demography.io.genesis,"
            " zwk.demography.register.cli;"
            "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
