"""Codes never reach a person: an action item from a meeting names its indicator, a meeting's
system-given title reads in the reader's language, the KPI Excel export names its levels."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from salesorg.performance.choices import Level
from salesorg.performance.models import SalesMeeting
from salesorg.performance.services.meetings import meeting_item_record
from salesorg.work.actions import action_items_for_source
from tests.factories import TargetFactory, login_for
from tests.performance.scorecard_helpers import sell, target
from tests.performance.test_meetings import create

pytestmark = pytest.mark.django_db


@pytest.fixture
def misses_world(org_tree):
    """East-1a: January 900 of a 1000 sales and gross margin target."""
    rep = org_tree.people["rep_east1a"]
    old = sell(rep, amount="1000", day=date(2025, 12, 10))
    sell(rep, amount="900", customer=old)
    target(rep, realistic="1000")
    TargetFactory(person=rep, metric="gross_margin", realistic=Decimal("1000"))
    return org_tree


def test_an_action_item_from_a_gross_margin_miss_names_the_indicator(misses_world, client):
    # given the countermeasure of a gross-margin miss, now an action item
    meeting = create(misses_world)
    item = meeting.items.get(indicator="gross_margin")
    meeting_item_record(
        actor=misses_world.user("manager_east1"),
        item=item,
        cause_category="product",
        cause="低毛利产品占比高",
        countermeasure="主推高毛利产品",
        due_date=date(2026, 2, 28),
    )
    (action,) = action_items_for_source(item)
    # when its owner opens it in Chinese
    client.force_login(misses_world.user("rep_east1a"))
    page = client.get(action.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # then the source is named by the indicator's label, not its code
    assert "gross_margin" not in page
    with translation.override("zh-hans"):
        assert item.indicator_label in page and item.indicator_label != "gross_margin"


def test_a_meeting_title_the_system_gave_reads_in_the_readers_language(misses_world):
    with translation.override("en"):
        meeting = create(misses_world)
    team = misses_world.teams["east1"].name
    with translation.override("zh-hans"):
        assert meeting.display_title == f"销售会议 {team} 2026-01-01 – 2026-01-31"
    # an old title stored in Chinese reads in English
    SalesMeeting.objects.filter(pk=meeting.pk).update(
        title=f"销售会议 {team} 2026-01-01 – 2026-01-31"
    )
    meeting.refresh_from_db()
    with translation.override("en"):
        assert meeting.display_title == f"Sales meeting {team} 2026-01-01 – 2026-01-31"
    # a title a person typed stays as typed
    meeting.title = "一月复盘"
    assert meeting.display_title == "一月复盘"


def test_the_kpi_excel_export_names_levels_by_their_labels(world):
    user = login_for(world.people["M"])
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    response = client.get(
        "/performance/kpi/",
        {"from": "2026-01-01", "to": "2026-01-31", "level": "all", "format": "xlsx"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    levels = {row[0].value for row in sheet.iter_rows(min_row=2)}
    with translation.override("zh-hans"):
        labels = {str(level.label) for level in Level if level != Level.ALL}
    assert levels and levels <= labels
    assert not levels & {"person", "team", "region", "company"}
