"""Demo follow-ups (跟进): the demo rep's own on their customers, visits and contacts (one
overdue, one due today, one whose reminder day has come, one later and one done), and a few
the demo manager gave the reps of their team, one of them overdue."""

from __future__ import annotations

import random
from datetime import date, timedelta

from salesorg.core.roles import Role
from salesorg.core.scoping import scope_for
from salesorg.customers.choices import ContactStatus
from salesorg.customers.models import Contact, Customer
from salesorg.org.models import Person
from salesorg.sales.models import Visit
from salesorg.targets.choices import ActionStatus
from salesorg.work.actions import action_item_set_status, follow_up_create

CUSTOMER_STEPS = (
    "确认下季度订货计划",
    "跟进逾期应收款",
    "寄送新品样品",
    "约采购经理谈年度返利",
    "回访使用情况，收集反馈",
)
VISIT_STEPS = ("按拜访约定发送报价单", "安排技术人员上门演示", "整理会谈纪要发给客户")
CONTACT_STEPS = ("电话确认{name}的采购时间", "给{name}送技术资料", "约{name}参观工厂")
DAY = timedelta(days=1)


def demo_follow_ups_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the demo follow-ups; return their count."""
    rng = random.Random(seed * 7919 + 23)
    logins = {}
    for person in company.logins:  # the first of each role: the training demo adds a new hire
        logins.setdefault(person.role, person)
    count = 0
    rep = logins.get(Role.REP)
    if rep is not None:
        count += _own_follow_ups(rng, rep=rep, today=today)
    manager = logins.get(Role.MANAGER)
    if manager is not None:
        count += _team_follow_ups(rng, manager=manager, today=today)
    return {"follow-ups": count}


def _own_follow_ups(rng: random.Random, *, rep: Person, today: date) -> int:
    """The rep's own: overdue, due today, reminded, later and done (as many as records allow)."""
    customers = list(Customer.objects.filter(owner=rep).order_by("code")[:4])
    visit = Visit.objects.filter(rep=rep, visit_date__lte=today).order_by("-visit_date", "-id")
    contact = (
        Contact.objects.filter(customer__owner=rep, status=ContactStatus.ACTIVE)
        .order_by("code")
        .first()
    )
    plan = []  # (source, title, due, remind_on, set on)
    if customers:
        plan.append((customers[0], rng.choice(CUSTOMER_STEPS), today - 3 * DAY, None, 10))
    latest = visit.first()
    if latest is not None:
        plan.append((latest, rng.choice(VISIT_STEPS), today, None, 2))
    if contact is not None:
        title = rng.choice(CONTACT_STEPS).format(name=contact.name)
        plan.append((contact, title, today + 4 * DAY, today - DAY, 5))
    if len(customers) > 1:
        plan.append(
            (customers[1], rng.choice(CUSTOMER_STEPS), today + 12 * DAY, today + 9 * DAY, 1)
        )
    for source, title, due, remind_on, days_ago in plan:
        follow_up_create(
            actor=rep.user,
            source=source,
            title=title,
            due_date=due,
            remind_on=remind_on,
            today=today - days_ago * DAY,
        )
    if len(customers) > 2:
        done = follow_up_create(
            actor=rep.user,
            source=customers[2],
            title=rng.choice(CUSTOMER_STEPS),
            due_date=today - 6 * DAY,
            today=today - 14 * DAY,
        )
        action_item_set_status(item=done, status=ActionStatus.DONE, actor=rep.user, result="已完成")
        return len(plan) + 1
    return len(plan)


def _team_follow_ups(rng: random.Random, *, manager: Person, today: date) -> int:
    """Follow-ups the manager gave three reps of their team on their customers."""
    people = scope_for(manager.user).person_ids - {manager.pk}
    reps = Person.objects.filter(pk__in=people, role=Role.REP, leave_date__isnull=True)
    count = 0
    for rep in reps.order_by("code"):  # the first three with customers (not the new hires)
        customer = Customer.objects.filter(owner=rep).order_by("code").first()
        if customer is None:
            continue
        due = today + (count * 3 - 2) * DAY  # the first overdue, the others ahead
        follow_up_create(
            actor=manager.user,
            source=customer,
            title=rng.choice(CUSTOMER_STEPS),
            due_date=due,
            owner=rep,
            today=min(due, today) - 5 * DAY,
        )
        count += 1
        if count == 3:
            break
    return count
