"""Forms of the customer pages (customers and stakeholders, care, evaluation and credit,
proposals and the pipeline): they collect input; the services hold the rules."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.forms import MoneyFormField, StyledForm
from salesorg.customers.choices import Attitude, ContactRole, ContactStatus, RewardKind
from salesorg.customers.models import CareSettings, CauseCategory, Contact, Customer, ScoringModel
from salesorg.customers.scoring import FACTORS
from salesorg.org.models import Person
from salesorg.sales.models import Visit

SCORE_CHOICES = [(str(score), str(score)) for score in range(1, 6)]
INFLUENCE_CHOICES = [("", "—"), *SCORE_CHOICES]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _version_field() -> forms.IntegerField:
    """The version of the record the user opened (hidden): a save refuses it if someone else
    saved in between, and a post without it (core/versioning.py)."""
    return forms.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647, widget=forms.HiddenInput
    )


class ContactForm(StyledForm):
    """A stakeholder: who they are, their part in the decision, what they need, our response."""

    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(
        label=pgettext_lazy("job title", "Title"), max_length=100, required=False
    )
    role = forms.ChoiceField(
        label=_("Buying role"), choices=[("", "—"), *ContactRole.choices], required=False
    )
    influence = forms.TypedChoiceField(
        label=_("Influence (1–5)"),
        choices=INFLUENCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    attitude = forms.ChoiceField(
        label=_("Attitude"), choices=[("", "—"), *Attitude.choices], required=False
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    needs = forms.CharField(
        label=_("Needs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    response = forms.CharField(
        label=_("Our response within policy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_version = _version_field()

    FIELDS = ("name", "title", "role", "influence", "attitude", "phone", "email", "needs")

    def apply(self, contact: Contact) -> Contact:
        """Copy the entered values onto the contact."""
        for name in (*self.FIELDS, "response"):
            setattr(contact, name, self.cleaned_data[name])
        return contact


class ContactLeaveForm(StyledForm):
    """A contact left the customer, or was replaced by another of its contacts."""

    expected_version = _version_field()

    left_on = forms.DateField(label=_("Left on"), widget=_date_input(), initial=timezone.localdate)
    replaced_by = forms.ModelChoiceField(
        label=_("Replaced by"),
        queryset=Contact.objects.none(),
        required=False,
        help_text=_("Leave empty if nobody has taken over yet."),
    )

    def __init__(self, *args, contact: Contact, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            Contact.objects.visible_to(user)
            .filter(customer_id=contact.customer_id, status=ContactStatus.ACTIVE)
            .exclude(pk=contact.pk)
            .order_by("name")
        )


class RewardForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=RewardKind.choices)
    value = forms.DecimalField(
        label=pgettext_lazy("money", "Value"), max_digits=18, decimal_places=2
    )
    granted_on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)


class ReferralForm(StyledForm):
    referred = forms.ModelChoiceField(
        label=_("Introduced customer"), queryset=Customer.objects.none()
    )
    referred_on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, customer: Customer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred"].queryset = (
            Customer.objects.visible_to(user).exclude(pk=customer.pk).order_by("name")
        )


class SurveyForm(StyledForm):
    surveyed_on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    overall = forms.TypedChoiceField(
        label=_("Satisfaction (1–5)"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    visit = forms.ModelChoiceField(
        label=_("After the visit"), queryset=Visit.objects.none(), required=False
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, customer: Customer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = (
            Visit.objects.visible_to(user).filter(customer=customer).order_by("-visit_date")
        )


class SurveyLinkForm(StyledForm):
    """Who a survey link goes to and the language it opens in."""

    contact = forms.ModelChoiceField(
        label=_("To contact"), queryset=Contact.objects.none(), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The contact's browser language")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(
            customer=customer, status=ContactStatus.ACTIVE
        ).order_by("name")


RECOMMEND_CHOICES = [(str(score), str(score)) for score in range(0, 11)]


class SurveyAnswerForm(forms.Form):
    """The customer's answer on the public survey page."""

    overall = forms.TypedChoiceField(
        label=_("How satisfied are you with our service overall?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague?"),
        choices=RECOMMEND_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 0 to 10.")},
    )
    comment = forms.CharField(
        label=_("What should we do better? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class SatisfactionPeriodForm(StyledForm):
    """The period of the satisfaction report: from–to, this year so far when none is given."""

    start = forms.DateField(label=_("From"), widget=_date_input(), required=False)
    end = forms.DateField(label=_("To"), widget=_date_input(), required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return data

    def period(self) -> tuple[date, date]:
        """The chosen period (the default where a date is missing or wrong)."""
        default_start = self.today.replace(month=1, day=1)
        if not self.is_bound or not self.is_valid():
            return default_start, self.today
        return (
            self.cleaned_data.get("start") or default_start,
            self.cleaned_data.get("end") or self.today,
        )

    def presets(self) -> list[tuple[str, date, date]]:
        """Quick choices: this month, this quarter, this year, last year."""
        today = self.today
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        last_year = today.year - 1
        return [
            (str(_("This month")), today.replace(day=1), today),
            (str(_("This quarter")), quarter_start, today),
            (str(_("This year")), today.replace(month=1, day=1), today),
            (str(_("Last year")), date(last_year, 1, 1), date(last_year, 12, 31)),
        ]


class CareSettingsForm(forms.ModelForm):
    class Meta:
        model = CareSettings
        fields = [
            "established_after_months",
            "dormant_after_days",
            "lost_after_days",
            "reward_share_percent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


# --- evaluation, root causes and credit ---------------------------------------------------------


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
            "unrated_months",
            "unrated_invoices",
            "new_customer_limit",
            "dormant_best_rating",
        ]
        field_classes = {"new_customer_limit": MoneyFormField}

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
    action_plan = forms.CharField(
        label=_("Action plan (context)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The tracked plan is the action items above; add any context here."),
    )


class RootCauseActionForm(StyledForm):
    """An action item of a downgrade's plan: what, who, by when."""

    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("responsible person", "Owner"),
        queryset=Person.objects.none(),
        required=False,
    )
    due_date = forms.DateField(label=_("Due date"), widget=_date_input())

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Person.objects.none()


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
        label=_("Why won or lost"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")


class CustomerLocationForm(StyledForm):
    """Where the customer is, in degrees (both, or neither to forget it)."""

    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        help_text=_(
            "In degrees as a phone's GPS gives them (WGS 84; Amap and Baidu maps show "
            "coordinates shifted by a few hundred metres). Leave both empty to remove it."
        ),
    )
    expected_version = _version_field()

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(None, _("Give both the latitude and the longitude, or neither."))
        return data
