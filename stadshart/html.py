"""One allow-list for every HTML string from AI, users or imports, cleaned before it is stored or shown.

bleach keeps the listed tags and attributes and escapes the rest; links may only point to http,
https or mailto addresses (no javascript:, data: or relative tricks); inline styles are limited to
a few harmless properties by bleach's CSS sanitizer. Rich text from Wagtail's editor (paragraphs,
headings, lists, links, bold/italic) passes unchanged.
"""

import bleach
from bleach.css_sanitizer import CSSSanitizer

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "s",
        "strong",
        "sub",
        "sup",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    # No target: a new window opened without rel=noopener could reach back to our page.
    "a": ["href", "title"],
    "abbr": ["title"],
    "p": ["style"],
    "h2": ["style"],
    "h3": ["style"],
    "h4": ["style"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
ALLOWED_CSS_PROPERTIES = frozenset({"text-align", "font-weight", "font-style", "text-decoration"})

_css = CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES)
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=_css,
)
# Content of these elements is never text a reader should see: dropped whole, not unwrapped.
_DROP_WHOLE = ("script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title")


def _drop_dangerous_elements(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found = soup.find_all(_DROP_WHOLE)
    if not found:
        return html
    for element in found:
        element.decompose()
    return str(soup)


def clean_html(html: str) -> str:
    """The HTML with only the allowed tags, attributes, link protocols and styles left."""
    if not html:
        return ""
    html = str(html)
    if "<" in html:
        html = _drop_dangerous_elements(html)
    return _cleaner.clean(html)


def strip_html(text: str) -> str:
    """Plain text: every tag removed (script and style with their content), entities decoded."""
    import html as html_module

    if not text:
        return ""
    text = str(text)
    for _round in range(3):  # "&lt;script&gt;" must not come back as a tag after decoding
        if "<" in text:
            text = _drop_dangerous_elements(text)
        stripped = html_module.unescape(bleach.clean(text, tags=set(), strip=True, strip_comments=True))
        if stripped == text:
            break
        text = stripped
    return text
