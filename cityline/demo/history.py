"""Generating the demo city's history of service requests.

The history is deterministic for a seed and a day: every request is drawn from its own random
stream, named by its source id (`<seed>-<date>-<type>-<n>`), so running the demo again the same
day gives the same requests, and running it a day later gives mostly the same requests and a new
day's, with some of yesterday's open requests now closed, as a real city's history moves on.

What shapes it, all from `data/history.json`:

- volume (`volume.py`): each type's share, season, weekly rhythm, holidays, growth, weather
  events and day-to-day noise;
- time of day: an hourly profile per type (noise at night, parking at rush hour);
- place: address points weighted by a profile (downtown, residential, outer, everywhere) plus a
  few hot spots per type, or points inside parks for park types;
- channel, priority, answers to the type's questions and a description from its phrases, in
  English, Spanish or Arabic as `description_languages` shares them out;
- outcome: closed with a resolution and a public note, or still open; the time to close is drawn
  so that each type meets its SLA at its own rate, and recent requests are more often open.
"""

import bisect
import hashlib
import math
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import NormalDist

import holidays
import numpy as np
import shapely
from django.conf import settings

from cityline.catalog.models import ServiceType
from cityline.catalog.routing import agency_for_request
from cityline.core import clock
from cityline.demo.content import CalendarContent, HistoryContent, TypeHistory
from cityline.demo.volume import TREND_ANCHOR, daily_counts
from cityline.geo.areas import areas_for_points
from cityline.servicerequests.models import Channel, Resolution, Status
from cityline.servicerequests.services.bulk import HistoricRequest
from cityline.servicerequests.tracking import ALPHABET

SOURCE = "demo"
QUICK_RESOLUTIONS = {Resolution.DUPLICATE, Resolution.CANCELLED, Resolution.REFERRED}
MINIMUM_TIME_TO_CLOSE = timedelta(minutes=20)
LATE_HOURS = ["11 p.m.", "midnight", "12:30 a.m.", "1 a.m.", "2 a.m.", "3 a.m."]
PIN_JITTER_DEGREES = 0.00012  # about 13 m: where a phone's pin lands near the address


@dataclass(frozen=True)
class Park:
    name: str
    polygon: shapely.Geometry  # WGS 84 (longitude, latitude)
    weight: float


@dataclass(frozen=True)
class Places:
    """Where requests can be: the address points, and the parks."""

    latitudes: np.ndarray
    longitudes: np.ndarray
    addresses: list[str]
    zipcodes: list[str]
    downtown: tuple[float, float]  # (latitude, longitude)
    parks: list[Park]

    def km_from(self, latitude: float, longitude: float) -> np.ndarray:
        x = (self.longitudes - longitude) * 111.2 * math.cos(math.radians(latitude))
        y = (self.latitudes - latitude) * 111.2
        return np.hypot(x, y)


@dataclass
class TypeSetup:
    """A service type as the generator needs it: its row, its history profile, its SLA and the
    answer keys and names of its list questions."""

    service_type: ServiceType
    profile: TypeHistory
    due: Callable[[datetime], datetime] | None
    questions: dict[str, tuple[list[str], list[str], bool]] = field(default_factory=dict)
    routed: bool = False
    code: str = field(init=False)

    def __post_init__(self) -> None:
        self.code = self.service_type.code


def tracking_number_for(source_id: str, attempt: int = 0) -> str:
    """A tracking number that looks like a native one and is fixed for a source id; `attempt`
    draws another in the rare case one is taken."""
    digest = hashlib.blake2b(f"{source_id}#{attempt}".encode(), digest_size=5).digest()
    n = int.from_bytes(digest, "big")
    body = "".join(ALPHABET[(n >> (5 * i)) & 31] for i in range(8))
    return f"{settings.CITYLINE_TRACKING_PREFIX}-{body[:4]}-{body[4:]}"


def history_generate(
    *,
    types: Sequence[TypeSetup],
    places: Places,
    content: HistoryContent,
    calendar: CalendarContent,
    total: int,
    seed: int,
    now: datetime | None = None,
) -> list[HistoricRequest]:
    """`total` requests over the `content.days` days up to `now`, oldest first."""
    now = now or clock.now()
    zone = clock.city_timezone()
    local_now = now.astimezone(zone)
    today = local_now.date()
    dates = [today - timedelta(days=i) for i in range(content.days - 1, -1, -1)]
    days_off = holidays.country_holidays(
        calendar.holiday_country,
        subdiv=calendar.holiday_subdivision or None,
        years=range(dates[0].year, today.year + 1),
    )
    hour_cdfs = [_cdf(t.profile.hours) for t in types]
    elapsed_today = local_now.hour + local_now.minute / 60 + local_now.second / 3600
    # Today counts only the share of its requests that have come in by now.
    today_share = [_elapsed_share(cdf, elapsed_today) for cdf in hour_cdfs]
    counts = daily_counts(
        profiles=[(t.code, t.profile) for t in types],
        dates=dates,
        days_off=days_off,
        content=content,
        seed=seed,
        today_share=today_share,
        total=total,
    )

    location_cdfs = [_location_cdf(places, t, seed) for t in types]
    park_cdf = _cdf([p.weight for p in places.parks]) if places.parks else []
    for park in places.parks:
        shapely.prepare(park.polygon)
    draw = _Draws(types, content)

    rows: list[HistoricRequest] = []
    routed: list[tuple[int, TypeSetup, dict]] = []
    for d, day in enumerate(dates):
        midnight = datetime.combine(day, datetime.min.time())
        for t in np.flatnonzero(counts[d]).tolist():
            setup = types[t]
            share = today_share[t] if day == today else 1.0
            for k in range(int(counts[d, t])):
                source_id = f"{seed}-{day:%Y%m%d}-{setup.code}-{k}"
                rng = random.Random(source_id)
                seconds = _time_of_day(hour_cdfs[t], rng.random() * share)
                requested_at = min(
                    (midnight + timedelta(seconds=seconds)).replace(tzinfo=zone),
                    now - timedelta(seconds=1),
                )
                row, answers = _request(
                    rng=rng,
                    setup=setup,
                    source_id=source_id,
                    day=day,
                    requested_at=requested_at,
                    now=now,
                    places=places,
                    location_cdf=location_cdfs[t],
                    park_cdf=park_cdf,
                    draw=draw,
                )
                if setup.routed:
                    routed.append((len(rows), setup, answers))
                rows.append(row)
    _route(rows, routed)
    rows.sort(key=lambda r: (r.requested_at, r.source_id))
    return rows


def _cdf(weights: Sequence[float]) -> list[float]:
    total = float(sum(weights))
    cdf, running = [0.0], 0.0
    for w in weights:
        running += w / total
        cdf.append(running)
    cdf[-1] = 1.0
    return cdf


def _elapsed_share(hour_cdf: list[float], hours: float) -> float:
    """The share of a day's requests made before `hours` o'clock, by the type's hourly profile."""
    h = min(int(hours), 23)
    return hour_cdf[h] + (hour_cdf[h + 1] - hour_cdf[h]) * (hours - h)


def _time_of_day(hour_cdf: list[float], u: float) -> float:
    """Seconds after midnight at which the share `u` of the day's requests has come in."""
    h = min(max(bisect.bisect_right(hour_cdf, u) - 1, 0), 23)
    width = hour_cdf[h + 1] - hour_cdf[h]
    within = (u - hour_cdf[h]) / width if width > 0 else 0.5
    return 3600 * (h + min(max(within, 0.0), 0.9999))


def _location_cdf(places: Places, setup: TypeSetup, seed: int) -> list[float]:
    """A cumulative weight per address point: the type's geography plus its hot spots."""
    km = places.km_from(*places.downtown)
    where = setup.profile.where
    if where == "downtown":
        base = 0.25 + 4 * np.exp(-((km / 1.6) ** 2))
    elif where == "residential":
        base = 0.4 + np.exp(-(((km - 3.0) / 1.6) ** 2)) + 0.8 * np.exp(-((km / 2.0) ** 2))
    elif where == "outer":
        base = 0.2 + np.minimum(km / 6, 1.0) ** 1.5
    else:
        base = 0.6 + 1.5 * np.exp(-((km / 2.5) ** 2))
    weights = base / base.sum()
    if setup.profile.hotspots:
        rng = np.random.default_rng([seed, zlib.crc32(setup.code.encode())])
        centres = rng.choice(len(weights), size=setup.profile.hotspots, replace=False, p=weights)
        hot = np.zeros_like(weights)
        for c in centres.tolist():
            sigma = rng.uniform(0.12, 0.35)
            near = np.exp(
                -0.5 * (places.km_from(places.latitudes[c], places.longitudes[c]) / sigma) ** 2
            )
            hot += near / near.sum() * rng.uniform(0.5, 1.5)
        weights = 0.7 * weights + 0.3 * hot / hot.sum()
    cdf = np.cumsum(weights)
    return (cdf / cdf[-1]).tolist()


class _Draws:
    """Cumulative weights for the per-request choices, worked out once per type."""

    def __init__(self, types: Sequence[TypeSetup], content: HistoryContent) -> None:
        self.content = content
        self.resolutions = {t.code: _choices(t.profile.resolutions) for t in types}
        self.priorities = {t.code: _choices(t.profile.priorities) for t in types}
        self.met_z = {t.code: NormalDist().inv_cdf(t.profile.met) for t in types}
        self.answers = {t.code: _answer_choices(t) for t in types}
        self.languages = _choices(content.description_languages or {"en": 1.0})
        self._channels: dict[tuple[str, int], tuple[list[str], list[float]]] = {}
        self._types = {t.code: t for t in types}

    def channel(self, code: str, day: date, rng: random.Random) -> str:
        quarter = (day - TREND_ANCHOR).days // 91
        key = (code, quarter)
        if key not in self._channels:
            years = quarter * 91 / 365.25
            mix = {
                channel: weight * self.content.channel_trend.get(channel, 1.0) ** years
                for channel, weight in self._types[code].profile.channels.items()
            }
            self._channels[key] = _choices(mix)
        return _pick(rng, self._channels[key])


def _choices(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    names = [name for name, w in weights.items() if w > 0]
    cumulative, running = [], 0.0
    for name in names:
        running += weights[name]
        cumulative.append(running)
    return names, cumulative


def _pick(rng: random.Random, choices: tuple[list[str], list[float]]) -> str:
    names, cumulative = choices
    return names[min(bisect.bisect(cumulative, rng.random() * cumulative[-1]), len(names) - 1)]


def _request(
    *,
    rng: random.Random,
    setup: TypeSetup,
    source_id: str,
    day: date,
    requested_at: datetime,
    now: datetime,
    places: Places,
    location_cdf: list[float],
    park_cdf: list[float],
    draw: _Draws,
) -> tuple[HistoricRequest, dict]:
    profile = setup.profile
    channel = draw.channel(setup.code, day, rng)

    in_park = bool(places.parks) and rng.random() < profile.parks
    if in_park:
        park = places.parks[
            min(bisect.bisect_right(park_cdf, rng.random()) - 1, len(places.parks) - 1)
        ]
        longitude, latitude = _point_in(park.polygon, rng)
        address, street, zipcode = park.name, park.name, ""
    else:
        i = min(bisect.bisect_left(location_cdf, rng.random()), len(location_cdf) - 1)
        latitude, longitude = float(places.latitudes[i]), float(places.longitudes[i])
        address, zipcode = places.addresses[i], places.zipcodes[i]
        street = address.split(" ", 1)[1] if " " in address else address
    place = address
    if channel == Channel.MOBILE and not in_park and rng.random() < draw.content.pin_only:
        # A pin dropped from a phone: near the address, but with no address of its own.
        latitude += rng.uniform(-PIN_JITTER_DEGREES, PIN_JITTER_DEGREES)
        longitude += rng.uniform(-PIN_JITTER_DEGREES, PIN_JITTER_DEGREES)
        address = ""

    answers = _answers(rng, draw.answers[setup.code])
    language = _pick(rng, draw.languages)
    description = _description(rng, setup, answers, language=language, street=street, place=place)
    priority = _pick(rng, draw.priorities[setup.code])
    expected_at = setup.due(requested_at) if setup.due else None

    resolution = _pick(rng, draw.resolutions[setup.code])
    never_closes = rng.random() < profile.backlog
    # Time to close as a multiple of the SLA: log-normal, so that P(multiple < 1) = met rate.
    multiple = math.exp(profile.spread * (rng.gauss(0, 1) - draw.met_z[setup.code]))
    if resolution in QUICK_RESOLUTIONS:
        multiple *= 0.25
    target = (expected_at - requested_at) if expected_at else timedelta(days=7)
    closes_at = requested_at + max(target * multiple, MINIMUM_TIME_TO_CLOSE)

    closed_at: datetime | None = None
    if not never_closes and closes_at <= now:
        status, updated_at, closed_at = Status.CLOSED, closes_at, closes_at
        notes = profile.closing_notes.get(resolution) or [""]
        status_notes = rng.choice(notes)
    else:
        resolution, status_notes = "", ""
        age = now - requested_at
        if age < timedelta(hours=1):
            status = Status.NEW
        else:
            status = rng.choices(
                [Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS], weights=[0.15, 0.35, 0.5]
            )[0]
        updated_at = requested_at if status == Status.NEW else requested_at + age * rng.random()

    row = HistoricRequest(
        source=SOURCE,
        source_id=source_id,
        tracking_number=tracking_number_for(source_id),
        service_type_id=setup.service_type.pk,
        agency_id=setup.service_type.agency_id,
        requested_at=requested_at,
        updated_at=updated_at,
        status=status,
        resolution=resolution,
        status_notes=status_notes,
        description=description,
        channel=channel,
        priority=priority,
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        address=address,
        zipcode=zipcode,
        expected_at=expected_at,
        closed_at=closed_at,
        # The bulk loader stores answers as text, so single-value answers go with the request.
        answers={code: key for code, key in answers.items() if isinstance(key, str)},
    )
    return row, answers


def _point_in(polygon: shapely.Geometry, rng: random.Random) -> tuple[float, float]:
    west, south, east, north = polygon.bounds
    for _ in range(100):
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(polygon, x, y):
            return x, y
    point = polygon.representative_point()
    return point.x, point.y


def _answer_choices(setup: TypeSetup) -> dict[str, tuple[list[str], list[float], bool]]:
    """Per list question: the keys a resident picks, with the profile's weights (else even)."""
    choices = {}
    for code, (keys, _names, multi) in setup.questions.items():
        weights = setup.profile.answers.get(code) or dict.fromkeys(keys, 1.0)
        names, cumulative = _choices({k: weights.get(k, 0.0) for k in keys})
        choices[code] = (names, cumulative, multi)
    return choices


def _answers(
    rng: random.Random, choices: dict[str, tuple[list[str], list[float], bool]]
) -> dict[str, str | list[str]]:
    """An answer to each list question; a multi-value question gets a second answer now and
    then."""
    answers: dict[str, str | list[str]] = {}
    for code, (keys, cumulative, multi) in choices.items():
        chosen = _pick(rng, (keys, cumulative))
        if multi:
            extra = [k for k in keys if k != chosen]
            answers[code] = (
                [chosen, rng.choice(extra)] if extra and rng.random() < 0.3 else [chosen]
            )
        else:
            answers[code] = chosen
    return answers


def _description(
    rng: random.Random, setup: TypeSetup, answers: dict, *, language: str, street: str, place: str
) -> str:
    """A phrase of the type's in `language`, or in English when it has none in that language."""

    def matches(when: dict[str, str]) -> bool:
        for code, key in when.items():
            answer = answers.get(code)
            if key not in (answer if isinstance(answer, list) else [answer]):
                return False
        return True

    templates = setup.profile.descriptions_in.get(language) or setup.profile.descriptions
    pool = [t for t in templates if t.when and matches(t.when)] or [
        t for t in templates if not t.when
    ]
    template = rng.choice(pool)
    text = template.text.format_map(
        description_fills(rng, setup, answers, street=street, place=place)
    )
    text = text.replace("..", ".")  # a fill that ends a sentence with "a.m."
    return text[:1].upper() + text[1:]


class _Fills(dict):
    """Fills a template's placeholders, drawing only the ones it names."""

    def __init__(self, rng: random.Random, setup: TypeSetup, answers: dict, **known: str) -> None:
        super().__init__(known)
        self.rng, self.setup, self.answers = rng, setup, answers

    def __missing__(self, name: str) -> str:
        rng, words = self.rng, self.setup.profile.fills.get(name)
        if name in self.answers:
            keys, names, _ = self.setup.questions[name]
            answer = self.answers[name]
            own = words if isinstance(words, dict) else {}
            value = " and ".join(
                own.get(key) or names[keys.index(key)].lower()
                for key in (answer if isinstance(answer, list) else [answer])
            )
        elif isinstance(words, list):
            value = rng.choice(words)
        elif name == "days":
            value = str(2 + int(rng.random() * 13))
        elif name == "weeks":
            value = str(2 + int(rng.random() * 5))
        elif name == "late":
            value = rng.choice(LATE_HOURS)
        else:
            raise KeyError(name)
        self[name] = value
        return value


def description_fills(
    rng: random.Random, setup: TypeSetup, answers: dict, *, street: str, place: str
) -> dict[str, str]:
    """What a phrase template may name: {street} and {place}, {days} and {weeks} (small
    numbers), {late} (an hour of the night), the answer to any of the type's list questions by its
    code (the answer's name, or the type's own word for it in `fills`), and the type's fills."""
    return _Fills(rng, setup, answers, street=street, place=place)


def _route(rows: list[HistoricRequest], routed: list[tuple[int, TypeSetup, dict]]) -> None:
    """Let the catalog's routing rules pick the agency of requests whose type has any.

    The rules look only at some areas and some answers, so requests alike in those are routed
    once and share the outcome.
    """
    if not routed:
        return
    setups = {setup.code: setup for _, setup, _ in routed}
    rules = {code: list(setup.service_type.routing_rules.all()) for code, setup in setups.items()}
    decided: dict[tuple, int] = {}
    points = [(rows[i].latitude, rows[i].longitude) for i, _, _ in routed]
    for (i, setup, answers), areas in zip(routed, areas_for_points(points), strict=True):  # type: ignore[arg-type]
        area_ids = [a.id for a in areas]
        key = (
            setup.code,
            frozenset(r.area_id for r in rules[setup.code]) & frozenset(area_ids),
            tuple(str(answers.get(r.attribute_code)) for r in rules[setup.code]),
        )
        if key not in decided:
            decided[key] = agency_for_request(
                service_type=setup.service_type, answers=answers, area_ids=area_ids
            ).pk
        rows[i].agency_id = decided[key]
