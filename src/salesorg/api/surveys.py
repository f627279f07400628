"""Survey-link endpoints (S4): make a link a customer's contact answers without a login, list
and read the links in scope (with the link while it is open), and satisfaction with the
would-recommend score (NPS) per team and period.

Reads are scoped by `visible_to`; a link is made by the same service as on the customer page
(ValidationError → 400 naming the field). The answer itself is given on the public page only.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, renamed_errors, scoped_model
from salesorg.api.types import Day, RecordId, optional_query
from salesorg.customers.models import Contact, Customer, SurveyLink
from salesorg.customers.selectors.surveys import satisfaction_by_team, survey_link_path
from salesorg.customers.services.surveys import survey_link_create

router = Router(tags=["customers"])
API_FIELD_NAMES = {"customer": "customer_id", "contact": "contact_id"}


class SurveyLinkOut(Schema):
    id: int
    customer_id: RecordId
    contact_id: RecordId | None
    language: str
    created_by_id: RecordId | None
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    survey_id: RecordId | None
    status: str
    url: str | None

    @staticmethod
    def resolve_status(link: SurveyLink) -> str:
        if link.answered_at is not None:
            return "answered"
        return "expired" if link.expires_at <= timezone.now() else "open"

    @staticmethod
    def resolve_url(link: SurveyLink, context) -> str | None:
        """The link's absolute URL while it can be answered."""
        if link.answered_at is not None or link.expires_at <= timezone.now():
            return None
        return context["request"].build_absolute_uri(survey_link_path(link))


class SurveyLinkIn(Schema):
    customer_id: RecordId
    contact_id: RecordId | None = None
    language: str = ""


@router.get(
    "/survey-links",
    response=list[SurveyLinkOut],
    openapi_extra=scoped_model("customers.SurveyLink"),
    operation_id="survey_link_list",
)
@paginate(ApiPagination)
def survey_link_list(request, customer_id: int | None = optional_query()):
    """Survey links in scope, newest first (of one customer with `customer_id`)."""
    links = SurveyLink.objects.visible_to(request.user).order_by("-created_at", "-id")
    if customer_id is not None:
        links = links.filter(customer_id=customer_id)
    return links


@router.get(
    "/survey-links/{pk}",
    response=SurveyLinkOut,
    openapi_extra=scoped_model("customers.SurveyLink"),
    operation_id="survey_link_get",
)
def survey_link_get(request, pk: RecordId):
    """One survey link (with its URL while it can be answered)."""
    return get_object_or_404(SurveyLink.objects.visible_to(request.user), pk=pk)


@router.post(
    "/survey-links",
    response={201: SurveyLinkOut},
    openapi_extra=scoped_model("customers.SurveyLink"),
    operation_id="survey_link_create",
)
def survey_link_post(request, payload: SurveyLinkIn):
    """Make a survey link for a customer (optionally to one of its active contacts)."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=payload.customer_id)
    contact = None
    if payload.contact_id is not None:
        contact = Contact.objects.visible_to(request.user).filter(pk=payload.contact_id).first()
        if contact is None:
            raise ValidationError({"contact_id": ["No such contact."]})
    try:
        link, _token = survey_link_create(
            customer=customer, contact=contact, language=payload.language, actor=request.user
        )
    except ValidationError as error:
        raise renamed_errors(error, API_FIELD_NAMES) from error
    return 201, link


class TeamSatisfactionOut(Schema):
    team_id: RecordId | None
    name: str
    answers: int
    satisfaction: Decimal | None
    promoters: int
    passives: int
    detractors: int
    nps: Decimal | None
    low_answers: int


class SatisfactionReportOut(Schema):
    start: date
    end: date
    teams: list[TeamSatisfactionOut]
    total: TeamSatisfactionOut


@router.get(
    "/satisfaction/teams",
    response=SatisfactionReportOut,
    openapi_extra={"x-scoped-rows": True},
    operation_id="satisfaction_by_team",
)
def satisfaction_teams(request, start: Day, end: Day):
    """Customers' own answers dated start…end per team of the owner: average satisfaction
    (1–5) and NPS (promoters 9–10 − detractors 0–6, in % of the answers)."""
    if end < start:
        raise ValidationError({"end": ["The end cannot be before the start."]})
    return satisfaction_by_team(user=request.user, start=start, end=end)
