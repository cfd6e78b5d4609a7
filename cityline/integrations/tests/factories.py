import factory

from cityline.catalog.tests.factories import AgencyFactory
from cityline.integrations.models import AgencyIntegration


class AgencyIntegrationFactory(factory.django.DjangoModelFactory[AgencyIntegration]):
    class Meta:
        model = AgencyIntegration

    agency = factory.SubFactory(AgencyFactory)
    endpoint_url = factory.LazyAttribute(lambda o: f"http://127.0.0.1:9/agencies/{o.agency.code}/")
    signing_secret = factory.Sequence(lambda n: f"secret-{n}")
    timeout_seconds = 5
