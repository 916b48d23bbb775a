"""One allow-list for every HTML string from AI, users or imports, cleaned before it is stored or shown.

bleach keeps the listed tags and attributes and escapes the rest; links may only point to http,
https, mailto or tel addresses (no javascript:, data: or relative tricks); inline styles are limited
to a few harmless properties by bleach's CSS sanitizer. Rich text from Wagtail's editor (paragraphs,
headings, lists, links, bold/italic) passes unchanged, in its storage format too: a link to a page
or document is `<a linktype="page" id="3">` and blocks carry `data-block-key`, so those attributes
are kept, with values of their own shape only.

Every rich text field and block of the project is stadshart.richtext's, which cleans with this one
allow-list on every write and every read, whatever path the HTML came by (editor, AI, import,
demo, script, restore).
"""

import functools
import re
from urllib.parse import urlsplit

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
_BLOCK_KEY = "data-block-key"
ALLOWED_ATTRIBUTES = {
    # No target: a new window opened without rel=noopener could reach back to our page.
    # linktype and id: Wagtail's stored form of a link to a page or document.
    "a": ["href", "title", "linktype", "id"],
    "abbr": ["title"],
    "p": ["style", _BLOCK_KEY],
    "h2": ["style", _BLOCK_KEY],
    "h3": ["style", _BLOCK_KEY],
    "h4": ["style", _BLOCK_KEY],
    "li": [_BLOCK_KEY],
    "blockquote": [_BLOCK_KEY],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Attributes whose value must have a shape of its own (a number, a known word, a short key).
_VALUE_SHAPES = {
    "id": re.compile(r"\d{1,12}"),
    "linktype": re.compile(r"page|document"),
    _BLOCK_KEY: re.compile(r"[a-z0-9]{1,16}"),
}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    shape = _VALUE_SHAPES.get(name)
    return shape is None or bool(shape.fullmatch(value))


ALLOWED_CSS_PROPERTIES = frozenset({"text-align", "font-weight", "font-style", "text-decoration"})

_css = CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES)
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
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
    if len(html) <= _CACHED_LENGTH:
        return _clean_cached(html)
    return _clean(html)


# Rich text is cleaned on every read too (stadshart.richtext): the same stored text comes back
# again and again, and bleach takes milliseconds where a look-up takes microseconds.
_CACHED_LENGTH = 20_000


@functools.lru_cache(maxsize=2048)
def _clean_cached(html: str) -> str:
    return _clean(html)


def _clean(html: str) -> str:
    if "<" in html:
        html = _drop_dangerous_elements(html)
    return _cleaner.clean(html)


_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")


def clean_url(url) -> str:
    """A link address as given when it is http(s), mailto or tel; "" for anything else.

    Browsers ignore spaces, tabs and line breaks inside a scheme ("jav\tascript:"), so they are
    taken out before the scheme is read.
    """
    if not url:
        return ""
    url = str(url).strip()
    scheme = urlsplit(_URL_JUNK.sub("", url)).scheme.lower()
    return url if scheme in ALLOWED_PROTOCOLS else ""


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
