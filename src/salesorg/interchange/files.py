"""The files of INTERCHANGE.md: their columns, value kinds, references and match keys."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.db import models

from salesorg.core.models import CalendarDay
from salesorg.core.roles import Role
from salesorg.customers.choices import ContactRole
from salesorg.customers.models import Contact, Customer
from salesorg.org.models import Membership, Person, Region, Team
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import (
    Category,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Visit,
)
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.models import Target

CODE_MAX_LENGTH = 64


class Kind(StrEnum):
    """How a cell is read and written."""

    CODE = "code"
    TEXT = "text"
    EMAIL = "email"
    CHOICE = "choice"
    DATE = "date"
    MONEY = "money"
    QUANTITY = "quantity"
    INTEGER = "integer"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """A column of an interchange file."""

    name: str
    kind: Kind
    required: bool = False
    field: str | None = None  # the model field written (a foreign key for references)
    ref: str | None = None  # the file whose codes this column refers to
    choices: type[models.TextChoices] | None = None
    minimum: int = 0
    maximum: int = 0


@dataclass(frozen=True)
class FileSpec:
    """One file of the interchange folder and the model its rows become."""

    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("code",)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @cached_property
    def by_name(self) -> dict[str, Column]:
        return {column.name: column for column in self.columns}

    def max_length(self, column: Column) -> int | None:
        """The longest text the model field of a text column holds (None: unlimited)."""
        if column.kind is Kind.CODE:
            return CODE_MAX_LENGTH
        if column.field is None:
            return None
        return getattr(self.model._meta.get_field(column.field), "max_length", None)


def _code(field: str = "code") -> Column:
    return Column("code", Kind.CODE, required=True, field=field)


def _ref(name: str, ref: str, field: str, *, required: bool = True) -> Column:
    return Column(name, Kind.CODE, required=required, field=field, ref=ref)


def _text(name: str, *, required: bool = False, field: str | None = None) -> Column:
    return Column(name, Kind.TEXT, required=required, field=field or name)


def _date(name: str, *, required: bool = True) -> Column:
    return Column(name, Kind.DATE, required=required, field=name)


def _money(name: str, *, required: bool = True) -> Column:
    return Column(name, Kind.MONEY, required=required, field=name)


def _choice(name: str, choices: type[models.TextChoices], *, required: bool = True) -> Column:
    return Column(name, Kind.CHOICE, required=required, field=name, choices=choices)


FILES: tuple[FileSpec, ...] = (
    FileSpec("regions", Region, (_code(), _text("name", required=True))),
    FileSpec(
        "teams",
        Team,
        (_code(), _text("name", required=True), _ref("region_code", "regions", "region")),
    ),
    FileSpec(
        "people",
        Person,
        (
            _code(),
            _text("name", required=True),
            _choice("role", Role),
            _ref("manager_code", "people", "manager", required=False),
            _date("hire_date"),
            _date("leave_date", required=False),
            Column("email", Kind.EMAIL, field="email"),
        ),
    ),
    FileSpec(
        "memberships",
        Membership,
        (
            _ref("person_code", "people", "person"),
            _ref("team_code", "teams", "team"),
            _date("start_date"),
            _date("end_date", required=False),
        ),
        key=("person_code", "team_code", "start_date"),
    ),
    FileSpec(
        "categories",
        Category,
        (_code(), _text("name", required=True), Column("focus", Kind.BOOLEAN, field="focus")),
    ),
    FileSpec(
        "products",
        Product,
        (
            _code(),
            _text("name", required=True),
            _ref("category_code", "categories", "category"),
            _money("list_price", required=False),
            _money("standard_cost", required=False),
        ),
    ),
    FileSpec(
        "customers",
        Customer,
        (
            _code(),
            _text("name", required=True),
            _text("industry"),
            _ref("region_code", "regions", "region", required=False),
            _ref("owner_code", "people", "owner"),
            _date("created_date"),
            _money("credit_limit", required=False),
        ),
    ),
    FileSpec(
        "contacts",
        Contact,
        (
            _code(),
            _ref("customer_code", "customers", "customer"),
            _text("name", required=True),
            _text("title"),
            _choice("role", ContactRole, required=False),
            _text("phone"),
            Column("email", Kind.EMAIL, field="email"),
        ),
    ),
    FileSpec(
        "orders",
        Order,
        (
            _code(),
            _ref("customer_code", "customers", "customer"),
            _ref("rep_code", "people", "rep"),
            _date("order_date"),
            _choice("status", OrderStatus),
        ),
    ),
    FileSpec(
        "order_lines",
        OrderLine,
        (
            _ref("order_code", "orders", "order"),
            Column(
                "line_no",
                Kind.INTEGER,
                required=True,
                field="line_no",
                minimum=1,
                maximum=2_147_483_647,
            ),
            _ref("product_code", "products", "product"),
            Column("quantity", Kind.QUANTITY, required=True, field="quantity"),
            _money("amount"),
            _money("cost"),
        ),
        key=("order_code", "line_no"),
    ),
    FileSpec(
        "invoices",
        Invoice,
        (
            _code(),
            _ref("customer_code", "customers", "customer"),
            _ref("rep_code", "people", "rep"),
            _ref("order_code", "orders", "order", required=False),
            _date("invoice_date"),
            _date("due_date"),
            _money("amount"),
        ),
    ),
    FileSpec(
        "payments",
        Payment,
        (
            _code(),
            _ref("invoice_code", "invoices", "invoice"),
            _date("payment_date"),
            _money("amount"),
        ),
    ),
    FileSpec(
        "visits",
        Visit,
        (
            _code(),
            _ref("rep_code", "people", "rep"),
            _ref("customer_code", "customers", "customer"),
            _date("visit_date"),
            _choice("kind", VisitKind),
            _ref("coach_code", "people", "coach", required=False),
            _text("purpose"),
            _text("outcome"),
        ),
    ),
    FileSpec(
        "expenses",
        Expense,
        (
            _code(),
            _ref("rep_code", "people", "rep"),
            _date("expense_date"),
            _text("category", required=True),
            _money("amount"),
        ),
    ),
    FileSpec(
        "targets",
        Target,
        (
            _choice("owner_type", OwnerType),
            # Required as a column; blank only for the company (checked per row).
            Column("owner_code", Kind.CODE),
            Column("year", Kind.INTEGER, required=True, field="year", minimum=1, maximum=9999),
            Column("month", Kind.INTEGER, required=True, field="month", minimum=1, maximum=12),
            _choice("metric", Metric),
            _money("realistic"),
            _money("ideal", required=False),
        ),
        key=("owner_type", "owner_code", "year", "month", "metric"),
    ),
    FileSpec(
        "calendar",
        CalendarDay,
        (
            _date("date"),
            Column("workday", Kind.BOOLEAN, required=True, field="is_workday"),
        ),
        key=("date",),
    ),
)

FILES_BY_NAME: dict[str, FileSpec] = {spec.name: spec for spec in FILES}
FILENAMES: tuple[str, ...] = tuple(spec.filename for spec in FILES)

# Columns that must be present in the header even where a blank value is allowed.
REQUIRED_HEADER = {("targets", "owner_code")}


def required_columns(spec: FileSpec) -> list[str]:
    """The columns a present file must have (bold in INTERCHANGE.md)."""
    return [
        column.name
        for column in spec.columns
        if column.required or (spec.name, column.name) in REQUIRED_HEADER
    ]
