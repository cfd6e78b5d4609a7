"""Reading Open311 documents in tests, and the personal details none may reveal."""

import json
import re

from defusedxml import ElementTree

# W3C date and time with an offset and no fractions of a second.
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# Personal details a resident gave; none may ever appear in a GET answer.
PERSONAL = {
    "first_name": "Ada",
    "last_name": "Lovelace-Byron",
    "email": "ada.lovelace@example.org",
    "phone": "+1 312 555 0199",
    "device_id": "device-7f3a9c",
    "account_id": "account-42-secret",
}


def parse_xml(response):
    """The XML root of a response, parsed safely, after checking the declared content type."""
    assert response["Content-Type"] == XML_TYPE
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def parse_json(response):
    assert response["Content-Type"] == JSON_TYPE
    return json.loads(response.content)


def assert_error(response, status: int, *, mentions: str = "") -> str:
    """The response is the spec's error document with this status; return its description."""
    assert response.status_code == status, response.content
    if response["Content-Type"] == XML_TYPE:
        root = parse_xml(response)
        assert root.tag == "errors"
        [error] = root.findall("error")
        assert error.findtext("code") == str(status)
        description = error.findtext("description")
    else:
        body = parse_json(response)
        assert isinstance(body, list) and len(body) == 1
        assert body[0]["code"] == status
        description = body[0]["description"]
    assert mentions in description, description
    return description
