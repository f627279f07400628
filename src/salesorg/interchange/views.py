"""The import screen: administrators upload interchange files and see problems or a summary."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from salesorg.core.roles import can_manage_org
from salesorg.interchange.forms import ImportUploadForm
from salesorg.interchange.importer import interchange_import
from salesorg.interchange.uploads import upload_unpack


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a .zip or CSV files and import them (or only check them, in a dry run)."""
    if not can_manage_org(request.user):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
    else:
        form = ImportUploadForm()
    if form.is_bound and form.is_valid():
        with tempfile.TemporaryDirectory(prefix="salesorg-import-") as folder:
            try:
                upload_unpack(files=form.cleaned_data["files"], folder=Path(folder))
            except ValidationError as error:
                form.add_error("files", error)
            else:
                result = interchange_import(
                    folder=Path(folder), dry_run=form.cleaned_data["dry_run"], user=request.user
                )
    return render(request, "interchange/import.html", {"form": form, "result": result})
