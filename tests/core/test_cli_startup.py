"""What a command from the shell loads at start-up (issue #19 point 2).

`salesorg kpi` is a report: it needs the models and the indicator engine, not the web layer.
Each test runs the installed code in a new process, as a user's shell does, and looks at the
modules it imported (behaviour, not timing: what is never imported is never paid for).
"""

import json
import os
import subprocess
import sys

KPI = "main(['salesorg', 'kpi', '--from', '2025-01-01', '--to', '2025-12-31'])"


def _modules_after(code: str, home, *, database_errors: bool = False) -> list[str]:
    """The modules a fresh process has imported after running `code`; `database_errors`
    ignores the error of a query on the empty database (what was loaded by then counts)."""
    if database_errors:
        code = f"try:\n    {code}\nexcept OperationalError:\n    pass"
    script = (
        "import json, sys\n"
        "from django.db.utils import OperationalError\n"
        "from salesorg.cli import main\n"
        f"{code}\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env["SALESORG_HOME"] = str(home)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def _web_layer(modules: list[str]) -> list[str]:
    """The modules of the web layer among `modules`: the URLconf, views, API routers and
    schemas, admin modules, home-page builders and reminders, and the libraries only some
    pages use: django-ninja, pydantic, openpyxl and Pillow."""
    # What the API app keeps at start-up: its token model and the receivers that revoke
    # tokens on a password change (a command may change a password).
    api_kept = {"salesorg.api", "salesorg.api.apps", "salesorg.api.models", "salesorg.api.tokens"}

    def is_web(name: str) -> bool:
        parts = name.split(".")
        if parts[0] in ("ninja", "pydantic", "openpyxl", "PIL"):
            return True
        if parts[0] != "salesorg":
            return False
        if name == "salesorg.urls" or (parts[:2] == ["salesorg", "api"] and name not in api_kept):
            return True
        if parts[2:] == ["reminders"] and parts[1] != "core":  # an app's home-page reminders
            return True
        return any(part in ("admin", "views", "home") for part in parts[2:])

    return [name for name in modules if is_web(name)]


def test_the_kpi_report_loads_no_admin_api_views_or_home_page_modules(tmp_path):
    """Given a shell, when `salesorg kpi` runs, then no admin module, API router or schema,
    view, home-page builder or reminder or URLconf is imported: the report needs none."""
    modules = _modules_after(KPI, tmp_path, database_errors=True)
    assert "salesorg.performance.kpi.indicators" in modules  # the report itself did load
    assert _web_layer(modules) == []


def test_the_web_layer_still_loads_in_full_with_the_urls(tmp_path):
    """Given a fresh process, when the URLconf loads (as a web worker does at start), then the
    admin has every app's models, each home-page part can be built and every app's reminders
    are there when first asked for."""
    code = (
        "main(['salesorg', 'help']); "
        "from django.urls import resolve; "
        "from django.contrib import admin; "
        "from salesorg.core.registry import _HOME_PARTS; "
        "from django.utils.module_loading import import_string; "
        "resolve('/admin/customers/customer/'); "
        "assert any(m._meta.label == 'sales.Order' for m in admin.site._registry); "
        "[import_string(part.build) for part in _HOME_PARTS if isinstance(part.build, str)]; "
        "from salesorg.core.reminders import reminder_providers; "
        "apps = {provider.__module__ for provider in reminder_providers()}; "
        "assert len(apps) == 4, apps"
    )
    modules = _modules_after(code, tmp_path)
    assert "salesorg.customers.admin" in modules
    assert "salesorg.performance.home" in modules
    assert "salesorg.org.home" in modules
    assert "salesorg.targets.reminders" in modules
