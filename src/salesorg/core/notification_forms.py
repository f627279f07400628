"""Forms of the notification centre."""

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from salesorg.core.forms import StyledForm
from salesorg.core.notifications import KINDS

MAX_ID = 2**63 - 1


class NotificationIdForm(forms.Form):
    """Which notification (of the user's own) a request means."""

    id = forms.IntegerField(min_value=1, max_value=MAX_ID)


class NotificationPreferenceForm(StyledForm):
    """A person's notification choices."""

    language = forms.ChoiceField(label=_("Language of the digest"), choices=())
    digest = forms.BooleanField(label=_("Send me a daily e-mail digest"), required=False)
    digest_time = forms.TimeField(
        label=_("Digest time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    kinds_on = forms.MultipleChoiceField(
        label=_("Kinds in my notification centre"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    digest_kinds_on = forms.MultipleChoiceField(
        label=_("Kinds in my digest"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = settings.LANGUAGES
        kinds = [(kind.key, kind.label) for kind in KINDS]
        for name in ("kinds_on", "digest_kinds_on"):
            cast(forms.MultipleChoiceField, self.fields[name]).choices = kinds
