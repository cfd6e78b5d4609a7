from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.utils import build_localized_fieldname, get_language

from cityline.catalog.models import (
    Agency,
    OpenDataText,
    RequestVisibility,
    ServiceAttribute,
    ServiceType,
)
from cityline.core.memo import SharedMemo
from cityline.core.models import objects_by_key
from cityline.sla.selectors import sla_policy_in_words


def agency_get_by_code(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def service_types_by_code(*, codes: Iterable[str]) -> tuple[list[ServiceType], list[str]]:
    """The types with these codes, in the codes' order, read in one query; and the codes no type
    has."""
    return objects_by_key(ServiceType.objects.all(), "code", codes)


class CatalogCounts(NamedTuple):
    agencies: int
    service_types: int
    staff_only_types: int


def catalog_counts() -> CatalogCounts:
    """How large the catalog is: for summaries such as the demo city's."""
    return CatalogCounts(
        agencies=Agency.objects.count(),
        service_types=ServiceType.objects.count(),
        staff_only_types=ServiceType.objects.filter(is_public=False).count(),
    )


def catalog_exists() -> bool:
    """Whether any service type has been set up."""
    return ServiceType.objects.exists()


def service_types_for_sla(*, codes: Iterable[str]) -> list[ServiceType]:
    """The types with these codes, each with its SLA policy and calendar read alongside."""
    return list(
        ServiceType.objects.filter(code__in=list(codes)).select_related("sla_policy__calendar")
    )


def service_type_list_public() -> QuerySet[ServiceType]:
    """The catalog residents and Open311 clients see: active, self-service types."""
    return (
        ServiceType.objects.filter(is_active=True, is_public=True)
        .select_related("group", "agency", "sla_policy")
        .prefetch_related("keywords", "attributes")
    )


def _hidden_request_types_load(_key: None) -> tuple[int, ...]:
    return tuple(
        ServiceType.objects.filter(
            Q(request_visibility=RequestVisibility.HIDDEN)
            | Q(request_visibility=RequestVisibility.AS_INTAKE, is_public=False)
        )
        .order_by("id")
        .values_list("id", flat=True)
    )


# Every public listing asks; each worker keeps the answer until a service type changes anywhere
# (the signals are connected in `apps`).
_hidden_request_types: SharedMemo[None, tuple[int, ...]] = SharedMemo(
    name="catalog-hidden-request-types", loader=_hidden_request_types_load
)
service_type_ids_with_hidden_requests_forget = _hidden_request_types.forget


def service_type_ids_with_hidden_requests() -> list[int]:
    """The ids of the types whose requests the public never sees: those set hidden, and
    staff-only types left to follow their intake. Ids, not a subquery: given them, PostgreSQL
    estimates how many rows a `NOT IN` keeps from the column's statistics, where a subquery's
    `NOT IN` is guessed to halve them, which turns a listing's page read in index order into a
    sort of its whole window."""
    return list(_hidden_request_types.get(None) or ())


def service_type_codes_with_hidden_requests() -> frozenset[str]:
    """The codes of the types whose requests the public never sees (as above)."""
    ids = service_type_ids_with_hidden_requests()
    return frozenset(ServiceType.objects.filter(pk__in=ids).values_list("code", flat=True))


class OpenDataRule(NamedTuple):
    """How one type's requests appear in open data."""

    text_published: bool
    location_sensitive: bool


def service_type_open_data_rules() -> dict[int, OpenDataRule]:
    """By type id, every type whose requests the public may see (not hidden, not staff-only
    unless set public), with how its requests are published; the others are absent."""
    hidden = service_type_ids_with_hidden_requests()
    return {
        pk: OpenDataRule(text_published=text == OpenDataText.SCRUBBED, location_sensitive=sensitive)
        for pk, text, sensitive in ServiceType.objects.exclude(pk__in=hidden)
        .order_by("id")
        .values_list("id", "open_data_text", "location_sensitive")
    }


def service_type_get_with_questions(*, code: str, public_only: bool = True) -> ServiceType | None:
    """One type with its questions and their values prefetched, as intake needs it."""
    types = ServiceType.objects.filter(code=code, is_active=True)
    if public_only:
        types = types.filter(is_public=True)
    return (
        types.select_related("agency", "sla_policy__calendar", "group")
        .prefetch_related(
            Prefetch("attributes", queryset=ServiceAttribute.objects.prefetch_related("values")),
            "routing_rules__agency",
            "sla_policy__calendar__closures",
            # Intake freezes due times with the current version's calendar.
            "sla_policy__versions__calendar__closures",
        )
        .first()
    )


# Fetching a type with its questions, their answer values, its routing rules and its calendar's
# closures takes several queries and about half the time of an Open311 POST, and a busy client
# posts the same few types hundreds of times a second: each worker keeps what it fetched until
# any of those rows changes anywhere (the signals are connected in `apps`).
_intake_types: SharedMemo[str, ServiceType] = SharedMemo(
    name="catalog-intake", loader=lambda code: service_type_get_with_questions(code=code)
)


def service_type_for_intake(*, code: str) -> ServiceType | None:
    """`service_type_get_with_questions` of a public type, from this worker's copy while the
    catalog is unchanged; None if there is no such type."""
    return _intake_types.get(code)


service_type_for_intake_forget = _intake_types.forget


def service_type_promises(*, codes: Iterable[str]) -> dict[str, str]:
    """For each public type among `codes` that has an SLA policy: its promise in words."""
    types = service_type_list_public().filter(code__in=list(codes), sla_policy__isnull=False)
    return {
        service_type.code: sla_policy_in_words(policy=service_type.sla_policy)
        for service_type in types.select_related("sla_policy").prefetch_related(None)
        if service_type.sla_policy is not None
    }


def service_type_list_active(*, agency_ids: Iterable[int] | None = None) -> list[ServiceType]:
    """Active types, public or staff-only, by name; those of these agencies only, if given."""
    types = ServiceType.objects.filter(is_active=True).select_related("agency")
    if agency_ids is not None:
        types = types.filter(agency_id__in=list(agency_ids))
    return list(types.order_by("name", "code"))


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.order_by("name")


def service_type_list_for_agency(*, agency: Agency | None) -> QuerySet[ServiceType]:
    """The agency's service types by name; every type when no agency is named."""
    types = ServiceType.objects.order_by("name")
    return types if agency is None else types.filter(agency=agency)


def catalog_text(path: str) -> Combinable:
    """A catalog text reached from another model (`service_type__name`, `agency__name`) in the
    active language, with the city's own where it has no translation. A catalog row's attributes
    are translated by modeltranslation; another model's lookups into it are not, so the selectors
    that read them in one query ask for this instead."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return F(path)
    translated = F(build_localized_fieldname(path, language))
    return Coalesce(NullIf(translated, Value("")), F(path), output_field=CharField())
