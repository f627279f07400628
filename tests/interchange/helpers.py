"""Helpers for interchange tests: run an import, snapshot the database, wipe it."""

from pathlib import Path

from salesorg.interchange.files import FILES
from salesorg.interchange.importer import interchange_import
from salesorg.interchange.report import ImportResult
from tests.interchange.sample import SAMPLE, write_folder

MODELS = [spec.model for spec in FILES]


def sample_folder(folder: Path, **changes: str | None) -> Path:
    """Write the sample folder with some files replaced (text) or left out (None)."""
    files = dict(SAMPLE)
    for name, text in changes.items():
        filename = f"{name}.csv"
        if text is None:
            files.pop(filename, None)
        else:
            files[filename] = text
    return write_folder(folder, files)


def import_sample(folder: Path) -> ImportResult:
    """Import the untouched sample folder, asserting it is accepted."""
    result = interchange_import(folder=write_folder(folder, SAMPLE))
    assert result.ok, result.problems
    return result


def snapshot() -> dict[str, tuple[int, int]]:
    """Row and history-record counts of every imported model."""
    return {
        model.__name__: (model._default_manager.count(), model.history.count()) for model in MODELS
    }


def wipe() -> None:
    """Delete every imported record, dependents first, leaving an empty database."""
    people = [model for model in MODELS if model.__name__ == "Person"]
    for model in reversed(MODELS):
        if model not in people:
            model._default_manager.all().delete()
    people[0]._default_manager.all().delete()
