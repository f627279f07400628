"""Every API schema has one name: two modules' schemas of the same name would overwrite each
other in the OpenAPI document (and answers would be checked against the wrong one)."""

import ast
from collections import Counter
from pathlib import Path

import salesorg.api

API = Path(salesorg.api.__file__).parent


def test_no_two_api_schemas_share_a_name():
    names = Counter()
    for module in API.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", "").endswith(("Schema", "Out", "In")) for base in node.bases
            ):
                names[node.name] += 1
    assert [name for name, count in names.items() if count > 1] == []
