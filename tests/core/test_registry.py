"""The apps plug into core through its registry; with nothing registered core shows nothing."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from salesorg.core import registry
from salesorg.core.roles import Role, person_of, role_among
from salesorg.core.scoping import EVERYTHING, NOTHING, SYSTEM, scope_for

pytestmark = pytest.mark.django_db


def test_without_a_scope_builder_a_login_sees_nothing(org_tree, monkeypatch):
    # given no scope builder registered (org not loaded)
    monkeypatch.setattr(registry, "_scope_builder", None)
    director = User.objects.get(pk=org_tree.user("director").pk)  # no scope cached on it
    # then even the director sees nothing, and the batch actor still sees everything
    assert scope_for(director) is NOTHING
    assert scope_for(SYSTEM) is EVERYTHING


def test_without_a_person_resolver_no_login_has_a_person(org_tree, monkeypatch):
    monkeypatch.setattr(registry, "_person_resolver", None)
    rep = User.objects.get(pk=org_tree.user("rep_east1a").pk)  # no person cached on it
    assert person_of(rep) is None


def test_org_tells_core_who_a_login_is(org_tree):
    rep = org_tree.user("rep_east1a")
    assert person_of(rep) == org_tree.people["rep_east1a"]
    assert scope_for(rep).person_id == org_tree.people["rep_east1a"].id


def test_menu_entries_show_in_registered_groups_only_to_whom_their_rule_allows(
    org_tree, monkeypatch
):
    # given one group and three entries: one for reps, one for finance, one in no group
    monkeypatch.setattr(registry, "_MENU_GROUPS", {})
    monkeypatch.setattr(registry, "_MENU_ENTRIES", [])
    registry.register_menu_group(registry.MenuGroup(key="g", label="G", icon="x", position=1))
    registry.register_menu_entries(
        registry.MenuEntry("g", 20, "org:people", "People", "p", role_among({Role.REP})),
        registry.MenuEntry("g", 10, "org:tree", "Tree", "t", role_among({Role.REP})),
        registry.MenuEntry("g", 30, "home", "Finance", "f", role_among({Role.FINANCE})),
        registry.MenuEntry("nowhere", 10, "home", "Lost", "l", lambda user: True),
    )
    # then a rep sees their two entries in position order, and nothing of the unknown group
    menu = registry.menu_for(org_tree.user("rep_east1a"))
    assert [(g["key"], [i["label"] for i in g["items"]]) for g in menu] == [
        ("g", ["Tree", "People"])
    ]
    # and a trainer, allowed nothing, sees no group at all
    assert registry.menu_for(org_tree.user("trainer")) == []


def test_home_parts_are_merged_in_order_for_their_roles_only(org_tree, monkeypatch):
    monkeypatch.setattr(registry, "_HOME_PARTS", [])
    calls = []

    def first(**kwargs):
        calls.append("first")
        return {"card": 1, "first": True}

    def second(**kwargs):
        calls.append("second")
        return {"card": 2}

    def finance_only(**kwargs):
        calls.append("finance")
        return {"finance": True}

    registry.register_home_part(position=20, roles={Role.REP}, build=second)
    registry.register_home_part(position=10, roles={Role.REP, None}, build=first)
    registry.register_home_part(position=5, roles={Role.FINANCE}, build=finance_only)
    rep = org_tree.people["rep_east1a"]
    context = registry.home_context_for(
        user=rep.user, person=rep, role=Role.REP, today=timezone.localdate(), reminders=[]
    )
    assert context == {"card": 2, "first": True}
    assert calls == ["first", "second"]
