"""Every error message a service raises is a translatable string (docs/DANGEROUS.md, "Raw German
strings in services"): an AST check of every `raise` in the services modules, and of the
`*_problems` functions whose dicts services raise as ValidationError.

A message counts as translatable when it is a gettext call (`_`, `gettext`, `gettext_lazy`,
`ngettext`, `pgettext`), optionally %-formatted (`_("… %(name)s …") % {...}`) or joined with
another translatable message. Names and attributes (a message built elsewhere, an exception
passed on) are not judged here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "zwk"
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
           "pgettext_lazy", "_lazy"}
# Write services that do not (yet) live in a module called services.
EXTRA_SERVICE_MODULES = ("profile/data.py",)


def service_modules() -> list[Path]:
    found = {p for p in SRC.rglob("*.py") if "migrations" not in p.parts and (
        p.stem == "services" or p.stem.startswith("services_") or "services" in p.parts[:-1])}
    found |= {SRC / extra for extra in EXTRA_SERVICE_MODULES if (SRC / extra).exists()}
    return sorted(found)


def is_translated(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in GETTEXT
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return is_translated(node.left)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_translated(node.left) and is_translated(node.right)
    return False


def is_literal_text(node: ast.expr) -> bool:
    """A message written in place that is not translated: a string, an f-string, or an
    expression built from them (concatenation, %-formatting, .format, .join)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return not is_translated(node) and (is_literal_text(node.left)
                                            or is_literal_text(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in ("format", "join"):
        return is_literal_text(node.func.value) and not is_translated(node.func.value)
    return False


def message_offenders(node: ast.expr) -> list[ast.expr]:
    """The untranslated texts inside a raised exception's arguments (dicts and lists too)."""
    if is_translated(node):
        return []
    if is_literal_text(node):
        return [node]
    if isinstance(node, ast.Dict):
        return [o for value in node.values if value is not None
                for o in message_offenders(value)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [o for item in node.elts for o in message_offenders(item)]
    if isinstance(node, ast.Call) and not isinstance(node.func, ast.Attribute):
        return [o for arg in (*node.args, *(k.value for k in node.keywords))
                for o in message_offenders(arg)]
    return []


def offenders_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(SRC.parent)
    found: list[str] = []
    for node in ast.walk(tree):
        texts: list[ast.expr] = []
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            texts = message_offenders(node.exc)
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_problems"):
            texts = [o for sub in ast.walk(node) if isinstance(sub, ast.Dict)
                     for value in sub.values if value is not None
                     for o in message_offenders(value)]
            texts += [o for sub in ast.walk(node) if isinstance(sub, ast.Assign)
                      and isinstance(sub.targets[0], ast.Subscript)
                      for o in message_offenders(sub.value)]
        elif isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", getattr(base, "attr", "")).endswith("Error")
                for base in node.bases):
            texts = [o for sub in ast.walk(node) if isinstance(sub, ast.Call)
                     and getattr(sub.func, "attr", "") == "__init__"
                     for arg in sub.args for o in message_offenders(arg)]
        found += [f"{where}:{text.lineno}: {ast.unparse(text)[:70]}" for text in texts]
    return sorted(set(found))


def test_the_check_finds_the_service_modules():
    names = {p.relative_to(SRC).as_posix() for p in service_modules()}
    assert {"process/services.py", "communes/services.py"} <= names


@pytest.mark.parametrize("source, bad", [
    ('raise ProcessError("Nicht erlaubt.")', True),
    ('raise ProcessError(f"{x} fehlt.")', True),
    ('raise ValidationError({"ags": "Falsch."})', True),
    ('raise ProcessError("Es fehlt: " + "; ".join(missing))', True),
    ('raise ProcessError(_("Nicht erlaubt."))', False),
    ('raise ProcessError(_("%(x)s fehlt.") % {"x": x})', False),
    ('raise ValidationError({"ags": _("Falsch.")})', False),
    ('raise ProcessError(message)', False),
])
def test_the_check_tells_translated_from_raw_messages(source, bad):
    raised = ast.parse(source).body[0]
    assert bool(message_offenders(raised.exc)) is bad


def test_every_service_error_message_is_translatable():
    offenders = [o for path in service_modules() for o in offenders_in(path)]
    assert not offenders, ("Wrap these messages in gettext (docs/DANGEROUS.md, 'Raw German "
                           "strings in services'):\n" + "\n".join(offenders))
