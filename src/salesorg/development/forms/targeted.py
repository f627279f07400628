"""Forms of targeted training: the period to evaluate, a decision, a rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.forms import StyledForm
from salesorg.development.forms.widgets import date_input
from salesorg.development.models import TrainingRule
from salesorg.development.selectors.targeted import indicator_choices


class EvaluateForm(StyledForm):
    """The period over which the rules are evaluated for the team."""

    start = forms.DateField(label=_("From"), widget=date_input())
    end = forms.DateField(label=_("To"), widget=date_input())


class ProposalDecisionForm(StyledForm):
    """Accept (with a due date) or dismiss a proposal."""

    decision = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("dismiss", pgettext_lazy("hide a suggestion", "Dismiss")),
        ],
        label=_("Decision"),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=date_input())


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
