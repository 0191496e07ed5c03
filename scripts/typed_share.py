#!/usr/bin/env python3
"""Share of fully annotated functions in src/zwk (every parameter but self/cls and the return
annotated; __init__ may leave out its return). Prints the total and one line per package.

    python scripts/typed_share.py [SRC_DIR]
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

DEFAULT_SRC = Path(__file__).resolve().parents[1] / "src" / "zwk"


def fully_annotated(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> bool:
    args = node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if in_class and params and params[0].arg in ("self", "cls") and \
            not any(isinstance(d, ast.Name) and d.id == "staticmethod"
                    for d in node.decorator_list):
        params = params[1:]
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    if any(p.annotation is None for p in params):
        return False
    return node.returns is not None or (node.name == "__init__" and bool(params))


def functions(tree: ast.AST) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    found = []

    def visit(node: ast.AST, in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((child, in_class))
                visit(child, False)
            elif isinstance(child, ast.ClassDef):
                visit(child, True)
            else:
                visit(child, in_class)

    visit(tree, False)
    return found


def main(src: Path) -> None:
    total, typed = Counter(), Counter()
    for path in sorted(src.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        package = path.relative_to(src).parts[0].removesuffix(".py")
        for node, in_class in functions(ast.parse(path.read_text(encoding="utf-8"))):
            total[package] += 1
            typed[package] += fully_annotated(node, in_class)
    all_total, all_typed = sum(total.values()), sum(typed.values())
    print(f"fully annotated functions: {all_typed} of {all_total} "
          f"({100 * all_typed / all_total:.1f} %)")
    for package in sorted(total):
        print(f"  {package:12} {typed[package]:4} / {total[package]:4} "
              f"({100 * typed[package] / total[package]:5.1f} %)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SRC)
