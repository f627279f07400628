"""Shared models: the working-day calendar, the runs of scheduled jobs and notifications."""

from datetime import time

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.registry import photo_targets


class CalendarDay(models.Model):
    """An override of the Monday–Friday default: a public holiday or a make-up working day."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("workday"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.note}".strip()


class JobOutcome(models.TextChoices):
    """How a run of a scheduled job ended (or that it has not yet)."""

    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One run of a scheduled job for one slot of its schedule: the first machine whose
    scheduler inserts the row runs it, the others find the slot taken (unique job + slot)."""

    job = models.CharField(_("job"), max_length=60)
    slot = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=JobOutcome.choices, default=JobOutcome.RUNNING
    )
    # What the job reports (counts), shown through its summary text in the reader's language.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    host = models.CharField(_("machine"), max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="job_run_once_per_slot"),
        ]
        indexes = [models.Index(fields=["-started_at"], name="job_run_started")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """Something due to one person (an overdue action item, an approval waiting for them ...),
    one row per item however often its source reports it (unique recipient + key)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40)  # a registered kind (core.notifications)
    key = models.CharField(_("key"), max_length=255)  # stable per item: its source and link
    # The sentence in each language of settings.LANGUAGES, as its source wrote it there.
    texts = models.JSONField(_("text"), default=dict)
    url = models.CharField(_("link"), max_length=500)
    due = models.DateField(_("due date"), null=True, blank=True)
    overdue = models.BooleanField(pgettext_lazy("past deadline", "overdue"), default=False)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("no longer due"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_item"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True, resolved_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The sentence in the active language (the default language's if it has none)."""
        return (
            self.texts.get(get_language() or "")
            or self.texts.get(settings.LANGUAGE_CODE)
            or next(iter(self.texts.values()), "")
        )


class NotificationPreference(models.Model):
    """A person's choices: the language and time of their daily digest, and the kinds of
    notification they turned off (in the notification centre, or in the digest only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    digest = models.BooleanField(_("daily e-mail digest"), default=True)
    digest_time = models.TimeField(_("digest time"), default=time(8, 0))
    kinds_off = models.JSONField(_("kinds turned off"), default=list, blank=True)
    digest_kinds_off = models.JSONField(_("kinds left out of the digest"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class DigestSend(models.Model):
    """One person's digest of one day: the row is inserted before the mail is sent, so that
    with several machines it is sent once (unique user + day)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_sends",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    items = models.PositiveIntegerField(_("items"), default=0)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day:%Y-%m-%d}"


class PhotoQuerySet(models.QuerySet):
    """Photos, read in a user's scope or of one record."""

    def visible_to(self, user) -> "PhotoQuerySet":
        """Photos of the records `user` sees (of the registered kinds only: fails closed)."""
        seen = Q(pk__in=[])
        for label, _rule in photo_targets().items():
            target = apps.get_model(label)
            records = target.objects.visible_to(user).values("pk")
            kind = ContentType.objects.get_for_model(target)
            seen |= Q(content_type=kind, object_id__in=records)
        return self.filter(seen)

    def of(self, record: models.Model) -> "PhotoQuerySet":
        """The photos attached to `record`."""
        kind = ContentType.objects.get_for_model(record)
        return self.filter(content_type=kind, object_id=record.pk)


class Photo(models.Model):
    """A photo (照片) attached to a visit or a customer: the picture, resized to the set
    maximum, and a small copy for lists; the files are in the media storage."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    record = GenericForeignKey("content_type", "object_id")
    image = models.FileField(_("photo"), upload_to="photos/%Y/%m/", max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to="photos/thumbs/%Y/%m/", max_length=255)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["content_type", "object_id"], name="photo_of_record")]

    def __str__(self) -> str:
        return self.caption or f"{self.content_type.model} {self.object_id} #{self.pk}"
