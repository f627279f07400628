"""Settings for the test suite: the production settings, spoken over plain HTTP, hashed fast."""

import os

from salesorg.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Argon2 is deliberately slow; tests that check hashing read salesorg.settings directly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite asks for hundreds of tokens from 127.0.0.1; the rate-limit test lowers this.
TOKEN_RATE_LIMIT = 1_000_000

# A developer may keep the SQLite test database in a file of their own and pass --reuse-db:
# the first run copies it from the migrated template (tests/dbtemplate.py), later runs keep it
# (pytest-django applies new migrations). Without --reuse-db the file is deleted at the end.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.environ.get("SALESORG_TEST_DB"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["SALESORG_TEST_DB"]}  # noqa: F405

# Uploaded files (photos, attachments) stay in memory: a test run leaves nothing under var/.
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}  # noqa: F405
