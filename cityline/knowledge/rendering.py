"""Markdown to HTML that is safe to put in any page: rendered, then sanitised.

Raw HTML in the Markdown is escaped by the renderer, and the sanitiser then keeps only a fixed
set of tags and attributes and only http(s), mailto and tel links, so neither a script, an event
handler attribute nor a javascript: URL reaches a reader, whatever an editor types.
"""

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> str:
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_plain(text: str) -> str:
    """A title or other one-line text, escaped for HTML."""
    return str(escape(text))
