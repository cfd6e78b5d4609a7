from django import template
from django.http import HttpRequest

from cityline.channels.access import can_triage
from cityline.channels.selectors import inbound_email_count_waiting

register = template.Library()


@register.inclusion_tag("channels/_triage_link.html", takes_context=True)
def triage_link(context: template.Context) -> dict:
    """The desk's link to the e-mail triage, with how many wait, for those who triage."""
    request: HttpRequest = context["request"]
    if not can_triage(user=request.user):
        return {"shown": False}
    return {"shown": True, "count": inbound_email_count_waiting()}
