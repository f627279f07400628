"""Writes of satisfaction surveys the customer answers itself (S4): a signed, expiring,
single-use link sent to a contact, the answer given through it without a login, and the
follow-ups a low answer gives the owner and the owner's manager.

A low answer is a satisfaction of 2 or less (of 5) or a would-recommend score of 6 or less
(of 10: a detractor in the NPS); it gives the customer's owner and the owner's manager (their
manager, else their current team's manager) an action item each, due in 3 days.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.stored_text import stored_message
from salesorg.customers.choices import ContactStatus, SurveySource
from salesorg.customers.models import Contact, Customer, SatisfactionSurvey, SurveyLink
from salesorg.customers.permissions import can_record_survey
from salesorg.customers.selectors.surveys import (
    LOW_RECOMMEND,
    LOW_SATISFACTION,
    LinkState,
    survey_link_state,
    survey_link_token,
)
from salesorg.org.models import Membership, Person
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create

FOLLOW_UP_DAYS = 3
COMMENT_MAX = 2000

LOW_ANSWER_TITLE = stored_message(
    "customers.survey_low.title",
    gettext_lazy("Follow up: low satisfaction from %(customer)s"),
)
LOW_ANSWER_DETAIL = stored_message(
    "customers.survey_low.detail",
    gettext_lazy(
        "%(contact)s answered the satisfaction survey on %(date)s: satisfaction %(overall)s "
        "of 5, would recommend %(recommend)s of 10. Call them, find the cause and agree what "
        "we do. Their comment: %(comment)s"
    ),
)


class SurveyLinkClosed(Exception):
    """The link cannot be answered (any more): its state says why."""

    def __init__(self, state: LinkState):
        super().__init__(state)
        self.state = state


def survey_link_days() -> int:
    """How many days a new survey link can be answered (SALESORG_SURVEY_LINK_DAYS)."""
    return max(1, int(getattr(settings, "SALESORG_SURVEY_LINK_DAYS", 14)))


@transaction.atomic
def survey_link_create(
    *,
    customer: Customer,
    actor: User,
    contact: Contact | None = None,
    language: str = "",
    now: datetime | None = None,
) -> tuple[SurveyLink, str]:
    """Create a survey link for the customer (to one of its active contacts) and return it
    with its token, by whoever may record the customer's surveys."""
    problems = Problems()
    if not can_record_survey(actor, SatisfactionSurvey(customer=customer)):
        problems.add("customer", _("You may not send surveys for this customer."))
    if contact is not None and (
        contact.customer_id != customer.pk or contact.status != ContactStatus.ACTIVE
    ):
        problems.add("contact", _("The contact must be an active contact of this customer."))
    if language not in {"", *(code for code, _name in settings.LANGUAGES)}:
        problems.add("language", _("Unknown language: %(language)s.") % {"language": language})
    problems.raise_if_any()
    now = now or timezone.now()
    link = SurveyLink(
        customer=customer,
        contact=contact,
        nonce=secrets.token_urlsafe(16)[:22],
        language=language,
        created_by=person_of(actor),
        created_at=now,
        expires_at=now + timedelta(days=survey_link_days()),
    )
    link.full_clean()
    link.save()
    return link, survey_link_token(link)


def _answer_problems(overall, recommend, comment: str) -> Problems:
    problems = Problems()
    if not isinstance(overall, int) or not 1 <= overall <= 5:
        problems.add("overall", _("Choose a score from 1 to 5."))
    if not isinstance(recommend, int) or not 0 <= recommend <= 10:
        problems.add("recommend", _("Choose a score from 0 to 10."))
    if len(comment) > COMMENT_MAX:
        problems.add("comment", _("Write at most %(count)s characters.") % {"count": COMMENT_MAX})
    return problems


@transaction.atomic
def survey_link_answer(
    *,
    token: str,
    overall: int | None,
    recommend: int | None,
    comment: str = "",
    now: datetime | None = None,
) -> SatisfactionSurvey:
    """Record the customer's answer given through a link (once, before it expires); a low
    answer gives the owner and the owner's manager a follow-up. Raises SurveyLinkClosed."""
    now = now or timezone.now()
    state = survey_link_state(token=token, now=now, for_update=True)
    if state.link is None or not state.is_open:
        raise SurveyLinkClosed(state)
    comment = (comment or "").strip()
    _answer_problems(overall, recommend, comment).raise_if_any()
    assert overall is not None  # checked above
    link = state.link
    survey = SatisfactionSurvey(
        customer_id=link.customer_id,
        contact_id=link.contact_id,
        surveyed_on=timezone.localdate(now),
        overall=overall,
        recommend=recommend,
        comment=comment,
        source=SurveySource.CUSTOMER,
    )
    survey.full_clean()
    survey.save()
    link.answered_at = now
    link.survey = survey
    link.save(update_fields=["answered_at", "survey"])
    survey_low_follow_ups(survey=survey, today=survey.surveyed_on)
    return survey


def is_low_answer(*, overall: int, recommend: int | None) -> bool:
    """A satisfaction of 2 or less of 5, or a would-recommend of 6 or less of 10."""
    return overall <= LOW_SATISFACTION or (recommend is not None and recommend <= LOW_RECOMMEND)


def owner_manager_id(*, owner: Person, today: date) -> int | None:
    """The owner's manager: their own manager, else their current team's manager (never
    the owner themself)."""
    if owner.manager_id and owner.manager_id != owner.pk:
        return owner.manager_id
    return (
        Membership.objects.current(today)
        .filter(person_id=owner.pk, team__manager__isnull=False)
        .exclude(team__manager_id=owner.pk)
        .values_list("team__manager_id", flat=True)
        .first()
    )


def survey_low_follow_ups(*, survey: SatisfactionSurvey, today: date) -> list[ActionItem]:
    """Give the customer's owner and the owner's manager a follow-up on a low answer."""
    if not is_low_answer(overall=survey.overall, recommend=survey.recommend):
        return []
    customer = Customer.objects.select_related("owner").get(pk=survey.customer_id)
    contact = Contact.objects.filter(pk=survey.contact_id).first() if survey.contact_id else None
    params = {
        "customer": customer.name,
        "contact": contact.name if contact else customer.name,
        "date": survey.surveyed_on,
        "overall": survey.overall,
        "recommend": "—" if survey.recommend is None else survey.recommend,
        "comment": survey.comment or "—",
    }
    owners = [customer.owner]
    manager_id = owner_manager_id(owner=customer.owner, today=today)
    if manager_id is not None:
        owners.append(Person.objects.get(pk=manager_id))
    return [
        action_item_create(
            title_message=LOW_ANSWER_TITLE,
            detail_message=LOW_ANSWER_DETAIL,
            text_params=params,
            owner=owner,
            due_date=today + timedelta(days=FOLLOW_UP_DAYS),
            origin=ActionOrigin.CUSTOMER,
            source=survey,
            customer=customer,
        )
        for owner in owners
    ]
