"""The knowledge base's text translated by column (django-modeltranslation, as the catalog's in
`catalog/translation.py`): a topic's title. Articles are translated by their revisions."""

from modeltranslation.translator import TranslationOptions, register

from cityline.knowledge.models import TopicTitle


@register(TopicTitle)
class TopicTitleTranslation(TranslationOptions):
    fields = ("title",)
