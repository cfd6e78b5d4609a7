"""The demo city's contact center: every contact of its history, made to match its requests.

Each day's contacts follow its requests: a resident who files by phone is a service-request
contact linked to the request; for every request the center also answers questions (most of its
contacts, as in New York, where 60-75 % of calls are information), status inquiries about earlier
requests, and a few complaints, compliments, referrals and suggestions. So the busy days and
seasons of the requests are the center's too. Within a day, contacts arrive by the hour of a
weekday's office profile; a call waits longer in a busier hour, and callers who wait past their
patience hang up (abandoned). Everything random is drawn from the seed.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from cityline.contacts.models import ContactChannel, ContactKind
from cityline.contacts.services import HistoricContact
from cityline.core import clock
from cityline.servicerequests.models import Channel

KEY_PREFIX = "demo-"

# Contacts of each kind per request of the day (besides the request's own phone call).
PER_REQUEST = {
    ContactKind.INFORMATION: 2.1,
    ContactKind.STATUS_INQUIRY: 0.35,
    ContactKind.COMPLAINT: 0.06,
    ContactKind.REFERRAL: 0.08,
    ContactKind.COMPLIMENT: 0.02,
    ContactKind.SUGGESTION: 0.02,
}
CHANNELS = (
    (ContactChannel.PHONE, 0.78),
    (ContactChannel.EMAIL, 0.09),
    (ContactChannel.SMS, 0.06),
    (ContactChannel.WALK_IN, 0.04),
    (ContactChannel.SOCIAL, 0.03),
)
LANGUAGES = (("en", 0.8), ("es", 0.16), ("ar", 0.04))
# Share of a day's contacts by hour: the center's office hours, busiest mid-morning.
HOURS = np.array(
    [0, 0, 0, 0, 0, 0, 0.5, 2, 9, 13, 13, 11, 9, 10, 10, 9, 7, 4, 2, 1, 0.5, 0, 0, 0], dtype=float
)
HOURS /= HOURS.sum()
# A quiet hour's mean wait, and how waits grow with the hour's load (relative to the day's mean).
BASE_WAIT_SECONDS = 8.0
MEAN_PATIENCE_SECONDS = 180.0
MEDIAN_HANDLE_SECONDS = 230.0


@dataclass(frozen=True)
class DemoRequest:
    """What the center needs to know of a request: when, how, and its id once stored."""

    request_id: int
    requested_at: datetime
    channel: str


def calls_generate(
    *, requests: Sequence[DemoRequest], now: datetime, seed: int
) -> list[HistoricContact]:
    """Every contact of the history the requests span, oldest first. Drawn a day at a time in
    arrays: a two-year history of a hundred thousand contacts takes a second or two."""
    rng = np.random.default_rng([seed, 311])
    by_day: dict[date, list[DemoRequest]] = defaultdict(list)
    for request in requests:
        by_day[clock.to_city_time(request.requested_at).date()].append(request)
    earlier: list[int] = []
    contacts: list[HistoricContact] = []
    for day in sorted(by_day):
        filed = by_day[day]
        kinds = [
            kind
            for kind, rate in PER_REQUEST.items()
            for _ in range(int(rng.poisson(rate * len(filed))))
        ]
        draws = _Draws.for_day(rng, day, len(kinds))
        for i, kind in enumerate(kinds):
            asked_about = None
            if kind == ContactKind.STATUS_INQUIRY and earlier:
                asked_about = earlier[int(draws.pick[i] * len(earlier))]
            contacts.append(draws.contact(i, f"{KEY_PREFIX}{len(contacts)}", kind, asked_about))
        for request in filed:
            if request.channel == Channel.PHONE:
                contacts.append(_phone_request(rng, f"{KEY_PREFIX}{len(contacts)}", request))
            earlier.append(request.request_id)
    return sorted((c for c in contacts if c.queued_at <= now), key=lambda c: (c.queued_at, c.key))


@dataclass(frozen=True)
class _Draws:
    """One day's random draws, one entry per contact."""

    offered: list[datetime]
    channels: np.ndarray
    languages: np.ndarray
    waits: np.ndarray
    patience: np.ndarray
    handles: np.ndarray
    delays: np.ndarray
    pick: np.ndarray

    @classmethod
    def for_day(cls, rng: np.random.Generator, day: date, n: int) -> "_Draws":
        hours = rng.choice(24, size=n, p=HOURS)
        # An hour's load against the day's mean over its open hours: a busy hour waits longer.
        open_hours = int(np.count_nonzero(HOURS))
        load = np.bincount(hours, minlength=24) / max(n / open_hours, 1.0)
        # In UTC: an aware datetime in the city's zone adds wall-clock time, which runs backwards
        # across the spring's missing hour.
        midnight = datetime.combine(day, time(0), tzinfo=clock.city_timezone()).astimezone(UTC)
        seconds = hours * 3600 + rng.uniform(0, 3600, size=n)
        return cls(
            offered=[midnight + timedelta(seconds=float(x)) for x in seconds],
            channels=rng.choice(len(CHANNELS), size=n, p=_shares(CHANNELS)),
            languages=rng.choice(len(LANGUAGES), size=n, p=_shares(LANGUAGES)),
            waits=rng.exponential(BASE_WAIT_SECONDS * np.maximum(load[hours], 0.3) ** 2),
            patience=rng.exponential(MEAN_PATIENCE_SECONDS, size=n),
            handles=rng.lognormal(np.log(MEDIAN_HANDLE_SECONDS), 0.45, size=n),
            # E-mails, texts and posts wait for an agent to get to them: minutes, not seconds.
            delays=rng.exponential(45 * 60, size=n),
            pick=rng.random(size=n),
        )

    def contact(self, i: int, key: str, kind: str, asked_about: int | None) -> HistoricContact:
        channel = CHANNELS[int(self.channels[i])][0]
        offered = self.offered[i]
        answered: datetime | None
        if channel == ContactChannel.PHONE and self.waits[i] > self.patience[i]:
            answered, ended = None, offered + timedelta(seconds=float(self.patience[i]))
        else:
            wait = self.waits[i] if channel == ContactChannel.PHONE else self.delays[i]
            answered = offered + timedelta(seconds=float(wait))
            ended = answered + timedelta(seconds=float(self.handles[i]))
        return HistoricContact(
            key=key,
            channel=channel,
            # An abandoned call was never anything: nobody heard what it was about.
            kind=kind if answered else "",
            language=LANGUAGES[int(self.languages[i])][0],
            queue="general" if channel == ContactChannel.PHONE else "",
            queued_at=offered,
            answered_at=answered,
            ended_at=ended,
            request_id=asked_about if answered else None,
        )


def _shares(choices: tuple[tuple[str, float], ...]) -> np.ndarray:
    weights = np.array([weight for _, weight in choices])
    return weights / weights.sum()


def _phone_request(rng: np.random.Generator, key: str, request: DemoRequest) -> HistoricContact:
    """The call that filed a phone request: answered (the request exists), ended after it."""
    wait = float(rng.exponential(BASE_WAIT_SECONDS))
    handle = float(rng.lognormal(np.log(MEDIAN_HANDLE_SECONDS * 1.4), 0.4))
    answered = request.requested_at.astimezone(UTC) - timedelta(seconds=60)
    return HistoricContact(
        key=key,
        channel=ContactChannel.PHONE,
        kind=ContactKind.SERVICE_REQUEST,
        language=LANGUAGES[int(rng.choice(len(LANGUAGES), p=_shares(LANGUAGES)))][0],
        queue="general",
        queued_at=answered - timedelta(seconds=wait),
        answered_at=answered,
        ended_at=answered + timedelta(seconds=handle),
        request_id=request.request_id,
    )
