"""Forms of the customer pages: they collect input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.forms import StyledForm
from salesorg.core.scoping import scope_for
from salesorg.customers.care import APPROVER_ROLES
from salesorg.customers.choices import Attitude, ContactRole, ContactStatus, RewardKind
from salesorg.customers.models import CareSettings, Contact, Customer
from salesorg.org.models import Person
from salesorg.sales.models import Visit

SCORE_CHOICES = [(str(score), str(score)) for score in range(1, 6)]
INFLUENCE_CHOICES = [("", "—"), *SCORE_CHOICES]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    # The version the user opened: a save refuses it if someone else saved in between.
    expected_version = forms.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647, widget=forms.HiddenInput
    )

    FIELDS = ("name", "title", "role", "influence", "attitude", "phone", "email", "needs")

    def apply(self, contact: Contact) -> Contact:
        """Copy the entered values onto the contact."""
        for name in (*self.FIELDS, "response"):
            setattr(contact, name, self.cleaned_data[name])
        return contact


class ContactLeaveForm(StyledForm):
    """A contact left the customer, or was replaced by another of its contacts."""

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
    approved_by = forms.ModelChoiceField(label=_("Approved by"), queryset=Person.objects.none())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = Q(pk=scope_for(user).person_id) if scope_for(user).person_id else Q(pk__in=[])
        visible = Person.objects.visible_to(user).values("pk")
        self.fields["approved_by"].queryset = (
            Person.objects.filter(Q(pk__in=visible) | own)
            .filter(role__in=APPROVER_ROLES)
            .order_by("name")
        )
        if scope_for(user).person_id:
            self.fields["approved_by"].initial = scope_for(user).person_id


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
