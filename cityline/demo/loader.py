"""Building the demo city through the domain's own services.

`demo_city_build` upserts everything, so it can run again at any time: the catalog is updated in
place, boundary layers are re-imported, known address points are kept, and the history is
regenerated under the same source ids, so its requests are updated rather than duplicated.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

import numpy as np
from django.db import transaction
from shapely.geometry import shape

from cityline.catalog.classifier import NotEnoughHistory, classifier_train
from cityline.catalog.models import AttributeDatatype, ServiceType
from cityline.catalog.selectors import catalog_counts, catalog_exists, service_types_for_sla
from cityline.catalog.services import (
    RoutingRuleSpec,
    agency_upsert,
    catalog_translate,
    service_group_upsert,
    service_type_open_data_set,
    service_type_routing_set,
    service_type_upsert,
)
from cityline.contacts.services import contact_history_replace
from cityline.core import clock
from cityline.demo import content
from cityline.demo.calls import KEY_PREFIX, DemoRequest, calls_generate
from cityline.demo.emergencies import demo_area_subscribers, demo_emergency_record
from cityline.demo.history import (
    SOURCE,
    Park,
    Places,
    TypeSetup,
    history_generate,
    tracking_number_for,
)
from cityline.geo.selectors import address_point_count, boundary_layer_counts
from cityline.geo.services import address_points_load, boundary_layer_import
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.selectors import published_counts
from cityline.knowledge.services import topic_titles_set
from cityline.knowledge.transfer.importing import knowledge_import
from cityline.servicerequests.models import Status
from cityline.servicerequests.selectors import service_request_ids_of_source
from cityline.servicerequests.services.bulk import (
    HistoricRequest,
    service_request_bulk_upsert,
    service_request_statistics_refresh,
)
from cityline.servicerequests.services.sources import (
    historic_tracking_numbers_assign,
    service_request_prune_source,
)
from cityline.sla.models import BusinessCalendar, SlaUnit
from cityline.sla.rules import due_at
from cityline.sla.selectors import business_calendar_rules
from cityline.sla.services import ClosureSpec, business_calendar_upsert, sla_policy_upsert

BATCH_SIZE = 5000


@dataclass(frozen=True)
class LayerSummary:
    name: str
    areas: int
    is_zipcode: bool


@dataclass(frozen=True)
class DemoSummary:
    city: str
    agencies: int
    groups: int
    service_types: int
    staff_only_types: int
    layers: list[LayerSummary]
    address_points: int
    address_points_added: int
    articles: int
    translations: int
    requests: int
    requests_created: int
    requests_updated: int
    requests_removed: int
    open_requests: int
    first_request_at: datetime | None
    last_request_at: datetime | None
    contacts: int
    classifier_descriptions: int  # what the service-type classifier learned from; 0: none
    seconds: float


def demo_catalog_exists() -> bool:
    """Whether the city already has a catalog, in which case `--if-empty` leaves it alone."""
    return catalog_exists()


def demo_city_build(
    *, requests: int, seed: int, log: Callable[[str], None] = lambda line: None
) -> DemoSummary:
    """Build (or rebuild) the demo city with a history of `requests` requests for `seed`."""
    started = time.perf_counter()
    now = clock.now()
    city = content.city()
    with transaction.atomic():
        log(f"Catalog of {city.name}, {city.state_code}…")
        calendar = _calendar(now)
        policies = {
            p.name: sla_policy_upsert(
                name=p.name,
                amount=p.amount,
                unit=p.unit,
                calendar=calendar if p.unit == SlaUnit.BUSINESS_DAYS else None,
                acknowledge_hours=p.acknowledge_hours,
            )
            for p in content.catalog().sla_policies
        }
        agencies = {a["code"]: agency_upsert(**a) for a in content.agencies()}
        groups = {
            name: service_group_upsert(name=name, description=description)
            for name, description in content.catalog().groups
        }
        log("Boundary layers…")
        layers = {
            layer.slug: boundary_layer_import(
                slug=layer.slug,
                path=layer.path,
                name=layer.name,
                code_property="code",
                name_property="name",
                is_zipcode=layer.is_zipcode,
            ).layer
            for layer in city.layers
        }
        _service_types(agencies, groups, policies, layers)
        log("Knowledge base…")
        _knowledge_base()
        log("Address points…")
        added = address_points_load(records=content.addresses())

        log(f"Generating {requests:,} requests…")
        rows = demo_history(requests=requests, seed=seed, now=now)
        # The requests the new history no longer has (another seed, fewer requests, days that
        # have left the window) go; those it keeps keep their numbers.
        removed = service_request_prune_source(source=SOURCE, keep={r.source_id for r in rows})
        historic_tracking_numbers_assign(rows=rows, number_for=tracking_number_for)
        log(f"Loading {len(rows):,} requests…")
        created = updated = 0
        for start in range(0, len(rows), BATCH_SIZE):
            result = service_request_bulk_upsert(rows=rows[start : start + BATCH_SIZE])
            created, updated = created + result.created, updated + result.updated
            log(f"  {min(start + BATCH_SIZE, len(rows)):,} of {len(rows):,}")
        log("Contact center history…")
        contacts = _contact_history(rows, now=now, seed=seed)
        demo_emergency_record(now=now)
        demo_area_subscribers()
    # After the commit: PostgreSQL counts a transaction's changes when it commits, and an
    # ANALYZE before that would leave autovacuum to analyse the same tables again.
    service_request_statistics_refresh()
    log("Training the service-type classifier…")
    try:
        classifier_descriptions = classifier_train().rows
    except NotEnoughHistory:
        classifier_descriptions = 0

    catalog, knowledge = catalog_counts(), published_counts()
    return DemoSummary(
        city=f"{city.name}, {city.state_code}",
        agencies=catalog.agencies,
        groups=len(groups),
        service_types=catalog.service_types,
        staff_only_types=catalog.staff_only_types,
        layers=[
            LayerSummary(layer.name, layer.areas, layer.is_zipcode)
            for layer in boundary_layer_counts(layer_ids=[x.pk for x in layers.values()])
        ],
        address_points=address_point_count(),
        address_points_added=added,
        articles=knowledge.articles,
        translations=knowledge.translations,
        requests=len(rows),
        requests_created=created,
        requests_updated=updated,
        requests_removed=removed,
        open_requests=sum(1 for r in rows if r.status != Status.CLOSED),
        first_request_at=rows[0].requested_at if rows else None,
        last_request_at=rows[-1].requested_at if rows else None,
        contacts=contacts,
        classifier_descriptions=classifier_descriptions,
        seconds=time.perf_counter() - started,
    )


def _contact_history(rows: list[HistoricRequest], *, now: datetime, seed: int) -> int:
    """The contact center's history to match the requests (`demo/calls.py`)."""
    ids = service_request_ids_of_source(source=SOURCE)
    requests = [DemoRequest(ids[r.source_id], r.requested_at, r.channel) for r in rows]
    contacts = calls_generate(requests=requests, now=now, seed=seed)
    return contact_history_replace(prefix=KEY_PREFIX, contacts=contacts)


def demo_history(*, requests: int, seed: int, now: datetime | None = None) -> list[HistoricRequest]:
    """The demo city's history for a seed, as of `now`, over the catalog already loaded."""
    service_types = service_types_for_sla(codes=[t.code for t in content.catalog().service_types])
    return history_generate(
        types=_type_setups({t.code: t for t in service_types}),
        places=_places(),
        content=content.history(),
        calendar=content.city().calendar,
        total=requests,
        seed=seed,
        now=now,
    )


def _calendar(now: datetime) -> BusinessCalendar:
    """The city's business calendar, with its local closures for every year of the history and
    the next."""
    spec = content.city().calendar
    today = clock.to_city_time(now).date()
    first_year = (today - timedelta(days=content.history().days + 1)).year
    closures = [
        ClosureSpec(date=date(year, c.month, c.day), name=c.name)
        for year in range(first_year, today.year + 2)
        for c in spec.local_closures
    ]
    return business_calendar_upsert(
        name=spec.name,
        holiday_country=spec.holiday_country,
        holiday_subdivision=spec.holiday_subdivision,
        closures=closures,
    )


def _service_types(agencies, groups, policies, layers) -> None:
    translations = content.catalog_translations()
    for t in content.catalog().service_types:
        # Residents' words for the type in every language: "bache", "نفايات".
        keywords = [*t.keywords]
        for translation in translations:
            keywords += translation.keywords.get(t.code, ())
        service_type = service_type_upsert(
            code=t.code,
            name=t.name,
            agency=agencies[t.agency],
            group=groups[t.group],
            description=t.description,
            sla_policy=policies[t.sla],
            is_public=t.is_public,
            keywords=keywords,
            attributes=t.questions,
        )
        rules: list[RoutingRuleSpec] = []
        for rule in t.routing:
            if rule.layer:
                rules += [
                    RoutingRuleSpec(agency=agencies[rule.agency], area=area)
                    for area in layers[rule.layer].areas.order_by("code")
                ]
            elif rule.answer:
                code, value = rule.answer
                rules.append(
                    RoutingRuleSpec(
                        agency=agencies[rule.agency], attribute_code=code, attribute_value=value
                    )
                )
        service_type_routing_set(service_type=service_type, rules=rules)
        service_type_open_data_set(
            service_type_id=service_type.pk,
            text=t.open_data_text,
            location_sensitive=t.location_sensitive,
        )
    for translation in translations:
        catalog_translate(
            language=translation.language,
            agencies=translation.agencies,
            groups=translation.groups,
            service_types=translation.service_types,
        )


def _knowledge_base() -> None:
    """The city's answers to residents' questions, loaded through the knowledge import, and the
    catalog indexed for the same search."""
    search_index_service_types()
    report = knowledge_import(path=content.DATA / "knowledge")
    if report.errors:
        raise content.ContentError(
            "knowledge: " + "; ".join(f"{where}: {message}" for where, message in report.errors)
        )
    for translation in content.catalog_translations():
        topic_titles_set(language=translation.language, titles=translation.topics)


def _type_setups(service_types: dict[str, ServiceType]) -> list[TypeSetup]:
    zone = clock.city_timezone()
    due_by_policy: dict[int, Callable[[datetime], datetime]] = {}
    setups = []
    profiles = content.history().types
    for t in content.catalog().service_types:
        service_type = service_types[t.code]
        policy = service_type.sla_policy
        if policy is not None and policy.pk not in due_by_policy:
            rules = business_calendar_rules(calendar=policy.calendar) if policy.calendar else None
            due_by_policy[policy.pk] = partial(
                _due, amount=policy.amount, unit=policy.unit, zone=zone, calendar=rules
            )
        questions = {
            q.code: (
                [v.key for v in q.values],
                [v.name for v in q.values],
                q.datatype == AttributeDatatype.MULTIVALUELIST,
            )
            for q in t.questions
            if q.values
        }
        setups.append(
            TypeSetup(
                service_type=service_type,
                profile=profiles[t.code],
                due=due_by_policy[policy.pk] if policy is not None else None,
                questions=questions,
                routed=bool(t.routing),
            )
        )
    return setups


def _due(start: datetime, **policy) -> datetime:
    return due_at(start=start, **policy)


def _places() -> Places:
    city = content.city()
    records = list(content.addresses())
    parks_layer = next(layer for layer in city.layers if layer.slug == "parks")
    parks = []
    for feature in json.loads(parks_layer.path.read_text())["features"]:
        polygon = shape(feature["geometry"])
        # Requests keep a few metres inside a park, clear of its edge along the river.
        inner = polygon.buffer(-0.0001)
        parks.append(
            Park(
                feature["properties"]["name"],
                inner if not inner.is_empty else polygon,
                weight=polygon.area**0.5,
            )
        )
    return Places(
        latitudes=np.array([r.latitude for r in records]),
        longitudes=np.array([r.longitude for r in records]),
        addresses=[r.address for r in records],
        zipcodes=[r.zipcode for r in records],
        downtown=city.downtown,
        parks=parks,
    )
