import factory

from cityline.sla.models import BusinessCalendar, LateCloseReason, SlaPolicy, SlaUnit
from cityline.sla.services import sla_policy_version_current


class BusinessCalendarFactory(factory.django.DjangoModelFactory[BusinessCalendar]):
    class Meta:
        model = BusinessCalendar
        django_get_or_create = ["name"]

    name = "City business days"
    holiday_country = "US"
    holiday_subdivision = "IL"


class SlaPolicyFactory(factory.django.DjangoModelFactory[SlaPolicy]):
    class Meta:
        model = SlaPolicy
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"SLA {n}")
    amount = 3
    unit = SlaUnit.CALENDAR_DAYS
    calendar = factory.Maybe(
        factory.LazyAttribute(lambda o: o.unit == SlaUnit.BUSINESS_DAYS),
        yes_declaration=factory.SubFactory(BusinessCalendarFactory),
        no_declaration=None,
    )

    @factory.post_generation
    def version(obj: SlaPolicy, create: bool, extracted: object, **kwargs: object) -> None:
        """Version 1, as the services and the admin write it with a policy."""
        if create:
            sla_policy_version_current(policy=obj)


class LateCloseReasonFactory(factory.django.DjangoModelFactory[LateCloseReason]):
    class Meta:
        model = LateCloseReason

    agency = factory.SubFactory("cityline.catalog.tests.factories.AgencyFactory")
    name = factory.Sequence(lambda n: f"Reason {n}")
