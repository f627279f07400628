"""The bulk import of INTERCHANGE.md: check a whole folder and write it all or nothing.

One streaming pass over the files, in dependency order, in one transaction. Every row
is checked (keeping only compact sets and dictionaries of codes, and the few dates and
amounts the cross-file rules need; codes that refer to records already in the database
are looked up in batches) and, while no problem has been found, handed to the writer
(writer.py, bulkwrite.py), which writes it with its history record in chunks. A problem
found at any point, also by the checks that need all rows, rolls the transaction back.
Afterwards, team managers and region heads that the files cannot state are inferred
(see docs/interchange.md). A dry run only checks.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from salesorg.core.roles import Role
from salesorg.customers.jobs import customers_refresh
from salesorg.customers.models import Customer
from salesorg.interchange.checker import TARGET_OWNER_FILES, Checker
from salesorg.interchange.compact import chunks
from salesorg.interchange.csvio import ProgressCallback
from salesorg.interchange.files import FILES, FileSpec
from salesorg.interchange.report import FILE_ORDER, FileReport, ImportResult, ProblemList
from salesorg.interchange.writer import ImportWriter, sqlite_rollback_journal
from salesorg.org.models import Membership, Region, Team
from salesorg.performance.services import rollups
from salesorg.sales.models import Invoice, Order, Payment, Visit

CHANGE_REASON = "interchange import"
# Touched customers are refreshed this many at a time: memory stays bounded (all 100,000 of
# a 1,000-rep company at once took 500 MiB), and it took less time than one big id list.
REFRESH_BATCH = 10_000


def interchange_import(
    *,
    folder: Path,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Check a folder of interchange files and, unless it is a dry run, import it all or nothing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(folder)
    present = [spec for spec in FILES if (folder / spec.filename).is_file()]
    result = ImportResult(
        dry_run=dry_run,
        ignored_files=sorted(
            path.name
            for path in folder.iterdir()
            if path.suffix.lower() == ".csv" and path.name not in FILE_ORDER
        ),
    )
    problems = ProblemList()
    if not present:
        problems.add("", None, "", _("The folder holds none of the interchange files."))
    checker = Checker(problems=problems, progress=progress)
    if dry_run or problems.count:
        _check_all(checker, folder, present, result, writer=None)
    else:
        _import_all(checker, folder, present, result, user=user)
    if problems.count:
        for report in result.files.values():
            report.created = report.updated = report.unchanged = 0
    result.problems = problems.first()
    result.problem_count = problems.count
    return result


def _check_all(checker, folder: Path, present, result: ImportResult, *, writer) -> None:
    last_use = _last_use(present)
    for position, spec in enumerate(present):
        report = result.files[spec.filename] = FileReport()
        checker.check_file(spec=spec, path=folder / spec.filename, report=report, writer=writer)
        for target, last in last_use.items():
            if last == position:  # no later file refers to these codes: free them
                checker.codes.pop(target, None)
                checker.known_in_db.pop(target, None)
                if writer is not None:
                    writer.ids.pop(target, None)
    checker.check_across_files()


def _last_use(present: list[FileSpec]) -> dict[str, int]:
    """For each referenced file, the position of the last present file that refers to it."""
    last: dict[str, int] = {}
    for position, spec in enumerate(present):
        for column in spec.columns:
            if column.ref is not None:
                last[column.ref] = position
        if spec.name == "targets":
            for target in TARGET_OWNER_FILES.values():
                last[target] = position
    return last


class _Rollback(Exception):
    """Problems were found after writing began: undo everything."""


def _import_all(checker, folder: Path, present, result: ImportResult, *, user) -> None:
    """Check and write in one pass, in one transaction that problems roll back."""
    # Rows are written as soon as they pass their own checks, while no problem has been
    # found; the checks that need later rows or files (unknown codes looked up in
    # batches, overlaps, payment totals) may still find one, which rolls everything back.
    problems = checker.problems
    user = user if getattr(user, "is_authenticated", False) else None
    writer = ImportWriter(user_id=user.pk if user else None, problems=problems)
    try:
        with sqlite_rollback_journal(), transaction.atomic(), rollups.appending() as batch:
            marks = _history_marks()
            had_customers = Customer.objects.exists()
            with writer.streaming():
                _check_all(checker, folder, present, result, writer=writer)
            if problems.count:
                raise _Rollback
            if writer.unresolved:
                raise _WriteError(_("A reference could not be resolved."))
            if writer.changed_facts:
                batch.changed_existing()
            writer.current_file = ""
            result.inferred_team_managers, result.inferred_region_heads = _infer_leaders(user=user)
            if had_customers:
                for customer_ids in chunks(
                    sorted(_touched_customer_ids(marks=marks)), REFRESH_BATCH
                ):
                    customers_refresh(customer_ids=customer_ids)
            else:  # every customer was written here: one pass, as the nightly jobs make
                customers_refresh(customer_ids=None)
    except _Rollback:
        pass
    except (DatabaseError, _WriteError) as error:
        problems.add(
            writer.current_file,
            None,
            "",
            _("The database refused the data, nothing was written: %(error)s") % {"error": error},
        )
    finally:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            writer.set_constraints(deferred=True)  # as Django declares them, for the caller


class _WriteError(Exception):
    """A reference vanished between its check and its write."""


def _infer_leaders(*, user: AbstractBaseUser | None = None) -> tuple[int, int]:
    """Fill in team managers and region heads that the files cannot state; return the counts."""
    # A team without a manager gets the only current member whose role is manager; a
    # region without a head gets the common manager of its teams' managers, when that
    # person is a region head (docs/interchange.md).
    history_user = user if getattr(user, "is_authenticated", False) else None
    today = timezone.localdate()
    candidates: dict[int, set[int]] = defaultdict(set)
    for team_id, person_id in (
        Membership.objects.current(today)
        .filter(team__manager__isnull=True, person__role=Role.MANAGER)
        .values_list("team_id", "person_id")
    ):
        candidates[team_id].add(person_id)
    teams = list(Team.objects.filter(id__in=[t for t, ids in candidates.items() if len(ids) == 1]))
    for team in teams:
        team.manager_id = next(iter(candidates[team.id]))
    if teams:
        bulk_update_with_history(
            teams,
            Team,
            fields=["manager"],
            default_user=history_user,
            default_change_reason=CHANGE_REASON,
        )
    heads: dict[int, set] = defaultdict(set)
    for region_id, boss_id, boss_role in Team.objects.filter(
        region__head__isnull=True, manager__isnull=False
    ).values_list("region_id", "manager__manager_id", "manager__manager__role"):
        heads[region_id].add((boss_id, boss_role))
    regions = list(
        Region.objects.filter(
            id__in=[
                region_id
                for region_id, bosses in heads.items()
                if len(bosses) == 1 and next(iter(bosses))[1] == Role.REGION_HEAD
            ]
        )
    )
    for region in regions:
        region.head_id = next(iter(heads[region.id]))[0]
    if regions:
        bulk_update_with_history(
            regions,
            Region,
            fields=["head"],
            default_user=history_user,
            default_change_reason=CHANGE_REASON,
        )
    return len(teams), len(regions)


TOUCHING_MODELS = (Customer, Order, Invoice, Visit, Payment)


def _history_marks() -> dict[type, int]:
    """The highest history id of each model whose records touch a customer, before writing."""
    marks = {}
    for model in TOUCHING_MODELS:
        highest = model.history.aggregate(highest=Max("history_id"))["highest"]
        marks[model] = highest or 0
    return marks


def _touched_customer_ids(*, marks: dict[type, int]) -> set[int]:
    """Customers this import wrote, or wrote an order, invoice, payment or visit of: those
    of the history rows written since `marks`, read by a range of their primary key (by
    their date, which all of an import's rows share, the index gave them in no useful order).
    """

    def written(model):
        return model.history.filter(history_id__gt=marks[model])

    ids = set(written(Customer).values_list("id", flat=True))
    for model in (Order, Invoice, Visit):
        touched = written(model).filter(customer_id__isnull=False)
        ids.update(touched.values_list("customer_id", flat=True).distinct())
    paid = written(Payment).values("invoice_id")
    ids.update(Invoice.objects.filter(pk__in=paid).values_list("customer_id", flat=True).distinct())
    return ids
