import uuid

from django.core.management.base import BaseCommand, CommandError

from cityline.channels.services.sms import sms_receive
from cityline.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Take a text as if the SMS gateway had posted it, and print the replies: an operator "
        "tries the conversation without a gateway (the demo's replies are in Outgoing texts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("phone", help="The resident's number, e.g. +13125550100.")
        parser.add_argument("body", help="The text, e.g. 'pothole on my street' or 'STATUS 311-…'.")

    def handle(self, *args, phone: str, body: str, **options) -> None:
        try:
            received = sms_receive(phone=phone, body=body, gateway_id=f"cli-{uuid.uuid4().hex}")
        except DomainError as error:
            raise CommandError(f"{error.field}: {error.message}") from None
        for reply in received.replies:
            self.stdout.write(reply.body)
