"""Every id, date, decimal and whole number a request may carry is bounded in the schema.

Walks the OpenAPI document: each query and path parameter, and each field of every schema a
request body uses, must declare its bounds (`api.types`: RecordId, Day, Amount, Int32 ...), so
that a new endpoint cannot take a 40-digit id, 9999-12-31 or 1e30 to a query (issue #21 F8).
"""

from __future__ import annotations

import json

import pytest

from salesorg.api.routes import api


@pytest.fixture(scope="module")
def schema() -> dict:
    return api.get_openapi_schema()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _unbounded(node: dict) -> list[str]:
    """What in one property's or parameter's schema lacks its bounds (refs not followed)."""
    found = []
    for branch in [node, *node.get("anyOf", []), *node.get("oneOf", [])]:
        if branch.get("type") == "array":
            found += _unbounded(branch.get("items", {}))
        elif branch.get("type") == "integer" and "maximum" not in branch:
            found.append("integer without maximum")
        elif branch.get("type") == "number" and "maximum" not in branch:
            found.append("number without maximum")
        elif branch.get("format") == "date" and "x-latest" not in branch:
            found.append("date without range")
    return found


def _request_components(schema: dict) -> set[str]:
    """The component schemas any request body uses, directly or nested."""
    names: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                if name not in names:
                    names.add(name)
                    walk(schema["components"]["schemas"][name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path_item in schema["paths"].values():
        for operation in path_item.values():
            walk(operation.get("requestBody", {}))
    return names


def test_every_parameter_is_bounded(schema):
    offenders = [
        f"{method.upper()} {path} ?{parameter['name']}: {problem}"
        for path, path_item in schema["paths"].items()
        for method, operation in path_item.items()
        for parameter in operation.get("parameters", [])
        for problem in _unbounded(_resolve(schema, parameter["schema"]))
    ]
    assert not offenders, "\n".join(offenders)


def test_every_request_body_field_is_bounded(schema):
    offenders = [
        f"{name}.{field}: {problem}"
        for name in sorted(_request_components(schema))
        for field, node in schema["components"]["schemas"][name].get("properties", {}).items()
        for problem in _unbounded(node)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_walk_sees_the_kinds_it_checks(schema):
    # guards the walk itself: it finds bounded ids, days and amounts in requests
    text = json.dumps(schema)
    assert '"x-latest": "2199-12-31"' in text
    assert '"maximum": 9223372036854775807' in text
    assert '"maximum": 1e+16' in text or '"maximum": 9999999999999999.99' in text
