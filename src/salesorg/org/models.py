"""The organization: regions, teams, positions, people and dated team memberships."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.roles import Role
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet

CODE_LENGTH = 64


class RegionQuerySet(ScopedQuerySet):
    domain = Domain.ORG

    def scope_q(self, scope: Scope) -> Q:
        return Q(id__in=scope.region_ids)


class Region(models.Model):
    """A sales region (大区), headed by a region head, made of teams."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("region head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_regions",
    )

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:region", args=[self.pk])


class TeamQuerySet(ScopedQuerySet):
    domain = Domain.ORG

    def scope_q(self, scope: Scope) -> Q:
        return Q(id__in=scope.team_ids)


class Team(models.Model):
    """A sales team (销售小组) in a region, led by a team manager."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="teams"
    )
    manager = models.ForeignKey(
        "Person",
        verbose_name=_("team manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
    )

    objects = TeamQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:team", args=[self.pk])


class Position(models.Model):
    """A position (岗位) with its written duties (岗位职责), shown in onboarding."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("job position", "position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet):
    domain = Domain.ORG

    def scope_q(self, scope: Scope) -> Q:
        return Q(id__in=scope.person_ids)

    def employed_on(self, day: date) -> PersonQuerySet:
        return self.filter(hire_date__lte=day).filter(
            Q(leave_date__isnull=True) | Q(leave_date__gte=day)
        )


class Person(models.Model):
    """A person in the sales organization, optionally able to log in (username = code)."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=pgettext_lazy("job position", "position"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    hire_date = models.DateField(_("hire date"))
    leave_date = models.DateField(_("leave date"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(leave_date__isnull=True) | Q(leave_date__gte=models.F("hire_date")),
                name="person_leave_after_hire",
                violation_error_message=_("The leave date cannot be before the hire date."),
            )
        ]

    def __str__(self) -> str:
        return gettext("%(name)s (%(code)s)") % {"name": self.name, "code": self.code}

    def get_absolute_url(self) -> str:
        return reverse("org:person", args=[self.pk])

    def is_employed_on(self, day: date) -> bool:
        return self.hire_date <= day and (self.leave_date is None or day <= self.leave_date)


class MembershipQuerySet(ScopedQuerySet):
    domain = Domain.ORG

    def current(self, day: date) -> MembershipQuerySet:
        """Memberships in force on `day` (end date inclusive, blank end = open)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Membership(models.Model):
    """A person's membership of a team from start_date to end_date (inclusive; blank = open)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["person__code", "start_date"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "team", "start_date"], name="membership_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        end = self.end_date.isoformat() if self.end_date else "…"
        return f"{self.person.code} → {self.team.code} {self.start_date.isoformat()}–{end}"

    def clean(self) -> None:
        """Refuse a membership that shares a day with another of the same person."""
        if not (
            self.person_id
            and self.start_date
            and (self.end_date is None or self.end_date >= self.start_date)
        ):
            return
        others = Membership.objects.filter(person_id=self.person_id).select_related("team")
        if self.pk is not None:
            others = others.exclude(id=self.pk)
        for other in others:
            if other.overlaps(self.start_date, self.end_date):
                raise ValidationError(
                    {
                        "start_date": gettext(
                            "This membership overlaps the membership of team %(team)s "
                            "starting %(start)s."
                        )
                        % {"team": other.team.code, "start": other.start_date.isoformat()}
                    }
                )

    def overlaps(self, start: date, end: date | None) -> bool:
        """Does this membership share a day with [start, end] (None = open)?"""
        return (end is None or self.start_date <= end) and (
            self.end_date is None or start <= self.end_date
        )
