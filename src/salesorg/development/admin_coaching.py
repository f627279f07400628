"""Admin of the coaching configuration: joint-visit rubrics and targeted-training rules.

Coaching sessions, reviews and personnel reviews are not in the admin: they are changed
only through their services, and personnel reviews are never deleted.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.development.models import Rubric, RubricCriterion, TrainingRule


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 1
    fields = ("position", "code", "name")


@admin.register(Rubric)
class RubricAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "is_default", "active")
    inlines = [RubricCriterionInline]


@admin.register(TrainingRule)
class TrainingRuleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "source", "indicator", "criterion_code", "comparison", "threshold")
    list_filter = ("source", "active")
