import factory

from cityline.catalog.models import (
    Agency,
    AttributeDatatype,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceGroup,
    ServiceType,
    ServiceTypeKeyword,
)
from cityline.sla.tests.factories import SlaPolicyFactory


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"AG{n}")
    name = factory.LazyAttribute(lambda o: f"Department {o.code}")


class ServiceGroupFactory(factory.django.DjangoModelFactory[ServiceGroup]):
    class Meta:
        model = ServiceGroup
        django_get_or_create = ["name"]

    name = "Streets"


class ServiceTypeFactory(factory.django.DjangoModelFactory[ServiceType]):
    class Meta:
        model = ServiceType
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())
    description = "A service residents can request."
    group = factory.SubFactory(ServiceGroupFactory)
    agency = factory.SubFactory(AgencyFactory)
    sla_policy = factory.SubFactory(SlaPolicyFactory)


class ServiceTypeKeywordFactory(factory.django.DjangoModelFactory[ServiceTypeKeyword]):
    class Meta:
        model = ServiceTypeKeyword

    service_type = factory.SubFactory(ServiceTypeFactory)
    term = factory.Sequence(lambda n: f"word{n}")


class ServiceAttributeFactory(factory.django.DjangoModelFactory[ServiceAttribute]):
    class Meta:
        model = ServiceAttribute

    service_type = factory.SubFactory(ServiceTypeFactory)
    code = factory.Sequence(lambda n: f"question_{n}")
    description = "What can you tell us?"
    datatype = AttributeDatatype.STRING
    required = False
    order = factory.Sequence(lambda n: n + 1)


class ServiceAttributeValueFactory(factory.django.DjangoModelFactory[ServiceAttributeValue]):
    class Meta:
        model = ServiceAttributeValue

    attribute = factory.SubFactory(ServiceAttributeFactory)
    key = factory.Sequence(lambda n: f"value_{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("_", " "))
    order = factory.Sequence(lambda n: n + 1)


def list_question(
    *,
    service_type: ServiceType,
    code: str,
    keys: list[str],
    multi: bool = False,
    required: bool = False,
) -> ServiceAttribute:
    """A single- or multi-value question with the given answer keys."""
    attribute = ServiceAttributeFactory.create(
        service_type=service_type,
        code=code,
        datatype=AttributeDatatype.MULTIVALUELIST if multi else AttributeDatatype.SINGLEVALUELIST,
        required=required,
    )
    for order, key in enumerate(keys, start=1):
        ServiceAttributeValueFactory(attribute=attribute, key=key, name=key.title(), order=order)
    return attribute
