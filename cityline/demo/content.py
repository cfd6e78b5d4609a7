"""The demo city's content, read from the files under `data/`.

- `city.json`: the city, its business calendar, its boundary layers and address file;
- `agencies.json`: the agencies and their public contact details;
- `catalog.json`: service groups, SLA policies and service types with their questions, keywords
  and routing rules;
- `catalog.<language>.json`: the catalog's text in another language of the pages (agencies'
  names, groups, types with their questions), the words residents use in it for each type, and
  the knowledge base's topics' titles in it;
- `history.json`: how the generated history behaves: volumes, seasons, daily and weekly rhythm,
  where requests come from, how they are closed and what residents write;
- the GeoJSON layers and `addresses.csv`, drawn by `geography.py`.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cityline.catalog.models import AttributeDatatype, OpenDataText
from cityline.catalog.services import (
    AttributeSpec,
    AttributeValueSpec,
    QuestionText,
    ServiceTypeText,
    Text,
)
from cityline.geo.services import AddressRecord
from cityline.servicerequests.models import Channel, Priority, Resolution
from cityline.sla.models import SlaUnit

DATA = Path(__file__).resolve().parent / "data"


class ContentError(ValueError):
    """A content file says something the loader cannot use."""


@dataclass(frozen=True)
class Closure:
    month: int
    day: int
    name: str


@dataclass(frozen=True)
class CalendarContent:
    name: str
    holiday_country: str
    holiday_subdivision: str
    local_closures: tuple[Closure, ...]


@dataclass(frozen=True)
class LayerContent:
    slug: str
    name: str
    path: Path
    is_zipcode: bool


@dataclass(frozen=True)
class CityContent:
    name: str
    state: str
    state_code: str
    river: str
    origin: tuple[float, float]  # (latitude, longitude)
    downtown: tuple[float, float]
    website: str
    calendar: CalendarContent
    layers: tuple[LayerContent, ...]
    addresses_path: Path


@dataclass(frozen=True)
class RoutingContent:
    agency: str
    layer: str = ""  # every area of this layer
    answer: tuple[str, str] | None = None  # (question code, answer key)


@dataclass(frozen=True)
class ServiceTypeContent:
    code: str
    name: str
    group: str
    agency: str
    sla: str
    description: str
    is_public: bool
    keywords: tuple[str, ...]
    questions: tuple[AttributeSpec, ...]
    routing: tuple[RoutingContent, ...]
    # How open data publishes the type's requests: its text (`OpenDataText`) and whether its
    # locations are generalised. A tenant's home or a neighbour named in a complaint is not
    # something a city puts on a public map.
    open_data_text: str = OpenDataText.SCRUBBED
    location_sensitive: bool = False


@dataclass(frozen=True)
class SlaPolicyContent:
    name: str
    amount: int
    unit: str
    acknowledge_hours: int | None = None


@dataclass(frozen=True)
class CatalogContent:
    groups: tuple[tuple[str, str], ...]  # (name, description)
    sla_policies: tuple[SlaPolicyContent, ...]
    service_types: tuple[ServiceTypeContent, ...]


@dataclass(frozen=True)
class Template:
    text: str
    when: dict[str, str] = field(default_factory=dict)  # question code -> answer key


@dataclass(frozen=True)
class TypeHistory:
    """How one service type's requests are generated."""

    share: float
    months: tuple[float, ...]
    hours: tuple[float, ...]
    weekdays: tuple[float, ...]
    where: str
    hotspots: int
    parks: float
    met: float
    spread: float
    backlog: float
    channels: dict[str, float]
    priorities: dict[str, float]
    resolutions: dict[str, float]
    answers: dict[str, dict[str, float]]
    descriptions: tuple[Template, ...]
    # Phrases in the city's other languages, by language; they name only {street}, {place},
    # {days} and {weeks}, whose fills are not words.
    descriptions_in: dict[str, tuple[Template, ...]]
    fills: dict[str, list[str] | dict[str, str]]
    closing_notes: dict[str, list[str]]


@dataclass(frozen=True)
class EventContent:
    """Weather that brings a burst of some requests: a snowstorm, a heat wave…"""

    name: str
    months: tuple[int, ...]
    per_season: int
    days: tuple[float, ...]
    boost: dict[str, float]


@dataclass(frozen=True)
class HistoryContent:
    days: int
    yearly_growth: float
    daily_noise_shape: float
    holiday_volume: float
    day_after_holiday: dict[str, float]
    channel_trend: dict[str, float]
    pin_only: float
    # The share of residents who describe a problem in each language (English the rest).
    description_languages: dict[str, float]
    events: tuple[EventContent, ...]
    types: dict[str, TypeHistory]


WHERE_PROFILES = ("downtown", "residential", "outer", "everywhere")


def _read(name: str):
    try:
        return json.loads((DATA / name).read_text())
    except (OSError, ValueError) as exc:
        raise ContentError(f"{name}: {exc}") from exc


@cache
def city() -> CityContent:
    raw = _read("city.json")
    calendar = raw["calendar"]
    return CityContent(
        name=raw["name"],
        state=raw["state"],
        state_code=raw["state_code"],
        river=raw["river"],
        origin=(raw["origin"]["latitude"], raw["origin"]["longitude"]),
        downtown=(raw["downtown"]["latitude"], raw["downtown"]["longitude"]),
        website=raw["website"],
        calendar=CalendarContent(
            name=calendar["name"],
            holiday_country=calendar["holiday_country"],
            holiday_subdivision=calendar.get("holiday_subdivision", ""),
            local_closures=tuple(Closure(**c) for c in calendar.get("local_closures", [])),
        ),
        layers=tuple(
            LayerContent(
                slug=layer["slug"],
                name=layer["name"],
                path=DATA / layer["file"],
                is_zipcode=layer.get("is_zipcode", False),
            )
            for layer in raw["layers"]
        ),
        addresses_path=DATA / raw["addresses"],
    )


@cache
def agencies() -> tuple[dict[str, str], ...]:
    """Each agency as the keyword arguments of `catalog.services.agency_upsert`."""
    return tuple(_read("agencies.json"))


@dataclass(frozen=True)
class CatalogTranslation:
    """The catalog in one language, as `catalog.services.catalog_translate` takes it, and each
    type's keywords in that language."""

    language: str
    agencies: dict[str, Text]
    groups: dict[str, Text]
    service_types: dict[str, ServiceTypeText]
    keywords: dict[str, tuple[str, ...]]
    topics: dict[str, str]


@cache
def catalog_translations() -> tuple[CatalogTranslation, ...]:
    """Every `catalog.<language>.json`, by language."""
    translations = []
    for path in sorted(DATA.glob("catalog.*.json")):
        language = path.name.split(".")[1]
        raw = _read(path.name)
        translations.append(
            CatalogTranslation(
                language=language,
                agencies={code: Text(name=name) for code, name in raw["agencies"].items()},
                groups={
                    group: Text(name=name, description=description)
                    for group, (name, description) in raw["groups"].items()
                },
                service_types={
                    code: ServiceTypeText(
                        name=t["name"],
                        description=t.get("description", ""),
                        questions={
                            question: QuestionText(
                                description=q.get("description", ""),
                                datatype_description=q.get("datatype_description", ""),
                                values=q.get("values", {}),
                            )
                            for question, q in t.get("questions", {}).items()
                        },
                    )
                    for code, t in raw["service_types"].items()
                },
                keywords={
                    code: tuple(t.get("keywords", ())) for code, t in raw["service_types"].items()
                },
                topics=raw.get("topics", {}),
            )
        )
    return tuple(translations)


def _question(code: str, raw: dict) -> AttributeSpec:
    where = f"catalog.json: {code}/{raw.get('code')}"
    if "notice" in raw:
        return AttributeSpec(
            code=raw["code"], description=raw["notice"], datatype="string", variable=False
        )
    if raw.get("type") not in AttributeDatatype.values:
        raise ContentError(f"{where}: unknown type {raw.get('type')!r}")
    return AttributeSpec(
        code=raw["code"],
        description=raw["question"],
        datatype=raw["type"],
        required=raw.get("required", False),
        datatype_description=raw.get("hint", ""),
        values=tuple(AttributeValueSpec(key=k, name=n) for k, n in raw.get("values", [])),
    )


def _routing(code: str, raw: dict) -> RoutingContent:
    if bool(raw.get("layer")) == bool(raw.get("answer")):
        raise ContentError(f"catalog.json: {code}: a routing rule has a layer or an answer")
    answer = (str(raw["answer"][0]), str(raw["answer"][1])) if raw.get("answer") else None
    return RoutingContent(agency=raw["agency"], layer=raw.get("layer", ""), answer=answer)


@cache
def catalog() -> CatalogContent:
    raw = _read("catalog.json")
    policies = tuple(SlaPolicyContent(**p) for p in raw["sla_policies"])
    for policy in policies:
        if policy.unit not in SlaUnit.values:
            raise ContentError(f"catalog.json: SLA {policy.name!r}: unknown unit {policy.unit!r}")
    types = tuple(
        ServiceTypeContent(
            code=t["code"],
            name=t["name"],
            group=t["group"],
            agency=t["agency"],
            sla=t["sla"],
            description=t["description"],
            is_public=t.get("public", True),
            keywords=tuple(t.get("keywords", [])),
            questions=tuple(_question(t["code"], q) for q in t.get("questions", [])),
            routing=tuple(_routing(t["code"], r) for r in t.get("routing", [])),
            open_data_text=t.get("open_data", {}).get("text", OpenDataText.SCRUBBED),
            location_sensitive=t.get("open_data", {}).get("location_sensitive", False),
        )
        for t in raw["service_types"]
    )
    groups = tuple((g["name"], g.get("description", "")) for g in raw["groups"])
    _check_references(types, {g for g, _ in groups}, {p.name for p in policies})
    return CatalogContent(groups=groups, sla_policies=policies, service_types=types)


def _check_references(types, groups: set[str], policies: set[str]) -> None:
    agency_codes = {a["code"] for a in agencies()}
    layers = {layer.slug for layer in city().layers}
    codes = [t.code for t in types]
    if len(set(codes)) != len(codes):
        raise ContentError("catalog.json: service type codes repeat")
    for t in types:
        problems = []
        if t.group not in groups:
            problems.append(f"unknown group {t.group!r}")
        if t.sla not in policies:
            problems.append(f"unknown SLA policy {t.sla!r}")
        for agency in [t.agency, *(r.agency for r in t.routing)]:
            if agency not in agency_codes:
                problems.append(f"unknown agency {agency!r}")
        problems += [
            f"unknown layer {r.layer!r}" for r in t.routing if r.layer not in ("", *layers)
        ]
        if problems:
            raise ContentError(f"catalog.json: {t.code}: {'; '.join(problems)}")


def _weights(where: str, raw: dict, allowed) -> dict[str, float]:
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise ContentError(f"history.json: {where}: unknown {', '.join(unknown)}")
    return {key: float(value) for key, value in raw.items()}


def _mix(defaults: dict[str, float], override: dict[str, float]) -> dict[str, float]:
    """An override names only what differs from the city-wide mix."""
    return {**defaults, **override}


@cache
def history() -> HistoryContent:
    raw = _read("history.json")
    hours, weekdays = raw["hours"], raw["weekdays"]
    channels = _weights("channels", raw["channels"], Channel.values)
    priorities = _weights("priorities", raw["priorities"], Priority.values)
    resolutions = _weights("resolutions", raw["resolutions"], Resolution.values)
    notes = raw["closing_notes"]
    known = {t.code: t for t in catalog().service_types}
    types = {}
    for code, t in raw["types"].items():
        if code not in known:
            raise ContentError(f"history.json: {code} is not in the catalog")
        where = f"types.{code}"
        if t["hours"] not in hours or t["weekdays"] not in weekdays:
            raise ContentError(f"history.json: {where}: unknown hours or weekdays profile")
        if t["where"] not in WHERE_PROFILES:
            raise ContentError(f"history.json: {where}: 'where' is one of {WHERE_PROFILES}")
        resolution_override = t.get("resolutions")
        types[code] = TypeHistory(
            share=float(t["share"]),
            months=tuple(t.get("months", [1.0] * 12)),
            hours=tuple(hours[t["hours"]]),
            weekdays=tuple(weekdays[t["weekdays"]]),
            where=t["where"],
            hotspots=int(t.get("hotspots", 0)),
            parks=float(t.get("parks", 0.0)),
            met=float(t["met"]),
            spread=float(t.get("spread", 0.8)),
            backlog=float(t.get("backlog", 0.01)),
            channels=_mix(channels, _weights(where, t.get("channels", {}), Channel.values)),
            priorities=_mix(priorities, _weights(where, t.get("priorities", {}), Priority.values)),
            # A type's own resolution mix is complete: it replaces the city-wide one.
            resolutions=(
                _weights(where, resolution_override, Resolution.values)
                if resolution_override
                else resolutions
            ),
            answers={
                q: {k: float(w) for k, w in ws.items()} for q, ws in t.get("answers", {}).items()
            },
            descriptions=tuple(
                Template(text=d) if isinstance(d, str) else Template(text=d["text"], when=d["when"])
                for d in t["descriptions"]
            ),
            descriptions_in={
                language: tuple(Template(text=text) for text in texts)
                for language, texts in t.get("descriptions_in", {}).items()
            },
            fills=t.get("fills", {}),
            closing_notes={**notes, **t.get("closing_notes", {})},
        )
    missing = sorted(set(known) - set(types))
    if missing:
        raise ContentError(f"history.json: no history for {', '.join(missing)}")
    for code, profile in types.items():
        _check_profile(code, profile, known[code])
    events = tuple(
        EventContent(
            name=e["name"],
            months=tuple(e["months"]),
            per_season=int(e["per_season"]),
            days=tuple(e["days"]),
            boost={k: float(v) for k, v in e["boost"].items()},
        )
        for e in raw["events"]
    )
    for event in events:
        unknown = sorted(set(event.boost) - set(known))
        if unknown:
            raise ContentError(f"history.json: event {event.name}: unknown {', '.join(unknown)}")
    return HistoryContent(
        days=int(raw["days"]),
        yearly_growth=float(raw["yearly_growth"]),
        daily_noise_shape=float(raw["daily_noise_shape"]),
        holiday_volume=float(raw["holidays"]["volume"]),
        day_after_holiday={k: float(v) for k, v in raw["holidays"]["day_after"].items()},
        channel_trend={k: float(v) for k, v in raw["channel_trend"].items()},
        pin_only=float(raw["pin_only"]),
        description_languages={
            language: float(share)
            for language, share in raw.get("description_languages", {}).items()
        },
        events=events,
        types=types,
    )


def _check_profile(code: str, profile: TypeHistory, service_type: ServiceTypeContent) -> None:
    where = f"history.json: types.{code}"
    if (len(profile.months), len(profile.hours), len(profile.weekdays)) != (12, 24, 7):
        raise ContentError(f"{where}: 12 months, 24 hours and 7 weekdays, please")
    if not 0 < profile.met < 1:
        raise ContentError(f"{where}: 'met' is a share between 0 and 1")
    answers = {q.code: {v.key for v in q.values} for q in service_type.questions if q.values}
    asked = list(profile.answers.items())
    asked += [(q, {key: 1.0}) for t in profile.descriptions for q, key in t.when.items()]
    for question, weights in asked:
        if question not in answers:
            raise ContentError(f"{where}: {question!r} is not a list question of the type")
        if not set(weights) <= answers[question] or not any(w > 0 for w in weights.values()):
            raise ContentError(f"{where}: answers to {question!r} name keys it does not have")
    if not profile.descriptions or not any(not t.when for t in profile.descriptions):
        raise ContentError(f"{where}: needs phrases that fit any answer")


def addresses() -> Iterator[AddressRecord]:
    with city().addresses_path.open(newline="") as source:
        for row in csv.DictReader(source):
            yield AddressRecord(
                address=row["address"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                zipcode=row["zipcode"],
            )
