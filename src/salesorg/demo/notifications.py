"""Demo notifications: each demo login's notification centre filled from what is due to them,
as the scheduler's job does every half hour."""

from __future__ import annotations

from datetime import date

from salesorg.core.notifications import notifications_refresh


def demo_notifications_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Bring the demo logins' notifications up to date; returns how many were created."""
    created = 0
    for person in company.logins:
        person.refresh_from_db(fields=["user"])
        if person.user is not None:
            created += notifications_refresh(user=person.user, today=today)["new"]
    return {"notifications": created}
