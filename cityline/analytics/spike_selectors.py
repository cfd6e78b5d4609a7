"""Reads of the spikes: the console's list and banner, and what a spike's e-mail says."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from cityline.accounts.selectors import user_email
from cityline.analytics.models import Spike

PAST_SHOWN = 100


def _listed() -> QuerySet[Spike]:
    """Spikes with what a row of the list shows."""
    return Spike.objects.select_related("service_type__agency", "area__layer", "acknowledged_by")


def spikes_open() -> QuerySet[Spike]:
    return _listed().filter(ended_at=None)


def spikes_past(*, limit: int = PAST_SHOWN) -> QuerySet[Spike]:
    return _listed().exclude(ended_at=None)[:limit]


def spikes_unacknowledged_count() -> int:
    return Spike.objects.filter(ended_at=None, acknowledged_at=None).count()


def spike_get(*, spike_id: int) -> Spike | None:
    return Spike.objects.filter(pk=spike_id).first()


@dataclass(frozen=True)
class SpikeMail:
    email: str
    service_name: str
    area_name: str
    observed: int
    expected: float
    window_start: datetime
    window_end: datetime


def spike_mail(*, spike_id: int, user_id: int) -> SpikeMail | None:
    """What a spike's e-mail to one 311 supervisor says; None when there is no one to write to
    (the spike or the person is gone, or has no address)."""
    spike = Spike.objects.filter(pk=spike_id).select_related("service_type", "area").first()
    email = user_email(user_id=user_id)
    if spike is None or not email:
        return None
    return SpikeMail(
        email=email,
        service_name=spike.service_type.name,
        area_name=spike.area.name,
        observed=spike.observed,
        expected=spike.expected,
        window_start=spike.window_start,
        window_end=spike.window_end,
    )
