"""Forms of personnel reviews: filing one and the approver's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.forms import StyledForm
from salesorg.development.forms.widgets import date_input
from salesorg.development.models import ReviewOutcome
from salesorg.development.selectors.coaching import coachable_people
from salesorg.org.models import Position


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
        label=_("Effective date (promotion) or last day employed (dismissal)"),
        required=False,
        widget=date_input(),
    )
    override_reason = forms.CharField(
        label=_("Reason for dismissing without a full training or coaching stage"),
        help_text=_("Only when the evidence holds no ended stage of the policy's length."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
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
