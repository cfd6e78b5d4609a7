"""Switching an emergency on and off. Each switch is one transaction with its audit entry, and
the service type it offers to residents is offered (and withdrawn) through the catalog's
services in the same transaction."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from cityline.accounts.audit import audit_record
from cityline.accounts.models import User
from cityline.catalog.selectors import service_type_list_active
from cityline.catalog.services import service_type_public_set
from cityline.catalog.translation import catalog_languages
from cityline.core import clock
from cityline.core.errors import Conflict, InvalidInput, InvalidTransition
from cityline.emergencies.models import BANNER_MAX, TITLE_MAX, Emergency
from cityline.knowledge.selectors import articles_live

PINNED_MAX = 9  # one per digit key on the desk


@dataclass(frozen=True)
class EmergencyWords:
    """The words of an emergency, each by language code."""

    titles: Mapping[str, str]
    banners: Mapping[str, str]
    call_scripts: Mapping[str, str]


def _check_words(words: EmergencyWords) -> None:
    # Title and banner in every language: residents read them on every page. The call script is
    # for staff, and falls back to the city's language.
    for code in catalog_languages():
        title = words.titles.get(code, "").strip()
        banner = words.banners.get(code, "").strip()
        if not title:
            raise InvalidInput("give the title in every language", field=f"title_{code}")
        if len(title) > TITLE_MAX:
            raise InvalidInput(f"a title has at most {TITLE_MAX} characters", field=f"title_{code}")
        if not banner:
            raise InvalidInput("give the banner in every language", field=f"banner_{code}")
        if len(banner) > BANNER_MAX:
            raise InvalidInput(
                f"a banner has at most {BANNER_MAX} characters", field=f"banner_{code}"
            )


def emergency_start(
    *,
    words: EmergencyWords,
    pinned_slugs: Sequence[str] = (),
    service_type_id: int | None = None,
    by: User | AnonymousUser | None,
    ip: str | None = None,
    at: datetime | None = None,
) -> Emergency:
    """Switch an emergency on: its banner shows on every page, its script and answers on the
    desk, and its service type (a staff-only type prepared in the catalog) is offered to
    residents until it ends. One emergency is on at a time. `at`: when it started, for a
    record written afterwards (the demo's); now by default."""
    _check_words(words)
    if len(pinned_slugs) > PINNED_MAX:
        raise InvalidInput(f"pin at most {PINNED_MAX} answers", field="pinned_articles")
    articles = list(articles_live().filter(slug__in=pinned_slugs))
    if len(articles) != len(set(pinned_slugs)):
        raise InvalidInput("pin published answers only", field="pinned_articles")
    if service_type_id is not None and service_type_id not in {
        t.pk for t in service_type_list_active() if not t.is_public
    }:
        raise InvalidInput(
            "choose an active staff-only service type: it is offered to residents while the "
            "emergency lasts",
            field="service_type",
        )
    texts = {}
    for code in catalog_languages():
        texts[f"title_{code}"] = words.titles[code].strip()
        texts[f"banner_{code}"] = words.banners[code].strip()
        texts[f"call_script_{code}"] = words.call_scripts.get(code, "").strip()
    try:
        with transaction.atomic():
            emergency = Emergency.objects.create(
                **texts,
                service_type_id=service_type_id,
                started_at=at or clock.now(),
                started_by=by if isinstance(by, User) else None,
            )
            emergency.pinned_articles.set(articles)
            if service_type_id is not None:
                service_type_public_set(service_type_id=service_type_id, is_public=True)
            audit_record(
                actor=by,
                action="emergency.started",
                target=emergency,
                details={"title": emergency.title, "service_type_id": service_type_id},
                ip=ip,
            )
    except IntegrityError as error:
        if Emergency.objects.filter(ongoing=True).exists():
            raise Conflict("an emergency is already on: switch it off first") from error
        raise
    return emergency


def emergency_end(
    *,
    emergency: Emergency,
    by: User | AnonymousUser | None,
    ip: str | None = None,
    at: datetime | None = None,
) -> Emergency:
    """Switch the emergency off: the banner, the desk's script and the service type it offered
    go. Switching off twice is refused."""
    with transaction.atomic():
        emergency = Emergency.objects.select_for_update().get(pk=emergency.pk)
        if not emergency.ongoing:
            raise InvalidTransition("this emergency is already off")
        emergency.ongoing = False
        emergency.ended_at = at or clock.now()
        if emergency.ended_at < emergency.started_at:
            raise InvalidInput("an emergency ends after it starts", field="at")
        emergency.ended_by = by if isinstance(by, User) else None
        emergency.save(update_fields=["ongoing", "ended_at", "ended_by", "updated_at"])
        if emergency.service_type_id is not None:
            service_type_public_set(service_type_id=emergency.service_type_id, is_public=False)
        audit_record(
            actor=by,
            action="emergency.ended",
            target=emergency,
            details={"title": emergency.title},
            ip=ip,
        )
    return emergency
