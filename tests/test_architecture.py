"""The shape of the code that docs/architecture.md promises, checked over the source's syntax.

The layers themselves are import-linter's contract (pyproject.toml, `lint-imports` in
`make test`); these tests hold the rules it cannot express: the schema imports no behaviour,
rooms stay small, policies live in one module per app, views and the API read through scoping.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "salesorg"
DOMAIN_APPS = ("sales", "customers", "performance", "targets", "development")
APPS = ("core", "org", "work", *DOMAIN_APPS, "interchange", "api", "demo")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Module:
    path: Path
    tree: ast.Module

    @property
    def rel(self) -> str:
        return self.path.relative_to(SRC).as_posix()

    @property
    def name(self) -> str:
        dotted = self.rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        return f"salesorg.{dotted}"

    @property
    def app(self) -> str:
        return self.rel.split("/")[0]


def _modules() -> list[Module]:
    modules = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        modules.append(Module(path, ast.parse(path.read_text(encoding="utf-8"))))
    return modules


MODULES = _modules()


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def _is_schema(module_name: str) -> bool:
    parts = module_name.split(".")
    return len(parts) >= 3 and parts[2] in ("models", "choices")


def test_the_schema_imports_no_behaviour():
    """An app's models and choices import only core and other apps' models and choices."""
    wrong = []
    for module in MODULES:
        if not _is_schema(module.name):
            continue
        for node in ast.walk(module.tree):
            for imported in _imported_modules(node):
                if not imported.startswith("salesorg."):
                    continue
                if imported.startswith("salesorg.core.") or _is_schema(imported):
                    continue
                wrong.append(f"{module.rel}:{node.lineno} imports {imported}")
    assert not wrong, "schema importing behaviour:\n" + "\n".join(wrong)


def test_no_import_inside_a_function():
    """Imports of the project sit at the top of a module, where the layer contract sees them
    plainly; only AppConfig.ready() imports (to register) and management commands may defer."""
    wrong = []
    for module in MODULES:
        if module.rel.endswith("apps.py"):
            continue
        for function in _functions(module.tree):
            for node in ast.walk(function):
                for imported in _imported_modules(node):
                    if imported.startswith("salesorg"):
                        wrong.append(f"{module.rel}:{node.lineno} {function.name}() -> {imported}")
    assert not wrong, f"{len(wrong)} imports inside functions:\n" + "\n".join(sorted(set(wrong)))


def test_modules_stay_small():
    big = [
        f"{m.rel}: {n} lines"
        for m in MODULES
        if (n := len(m.path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not big, f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(big)


def test_functions_stay_small():
    long = []
    for module in MODULES:
        for function in _functions(module.tree):
            length = function.end_lineno - function.lineno + 1
            if length > MAX_FUNCTION_LINES:
                long.append(f"{module.rel}:{function.lineno} {function.name}(): {length} lines")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)


def test_an_app_has_one_module_per_role_not_one_per_feature():
    """`views_credit.py` beside `views.py` becomes views/credit.py (or a credit sub-package)."""
    kinds = ("views", "urls", "admin", "menu", "forms", "services", "selectors", "permissions")
    wrong = [
        m.rel
        for m in MODULES
        if m.path.parent.name in APPS and m.path.stem.startswith(tuple(f"{k}_" for k in kinds))
    ]
    assert not wrong, "feature files beside their role's module:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_its_layout(app):
    root = SRC / app
    for part in ("models", "services", "selectors", "views", "permissions"):
        assert (root / f"{part}.py").exists() or (root / part / "__init__.py").exists(), (
            f"{app} has no {part}"
        )


def test_write_policies_live_in_each_app_permissions_module():
    """Every can_* rule of an app is in its permissions module, built on core.roles."""
    wrong = []
    for module in MODULES:
        if module.rel.split("/")[-1].startswith("permissions") or "/permissions/" in module.rel:
            continue
        if module.rel == "core/roles.py":
            continue
        for node in module.tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("can_"):
                wrong.append(f"{module.rel}:{node.lineno} {node.name}()")
    assert not wrong, "policies outside permissions modules:\n" + "\n".join(wrong)


def _is_view_or_api(module: Module) -> bool:
    parts = module.rel.split("/")
    return parts[0] == "api" or any(p == "views" or p.startswith("views") for p in parts[1:])


# Reads that are not business data: content types, logins and API tokens.
UNSCOPED_READS_ALLOWED = {"ContentType", "User", "get_user_model()", "ApiToken"}


def test_views_and_the_api_read_business_data_through_scoping():
    """`Model.objects.<anything but visible_to>` in a view or the API bypasses scoping: use
    `visible_to(user)` or a selector (Zulip's lint, STYLE.md)."""
    wrong = []
    for module in MODULES:
        if not _is_view_or_api(module):
            continue
        for node in ast.walk(module.tree):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)):
                continue
            manager = node.value
            if manager.attr != "objects" or node.attr in ("visible_to", "none"):
                continue
            owner = ast.unparse(manager.value)
            if owner in UNSCOPED_READS_ALLOWED:
                continue
            wrong.append(f"{module.rel}:{node.lineno} {owner}.objects.{node.attr}")
    assert not wrong, "unscoped reads in views/API:\n" + "\n".join(wrong)


def test_the_two_company_wide_roles_are_named_once():
    """{DIRECTOR, ADMIN} is core.roles.COMPANY_WIDE, not redefined under a new name per module."""
    wrong = []
    for module in MODULES:
        if module.rel == "core/roles.py":
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Set) and len(node.elts) == 2:
                names = {ast.unparse(e) for e in node.elts}
                if names == {"Role.DIRECTOR", "Role.ADMIN"}:
                    wrong.append(f"{module.rel}:{node.lineno}")
    assert not wrong, "{DIRECTOR, ADMIN} spelled out again:\n" + "\n".join(wrong)
