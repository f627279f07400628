"""Forms of the evaluation, credit-control, proposal and pipeline pages (input only: the
services hold the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from salesorg.core.forms import StyledForm
from salesorg.customers.evaluation import FACTORS
from salesorg.customers.models import CauseCategory, Customer, ScoringModel


class ScoringModelForm(forms.ModelForm):
    """The scoring model's weights, scales, thresholds and credit-limit months."""

    class Meta:
        model = ScoringModel
        fields = [
            *(f"weight_{name}" for name in FACTORS),
            "days_late_worst",
            "margin_rate_best",
            "visits_best",
            "threshold_aaa",
            "threshold_aa",
            "threshold_a",
            "threshold_b",
            "months_aaa",
            "months_aa",
            "months_a",
            "months_b",
            "months_c",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        names = ["threshold_aaa", "threshold_aa", "threshold_a", "threshold_b"]
        values = [data.get(name) for name in names]
        if None not in values:
            for higher, lower, name in zip(values, values[1:], names[1:], strict=False):
                if lower >= higher:
                    self.add_error(
                        name, _("Each rating's threshold must be below the one above it.")
                    )
        weights = [data.get(f"weight_{n}") or 0 for n in FACTORS]
        if not any(weights):
            self.add_error("weight_overdue_share", _("At least one weight must be above zero."))
        return data


class RootCauseForm(StyledForm):
    """The owner's root cause of a downgrade."""

    cause_category = forms.ChoiceField(
        label=_("Cause category"), choices=[("", "---------"), *CauseCategory.choices]
    )
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}))
    action_plan = forms.CharField(label=_("Action plan"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(StyledForm):
    """A reviewer's decision with a comment."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalForm(StyledForm):
    """A development proposal: target, analysis, approach, expectations, resources."""

    customer = forms.ModelChoiceField(
        label=_("Target customer"), queryset=Customer.objects.none(), required=False
    )
    prospect_name = forms.CharField(label=_("Or prospect name"), max_length=200, required=False)
    market_analysis = forms.CharField(
        label=_("Market analysis"), widget=forms.Textarea(attrs={"rows": 3})
    )
    competitor_analysis = forms.CharField(
        label=_("Competitor analysis"), widget=forms.Textarea(attrs={"rows": 3})
    )
    planned_approach = forms.CharField(
        label=_("Planned approach"), widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_sales = forms.DecimalField(
        label=_("Expected annual sales"), max_digits=18, decimal_places=2
    )
    expected_margin = forms.DecimalField(
        label=_("Expected annual gross margin"), max_digits=18, decimal_places=2
    )
    needed_resources = forms.CharField(
        label=_("Needed resources"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        customer = data.pop("customer", None)
        data["customer_id"] = customer.pk if customer else None
        return data


class PipelineCloseForm(StyledForm):
    """Closing a pipeline item: won with the customer, or lost with a reason."""

    customer = forms.ModelChoiceField(
        label=_("Customer won"), queryset=Customer.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Reason lost"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")
