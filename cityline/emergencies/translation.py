"""An emergency's words in every language of the pages, as the catalog's (catalog/translation.py):
a column per language, the field itself reading the active language's, falling back to the
city's own."""

from modeltranslation.translator import TranslationOptions, register

from cityline.emergencies.models import Broadcast, Emergency


@register(Emergency)
class EmergencyTranslation(TranslationOptions):
    fields = ("title", "banner", "call_script")


@register(Broadcast)
class BroadcastTranslation(TranslationOptions):
    fields = ("subject", "text")
