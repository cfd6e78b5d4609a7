import importlib

import pytest
from django.apps import apps

from cityline.servicerequests.models import Requester
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "cityline.servicerequests.migrations.0023_requester_phone_digits"
)


def test_intake_keeps_the_phone_as_typed_and_its_digits_to_look_it_up():
    # when
    request = make_request(requester=RequesterDetails(phone="+1 (212) 555-0142"))
    # then
    requester = Requester.objects.get(request=request)
    assert (requester.phone, requester.phone_digits) == ("+1 (212) 555-0142", "12125550142")


def test_a_requester_without_a_phone_has_no_digits():
    # when
    request = make_request(requester=RequesterDetails(email="ana@example.org"))
    # then
    assert Requester.objects.get(request=request).phone_digits == ""


def test_the_fill_gives_every_stored_requester_its_phones_digits_across_chunks():
    # given: requesters stored before their phone's digits were
    typed = ["(212) 555-0142", "212.555.0199", "", "718 555 0100"]
    requests = [
        make_request(requester=RequesterDetails(phone=p, email="a@example.org")) for p in typed
    ]
    Requester.objects.update(phone_digits="")
    # when
    migration.requester_phone_digits_fill(apps, None, chunk_size=2)
    # then
    digits = dict(Requester.objects.values_list("request_id", "phone_digits"))
    assert [digits[r.pk] for r in requests] == ["2125550142", "2125550199", "", "7185550100"]
