"""Materials the library page and the demo create get one code style: MAT- and eight hex
digits (the catalogue's own codes, ONB-01 …, are kept as they are)."""

import re

import pytest

from salesorg.demo import coaching as demo_coaching
from salesorg.development.models import Material
from salesorg.development.services.training import material_save

pytestmark = pytest.mark.django_db

MATERIAL_CODE = re.compile(r"^MAT-[0-9A-F]{8}$")


def test_the_library_and_the_demo_give_materials_one_code_style(org_tree):
    Material.objects.filter(topic="collections").delete()
    from_demo = demo_coaching._material("collections", "回款技巧")
    from_page = material_save(
        instance=Material(title="产品知识", topic="product_knowledge", body="# 产品"),
        actor=org_tree.user("trainer"),
    )
    assert MATERIAL_CODE.match(from_demo.code), from_demo.code
    assert MATERIAL_CODE.match(from_page.code), from_page.code
