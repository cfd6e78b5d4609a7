import json
import uuid
from typing import Any

from django.conf import settings

from cityline.accounts.models import User
from cityline.emergencies.broadcasts import BroadcastWords
from cityline.emergencies.models import Emergency
from cityline.emergencies.services import EmergencyWords, emergency_start
from cityline.geo.models import BoundaryArea
from cityline.notifications.area_subscriptions import (
    SubscriptionTopic,
    area_subscription_confirm,
    area_subscription_start,
    area_subscription_start_by_phone,
)
from cityline.notifications.models import AreaSubscription, Frequency

FLOOD_TITLES = {"en": "River flooding", "es": "Inundación del río", "ar": "فيضان النهر"}
FLOOD_BANNERS = {
    "en": "Stay away from the riverbank. Report flooded streets here.",
    "es": "Aléjese de la orilla del río. Informe aquí de calles inundadas.",
    "ar": "ابتعدوا عن ضفة النهر. أبلغوا هنا عن الشوارع المغمورة.",
}
FLOOD_SCRIPTS = {"en": "Ask whether anyone is in danger; if so, transfer to 911."}


def flood_words(**changes: Any) -> EmergencyWords:
    words = {"titles": FLOOD_TITLES, "banners": FLOOD_BANNERS, "call_scripts": FLOOD_SCRIPTS}
    return EmergencyWords(**{**words, **changes})


def flood_form(**changes: str) -> dict[str, Any]:
    """The console form's fields for the flood."""
    data: dict[str, Any] = {}
    for code in ("en", "es", "ar"):
        data[f"title_{code}"] = FLOOD_TITLES[code]
        data[f"banner_{code}"] = FLOOD_BANNERS[code]
        data[f"call_script_{code}"] = FLOOD_SCRIPTS.get(code, "")
    return {**data, **changes}


def make_emergency(*, by: User | None = None, **kwargs: Any) -> Emergency:
    return emergency_start(words=kwargs.pop("words", flood_words()), by=by, **kwargs)


def texts_sent() -> list[dict[str, str]]:
    """The texts the demo gateway wrote, oldest first."""
    folder = settings.CITYLINE_SMS_FOLDER / "new"
    if not folder.exists():
        return []
    return [json.loads(path.read_text()) for path in sorted(folder.iterdir())]


def subscribed(
    *,
    email: str = "",
    phone: str = "",
    language: str = "en",
    area: BoundaryArea | None = None,
    service_group_id: int | None = None,
) -> AreaSubscription:
    """A confirmed subscription, by e-mail (each new request) or by mobile number (alerts)."""
    topic = SubscriptionTopic(
        area_id=area.pk if area else None, service_group_id=service_group_id, service_type_id=None
    )
    if phone:
        subscription = area_subscription_start_by_phone(phone=phone, language=language, topic=topic)
    else:
        subscription = area_subscription_start(
            email=email, language=language, topic=topic, frequency=Frequency.EACH
        )
    return area_subscription_confirm(subscription=subscription)


FLOOD_SUBJECTS = {"en": "Flood warning", "es": "Aviso de inundación", "ar": "تحذير من فيضان"}
FLOOD_TEXTS = {
    "en": "Move cars off Riverside Drive before 6 pm.",
    "es": "Retire los coches de Riverside Drive antes de las 18:00.",
    "ar": "انقلوا السيارات من شارع ريفرسايد قبل السادسة مساءً.",
}


def flood_broadcast_words() -> BroadcastWords:
    return BroadcastWords(subjects=FLOOD_SUBJECTS, texts=FLOOD_TEXTS)


def flood_broadcast_form(**changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {"key": str(uuid.uuid4()), "area": "", "group": ""}
    for code in ("en", "es", "ar"):
        data[f"subject_{code}"] = FLOOD_SUBJECTS[code]
        data[f"text_{code}"] = FLOOD_TEXTS[code]
    return {**data, **changes}
