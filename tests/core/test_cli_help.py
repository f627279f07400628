"""Every `salesorg` command explains itself: `--help` and `salesorg help NAME` exit 0."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import get_commands

from salesorg.cli import main

COMMANDS = sorted(get_commands())
OURS = sorted(name for name, app in get_commands().items() if app.startswith("salesorg"))


def _run(argv: list[str], capsys) -> tuple[int, str]:
    """Run `salesorg ARGV` in this process: its exit status (argparse exits after --help,
    `salesorg help NAME` returns) and what it printed."""
    try:
        main(["salesorg", *argv])
    except SystemExit as exit_info:
        return int(exit_info.code or 0), capsys.readouterr().out
    return 0, capsys.readouterr().out


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_answers_help(name, capsys):
    code, out = _run([name, "--help"], capsys)
    assert code == 0
    assert name in out.replace("-", "_") or "usage" in out


@pytest.mark.parametrize("name", OURS)
def test_salesorg_help_names_our_command_and_its_purpose(name, capsys):
    """`salesorg help kpi` shows the command's own description (a lazy text, rendered)."""
    code, out = _run(["help", name.replace("_", "-")], capsys)
    assert code == 0
    assert "usage:" in out
    assert "--help" in out


def test_the_installed_command_prints_help_in_its_own_process(tmp_path):
    """What a user types: `salesorg kpi --help` in a shell, with the product's settings."""
    salesorg = Path(sys.executable).with_name("salesorg")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SALESORG_HOME"] = str(tmp_path)
    for argv in (["kpi", "--help"], ["help", "product-mix"]):
        result = subprocess.run(
            [str(salesorg), *argv], capture_output=True, text=True, env=env, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "--from" in result.stdout


def test_the_api_docs_page_keeps_its_assets_without_ninja_installed_as_an_app(client):
    """ninja left INSTALLED_APPS (its import slowed every command): its docs page still
    renders and its script and style are still found."""
    response = client.get("/api/v1/docs", secure=True)
    assert response.status_code == 200
    assert b"swagger-ui-bundle.js" in response.content
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui.css")


def test_a_read_only_command_starts_without_the_web_layer(tmp_path):
    """`salesorg kpi` skips the system checks, which import every URL, view and API module,
    and loads neither django-ninja nor openpyxl: a report from the shell starts quickly."""
    script = (
        "import sys\n"
        "from salesorg.cli import main\n"
        "try:\n"
        "    main(['salesorg', 'kpi', '--from', '2025-01-01', '--to', '2025-12-31'])\n"
        "except Exception:\n"
        "    pass  # an empty database has no tables: what was loaded is what counts\n"
        "heavy = ('salesorg.urls', 'salesorg.api.routes', 'ninja', 'pydantic', 'openpyxl')\n"
        "print(' '.join(name for name in heavy if name in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env["SALESORG_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
