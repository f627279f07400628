"""Demo data of surveys customers answer themselves (S4): links the reps sent over the last
ten months, answered through the real rule (low answers gave the owner and the manager a
follow-up; those older than two weeks are done), one link still open and one expired."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.customers.choices import ContactStatus
from salesorg.customers.models import Contact, SurveyLink
from salesorg.customers.selectors.surveys import survey_link_token
from salesorg.customers.services.surveys import survey_link_answer, survey_link_days
from salesorg.targets.choices import ActionStatus
from salesorg.targets.models import ActionItem

ANSWERS_PER_REP = 4
# (satisfaction 1–5, would recommend 0–10): mostly content, some passives, a few unhappy
ANSWER_CHOICES = (
    (5, 10),
    (5, 9),
    (4, 9),
    (4, 8),
    (4, 7),
    (3, 7),
    (5, 10),
    (4, 9),
    (3, 6),
    (2, 4),
)
COMMENTS = ("", "", "交货及时，服务周到", "价格偏高", "希望技术支持响应再快一些", "很满意")
LOW_COMMENTS = ("上次发货延误了两周，影响了我们的生产", "报价后一直没人跟进", "售后响应太慢")
FOLLOW_UPS_OPEN_DAYS = 14


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _link(rng: random.Random, contact: Contact, made: datetime, language: str = "") -> SurveyLink:
    return SurveyLink.objects.create(
        customer_id=contact.customer_id,
        contact=contact,
        nonce=f"{rng.getrandbits(88):022x}",  # the same demo for the same seed
        language=language,
        created_by_id=contact.customer.owner_id,
        created_at=made,
        expires_at=made + timedelta(days=survey_link_days()),
    )


def _contacts_by_rep(company) -> dict[int, list[Contact]]:
    rep_ids = [p.pk for p in company.people if p.role == Role.REP and p.leave_date is None]
    contacts = (
        Contact.objects.filter(customer__owner_id__in=rep_ids, status=ContactStatus.ACTIVE)
        .select_related("customer")
        .order_by("customer__owner_id", "customer_id", "pk")
    )
    by_rep: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_rep.setdefault(contact.customer.owner_id, []).append(contact)
    return by_rep


def demo_surveys_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Answered survey links for every current rep, one link open and one expired."""
    rng = random.Random(seed * 7 + 5)
    by_rep = _contacts_by_rep(company)
    answered = 0
    for contacts in by_rep.values():
        for contact in rng.sample(contacts, min(ANSWERS_PER_REP, len(contacts))):
            day = today - timedelta(days=rng.randint(3, 300))
            overall, recommend = rng.choice(ANSWER_CHOICES)
            low = overall <= 2 or recommend <= 6
            comment = rng.choice(LOW_COMMENTS if low else COMMENTS)
            link = _link(rng, contact, _at(day - timedelta(days=rng.randint(0, 5)), 9))
            survey_link_answer(
                token=survey_link_token(link),
                overall=overall,
                recommend=recommend,
                comment=comment,
                now=_at(day),
            )
            answered += 1
    # follow-ups of answers older than two weeks were dealt with
    done_before = today - timedelta(days=FOLLOW_UPS_OPEN_DAYS)
    ActionItem.objects.filter(
        title_key="customers.survey_low.title", due_date__lt=done_before
    ).update(status=ActionStatus.DONE, completed_at=_at(done_before))
    open_links = _open_and_expired(rng, company, by_rep, today)
    return {"answered survey links": answered, "open survey links": open_links}


def _open_and_expired(
    rng: random.Random, company, by_rep: dict[int, list[Contact]], today: date
) -> int:
    """A demo rep's link sent two days ago, still open; another one sent long ago, expired."""
    login_reps = [p.pk for p in company.logins if p.role == Role.REP]
    rep_id = next((pk for pk in login_reps if by_rep.get(pk)), next(iter(by_rep), None))
    if rep_id is None:
        return 0
    contacts = by_rep[rep_id]
    _link(rng, contacts[0], _at(today - timedelta(days=2)), language="zh-hans")
    _link(rng, contacts[-1], _at(today - timedelta(days=survey_link_days() + 10)))
    return 1
