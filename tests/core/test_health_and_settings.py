"""The health check, time zone and security settings."""

import os
import subprocess
import sys

from django.conf import settings


def test_healthz_answers_ok_with_a_database_check(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_china_first_defaults():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


def test_passwords_are_hashed_with_argon2():
    import salesorg.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-real-secret-" + "x7Yq2pLk9" * 6,
        "ALLOWED_HOSTS": "sales.example.com",
        "SALESORG_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "salesorg.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' runner
    result = subprocess.run(
        [sys.executable, "-m", "salesorg.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
