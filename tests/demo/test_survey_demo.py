"""The survey demo data (S4): answered links (some low, with the owner's and the manager's
follow-ups), one link still open and one expired."""

from datetime import date, datetime, time
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.customers.choices import SurveySource
from salesorg.customers.models import SatisfactionSurvey, SurveyLink
from salesorg.customers.selectors.surveys import survey_link_path
from salesorg.targets.models import ActionItem
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db
# The links open and expire around the demo's day: the test is on that day.
NOW = timezone.make_aware(datetime.combine(TODAY, time(12)))


def test_demo_has_answered_surveys_low_ones_with_follow_ups_and_an_open_link(demo):
    counts = demo.counts
    answers = SatisfactionSurvey.objects.filter(source=SurveySource.CUSTOMER)
    assert counts["answered survey links"] == answers.count() > 20
    low = answers.filter(overall__lte=2) | answers.filter(recommend__lte=6)
    assert low.exists() and low.count() < answers.count() // 2
    items = ActionItem.objects.filter(title_key="customers.survey_low.title")
    assert items.count() >= low.count()  # the owner, and the manager where there is one
    for survey in low[:5]:
        owners = set(items.filter(source_id=survey.pk).values_list("owner_id", flat=True))
        assert survey.customer.owner_id in owners and len(owners) == 2
    open_links = [
        link
        for link in SurveyLink.objects.filter(answered_at__isnull=True)
        if link.expires_at > NOW
    ]
    assert len(open_links) == 1
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert Client().get(survey_link_path(open_links[0])).status_code == 200
    assert all(answer.surveyed_on <= TODAY for answer in answers)
    assert date(2000, 1, 1) < min(answer.surveyed_on for answer in answers)
