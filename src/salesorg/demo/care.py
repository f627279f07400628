"""Demo data of customer care: lifecycle stages, stakeholder profiles, rewards within each
customer's budget, referrals, satisfaction surveys for many visits, one key stakeholder
who left (with the owner's follow-up task), and one customer whose decision chain moved: a
key supporter turned opponent, the old decision maker stepped back and a new one arrived,
each change in the contact's history with the owner's follow-up."""

from __future__ import annotations

import copy
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from salesorg.core.money import sum_cents
from salesorg.core.record_codes import record_code_new
from salesorg.core.roles import Role
from salesorg.customers.choices import (
    Attitude,
    ContactRole,
    ContactStatus,
    LifecycleStage,
    RewardKind,
)
from salesorg.customers.models import (
    CareSettings,
    Contact,
    Customer,
    Referral,
    Reward,
    SatisfactionSurvey,
)
from salesorg.customers.selectors.care import budget_window_start
from salesorg.customers.services.customers import (
    customers_lifecycle_recompute,
    stakeholder_follow_up,
)
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import OrderLine, Visit

BATCH = 2000
NEEDS = (
    "交货周期短，能随时补货",
    "价格有竞争力，年度返利",
    "技术培训和上门服务",
    "付款账期延长到60天",
    "产品质量稳定，减少退货",
    "专人对接，响应快",
)
RESPONSES = (
    "按标准政策给予季度返利",
    "安排季度技术培训",
    "优先排产，保证两周内交货",
    "账期按信用评级执行，最长45天",
    "指定客服专员，24小时内响应",
)
ATTITUDES = (
    Attitude.CHAMPION,
    Attitude.SUPPORTER,
    Attitude.SUPPORTER,
    Attitude.NEUTRAL,
    Attitude.NEUTRAL,
    Attitude.SKEPTIC,
    Attitude.OPPONENT,
)
SURVEY_COMMENTS = ("", "", "服务及时", "交货准时", "价格偏高", "希望多上门培训", "很满意")


def demo_care_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the customer-care demo records; return counts by kind."""
    rng = random.Random(seed * 7919 + 16)
    CareSettings.current()
    customers_lifecycle_recompute(as_of=today)
    counts = {"stakeholder profiles": _stakeholders(rng)}
    counts["rewards"] = _rewards(rng, today)
    counts["referrals"] = _referrals(rng, today)
    counts["satisfaction surveys"] = _surveys(rng, today)
    counts["stakeholder follow-ups"] = _key_stakeholder_left(company, today)
    counts["decision chain follow-ups"] = _decision_chain_moved(company, today)
    return counts


def _stakeholders(rng: random.Random) -> int:
    contacts = list(Contact.objects.order_by("pk").only("pk", "role"))
    for contact in contacts:
        key = contact.role == ContactRole.DECISION_MAKER
        contact.influence = rng.choice((4, 5, 5)) if key else rng.choice((1, 2, 3, 3, 4))
        contact.attitude = rng.choice(ATTITUDES)
        contact.needs = rng.choice(NEEDS)
        contact.response = rng.choice(RESPONSES)
    Contact.objects.bulk_update(
        contacts, ["influence", "attitude", "needs", "response"], batch_size=BATCH
    )
    return len(contacts)


def _at(day: date, hour: int) -> datetime:
    """A moment of a demo day, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _rewards(rng: random.Random, today: date) -> int:
    share = CareSettings.current().reward_share_percent
    start = budget_window_start(today)
    margins = (
        OrderLine.objects.filter(
            order__status=OrderStatus.CONFIRMED,
            order__order_date__gte=start,
            order__order_date__lte=today,
            order__customer__lifecycle_stage=LifecycleStage.ESTABLISHED,
        )
        .values(
            "order__customer_id",
            "order__customer__owner__manager_id",
            "order__customer__owner__manager__manager_id",
        )
        .annotate(amount=sum_cents("amount"), cost=sum_cents("cost"))
        .order_by("order__customer_id")
    )
    rewards = []
    span = (today - start).days
    for row in margins:
        manager_id = row["order__customer__owner__manager_id"]
        if manager_id is None or rng.random() > 0.35:
            continue
        funded = (Decimal(row["amount"] - row["cost"]) / 100 * share / 100).quantize(
            Decimal("0.01"), rounding=ROUND_DOWN
        )
        value = (funded * Decimal(rng.choice((30, 50, 70, 90))) / 100).quantize(
            Decimal("0.01"), rounding=ROUND_DOWN
        )
        if value <= 0:
            continue
        granted_on = start + timedelta(days=rng.randint(0, span))
        # Recorded by the owner's manager, approved by the region head above them a day or two
        # later with their own login (S16); those of the last fortnight still await approval.
        approver_id = row["order__customer__owner__manager__manager_id"]
        approved = approver_id is not None and granted_on < today - timedelta(days=14)
        approved_on = granted_on + timedelta(days=rng.randint(1, 2))
        rewards.append(
            Reward(
                customer_id=row["order__customer_id"],
                kind=rng.choice(RewardKind.values),
                value=value,
                granted_on=granted_on,
                created_by_id=manager_id,
                approved_by_id=approver_id if approved else None,
                approved_at=_at(approved_on, 10) if approved else None,
                note=rng.choice(("", "年度客户答谢", "推荐新客户奖励", "中秋礼品")),
            )
        )
    Reward.objects.bulk_create(rewards, batch_size=BATCH)
    return len(rewards)


def _referrals(rng: random.Random, today: date) -> int:
    by_owner: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = Customer.objects.order_by("pk").values_list("pk", "owner_id", "lifecycle_stage")
    for pk, owner_id, stage in rows:
        by_owner[owner_id][stage].append(pk)
    referrals = []
    for owner_id in sorted(by_owner):
        stages = by_owner[owner_id]
        referrers = stages[LifecycleStage.ESTABLISHED]
        newcomers = stages[LifecycleStage.NEW] + stages[LifecycleStage.PROSPECT]
        if not referrers or not newcomers:
            continue
        for referred in newcomers:
            if rng.random() < 0.3:
                referrals.append(
                    Referral(
                        referrer_id=rng.choice(referrers),
                        referred_id=referred,
                        referred_on=today - timedelta(days=rng.randint(30, 300)),
                        note=rng.choice(("", "老客户介绍", "行业协会会议上推荐")),
                    )
                )
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    return len(referrals)


def _surveys(rng: random.Random, today: date) -> int:
    visits = (
        Visit.objects.filter(visit_date__gt=today - timedelta(days=365), visit_date__lte=today)
        .order_by("pk")
        .values_list("pk", "customer_id", "visit_date", "rep_id")
    )
    surveys = []
    for pk, customer_id, visit_date, rep_id in visits.iterator(chunk_size=BATCH):
        if rng.random() < 0.4:
            surveys.append(
                SatisfactionSurvey(
                    customer_id=customer_id,
                    visit_id=pk,
                    surveyed_on=visit_date,
                    overall=rng.choice((3, 4, 4, 4, 5, 5, 5, 2)),
                    comment=rng.choice(SURVEY_COMMENTS),
                    recorded_by_id=rep_id,
                )
            )
    SatisfactionSurvey.objects.bulk_create(surveys, batch_size=BATCH)
    return len(surveys)


def _key_stakeholder_left(company, today: date) -> int:
    """The decision maker of a demo rep's customer left last week: the rep has a task."""
    rep_ids = [p.pk for p in company.logins if p.role == Role.REP] or [
        p.pk for p in company.people if p.role == Role.REP
    ]
    contact = (
        Contact.objects.filter(
            Q(role=ContactRole.DECISION_MAKER) | Q(influence__gte=4),
            customer__owner_id__in=rep_ids,
            status=ContactStatus.ACTIVE,
        )
        .select_related("customer")
        .order_by("customer__owner_id", "pk")
        .first()
    )
    if contact is None:
        return 0
    previous = copy.copy(contact)
    contact.status = ContactStatus.LEFT
    contact.left_on = today - timedelta(days=3)
    contact.save(update_fields=["status", "left_on"])
    return 1 if stakeholder_follow_up(contact=contact, previous=previous, today=today) else 0


def _demo_rep_ids(company) -> list[int]:
    return [p.pk for p in company.logins if p.role == Role.REP] or [
        p.pk for p in company.people if p.role == Role.REP
    ]


def _decision_chain_moved(company, today: date) -> int:
    """A demo rep's customer whose decision chain moved (S18): 60 days ago the profiles were
    recorded; 21 days ago a key supporter turned opponent; 10 days ago the decision maker
    stepped back to influencer and the next day a new decision maker arrived. Each change
    is in the contact's history by the rep, and gave the rep a follow-up."""
    customer = (
        Customer.objects.filter(owner_id__in=_demo_rep_ids(company))
        .exclude(contacts__status__in=(ContactStatus.LEFT, ContactStatus.REPLACED))
        .annotate(contact_count=Count("contacts"))
        .filter(contact_count__gte=2)
        .select_related("owner__user")
        .order_by("owner_id", "pk")
        .first()
    )
    if customer is None:
        return 0
    user = getattr(customer.owner, "user", None)
    contacts = sorted(
        customer.contacts.order_by("pk"), key=lambda c: c.role != ContactRole.DECISION_MAKER
    )
    old_maker, supporter = contacts[:2]
    profiles = (
        (old_maker, ContactRole.DECISION_MAKER, 5, Attitude.CHAMPION),
        (supporter, ContactRole.INFLUENCER, 4, Attitude.SUPPORTER),
    )
    for contact, role, influence, attitude in profiles:
        contact.role, contact.influence, contact.attitude = role, influence, attitude
        _chain_save(contact, None, day=today - timedelta(days=60), user=user, today=today)
    follow_ups = _chain_save(
        supporter,
        {"attitude": Attitude.OPPONENT},
        day=today - timedelta(days=21),
        user=user,
        today=today,
    )
    follow_ups += _chain_save(
        old_maker,
        {"role": ContactRole.INFLUENCER, "influence": 3},
        day=today - timedelta(days=10),
        user=user,
        today=today,
    )
    newcomer = Contact(
        code=record_code_new(Contact, day=today - timedelta(days=9)),
        customer=customer,
        name="韩立新",
        title="新任总经理",
        role=ContactRole.DECISION_MAKER,
        influence=5,
        attitude=Attitude.NEUTRAL,
        needs="重新评估供应商，关注总体成本",
    )
    return follow_ups + _chain_save(
        newcomer, {}, day=today - timedelta(days=9), user=user, today=today, created=True
    )


def _chain_save(contact, changes, *, day: date, user, today: date, created: bool = False) -> int:
    """Save a change as the rep did on `day` (its history row dated then, by them) and give
    the follow-up the change calls for; `changes` None records a profile without one."""
    previous = None if created else copy.copy(contact)
    for name, value in (changes or {}).items():
        setattr(contact, name, value)
    contact.save()
    record = contact.history.order_by("-history_id").first()
    moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
    type(record).objects.filter(pk=record.pk).update(history_date=moment, history_user=user)
    if changes is None:
        return 0
    follow_up = stakeholder_follow_up(contact=contact, previous=previous, today=day)
    return 1 if follow_up else 0
