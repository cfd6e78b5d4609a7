"""Phone numbers as stored and searched across apps: the contacts' callers, the requesters."""

import re


def phone_digits(phone: str) -> str:
    """The digits of a phone number, as stored and searched: "(212) 555-0100" → "2125550100"."""
    return re.sub(r"\D", "", phone)
