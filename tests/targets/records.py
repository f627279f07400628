"""Records of this area for the scoping matrix (called by the org_records fixture)."""


def add_records(records, org_tree) -> None:
    """Add one record per rep (or per team) of each scoped model, in `records.extra`."""
    add_review_pdca_records(records, org_tree)
    add_plan_records(records, org_tree)


def add_review_pdca_records(records, org_tree) -> None:
    """A quarterly review and a PDCA plan (with a measure, check and problem) per rep, a team
    plan per team, a company plan, a published standard and a manager's draft."""
    from datetime import date

    from salesorg.targets.models import (
        PdcaCheck,
        PdcaMeasure,
        PdcaPlan,
        PdcaProblem,
        QuarterlyReview,
        Standard,
        StandardVersion,
    )

    people = org_tree.people
    reviews, plans = {}, {}
    period = {"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31)}
    for key, rep in people.items():
        if not key.startswith("rep_"):
            continue
        reviews[key] = QuarterlyReview.objects.create(rep=rep, year=2026, quarter=1)
        plans[key] = PdcaPlan.objects.create(
            title=f"PDCA {rep.code}", unit_type="person", person=rep, owner=rep,
            objective="提高回款", **period,
        )  # fmt: skip
    for key, team in org_tree.teams.items():
        plans[f"team_{key}"] = PdcaPlan.objects.create(
            title=f"PDCA {team.code}", unit_type="team", team=team, owner=team.manager,
            objective="新客户", **period,
        )  # fmt: skip
    for key, region in org_tree.regions.items():
        plans[f"region_{key}"] = PdcaPlan.objects.create(
            title=f"PDCA {region.code}", unit_type="region", region=region, owner=region.head,
            objective="毛利", **period,
        )  # fmt: skip
    plans["company"] = PdcaPlan.objects.create(
        title="PDCA company", unit_type="company", owner=people["director"], objective="目标",
        **period,
    )  # fmt: skip
    parts = {}
    for key, plan in plans.items():
        check = PdcaCheck.objects.create(plan=plan, checked_on=date(2026, 2, 1))
        parts[key] = (
            PdcaMeasure.objects.create(plan=plan, what="拜访", due_date=date(2026, 2, 1)),
            check,
            PdcaProblem.objects.create(
                plan=plan, check_record=check, description="回款慢", cause_category="customer",
                cause="账期长",
            ),
        )  # fmt: skip
    published = Standard.objects.create(
        code="STD-1", title="拜访标准", category="sales_process", is_published=True,
        proposed_by=people["director"],
    )  # fmt: skip
    StandardVersion.objects.create(
        standard=published, number=1, body="每天拜访", effective_date=date(2026, 1, 1),
        approved_by=people["director"], proposed_by=people["director"],
    )  # fmt: skip
    draft = Standard.objects.create(
        code="STD-2", title="回款制度", category="customers", proposed_by=people["manager_east1"]
    )
    StandardVersion.objects.create(
        standard=draft, number=1, body="月底前回款", proposed_by=people["manager_east1"]
    )
    records.extra["quarterly_reviews"] = reviews
    records.extra["pdca_plans"] = plans
    records.extra["pdca_parts"] = parts
    records.extra["standards"] = {"published": published, "draft": draft}


def add_plan_records(records, org_tree) -> None:
    """A research note by every leader, a competitor note by every rep on their customer, a
    goal and a plan, an annual target of every person, team, region and the company, and a
    decomposition of every team and region."""
    from datetime import date
    from decimal import Decimal

    from salesorg.targets.models import (
        AnnualTarget,
        CompanyGoal,
        Decomposition,
        ResearchNote,
        SalesPlan,
    )

    people = org_tree.people
    notes = {
        key: ResearchNote.objects.create(
            subject=f"调查{person.code}", observed_on=date(2026, 3, 1), author=person
        )
        for key, person in people.items()
        if key.startswith(("manager_", "head_"))
    }
    for key, person in people.items():  # a rep's competitor note on their own customer
        if key.startswith("rep_"):
            notes[key] = ResearchNote.objects.create(
                kind="competitor",
                subject=f"竞争对手{person.code}",
                observed_on=date(2026, 3, 1),
                author=person,
            )
            notes[key].customers.set([records.customers[key]])
    goal = CompanyGoal.objects.create(
        year=2027, statement="增长", sales_goal=Decimal("100"), gross_margin_goal=Decimal("30")
    )
    plan = SalesPlan.objects.create(year=2027, title="2027年销售计划")
    amount = {"realistic": Decimal("10"), "ideal": Decimal("12"), "metric": "sales"}
    annual = [AnnualTarget.objects.create(plan=plan, owner_type="company", **amount)]
    for key, person in people.items():
        if key.startswith("rep_"):
            annual.append(
                AnnualTarget.objects.create(plan=plan, owner_type="person", person=person, **amount)
            )
    decompositions = [Decomposition.objects.create(plan=plan, owner_type="company")]
    for team in org_tree.teams.values():
        annual.append(
            AnnualTarget.objects.create(plan=plan, owner_type="team", team=team, **amount)
        )
        decompositions.append(Decomposition.objects.create(plan=plan, owner_type="team", team=team))
    for region in org_tree.regions.values():
        annual.append(
            AnnualTarget.objects.create(plan=plan, owner_type="region", region=region, **amount)
        )
        decompositions.append(
            Decomposition.objects.create(plan=plan, owner_type="region", region=region)
        )
    revisions = _add_revisions(plan, org_tree)
    records.extra["research_notes"] = notes
    records.extra["company_goal"] = goal
    records.extra["sales_plan"] = plan
    records.extra["annual_targets"] = annual
    records.extra["decompositions"] = decompositions
    records.extra["revisions"] = revisions


def _add_revisions(plan, org_tree) -> list:
    """A pending revision of every team, region and the company, each with one cell."""
    from decimal import Decimal

    from django.utils import timezone

    from salesorg.targets.models import RevisionCell, TargetRevision

    units = [{"owner_type": "company"}]
    units += [{"owner_type": "team", "team": team} for team in org_tree.teams.values()]
    units += [{"owner_type": "region", "region": region} for region in org_tree.regions.values()]
    revisions = []
    for number, unit in enumerate(units, start=1):
        revision = TargetRevision.objects.create(
            plan=plan,
            number=number,
            reason="调整",
            proposed_by=org_tree.people["director"],
            proposed_at=timezone.now(),
            **unit,
        )
        RevisionCell.objects.create(
            revision=revision, metric="sales", month=0, new_realistic=Decimal("11"),
            new_ideal=Decimal("12"), **unit,
        )  # fmt: skip
        revisions.append(revision)
    return revisions
