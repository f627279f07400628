"""Forms of the training library and assignments (the services validate)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.forms import StyledForm
from salesorg.development.forms.widgets import date_input
from salesorg.development.models import Level, Material, Topic
from salesorg.development.quizzes import QUIZ_HELP
from salesorg.org.models import Person


class MaterialForm(StyledForm):
    """A training material with its quiz in a short text format."""

    title = forms.CharField(label=pgettext_lazy("record heading", "Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    level = forms.ChoiceField(
        label=pgettext_lazy("training material difficulty", "Level"), choices=Level.choices
    )
    estimated_minutes = forms.IntegerField(label=_("Estimated minutes"), min_value=1, initial=15)
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=Material._meta.get_field("body").help_text,
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, Office (docx, xlsx, pptx), PNG, JPEG or text; at most 20 MB."),
    )
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)
    is_onboarding = forms.BooleanField(label=_("Part of the onboarding curriculum"), required=False)
    onboarding_order = forms.IntegerField(label=_("Onboarding order"), min_value=0, initial=0)
    pass_mark = forms.IntegerField(
        label=_("Quiz pass mark (%)"), min_value=0, max_value=100, initial=80
    )
    quiz = forms.CharField(
        label=_("Quiz"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=QUIZ_HELP,
    )


class AssignForm(StyledForm):
    """Assign one material to one or more people by a due date."""

    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    material = forms.ModelChoiceField(label=_("Material"), queryset=Material.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=date_input())
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["material"].queryset = materials
        if not self.is_bound:
            self.initial.setdefault("due_date", timezone.localdate())
