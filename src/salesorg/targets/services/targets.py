"""Writes of the monthly target rows (targets.csv): save and delete."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems, not_negative_check, reference_check
from salesorg.core.versioning import version_check
from salesorg.org.models import Person, Region, Team
from salesorg.sales.permissions import can_create, can_write
from salesorg.targets.choices import OwnerType
from salesorg.targets.models import Target

OWNER_FIELDS: dict[str, str] = {
    OwnerType.PERSON: "person",
    OwnerType.TEAM: "team",
    OwnerType.REGION: "region",
}
OWNER_MODELS = {"person": Person, "team": Team, "region": Region}


@transaction.atomic
def target_save(
    *, instance: Target, actor: User, expected_version: int | None = None, system: bool = False
) -> Target:
    """Validate and save a target: its owner matches its type, month 1–12, ideal ≥ realistic;
    a stored target only with the `expected_version` read and not changed since (or as the
    system's own change, `system=True`; core/versioning.py)."""
    problems = Problems()
    if instance.ideal is None:
        instance.ideal = instance.realistic  # targets.csv: ideal defaults to realistic
    owner_field = OWNER_FIELDS.get(instance.owner_type)
    for field, model in OWNER_MODELS.items():
        pk = getattr(instance, f"{field}_id")
        if field == owner_field:
            reference_check(problems, field=field, model=model, pk=pk, actor=actor)
        elif pk is not None:
            problems.add(
                field,
                _("A target of a %(owner_type)s cannot also name a %(field)s.")
                % {
                    "owner_type": OwnerType(instance.owner_type).label
                    if instance.owner_type in OwnerType.values
                    else instance.owner_type,
                    "field": model._meta.verbose_name,
                },
            )
    if instance.month is not None and not 1 <= instance.month <= 12:
        problems.add("month", _("The month must be between 1 and 12."))
    not_negative_check(problems, field="realistic", value=instance.realistic)
    if (
        instance.ideal is not None
        and instance.realistic is not None
        and instance.ideal < instance.realistic
    ):
        problems.add("ideal", _("The ideal target cannot be below the realistic one."))
    owner = {
        "person_id": instance.person_id,
        "team_id": instance.team_id,
        "region_id": instance.region_id,
    }  # None matches a row without that owner column (IS NULL)
    duplicate = Target.objects.filter(
        owner_type=instance.owner_type,
        **owner,
        year=instance.year,
        month=instance.month,
        metric=instance.metric,
    )
    if instance.pk:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        problems.add("metric", _("This owner already has a target for this metric and month."))
    problems.raise_if_any()
    version_check(instance=instance, expected_version=expected_version, system=system)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def target_delete(*, target: Target, actor: User) -> None:
    """Delete a target row, by whoever may write it (the API's rule for sales records)."""
    if not (can_create(actor, Target) and can_write(actor, target)):
        raise PermissionDenied
    target.delete()
