"""The upload form of the import screen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesorg.interchange.uploads import upload_check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once (a list of uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".zip,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)]


class ImportUploadForm(forms.Form):
    """A .zip of interchange CSV files or several CSV files, and whether only to check them."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_("A .zip of interchange CSV files, or several CSV files (regions.csv, …)."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the files and write nothing"), required=False
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        upload_check(files=files)
        return files
