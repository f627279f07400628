"""Writes of the planning cycle: research notes, company goals (which propose the company's
targets of their year), sales plans, and publishing a plan or a unit's decomposition (the
grid, decomposition and revisions of a published plan have their own modules). Who may do
each is in `targets.permissions`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import format_money
from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import Customer
from salesorg.targets.choices import OwnerType
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    Decomposition,
    PlanStatus,
    ResearchNote,
    SalesPlan,
)
from salesorg.targets.permissions import (
    can_change_research,
    can_decompose,
    can_plan,
    can_record_research,
    can_write_research,
    research_needs_customers,
)
from salesorg.targets.selectors.plans import Mismatch, plan_mismatches, plan_org
from salesorg.targets.selectors.revisions import (
    GOAL_METRICS,
    GoalLine,
    goal_deviations,
    plan_has_targets,
)
from salesorg.targets.services.target_writes import annual_target_write
from salesorg.targets.units import COMPANY, PlanOrg, Unit

MAX_LISTED_MISMATCHES = 10


# --- research, goals, plans -------------------------------------------------------------------


def _required(problems: Problems, field: str, value) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(field, _("This field is required."))


def _research_customers_check(
    problems: Problems, note: ResearchNote, actor: User, customers: list | None
) -> None:
    """A note links only customers the writer sees; a rep's competitor note names at least
    one (it is read like its customers)."""
    if customers is None:  # unchanged: they were checked when linked
        if research_needs_customers(actor) and not (note.pk and note.customers.exists()):
            problems.add("customers", _("Name the customers this competitor note is about."))
        return
    seen = set(
        Customer.objects.visible_to(actor)
        .filter(pk__in=[customer.pk for customer in customers])
        .values_list("pk", flat=True)
    )
    hidden = [customer for customer in customers if customer.pk not in seen]
    if hidden:
        problems.add(
            "customers",
            _("Unknown customer: %(codes)s.")
            % {"codes": ", ".join(customer.code for customer in hidden)},
        )
    elif not customers and research_needs_customers(actor):
        problems.add("customers", _("Name the customers this competitor note is about."))


@transaction.atomic
def research_note_save(
    *,
    instance: ResearchNote,
    actor: User,
    regions: list | None = None,
    customers: list | None = None,
) -> ResearchNote:
    """Create or change a research note (the author is set on creation)."""
    problems = Problems()
    allowed = (
        can_change_research(actor, instance)
        if instance.pk
        else can_record_research(actor, instance)
    )
    if not can_write_research(actor) or not allowed:
        problems.add("subject", _("You may not change this research note."))
    _required(problems, "subject", instance.subject)
    _required(problems, "observed_on", instance.observed_on)
    if instance.price is not None and instance.price < 0:
        problems.add("price", _("This cannot be negative."))
    _research_customers_check(problems, instance, actor, customers)
    problems.raise_if_any()
    if not instance.pk and instance.author_id is None:
        instance.author = person_of(actor)
    instance.full_clean(exclude=["regions", "customers"])
    instance.save()
    if regions is not None:
        instance.regions.set(regions)
    if customers is not None:
        instance.customers.set(customers)
    return instance


@transaction.atomic
def company_goal_save(
    *, instance: CompanyGoal, actor: User, research_notes: list | None = None
) -> CompanyGoal:
    """Create or change the company goal of a fiscal year (director, admin)."""
    problems = Problems()
    if not can_plan(actor):
        problems.add("statement", _("Only the director or an administrator sets company goals."))
    _required(problems, "statement", instance.statement)
    for field in ("sales_goal", "gross_margin_goal"):
        value = getattr(instance, field)
        _required(problems, field, value)
        if value is not None and value < 0:
            problems.add(field, _("This cannot be negative."))
    _year_check(problems, instance, CompanyGoal)
    problems.raise_if_any()
    if not instance.pk and instance.created_by_id is None:
        instance.created_by = person_of(actor)
    instance.full_clean(exclude=["research_notes"])
    instance.save()
    if research_notes is not None:
        instance.research_notes.set(research_notes)
    plan = SalesPlan.objects.filter(year=instance.year).first()
    if plan is not None:
        targets_from_goal(plan=plan, goal=instance)
    return instance


def targets_from_goal(*, plan: SalesPlan, goal: CompanyGoal | None = None) -> list[str]:
    """Propose the company goal as the company's annual sales and gross-margin targets of
    its year's draft plan, where the plan has none yet; returns the metrics filled. The
    ideal target is the goal raised by the plan's ideal uplift (none: the goal itself)."""
    goal = goal or CompanyGoal.objects.filter(year=plan.year).first()
    if goal is None or plan.is_published or plan.year != goal.year:
        return []
    taken = set(
        AnnualTarget.objects.filter(
            plan=plan, owner_type=OwnerType.COMPANY, metric__in=GOAL_METRICS
        ).values_list("metric", flat=True)
    )
    filled: list[str] = []
    for metric, field in GOAL_METRICS.items():
        if metric in taken:
            continue
        amount = getattr(goal, field)
        ideal = amount
        if plan.ideal_uplift:
            ideal = (amount * (1 + plan.ideal_uplift / 100)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        annual_target_write(plan=plan, unit=COMPANY, metric=metric, pair=(amount, ideal))
        filled.append(metric)
    return filled


def _year_check(
    problems: Problems,
    instance: CompanyGoal | SalesPlan,
    model: type[CompanyGoal] | type[SalesPlan],
) -> None:
    if instance.year is None:
        problems.add("year", _("This field is required."))
    elif not 2000 <= instance.year <= 2100:
        problems.add("year", _("Enter a year between 2000 and 2100."))
    elif model.objects.filter(year=instance.year).exclude(pk=instance.pk).exists():
        problems.add("year", _("There is already one for this year."))


@transaction.atomic
def sales_plan_save(
    *, instance: SalesPlan, actor: User, research_notes: list | None = None
) -> SalesPlan:
    """Create or change a sales plan's title, year, strategy and cited research."""
    problems = Problems()
    if not can_plan(actor):
        problems.add("title", _("Only the director or an administrator writes sales plans."))
    _required(problems, "title", instance.title)
    _year_check(problems, instance, SalesPlan)
    if instance.pk:
        saved_year = SalesPlan.objects.filter(pk=instance.pk).values_list("year", flat=True)
        if saved_year and saved_year[0] != instance.year and instance.annual.exists():
            problems.add("year", _("The year of a plan that has targets cannot change."))
    problems.raise_if_any()
    created = instance.pk is None
    instance.full_clean(exclude=["research_notes"])
    instance.save()
    if research_notes is not None:
        instance.research_notes.set(research_notes)
    if created:
        targets_from_goal(plan=instance)
    return instance


@transaction.atomic
def research_note_delete(*, research_note: ResearchNote, actor: User) -> None:
    """Delete a research note: director and admin any, a leader their own."""
    if not (can_write_research(actor) and can_change_research(actor, research_note)):
        raise PermissionDenied
    research_note.delete()


@transaction.atomic
def company_goal_delete(*, company_goal: CompanyGoal, actor: User) -> None:
    """Delete a fiscal year's company goal (director, admin)."""
    if not can_plan(actor):
        raise PermissionDenied
    company_goal.delete()


@transaction.atomic
def sales_plan_delete(*, sales_plan: SalesPlan, actor: User) -> None:
    """Delete a sales plan with its annual targets and decompositions (director, admin)."""
    if not can_plan(actor):
        raise PermissionDenied
    sales_plan.delete()


# --- publishing -------------------------------------------------------------------------------


def mismatch_message(*, mismatches: list[Mismatch], org: PlanOrg) -> str:
    """One message listing where parts don't add up (the first ten, then a count)."""
    lines = [mismatch.text(org) for mismatch in mismatches[:MAX_LISTED_MISMATCHES]]
    more = len(mismatches) - MAX_LISTED_MISMATCHES
    if more > 0:
        lines.append(_("… and %(count)s more.") % {"count": more})
    return " ".join(lines)


@transaction.atomic
def plan_unit_publish(*, plan: SalesPlan, unit: Unit, actor: User) -> Decomposition:
    """Publish a unit's decomposition: refused while anything below it doesn't add up."""
    problems = Problems()
    if unit.owner_type == OwnerType.PERSON:
        problems.add("unit", _("Only a team, a region or the company is decomposed."))
        problems.raise_if_any()
    org = plan_org()
    if not can_decompose(actor, unit, org):
        problems.add(
            "unit",
            _("You may not publish the targets of %(unit)s.") % {"unit": org.label(unit)},
        )
        problems.raise_if_any()
    if plan.is_published:
        problems.add(
            "unit",
            _(
                "The plan is published: its targets change by a revision, and the approved "
                "revision is the published decomposition."
            ),
        )
        problems.raise_if_any()
    mismatches = plan_mismatches(plan=plan, root=unit, org=org, user=SYSTEM)
    if mismatches:
        problems.add(
            "unit",
            _("Cannot publish: %(where)s")
            % {"where": mismatch_message(mismatches=mismatches, org=org)},
        )
    problems.raise_if_any()
    decomposition, _created = Decomposition.objects.get_or_create(
        plan=plan, **unit.decomposition_fields()
    )
    decomposition.status = PlanStatus.PUBLISHED
    decomposition.published_by = person_of(actor)
    decomposition.published_at = timezone.now()
    decomposition.save()
    return decomposition


@transaction.atomic
def plan_publish(*, plan: SalesPlan, actor: User, deviation_reason: str = "") -> SalesPlan:
    """Publish a sales plan (director, admin): refused with no targets, while any target
    doesn't add up, or while the company's targets differ from the goal and no reason for
    the deviation is given (the reason is kept on the plan). A published plan is locked."""
    problems = Problems()
    if not can_plan(actor):
        problems.add("plan", _("Only the director or an administrator publishes a plan."))
    elif not plan_has_targets(plan=plan):
        problems.add("plan", _("A plan with no targets cannot be published."))
    problems.raise_if_any()
    org = plan_org()
    mismatches = plan_mismatches(plan=plan, org=org, user=SYSTEM)
    if mismatches:
        problems.add(
            "plan",
            _("Cannot publish: %(where)s")
            % {"where": mismatch_message(mismatches=mismatches, org=org)},
        )
    deviations = goal_deviations(plan=plan)
    reason = (deviation_reason or "").strip()
    if deviations and not reason:
        problems.add(
            "deviation_reason",
            _(
                "The company targets differ from the goal (%(where)s): set them to the goal "
                "or give the reason for the deviation."
            )
            % {"where": deviation_text(deviations)},
        )
    if plan.is_published:
        problems.add("plan", _("The plan is published already."))
    problems.raise_if_any()
    plan.goal_deviation_reason = reason if deviations else ""
    plan.status = PlanStatus.PUBLISHED
    plan.published_by = person_of(actor)
    plan.published_at = timezone.now()
    plan.save()
    return plan


def deviation_text(lines: list[GoalLine]) -> str:
    """E.g. "Sales amount: target ¥84,999,999.99, goal ¥84,315,000.00"."""
    return _("; ").join(
        _("%(metric)s: target %(target)s, goal %(goal)s")
        % {
            "metric": line.label,
            "target": format_money(line.target) if line.target is not None else _("none"),
            "goal": format_money(line.goal),
        }
        for line in lines
    )
