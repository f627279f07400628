"""factory_boy factories for SalesOrg records."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from salesorg.core.roles import Role
from salesorg.org.models import Membership, Person, Position, Region, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"REG{n}")
    name = factory.Sequence(lambda n: f"大区{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    code = factory.Sequence(lambda n: f"TEAM{n}")
    name = factory.Sequence(lambda n: f"小组{n}")
    region = factory.SubFactory(RegionFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    code = factory.Sequence(lambda n: f"POS{n}")
    name = "销售代表"
    duties = "按计划拜访客户"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    role = Role.REP
    hire_date = date(2020, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    start_date = date(2020, 1, 1)


def login_for(person: Person):
    """Give a person a login (username = code) and return the user."""
    user = UserFactory(username=person.code)
    person.user = user
    person.save(update_fields=["user"])
    return user


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Category"

    code = factory.Sequence(lambda n: f"CAT{n}")
    name = factory.Sequence(lambda n: f"品类{n}")
    focus = False


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Product"

    code = factory.Sequence(lambda n: f"PRD{n}")
    name = factory.Sequence(lambda n: f"产品{n}")
    category = factory.SubFactory(CategoryFactory)
    list_price = Decimal("100.00")
    standard_cost = Decimal("60.00")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "customers.Customer"

    code = factory.Sequence(lambda n: f"CUST{n}")
    name = factory.Sequence(lambda n: f"客户{n}有限公司")
    industry = "制造业"
    owner = factory.SubFactory(PersonFactory)
    created_date = date(2020, 1, 1)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "customers.Contact"

    code = factory.Sequence(lambda n: f"CON{n}")
    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    role = "decision_maker"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Order"

    code = factory.Sequence(lambda n: f"ORD{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    rep = factory.SelfAttribute("customer.owner")
    order_date = date(2026, 1, 15)
    status = "confirmed"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.OrderLine"

    order = factory.SubFactory(OrderFactory)
    line_no = factory.Sequence(lambda n: n + 1)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("1")
    amount = Decimal("100.00")
    cost = Decimal("60.00")


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Invoice"

    code = factory.Sequence(lambda n: f"INV{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    rep = factory.SelfAttribute("customer.owner")
    invoice_date = date(2026, 1, 15)
    due_date = date(2026, 2, 14)
    amount = Decimal("100.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Payment"

    code = factory.Sequence(lambda n: f"PAY{n:06d}")
    invoice = factory.SubFactory(InvoiceFactory)
    payment_date = date(2026, 2, 1)
    amount = Decimal("50.00")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Visit"

    code = factory.Sequence(lambda n: f"VIS{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    rep = factory.SelfAttribute("customer.owner")
    visit_date = date(2026, 1, 15)
    kind = "visit"
    purpose = "产品介绍"


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Expense"

    code = factory.Sequence(lambda n: f"EXP{n:06d}")
    rep = factory.SubFactory(PersonFactory)
    expense_date = date(2026, 1, 15)
    category = "差旅"
    amount = Decimal("200.00")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "targets.Target"

    owner_type = "person"
    person = factory.SubFactory(PersonFactory)
    year = 2026
    month = 1
    metric = "sales"
    realistic = Decimal("1000.00")
    ideal = factory.LazyAttribute(lambda target: target.realistic)
