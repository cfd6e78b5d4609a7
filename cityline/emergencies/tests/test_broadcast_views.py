import pytest
from django.core import mail

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.core.outbox import outbox_sweep
from cityline.emergencies.models import Broadcast
from cityline.emergencies.tests.factories import FLOOD_SUBJECTS, flood_broadcast_form, subscribed
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client):
    user = user_with_role(Role.SUPERVISOR_311, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def district():
    council = BoundaryLayerFactory.create(slug="council", name="Council Districts")
    return BoundaryAreaFactory.create(
        layer=council,
        code="4",
        name="Council District 4",
        geometry=square(west=-87.7, south=41.8, size=0.1),
    )


def test_the_form_previews_the_audience_before_it_sends(client, supervisor, district):
    # given
    subscribed(email="ana@example.org", area=district)
    subscribed(phone="15550001111", area=district)
    # when
    response = client.post(
        "/console/broadcasts/new/", flood_broadcast_form(area="council:4", preview="1")
    )
    # then
    assert response.status_code == 200
    assert (response.context["audience"].email, response.context["audience"].sms) == (1, 1)
    assert "Send it now" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_sending_twice_the_same_form_sends_once(client, supervisor, district):
    # given
    subscribed(email="ana@example.org", area=district)
    mail.outbox.clear()
    form = flood_broadcast_form(area="council:4", send="1")
    # when
    first = client.post("/console/broadcasts/new/", form)
    again = client.post("/console/broadcasts/new/", form, follow=True)
    outbox_sweep()
    # then
    assert first.status_code == 302
    assert "was sent already" in again.content.decode()
    assert Broadcast.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_the_list_shows_each_broadcast_with_its_audience_and_deliveries(client, supervisor):
    # given
    subscribed(email="ana@example.org")
    client.post("/console/broadcasts/new/", flood_broadcast_form(send="1"))
    outbox_sweep()
    # when
    page = client.get("/console/broadcasts/").content.decode()
    # then
    assert FLOOD_SUBJECTS["en"] in page
    assert "1 by e-mail, 0 by text" in page
    assert "1 sent, 0 unsubscribed meanwhile, 0 waiting" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject_es": ""}, "subject_es"),
        ({"text_ar": ""}, "text_ar"),
        ({"text_en": "x" * 601}, "text_en"),
        ({"area": "council:99"}, "area"),
        ({"group": "nothing"}, "group"),
        ({"key": "not-a-key"}, "key"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, supervisor, district, changes, field):
    # when
    response = client.post("/console/broadcasts/new/", flood_broadcast_form(send="1", **changes))
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Broadcast.objects.exists()


def test_an_auditor_reads_the_list_but_may_not_send(client):
    # given
    client.force_login(user_with_role(Role.AUDITOR, is_staff=True))
    # when
    page = client.get("/console/broadcasts/")
    refused = client.post("/console/broadcasts/new/", flood_broadcast_form(send="1"))
    # then
    assert page.status_code == 200 and "Write a broadcast" not in page.content.decode()
    assert refused.status_code == 403
