"""Performance endpoints: the indicator table and product mix of KPI.md, scoped to the caller.

Rows are computed by the engine (`salesorg.performance.kpi.indicators`) and rendered with
the canonical text of `salesorg.performance.kpi.exports`: amounts and rates are strings
(exact decimals, never floats), counts are integers, nulls are null.
"""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from pydantic import create_model

from salesorg.api.types import Day
from salesorg.performance.choices import COLUMNS, Level, ValueKind
from salesorg.performance.kpi.exports import indicator_records, product_mix_records
from salesorg.performance.kpi.indicators import indicator_table, product_mix
from salesorg.performance.kpi.periods import PeriodError

router = Router(tags=["performance"])

SCOPED_ROWS = {"x-scoped-rows": True}

IndicatorRowOut = create_model(
    "IndicatorRowOut",
    __base__=Schema,
    level=(str, ...),
    code=(str, ...),
    name=(str, ...),
    **{
        column.name: ((int, ...) if column.kind == ValueKind.COUNT else (str | None, ...))
        for column in COLUMNS
    },
)


class ProductMixRowOut(Schema):
    level: str
    code: str
    name: str
    category: str
    category_name: str
    amount: str
    share: str | None


class PeriodQuery(Schema):
    start: Day = Field(..., alias="from", description="first day, YYYY-MM-DD")
    end: Day = Field(..., alias="to", description="last day, YYYY-MM-DD (inclusive)")
    level: Level = Level.ALL


def _period_error(error: PeriodError) -> tuple[int, dict]:
    return 422, {
        "detail": [{"loc": ["query", error.field], "msg": str(error), "type": "value_error"}]
    }


class ErrorOut(Schema):
    detail: list[dict]


@router.get(
    "/kpi",
    response={200: list[IndicatorRowOut], 422: ErrorOut},
    openapi_extra=SCOPED_ROWS,
    operation_id="kpi_table",
)
def kpi_table(request, period: Query[PeriodQuery]):
    """The indicator table (KPI.md) for [from, to] at a level, only the rows the caller may see."""
    try:
        table = indicator_table(
            start=period.start, end=period.end, level=period.level, user=request.user
        )
    except PeriodError as error:
        return _period_error(error)
    return 200, indicator_records(rows=table.rows)


@router.get(
    "/product-mix",
    response={200: list[ProductMixRowOut], 422: ErrorOut},
    openapi_extra=SCOPED_ROWS,
    operation_id="product_mix",
)
def product_mix_table(request, period: Query[PeriodQuery]):
    """Confirmed sales per unit and category for [from, to], only the caller's visible units."""
    try:
        rows = product_mix(
            start=period.start, end=period.end, level=period.level, user=request.user
        )
    except PeriodError as error:
        return _period_error(error)
    return 200, product_mix_records(rows=rows)
