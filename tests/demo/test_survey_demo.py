"""The survey demo data (S4): answered links (some low, with the owner's and the manager's
follow-ups), one link still open and one expired."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.customers.choices import SurveySource
from salesorg.customers.models import SatisfactionSurvey, SurveyLink
from salesorg.customers.selectors.surveys import survey_link_path
from salesorg.demo.care import demo_care_create
from salesorg.demo.org import demo_company_create
from salesorg.demo.sales import demo_records_create
from salesorg.demo.surveys import demo_surveys_create
from salesorg.targets.models import ActionItem

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_demo_has_answered_surveys_low_ones_with_follow_ups_and_an_open_link():
    company = demo_company_create(scale=1, seed=3, today=TODAY)
    demo_records_create(company=company, seed=3, today=TODAY)
    demo_care_create(company=company, seed=3, today=TODAY)
    counts = demo_surveys_create(company=company, seed=3, today=TODAY)
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
        if link.expires_at > timezone.now()
    ]
    assert len(open_links) == 1
    assert Client().get(survey_link_path(open_links[0])).status_code == 200
    assert all(answer.surveyed_on <= TODAY for answer in answers)
    assert date(2000, 1, 1) < min(answer.surveyed_on for answer in answers)
