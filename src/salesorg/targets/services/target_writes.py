"""The writers of a plan's targets: the two shared by the grid, decomposition and approved
revisions (a unit's annual target in the plan, its monthly target of the plan's year), and
the save and delete of one monthly target row (the API), which a published plan refuses."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from salesorg.targets.models import AnnualTarget, PlanStatus, SalesPlan, Target
from salesorg.targets.services.targets import target_delete, target_save
from salesorg.targets.units import Unit

ValuePair = tuple[Decimal | None, Decimal | None]  # (realistic, ideal); None = no target


def annual_target_write(*, plan: SalesPlan, unit: Unit, metric: str, pair: ValuePair) -> None:
    """Write (or, with no realistic value, delete) a unit's annual target in the plan."""
    realistic, ideal = pair
    rows = AnnualTarget.objects.filter(plan=plan, metric=metric, **unit.owner_fields())
    if realistic is None:
        for row in rows:
            row.delete()
        return
    row = rows.first() or AnnualTarget(plan=plan, metric=metric, **unit.owner_fields())
    row.realistic, row.ideal = realistic, ideal
    row.full_clean()
    row.save()


def month_target_write(
    *,
    plan: SalesPlan,
    unit: Unit,
    metric: str,
    month: int,
    pair: ValuePair,
    actor: User,
) -> None:
    """Write (or, with no realistic value, delete) a unit's monthly target of the plan's year."""
    realistic, ideal = pair
    rows = Target.objects.filter(year=plan.year, month=month, metric=metric, **unit.owner_fields())
    if realistic is None:
        for row in rows:
            row.delete()
        return
    row = rows.first() or Target(year=plan.year, month=month, metric=metric, **unit.owner_fields())
    row.realistic, row.ideal = realistic, ideal
    # The plan's workflow (its grid while a draft, decomposition, an approved revision) owns
    # these rows: they follow the plan, not a version of the row someone read.
    target_save(instance=row, actor=actor, system=True)


def _locked_check(*years: int | None) -> None:
    """Refuse a direct write to the targets of a year whose plan is published."""
    published = SalesPlan.objects.filter(
        year__in=[y for y in years if y], status=PlanStatus.PUBLISHED
    )
    year = published.values_list("year", flat=True).first()
    if year is not None:
        raise ValidationError(
            {
                "year": [
                    _(
                        "The sales plan of %(year)s is published: its targets change only by "
                        "a revision that the next level approves."
                    )
                    % {"year": year}
                ]
            }
        )


@transaction.atomic
def target_row_save(
    *, instance: Target, actor: User, expected_version: int | None = None
) -> Target:
    """Save one monthly target row (the API), unless its year's plan is published."""
    saved_year = None
    if instance.pk:
        saved_year = Target.objects.filter(pk=instance.pk).values_list("year", flat=True).first()
    _locked_check(instance.year, saved_year)
    return target_save(instance=instance, actor=actor, expected_version=expected_version)


@transaction.atomic
def target_row_delete(*, target: Target, actor: User) -> None:
    """Delete one monthly target row (the API), unless its year's plan is published."""
    _locked_check(target.year)
    target_delete(target=target, actor=actor)
