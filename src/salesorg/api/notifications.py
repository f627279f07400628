"""The caller's own notifications: list, unread count, mark read (one or all)."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination
from salesorg.api.types import RecordId
from salesorg.core.notifications import (
    kind_label,
    notification_list,
    notification_mark_read,
    notification_unread_count,
    notifications_mark_all_read,
)

router = Router(tags=["notifications"])
OWN_ROWS = {"x-scoped-rows": True}  # only the caller's own notifications, never another's


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="action_items, follow_ups, approvals, training, ...")
    kind_label: str
    text: str = Field(description="in the language of the request (Accept-Language)")
    url: str = Field(description="the page to act on, a path of this site")
    due: date | None
    overdue: bool
    created_at: datetime
    read_at: datetime | None
    resolved_at: datetime | None = Field(description="set once the item is no longer due")

    @staticmethod
    def resolve_kind_label(row) -> str:
        return kind_label(row.kind)

    @staticmethod
    def resolve_text(row) -> str:
        return row.text


class NotificationListQuery(Schema):
    unread: bool = Field(False, description="only the unread ones still due")


class UnreadCountOut(Schema):
    unread: int


class MarkedReadOut(Schema):
    marked: int


@router.get(
    "/notifications",
    response=list[NotificationOut],
    openapi_extra=OWN_ROWS,
    operation_id="notification_list",
)
@paginate(ApiPagination)
def list_notifications(request, query: Query[NotificationListQuery]):
    """The caller's notifications, newest first."""
    rows = notification_list(user=request.user)
    if query.unread:
        rows = rows.filter(read_at__isnull=True, resolved_at__isnull=True)
    return rows


@router.get(
    "/notifications/unread-count",
    response=UnreadCountOut,
    openapi_extra=OWN_ROWS,
    operation_id="notification_unread_count",
)
def unread_count(request):
    """How many of the caller's notifications are unread and still due."""
    return {"unread": notification_unread_count(user=request.user)}


@router.post(
    "/notifications/{pk}/read",
    response=NotificationOut,
    openapi_extra=OWN_ROWS,
    operation_id="notification_mark_read",
)
def mark_read(request, pk: RecordId):
    """Mark one of the caller's notifications read (another person's answers 404)."""
    row = get_object_or_404(notification_list(user=request.user), pk=pk)
    notification_mark_read(notification=row)
    return row


@router.post(
    "/notifications/read-all",
    response=MarkedReadOut,
    openapi_extra=OWN_ROWS,
    operation_id="notification_mark_all_read",
)
def mark_all_read(request):
    """Mark all the caller's unread notifications read."""
    return {"marked": notifications_mark_all_read(user=request.user)}
