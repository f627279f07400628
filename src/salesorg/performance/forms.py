"""The period and level form of the indicator screen (`?from=&to=&level=&sort=`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.hygiene import validate_day
from salesorg.performance.choices import Level
from salesorg.performance.kpi.periods import period_length_problem
from salesorg.performance.models import CauseCategory, PeriodKind, ScoredIndicator


class IndicatorPeriodForm(forms.Form):
    """from / to (inclusive) and level; `from` is a keyword, so fields are added by name."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(
            label=_("From"),
            widget=forms.DateInput(attrs={"type": "date"}),
            validators=[validate_day],
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_day]
        )
        self.fields["level"] = forms.ChoiceField(label=_("Level"), choices=Level.choices)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date cannot be before the start date."))
        elif start and end:
            too_long = period_length_problem(start=start, end=end)
            if too_long is not None:
                self.add_error("to", too_long)
        return cleaned


DATE_INPUT = {"type": "date"}


class PolicyForm(forms.Form):
    """A draft policy version: header, bonus formula and one rule per indicator."""

    name = forms.CharField(label=_("Name"), max_length=120)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs=DATE_INPUT)
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    bonus_base = forms.DecimalField(
        label=_("Bonus base per month"), required=False, max_digits=18, decimal_places=2
    )
    bonus_tiers = forms.CharField(
        label=_("Bonus tiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One tier per line: minimum total score, factor (e.g. '80 1.0')."),
    )
    total_cap = forms.DecimalField(
        label=_("Total score cap"), required=False, max_digits=9, decimal_places=4
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_rows = []
        for value, label in ScoredIndicator.choices:
            names = {
                "weight": f"{value}__weight",
                "bands": f"{value}__bands",
                "cap": f"{value}__cap",
                "ideal_bonus": f"{value}__ideal_bonus",
            }
            self.fields[names["weight"]] = forms.DecimalField(
                label=_("Weight (%)"), required=False, max_digits=7, decimal_places=4
            )
            self.fields[names["bands"]] = forms.CharField(
                label=_("Scoring bands"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_(
                    "One band per line: from, to ('-' for no upper bound), points at from, "
                    "points at to. From is included, to is not."
                ),
            )
            self.fields[names["cap"]] = forms.DecimalField(
                label=_("Cap (points)"), required=False, max_digits=9, decimal_places=4
            )
            self.fields[names["ideal_bonus"]] = forms.DecimalField(
                label=_("Bonus points at the ideal target"),
                required=False,
                max_digits=9,
                decimal_places=4,
            )
            self.indicator_rows.append(
                {"value": value, "label": label, "fields": [self[n] for n in names.values()]}
            )

    def rules(self) -> list[dict]:
        """The indicator rules entered (indicators without a weight are left out)."""
        rules = []
        for value in ScoredIndicator.values:
            weight = self.cleaned_data.get(f"{value}__weight")
            if weight is None:
                continue
            rules.append(
                {
                    "indicator": value,
                    "weight": weight,
                    "bands": self.cleaned_data.get(f"{value}__bands") or "",
                    "cap": self.cleaned_data.get(f"{value}__cap"),
                    "ideal_bonus": self.cleaned_data.get(f"{value}__ideal_bonus") or 0,
                }
            )
        return rules


class ScorecardComputeForm(forms.Form):
    """Which period to score: its kind and first day."""

    kind = forms.ChoiceField(label=_("Period kind"))
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs=DATE_INPUT))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PeriodKind.choices


class ReopenForm(forms.Form):
    """Why a closed period is opened again (kept in the audit)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    """A new sales meeting: team, period reviewed, date held, title."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    period_start = forms.DateField(
        label=_("Period start"), widget=forms.DateInput(attrs=DATE_INPUT)
    )
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs=DATE_INPUT))
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs=DATE_INPUT))
    title = forms.CharField(
        label=pgettext_lazy("record heading", "Title"), max_length=200, required=False
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class MeetingItemForm(forms.Form):
    """The real cause of a miss and the countermeasure (an action item for its owner)."""

    cause_category = forms.ChoiceField(label=_("Cause category"))
    cause = forms.CharField(label=_("Real cause"), widget=forms.Textarea(attrs={"rows": 2}))
    countermeasure = forms.CharField(
        label=_("Countermeasure"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("responsible person", "Owner"), queryset=None, required=False
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs=DATE_INPUT)
    )

    def __init__(self, *args, owners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cause_category"].choices = [("", "—"), *CauseCategory.choices]
        self.fields["owner"].queryset = owners


class MinutesForm(forms.Form):
    """The minutes of a meeting."""

    minutes = forms.CharField(
        label=pgettext_lazy("meeting record", "Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
