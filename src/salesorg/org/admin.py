from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.org.models import Membership, Person, Position, Region, Team


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["code", "name", "manager"]
    autocomplete_fields = ["manager"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["team", "start_date", "end_date"]
    autocomplete_fields = ["team"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "head"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["head"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "region", "manager"]
    list_filter = ["region"]
    list_select_related = ["region", "manager"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["manager"]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "role", "manager", "hire_date", "leave_date", "user"]
    list_filter = ["role"]
    list_select_related = ["manager", "user"]
    search_fields = ["code", "name", "email"]
    autocomplete_fields = ["manager", "user"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "team", "start_date", "end_date"]
    list_filter = ["team__region", "team"]
    list_select_related = ["person", "team"]
    search_fields = ["person__code", "person__name", "team__code"]
    autocomplete_fields = ["person", "team"]
