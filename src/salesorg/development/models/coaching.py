"""Coaching models: one-on-one sessions, joint-visit reviews with a rubric, targeted-training
rules and proposals, personnel reviews and the position changes they approve.

Scoping: every record here belongs to one person (the coached, reviewed or proposed
person) and is in the PERSONNEL domain: the person sees their own, their team manager
and region head see them through their scope, the director and admins see all. A rep
never sees another rep's records; finance and trainers see none.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.scoping import NOTHING, Domain, Scope, ScopedQuerySet, scope_for

__all__ = [
    "CoachingSession",
    "Comparison",
    "JointVisitReview",
    "PersonnelReview",
    "PositionChange",
    "ProposalStatus",
    "ReviewOutcome",
    "ReviewStatus",
    "Rubric",
    "RubricCriterion",
    "RubricScore",
    "RuleSource",
    "TrainingProposal",
    "TrainingRule",
]

CODE_LENGTH = 30


class PersonnelQuerySet(ScopedQuerySet):
    """Records about one person: the person and whoever has them in scope (PERSONNEL)."""

    domain = Domain.PERSONNEL


class CoachingSession(models.Model):
    """A one-on-one coaching session (一对一辅导) of a coach with one person."""

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person coached"),
        on_delete=models.PROTECT,
        related_name="coaching_sessions",
    )
    coach = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("person who coaches", "coach"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    session_date = models.DateField(_("session date"))
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    context = models.TextField(_("market and customer context"), blank=True)
    improvement_plan = models.TextField(_("improvement plan"), blank=True)
    follow_up_date = models.DateField(_("follow-up check date"), null=True, blank=True)
    follow_up_checked_at = models.DateTimeField(_("follow-up checked at"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    carried_items = models.ManyToManyField(
        "targets.ActionItem",
        verbose_name=_("open items carried over"),
        blank=True,
        related_name="+",
    )
    # The person's indicators (from the engine) for the session's month, as strings.
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)
    # When the coached person agreed to the improvement plan (双方共同讨论、拟订); a later
    # change of the plan clears it.
    plan_agreed_at = models.DateTimeField(_("plan agreed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PersonnelQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-session_date", "-id"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        indexes = [models.Index(fields=["person", "session_date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.session_date}"

    def get_absolute_url(self) -> str:
        return reverse("development:coaching_session", args=[self.pk])

    def follow_up_due(self, today) -> bool:
        return (
            self.follow_up_date is not None
            and self.follow_up_checked_at is None
            and self.follow_up_date <= today
        )


class RubricQuerySet(ScopedQuerySet):
    """Rubrics are company configuration: everyone in the company sees them."""

    def visible_to(self, user):
        if scope_for(user) is NOTHING:
            return self.none()
        return self.all()


class Rubric(models.Model):
    """A scoring rubric for joint visits; the default one is used for new reviews."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default"), default=False)
    active = models.BooleanField(_("active"), default=True)

    objects = RubricQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-is_default", "code"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The rubric's name, translated for the seeded default rubric."""
        if self.name == DEFAULT_RUBRIC_NAME:
            return gettext(self.name)
        return self.name


# The seeded default rubric's name and criteria (S7; data migration development 0002): shown
# translated while a rubric keeps these English names.
DEFAULT_RUBRIC_NAME = gettext_noop("Joint visit")
DEFAULT_CRITERION_NAMES = {
    "preparation": "Preparation",
    "opening": "Opening",
    "needs_discovery": "Needs discovery",
    "presentation": "Presentation",
    "objection_handling": "Objection handling",
    "closing": "Closing",
    "follow_up": "Follow-up",
}
# The criteria are selling steps ("Follow-up" is 跟进, not a tracked task), so their names are
# translated with this context; the tuple below is what makemessages reads.
CRITERION_CONTEXT = "joint visit rubric"
_CRITERION_MESSAGES = (
    pgettext_lazy("joint visit rubric", "Preparation"),
    pgettext_lazy("joint visit rubric", "Opening"),
    pgettext_lazy("joint visit rubric", "Needs discovery"),
    pgettext_lazy("joint visit rubric", "Presentation"),
    pgettext_lazy("joint visit rubric", "Objection handling"),
    pgettext_lazy("joint visit rubric", "Closing"),
    pgettext_lazy("joint visit rubric", "Follow-up"),
)


class RubricCriterion(models.Model):
    """One criterion of a rubric, scored 1–5."""

    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=CODE_LENGTH)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)

    objects = RubricQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["rubric", "position", "id"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="rubric_criterion_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The criterion's name, translated for the default criteria."""
        return criterion_name_label(self.code, self.name)


def criterion_name_label(code: str, name: str) -> str:
    """A criterion's name as a reader sees it: a seeded default one in their language."""
    if DEFAULT_CRITERION_NAMES.get(code) == name:
        return pgettext(CRITERION_CONTEXT, name)
    return name or code


class JointVisitReviewQuerySet(ScopedQuerySet):
    domain = Domain.PERSONNEL

    def scope_q(self, scope: Scope) -> Q:
        return Q(visit__rep_id__in=scope.person_ids)


class JointVisitReview(models.Model):
    """A coach's review of a joint visit (联合拜访): rubric scores, strengths, what to improve."""

    visit = models.OneToOneField(
        "sales.Visit",
        verbose_name=pgettext_lazy("customer visit", "visit"),
        on_delete=models.PROTECT,
        related_name="joint_review",
    )
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("joint visit by the coach", "reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    strengths = models.TextField(_("strengths"), blank=True)
    improvements = models.TextField(_("points to improve"), blank=True)
    average_score = models.DecimalField(_("average score"), max_digits=4, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = JointVisitReviewQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-visit__visit_date", "-id"]
        verbose_name = _("joint-visit review")
        verbose_name_plural = _("joint-visit reviews")

    def __str__(self) -> str:
        return str(self.visit)

    def get_absolute_url(self) -> str:
        return reverse("development:joint_review", args=[self.pk])


class RubricScore(models.Model):
    """The score (1–5) of one rubric criterion in a joint-visit review."""

    review = models.ForeignKey(
        JointVisitReview,
        verbose_name=pgettext_lazy("joint visit by the coach", "review"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        RubricCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["review", "criterion__position", "id"]
        verbose_name = _("rubric score")
        verbose_name_plural = _("rubric scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="rubric_score_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rubric_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class RuleSource(models.TextChoices):
    """What a targeted-training rule looks at."""

    INDICATOR = "indicator", _("Indicator")
    RUBRIC = "rubric", _("Joint-visit rubric criterion (average)")


class Comparison(models.TextChoices):
    """How a rule compares the value with its threshold."""

    LT = "lt", _("below")
    LTE = "lte", _("at or below")
    GT = "gt", _("above")
    GTE = "gte", _("at or above")


class TrainingRuleQuerySet(RubricQuerySet):
    """Rules are company configuration: everyone in the company sees them."""


class TrainingRule(models.Model):
    """A targeted-training rule: when a person's value crosses the threshold, propose a material.

    For percentage indicators (collection rate, achievement …) the threshold is in percent.
    """

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=20, choices=RuleSource.choices, default=RuleSource.INDICATOR
    )
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    criterion_code = models.CharField(
        _("rubric criterion code"), max_length=CODE_LENGTH, blank=True
    )
    comparison = models.CharField(
        _("comparison"), max_length=5, choices=Comparison.choices, default=Comparison.LT
    )
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    material = models.ForeignKey(
        "development.Material",
        verbose_name=_("material to assign"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)

    objects = TrainingRuleQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("targeted-training rule")
        verbose_name_plural = _("targeted-training rules")

    def __str__(self) -> str:
        return self.name


class ProposalStatus(models.TextChoices):
    """Where a training proposal stands."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class TrainingProposal(models.Model):
    """A material the rules propose for a person for a period; the manager accepts or dismisses."""

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="training_proposals",
    )
    rule = models.ForeignKey(
        TrainingRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="proposals"
    )
    material = models.ForeignKey(
        "development.Material",
        verbose_name=_("material"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(
        pgettext_lazy("number in a table", "value"), max_digits=20, decimal_places=4
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    assignment = models.ForeignKey(
        "development.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PersonnelQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["status", "person", "id"]
        verbose_name = _("training proposal")
        verbose_name_plural = _("training proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "period_start", "period_end"],
                name="training_proposal_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.material}"


class ReviewOutcome(models.TextChoices):
    """What a personnel review decides at the end of a training stage."""

    PROMOTE = "promote", _("Promote")
    CONTINUE = "continue", _("Continue developing")
    DISMISS = "dismiss", pgettext_lazy("end a person's employment", "Dismiss")


class ReviewStatus(models.TextChoices):
    """Where a personnel review stands in its approval."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PersonnelReviewQuerySet(ScopedQuerySet):
    domain = Domain.PERSONNEL

    def scope_q(self, scope: Scope) -> Q:
        return Q(person_id__in=scope.person_ids) | Q(approver_id=scope.person_id)


class PersonnelReview(models.Model):
    """A personnel review (人事评定): the outcome of a training stage with its evidence, approved
    by the next level. Never deleted."""

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="personnel_reviews",
    )
    filed_by = models.ForeignKey(
        "org.Person", verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("training stage"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    summary = models.TextField(_("summary"), blank=True)
    new_position = models.ForeignKey(
        "org.Position",
        verbose_name=_("new position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A promotion's effective date; a dismissal's leave date (the last day employed).
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    # Why a dismissal is filed without an ended training or coaching stage of the policy's
    # length (the approver sees it); blank when the evidence holds such a stage.
    override_reason = models.TextField(_("reason for deciding without a full stage"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    # The next level: the filer's own manager; empty means the director approves.
    approver = models.ForeignKey(
        "org.Person",
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    objects = PersonnelReviewQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("personnel review")
        verbose_name_plural = _("personnel reviews")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return reverse("development:personnel_review", args=[self.pk])

    @property
    def rubric_evidence(self) -> list[dict]:
        """The evidence's rubric averages, each criterion named in the reader's language."""
        rubric = (self.evidence or {}).get("rubric") or {}
        return [
            {**row, "code": code, "label": criterion_name_label(code, row.get("name", ""))}
            for code, row in rubric.items()
        ]


class PositionChange(models.Model):
    """A dated change of a person's position from an approved promotion; applied on its date."""

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="position_changes",
    )
    review = models.OneToOneField(
        PersonnelReview,
        verbose_name=_("personnel review"),
        on_delete=models.PROTECT,
        related_name="position_change",
    )
    old_position = models.ForeignKey(
        "org.Position",
        verbose_name=_("old position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_position = models.ForeignKey(
        "org.Position", verbose_name=_("new position"), on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField(_("effective date"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    objects = PersonnelQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("position change")
        verbose_name_plural = _("position changes")

    def __str__(self) -> str:
        return f"{self.person} → {self.new_position} ({self.effective_date})"
