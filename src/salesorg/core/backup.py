"""Database-independent backup and restore: every record and its history in one file, with
the files the records name (photos, attachments: `core.backup_files`).

The file is gzip-compressed JSON lines: a header (format, version, the applied migrations),
then one line per record in dependency order, serialized by Django's serializers. Content
types, permissions and sessions are not stored as rows: `migrate` recreates the first two (with
ids of its own, so the header maps each old id to its natural key and restore translates every
reference), and sessions are not worth keeping. So a backup taken on SQLite restores into
PostgreSQL and back.

Restore first reads the whole file and checks that this database can hold every value (no
NUL character in PostgreSQL text, no lone surrogate, no string longer than its column, no
number out of its column's range): if not, it refuses, naming the table, row and field,
before writing anything. Then it writes into the freshly migrated database in one
transaction with bulk inserts (the rows that migrations seed, which the apps register, are
replaced by the backup's), resets the primary-key sequences and runs the hooks the apps
register to derive the rest (performance rebuilds its rollups).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from salesorg.core.backup_files import (
    FileRestorer,
    file_line_problem,
    files_write,
    is_file_line,
)
from salesorg.core.registry import after_restore_hooks, is_derived, is_seeded

FORMAT = "salesorg-backup"
VERSION = 1
BATCH = 2000
MAX_PROBLEMS = 20
NOT_STORED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}

Progress = Callable[[str, int], None]


class BackupError(Exception):
    """The backup file cannot be restored here (the message says why)."""


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but datetimes keep their microseconds (it cuts them to ms)."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def stored_models() -> list[type[Model]]:
    """Every concrete model whose rows a backup holds, parents before children."""
    app_list = {config: None for config in apps.get_app_configs()}
    models = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        model
        for model in models
        if model._meta.label_lower not in NOT_STORED
        and not is_derived(model)
        and not model._meta.proxy
        and model._meta.managed
    ]


def applied_migrations() -> list[list[str]]:
    """The applied migrations, sorted (a backup restores only into the same schema)."""
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def backup_write(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Write every stored record to `path`; return the row count per model."""
    counts: dict[str, int] = {}
    header = {
        "format": FORMAT,
        "version": VERSION,
        "migrations": applied_migrations(),
        "content_types": {
            str(ct.pk): [ct.app_label, ct.model] for ct in ContentType.objects.order_by("pk")
        },
        "permissions": {
            str(p.pk): [p.content_type.app_label, p.content_type.model, p.codename]
            for p in Permission.objects.select_related("content_type").order_by("pk")
        },
    }
    with transaction.atomic(), gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for model in stored_models():
            label = model._meta.label_lower
            counts[label] = 0
            for chunk in _chunks(model._base_manager.order_by("pk").iterator(BATCH)):
                rows = serializers.serialize("python", chunk)
                for row in rows:
                    out.write(json.dumps(row, cls=_Encoder, ensure_ascii=False))
                    out.write("\n")
                counts[label] += len(rows)
            if progress:
                progress(label, counts[label])
        files_write(out, stored_models(), counts)  # the photos and attachments they name
    return counts


def backup_restore(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Load a backup into this freshly migrated database; return the row count per model.

    Refuses (BackupError, nothing written) a file of another schema, a database that has
    records, and values this database cannot hold.
    """
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        try:
            first = next(lines, "")
        except (OSError, EOFError, UnicodeDecodeError) as error:  # not gzip, or cut short
            raise BackupError("This is not a SalesOrg backup file.") from error
        header = _header(first)
        if header["migrations"] != applied_migrations():
            raise BackupError(
                "The backup was taken on a different schema: run the SalesOrg version it came "
                "from, or migrate this database to the same migrations."
            )
        occupied = [
            m._meta.label for m in stored_models() if not is_seeded(m) and m._base_manager.exists()
        ]
        if occupied:
            raise BackupError(
                f"The database is not empty (it has rows in {', '.join(occupied[:5])}): "
                "restore only into a new database."
            )
        _check_values(lines)
    counts: dict[str, int] = {}
    translate = _id_translation(header)
    with (
        gzip.open(path, "rt", encoding="utf-8") as lines,
        transaction.atomic(),
        _stored_timestamps(),
    ):
        next(lines)  # the header, read above
        _delete_seeded_rows()  # what the migrations seeded: the backup has the company's own
        pending: list = []
        files = FileRestorer(counts, progress)
        for line in lines:
            row = json.loads(line)
            if is_file_line(row):  # the files come after every record
                files.add(row)
                continue
            pending.append(translate(row))
            if len(pending) >= BATCH:
                _insert(pending, counts, progress)
                pending = []
        _insert(pending, counts, progress)
        files.finish()
        _reset_sequences()
        for hook in after_restore_hooks():  # the records are in: the apps derive the rest
            hook()
    return counts


def _delete_seeded_rows() -> None:
    """Delete the rows that migrations seed (children first), with their many-to-many links."""
    for model in reversed(stored_models()):
        if not is_seeded(model):
            continue
        for field in model._meta.many_to_many:
            through: Any = field.remote_field.through
            if through._meta.auto_created:
                through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


# --- what this database can hold ------------------------------------------------------------

Check = Callable[[Any], str | None]  # a value's problem in this database, or None


def _check_values(lines) -> None:
    """Read every row of the backup and refuse it if this database cannot hold a value."""
    checks = {model._meta.label_lower: _ModelChecks(model) for model in stored_models()}
    problems: list[str] = []
    count = 0
    try:
        for number, line in enumerate(lines, start=2):
            try:
                row = json.loads(line)
                if is_file_line(row):
                    problem = file_line_problem(row)
                    found = [f"line {number}: {problem}"] if problem else []
                else:
                    model = checks.get(row["model"])
                    found = (
                        [f"line {number}: unknown table {row['model']}"]
                        if model is None
                        else model.problems(row)
                    )
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                found = [f"line {number}: not a row of a SalesOrg backup"]
            count += len(found)
            problems.extend(found[: MAX_PROBLEMS - len(problems)])
    except (UnicodeDecodeError, EOFError, OSError) as error:
        raise BackupError(f"The backup file is damaged: {error}.") from error
    if problems:
        more = f"\n  … and {count - len(problems)} more" if count > len(problems) else ""
        raise BackupError(
            f"Nothing was restored: this {connection.display_name} database cannot hold "
            "these values of the backup:\n  " + "\n  ".join(problems) + more
        )


class _ModelChecks:
    """The checks of one model's serialized rows against this database."""

    def __init__(self, model: type[Model]):
        meta = model._meta
        self.where = f"{meta.label} (table {meta.db_table})"
        self.pk_name = meta.pk.name
        self.pk_check = _field_check(meta.pk)
        self.checks: dict[str, Check] = {
            field.name: _field_check(field)
            for field in meta.concrete_fields
            if field is not meta.pk
        }
        self.m2m_checks: dict[str, Check] = {
            field.name: _field_check(cast(Any, field).target_field) for field in meta.many_to_many
        }

    def problems(self, row: dict) -> list[str]:
        found = []
        pk = row.get("pk")
        reason = self.pk_check(pk)
        if reason:
            found.append(f"{self.where}, row {pk}, field {self.pk_name}: {reason}")
        for name, value in row["fields"].items():
            check = self.checks.get(name)
            if check is not None:
                reason = check(value)
            elif name in self.m2m_checks:
                reason = next(filter(None, map(self.m2m_checks[name], value or [])), None)
            else:
                reason = "is not a field of this table"
            if reason:
                found.append(f"{self.where}, row {pk}, field {name}: {reason}")
        return found


def _field_check(field: Any) -> Check:
    """How to tell whether this database can hold a value of `field` (as serialized)."""
    postgres = connection.vendor == "postgresql"
    target = field.target_field if field.is_relation else field
    internal = target.get_internal_type()
    low: int | None = None
    high: int | None = None
    if internal in connection.ops.integer_field_ranges:  # SQLite's answer: 64 bits
        low, high = connection.ops.integer_field_range(internal)
    max_length = getattr(target, "max_length", None) if postgres else None
    is_json = isinstance(target, models.JSONField)
    is_decimal = isinstance(target, models.DecimalField)

    def check(value: Any) -> str | None:
        if value is None:
            return None if field.null or field.primary_key else "is empty, which is not allowed"
        if is_json:
            return _json_problem(value, postgres)
        try:
            value = target.to_python(value)
        except ValidationError as error:
            reason = " ".join(error.messages).encode("utf-8", "backslashreplace").decode()
            return f"is not a valid value ({reason})"
        if isinstance(value, str):
            return _text_problem(value, postgres, max_length)
        if low is not None and high is not None and not low <= value <= high:
            return f"{value} is out of range for this column ({low} to {high})"
        if is_decimal:
            return _decimal_problem(value, target.max_digits, target.decimal_places)
        return None

    return check


def _text_problem(text: str, postgres: bool, max_length: int | None) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"holds a lone surrogate (character {error.start + 1}), which is not text"
    if postgres and "\x00" in text:
        at = text.index("\x00") + 1
        return f"holds a NUL character (character {at}), which PostgreSQL cannot store"
    if max_length is not None and len(text) > max_length:
        return f"is {len(text)} characters long, longer than {max_length} (the column's limit)"
    return None


def _json_problem(value: Any, postgres: bool) -> str | None:
    if isinstance(value, str):
        return _text_problem(value, postgres, None)
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    return next(filter(None, (_json_problem(item, postgres) for item in items)), None)


def _decimal_problem(value: Any, max_digits: int, places: int) -> str | None:
    if not value.is_finite():
        return f"{value} is not a number this column can hold"
    if abs(value) >= Decimal(10) ** (max_digits - places):
        digits = max_digits - places
        return f"{value} is too large for this column (at most {digits} digits before the point)"
    if value != value.quantize(Decimal(1).scaleb(-places)):
        return f"{value} has more than {places} decimals, which this column would round away"
    return None


@contextmanager
def _stored_timestamps() -> Iterator[None]:
    """Keep the backup's values of auto_now(_add) fields (bulk inserts would stamp them)."""
    fields: list[Any] = [
        field
        for model in stored_models()
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    flags = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in flags:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _header(line: str) -> dict:
    try:
        header = json.loads(line)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("This is not a SalesOrg backup file.")
    if header.get("version") != VERSION:
        raise BackupError(f"Unsupported backup version: {header.get('version')}.")
    return header


def _id_translation(header: dict) -> Callable[[dict], dict]:
    """A function rewriting a row's content-type and permission ids to this database's."""
    content_types = {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.all()}
    ct_ids = {
        int(old): content_types.get(tuple(key)) for old, key in header["content_types"].items()
    }
    permissions = {
        (p.content_type.app_label, p.content_type.model, p.codename): p.pk
        for p in Permission.objects.select_related("content_type")
    }
    perm_ids = {int(old): permissions.get(tuple(key)) for old, key in header["permissions"].items()}
    fields_by_model: dict[str, tuple[list[str], list[str]]] = {}
    for model in stored_models():
        ct_fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is ContentType
        ]
        perm_fields = [f.name for f in model._meta.many_to_many if f.related_model is Permission]
        fields_by_model[model._meta.label_lower] = (ct_fields, perm_fields)

    def translate(row: dict) -> dict:
        ct_fields, perm_fields = fields_by_model.get(row["model"], ((), ()))
        fields = row["fields"]
        for name in ct_fields:
            if fields.get(name) is not None:
                fields[name] = ct_ids[fields[name]]
        for name in perm_fields:
            fields[name] = [perm_ids[pk] for pk in fields.get(name, [])]
        return row

    return translate


def _chunks(iterator) -> Iterator[list]:
    chunk = []
    for item in iterator:
        chunk.append(item)
        if len(chunk) >= BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(rows: list[dict], counts: dict[str, int], progress: Progress | None) -> None:
    """Bulk-insert a batch of serialized rows, model by model, with their many-to-many links."""
    by_model: dict[type[Model], list] = {}
    for deserialized in serializers.deserialize("python", rows, handle_forward_references=True):
        by_model.setdefault(type(deserialized.object), []).append(deserialized)
    for model, objects in by_model.items():
        model._base_manager.bulk_create([d.object for d in objects], batch_size=500)
        for field in model._meta.many_to_many:
            through: Any = field.remote_field.through
            if not through._meta.auto_created:
                continue  # an explicit through model is stored as records of its own
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            links = [
                through(**{f"{source}_id": d.object.pk, f"{target}_id": pk})
                for d in objects
                for pk in (d.m2m_data or {}).get(field.name, [])
            ]
            through._base_manager.bulk_create(links, batch_size=1000)
        label = model._meta.label_lower
        counts[label] = counts.get(label, 0) + len(objects)
        if progress:
            progress(label, counts[label])


def _reset_sequences() -> None:
    """Move primary-key sequences past the restored ids (PostgreSQL; a no-op on SQLite)."""
    models = stored_models()
    throughs = [
        cast(type[Model], f.remote_field.through) for m in models for f in m._meta.many_to_many
    ]
    models += [through for through in throughs if through._meta.auto_created]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
