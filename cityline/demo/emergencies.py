"""The demo city's record of a past emergency and a few subscribers of a council district, so the
console's emergency and broadcast pages are not empty; no emergency is on (the demo shows no
banner)."""

from datetime import datetime, timedelta

from cityline.emergencies.selectors import emergency_list
from cityline.emergencies.services import EmergencyWords, emergency_end, emergency_start
from cityline.geo.selectors import boundary_area_get
from cityline.notifications.area_subscriptions import (
    SubscriptionTopic,
    area_subscription_confirm,
    area_subscription_start,
    area_subscription_start_by_phone,
)
from cityline.notifications.models import Frequency

# A spring storm of the demo's history, for three days.
STORM_AGO = timedelta(days=45)
STORM_LASTED = timedelta(days=3)
STORM = EmergencyWords(
    titles={"en": "Spring storm", "es": "Tormenta de primavera", "ar": "عاصفة الربيع"},
    banners={
        "en": "Fallen trees and flooded underpasses: report them here, and call 911 if anyone "
        "is in danger.",
        "es": "Árboles caídos y pasos inferiores inundados: infórmelos aquí, y llame al 911 si "
        "alguien corre peligro.",
        "ar": "أشجار ساقطة وأنفاق مغمورة: أبلغوا عنها هنا، واتصلوا بـ 911 إذا كان أحد في خطر.",
    },
    call_scripts={
        "en": "Ask first whether anyone is in danger; if so, transfer to 911. Then take the "
        "place of the fallen tree or the flooded street.",
    },
)


def demo_emergency_record(*, now: datetime) -> bool:
    """The past storm, once: whether it was recorded now."""
    if emergency_list().exists():
        return False
    started = now - STORM_AGO
    storm = emergency_start(words=STORM, by=None, at=started)
    emergency_end(emergency=storm, by=None, at=started + STORM_LASTED)
    return True


SUBSCRIBERS_LAYER, SUBSCRIBERS_AREA = "council-districts", "1"
# Reserved for examples: nothing is ever delivered to them.
EMAIL_SUBSCRIBERS = (("ana@example.org", "en"), ("lola@example.org", "es"))
# Fictional numbers (555-01xx); texts only reach the demo's folder.
PHONE_SUBSCRIBERS = (("13125550101", "en"), ("13125550102", "ar"))


def demo_area_subscribers() -> int:
    """A few confirmed subscribers of council district 1, by e-mail and by text, in several
    languages; asking again changes nothing. How many there are."""
    area = boundary_area_get(layer_slug=SUBSCRIBERS_LAYER, code=SUBSCRIBERS_AREA)
    topic = SubscriptionTopic(
        area_id=area.pk if area else None, service_group_id=None, service_type_id=None
    )
    subscriptions = [
        area_subscription_start(
            email=email, language=language, topic=topic, frequency=Frequency.WEEKLY
        )
        for email, language in EMAIL_SUBSCRIBERS
    ] + [
        area_subscription_start_by_phone(phone=phone, language=language, topic=topic)
        for phone, language in PHONE_SUBSCRIBERS
    ]
    for subscription in subscriptions:
        area_subscription_confirm(subscription=subscription)
    return len(subscriptions)
