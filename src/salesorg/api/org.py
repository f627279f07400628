"""Org endpoints: regions, teams, people and memberships (read in scope, write for admins)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Router, Schema

from salesorg.api.crud import register_crud
from salesorg.api.types import Day, RecordId
from salesorg.core.roles import Role, can_manage_org
from salesorg.org.models import CODE_LENGTH, Membership, Person, Region, Team
from salesorg.org.services import org_record_delete, org_record_save

router = Router(tags=["org"])

Code = Field(..., min_length=1, max_length=CODE_LENGTH)
Name = Field(..., min_length=1, max_length=100)


class RegionOut(Schema):
    id: int
    code: str
    name: str
    head_id: RecordId | None


class RegionIn(Schema):
    code: str = Code
    name: str = Name
    head_id: RecordId | None = None


class RegionPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    name: str = Field(None, min_length=1, max_length=100)
    head_id: RecordId | None = None


class TeamOut(Schema):
    id: int
    code: str
    name: str
    region_id: RecordId
    manager_id: RecordId | None


class TeamIn(Schema):
    code: str = Code
    name: str = Name
    region_id: RecordId
    manager_id: RecordId | None = None


class TeamPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    name: str = Field(None, min_length=1, max_length=100)
    region_id: RecordId = None
    manager_id: RecordId | None = None


class PersonOut(Schema):
    id: int
    code: str
    name: str
    role: Role
    manager_id: RecordId | None
    position_id: RecordId | None
    hire_date: date
    leave_date: date | None
    email: str


class PersonIn(Schema):
    code: str = Code
    name: str = Name
    role: Role
    manager_id: RecordId | None = None
    position_id: RecordId | None = None
    hire_date: Day
    leave_date: Day | None = None
    email: str = Field("", max_length=254)


class PersonPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    name: str = Field(None, min_length=1, max_length=100)
    role: Role = None
    manager_id: RecordId | None = None
    position_id: RecordId | None = None
    hire_date: Day = None
    leave_date: Day | None = None
    email: str = Field(None, max_length=254)


class MembershipOut(Schema):
    id: int
    person_id: RecordId
    team_id: RecordId
    start_date: date
    end_date: date | None


class MembershipIn(Schema):
    person_id: RecordId
    team_id: RecordId
    start_date: Day
    end_date: Day | None = None


class MembershipPatch(Schema):
    person_id: RecordId = None
    team_id: RecordId = None
    start_date: Day = None
    end_date: Day | None = None


for model, prefix, out_schema, create_schema, update_schema, search in [
    (Region, "regions", RegionOut, RegionIn, RegionPatch, ("code", "name")),
    (Team, "teams", TeamOut, TeamIn, TeamPatch, ("code", "name")),
    (Person, "people", PersonOut, PersonIn, PersonPatch, ("code", "name", "email")),
    (
        Membership,
        "memberships",
        MembershipOut,
        MembershipIn,
        MembershipPatch,
        ("person__code", "team__code"),
    ),
]:
    register_crud(
        router,
        model=model,
        prefix=prefix,
        out_schema=out_schema,
        create_schema=create_schema,
        update_schema=update_schema,
        save=org_record_save,
        delete=org_record_delete,
        can_write=can_manage_org,
        search_fields=search,
    )
