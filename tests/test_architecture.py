"""The layering rules import-linter cannot say: who registers routes, and no imports hidden in functions."""

from __future__ import annotations

import ast
import pathlib

import pytest

WEBAPP = pathlib.Path(__file__).resolve().parent.parent / "webapp"
# Decorators and calls that register a route or a request hook on a blueprint or the app.
REGISTERING = {
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "add_url_rule",
    "before_request",
    "before_app_request",
    "after_request",
    "after_app_request",
    "app_context_processor",
    "context_processor",
    "errorhandler",
    "app_errorhandler",
}
# Called rather than used as a decorator, these register too (a plain .get() or .delete() is a dict's or a query's).
REGISTERING_CALLS = REGISTERING - {"get", "post", "put", "patch", "delete"} | {"register_blueprint"}
# The app factory wires blueprints, hooks and commands; the modules it calls for that say so in their name.
WIRING = {"__init__.py", "errors.py", "security.py", "templating.py", "commands.py"}


def _modules():
    return sorted(path for path in WEBAPP.rglob("*.py") if "data" not in path.relative_to(WEBAPP).parts)


def _name(path: pathlib.Path) -> str:
    return str(path.relative_to(WEBAPP.parent))


def _registrations(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            targets = [d.func if isinstance(d, ast.Call) else d for d in node.decorator_list]
            lines += [t.lineno for t in targets if isinstance(t, ast.Attribute) and t.attr in REGISTERING]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            lines += [node.lineno] if node.func.attr in REGISTERING_CALLS else []
    return lines


def _blueprints(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Blueprint"
    ]


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_views_modules_make_blueprints_and_register_routes(path):
    if path.name == "views.py" or (path.parent == WEBAPP and path.name in WIRING):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not _blueprints(tree), f"{_name(path)} makes a blueprint; only a views.py may"
    assert not _registrations(tree), f"{_name(path)} registers a route or hook at lines {_registrations(tree)}"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_import_hides_inside_a_function(path):
    # An import inside a function is how a cycle between packages hides; the factory's imports are the exception,
    # as are developer tools still kept under webapp/ that import heavy libraries on use.
    if path == WEBAPP / "__init__.py" or path.name in ("figures.py", "poses.py"):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = [
        inner.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]
    assert not hidden, f"{_name(path)} imports inside a function at lines {hidden}"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_nothing_is_imported_for_its_side_effect(path):
    # A noqa on an unused import is an import kept for what importing does (registering routes, tables).
    source = path.read_text(encoding="utf-8")
    assert "noqa: F401" not in source, f"{_name(path)} imports something it does not use"
