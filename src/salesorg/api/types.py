"""Field types shared by the API schemas."""

from datetime import time
from typing import Annotated

from ninja import Field
from pydantic import AfterValidator

from salesorg.core.fields import CODE_LENGTH

# Primary keys are positive 64-bit integers on every database: a larger number is refused
# by the schema (422 naming the field) before it can reach, and overflow, the database.
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]

# A record's code: left blank, the system gives one (core.record_codes).
OptionalCode = Field("", max_length=CODE_LENGTH, description="blank: a code is generated")
# Optimistic locking: PATCH may say which version it read.
ExpectedVersion = Field(
    None,
    ge=1,
    le=2_147_483_647,
    description="the `version` you read: if the record changed since, the answer is 409",
)


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("Give the local time of day without a time zone (e.g. 14:30).")
    return value


# Times of day (a visit's time) are local wall-clock times: an offset would be meaningless.
LocalTime = Annotated[time, AfterValidator(_local)]
