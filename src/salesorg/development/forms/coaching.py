"""Forms of one-on-one coaching: they collect input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesorg.core.forms import StyledForm
from salesorg.development.forms.widgets import date_input
from salesorg.development.selectors.coaching import coachable_people

ACTION_ROWS = 3


class CoachingSessionForm(StyledForm):
    """A one-on-one session with up to three new action items."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    session_date = forms.DateField(label=_("Session date"), widget=date_input())
    strengths = forms.CharField(
        label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weaknesses = forms.CharField(
        label=_("Weaknesses"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    context = forms.CharField(
        label=_("Market and customer context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    improvement_plan = forms.CharField(
        label=_("Improvement plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_date = forms.DateField(
        label=_("Follow-up check date"), required=False, widget=date_input()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = coachable_people(user=user)
        # The one person selector: picking someone reloads only the session start (open
        # items, indicator changes) so nothing typed in the form is lost.
        self.fields["person"].widget.attrs.update(
            {
                "hx-get": reverse("development:coaching_new"),
                "hx-trigger": "change",
                "hx-target": "#session-start",
                "hx-select": "#session-start",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["session_date"].initial = timezone.localdate()
        for number in range(1, ACTION_ROWS + 1):
            self.fields[f"items-{number}-title"] = forms.CharField(
                label=_("Action item %(number)s") % {"number": number},
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"items-{number}-due_date"] = forms.DateField(
                label=_("Due date"),
                required=False,
                widget=forms.DateInput(
                    attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
                ),
            )

    def action_rows(self):
        """(title field, due-date field) pairs for the template."""
        return [
            (self[f"items-{number}-title"], self[f"items-{number}-due_date"])
            for number in range(1, ACTION_ROWS + 1)
        ]

    def action_items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "title": data.get(f"items-{number}-title", ""),
                "due_date": data.get(f"items-{number}-due_date"),
            }
            for number in range(1, ACTION_ROWS + 1)
        ]

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("items-")]


class FollowUpForm(StyledForm):
    """The coach's follow-up check of a session."""

    follow_up_note = forms.CharField(
        label=_("What did the check find?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
