"""Forms of the sales pages: they collect input; the services hold the rules."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.forms import StyledForm
from salesorg.core.roles import Role, role_of
from salesorg.customers.models import Contact, Customer
from salesorg.sales import selectors
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import Order, Product, VisitPurpose
from salesorg.sales.services import StepCheck
from salesorg.sales.services.check_ins import CheckIn
from salesorg.work.selectors import follow_up_owners


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def writes_for_others(user) -> bool:
    """Does the user enter records for other people (a rep enters only their own)?"""
    return role_of(user) != Role.REP


NOT_NEGATIVE = {"min_value": 0, "error_messages": {"min_value": _("This cannot be negative.")}}


class OrderForm(StyledForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    rep = forms.ModelChoiceField(label=_("Rep"), queryset=None)
    order_date = forms.DateField(label=_("Order date"), widget=_date_input())
    status = forms.ChoiceField(label=_("Status"), choices=OrderStatus.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["rep"].queryset = selectors.visit_reps(user=user)


class OrderLineForm(StyledForm):
    # The bounds repeat the database's (a positive integer column, amounts never negative) so
    # that a bad value is marked on its line's field, not only above the form by the service.
    line_no = forms.IntegerField(label=_("Line"), min_value=1, max_value=2_147_483_647)
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.all())
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=18, decimal_places=4, **NOT_NEGATIVE
    )
    amount = forms.DecimalField(
        label=pgettext_lazy("money", "Amount"), max_digits=18, decimal_places=2, **NOT_NEGATIVE
    )
    cost = forms.DecimalField(label=_("Cost"), max_digits=18, decimal_places=2, **NOT_NEGATIVE)


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=1, can_delete=True)


class InvoiceForm(StyledForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    rep = forms.ModelChoiceField(label=_("Rep"), queryset=None)
    order = forms.ModelChoiceField(label=_("Order"), queryset=Order.objects.none(), required=False)
    invoice_date = forms.DateField(label=_("Invoice date"), widget=_date_input())
    due_date = forms.DateField(label=pgettext_lazy("invoice", "Due date"), widget=_date_input())
    amount = forms.DecimalField(
        label=pgettext_lazy("money", "Amount"), max_digits=18, decimal_places=2
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["rep"].queryset = selectors.visit_reps(user=user)
        self.fields["order"].queryset = Order.objects.visible_to(user)


class PaymentForm(StyledForm):
    payment_date = forms.DateField(
        label=_("Payment date"), widget=_date_input(), initial=timezone.localdate
    )
    amount = forms.DecimalField(
        label=pgettext_lazy("money", "Amount"), max_digits=18, decimal_places=2
    )


class ExpenseForm(StyledForm):
    rep = forms.ModelChoiceField(label=_("Rep"), queryset=None)
    expense_date = forms.DateField(
        label=_("Date"), widget=_date_input(), initial=timezone.localdate
    )
    category = forms.CharField(
        label=pgettext_lazy("category of a record", "Category"), max_length=100
    )
    amount = forms.DecimalField(
        label=pgettext_lazy("money", "Amount"), max_digits=18, decimal_places=2
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if writes_for_others(user):
            self.fields["rep"].queryset = selectors.visit_reps(user=user)
        else:
            del self.fields["rep"]


class VisitForm(StyledForm):
    """The fast visit log: customer, contacts met, when, kind, coach, purpose and checklist."""

    rep = forms.ModelChoiceField(label=_("Rep"), queryset=None)
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.none(), widget=forms.HiddenInput
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts met"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visit_date = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    visit_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices, initial=VisitKind.VISIT)
    coach = forms.ModelChoiceField(
        label=pgettext_lazy("person who coaches", "Coach"),
        queryset=None,
        required=False,
        help_text=_("Needed for a joint visit."),
    )
    purpose_type = forms.ModelChoiceField(
        label=_("Purpose"), queryset=VisitPurpose.objects.filter(active=True), required=False
    )
    purpose = forms.CharField(label=_("Purpose (details)"), max_length=200, required=False)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(
        label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=_date_input(),
        help_text=_("Optional: the next step becomes a follow-up due on this date."),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Customer satisfaction (1–5)"),
        choices=[(str(score), str(score)) for score in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Optional: the customer's satisfaction survey after this visit."),
    )
    satisfaction_comment = forms.CharField(
        label=_("Satisfaction comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The check-in (签到): filled in by the phone when the rep taps “Check in” (their consent).
    check_in = forms.BooleanField(label=_("Check-in"), required=False, widget=forms.HiddenInput)
    checkin_latitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    checkin_longitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    checkin_accuracy_m = forms.DecimalField(required=False, widget=forms.HiddenInput)
    checkin_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    CHECK_IN_FIELDS = ("checkin_latitude", "checkin_longitude", "checkin_accuracy_m", "checkin_at")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["contacts"].queryset = Contact.objects.visible_to(user)
        # A new date re-offers the contacts still at the customer that day.
        self.fields["visit_date"].widget.attrs.update(
            {
                "hx-get": reverse("sales:visit_customer"),
                "hx-trigger": "change",
                "hx-target": "#customer-picked",
                "hx-include": "[name='customer'], [name='contacts']",
            }
        )
        self.fields["coach"].queryset = selectors.coach_choices(user=user)
        if writes_for_others(user):
            self.fields["rep"].queryset = selectors.visit_reps(user=user)
        else:
            del self.fields["rep"]

    def chosen_customer(self) -> Customer | None:
        """The customer picked so far (to show its name and contacts when re-shown)."""
        value = self["customer"].value()
        if not value:
            return None
        try:
            return self.fields["customer"].queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def chosen_visit_date(self) -> date | None:
        """The visit date entered so far (contacts who had left by then are not offered)."""
        value = self["visit_date"].value()
        if isinstance(value, date):
            return value
        try:
            return self.fields["visit_date"].to_python(value)
        except ValidationError:
            return None

    def offered_contacts(self) -> list[Contact]:
        """The contacts of the chosen customer to tick as met: those still there on the visit
        date, and any already ticked (so that a refused one shows with its error)."""
        customer = self.chosen_customer()
        if customer is None:
            return []
        return list(
            selectors.customer_contacts(
                user=self.user,
                customer=customer,
                on=self.chosen_visit_date(),
                keep=self.chosen_contact_ids(),
            )
        )

    def chosen_contact_ids(self) -> list[int]:
        """The contacts ticked so far (posted ids, or the edited visit's contacts)."""
        values = [getattr(v, "pk", v) for v in (self["contacts"].value() or [])]
        return [int(v) for v in values if str(v).isdigit()]

    def chosen_purpose(self) -> VisitPurpose | None:
        value = self["purpose_type"].value()
        if not value:
            return None
        try:
            return VisitPurpose.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        given = [name for name in self.CHECK_IN_FIELDS if data.get(name) is not None]
        broken = [name for name in self.CHECK_IN_FIELDS if name in self.errors]
        if broken or 0 < len(given) < len(self.CHECK_IN_FIELDS):
            self.add_error(
                "check_in", _("The check-in did not come through whole: check in again.")
            )
        return data

    def sent_check_in(self) -> CheckIn | None:
        """The check-in the phone sent with the visit, if any (with whether the rep agreed)."""
        data = self.cleaned_data
        if any(data.get(name) is None for name in self.CHECK_IN_FIELDS):
            return None
        return CheckIn(
            latitude=data["checkin_latitude"],
            longitude=data["checkin_longitude"],
            accuracy_m=data["checkin_accuracy_m"],
            taken_at=data["checkin_at"],
            consent=bool(data.get("check_in")),
        )

    def checklist(self) -> list[StepCheck]:
        """The checklist as submitted: `step-<id>-done` and `step-<id>-skip_reason`."""
        purpose = self.chosen_purpose()
        checks = []
        for step in selectors.purpose_steps(purpose=purpose):
            checks.append(
                StepCheck(
                    step_id=step.id,
                    done=bool(self.data.get(f"step-{step.id}-done")),
                    skip_reason=self.data.get(f"step-{step.id}-skip_reason", "").strip(),
                )
            )
        return checks


class FollowUpForm(StyledForm):
    """A dated follow-up (跟进) with a reminder; the owner is chosen only by leaders."""

    title = forms.CharField(label=pgettext_lazy("record heading", "Title"), max_length=200)
    due_date = forms.DateField(label=pgettext_lazy("follow-up", "Due date"), widget=_date_input())
    remind_on = forms.DateField(
        label=_("Remind on"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty to be reminded on the due date."),
    )
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("responsible person", "Owner"), queryset=None, required=False
    )
    detail = forms.CharField(
        label=_("Detail"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = follow_up_owners(user=user, today=timezone.localdate())
        if writes_for_others(user) and len(owners) > 1:
            self.fields["owner"].queryset = owners
            self.fields["owner"].help_text = _("Yourself when left empty.")
        else:
            del self.fields["owner"]


class PurposeForm(StyledForm):
    """A visit purpose's names; its checklist is the step formset beside it."""

    code = forms.CharField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("Name in English"), max_length=100, required=False)


class ChecklistStepForm(StyledForm):
    """One step of a checklist: what the rep does, whether it is required, and its place."""

    step_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Step"), max_length=200, required=False)
    text_en = forms.CharField(label=_("Step in English"), max_length=200, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def is_blank(self) -> bool:
        """An empty extra row, left as it was offered."""
        data = getattr(self, "cleaned_data", {})
        return not data.get("step_id") and not (data.get("text") or "").strip()


ChecklistStepFormSet = forms.formset_factory(
    ChecklistStepForm, extra=2, can_order=True, can_delete=True
)
