"""The photo upload form: a picture from the phone's camera or files, and a caption."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesorg.core.forms import StyledForm


class PhotoForm(StyledForm):
    """Input only: the checks of the picture are the service's (core.photos.photo_check)."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,  # the service names a missing photo like any other problem
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "data-photo-input": ""}
        ),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
