import pytest

from cityline.accounts.models import Crew
from cityline.accounts.services import crew_upsert
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


def test_editing_a_crew_in_the_admin_replaces_its_members(client):
    # given
    admin = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    dot = AgencyFactory.create(code="DOT")
    leaving, joining = UserFactory.create_batch(2, is_staff=True)
    crew = crew_upsert(agency=dot, name="Pothole crew 3", members=[leaving])
    client.force_login(admin)
    # when
    response = client.post(
        f"/admin/accounts/crew/{crew.pk}/change/",
        {"name": "Pothole crew 3", "agency": dot.pk, "members": [joining.pk]},
    )
    # then
    assert response.status_code == 302
    assert list(Crew.objects.get().members.all()) == [joining]


def test_a_crew_upserted_twice_is_one_crew_with_the_last_members():
    # given
    dot = AgencyFactory.create(code="DOT")
    first, second = UserFactory.create_batch(2, is_staff=True)
    crew_upsert(agency=dot, name="Pothole crew 3", members=[first])
    # when
    crew_upsert(agency=dot, name="Pothole crew 3", members=[second])
    # then
    assert [(c.name, list(c.members.all())) for c in Crew.objects.all()] == [
        ("Pothole crew 3", [second])
    ]
