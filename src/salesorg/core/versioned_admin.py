"""The admin's change form of a versioned record carries the version its user opened, like
every other edit form (#21 F10): a save of a record changed since, or without the version,
re-shows the form with the message instead of overwriting someone else's change."""

from __future__ import annotations

from django import forms

from salesorg.core.versioning import StaleVersion, version_check


class VersionedAdminForm(forms.ModelForm):
    """A ModelForm for the admin of a model with a `version` (customer, contact)."""

    expected_version = forms.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        # The admin saves in the transaction of this request: the row stays locked from this
        # check to the save, and the save writes the version raised here.
        try:
            version_check(instance=self.instance, expected_version=cleaned.get("expected_version"))
        except StaleVersion as error:
            for messages in error.message_dict.values():
                for message in messages:
                    self.add_error(None, message)
        return cleaned
