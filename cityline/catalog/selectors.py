from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from cityline.catalog.models import RequestVisibility, ServiceAttribute, ServiceType
from cityline.sla.selectors import sla_policy_in_words


def service_type_list_public() -> QuerySet[ServiceType]:
    """The catalog residents and Open311 clients see: active, self-service types."""
    return (
        ServiceType.objects.filter(is_active=True, is_public=True)
        .select_related("group", "agency", "sla_policy")
        .prefetch_related("keywords", "attributes")
    )


def service_type_ids_with_hidden_requests() -> QuerySet[ServiceType, Any]:
    """The ids (as a subquery) of the types whose requests the public never sees: those set
    hidden, and staff-only types left to follow their intake."""
    return ServiceType.objects.filter(
        Q(request_visibility=RequestVisibility.HIDDEN)
        | Q(request_visibility=RequestVisibility.AS_INTAKE, is_public=False)
    ).values("id")


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
            "sla_policy__versions",
        )
        .first()
    )


def service_type_promises(*, codes: Iterable[str]) -> dict[str, str]:
    """For each public type among `codes` that has an SLA policy: its promise in words."""
    types = service_type_list_public().filter(code__in=list(codes), sla_policy__isnull=False)
    return {
        service_type.code: sla_policy_in_words(policy=service_type.sla_policy)
        for service_type in types.select_related("sla_policy").prefetch_related(None)
        if service_type.sla_policy is not None
    }
