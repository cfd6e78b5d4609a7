from html.parser import HTMLParser

import pytest

from cityline.knowledge.rendering import render_markdown, render_plain


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    '<div onmouseover="alert(1)">hover</div>',
    "<iframe src=https://evil.example></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_script_handler_or_script_url_survives(attack):
    # when
    html = render_markdown(f"Before\n\n{attack}\n\nAfter")
    # then
    for tag, attributes in _tags(html):
        assert tag not in {"script", "iframe", "svg", "img", "div"}
        assert not any(name.startswith("on") for name in attributes)
        for value in attributes.values():
            assert not (value or "").strip().lower().startswith(("javascript:", "data:"))
    assert "Before" in html
    assert "After" in html


def test_markdown_becomes_html():
    # when
    html = render_markdown(
        "## Before you call\n\n- **Bring** your *notice*\n- Visit [the site](https://nyc.gov)"
    )
    # then
    assert "<h2>Before you call</h2>" in html
    assert "<strong>Bring</strong>" in html
    assert "<em>notice</em>" in html
    assert dict(_tags(html))["a"]["href"] == "https://nyc.gov"


def test_links_do_not_pass_on_the_readers_session():
    # when
    html = render_markdown("[form](https://example.org/form)")
    # then
    assert dict(_tags(html))["a"]["rel"] == "noopener noreferrer nofollow"


def test_phone_and_mail_links_are_kept():
    # when
    html = render_markdown("[Call](tel:311) or [write](mailto:help@example.org)")
    # then
    hrefs = [attributes["href"] for tag, attributes in _tags(html) if tag == "a"]
    assert hrefs == ["tel:311", "mailto:help@example.org"]


def test_a_title_is_plain_text():
    # when
    html = render_plain('Is it <script>alert("x")</script> today?')
    # then
    assert _tags(html) == []
    assert html == "Is it &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; today?"
