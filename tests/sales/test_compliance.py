"""The checklist compliance report (S2): required steps skipped by rep, team and reason,
scoped, drillable to the visits, exported, within a query budget."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from salesorg.sales import services
from salesorg.sales.models import Visit, VisitPurpose
from salesorg.sales.selectors.compliance import compliance_period, compliance_report
from salesorg.sales.services.purposes import StepData, purpose_save
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

JANUARY = {"from": "2026-01-01", "to": "2026-01-31"}


@pytest.fixture
def purpose(org_tree) -> VisitPurpose:
    return purpose_save(
        purpose=VisitPurpose(code="COLLECT", name="回款跟进"),
        steps=[
            StepData(text="核对应收"),
            StepData(text="确认付款"),
            StepData("问候", required=False),
        ],
        actor=org_tree.user("director"),
    )


def _visit(purpose, rep, *, skipped=(), day=date(2026, 1, 10)) -> Visit:
    """A visit of `rep` answering the checklist; `skipped` maps step text → reason."""
    skipped = dict(skipped)
    checks = [
        services.StepCheck(
            step_id=step.pk, done=step.text not in skipped, skip_reason=skipped.get(step.text, "")
        )
        for step in purpose.steps.all()
    ]
    visit = Visit(
        rep=rep, customer=CustomerFactory(owner=rep), visit_date=day, purpose_type=purpose
    )
    return services.visit_save(visit=visit, checklist=checks, actor=rep.user)


@pytest.fixture
def january(org_tree, purpose):
    """east1a: 3 visits, 2 skipping (3 required steps, reasons 客户不在 ×2 and 时间不够);
    east1b: 1 compliant visit; north1a: 1 visit skipping one; one February visit skipping."""
    people = org_tree.people
    a = people["rep_east1a"]
    _visit(purpose, a, skipped={"核对应收": "客户不在", "确认付款": "客户不在"})
    _visit(
        purpose, a, skipped={"核对应收": "时间不够", "问候": "忘了"}
    )  # optional step: not counted
    _visit(purpose, a)
    _visit(purpose, people["rep_east1b"])
    _visit(purpose, people["rep_north1a"], skipped={"确认付款": "财务休假"})
    _visit(purpose, a, skipped={"核对应收": "二月的"}, day=date(2026, 2, 3))
    Visit.objects.create(  # no purpose: not a visit with a checklist
        code="V-FREE", rep=a, customer=CustomerFactory(owner=a), visit_date=date(2026, 1, 12)
    )


def _row(report, code):
    return next(row for row in report.reps if row.rep.code == code)


def test_the_report_counts_skipped_required_steps_by_rep_team_and_reason(org_tree, january):
    report = compliance_report(
        user=org_tree.user("director"), date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
    )
    a = _row(report, "REP-east1a")
    assert (a.visits, a.visits_skipping, a.steps_skipped) == (3, 2, 3)
    assert a.top_reasons == [("客户不在", 2), ("时间不够", 1)]
    assert a.compliance_percent == Decimal("33.33")
    assert (_row(report, "REP-east1b").visits_skipping, _row(report, "REP-east1b").visits) == (0, 1)
    east1 = next(row for row in report.teams if row.team.code == "EAST1")
    assert (east1.visits, east1.visits_skipping, east1.steps_skipped) == (4, 2, 3)
    assert (report.total.visits, report.total.visits_skipping, report.total.steps_skipped) == (
        5,
        3,
        4,
    )
    assert dict(report.total.top_reasons)["财务休假"] == 1


@pytest.mark.parametrize(
    ("key", "reps"),
    [
        ("rep_east1a", {"REP-east1a"}),
        ("manager_east1", {"REP-east1a", "REP-east1b"}),
        ("head_north", {"REP-north1a"}),
        ("director", {"REP-east1a", "REP-east1b", "REP-north1a"}),
    ],
)
def test_the_report_is_scoped(org_tree, january, key, reps):
    page = org_tree.client(key).get("/sales/visits/compliance/", JANUARY)
    assert page.status_code == 200
    shown = {row.rep.code for row in page.context["report"].reps}
    assert shown == reps


def test_finance_and_trainers_do_not_read_it(org_tree):
    for key in ("finance", "trainer"):
        assert org_tree.client(key).get("/sales/visits/compliance/").status_code == 403
        assert org_tree.client(key).get("/sales/visits/compliance/skipped/").status_code == 403


def test_drilling_to_the_visits_behind_a_figure(org_tree, january):
    client = org_tree.client("manager_east1")
    a = org_tree.people["rep_east1a"]
    page = client.get("/sales/visits/compliance/skipped/", {**JANUARY, "rep": a.pk})
    steps = list(page.context["page"])
    assert sorted((s.text, s.skip_reason) for s in steps) == [
        ("核对应收", "客户不在"),
        ("核对应收", "时间不够"),
        ("确认付款", "客户不在"),
    ]
    assert steps[0].visit.get_absolute_url() in page.content.decode()
    by_reason = client.get("/sales/visits/compliance/skipped/", {**JANUARY, "reason": "客户不在"})
    assert len(by_reason.context["page"]) == 2
    team = client.get(
        "/sales/visits/compliance/skipped/", {**JANUARY, "team": org_tree.teams["east1"].pk}
    )
    assert len(team.context["page"]) == 3
    # another team's rep drilled by a manager: nothing shown
    north = org_tree.people["rep_north1a"]
    hidden = client.get("/sales/visits/compliance/skipped/", {**JANUARY, "rep": north.pk})
    assert len(hidden.context["page"]) == 0


def test_the_report_and_its_visits_export_as_csv_and_excel(org_tree, january):
    client = org_tree.client("director")
    csv = client.get("/sales/visits/compliance/", {**JANUARY, "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert "REP-east1a" in text and "客户不在 (2)" in text and "33.33" in text
    xlsx = client.get("/sales/visits/compliance/", {**JANUARY, "format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"') and xlsx.content[:2] == b"PK"
    skipped = client.get("/sales/visits/compliance/skipped/", {**JANUARY, "format": "csv"})
    assert skipped.content.decode("utf-8-sig").count("\n") == 1 + 4


def test_a_named_period_is_chosen_and_dates_override_it():
    today = date(2026, 5, 20)
    assert compliance_period(key="last_month", today=today) == (date(2026, 4, 1), date(2026, 4, 30))
    assert compliance_period(key="last_quarter", today=today) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    assert compliance_period(key="this_quarter", today=date(2026, 12, 1)) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert compliance_period(key="nonsense", today=today) == (date(2026, 5, 1), date(2026, 5, 31))


def test_the_report_has_a_fixed_query_budget(org_tree, purpose, django_assert_max_num_queries):
    def count_queries():
        client = org_tree.client("director")
        with django_assert_max_num_queries(16) as captured:
            client.get("/sales/visits/compliance/", JANUARY)
        return len(captured.captured_queries)

    _visit(purpose, org_tree.people["rep_east1a"], skipped={"核对应收": "客户不在"})
    few = count_queries()
    for key in ("rep_east2a", "rep_north1a", "rep_north2b", "rep_east1b"):
        _visit(purpose, org_tree.people[key], skipped={"确认付款": f"{key} 没空"})
    assert count_queries() == few


def test_the_api_gives_the_report_in_the_callers_scope(org_tree, january):
    params = {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    body = org_tree.client("manager_east1").get("/api/v1/visit-compliance", params).json()
    reps = {row["rep_id"]: row for row in body["reps"]}
    a = org_tree.people["rep_east1a"]
    assert set(reps) == {a.pk, org_tree.people["rep_east1b"].pk}
    assert (reps[a.pk]["visits"], reps[a.pk]["visits_skipping"]) == (3, 2)
    assert reps[a.pk]["reasons"][0] == {"reason": "客户不在", "count": 2}
    assert body["total"]["steps_skipped"] == 3
    bad = org_tree.client("director").get(
        "/api/v1/visit-compliance", {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert bad.status_code == 400 and "date_to" in bad.content.decode()
    refused = org_tree.client("finance").get("/api/v1/visit-compliance", params)
    assert refused.status_code == 403


def test_a_running_period_is_marked_as_running(org_tree, monkeypatch):
    """This month has not ended: the report says it counts up to today."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 6))
    client = org_tree.client("director")
    running = client.get("/sales/visits/compliance/").content.decode()
    assert 'id="compliance-running"' in running and "2026-12-06" in running
    ended = client.get("/sales/visits/compliance/", {"period": "last_month"}).content.decode()
    assert 'id="compliance-running"' not in ended
