"""The audit trail: history rows of business records, read back for pages and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Model
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from salesorg.core.fields import is_money_field
from salesorg.core.money import format_money
from salesorg.core.ratelimit import client_ip

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


class AuditedHistory(models.Model):
    """The extra columns of every history row: where the change came from."""

    ip_address = models.GenericIPAddressField(gettext_lazy("IP address"), null=True, blank=True)

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def record_client_ip(sender, history_instance, **kwargs):
    """Fill the client address of a history row written during a web request."""
    if not hasattr(history_instance, "ip_address"):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return
    history_instance.ip_address = client_ip(request) or None


def audited_models() -> list[type[Model]]:
    """The allow-list: business models with a history and a scoped manager (visible_to)."""
    found = []
    for model in apps.get_models():
        in_project = model.__module__.startswith("salesorg.") and hasattr(model, "history")
        if in_project and hasattr(model._default_manager, "visible_to"):
            found.append(model)
    return found


def audited_model(app_label: str, model_name: str) -> type[Model] | None:
    """The audited model named so, or None when it is not in the allow-list."""
    for model in audited_models():
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model
    return None


@dataclass
class AuditRow:
    """One history row as people read it."""

    when: dt.datetime
    who: str
    ip: str
    change: str
    object_id: object
    history_id: int = 0
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    change_label: str = ""  # the change in words, filled in for the history page


def _who(row, names: dict[int, str]) -> str:
    if row.history_user_id is None:
        return _("system")
    return names.get(row.history_user_id, "")


def _user_names(user_ids: set[int]) -> dict[int, str]:
    """Display names of the given users: their person's name, else the username."""
    users = get_user_model().objects.filter(pk__in=user_ids).select_related("person")
    names = {}
    for user in users:
        person = getattr(user, "person", None)
        names[user.pk] = str(person) if person is not None else user.get_username()
    return names


def _field_labels(model: type[Model]) -> dict[str, str]:
    labels = {}
    for model_field in model._meta.concrete_fields:
        labels[model_field.name] = str(model_field.verbose_name)
        labels[model_field.attname] = str(model_field.verbose_name)
    return labels


def _shown(value, money: bool = False) -> str:
    """A field value in the history: amounts as ¥1,234.50, the rest as stored."""
    if value is None:
        return ""
    if money:
        try:
            return format_money(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    return str(value)


def audit_rows(model: type[Model], rows: list) -> list[AuditRow]:
    """Read history rows (of one model) as AuditRows, each change diffed against the previous
    row of the same object; `rows` may come in any order and is fetched once by the caller."""
    labels = _field_labels(model)
    money_fields = {f.name for f in model._meta.concrete_fields if is_money_field(f)}
    names = _user_names({row.history_user_id for row in rows if row.history_user_id})
    ordered = sorted(rows, key=lambda row: (row.history_date, row.history_id))
    previous: dict[object, object] = {}
    result = []
    for row in ordered:
        changes = []
        before = previous.get(row.id)
        if row.history_type == "~" and before is not None:
            delta = row.diff_against(before, foreign_keys_are_objs=False)
            for change in delta.changes:
                label = labels.get(change.field, change.field)
                money = change.field in money_fields
                changes.append((label, _shown(change.old, money), _shown(change.new, money)))
        previous[row.id] = row
        result.append(
            AuditRow(
                when=row.history_date,
                who=_who(row, names),
                ip=getattr(row, "ip_address", None) or "",
                change=CHANGE_TYPES.get(row.history_type, row.history_type),
                object_id=row.id,
                history_id=row.history_id,
                changes=changes,
            )
        )
    result.reverse()
    return result


def object_history(obj: Model) -> list[AuditRow]:
    """The history of one record, newest first, in two queries (rows and user names)."""
    history = obj.history  # type: ignore[attr-defined]  # an audited model
    rows = list(history.all().order_by("history_date", "history_id"))
    return audit_rows(type(obj), rows)


def history_since(
    *, since: dt.datetime, models: list[type[Model]] | None = None, chunk: int = 2000
) -> Iterator[tuple[type[Model], AuditRow]]:
    """Every history row of the audited models since `since`, model by model, in chunks."""
    for model in models or audited_models():
        history_model = model.history.model  # type: ignore[attr-defined]  # an audited model
        rows = history_model.objects.filter(history_date__gte=since).order_by("history_id")
        last_id = 0
        while True:
            batch = list(rows.filter(history_id__gt=last_id)[:chunk])
            if not batch:
                break
            last_id = batch[-1].history_id
            # Diff against the previous row of each object, including rows before `since`.
            ids = {row.id for row in batch if row.history_type == "~"}
            earlier = history_model.objects.filter(id__in=ids, history_id__lt=last_id + 1)
            pool = {row.history_id: row for row in earlier} | {r.history_id: r for r in batch}
            wanted = {row.history_id for row in batch}
            for audit_row in reversed(audit_rows(model, list(pool.values()))):
                if audit_row.history_id in wanted:
                    yield model, audit_row
