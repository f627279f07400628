"""Test databases copied from one migrated template per migration state, built once for all workers.

Running every migration takes minutes; copying a migrated database takes a second. The first
process that needs a template (any xdist worker, or a single-process run) takes an exclusive
file lock, migrates a template database and renames it into place; the others wait on the lock,
then each copies the template into its own test database and lets Django's `migrate` confirm
that nothing is left to apply. The template is keyed by a hash of every installed app's
migration files, the database engine and Django's version, so unchanged migrations reuse it
and a changed or new migration builds a new one. Templates live under
`$SALESORG_HOME/test-templates/` (`var/` by default, git-ignored): SQLite templates as files
there, PostgreSQL ones as databases named `salesorg_tpl_<alias>_<hash>` beside a marker file
there. `--create-db` rebuilds the template once per run; the three newest templates are kept.
"""

import fcntl
import hashlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.test.utils import setup_databases, teardown_databases

# Bump when the way a template is built changes, so old templates are not reused.
TEMPLATE_FORMAT = "1"
TEMPLATES_KEPT = 3
SUPPORTED_VENDORS = ("sqlite", "postgresql")


def template_dir() -> Path:
    """The git-ignored directory holding SQLite templates, markers and the build lock."""
    path = Path(settings.HOME) / "test-templates"
    path.mkdir(parents=True, exist_ok=True)
    return path


def migrations_digest(vendor: str) -> str:
    """A hash of every installed app's migration files, the database vendor and Django."""
    digest = hashlib.sha256(f"{TEMPLATE_FORMAT}\n{vendor}\n{django.get_version()}\n".encode())
    for app_config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        module_name, _explicit = MigrationLoader.migrations_module(app_config.label)
        spec = find_spec(module_name) if module_name else None
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            for path in sorted(Path(location).glob("*.py")):
                digest.update(f"{app_config.label}/{path.name}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def build_lock() -> Iterator[None]:
    """An exclusive lock shared by every test process on this machine."""
    with open(template_dir() / "build.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


class Template:
    """The migrated template of one test database alias on one database vendor."""

    def __init__(self, alias: str, digest: str) -> None:
        self.alias = alias
        self.connection = connections[alias]
        self.vendor = self.connection.vendor
        self.key = f"{self.vendor}_{alias}_{digest}"
        self.marker = template_dir() / f"{self.key}.built"
        if self.vendor == "sqlite":
            self.name = str(template_dir() / f"{self.key}.sqlite3")
        else:
            self.name = f"salesorg_tpl_{alias}_{digest}"

    @classmethod
    def current(cls, alias: str) -> "Template":
        """The template of `alias` for the migrations as they are now."""
        return cls(alias, migrations_digest(connections[alias].vendor))

    def exists(self) -> bool:
        if self.vendor == "sqlite":
            return Path(self.name).exists()
        return _pg_database_exists(self.connection, self.name)

    def built_by(self, run_id: str) -> bool:
        return self.marker.exists() and self.marker.read_text() == run_id

    def build(self, *, run_id: str, verbosity: int) -> None:
        """Migrate a fresh database under a temporary name, then rename it into place."""
        building = self._building_name()
        self.drop()
        test_settings = self.connection.settings_dict["TEST"]
        saved_name = test_settings.get("NAME")
        test_settings["NAME"] = building
        try:
            old_config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases={self.alias},
                serialized_aliases=set(),
            )
            teardown_databases(old_config, verbosity=verbosity, keepdb=True)
        finally:
            test_settings["NAME"] = saved_name
            connections.close_all()
        if self.vendor == "sqlite":
            # Out of WAL mode, the template is a single file that copies read without writing.
            with sqlite3.connect(building) as database:
                database.execute("PRAGMA journal_mode=DELETE")
            database.close()
            os.replace(building, self.name)
        else:
            with self.connection._nodb_cursor() as cursor:
                quote = self.connection.ops.quote_name
                cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(self.name)}")
        self.marker.write_text(run_id)
        self._prune()

    def drop(self) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.name}{suffix}").unlink(missing_ok=True)
        else:
            _pg_drop(self.connection, self.name)
        self.marker.unlink(missing_ok=True)

    def copy_into_test_database(self, *, keep_existing: bool) -> sqlite3.Connection | None:
        """Copy the template into this alias's test database (kept if asked and present).

        Return the connection that keeps an in-memory SQLite copy alive, if any."""
        creation = self.connection.creation
        target = creation._get_test_db_name()
        if self.vendor == "postgresql":
            if keep_existing and _pg_database_exists(self.connection, target):
                return None
            _pg_drop(self.connection, target)
            with self.connection._nodb_cursor() as cursor:
                quote = self.connection.ops.quote_name
                cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(self.name)}")
            return None
        if creation.is_in_memory_db(target):
            keeper = sqlite3.connect(target, uri=True, check_same_thread=False)
            _sqlite_copy(self.name, keeper)
            return keeper
        if keep_existing and Path(target).exists():
            return None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        destination = sqlite3.connect(target)
        try:
            _sqlite_copy(self.name, destination)
        finally:
            destination.close()
        return None

    def _building_name(self) -> str:
        if self.vendor == "sqlite":
            return f"{self.name}.building-{os.getpid()}"
        return f"{self.name}_building"

    def _prune(self) -> None:
        """Keep the newest few templates of this alias and vendor; drop the older ones."""
        markers = sorted(
            template_dir().glob(f"{self.vendor}_{self.alias}_*.built"),
            key=lambda path: path.stat().st_mtime,
            reverse=True,
        )
        for marker in markers[TEMPLATES_KEPT:]:
            try:
                Template(self.alias, marker.stem.rsplit("_", 1)[1]).drop()
            except Exception:  # a template in use by another run goes next time
                continue


def _sqlite_copy(source_path: str, destination: sqlite3.Connection) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        source.backup(destination)
    finally:
        source.close()


def _pg_database_exists(connection, name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _pg_drop(connection, name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def templated_aliases(aliases) -> list[str]:
    """The aliases whose test databases are copied from a template (not mirrors)."""
    chosen = []
    for alias in sorted(aliases):
        if alias not in connections.settings:
            continue  # declared by a test module when it runs (tests/core/test_dbrouter.py)
        connection = connections[alias]
        if connection.settings_dict["TEST"].get("MIRROR"):
            continue
        if connection.vendor not in SUPPORTED_VENDORS:
            return []
        chosen.append(alias)
    return chosen


def prepare_test_databases(
    aliases, *, run_id: str, rebuild: bool, keep_existing: bool, verbosity: int
) -> list[sqlite3.Connection]:
    """Make each alias's test database a copy of its template, building missing templates.

    `rebuild` (from --create-db) builds the template again unless this run already did.
    Return the connections that keep in-memory SQLite copies alive until the run ends."""
    keepers = []
    with build_lock():
        for alias in templated_aliases(aliases):
            template = Template.current(alias)
            if not template.exists() or (rebuild and not template.built_by(run_id)):
                template.build(run_id=run_id, verbosity=verbosity)
            else:
                template.marker.touch()
            keeper = template.copy_into_test_database(keep_existing=keep_existing)
            if keeper is not None:
                keepers.append(keeper)
    return keepers


def new_run_id(config) -> str:
    """The same id in every xdist worker of one run, a fresh one otherwise."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput and "testrunuid" in workerinput:
        return workerinput["testrunuid"]
    return uuid.uuid4().hex
