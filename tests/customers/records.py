"""Records of this area for the scoping matrix (called by the org_records fixture)."""


def add_records(records, org_tree) -> None:
    """Add one record per rep (or per team) of each scoped model, in `records.extra`."""
    add_care_records(records, org_tree)
    add_credit_records(records, org_tree)


def add_care_records(records, org_tree) -> None:
    """Per rep: a survey, a survey link, a reward and a referral (of a second customer) of the
    rep's customer, in records.extra["surveys"], ["survey_links"], ["rewards"], ["referrals"];
    every customer's lifecycle stage as its orders say (so that saving an order changes no
    stage)."""
    from datetime import date, datetime, timedelta
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from salesorg.customers.models import Referral, Reward, SatisfactionSurvey, SurveyLink
    from salesorg.customers.services.customers import customers_lifecycle_recompute
    from tests.factories import CustomerFactory

    approver = org_tree.people["director"]
    surveys, rewards, referrals, links = {}, {}, {}, {}
    made = datetime(2026, 2, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    for key, customer in records.customers.items():
        suffix = customer.code.removeprefix("CUST-")
        referred = CustomerFactory(
            code=f"CUST-{suffix}-R", name=f"介绍客户{suffix}", owner=customer.owner
        )
        surveys[key] = SatisfactionSurvey.objects.create(
            customer=customer,
            visit=records.visits[key],
            surveyed_on=records.visits[key].visit_date,
            overall=4,
        )
        links[key] = SurveyLink.objects.create(
            customer=customer,
            nonce=f"nonce-{suffix}",
            created_at=made,
            expires_at=made + timedelta(days=14),
        )
        rewards[key] = Reward.objects.create(
            customer=customer,
            kind="gift",
            value=Decimal("0.50"),
            granted_on=date(2026, 2, 1),
            approved_by=approver,
        )
        referrals[key] = Referral.objects.create(
            referrer=customer, referred=referred, referred_on=date(2026, 1, 20)
        )
    customers_lifecycle_recompute()
    for customer in records.customers.values():
        customer.refresh_from_db()
    records.extra["surveys"] = surveys
    records.extra["rewards"] = rewards
    records.extra["referrals"] = referrals
    records.extra["survey_links"] = links


def add_credit_records(records, org_tree) -> None:
    """Per rep: an evaluation of their customer with a downgrade's root cause, an order held
    for credit approval, a proposal and a pipeline item, in records.extra["evaluations"],
    ["root_causes"], ["credit_approvals"], ["proposals"], ["pipeline_items"]."""
    from datetime import date
    from decimal import Decimal

    from salesorg.customers.models import (
        CreditApproval,
        CustomerEvaluation,
        DevelopmentProposal,
        PipelineItem,
        RootCause,
    )
    from salesorg.sales.models import Order

    extra = {
        name: {}
        for name in (
            "evaluations",
            "root_causes",
            "credit_approvals",
            "proposals",
            "pipeline_items",
        )
    }
    for key, customer in records.customers.items():
        rep = customer.owner
        evaluation = CustomerEvaluation.objects.create(
            customer=customer,
            as_of=date(2026, 6, 30),
            score=Decimal("50.0"),
            rating="B",
            previous_rating="A",
            suggested_credit_limit=Decimal("100.00"),
        )
        extra["evaluations"][key] = evaluation
        extra["root_causes"][key] = RootCause.objects.create(
            evaluation=evaluation,
            customer=customer,
            owner=rep,
            reviewer=rep.manager,
            from_rating="A",
            to_rating="B",
        )
        held = Order.objects.create(
            code=f"{records.orders[key].code}-H",
            customer=customer,
            rep=rep,
            order_date=date(2026, 6, 30),
            status="awaiting_credit",
        )
        extra["credit_approvals"][key] = CreditApproval.objects.create(
            order=held,
            reasons="limit",
            order_amount=Decimal("10.00"),
            open_receivables=Decimal("60.00"),
            overdue_over_90=Decimal("0"),
            credit_limit=Decimal("50.00"),
        )
        proposal = DevelopmentProposal.objects.create(
            rep=rep,
            prospect_name=f"潜在客户{rep.code}",
            market_analysis="m",
            competitor_analysis="c",
            planned_approach="p",
            expected_sales=Decimal("1000.00"),
            expected_margin=Decimal("200.00"),
            status="approved",
        )
        extra["proposals"][key] = proposal
        extra["pipeline_items"][key] = PipelineItem.objects.create(
            proposal=proposal, rep=rep, name=proposal.prospect_name
        )
    records.extra.update(extra)
