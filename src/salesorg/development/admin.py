"""Admin of the development app: training library, assignments, culture, and the coaching
configuration (joint-visit rubrics and targeted-training rules).

Coaching sessions, reviews and personnel reviews are not in the admin: they are changed
only through their services, and personnel reviews are never deleted.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.core.problems import Problems
from salesorg.development.attachments import attachment_check
from salesorg.development.models import (
    Assignment,
    CulturePage,
    Material,
    QuizOption,
    QuizQuestion,
    Recognition,
    Rubric,
    RubricCriterion,
    TrainingRule,
)


class MaterialAdminForm(forms.ModelForm):
    """Attachments uploaded in the admin pass the same type and size checks as the pages."""

    class Meta:
        model = Material
        fields = [
            "code",
            "title",
            "topic",
            "level",
            "body",
            "estimated_minutes",
            "attachment",
            "is_published",
            "is_onboarding",
            "onboarding_order",
            "pass_mark",
        ]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            problems = Problems()
            attachment_check(problems, upload)
            if problems.errors:
                raise forms.ValidationError(problems.errors["attachment"])
        return upload


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 0
    show_change_link = True


class QuizOptionInline(admin.TabularInline):
    model = QuizOption
    extra = 0


@admin.register(Material)
class MaterialAdmin(SimpleHistoryAdmin):
    form = MaterialAdminForm
    list_display = ["code", "title", "topic", "level", "is_onboarding", "is_published"]
    list_filter = ["topic", "level", "is_onboarding", "is_published"]
    search_fields = ["code", "title"]
    inlines = [QuizQuestionInline]


@admin.register(QuizQuestion)
class QuizQuestionAdmin(SimpleHistoryAdmin):
    list_display = ["material", "number", "text"]
    list_select_related = ["material"]
    inlines = [QuizOptionInline]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "material", "due_date", "status", "quiz_score", "passed"]
    list_filter = ["status", "material__topic"]
    list_select_related = ["person", "material"]
    search_fields = ["person__code", "person__name", "material__title"]
    raw_id_fields = ["person", "assigned_by"]


@admin.register(CulturePage)
class CulturePageAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "updated_at", "updated_by"]


@admin.register(Recognition)
class RecognitionAdmin(SimpleHistoryAdmin):
    list_display = ["person", "title", "author", "team", "created_at"]
    list_select_related = ["person", "author", "team"]
    raw_id_fields = ["person", "author", "order", "visit", "customer"]


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
