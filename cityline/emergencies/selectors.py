"""What is known of emergencies: the ongoing one, read on every page from each web worker's memo
(a change reaches every worker on its next request, core/memo.py), and the record of all."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from cityline.catalog.translation import catalog_languages, text_in
from cityline.contacts.selectors import ContactCounts, contact_counts_during
from cityline.core.memo import SharedMemo
from cityline.emergencies.models import Broadcast, Emergency
from cityline.knowledge.selectors import article_titles_live


@dataclass(frozen=True)
class OngoingEmergency:
    id: int
    # By language: only the languages written.
    titles: dict[str, str]
    banners: dict[str, str]
    call_scripts: dict[str, str]
    pinned_slugs: tuple[str, ...]


@dataclass(frozen=True)
class Banner:
    title: str
    text: str
    language: str  # the language the words are in: the reader's, or the city's own


@dataclass(frozen=True)
class DeskBriefing:
    title: str
    call_script: str
    pinned: list[tuple[str, str]]  # (slug, title) of the pinned answers readers may see


def _texts(emergency: Emergency, field: str) -> dict[str, str]:
    texts = {code: getattr(emergency, f"{field}_{code}") for code in catalog_languages()}
    return {code: text for code, text in texts.items() if text}


def _load(_key: None) -> tuple[OngoingEmergency, ...]:
    # A tuple, empty when none is on: the memo keeps it (it never keeps None), so a city with no
    # emergency reads no row per request either.
    emergency = Emergency.objects.filter(ongoing=True).first()
    if emergency is None:
        return ()
    slugs = emergency.pinned_articles.order_by("title").values_list("slug", flat=True)
    return (
        OngoingEmergency(
            id=emergency.pk,
            titles=_texts(emergency, "title"),
            banners=_texts(emergency, "banner"),
            call_scripts=_texts(emergency, "call_script"),
            pinned_slugs=tuple(slugs),
        ),
    )


_ongoing: SharedMemo[None, tuple[OngoingEmergency, ...]] = SharedMemo(
    name="emergency-ongoing", loader=_load
)


def emergency_ongoing_forget(**_signal_arguments: object) -> None:
    _ongoing.forget()


def emergency_ongoing() -> OngoingEmergency | None:
    ongoing = _ongoing.get(None)
    return ongoing[0] if ongoing else None


def emergency_banner(*, language: str) -> Banner | None:
    """The ongoing emergency's banner in `language`, else in the city's own language."""
    ongoing = emergency_ongoing()
    if ongoing is None:
        return None
    text, text_language = text_in(ongoing.banners, language)
    title, _title_language = text_in(ongoing.titles, text_language)
    return Banner(title=title, text=text, language=text_language)


def emergency_desk_briefing(*, language: str) -> DeskBriefing | None:
    """What the desk shows while an emergency is on: its title, the call script and the pinned
    answers, in the agent's language where written."""
    ongoing = emergency_ongoing()
    if ongoing is None:
        return None
    return DeskBriefing(
        title=text_in(ongoing.titles, language)[0],
        call_script=text_in(ongoing.call_scripts, language)[0],
        pinned=article_titles_live(slugs=ongoing.pinned_slugs, language=language),
    )


def emergency_list() -> QuerySet[Emergency]:
    return Emergency.objects.select_related("started_by", "ended_by", "service_type")


def emergency_get(*, emergency_id: int) -> Emergency | None:
    return emergency_list().filter(pk=emergency_id).first()


def emergency_contacts(*, emergency: Emergency) -> ContactCounts:
    """The contacts the emergency brought: those offered while it was on, and those about a
    request of its service type."""
    return contact_counts_during(
        start=emergency.started_at,
        end=emergency.ended_at,
        service_type_id=emergency.service_type_id,
    )


def emergency_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages an emergency's words are written in, the city's own first."""
    names = dict(settings.LANGUAGES)
    return [(code, str(names[code])) for code in catalog_languages()]


def broadcast_list() -> QuerySet[Broadcast]:
    return Broadcast.objects.select_related("sent_by", "area", "service_group", "emergency")
