"""No module-level import cycle between our apps (issue 11 item 9).

An app that imports another at module level depends on it; two apps that depend on each other
cannot be read, tested or changed apart, and their import order decides whether Django starts.
The test reads every module of ``greenbuild/<app>/`` (tests and migrations aside) with ``ast``,
takes its module-level imports of ``greenbuild.*`` (imports inside functions are lazy and allowed;
``if TYPE_CHECKING:`` blocks run only for the type checker) and fails on any cycle between apps.

To break a cycle: let the lower app offer a registry the higher app registers into at ready time
(``greenbuild.projects.panels``, ``greenbuild.projects.hooks``, ``greenbuild.notifications.registry``),
look the other app's gate up by model label (``core.permissions.gate_for("projects.Project")``),
or import inside the function that needs it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # greenbuild/

#: Imported modules whose edges do not count, with the reason they may be imported from anywhere.
FOUNDATIONS: dict[str, str] = {
    "greenbuild.api.base": (
        "the API's base classes every app's ``api/`` module builds on (the way every app builds on "
        "core); it imports nothing of ours but core, which test_the_api_foundation_imports_only_core checks"
    ),
    "greenbuild.api.permissions": "the API's token permission classes; same rule as greenbuild.api.base",
    "greenbuild.api.filters": (
        "the query-parameter check and filter backends of every API list (issue 18); same rule as greenbuild.api.base"
    ),
    "greenbuild.api.models": "the API token model the two modules above read; same rule",
    "greenbuild.api.deprecation": "the Deprecation/Sunset headers the base classes add (issue 18); same rule",
    "greenbuild.api.conditional": "ETag, If-None-Match and If-Match of the base classes (issue 18); same rule",
    "greenbuild.api.schema": "the schema generator's bilingual descriptions every app's views use; same rule",
    "greenbuild.api.moves": (
        "the preconditions of every move, written from the apps' workflow tables for the schema and "
        "docs/api.md (issue 18); it reads the apps inside its functions only; same rule"
    ),
    "greenbuild.lists.sorting": (
        "the sortable columns of every list page (issue 19 item 5), which ask the field policy; it "
        "imports nothing of ours but core"
    ),
    "greenbuild.reports.excel": (
        "the one Excel writer every export builds on (projects, records, the audit log); it imports "
        "nothing of ours but core, which the test below checks for every foundation"
    ),
}

#: Importing modules whose edges do not count, with the reason.
COMPOSITION_ROOTS: dict[str, str] = {
    "greenbuild.api.urls": (
        "mounts every app's API views under /api/v1/, as greenbuild/urls.py mounts every app's pages: "
        "a URL configuration is where apps are put together, and no app imports it"
    ),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).parts
        if "tests" in relative or "migrations" in relative:
            continue
        modules[_module_name(path)] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: not inside a function, not type-checking only."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
            continue
        pending.extend(ast.iter_child_nodes(node))
    return found


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name.startswith("greenbuild.")}
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    if not base.startswith("greenbuild.") and base != "greenbuild":
        return set()
    # ``from greenbuild.x import services`` imports the module greenbuild.x.services
    return {"{}.{}".format(base, a.name) if "{}.{}".format(base, a.name) in modules else base for a in node.names}


def _app(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else module


def import_edges() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) -> the "module -> module" imports that make the edge."""
    modules = our_modules()
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for module, path in modules.items():
        if module in COMPOSITION_ROOTS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _module_level_imports(tree):
            for target in _targets(module, path, node, modules):
                if target == "greenbuild" or target in FOUNDATIONS:
                    continue
                if _app(target) != _app(module):
                    edges[_app(module), _app(target)].add("{} -> {}".format(module, target))
    return edges


def app_cycles(edges: dict[tuple[str, str], set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in sorted(graph[app]):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return cycles


def test_no_two_of_our_apps_import_each_other_at_module_level():
    edges = import_edges()
    cycles = app_cycles(edges)
    explained = []
    for group in cycles:
        for (source, target), imports in sorted(edges.items()):
            if source in group and target in group:
                explained.extend(sorted(imports))
    assert not cycles, "import cycles between apps {}:\n{}".format(cycles, "\n".join(explained))


def test_the_loops_of_issue_11_stay_broken():
    edges = import_edges()
    for source, target in [
        ("projects", "scoring"),  # the project page's standards card is a registered panel
        ("notifications", "projects"),  # the inbox asks registered providers
        ("core", "accounts"),  # core is the layer every app builds on
        ("core", "projects"),
        ("jobs", "projects"),  # platform apps reach the project gate through core.permissions.gate_for
        ("attachments", "projects"),
        ("audit", "accounts"),  # accounts records its security events through audit
    ]:
        assert (source, target) not in edges, edges[source, target]


def test_the_api_foundation_imports_only_core():
    modules = our_modules()
    for module in FOUNDATIONS:
        tree = ast.parse(modules[module].read_text(encoding="utf-8"))
        for node in _module_level_imports(tree):
            for target in _targets(module, modules[module], node, modules):
                assert target.startswith("greenbuild.core") or target in FOUNDATIONS, (module, target)


def test_the_cycle_finder_finds_a_cycle_and_ignores_lazy_imports(tmp_path):
    tree = ast.parse(
        "from greenbuild.a import x\n"
        "if TYPE_CHECKING:\n    from greenbuild.b import y\n"
        "def f():\n    from greenbuild.c import z\n"
        "try:\n    from greenbuild.d import w\nexcept ImportError:\n    pass\n"
    )
    assert sorted(node.module for node in _module_level_imports(tree)) == ["greenbuild.a", "greenbuild.d"]
    assert app_cycles({("a", "b"): {"…"}, ("b", "c"): {"…"}, ("c", "a"): {"…"}, ("c", "d"): {"…"}}) == [["a", "b", "c"]]
    assert app_cycles({("a", "b"): {"…"}, ("b", "c"): {"…"}}) == []
