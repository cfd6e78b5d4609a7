from django import template
from django.utils.translation import get_language

from cityline.emergencies.selectors import emergency_desk_briefing

register = template.Library()


@register.inclusion_tag("emergencies/_desk_briefing.html", takes_context=True)
def emergency_briefing(context: template.Context) -> dict:
    """The desk's call script and pinned answers while an emergency is on; on a contact's page
    each pinned answer can be logged as used."""
    return {
        "briefing": emergency_desk_briefing(language=get_language() or ""),
        "contact": context.get("contact"),
        "csrf_token": context.get("csrf_token"),
    }
