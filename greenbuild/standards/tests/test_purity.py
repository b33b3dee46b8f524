"""The engines must never import Django or any other greenbuild package (style.md §3)."""

import ast
from pathlib import Path

STANDARDS = Path(__file__).resolve().parents[1]


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_standards_package_imports_neither_django_nor_other_greenbuild_apps():
    offenders = []
    for path in STANDARDS.rglob("*.py"):
        for name in _imported_modules(path):
            root = name.split(".")[0]
            if root == "django" or (root == "greenbuild" and not name.startswith("greenbuild.standards")):
                offenders.append("{}: {}".format(path.relative_to(STANDARDS), name))
    assert offenders == []
