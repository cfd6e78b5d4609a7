"""Public tracking numbers: short, unambiguous when read aloud, unguessable, apart from the pk."""

import secrets

from django.conf import settings

# Crockford's base 32: no I, L, O or U, so nothing is misread over the phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def tracking_number_new() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{settings.CITYLINE_TRACKING_PREFIX}-{body[:4]}-{body[4:]}"
