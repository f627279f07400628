"""Pages of the quarterly target reviews (S10): list, the review itself, file, sign off."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from salesorg.core.exports import csv_download
from salesorg.core.roles import LEADERS, Role, person_of, role_of
from salesorg.core.views import ScopedDetailView
from salesorg.performance.kpi.periods import period_heading
from salesorg.targets.choices import Metric
from salesorg.targets.forms.reviews import ReviewAnswersForm, ReviewDecisionForm
from salesorg.targets.models import QuarterlyReview, ReviewStatus
from salesorg.targets.permissions import can_edit_review, can_sign_off_review
from salesorg.targets.quarters import (
    last_finished_quarter,
    quarter_of,
    quarter_period,
    review_due_date,
)
from salesorg.targets.selectors.reviews import (
    own_review_quarters,
    review_list,
    team_review_rows,
)
from salesorg.targets.services.reviews import (
    ANSWER_FIELDS,
    review_file,
    review_get_or_create,
    review_return,
    review_save_answers,
    review_sign_off,
)

AMOUNT_METRICS = {Metric.SALES, Metric.GROSS_MARGIN, Metric.COLLECTIONS, Metric.EXPENSE_BUDGET}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def review_index(request):
    """The user's reviews (a rep's own, a leader's team's) and the last quarter's state."""
    today = timezone.localdate()
    year, quarter = last_finished_quarter(today=today)
    selected_year = _int(request.GET.get("year"), year)
    selected_quarter = _int(request.GET.get("quarter"), quarter)
    if not 2000 <= selected_year <= 2100:
        selected_year = year
    status = request.GET.get("status", "")
    reviews = review_list(
        user=request.user,
        year=_int(request.GET.get("year")),
        quarter=_int(request.GET.get("quarter")),
        status=status,
    )
    if request.GET.get("format") == "csv":
        return _reviews_csv(reviews)
    page = Paginator(reviews, 50).get_page(request.GET.get("page"))
    team_rows = []
    team_heading = ""
    if role_of(request.user) in LEADERS and selected_quarter in (1, 2, 3, 4):
        team_rows = team_review_rows(
            user=request.user, year=selected_year, quarter=selected_quarter, today=today
        )
        team_heading = period_heading(
            quarter_period(year=selected_year, quarter=selected_quarter), today=today
        )
    return render(
        request,
        "targets/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ReviewStatus.choices,
            "last_year": year,
            "last_quarter": quarter,
            "selected_year": selected_year,
            "selected_quarter": selected_quarter,
            "due": review_due_date(year=year, quarter=quarter),
            "own_quarters": own_review_quarters(user=request.user, today=today)
            if role_of(request.user) == Role.REP
            else [],
            "team_rows": team_rows,
            "team_heading": team_heading,
            "today": today,
        },
    )


def _reviews_csv(reviews) -> HttpResponse:
    """The filtered reviews as CSV (UTF-8 with BOM for Excel), with the quarter's sales figures."""
    response, writer = csv_download("quarterly-reviews.csv")
    writer.writerow(
        ["rep", "name", "year", "quarter", "status", "filed_at", "reviewed_by", "quarter_sales",
         "quarter_target", "quarter_achievement"]
    )  # fmt: skip
    for review in reviews:
        figures = review.figures or {}
        writer.writerow(
            [
                review.rep.code,
                review.rep.name,
                review.year,
                review.quarter,
                review.status,
                review.filed_at.date().isoformat() if review.filed_at else "",
                review.reviewed_by.code if review.reviewed_by else "",
                figures.get("quarter_sales") or "",
                figures.get("quarter_target") or "",
                figures.get("quarter_achievement") or "",
            ]
        )
    return response


@login_required
@require_POST
def review_start(request):
    """Open (or create) the user's own review of the last finished quarter, or a draft of
    the running one (`quarter=running`)."""
    person = person_of(request.user)
    if person is None or role_of(request.user) is None:
        raise PermissionDenied
    today = timezone.localdate()
    if request.POST.get("quarter") == "running":
        year, quarter = quarter_of(today)
    else:
        year, quarter = last_finished_quarter(today=today)
    try:
        review = review_get_or_create(rep=person, year=year, quarter=quarter, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("targets:reviews")
    return redirect(review.get_absolute_url())


def _number(value):
    return None if value in (None, "") else Decimal(value)


def figure_context(figures: dict) -> dict:
    """The stored figures (decimal strings) as numbers with metric labels, for the template."""
    if not figures:
        return {}
    labels = dict(Metric.choices)
    amounts = (
        "ytd_sales",
        "quarter_sales",
        "quarter_target",
        "quarter_target_ideal",
        "quarter_target_to_date",
        "quarter_target_ideal_to_date",
    )
    rates = ("quarter_achievement", "quarter_achievement_ideal")
    context = {key: _number(figures.get(key)) for key in (*amounts, *rates)}
    for kind in ("realistic", "ideal"):
        goal = figures.get(kind, {})
        context[kind] = {
            "target": _number(goal.get("target")),
            "gap": _number(goal.get("gap")),
            "run_rate": _number(goal.get("run_rate")),
            "run_rate_above_best": goal.get("run_rate_above_best"),
        }
    best = figures.get("best_month")
    context["best_month"] = best and {"month": best["month"], "sales": _number(best["sales"])}
    context["remaining_months"] = figures.get("remaining_months")
    context["metrics"] = [
        {
            **row,
            "label": labels.get(row["metric"], row["metric"]),
            "is_amount": row["metric"] in AMOUNT_METRICS,
            "target": _number(row["target"]),
            "target_to_date": _number(row.get("target_to_date")),
            "actual": _number(row["actual"]),
            "previous": _number(row["previous"]),
        }
        for row in figures.get("metrics", [])
    ]
    context["territory"] = territory_context(figures.get("territory"))
    return context


COUNT_LABELS = (
    ("customers", _lazy("Customers who bought")),
    ("new_customers", _lazy("New customers")),
    ("dormant_customers", _lazy("Dormant customers")),
    ("lost_customers", _lazy("Lost customers")),
    ("industries", _lazy("Industries bought in")),
)


def territory_context(territory: dict | None) -> dict | None:
    """The territory figures (counts, product mix) as numbers with labels and changes."""
    if not territory:
        return None
    counts = [
        {
            "key": key,
            "label": label,
            "this": territory[key]["this"],
            "previous": territory[key]["previous"],
            "change": territory[key]["this"] - territory[key]["previous"],
        }
        for key, label in COUNT_LABELS
        if key in territory
    ]
    mix = []
    for row in territory.get("product_mix", []):
        share, previous = _number(row["share"]), _number(row["previous_share"])
        mix.append(
            {
                **row,
                "amount": _number(row["amount"]),
                "previous_amount": _number(row["previous_amount"]),
                "share": share,
                "previous_share": previous,
                "change": None if share is None or previous is None else share - previous,
            }
        )
    return {"counts": counts, "mix": mix}


class ReviewDetail(ScopedDetailView):
    model = QuarterlyReview
    template_name = "targets/review_detail.html"
    context_object_name = "review"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        user = self.request.user
        context["can_edit"] = can_edit_review(user, review)
        context["can_sign_off"] = can_sign_off_review(user, review)
        context["figures"] = figure_context(review.figures or {})
        context["due"] = review_due_date(year=review.year, quarter=review.quarter)
        context.update(_running_context(review))
        if context["can_edit"] and "form" not in context:
            context["form"] = ReviewAnswersForm(
                initial={name: getattr(review, name) for name in ANSWER_FIELDS}
            )
        if context["can_sign_off"] and "decision_form" not in context:
            context["decision_form"] = ReviewDecisionForm()
        return context


def _running_context(review: QuarterlyReview) -> dict:
    """Whether the quarter still runs (no filing yet) and the heading of the figures' span."""
    period = quarter_period(year=review.year, quarter=review.quarter)
    as_of = review.figures_as_of
    running = not review.quarter_has_ended(timezone.localdate())
    return {
        "running": running,
        "quarter_end": period.end,
        "figures_heading": period_heading(period, today=as_of) if as_of else "",
        "figures_to_date": bool((review.figures or {}).get("running")),
    }


def _visible_review(request, review_id: int) -> QuarterlyReview:
    return get_object_or_404(
        QuarterlyReview.objects.visible_to(request.user).select_related("rep"), pk=review_id
    )


def _detail_with_errors(request, review, **forms):
    view = ReviewDetail()
    view.setup(request, pk=review.pk)
    view.object = review
    return render(request, view.template_name, view.get_context_data(**forms), status=400)


@login_required
@require_POST
def review_answers(request, review_id: int):
    """Save the rep's answers as a draft, or file the review (`action=file`)."""
    review = _visible_review(request, review_id)
    form = ReviewAnswersForm(request.POST)
    form.is_valid()
    answers = {name: form.cleaned_data.get(name, "") for name in ANSWER_FIELDS}
    try:
        if request.POST.get("action") == "file":
            review_file(review=review, actor=request.user, answers=answers)
            messages.success(request, _("Review filed for sign-off."))
        else:
            review_save_answers(review=review, answers=answers, actor=request.user)
            messages.success(request, _("Draft saved."))
    except ValidationError as error:
        form.add_service_errors(error)
        review.refresh_from_db()
        return _detail_with_errors(request, review, form=form)
    return redirect(review.get_absolute_url())


@login_required
@require_POST
def review_decision(request, review_id: int):
    """The manager signs off the review (`action=sign_off`) or returns it to the rep."""
    review = _visible_review(request, review_id)
    form = ReviewDecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("manager_comment", "")
    try:
        if request.POST.get("action") == "return":
            review_return(review=review, actor=request.user, comment=comment)
            messages.success(request, _("Review returned to the rep."))
        else:
            review_sign_off(review=review, actor=request.user, comment=comment)
            messages.success(request, _("Review signed off."))
    except ValidationError as error:
        form.add_service_errors(error)
        review.refresh_from_db()
        return _detail_with_errors(request, review, decision_form=form)
    return redirect(review.get_absolute_url())
