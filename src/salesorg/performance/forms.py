"""The period and level form of the indicator screen (`?from=&to=&level=&sort=`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from salesorg.performance.choices import Level


class IndicatorPeriodForm(forms.Form):
    """from / to (inclusive) and level; `from` is a keyword, so fields are added by name."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(
            label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["level"] = forms.ChoiceField(label=_("Level"), choices=Level.choices)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date cannot be before the start date."))
        return cleaned
