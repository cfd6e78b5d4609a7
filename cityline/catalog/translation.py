"""The catalog's text residents read, in every language of the pages (`LANGUAGES`).

django-modeltranslation gives each field below a column per language (`name_en`, `name_es`,
`name_ar`) and makes the field itself read the active language's column, falling back to the
city's own language (`MODELTRANSLATION_FALLBACK_LANGUAGES`) where no translation is written: a
template reading `service_type.name` shows the reader's language with no change. The city's own
language's column holds what the catalog services write; the admin edits the others.
"""

from collections.abc import Mapping

from django.conf import settings
from django.db.models import Model
from modeltranslation.translator import TranslationOptions, register, translator

from cityline.catalog.models import (
    Agency,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceGroup,
    ServiceType,
)


@register(Agency)
class AgencyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ServiceGroup)
class ServiceGroupTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ServiceType)
class ServiceTypeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ServiceAttribute)
class ServiceAttributeTranslation(TranslationOptions):
    fields = ("description", "datatype_description")


@register(ServiceAttributeValue)
class ServiceAttributeValueTranslation(TranslationOptions):
    fields = ("name",)


def catalog_languages() -> list[str]:
    """The languages the catalog's text has a column for, the city's own first."""
    others = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return [settings.LANGUAGE_CODE, *others]


def text_in(texts: Mapping[str, str | None], language: str) -> tuple[str, str]:
    """Of one text's versions by language, the one a reader of `language` is shown and its
    language: theirs if written, else the city's own, as the translated fields themselves read
    (for text read as plain values, outside the model)."""
    for candidate in (language, settings.LANGUAGE_CODE):
        if texts.get(candidate):
            return texts[candidate] or "", candidate
    return "", settings.LANGUAGE_CODE


def city_text_mirror(sender: type[Model], instance: Model, **kwargs: object) -> None:
    """Receiver for saving a row with translated fields: the plain column (`name`) keeps the
    city's language's text, as it did before translations, so what reads the table below the
    ORM's rewriting (Meta's ordering, unique constraints such as a group's name) sees it; the
    admin writes the language columns only."""
    language = settings.LANGUAGE_CODE
    for name in translator.get_options_for_model(sender).all_fields:
        text = getattr(instance, f"{name}_{language}")
        if text:
            instance.__dict__[name] = text
