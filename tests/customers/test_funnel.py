"""Proposals carry their customer into the pipeline, a returned proposal is resubmitted by API,
and the pipeline funnel counts items by stage, rep and team, with values, conversion and
median days per stage, scoped, drillable and exportable."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.customers.models import (
    DevelopmentProposal,
    PipelineItem,
    PipelineStage,
    PipelineStageEntry,
    PipelineStep,
    ProposalStatus,
)
from salesorg.customers.selectors.funnel import FunnelFilters, pipeline_funnel
from salesorg.customers.services.pipeline import (
    pipeline_item_advance,
    pipeline_item_close,
    pipeline_step_tick,
    proposal_decide,
    proposal_file,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "market_analysis": "本地机床市场年增长 8%",
    "competitor_analysis": "主要竞争对手为 A 公司，价格低 5%",
    "planned_approach": "先做技术交流，再提供试用",
    "expected_sales": Decimal("500000"),
    "expected_margin": Decimal("120000"),
}
PERIOD = FunnelFilters(start=date(2026, 1, 1), end=date(2026, 12, 31))


def _api(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def _field_errors(response) -> dict:
    return {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}


@pytest.fixture
def stages(db):
    return [
        PipelineStage.objects.create(name="接触", name_en="Contact", position=1),
        PipelineStage.objects.create(name="方案", name_en="Proposal", position=2),
        PipelineStage.objects.create(name="谈判", name_en="Negotiation", position=3),
    ]


def test_an_approved_proposal_carries_its_customer_and_records_stage_times(org_tree, stages):
    rep, manager = org_tree.user("rep_east1a"), org_tree.user("manager_east1")
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    proposal = proposal_file(actor=rep, data={**PROPOSAL, "customer_id": customer.pk})
    proposal_decide(proposal=proposal, actor=manager, decision="approve")
    item = PipelineItem.objects.get(proposal=proposal)
    assert item.customer == customer and item.stage == stages[0]
    first = PipelineStageEntry.objects.get(item=item)
    assert first.stage == stages[0] and first.left_at is None
    step = PipelineStep.objects.create(stage=stages[0], text="拜访决策人")
    pipeline_step_tick(item=item, step=step, actor=rep)
    pipeline_item_advance(item=item, actor=rep)
    first.refresh_from_db()
    assert first.left_at is not None
    item = pipeline_item_close(item=item, actor=rep, won=True, reason="交期短、服务好")
    assert item.customer == customer and item.won_reason == "交期短、服务好"
    assert not PipelineStageEntry.objects.filter(item=item, left_at__isnull=True).exists()
    api_item = _api(org_tree, "rep_east1a").get(f"/api/v1/pipeline-items/{item.pk}").json()
    assert api_item["customer_id"] == customer.pk and api_item["won_reason"] == "交期短、服务好"


def test_a_returned_proposal_is_resubmitted_through_the_api(org_tree, stages):
    rep, manager = org_tree.user("rep_east1a"), org_tree.user("manager_east1")
    proposal = proposal_file(actor=rep, data={**PROPOSAL, "prospect_name": "宏达机械"})
    api = _api(org_tree, "rep_east1a")
    payload = {**PROPOSAL, "prospect_name": "宏达机械", "proposal_id": proposal.pk}
    payload |= {"expected_sales": "600000.00", "expected_margin": "150000.00"}
    not_returned = api.post("/api/v1/proposal-resubmissions", payload, "application/json")
    assert not_returned.status_code == 400 and "status" in _field_errors(not_returned)
    proposal_decide(proposal=proposal, actor=manager, decision="return", comment="补充对手价格")
    bad = api.post(
        "/api/v1/proposal-resubmissions",
        {**payload, "expected_margin": "700000"},
        "application/json",
    )
    assert bad.status_code == 400 and "expected_margin" in _field_errors(bad)
    teammate = _api(org_tree, "rep_east1b").post(
        "/api/v1/proposal-resubmissions", payload, "application/json"
    )
    assert teammate.status_code == 404
    resubmitted = api.post("/api/v1/proposal-resubmissions", payload, "application/json")
    assert resubmitted.status_code == 200, resubmitted.content
    assert resubmitted.json()["status"] == "submitted"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.expected_sales == Decimal("600000.00")


def _item(person, stage, *, sales, status="open", entered, stays=(), reason=""):
    """A pipeline item of `person` that entered on `entered`, at `stage`, with ended stays
    given as (stage, days) before it."""
    proposal = DevelopmentProposal.objects.create(
        rep=person,
        prospect_name="潜在客户",
        market_analysis="m",
        competitor_analysis="c",
        planned_approach="p",
        expected_sales=Decimal(sales),
        expected_margin=Decimal(0),
        status=ProposalStatus.APPROVED,
    )
    item = PipelineItem.objects.create(
        proposal=proposal,
        rep=person,
        name="潜在客户",
        stage=stage,
        status=status,
        won_reason=reason if status == "won" else "",
        lost_reason=reason if status == "lost" else "",
    )
    start = timezone.make_aware(datetime.combine(entered, datetime.min.time()))
    PipelineItem.objects.filter(pk=item.pk).update(created_at=start + timedelta(hours=9))
    when = start
    for stay_stage, days in stays:
        PipelineStageEntry.objects.create(
            item=item, stage=stay_stage, entered_at=when, left_at=when + timedelta(days=days)
        )
        when += timedelta(days=days)
    return item


@pytest.fixture
def funnel_items(org_tree, stages):
    """Five items of the east1 team and one of north1 in 2026, one of east1 in 2025."""
    a, b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    north = org_tree.people["rep_north1a"]
    first, second, third = stages
    return [
        _item(a, first, sales="100000", entered=date(2026, 2, 1)),
        _item(
            a,
            first,
            sales="200000",
            status="lost",
            entered=date(2026, 3, 1),
            stays=[(first, 4)],
            reason="价格太高",
        ),
        _item(a, second, sales="300000", entered=date(2026, 4, 1), stays=[(first, 10)]),
        _item(
            b,
            third,
            sales="400000",
            status="won",
            entered=date(2026, 5, 1),
            stays=[(first, 6), (second, 20), (third, 3)],
            reason="服务好",
        ),
        _item(
            b,
            second,
            sales="500000.50",
            status="lost",
            entered=date(2026, 6, 1),
            stays=[(first, 2), (second, 9)],
            reason="价格太高",
        ),
        _item(north, third, sales="700000", entered=date(2026, 7, 1), stays=[(first, 1)]),
        _item(a, first, sales="999999", entered=date(2025, 6, 1)),
    ]


def test_the_funnel_counts_values_conversion_and_median_days(org_tree, funnel_items):
    funnel = pipeline_funnel(user=org_tree.user("manager_east1"), filters=PERIOD)
    assert funnel.total.items == 5 and funnel.total.value == Decimal("1500000.50")
    assert (funnel.total.won, funnel.total.lost, funnel.total.open) == (1, 2, 2)
    assert funnel.total.conversion == Decimal("20.00")  # 1 won of 5
    assert funnel.win_rate == Decimal("33.33")  # 1 won of 3 closed
    first, second, third = funnel.stages
    assert [row.reached for row in funnel.stages] == [5, 3, 1]
    assert first.reached_value == Decimal("1500000.50")
    assert second.reached_value == Decimal("1200000.50")
    assert (first.open, first.open_value, first.lost) == (1, Decimal("100000"), 1)
    assert (second.open, second.lost, third.won) == (1, 1, 1)
    assert first.conversion == Decimal("60.00")  # 3 of 5 went on
    assert second.conversion == Decimal("33.33")  # 1 of 3
    assert third.conversion == Decimal("100.00")  # the one that reached it was won
    assert (first.median_days, first.stays) == (Decimal("5.0"), 4)  # 2, 4, 6, 10
    assert (second.median_days, second.stays) == (Decimal("14.5"), 2)  # 9, 20
    assert third.median_days == Decimal("3.0")
    assert funnel.lost_reasons == [("价格太高", 2)] and funnel.won_reasons == [("服务好", 1)]
    by_rep = {group.label: group for group in funnel.by_rep}
    assert by_rep[org_tree.people["rep_east1b"].name].won_value == Decimal("400000")
    assert by_rep[org_tree.people["rep_east1a"].name].items == 3
    assert [group.key for group in funnel.by_team] == [org_tree.teams["east1"].pk]


def test_the_funnel_is_scoped_and_filtered_by_rep_team_and_period(org_tree, funnel_items):
    def total(role, **filters):
        return pipeline_funnel(
            user=org_tree.user(role), filters=FunnelFilters(**{**PERIOD.__dict__, **filters})
        ).total.items

    assert total("rep_east1a") == 3
    assert total("manager_east1") == 5
    assert total("head_east") == 5
    assert total("director") == 6
    assert total("rep_former") == 0
    assert total("director", team_id=org_tree.teams["north1"].pk) == 1
    assert total("director", rep_id=org_tree.people["rep_east1b"].pk) == 2
    assert total("rep_east1a", rep_id=org_tree.people["rep_east1b"].pk) == 0
    assert total("director", start=date(2025, 1, 1), end=date(2025, 12, 31)) == 1


def test_the_funnel_page_drills_into_a_stage_and_exports(
    org_tree, funnel_items, stages, django_assert_max_num_queries
):
    client = org_tree.client("manager_east1")
    query = {"start": "2026-01-01", "end": "2026-12-31"}
    with django_assert_max_num_queries(21):  # 20 and the top bar's unread count
        page = client.get("/customers/pipeline/funnel/", query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "20.00%" in text and "60.00%" in text and "¥1,500,000.50" in text
    assert f"stage={stages[1].pk}" in text
    with django_assert_max_num_queries(21):  # 20 and the top bar's unread count
        drilled = client.get("/customers/pipeline/funnel/", {**query, "stage": stages[1].pk})
    items = drilled.context["items"]
    assert {item.pk for item in items} == {
        funnel_items[2].pk,
        funnel_items[3].pk,
        funnel_items[4].pk,
    }
    lost = client.get(
        "/customers/pipeline/funnel/", {**query, "stage": stages[1].pk, "status": "lost"}
    )
    assert [item.pk for item in lost.context["items"]] == [funnel_items[4].pk]
    export = client.get("/customers/pipeline/funnel/", {**query, "format": "csv"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[1].split(",")[:3] == ["Contact", "5", "1500000.50"]
    drill_export = client.get(
        "/customers/pipeline/funnel/", {**query, "stage": stages[1].pk, "format": "xlsx"}
    )
    assert drill_export["Content-Type"].startswith("application/vnd.openxmlformats")
    reversed_period = client.get(
        "/customers/pipeline/funnel/", {"start": "2026-12-31", "end": "2026-01-01"}
    )
    assert reversed_period.status_code == 200


def test_the_funnel_page_costs_the_same_queries_for_more_items(
    org_tree, stages, django_assert_max_num_queries
):
    rep = org_tree.people["rep_east1a"]
    for number in range(30):
        _item(
            rep,
            stages[number % 3],
            sales="1000",
            entered=date(2026, 3, 1),
            stays=[(stages[0], number)],
        )
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(20):
        client.get("/customers/pipeline/funnel/", {"start": "2026-01-01", "end": "2026-12-31"})


def test_the_funnel_api_answers_the_same_figures_scoped(org_tree, funnel_items):
    query = {"start": "2026-01-01", "end": "2026-12-31"}
    body = _api(org_tree, "manager_east1").get("/api/v1/pipeline-funnel", query).json()
    assert body["total"]["items"] == 5 and body["total"]["conversion"] == "20.00"
    assert [stage["reached"] for stage in body["stages"]] == [5, 3, 1]
    assert body["stages"][0]["median_days"] == "5.0"
    assert body["lost_reasons"] == [{"reason": "价格太高", "count": 2}]
    rep = _api(org_tree, "rep_east1a").get("/api/v1/pipeline-funnel", query).json()
    assert rep["total"]["items"] == 3
    bad = _api(org_tree, "director").get(
        "/api/v1/pipeline-funnel", {"start": "2026-12-31", "end": "2026-01-01"}
    )
    assert bad.status_code == 400 and "start" in _field_errors(bad)


def test_a_formula_typed_as_a_reason_is_exported_as_text(org_tree, stages):
    _item(
        org_tree.people["rep_east1a"],
        stages[0],
        sales="1",
        status="lost",
        entered=date(2026, 3, 1),
        reason='=HYPERLINK("http://x")',
    )
    export = org_tree.client("rep_east1a").get(
        "/customers/pipeline/funnel/",
        {"start": "2026-01-01", "end": "2026-12-31", "status": "lost", "format": "csv"},
    )
    assert "'=HYPERLINK" in export.content.decode("utf-8-sig")
