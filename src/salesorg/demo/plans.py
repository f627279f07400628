"""Demo planning data: research notes, goals, this year's published plan with its revisions
and next year's draft.

This year's plan is published, so it adds up everywhere as a published plan must
(`plan_publish` refuses any mismatch): the people's monthly targets are those the sales
demo made; every team, region and the company gets monthly rows that are the sums of its
units (realistic and ideal apart); every unit's annual target is the sum of its months.
The published plan then changed once by a revision that the demo manager proposed and the
region head approved (part of a month's sales target moved between two of the manager's
people, and back the month after), and a second such revision awaits the head's decision.
Next year's draft plan carries annual sales targets split top-down by this year's shares,
exactly, except in one team, whose members were given more than the team: the grid flags
it, and every unit still has its months to split.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Person
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import from_units, split_by_weights, to_units
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    PlanStatus,
    ResearchKind,
    ResearchNote,
    SalesPlan,
    Target,
)
from salesorg.targets.selectors.plans import plan_org, plan_values
from salesorg.targets.services.grid import grid_save
from salesorg.targets.services.revisions import revision_approve
from salesorg.targets.units import COMPANY, PlanOrg, Unit

COMPETITORS = ("华远工业", "东信工具", "联合五金", "恒达机电")
PRODUCTS = ("气动扳手", "工业润滑油", "安全手套", "精密量具", "切削刀具")
SOURCES = ("客户访谈", "行业展会", "经销商反馈", "招标公告", "公司官网")
MARKET_SUBJECTS = (
    "华东制造业客户扩产计划",
    "汽配行业采购集中化趋势",
    "中小客户对账期的要求",
    "新能源客户的安全用品需求",
)
GROWTH = Decimal("1.10")
APPROVED_REASON = "客户把下月订单提前到本月，调整两人当月与下月的目标，合计不变。"
PENDING_REASON = "新客户的首单预计提前一个月，申请再调整一次。"


def _owner_fields(unit: Unit) -> dict:
    fields = {"owner_type": unit.owner_type}
    if unit != COMPANY:
        fields[f"{unit.owner_type}_id"] = unit.id
    return fields


def demo_plans_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the planning chain of the demo company; return counts by kind."""
    rng = random.Random(seed * 7919 + 41)
    people = list(Person.objects.filter(pk__in=[p.pk for p in company.people]))
    director = next((p for p in people if p.role == Role.DIRECTOR), None)
    authors = [p for p in people if p.role in (Role.DIRECTOR, Role.REGION_HEAD, Role.MANAGER)]
    notes = _research_notes(rng=rng, company=company, authors=authors or [director], today=today)
    goals, plans = [], []
    for year in (today.year, today.year + 1):
        goal = CompanyGoal.objects.create(
            year=year,
            statement=f"{year}年销售额增长10%，毛利率保持在30%以上，重点开发新能源和汽配行业客户。",
            sales_goal=Decimal("0"),
            gross_margin_goal=Decimal("0"),
            created_by=director,
        )
        goal.research_notes.set(notes[: len(notes) // 2 + 1])
        goals.append(goal)
        plan = SalesPlan.objects.create(
            year=year,
            title=f"{year}年销售计划",
            strategy="1. 巩固老客户，提高客户广度；\n2. 开发新能源、汽配行业新客户；\n"
            "3. 提高应收账款回收率；\n4. 重点品类占比提高到40%。",
        )
        plan.research_notes.set(notes[len(notes) // 3 :])
        plans.append(plan)
    this_year, next_year = plans
    _units_add_up(year=today.year, org=plan_org(on=today))
    annual = _this_year_annual(plan=this_year)
    this_year.status = PlanStatus.PUBLISHED
    this_year.published_by = director
    this_year.published_at = timezone.make_aware(datetime.combine(date(today.year, 1, 5), time(9)))
    this_year.save()
    annual += _next_year_draft(plan=next_year, previous=annual, rng=rng)
    _goal_amounts(goals=goals, annual=annual)
    revisions = _revisions(plan=this_year, company=company, today=today)
    return {
        "research notes": len(notes),
        "company goals": len(goals),
        "sales plans": len(plans),
        "target revisions": revisions,
        "annual targets": len(annual),
        # This year's unit rows were replaced by the sums of their units: the final count.
        "targets": Target.objects.count(),
    }


def _research_notes(*, rng, company, authors, today) -> list[ResearchNote]:
    notes = []
    for number in range(12):
        competitor = number % 3 != 0
        note = ResearchNote.objects.create(
            kind=ResearchKind.COMPETITOR if competitor else ResearchKind.MARKET,
            subject=(
                f"{rng.choice(COMPETITORS)}{rng.choice(PRODUCTS)}降价"
                if competitor
                else MARKET_SUBJECTS[number % len(MARKET_SUBJECTS)]
            ),
            competitor=rng.choice(COMPETITORS) if competitor else "",
            product=rng.choice(PRODUCTS) if competitor else "",
            price=Decimal(rng.randrange(80, 2000)) if competitor else None,
            source=rng.choice(SOURCES),
            observed_on=date(today.year - 1, 1 + number % 12, 1 + rng.randrange(27)),
            notes="对手在部分客户处报价低于我方5%-10%，但交货期较长。" if competitor else "",
            author=authors[number % len(authors)],
        )
        note.regions.set(rng.sample(company.regions, k=min(len(company.regions), 1 + number % 2)))
        notes.append(note)
    return notes


def _units_add_up(*, year: int, org: PlanOrg) -> None:
    """Give every team, region and the company monthly targets of `year` that are the sums
    of its units' (people's rows as made), replacing any unit rows that did not add up."""
    own: dict[tuple[Unit, str, int], list[int]] = {}
    rows = Target.objects.filter(year=year, owner_type=OwnerType.PERSON).values_list(
        "person_id", "metric", "month", "realistic", "ideal"
    )
    for person_id, metric, month, realistic, ideal in rows.order_by():
        own[(Unit(OwnerType.PERSON, person_id), metric, month)] = [
            to_units(value=realistic, metric=metric),
            to_units(value=ideal, metric=metric),
        ]
    metrics = sorted({metric for _unit, metric, _month in own})
    sums: dict[tuple[Unit, str, int], list[int]] = {}

    def total(unit: Unit, metric: str, month: int) -> list[int] | None:
        if unit.owner_type == OwnerType.PERSON:
            return own.get((unit, metric, month))
        key = (unit, metric, month)
        if key not in sums:
            parts = [total(child, metric, month) for child in org.children.get(unit, [])]
            parts = [part for part in parts if part is not None]
            sums[key] = [sum(p[0] for p in parts), sum(p[1] for p in parts)] if parts else None
        return sums[key]

    for unit in org.units():
        for metric in metrics:
            for month in range(1, 13):
                total(unit, metric, month)
    Target.objects.filter(year=year).exclude(owner_type=OwnerType.PERSON).delete()
    Target.objects.bulk_create(
        Target(
            year=year,
            month=month,
            metric=metric,
            realistic=from_units(units=pair[0], metric=metric),
            ideal=from_units(units=pair[1], metric=metric),
            **_owner_fields(unit),
        )
        for (unit, metric, month), pair in sums.items()
        if pair is not None
    )


def _this_year_annual(*, plan: SalesPlan) -> list[AnnualTarget]:
    """Annual targets of every unit with monthly rows: the sum of its own months."""
    sums: dict[tuple[Unit, str], list[int]] = {}
    rows = Target.objects.filter(year=plan.year).values_list(
        "owner_type", "person_id", "team_id", "region_id", "metric", "realistic", "ideal"
    )
    for owner_type, person_id, team_id, region_id, metric, realistic, ideal in rows.order_by():
        unit = (
            COMPANY
            if owner_type == OwnerType.COMPANY
            else Unit(owner_type, person_id or team_id or region_id)
        )
        total = sums.setdefault((unit, metric), [0, 0])
        total[0] += to_units(value=realistic, metric=metric)
        total[1] += to_units(value=ideal, metric=metric)
    annual = [
        AnnualTarget(
            plan=plan,
            metric=metric,
            realistic=from_units(units=realistic, metric=metric),
            ideal=from_units(units=ideal, metric=metric),
            **_owner_fields(unit),
        )
        for (unit, metric), (realistic, ideal) in sorted(
            sums.items(), key=lambda item: (item[0][0].owner_type, item[0][0].id or 0, item[0][1])
        )
    ]
    return AnnualTarget.objects.bulk_create(annual)


def _next_year_draft(*, plan: SalesPlan, previous: list[AnnualTarget], rng) -> list[AnnualTarget]:
    """Next year's sales targets, split top-down by this year's shares, one team off."""
    org = plan_org()
    last = {
        (Unit(row.owner_type, row.person_id or row.team_id or row.region_id)
         if row.owner_type != OwnerType.COMPANY else COMPANY): row.realistic
        for row in previous
        if row.metric == Metric.SALES
    }  # fmt: skip

    def weight(unit: Unit) -> int:
        own = last.get(unit)
        if own is not None:
            return to_units(value=own, metric=Metric.SALES)
        return sum(weight(child) for child in org.children.get(unit, []))

    company_total = to_units(
        value=(Decimal(weight(COMPANY)) / 100 * GROWTH).quantize(Decimal("10000")),
        metric=Metric.SALES,
    )
    values: dict[Unit, list[int]] = {COMPANY: [company_total, company_total * 15 // 100]}
    for unit in org.units():
        children = org.children.get(unit, [])
        if children:
            weights = [weight(child) for child in children]
            realistic = split_by_weights(total=values[unit][0], weights=weights)
            stretch = split_by_weights(total=values[unit][1], weights=weights)
            for child, r, s in zip(children, realistic, stretch, strict=True):
                values[child] = [r, s]
    off_team = next(
        (unit for unit in org.units() if unit.owner_type == OwnerType.TEAM and org.children[unit]),
        None,
    )
    if off_team is not None:
        member = org.children[off_team][-1]
        values[member][0] += 1_000_000  # ¥10,000 more than the team was given
    annual = [
        AnnualTarget(
            plan=plan,
            metric=Metric.SALES,
            realistic=from_units(units=realistic, metric=Metric.SALES),
            ideal=from_units(units=realistic + stretch, metric=Metric.SALES),
            **_owner_fields(unit),
        )
        for unit, (realistic, stretch) in values.items()
    ]
    return AnnualTarget.objects.bulk_create(annual)


def _goal_amounts(*, goals: list[CompanyGoal], annual: list[AnnualTarget]) -> None:
    """Each year's goal states the company's annual sales and margin targets."""
    for goal in goals:
        company = {
            row.metric: row.realistic
            for row in annual
            if row.plan.year == goal.year and row.owner_type == OwnerType.COMPANY
        }
        goal.sales_goal = company.get(Metric.SALES, Decimal("0"))
        goal.gross_margin_goal = company.get(
            Metric.GROSS_MARGIN, (goal.sales_goal * Decimal("0.3")).quantize(Decimal("0.01"))
        )
        goal.save()


def _login_of(person: Person):
    """The person's login, or a temporary unsaved one that carries the person."""
    if person.user_id:
        return person.user
    user = get_user_model()(username=person.code, is_active=True)
    user._salesorg_person = person
    return user


def _swap_cells(*, plan: SalesPlan, pair: tuple[Unit, Unit], month: int, amount: Decimal):
    """Grid cells moving `amount` of `month` from the second unit to the first, and of the
    month after back (realistic and ideal alike): every sum stays as it was."""
    values = plan_values(plan=plan, metrics=(Metric.SALES,), user=SYSTEM)
    cells = {}
    for unit, sign in ((pair[0], 1), (pair[1], -1)):
        for each_month, each_sign in ((month, sign), (month + 1, -sign)):
            saved = values.month(unit, Metric.SALES, each_month)
            if saved is None:
                return None
            realistic, ideal = (from_units(units=v, metric=Metric.SALES) for v in saved)
            cells[(unit, each_month)] = (
                realistic + each_sign * amount,
                ideal + each_sign * amount,
            )
    if any(realistic < 0 for realistic, _ideal in cells.values()):
        return None
    return cells


def _revisions(*, plan: SalesPlan, company, today: date) -> int:
    """The demo manager's two revisions of this year's plan: one approved by the head of
    the team's region, one awaiting that decision; returns how many were made."""
    manager = next((p for p in company.logins if p.role == Role.MANAGER), None)
    org = plan_org(on=today)
    team = next(
        (
            unit
            for unit, leader in org.leaders.items()
            if manager is not None
            and leader == manager.pk
            and unit.owner_type == OwnerType.TEAM
            and len(org.children.get(unit, [])) >= 2
        ),
        None,
    )
    head = Person.objects.filter(pk=org.leaders.get(org.parent.get(team))).first()
    if team is None or head is None:
        return 0
    pair = (org.children[team][-2], org.children[team][-1])
    month = min(today.month + 1, 11)
    made = 0
    for amount, reason in ((Decimal("2000"), APPROVED_REASON), (Decimal("1000"), PENDING_REASON)):
        cells = _swap_cells(plan=plan, pair=pair, month=month, amount=amount)
        if cells is None:
            break
        revision = grid_save(
            plan=plan, metric=Metric.SALES, parent=team, cells=cells,
            actor=_login_of(manager), reason=reason,
        ).revision  # fmt: skip
        if revision is None:
            break
        made += 1
        if made == 1:
            revision_approve(revision=revision, actor=_login_of(head))
    return made
