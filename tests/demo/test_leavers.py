"""The demo's dismissal and leavers (#17): a dismissal approved with its leave scheduled and
its handover done; earlier leavers hold nothing, except one whose handover is still to do."""

import pytest

from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import Customer, RootCause
from salesorg.development.models import Handover, PersonnelReview
from salesorg.development.selectors.handover import leavers_holding
from salesorg.org.models import Person
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_dismissal_handed_over_and_one_handover_to_do(demo):
    counts = demo.counts
    assert counts["dismissals"] == 1
    dismissal = PersonnelReview.objects.get(outcome="dismiss")
    assert dismissal.status == "approved"
    dismissed = dismissal.person
    assert dismissed.leave_date == dismissal.effective_date > TODAY
    assert dismissal.evidence["stage"]["meets_policy"] and not dismissal.override_reason
    handover = Handover.objects.get(person=dismissed)
    assert handover.moved["customers"]["ids"]
    assert not Customer.objects.filter(owner=dismissed).exists()
    pending = leavers_holding(user=SYSTEM, today=TODAY)
    assert len(pending) == 1 and pending[0].has_left
    latest = Person.objects.filter(leave_date__lt=TODAY).order_by("-leave_date").first()
    assert pending[0].person == latest
    gone = Person.objects.filter(leave_date__lt=TODAY).exclude(pk=latest.pk)
    assert not Customer.objects.filter(owner__in=gone).exists()
    assert not RootCause.objects.filter(owner__in=gone).exclude(status="accepted").exists()
    assert counts["handovers"] == Handover.objects.count() >= 2
