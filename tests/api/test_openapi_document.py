"""The OpenAPI document is built once per language and handed out as a copy."""

from unittest import mock

import ninja.main
from django.utils import translation

from salesorg.api.routes import api


def test_the_document_is_built_once_per_language_and_callers_cannot_change_it():
    api.__dict__.pop("_openapi_documents", None)
    with mock.patch.object(ninja.main, "get_schema", wraps=ninja.main.get_schema) as build:
        with translation.override("en"):
            first = api.get_openapi_schema()
            first["paths"].clear()
            again = api.get_openapi_schema()
        with translation.override("zh-hans"):
            chinese = api.get_openapi_schema()
    assert build.call_count == 2  # English once, Chinese once
    assert again["paths"] and "/api/v1/customers" in again["paths"]
    assert chinese["paths"].keys() == again["paths"].keys()
