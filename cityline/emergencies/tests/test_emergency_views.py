import pytest

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.emergencies.models import Emergency
from cityline.emergencies.services import emergency_end
from cityline.emergencies.tests.factories import FLOOD_BANNERS, flood_form, make_emergency
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client):
    user = user_with_role(Role.SUPERVISOR_311, is_staff=True)
    client.force_login(user)
    return user


def test_a_supervisor_switches_an_emergency_on_from_the_console(client, supervisor):
    # when
    response = client.post("/console/emergencies/on/", flood_form())
    # then
    assert response.status_code == 302
    emergency = Emergency.objects.get()
    assert (emergency.ongoing, emergency.started_by) == (True, supervisor)
    page = client.get("/console/emergencies/")
    assert "Switch it off" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title_es": ""}, "title_es"),
        ({"banner_ar": ""}, "banner_ar"),
        ({"banner_en": "x" * 401}, "banner_en"),
        ({"service_type": "999"}, "service_type"),
        ({"pinned_articles": "no-such-answer"}, "pinned_articles"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, supervisor, changes, field):
    # when
    response = client.post("/console/emergencies/on/", flood_form(**changes))
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Emergency.objects.exists()


def test_a_second_emergency_is_refused_with_a_400(client, supervisor):
    # given
    make_emergency(by=supervisor)
    # when
    response = client.post("/console/emergencies/on/", flood_form())
    # then
    assert response.status_code == 400
    assert "already on" in response.content.decode()
    assert Emergency.objects.count() == 1


def test_the_banner_shows_on_the_portal_in_the_readers_language_until_switched_off(
    client, supervisor
):
    # given
    emergency = make_emergency(by=supervisor)
    client.logout()
    # when
    spanish = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    arabic = client.get("/help/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    emergency_end(emergency=emergency, by=supervisor)
    after = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # then
    assert FLOOD_BANNERS["es"] in spanish
    assert FLOOD_BANNERS["ar"] in arabic
    assert FLOOD_BANNERS["es"] not in after
    assert 'class="emergency-banner"' not in after


def test_the_desk_shows_the_script_and_the_pinned_answers(client):
    # given
    make_article(slug="sandbags", title="Where do I get sandbags?")
    make_emergency(pinned_slugs=["sandbags"])
    client.force_login(user_with_role(Role.CALL_TAKER, is_staff=True))
    # when
    page = client.get("/console/desk/").content.decode()
    # then
    assert "Ask whether anyone is in danger" in page
    assert "Where do I get sandbags?" in page


def test_switching_off_from_the_console_is_audited(client, supervisor):
    # given
    emergency = make_emergency(by=supervisor)
    # when
    response = client.post(f"/console/emergencies/{emergency.pk}/off/")
    # then
    assert response.status_code == 302
    emergency.refresh_from_db()
    assert not emergency.ongoing
    assert AuditEntry.objects.filter(action="emergency.ended", actor=supervisor).exists()


def test_switching_off_twice_says_it_is_already_off(client, supervisor):
    # given
    emergency = make_emergency(by=supervisor)
    emergency_end(emergency=emergency, by=supervisor)
    # when
    response = client.post(f"/console/emergencies/{emergency.pk}/off/", follow=True)
    # then
    assert "already off" in response.content.decode()


def test_the_emergencys_page_shows_what_it_brought(client, supervisor):
    # given
    emergency = make_emergency(by=supervisor)
    # when
    response = client.get(f"/console/emergencies/{emergency.pk}/")
    # then
    assert response.status_code == 200
    assert response.context["counts"].contacts == 0
    assert "River flooding" in response.content.decode()


def test_an_auditor_reads_the_record_but_has_no_switch(client):
    # given
    emergency = make_emergency()
    client.force_login(user_with_role(Role.AUDITOR, is_staff=True))
    # when
    page = client.get("/console/emergencies/").content.decode()
    refused = client.post(f"/console/emergencies/{emergency.pk}/off/")
    # then
    assert "River flooding" in page and "Switch it off" not in page
    assert refused.status_code == 403
