"""Writing the catalog: agencies, service groups, service types with their questions and keywords,
and routing rules.

Each upsert is keyed by the entity's natural key (an agency's or a type's code, a group's name),
so loading the same definitions twice changes nothing, and loading changed ones updates in place.
A type's questions, answer values, keywords and routing rules are replaced by exactly the ones
given: what the definition no longer lists is removed.

Names, descriptions and questions are written in the city's own language (`LANGUAGE_CODE`),
whatever language the caller's page is in; `catalog_translate` writes their translations
(`translation.py`), which the admin edits too.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import translation

from cityline.catalog.models import (
    Agency,
    AttributeDatatype,
    OpenDataText,
    RoutingRule,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceGroup,
    ServiceType,
    ServiceTypeKeyword,
)
from cityline.core.errors import DomainError
from cityline.core.models import max_length_of
from cityline.geo.models import BoundaryArea
from cityline.sla.models import SlaPolicy


class CatalogDefinitionError(DomainError):
    code = "catalog_definition_invalid"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _in_city_language(write: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a write with the city's own language active: a translated field given by its plain
    name (`name=`) is the city's language's column, also when a Spanish page calls the service."""

    @functools.wraps(write)
    def written(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with translation.override(settings.LANGUAGE_CODE):
            return write(*args, **kwargs)

    return written


@dataclass(frozen=True)
class AttributeValueSpec:
    key: str
    name: str


@dataclass(frozen=True)
class AttributeSpec:
    """One intake question. `variable=False` makes it a notice: shown, never answered."""

    code: str
    description: str
    datatype: str = AttributeDatatype.STRING
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    values: Sequence[AttributeValueSpec] = ()


@dataclass(frozen=True)
class RoutingRuleSpec:
    """Send the type's requests to `agency` when they lie in `area` and/or when the answer to
    `attribute_code` is (or includes) `attribute_value`."""

    agency: Agency
    area: BoundaryArea | None = None
    attribute_code: str = ""
    attribute_value: str = ""


@_in_city_language
def agency_upsert(
    *,
    code: str,
    name: str,
    description: str = "",
    public_email: str = "",
    public_phone: str = "",
    website: str = "",
    notification_email: str = "",
) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "description": description,
            "public_email": public_email,
            "public_phone": public_phone,
            "website": website,
            "notification_email": notification_email,
        },
    )
    return agency


@_in_city_language
def agency_ensure(*, code: str, name: str) -> tuple[Agency, bool]:
    """The agency with this code as it is, or a new one named `name`; whether it was created.
    For importers, which meet agencies by code and must not overwrite what the city wrote."""
    return _ensure(Agency, code=code, defaults={"name": name})


@_in_city_language
def service_type_ensure(
    *, code: str, name: str, agency_id: int, is_public: bool
) -> tuple[ServiceType, bool]:
    """The service type with this code as it is, or a new one; whether it was created. For
    importers, like `agency_ensure`."""
    return _ensure(
        ServiceType,
        code=code,
        defaults={"name": name, "agency_id": agency_id, "is_public": is_public},
    )


def service_type_public_set(*, service_type_id: int, is_public: bool) -> None:
    """Offer a type to residents, or stop offering it. Saved as a row, so whatever follows the
    catalog (the search index, each worker's intake copy) hears of it."""
    service_type = ServiceType.objects.get(pk=service_type_id)
    if service_type.is_public != is_public:
        service_type.is_public = is_public
        service_type.save(update_fields=["is_public", "updated_at"])


def service_type_open_data_set(
    *, service_type_id: int, text: str, location_sensitive: bool
) -> None:
    """How the type's requests appear in open data: its free text scrubbed or left out
    (`OpenDataText`), its locations exact or generalised to a coarse cell."""
    if text not in OpenDataText.values:
        raise CatalogDefinitionError(f"open-data text must be one of {', '.join(OpenDataText)}")
    service_type = ServiceType.objects.get(pk=service_type_id)
    service_type.open_data_text = text
    service_type.location_sensitive = location_sensitive
    service_type.save(update_fields=["open_data_text", "location_sensitive", "updated_at"])


def _ensure(model, *, code: str, defaults: dict):
    try:
        with transaction.atomic():
            return model.objects.get_or_create(code=code, defaults=defaults)
    except IntegrityError:
        # Another process created it between our SELECT and INSERT.
        return model.objects.get(code=code), False


@_in_city_language
def service_group_upsert(*, name: str, description: str = "") -> ServiceGroup:
    group, _ = ServiceGroup.objects.update_or_create(
        name=name, defaults={"description": description}
    )
    return group


@_in_city_language
def service_type_upsert(
    *,
    code: str,
    name: str,
    agency: Agency,
    group: ServiceGroup | None = None,
    description: str = "",
    sla_policy: SlaPolicy | None = None,
    is_public: bool = True,
    is_active: bool = True,
    keywords: Sequence[str] = (),
    attributes: Sequence[AttributeSpec] = (),
) -> ServiceType:
    """Create or update a service type, with exactly the given keywords and questions (asked in
    the order given)."""
    _check_attributes(attributes)
    terms = _unique_terms(keywords)
    with transaction.atomic():
        service_type, _ = ServiceType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "agency": agency,
                "group": group,
                "description": description,
                "sla_policy": sla_policy,
                "is_public": is_public,
                "is_active": is_active,
            },
        )
        _sync_keywords(service_type, terms)
        _sync_attributes(service_type, attributes)
    return service_type


def service_type_routing_set(
    *, service_type: ServiceType, rules: Sequence[RoutingRuleSpec]
) -> list[RoutingRule]:
    """Replace a type's routing rules with `rules`, tried in the order given."""
    questions = {
        a.code: a for a in service_type.attributes.filter(variable=True).prefetch_related("values")
    }
    for position, rule in enumerate(rules, start=1):
        if rule.area is None and not rule.attribute_code:
            raise CatalogDefinitionError(
                f"routing rule {position} needs an area or an answer to match", field="rules"
            )
        if rule.attribute_code:
            question = questions.get(rule.attribute_code)
            if question is None:
                raise CatalogDefinitionError(
                    f"routing rule {position}: {service_type.code} asks no question "
                    f"{rule.attribute_code!r}",
                    field="attribute_code",
                )
            if question.is_list and rule.attribute_value not in {
                v.key for v in question.values.all()
            }:
                raise CatalogDefinitionError(
                    f"routing rule {position}: {rule.attribute_value!r} is not an answer to "
                    f"{rule.attribute_code!r}",
                    field="attribute_value",
                )
    with transaction.atomic():
        service_type.routing_rules.all().delete()
        return RoutingRule.objects.bulk_create(
            RoutingRule(
                service_type=service_type,
                order=position,
                area=rule.area,
                attribute_code=rule.attribute_code,
                attribute_value=rule.attribute_value,
                agency=rule.agency,
            )
            for position, rule in enumerate(rules, start=1)
        )


def _unique_terms(keywords: Sequence[str]) -> list[str]:
    terms: dict[str, str] = {}
    for keyword in keywords:
        term = " ".join(keyword.split())
        if not term:
            continue
        if len(term) > max_length_of(ServiceTypeKeyword, "term"):
            raise CatalogDefinitionError(f"keyword {term[:20]!r}… is too long", field="keywords")
        terms.setdefault(term.lower(), term)
    return list(terms.values())


def _check_attributes(attributes: Sequence[AttributeSpec]) -> None:
    codes = [a.code for a in attributes]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise CatalogDefinitionError(f"question codes repeat: {', '.join(repeated)}", field="code")
    for a in attributes:
        if not a.code:
            raise CatalogDefinitionError("every question needs a code", field="code")
        if a.datatype not in AttributeDatatype.values:
            raise CatalogDefinitionError(
                f"question {a.code!r}: {a.datatype!r} is not an Open311 datatype", field="datatype"
            )
        is_list = a.datatype in (
            AttributeDatatype.SINGLEVALUELIST,
            AttributeDatatype.MULTIVALUELIST,
        )
        if is_list and not a.values:
            raise CatalogDefinitionError(
                f"question {a.code!r}: a list question needs values", field="values"
            )
        if not is_list and a.values:
            raise CatalogDefinitionError(
                f"question {a.code!r}: only list questions take values", field="values"
            )
        if not a.variable and a.required:
            raise CatalogDefinitionError(
                f"question {a.code!r}: a notice takes no answer, so it cannot be required",
                field="required",
            )
        keys = [v.key for v in a.values]
        if len(set(keys)) != len(keys):
            raise CatalogDefinitionError(f"question {a.code!r}: answer keys repeat", field="values")


def _sync_keywords(service_type: ServiceType, terms: list[str]) -> None:
    existing = {k.term: k for k in service_type.keywords.all()}
    service_type.keywords.exclude(term__in=terms).delete()
    ServiceTypeKeyword.objects.bulk_create(
        ServiceTypeKeyword(service_type=service_type, term=term)
        for term in terms
        if term not in existing
    )


def _sync_attributes(service_type: ServiceType, specs: Sequence[AttributeSpec]) -> None:
    existing = {a.code: a for a in service_type.attributes.prefetch_related("values")}
    service_type.attributes.exclude(code__in=[s.code for s in specs]).delete()
    for order, spec in enumerate(specs, start=1):
        fields = {
            "description": spec.description,
            "datatype": spec.datatype,
            "datatype_description": spec.datatype_description,
            "required": spec.required,
            "variable": spec.variable,
            "order": order,
        }
        attribute = existing.get(spec.code)
        if attribute is None:
            attribute = ServiceAttribute.objects.create(
                service_type=service_type, code=spec.code, **fields
            )
        elif any(getattr(attribute, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(attribute, name, value)
            attribute.save()
        _sync_values(attribute, spec.values)


def _sync_values(attribute: ServiceAttribute, specs: Sequence[AttributeValueSpec]) -> None:
    existing = {v.key: v for v in attribute.values.all()}
    attribute.values.exclude(key__in=[s.key for s in specs]).delete()
    created = []
    for order, spec in enumerate(specs, start=1):
        value = existing.get(spec.key)
        if value is None:
            created.append(
                ServiceAttributeValue(
                    attribute=attribute, key=spec.key, name=spec.name, order=order
                )
            )
        elif (value.name, value.order) != (spec.name, order):
            value.name, value.order = spec.name, order
            value.save(update_fields=["name", "order", "updated_at"])
    ServiceAttributeValue.objects.bulk_create(created)


@dataclass(frozen=True)
class Text:
    """An agency's or a group's name and description in one language; blank: not translated."""

    name: str = ""
    description: str = ""


@dataclass(frozen=True)
class QuestionText:
    """A question in one language: its wording, its hint, and its answers' names by key."""

    description: str = ""
    datatype_description: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceTypeText:
    """A service type in one language: its name, description and questions by code."""

    name: str = ""
    description: str = ""
    questions: Mapping[str, QuestionText] = field(default_factory=dict)


def _translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _translate(row: Model, language: str, texts: Mapping[str, str]) -> None:
    """Set the row's `language` columns to `texts` (blank: no translation, the reader is shown
    the city's language), saving only when one changed."""
    changed = []
    for name, text in texts.items():
        column = f"{name}_{language}"
        value = " ".join(text.split()) if name == "name" else text.strip()
        limit = getattr(type(row)._meta.get_field(column), "max_length", None)
        if limit is not None and len(value) > limit:
            raise CatalogDefinitionError(f"{row}: the {name} in {language} is too long", field=name)
        if (getattr(row, column) or "") != value:
            setattr(row, column, value or None)
            changed.append(column)
    if changed:
        row.save(update_fields=[*changed, "updated_at"])


def catalog_translate(
    *,
    language: str,
    agencies: Mapping[str, Text] = {},
    groups: Mapping[str, Text] = {},
    service_types: Mapping[str, ServiceTypeText] = {},
) -> None:
    """Write the catalog's text in `language`, one of the pages' languages other than the city's:
    agencies by code, groups by their name in the city's language, types by code with their
    questions by code and answers by key. What is not named keeps its translation."""
    if language not in _translated_languages():
        raise CatalogDefinitionError(
            f"{language!r} is not one of the languages translated into: "
            f"{', '.join(_translated_languages())}",
            field="language",
        )
    with transaction.atomic():
        for code, text in agencies.items():
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                raise CatalogDefinitionError(f"no agency has the code {code!r}", field="agencies")
            _translate(agency, language, {"name": text.name, "description": text.description})
        for name, text in groups.items():
            group = ServiceGroup.objects.filter(**{f"name_{settings.LANGUAGE_CODE}": name}).first()
            if group is None:
                raise CatalogDefinitionError(f"no service group is named {name!r}", field="groups")
            _translate(group, language, {"name": text.name, "description": text.description})
        for code, type_text in service_types.items():
            _service_type_translate(code, language, type_text)


def _service_type_translate(code: str, language: str, text: ServiceTypeText) -> None:
    service_type = ServiceType.objects.filter(code=code).first()
    if service_type is None:
        raise CatalogDefinitionError(
            f"no service type has the code {code!r}", field="service_types"
        )
    _translate(service_type, language, {"name": text.name, "description": text.description})
    questions = {a.code: a for a in service_type.attributes.prefetch_related("values")}
    for question_code, question_text in text.questions.items():
        question = questions.get(question_code)
        if question is None:
            raise CatalogDefinitionError(
                f"{code} asks no question {question_code!r}", field="questions"
            )
        _translate(
            question,
            language,
            {
                "description": question_text.description,
                "datatype_description": question_text.datatype_description,
            },
        )
        values = {v.key: v for v in question.values.all()}
        for key, name in question_text.values.items():
            if key not in values:
                raise CatalogDefinitionError(
                    f"{code}/{question_code}: {key!r} is not one of its answers", field="values"
                )
            _translate(values[key], language, {"name": name})
