import pytest

from cityline.accounts.models import Crew
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_makes_a_crew_of_an_agencys_staff_in_the_admin(client):
    # given
    admin = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    dot = AgencyFactory.create(code="DOT")
    member = UserFactory.create(username="dana", is_staff=True)
    client.force_login(admin)
    # when
    response = client.post(
        "/admin/accounts/crew/add/",
        {"name": "Pothole crew 3", "agency": dot.pk, "members": [member.pk]},
    )
    # then
    assert response.status_code == 302
    crew = Crew.objects.get()
    assert (crew.name, crew.agency, list(crew.members.all())) == ("Pothole crew 3", dot, [member])
