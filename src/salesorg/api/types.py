"""Field types shared by the API schemas."""

from datetime import time
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from salesorg.core.fields import CODE_LENGTH

# Primary keys are positive 64-bit integers on every database: a larger number is refused
# by the schema (422 naming the field) before it can reach, and overflow, the database.
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]

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
