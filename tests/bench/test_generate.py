"""The benchmark generator writes a folder the importer accepts."""

import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command

from salesorg.org.models import Person
from salesorg.sales.models import Order

GENERATE = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def _generate_module():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_generated_folder_imports(tmp_path):
    # given a generated company of two reps
    counts = _generate_module().generate(reps=2, seed=7, out=tmp_path)
    # when it is imported
    call_command("import", str(tmp_path), verbosity=0)
    # then every row passed validation and was written
    assert counts["orders"] == 4000
    assert Order.objects.count() == counts["orders"]
    assert Person.objects.filter(role="rep").count() == 2


def test_generation_is_deterministic(tmp_path):
    # given one seed
    module = _generate_module()
    # when generated twice
    module.generate(reps=1, seed=3, out=tmp_path / "a")
    module.generate(reps=1, seed=3, out=tmp_path / "b")
    # then the files are identical
    for name in ("orders", "order_lines", "payments", "visits"):
        first = (tmp_path / "a" / f"{name}.csv").read_bytes()
        assert first == (tmp_path / "b" / f"{name}.csv").read_bytes()
