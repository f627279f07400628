"""A visit's check-in (签到): recorded only with the rep's consent, never required.

The phone asks the browser for its position when the rep taps “Check in” on the visit form
(that tap is their consent) and sends it with the visit, also from the offline queue. The
first check-in at a customer without a location gives the customer its location.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.hygiene import day_problem
from salesorg.core.problems import Problems
from salesorg.core.versioning import version_check
from salesorg.customers.models import Customer
from salesorg.sales.models import Visit
from salesorg.sales.selectors.check_ins import far_threshold_metres

MICRO_DEGREE = Decimal("0.000001")
MAX_ACCURACY_M = 100_000  # a phone's position this vague says nothing about where it was
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class CheckIn:
    """Where and when the rep's phone was when the visit was started (browser geolocation),
    and whether the rep agreed to share it."""

    latitude: Decimal
    longitude: Decimal
    accuracy_m: Decimal | int
    taken_at: datetime
    consent: bool


def _check_in_problems(problems: Problems, check_in: CheckIn) -> None:
    if not check_in.consent:
        problems.add("check_in", _("A location is recorded only when you agree to share it."))
        return
    if not -90 <= check_in.latitude <= 90:
        problems.add("check_in", _("The latitude must be between −90 and 90."))
    if not -180 <= check_in.longitude <= 180:
        problems.add("check_in", _("The longitude must be between −180 and 180."))
    if not 0 <= check_in.accuracy_m <= MAX_ACCURACY_M:
        problems.add(
            "check_in",
            _("The accuracy must be between 0 and %(most)s metres.") % {"most": MAX_ACCURACY_M},
        )
    if timezone.is_naive(check_in.taken_at):
        problems.add("check_in", _("The check-in time needs a time zone."))
    elif check_in.taken_at > timezone.now() + CLOCK_SKEW:
        problems.add("check_in", _("The check-in time is in the future."))
    elif day_problem(timezone.localdate(check_in.taken_at)) is not None:
        problems.add("check_in", _("The check-in time is too long ago."))


def check_in_apply(problems: Problems, *, visit: Visit, check_in: CheckIn | None) -> bool:
    """Put `check_in` on the visit about to be saved, or add why not to `problems`: only
    with consent, a position on Earth and a time not ahead of now; a visit keeps its first
    check-in. Returns whether the visit took a new check-in."""
    if check_in is None:
        return False
    if visit.pk is not None and (
        Visit.objects.filter(pk=visit.pk, checkin_at__isnull=False).exists()
    ):
        problems.add("check_in", _("This visit is already checked in."))
        return False
    before = len(problems.errors.get("check_in", []))
    _check_in_problems(problems, check_in)
    if len(problems.errors.get("check_in", [])) > before:
        return False
    visit.checkin_latitude = check_in.latitude.quantize(MICRO_DEGREE, ROUND_HALF_UP)
    visit.checkin_longitude = check_in.longitude.quantize(MICRO_DEGREE, ROUND_HALF_UP)
    visit.checkin_accuracy_m = int(Decimal(check_in.accuracy_m).to_integral_value(ROUND_HALF_UP))
    visit.checkin_at = check_in.taken_at
    return True


def customer_location_from_check_in(*, visit: Visit) -> Customer | None:
    """Give the visit's customer the check-in's location if it has none yet and the check-in
    is precise enough to count (its accuracy within the far-from-customer distance); the
    customer's own change, recorded in its history. Returns the customer if it was located."""
    accuracy = visit.checkin_accuracy_m
    if visit.checkin_at is None or accuracy is None or accuracy > far_threshold_metres():
        return None
    customer = Customer.objects.select_for_update().filter(pk=visit.customer_id).first()
    if customer is None or customer.latitude is not None:
        return None
    version_check(instance=customer, expected_version=None, system=True)
    customer.latitude = visit.checkin_latitude
    customer.longitude = visit.checkin_longitude
    customer.save(update_fields=["latitude", "longitude", "version"])
    return customer
