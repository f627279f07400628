"""Forms of the culture pages: the vision and values, a recognition post."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from salesorg.core.forms import StyledForm
from salesorg.org.models import Person


class CultureForm(StyledForm):
    """The vision and values."""

    vision = forms.CharField(
        label=_("Vision"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    values = forms.CharField(
        label=_("Values"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class RecognitionForm(StyledForm):
    """A recognition post about one person, optionally pointing at one of their records."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    title = forms.CharField(label=_("Result"), max_length=200)
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order_code = forms.CharField(label=_("Order code"), required=False, max_length=40)
    visit_code = forms.CharField(label=_("Visit code"), required=False, max_length=40)
    customer_code = forms.CharField(label=_("Customer code"), required=False, max_length=40)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
