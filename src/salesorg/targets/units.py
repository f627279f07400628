"""The org units that own targets (a person, a team, a region, the company) and the org tree
a plan is decomposed along; plain values, no reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from salesorg.targets.choices import OwnerType

MONTHS = tuple(range(1, 13))
OWNER_COLUMN = {OwnerType.PERSON: "person", OwnerType.TEAM: "team", OwnerType.REGION: "region"}

Pair = tuple[int, int]  # (realistic, ideal) in whole units


@dataclass(frozen=True)
class Unit:
    """An org unit that can own targets: a person, a team, a region or the company."""

    owner_type: str
    id: int | None = None

    @property
    def key(self) -> str:
        """A stable text key, e.g. `team-5` or `company-0` (form fields, URLs, JSON)."""
        return f"{self.owner_type}-{self.id or 0}"

    @classmethod
    def parse(cls, key: str) -> Unit | None:
        """The unit of a key, or None when the key is malformed."""
        owner_type, _sep, number = (key or "").partition("-")
        if owner_type not in OwnerType.values or not number.isdigit():
            return None
        if owner_type == OwnerType.COMPANY:
            return COMPANY
        return cls(owner_type, int(number)) if int(number) > 0 else None

    @classmethod
    def of(cls, record) -> Unit:
        """The unit that owns a Target or AnnualTarget row."""
        if record.owner_type == OwnerType.COMPANY:
            return COMPANY
        return cls(record.owner_type, getattr(record, f"{OWNER_COLUMN[record.owner_type]}_id"))

    def decomposition_fields(self) -> dict:
        """The owner columns of this unit's Decomposition row (a person has none)."""
        fields: dict = {"owner_type": self.owner_type}
        if self.owner_type == OwnerType.TEAM:
            fields["team_id"] = self.id
        elif self.owner_type == OwnerType.REGION:
            fields["region_id"] = self.id
        return fields

    def owner_fields(self) -> dict:
        """The owner columns of a target row of this unit."""
        fields = {"owner_type": self.owner_type, "person_id": None, "team_id": None}
        fields["region_id"] = None
        if self.owner_type != OwnerType.COMPANY:
            fields[f"{OWNER_COLUMN[self.owner_type]}_id"] = self.id
        return fields


COMPANY = Unit(OwnerType.COMPANY)


@dataclass
class PlanOrg:
    """The org tree a plan is decomposed along: company → regions → teams → current members."""

    names: dict[Unit, str] = field(default_factory=dict)
    codes: dict[Unit, str] = field(default_factory=dict)
    children: dict[Unit, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    parent: dict[Unit, Unit] = field(default_factory=dict)
    leaders: dict[Unit, int | None] = field(default_factory=dict)  # manager / head person id

    def units(self) -> list[Unit]:
        """Every unit, top-down."""
        ordered, stack = [], [COMPANY]
        while stack:
            unit = stack.pop(0)
            ordered.append(unit)
            stack.extend(self.children.get(unit, ()))
        return ordered

    def subtree(self, root: Unit) -> list[Unit]:
        """The root and everything below it."""
        ordered, stack = [], [root]
        while stack:
            unit = stack.pop(0)
            ordered.append(unit)
            stack.extend(self.children.get(unit, ()))
        return ordered

    def label(self, unit: Unit) -> str:
        if unit == COMPANY:
            return _("Company")
        return self.names.get(unit, unit.key)


def cell_key(unit: Unit, month: int) -> str:
    """The error key (and form-field stem) of a grid cell, e.g. `team-5-3`."""
    return f"{unit.key}-{month}"
