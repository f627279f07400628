"""Deleting customers' records through their services: the same right as writing them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from salesorg.customers.models import Contact, Customer, Referral, SatisfactionSurvey
from salesorg.customers.services.care import referral_delete, survey_delete
from salesorg.customers.services.customers import contact_delete, customer_delete
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_customer_is_deleted_by_its_owners_manager_not_by_the_owner_rep(org_tree):
    # given a customer of a rep of team east-1
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit=Decimal("0"))
    # when the rep deletes it, then it is refused
    with pytest.raises(PermissionDenied):
        customer_delete(customer=customer, actor=org_tree.user("rep_east1a"))
    # when the team's manager deletes it, then it is gone
    customer_delete(customer=customer, actor=org_tree.user("manager_east1"))
    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_a_contact_is_deleted_by_the_customers_rep_not_by_another_teams_manager(org_tree):
    # given a contact of a customer of a rep of team east-1
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    contact = ContactFactory(customer=customer)
    # when the manager of another team deletes it, then it is refused
    with pytest.raises(PermissionDenied):
        contact_delete(contact=contact, actor=org_tree.user("manager_north1"))
    # when the customer's rep deletes it, then it is gone
    contact_delete(contact=contact, actor=org_tree.user("rep_east1a"))
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_care_records_are_deleted_by_whoever_may_record_them(org_tree):
    # given a referral and a survey of a customer of a rep of team east-1
    owner = org_tree.people["rep_east1a"]
    referrer, referred = CustomerFactory(owner=owner), CustomerFactory(owner=owner)
    referral = Referral.objects.create(
        referrer=referrer, referred=referred, referred_on=date(2026, 1, 5)
    )
    survey = SatisfactionSurvey.objects.create(
        customer=referrer, surveyed_on=date(2026, 1, 5), overall=4
    )
    # when a rep of another team deletes them, then it is refused
    with pytest.raises(PermissionDenied):
        referral_delete(referral=referral, actor=org_tree.user("rep_east2a"))
    with pytest.raises(PermissionDenied):
        survey_delete(survey=survey, actor=org_tree.user("rep_east2a"))
    # when the owner deletes them, then they are gone
    referral_delete(referral=referral, actor=org_tree.user("rep_east1a"))
    survey_delete(survey=survey, actor=org_tree.user("rep_east1a"))
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not SatisfactionSurvey.objects.filter(pk=survey.pk).exists()
