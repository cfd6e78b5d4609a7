from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from cityline.catalog.models import Agency
from cityline.integrations.models import (
    AgencyIntegration,
    AgencyKey,
    DeliveryStatus,
    WorkOrderEvent,
)


def agency_integration_get_enabled(*, agency_id: int) -> AgencyIntegration | None:
    return AgencyIntegration.objects.filter(agency_id=agency_id, enabled=True).first()


def agency_key_get_active(*, raw_key: str) -> AgencyKey | None:
    return (
        AgencyKey.objects.filter(key_hash=AgencyKey.hash_key(raw_key), revoked_at__isnull=True)
        .select_related("agency")
        .first()
    )


def agency_get_by_code(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


@dataclass(frozen=True)
class IntegrationBacklog:
    """An integration's work orders for the console: counts, and the events waiting or dead."""

    integration: AgencyIntegration
    pending: int
    delivered: int
    dead: int
    dead_events: Sequence[WorkOrderEvent]
    pending_events: Sequence[WorkOrderEvent]


def integration_backlog_list(*, shown: int = 50) -> list[IntegrationBacklog]:
    """Every integration with its counts and, oldest first, up to `shown` dead and pending
    events (those the console can replay or watch)."""
    integrations = AgencyIntegration.objects.select_related("agency").annotate(
        pending=Count("events", filter=Q(events__status=DeliveryStatus.PENDING)),
        delivered=Count("events", filter=Q(events__status=DeliveryStatus.DELIVERED)),
        dead=Count("events", filter=Q(events__status=DeliveryStatus.DEAD)),
    )
    listed = []
    for integration in integrations:
        events = WorkOrderEvent.objects.filter(integration=integration).select_related("request")
        listed.append(
            IntegrationBacklog(
                integration=integration,
                pending=integration.pending,
                delivered=integration.delivered,
                dead=integration.dead,
                dead_events=list(events.filter(status=DeliveryStatus.DEAD)[:shown]),
                pending_events=list(events.filter(status=DeliveryStatus.PENDING)[:shown]),
            )
        )
    return listed
