from typing import Any

import factory

from cityline.accounts.models import Crew, User
from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.catalog.models import Agency
from cityline.geo.models import BoundaryArea


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def user_with_role(
    role: Role,
    *,
    agency: Agency | None = None,
    area: BoundaryArea | None = None,
    **fields: Any,
) -> User:
    """A person granted one role (for an agency or an area, as the role requires)."""
    user = UserFactory.create(**fields)
    role_grant(user=user, role=role, agency=agency, area=area, by=None)
    return user


class CrewFactory(factory.django.DjangoModelFactory[Crew]):
    class Meta:
        model = Crew

    name = factory.Sequence(lambda n: f"Crew {n}")
    agency = factory.SubFactory("cityline.catalog.tests.factories.AgencyFactory")
