"""Forms of the PDCA and standards pages (the rules live in services.pdca)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.org.models import Person, Region, Team
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.forms.bootstrap import BootstrapForm
from salesorg.targets.models import CauseCategory, Standard, StandardCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PdcaPlanForm(BootstrapForm):
    """A new PDCA plan: what for, which unit, who owns it, which period."""

    title = forms.CharField(label=pgettext_lazy("record heading", "Title"), max_length=200)
    unit_type = forms.ChoiceField(label=_("Unit type"), choices=OwnerType.choices)
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("responsible person", "Owner"), queryset=Person.objects.none()
    )
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    objective = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.visible_to(user).order_by("code")
        self.fields["person"].queryset = people
        self.fields["owner"].queryset = people
        self.fields["team"].queryset = Team.objects.visible_to(user).order_by("code")
        self.fields["region"].queryset = Region.objects.visible_to(user).order_by("code")

    def unit(self):
        """The chosen person, team or region matching the unit type (None for the company)."""
        unit_type = self.cleaned_data.get("unit_type")
        return self.cleaned_data.get(unit_type) if unit_type != OwnerType.COMPANY else None


class PdcaMeasureForm(BootstrapForm):
    what = forms.CharField(label=_("What"), max_length=200)
    metric = forms.ChoiceField(
        label=_("Metric"), choices=[("", "—"), *Metric.choices], required=False
    )
    target_value = forms.DecimalField(
        label=_("Target value"), max_digits=18, decimal_places=2, required=False
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class PdcaCheckForm(BootstrapForm):
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PdcaProblemForm(BootstrapForm):
    description = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))
    cause_category = forms.ChoiceField(label=_("Cause category"), choices=CauseCategory.choices)
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 2}))


class PdcaActionForm(BootstrapForm):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("responsible person", "Owner"), queryset=Person.objects.none()
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.visible_to(user).order_by("code")


class PdcaAdvanceForm(BootstrapForm):
    """The next stage; closing takes the lesson and, per open action item, whether it is
    carried over to the next cycle and why."""

    lesson = forms.CharField(
        label=_("Lesson learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, open_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.open_items = list(open_items)
        for item in self.open_items:
            self.fields[f"carry_{item.pk}"] = forms.BooleanField(
                label=_("Carry over"), required=False
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )

    def carry_rows(self):
        """Each open item with its carry-over checkbox and note field."""
        return [
            (item, self[f"carry_{item.pk}"], self[f"note_{item.pk}"]) for item in self.open_items
        ]

    def carry_over(self) -> dict[int, str]:
        """The ticked items: item id → note."""
        data = self.cleaned_data
        return {
            item.pk: data.get(f"note_{item.pk}") or ""
            for item in self.open_items
            if data.get(f"carry_{item.pk}")
        }


class StandardForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=pgettext_lazy("record heading", "Title"), max_length=200)
    category = forms.ChoiceField(
        label=pgettext_lazy("category of a record", "Category"), choices=StandardCategory.choices
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class StandardVersionForm(BootstrapForm):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))


class StandardApproveForm(BootstrapForm):
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE)


class PromoteLessonForm(BootstrapForm):
    """Promote a closed cycle's lesson: a new version of a standard, or a new standard."""

    standard = forms.ModelChoiceField(
        label=_("Existing standard"), queryset=Standard.objects.none(), required=False
    )
    code = forms.CharField(label=_("New standard's code"), max_length=40, required=False)
    title = forms.CharField(label=_("New standard's title"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=pgettext_lazy("category of a record", "Category"),
        choices=StandardCategory.choices,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = Standard.objects.visible_to(user)
