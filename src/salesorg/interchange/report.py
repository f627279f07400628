"""What an import reports: the problems it found (where and why, the first ones in order) and
what it wrote per file."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from salesorg.interchange.files import FILES

MAX_PROBLEMS = 100
FILE_ORDER = {spec.filename: position for position, spec in enumerate(FILES)}


@dataclass(frozen=True)
class Problem:
    """Something wrong in the folder: where (file, line, column) and why."""

    file: str
    line: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class ProblemList:
    """The problems found so far: the first MAX_PROBLEMS by position, and a count of all."""

    def __init__(self) -> None:
        self.count = 0
        self._kept: list[tuple[tuple, Problem]] = []

    def add(self, file: str, line: int | None, column: str, reason: str) -> None:
        self.count += 1
        position = (FILE_ORDER.get(file, -1), line or 0, self.count)
        self._kept.append((position, Problem(file, line, column, reason)))
        if len(self._kept) > 10 * MAX_PROBLEMS:
            self._kept = sorted(self._kept, key=lambda item: item[0])[:MAX_PROBLEMS]

    def first(self) -> list[Problem]:
        return [problem for _pos, problem in sorted(self._kept, key=lambda item: item[0])][
            :MAX_PROBLEMS
        ]


@dataclass
class FileReport:
    """What the import did (or, in a dry run, checked) in one file."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """The outcome of an import: the problems, or what was written per file."""

    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    files: dict[str, FileReport] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)
    inferred_team_managers: int = 0
    inferred_region_heads: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def more_problems(self) -> int:
        return self.problem_count - len(self.problems)
