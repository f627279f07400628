"""The thread of comments on a one-on-one session's improvement plan, by the coached person
and the coach (双方共同讨论、拟订). Scoped like the session (PERSONNEL)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet

__all__ = ["CoachingComment"]


class CoachingCommentQuerySet(ScopedQuerySet):
    domain = Domain.PERSONNEL

    def scope_q(self, scope: Scope) -> Q:
        return Q(session__person_id__in=scope.person_ids)


class CoachingComment(models.Model):
    """A comment on a coaching session's improvement plan."""

    session = models.ForeignKey(
        "development.CoachingSession",
        verbose_name=_("coaching session"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        "org.Person", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CoachingCommentQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
