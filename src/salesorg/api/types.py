"""Field types shared by the API schemas and query parameters.

Every id, date, decimal and whole number a request carries uses one of the bounded types here,
so a value no column can hold is refused by the schema (422 naming the field) before any
query or date arithmetic: tests/api/test_bounded_inputs.py walks the OpenAPI document for it.
"""

from datetime import date, time
from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Schema
from pydantic import AfterValidator, ConfigDict

from salesorg.core.fields import CODE_LENGTH
from salesorg.core.hygiene import EARLIEST_DAY, LATEST_DAY, day_problem

# Primary keys are positive 64-bit integers on every database: a larger number is refused
# by the schema (422 naming the field) before it can reach, and overflow, the database.
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Other whole numbers (a line number, a count, a score) fit a 32-bit integer column.
MAX_INT32 = 2**31 - 1
Int32 = Annotated[int, Field(ge=-MAX_INT32 - 1, le=MAX_INT32)]
Year = Annotated[int, Field(ge=EARLIEST_DAY.year, le=LATEST_DAY.year)]
Month = Annotated[int, Field(ge=1, le=12)]
Quarter = Annotated[int, Field(ge=1, le=4)]


def _in_range(day: date) -> date:
    problem = day_problem(day)
    if problem is not None:
        raise ValueError(problem)
    return day


# A business date: between EARLIEST_DAY and LATEST_DAY (core.hygiene), as the pages' are.
Day = Annotated[
    date,
    AfterValidator(_in_range),
    Field(
        json_schema_extra={
            "x-earliest": EARLIEST_DAY.isoformat(),
            "x-latest": LATEST_DAY.isoformat(),
        }
    ),
]

# An amount, quantity, price or rate: finite and within what a DECIMAL(18, 2) column holds
# (the widest decimal column here); the service's validation then checks the column's places.
MAX_AMOUNT = Decimal("9999999999999999.99")
Amount = Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_AMOUNT, le=MAX_AMOUNT)]

# A record's code: left blank, the system gives one (core.record_codes).
OptionalCode = Field("", max_length=CODE_LENGTH, description="blank: a code is generated")
# Optimistic locking: a PATCH of a versioned record names the version it read (#21 F10).
ExpectedVersion = Field(
    None,
    ge=1,
    le=2_147_483_647,
    description="the `version` you read (required): if the record changed since, or the "
    "version is missing, the answer is 409 naming `version`",
)


def _version_required(schema: dict) -> None:
    required = schema.setdefault("required", [])
    if "version" not in required:
        required.append("version")


class VersionedPatch(Schema):
    """The body of a change of a versioned record (customer, contact, target): `version` is
    required, and a body without it reaches the service, which answers 409 naming `version`
    like a stale one (core/versioning.py), so both read the same to a client."""

    model_config = ConfigDict(json_schema_extra=_version_required)

    version: int = ExpectedVersion


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("Give the local time of day without a time zone (e.g. 14:30).")
    return value


# Times of day (a visit's time) are local wall-clock times: an offset would be meaningless.
LocalTime = Annotated[time, AfterValidator(_local)]


def optional_query(*, ge: int = 1, le: int = MAX_ID):
    """A bounded optional whole-number query parameter (default: an id), for an endpoint under
    @paginate, where a bounded type in the annotation cannot be resolved (django-ninja reads
    the wrapper's module for it): `team: int | None = optional_query()`."""
    return Query(None, ge=ge, le=le)
