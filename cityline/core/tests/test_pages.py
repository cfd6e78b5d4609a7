"""What every page shares: the home page's links, the Content-Security-Policy, and templates
that need no inline script or style to work under it."""

import re
from pathlib import Path

import pytest

import cityline

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(cityline.__file__).parent.glob("*/templates/**/*.html"))


def test_the_home_page_links_the_portal_and_the_console(client):
    # when
    page = client.get("/").content.decode()
    # then
    assert 'href="/help/"' in page
    assert 'href="/console/"' in page


def test_pages_carry_a_strict_content_security_policy(client):
    # when
    policy = client.get("/help/")["Content-Security-Policy"]
    # then
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_pages_load_htmx_and_styles_from_this_site(client):
    # when
    page = client.get("/help/").content.decode()
    # then
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/static/core/cityline.css">' in page
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_template_has_inline_script_style_or_event_handlers(template):
    # given
    text = template.read_text()
    # then
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert not re.search(r"<style\b|\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)
