"""Forms of the quarterly review pages (the rules live in services.reviews)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from salesorg.targets.forms.bootstrap import BootstrapForm
from salesorg.targets.models import REVIEW_QUESTIONS

# The territory answer starts as the quarter's customer figures, about ten lines of text.
TALL_ANSWERS = {"territory_strengths_weaknesses": 10}


class ReviewAnswersForm(BootstrapForm):
    """The seven questions of the seed (S10), each a free-text answer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question in REVIEW_QUESTIONS:
            rows = TALL_ANSWERS.get(name, 3)
            self.fields[name] = forms.CharField(
                label=question,
                required=False,
                widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
            )


class ReviewDecisionForm(BootstrapForm):
    """The manager's comment, then sign off or return."""

    manager_comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
