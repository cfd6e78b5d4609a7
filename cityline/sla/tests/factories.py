import factory

from cityline.sla.models import BusinessCalendar, SlaPolicy, SlaUnit


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

    name = factory.Sequence(lambda n: f"SLA {n}")
    amount = 3
    unit = SlaUnit.CALENDAR_DAYS
    calendar = factory.Maybe(
        factory.LazyAttribute(lambda o: o.unit == SlaUnit.BUSINESS_DAYS),
        yes_declaration=factory.SubFactory(BusinessCalendarFactory),
        no_declaration=None,
    )
