"""The outbox handlers that offer surveys: after a contact an agent wrapped up, and after a
request closed; and the taker of surveys answered by text."""

from cityline.channels.services.sms import sms_answer_taker
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_handler
from cityline.surveys.services import (
    survey_answer_by_text,
    survey_offer_after_close,
    survey_offer_after_contact,
)

sms_answer_taker(survey_answer_by_text)


@outbox_handler("contact.ended")
def offer_contact_survey(message: OutboxMessage) -> None:
    survey_offer_after_contact(outbox_message=message)


@outbox_handler("request.closed")
def offer_service_survey(message: OutboxMessage) -> None:
    survey_offer_after_close(outbox_message=message)
