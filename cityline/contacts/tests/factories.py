from datetime import datetime, timedelta

from cityline.accounts.models import User
from cityline.contacts.models import Contact, ContactChannel
from cityline.contacts.services import CallerDetails, contact_end, contact_start


def make_contact(
    *,
    agent: User | None,
    at: datetime,
    kind: str = "",
    channel: str = ContactChannel.PHONE,
    caller: CallerDetails | None = None,
    handled_for: timedelta | None = None,
    referred_to: str = "",
) -> Contact:
    """A contact started on the desk at `at` and, with a kind, wrapped up `handled_for` later."""
    contact = contact_start(channel=channel, agent=agent, language="en", caller=caller, at=at)
    if kind:
        contact = contact_end(
            contact=contact,
            kind=kind,
            referred_to=referred_to,
            at=at + (handled_for or timedelta(minutes=3)),
        )
    return contact
