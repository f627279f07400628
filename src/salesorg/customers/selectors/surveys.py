"""Reads of the surveys customers answer themselves (S4): a link's state from its signed
token, a customer's links, the satisfaction fact of the credit rating (the customer's own
answers first) and satisfaction with the would-recommend score (NPS) per team and period.

NPS = (promoters − detractors) ÷ answers with a would-recommend score × 100, where a promoter
answers 9 or 10 and a detractor 0 to 6 (KPI.md, customer satisfaction).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from salesorg.core.scoping import SystemActor
from salesorg.customers.choices import SurveySource
from salesorg.customers.models import Customer, SatisfactionSurvey, SurveyLink
from salesorg.org.models import Membership, Team

TOKEN_SALT = "salesorg.customers.survey-link"
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6
LOW_SATISFACTION = 2  # of 5: this or less is a low answer
LOW_RECOMMEND = DETRACTOR_UP_TO  # of 10: this or less (a detractor) is a low answer
LINKS_SHOWN = 10
HUNDRED = Decimal(100)


class LinkStatus:
    """Where a survey link stands for whoever opens it."""

    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class LinkState:
    """A token's link (None when the token is not one of ours) and its status."""

    link: SurveyLink | None
    status: str

    @property
    def is_open(self) -> bool:
        return self.status == LinkStatus.OPEN


def survey_link_token(link: SurveyLink) -> str:
    """The signed token of a link: its id and nonce, so neither can be guessed or changed."""
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=TOKEN_SALT)


def survey_link_path(link: SurveyLink) -> str:
    """The public path of a link's survey page."""
    return reverse("customers:survey_answer", args=[survey_link_token(link)])


def _token_payload(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    link_id, nonce = data.get("l"), data.get("n")
    if not isinstance(link_id, int) or not isinstance(nonce, str):
        return None
    return link_id, nonce


def survey_link_state(*, token: str, now: datetime | None = None, for_update: bool = False):
    """The link a token names and whether it can be answered (the token is the only key:
    this read needs no login)."""
    payload = _token_payload(token)
    if payload is None:
        return LinkState(None, LinkStatus.INVALID)
    links = SurveyLink.objects.select_related("customer", "contact")
    if for_update:
        links = links.select_for_update(of=("self",))  # PostgreSQL: not the nullable contact
    link = links.filter(pk=payload[0]).first()
    if link is None or not constant_time_compare(link.nonce, payload[1]):
        return LinkState(None, LinkStatus.INVALID)
    now = now or timezone.now()
    if link.answered_at is not None:
        return LinkState(link, LinkStatus.ANSWERED)
    if link.expires_at <= now:
        return LinkState(link, LinkStatus.EXPIRED)
    return LinkState(link, LinkStatus.OPEN)


def customer_survey_links(
    *, user: User | SystemActor, customer: Customer, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The customer's latest survey links with their status (and path while open)."""
    now = now or timezone.now()
    links = (
        SurveyLink.objects.visible_to(user)
        .filter(customer=customer)
        .select_related("contact", "survey")
        .order_by("-created_at", "-id")[:LINKS_SHOWN]
    )
    rows = []
    for link in links:
        if link.answered_at is not None:
            status = LinkStatus.ANSWERED
        elif link.expires_at <= now:
            status = LinkStatus.EXPIRED
        else:
            status = LinkStatus.OPEN
        rows.append(
            {
                "link": link,
                "status": status,
                "path": survey_link_path(link) if status == LinkStatus.OPEN else "",
            }
        )
    return rows


def satisfaction_facts(facts: MutableMapping[int, Any], surveys: QuerySet) -> None:
    """Set each customer's satisfaction fact (survey_total, survey_count) from `surveys`: its
    own answers by survey link when it gave any, else the scores its rep recorded. One
    query grouped by customer and source."""
    chosen: dict[int, tuple[str, int, int]] = {}
    rows = surveys.values("customer_id", "source").annotate(total=Sum("overall"), count=Count("id"))
    for row in rows:
        customer_id = row["customer_id"]
        known = chosen.get(customer_id)
        if known is None or (
            known[0] != SurveySource.CUSTOMER and row["source"] == SurveySource.CUSTOMER
        ):
            chosen[customer_id] = (row["source"], row["total"] or 0, row["count"])
    for customer_id, (_source, total, count) in chosen.items():
        item = facts[customer_id]
        item.survey_total, item.survey_count = total, count


@dataclass
class TeamSatisfaction:
    """The customers' own answers of one team (or all teams) in a period."""

    team_id: int | None
    name: str
    answers: int = 0
    overall_total: int = 0
    rated: int = 0  # answers with a would-recommend score
    promoters: int = 0
    detractors: int = 0
    low_answers: int = 0

    @property
    def passives(self) -> int:
        return self.rated - self.promoters - self.detractors

    @property
    def satisfaction(self) -> Decimal | None:
        """The average satisfaction (1–5), to 0.01."""
        if not self.answers:
            return None
        average = Decimal(self.overall_total) / Decimal(self.answers)
        return average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def nps(self) -> Decimal | None:
        """Promoters − detractors in % of the answers with a would-recommend score, to 0.1."""
        if not self.rated:
            return None
        score = Decimal(self.promoters - self.detractors) * HUNDRED / Decimal(self.rated)
        return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, other: TeamSatisfaction) -> None:
        for name in ("answers", "overall_total", "rated", "promoters", "detractors", "low_answers"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SatisfactionReport:
    """Satisfaction and NPS per team in a period, with the total of every answer shown."""

    start: date
    end: date
    teams: list[TeamSatisfaction] = field(default_factory=list)
    total: TeamSatisfaction = field(default_factory=lambda: TeamSatisfaction(None, ""))


def satisfaction_by_team(*, user: User | SystemActor, start: date, end: date) -> SatisfactionReport:
    """The customers' own answers dated start…end that the user may see, per team of the
    customer's owner on the answer's date (two queries whatever the number of answers)."""
    team_of_owner = (
        Membership.objects.filter(
            person_id=OuterRef("customer__owner_id"), start_date__lte=OuterRef("surveyed_on")
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("surveyed_on")))
        .order_by("-start_date")
        .values("team_id")[:1]
    )
    low = Q(overall__lte=LOW_SATISFACTION) | Q(recommend__lte=LOW_RECOMMEND)
    grouped = (
        SatisfactionSurvey.objects.visible_to(user)
        .filter(source=SurveySource.CUSTOMER, surveyed_on__gte=start, surveyed_on__lte=end)
        .annotate(team=Subquery(team_of_owner))
        .values("team")
        .annotate(
            answers=Count("id"),
            overall_total=Sum("overall"),
            rated=Count("recommend"),
            promoters=Count("id", filter=Q(recommend__gte=PROMOTER_FROM)),
            detractors=Count("id", filter=Q(recommend__lte=DETRACTOR_UP_TO)),
            low_answers=Count("id", filter=low),
        )
        .order_by()
    )
    rows: list[dict[str, Any]] = [dict(row) for row in grouped]
    names = dict(
        Team.objects.filter(pk__in=[r["team"] for r in rows if r["team"]]).values_list("pk", "name")
    )
    report = SatisfactionReport(start=start, end=end)
    for row in rows:
        team_id = row.pop("team")
        item = TeamSatisfaction(team_id, names.get(team_id, ""), **row)
        report.teams.append(item)
        report.total.add(item)
    report.teams.sort(key=lambda item: (item.team_id is None, item.name))
    return report
