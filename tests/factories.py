"""factory_boy factories for SalesOrg records."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from salesorg.org.choices import Role
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
