"""Forms of the coaching pages: they collect input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.forms import StyledForm
from salesorg.development.coaching import coachable_people
from salesorg.development.models import ReviewOutcome, RubricCriterion, TrainingRule
from salesorg.development.targeted import indicator_choices
from salesorg.org.models import Position

ACTION_ROWS = 3


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CoachingSessionForm(StyledForm):
    """A one-on-one session with up to three new action items."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    session_date = forms.DateField(label=_("Session date"), widget=_date_input())
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
        label=_("Follow-up check date"), required=False, widget=_date_input()
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


class JointVisitReviewForm(StyledForm):
    """A rubric review of a joint visit: a 1–5 score per criterion and the notes."""

    strengths = forms.CharField(
        label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    improvements = forms.CharField(
        label=_("Points to improve"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria: list[RubricCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [("", "—")] + [(str(score), str(score)) for score in range(1, 6)]
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.ChoiceField(
                label=criterion.label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def score_fields(self):
        return [self[f"score_{criterion.code}"] for criterion in self.criteria]

    def scores(self) -> dict:
        return {
            criterion.code: self.cleaned_data.get(f"score_{criterion.code}")
            for criterion in self.criteria
        }


class EvaluateForm(StyledForm):
    """The period over which the rules are evaluated for the team."""

    start = forms.DateField(label=_("From"), widget=_date_input())
    end = forms.DateField(label=_("To"), widget=_date_input())


class ProposalDecisionForm(StyledForm):
    """Accept (with a due date) or dismiss a proposal."""

    decision = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("dismiss", pgettext_lazy("hide a suggestion", "Dismiss")),
        ],
        label=_("Decision"),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_date_input())


class TrainingRuleForm(StyledForm, forms.ModelForm):
    """A targeted-training rule."""

    class Meta:
        model = TrainingRule
        fields = [
            "name",
            "source",
            "indicator",
            "criterion_code",
            "comparison",
            "threshold",
            "material",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"] = forms.ChoiceField(
            label=_("Indicator"),
            choices=[("", "—"), *indicator_choices()],
            required=False,
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        self.fields["threshold"].help_text = _(
            "For percentage indicators, in percent (80 means 80%)."
        )


class PersonnelReviewForm(StyledForm):
    """A personnel review at the end of a training stage."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    stage = forms.CharField(label=_("Training stage"), max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_position = forms.ModelChoiceField(
        label=_("New position"), queryset=Position.objects.order_by("code"), required=False
    )
    effective_date = forms.DateField(
        label=_("Effective date"), required=False, widget=_date_input()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = coachable_people(user=user)


class ReviewDecisionForm(StyledForm):
    """The approver's decision on a personnel review."""

    decision = forms.ChoiceField(
        choices=[
            ("approve", pgettext_lazy("decision", "Approve")),
            ("reject", pgettext_lazy("decision", "Reject")),
        ],
        label=_("Decision"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
