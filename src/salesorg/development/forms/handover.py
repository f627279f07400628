"""The handover form: one successor per kind a leaver still holds, and "assign all to"."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from salesorg.core.forms import StyledForm

ALL_TO = "all_to"


class HandoverForm(StyledForm):
    """A successor per kind held (`kinds`); a kind left blank goes to "assign all to"."""

    def __init__(self, *args, candidates: QuerySet, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.fields[ALL_TO] = forms.ModelChoiceField(
            label=_("Assign all to"), queryset=candidates, required=False
        )
        for kind in kinds:
            self.fields[kind] = forms.ModelChoiceField(
                label=_("Successor"), queryset=candidates, required=False
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")

    def successors(self) -> dict:
        """The successor per kind: the kind's own choice, else the "assign all to" one."""
        everyone = self.cleaned_data.get(ALL_TO)
        return {kind: self.cleaned_data.get(kind) or everyone for kind in self.kinds}
