"""What the apps plug into core: who a login is, menus, home-page parts, deletion rules and
restore hooks.

Each app registers here in its AppConfig.ready() (its menu entries in its `menu.py`); core
reads the registry and never imports an app. Nothing registered means nothing shown: no
person, an empty scope, no menu entry, no home card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Model, ProtectedError
from django.db.models.signals import pre_delete
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from salesorg.core.reminders import Reminder
    from salesorg.core.scoping import Scope

Label = str | Promise  # a translated text, usually lazy

# --- who a login is (registered by org) ---------------------------------------------------

PersonResolver = Callable[["User"], Any]  # the person of a login, or None
ScopeBuilder = Callable[["User"], "Scope"]  # the scope of an active login

_person_resolver: PersonResolver | None = None
_scope_builder: ScopeBuilder | None = None


def register_person_resolver(resolver: PersonResolver) -> None:
    """Say how to find the person behind a login (core.roles.person_of asks it)."""
    global _person_resolver
    _person_resolver = resolver


def person_resolver() -> PersonResolver | None:
    """The registered person resolver, or None (then no login has a person)."""
    return _person_resolver


def register_scope_builder(builder: ScopeBuilder) -> None:
    """Say how to compute what a login may see (core.scoping.scope_for asks it)."""
    global _scope_builder
    _scope_builder = builder


def scope_builder() -> ScopeBuilder | None:
    """The registered scope builder, or None (then every login sees nothing)."""
    return _scope_builder


# --- the navigation menu ------------------------------------------------------------------


@dataclass(frozen=True)
class MenuGroup:
    """A group of the navigation bar; a group with one entry shows as a link."""

    key: str
    label: Label
    icon: str
    position: int


@dataclass(frozen=True)
class MenuEntry:
    """A page in a menu group, shown to the logins that `shown_to` lets in."""

    group: str
    position: int
    url_name: str
    label: Label
    icon: str
    shown_to: Callable[[User], bool]


_MENU_GROUPS: dict[str, MenuGroup] = {}
_MENU_ENTRIES: list[MenuEntry] = []


def register_menu_group(group: MenuGroup) -> None:
    """Add (or replace) a group of the navigation bar."""
    _MENU_GROUPS[group.key] = group


def register_menu_entries(*entries: MenuEntry) -> None:
    """Add pages to the navigation menu (an entry of an unregistered group is never shown)."""
    _MENU_ENTRIES.extend(entry for entry in entries if entry not in _MENU_ENTRIES)


def menu_for(user: User) -> list[dict]:
    """The menu groups with the entries `user` may open, in order; empty groups left out."""
    groups = sorted(_MENU_GROUPS.values(), key=lambda group: group.position)
    entries = sorted(_MENU_ENTRIES, key=lambda entry: entry.position)
    menu = []
    for group in groups:
        items = [
            {"url": reverse(entry.url_name), "label": entry.label, "icon": entry.icon}
            for entry in entries
            if entry.group == group.key and entry.shown_to(user)
        ]
        if items:
            menu.append(
                {"key": group.key, "label": group.label, "icon": group.icon, "items": items}
            )
    return menu


# --- the home page ------------------------------------------------------------------------


HomeBuilder = Callable[..., dict]  # build(*, user, person, role, today, reminders) -> dict


@dataclass(frozen=True)
class HomePart:
    """A builder of part of the home page's context (cards, figures) for some roles."""

    position: int
    roles: frozenset[str | None]
    build: HomeBuilder | str  # or its dotted path, imported when a home page is first built


_HOME_PARTS: list[HomePart] = []


def register_home_part(
    *, position: int, roles: Iterable[str | None], build: HomeBuilder | str
) -> None:
    """Add `build(*, user, person, role, today, reminders) -> dict` to the home page of
    `roles` (None: a login without a role); parts are merged in `position` order.

    `build` may be the dotted path of the function ("salesorg.org.home.home_context"): its
    module, with the selectors behind the home page, is then imported on the first home
    page instead of at start-up, which commands from the shell do not pay for."""
    if not any(part.build == build for part in _HOME_PARTS):
        _HOME_PARTS.append(HomePart(position=position, roles=frozenset(roles), build=build))


def home_context_for(
    *,
    user: User | AnonymousUser,
    person: Any,
    role: str | None,
    today: date,
    reminders: list[Reminder],
) -> dict:
    """The home page's context from every part registered for `role`, in order."""
    context: dict = {}
    for part in sorted(_HOME_PARTS, key=lambda part: part.position):
        if role in part.roles:
            build = import_string(part.build) if isinstance(part.build, str) else part.build
            context.update(
                build(user=user, person=person, role=role, today=today, reminders=reminders)
            )
    return context


# --- records that are never deleted ---------------------------------------------------------

DeletionRule = Callable[[Any], str | None]  # why this row may not be deleted, or None


def register_deletion_rule(model: str, rule: DeletionRule) -> None:
    """Refuse to delete a row of `model` ("app_label.ModelName"), one by one or in bulk,
    while `rule(row)` gives a reason (raised as a ProtectedError)."""

    def refuse_deletion(sender, instance, **kwargs) -> None:
        reason = rule(instance)
        if reason:
            raise ProtectedError(reason, {instance})

    pre_delete.connect(
        refuse_deletion,
        sender=model,
        weak=False,
        dispatch_uid=f"salesorg.deletion_rule:{model}:{rule.__module__}.{rule.__qualname__}",
    )


# --- after a backup is restored -------------------------------------------------------------

RestoreHook = Callable[[], None]
_AFTER_RESTORE: list[RestoreHook] = []
_DERIVED_MODELS: set[str] = set()


def register_after_restore(hook: RestoreHook) -> None:
    """Run `hook()` in the restore's transaction once a backup's rows are in (to derive data)."""
    if hook not in _AFTER_RESTORE:
        _AFTER_RESTORE.append(hook)


def after_restore_hooks() -> list[RestoreHook]:
    """The registered restore hooks, in registration order."""
    return list(_AFTER_RESTORE)


def register_derived_models(*labels: str) -> None:
    """Name models ("app_label.ModelName") whose rows are derived from the records: a backup
    leaves them out and a restore hook builds them again."""
    _DERIVED_MODELS.update(label.lower() for label in labels)


def is_derived(model: type[Model]) -> bool:
    """Are the rows of `model` derived from other records (so never backed up)?"""
    return model._meta.label_lower in _DERIVED_MODELS


_SEEDED_MODELS: set[str] = set()


def register_seeded_models(*labels: str) -> None:
    """Name models ("app_label.ModelName") whose rows a migration seeds, so that a freshly
    migrated database has them: a restore replaces them by the backup's rows."""
    _SEEDED_MODELS.update(label.lower() for label in labels)


def is_seeded(model: type[Model]) -> bool:
    """Does a migration seed rows of `model` (so a new database is not empty of them)?"""
    return model._meta.label_lower in _SEEDED_MODELS


# --- records that photos are attached to -----------------------------------------------------

PhotoRule = Callable[[Any, Model], bool]  # may this login add and delete photos of the record?
_PHOTO_TARGETS: dict[str, PhotoRule] = {}


def register_photo_target(model: str, *, may_attach: PhotoRule) -> None:
    """Let photos be attached to records of `model` ("app_label.ModelName"): they are seen by
    whoever sees the record and added or deleted by those `may_attach(user, record)` allows."""
    _PHOTO_TARGETS[model.lower()] = may_attach


def photo_targets() -> dict[str, PhotoRule]:
    """The registered photo targets ("app_label.modelname" → rule); none: no photo is seen."""
    return dict(_PHOTO_TARGETS)
