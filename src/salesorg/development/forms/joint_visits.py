"""The form of a joint-visit review: a 1–5 score per rubric criterion and the notes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from salesorg.core.forms import StyledForm
from salesorg.development.models import RubricCriterion


class JointVisitReviewForm(StyledForm):
    """A rubric review of a joint visit: a 1–5 score per criterion and the notes."""

    strengths = forms.CharField(
        label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    improvements = forms.CharField(
        label=_("Points to improve"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria: list[RubricCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [("", "—")] + [(str(score), str(score)) for score in range(1, 6)]
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.ChoiceField(
                label=criterion.label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def score_fields(self):
        return [self[f"score_{criterion.code}"] for criterion in self.criteria]

    def scores(self) -> dict:
        return {
            criterion.code: self.cleaned_data.get(f"score_{criterion.code}")
            for criterion in self.criteria
        }
