"""Reads of visit check-ins (签到): a visit's distance from its customer and, per rep, the
share of visits checked in and those checked in far from the customer.

Distances are great-circle (haversine) distances on a sphere of the Earth's mean radius:
within a few metres of the truth at the scale of a customer's premises. The same formula is
written in Python (one visit) and as a database expression (many visits at once), so that a
page and the dashboard agree; no distance is stored, so a customer's location set after a
visit counts for it too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, F, FloatField, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import ASin, Cast, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from salesorg.core.roles import LEADERS, role_of
from salesorg.core.scoping import SystemActor
from salesorg.sales.models import Visit

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def far_threshold_metres() -> int:
    """How far from its customer a check-in counts as far (setting SALESORG_CHECKIN_FAR_METRES)."""
    return settings.SALESORG_CHECKIN_FAR_METRES


def haversine_metres(
    lat1: Decimal | float, lng1: Decimal | float, lat2: Decimal | float, lng2: Decimal | float
) -> float:
    """The great-circle distance in metres between two points given in degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lng2) - float(lng1))
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _degrees(name: str) -> Combinable:
    return Radians(Cast(F(name), FloatField()))


def distance_expression(lat1: str, lng1: str, lat2: str, lng2: str) -> Combinable:
    """`haversine_metres` as a database expression over four fields (degrees)."""
    phi1, phi2 = _degrees(lat1), _degrees(lat2)
    half_d_phi = (phi2 - phi1) / Value(2.0)
    half_d_lambda = (_degrees(lng2) - _degrees(lng1)) / Value(2.0)
    h = Power(Sin(half_d_phi), 2) + Cos(phi1) * Cos(phi2) * Power(Sin(half_d_lambda), 2)
    return Value(2 * EARTH_RADIUS_M) * ASin(Least(Value(1.0), Sqrt(h)))


def visit_distance_metres(*, visit: Visit) -> int | None:
    """How far from its customer's location the visit was checked in, in whole metres (None:
    no check-in, or a customer without a location)."""
    customer = visit.customer
    latitude, longitude = visit.checkin_latitude, visit.checkin_longitude
    if latitude is None or longitude is None:
        return None
    if customer.latitude is None or customer.longitude is None:
        return None
    return round(haversine_metres(latitude, longitude, customer.latitude, customer.longitude))


def distance_text(metres: int) -> str:
    """A distance as a reader reads it: metres under a kilometre, else kilometres to one
    decimal (ten and more: whole kilometres), in the reader's number format."""
    if metres < 1000:
        return _("%(metres)s m") % {"metres": number_format(metres, use_l10n=True)}
    km = Decimal(metres) / 1000
    places = 0 if km >= 10 else 1
    return _("%(km)s km") % {
        "km": number_format(round(km, places), places, use_l10n=True, force_grouping=True)
    }


def visit_is_far(*, visit: Visit, distance: int | None) -> bool:
    """Was the visit checked in far from its customer, beyond the check-in's own accuracy?"""
    if distance is None:
        return False
    return distance - (visit.checkin_accuracy_m or 0) > far_threshold_metres()


@dataclass(frozen=True)
class VisitCheckIn:
    """A visit's check-in as its page shows it: where, how precise, when, how far from the
    customer (None: the customer has no location) and whether that counts as far."""

    latitude: Decimal
    longitude: Decimal
    accuracy_m: int
    at: datetime
    distance_m: int | None
    far: bool

    @property
    def distance_text(self) -> str:
        return distance_text(self.distance_m) if self.distance_m is not None else ""

    @property
    def accuracy_text(self) -> str:
        return distance_text(self.accuracy_m)


def visit_check_in(*, visit: Visit) -> VisitCheckIn | None:
    """The visit's check-in with its distance from the customer (None: not checked in)."""
    latitude, longitude = visit.checkin_latitude, visit.checkin_longitude
    accuracy = visit.checkin_accuracy_m
    if visit.checkin_at is None or latitude is None or longitude is None or accuracy is None:
        return None  # a check-in has all four (a database constraint)
    distance = visit_distance_metres(visit=visit)
    return VisitCheckIn(
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy,
        at=visit.checkin_at,
        distance_m=distance,
        far=visit_is_far(visit=visit, distance=distance),
    )


@dataclass(frozen=True)
class RepCheckIns:
    """A rep's visits in a period: how many, how many checked in, how many far from the
    customer (see `far_threshold_metres`)."""

    rep_id: int
    visits: int
    checked_in: int
    far: int

    @property
    def coverage(self) -> Decimal | None:
        """The share of visits checked in (None without visits)."""
        if not self.visits:
            return None
        return Decimal(self.checked_in) / Decimal(self.visits)


def may_see_check_in_coverage(user: User | SystemActor) -> bool:
    """Check-in coverage is for those who lead people (managers and above), not for reps."""
    return isinstance(user, SystemActor) or role_of(user) in LEADERS


def rep_check_ins(
    *, user: User | SystemActor, start: date, end: date, rep_ids: set[int] | None
) -> dict[int, RepCheckIns]:
    """Per rep (all in the user's scope, or those in `rep_ids`): visits dated start…end, those
    checked in and those checked in far from the customer; one query. Reps without visits in
    the period are not in it."""
    visits = Visit.objects.visible_to(user).filter(visit_date__gte=start, visit_date__lte=end)
    if rep_ids is not None:
        visits = visits.filter(rep_id__in=rep_ids)
    located = Q(checkin_at__isnull=False, customer__latitude__isnull=False)
    distance = distance_expression(
        "checkin_latitude", "checkin_longitude", "customer__latitude", "customer__longitude"
    )
    rows = (
        visits.alias(beyond=distance - Cast(F("checkin_accuracy_m"), FloatField()))
        .values("rep_id")
        .annotate(
            visits=Count("pk"),
            checked_in=Count("pk", filter=Q(checkin_at__isnull=False)),
            far=Count("pk", filter=located & Q(beyond__gt=float(far_threshold_metres()))),
        )
        .order_by()
    )
    return {row["rep_id"]: RepCheckIns(**row) for row in rows}
