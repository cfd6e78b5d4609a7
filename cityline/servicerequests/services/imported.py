"""What an import adds to requests it has stored: their source's history notes and the links of
duplicates to the request they repeat. Both are keyed by (source, source_id), like the requests,
so importing the same data again adds and changes nothing."""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.db import transaction

from cityline.servicerequests import events
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ImportedNote:
    source_id: str
    occurred_at: datetime
    note: str


def service_request_imported_notes_add(*, source: str, notes: Sequence[ImportedNote]) -> int:
    """Add each note to the history of the stored request of `source` it belongs to, once.

    A note already there (same request, time and text) is not added again; notes of requests not
    stored are dropped. A note is public. It tells the request's status at import when it was
    written while that status held: at or after a closed request's closing time it is `closed`
    with its resolution, before it the request was still being worked (`in_progress`).
    """
    added = 0
    with transaction.atomic():
        for chunk in _chunks(notes):
            requests = {
                source_id: (pk, status, resolution, closed_at)
                for source_id, pk, status, resolution, closed_at in ServiceRequest.objects.filter(
                    source=source, source_id__in={note.source_id for note in chunk}
                ).values_list("source_id", "pk", "status", "resolution", "closed_at")
            }
            held = set(
                RequestUpdate.objects.filter(
                    request_id__in=[pk for pk, *_ in requests.values()], kind=UpdateKind.NOTE
                ).values_list("request_id", "occurred_at", "note")
            )
            entries = []
            for note in chunk:
                request = requests.get(note.source_id)
                if request is None:
                    continue
                pk, status, resolution, closed_at = request
                if (pk, note.occurred_at, note.note) in held:
                    continue
                held.add((pk, note.occurred_at, note.note))
                if (
                    status == Status.CLOSED
                    and closed_at is not None
                    and note.occurred_at < closed_at
                ):
                    status, resolution = Status.IN_PROGRESS, ""
                entries.append(
                    RequestUpdate(
                        request_id=pk,
                        kind=UpdateKind.NOTE,
                        status=status,
                        resolution=resolution,
                        note=note.note,
                        visibility=Visibility.PUBLIC,
                        via=Channel.IMPORT,
                        occurred_at=note.occurred_at,
                    )
                )
            added += events.request_imported_notes_event(entries=entries)
    return added


def service_request_imported_duplicates_link(*, source: str, parents: Mapping[str, str]) -> int:
    """Link each stored request of `source` to the stored request it duplicates (source_id →
    the parent's source_id); returns how many links were made or moved.

    As when staff mark a duplicate, a link always points at the root of its parent, so chains
    never form, and the duplicates of a request follow it to that root. A parent not stored yet is
    linked when the duplicate is imported again after it.
    """
    linked = 0
    with transaction.atomic():
        keys = set(parents) | set(parents.values())
        ids = dict(
            ServiceRequest.objects.filter(source=source, source_id__in=keys).values_list(
                "source_id", "pk"
            )
        )
        roots = dict(
            ServiceRequest.objects.filter(pk__in=ids.values()).values_list("pk", "parent_id")
        )
        for child_key, parent_key in parents.items():
            child, parent = ids.get(child_key), ids.get(parent_key)
            if child is None or parent is None:
                continue
            root = roots.get(parent) or parent
            if root == child:
                continue
            linked += (
                ServiceRequest.objects.filter(pk=child)
                .exclude(parent_id=root)
                .update(parent_id=root)
            )
            ServiceRequest.objects.filter(parent=child).update(parent_id=root)
            roots[child] = root
    return linked


def _chunks(items: Sequence[ImportedNote]) -> Iterator[list[ImportedNote]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk
