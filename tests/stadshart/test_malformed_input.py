"""Malformed input never answers 500: a fuzz run over every public address of the demo centre.

The addresses come from the URLconf (everything outside the admin, the documents and the ESP
webhooks, which have tests of their own) and from the demo's live pages, one of each page type
plus every index; each in Dutch and English where the address has both. Each is fetched with NUL
bytes, invalid UTF-8, huge values and wrong types in its query parameters, and every form on it is
posted with the same values in each of its fields.
"""

import re
import urllib.parse

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page

from newsletter.models import Delivery
from newsletter.tokens import PREFERENCES, UNSUBSCRIBE, make_token

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin/", "documents/", "anymail/")

# Raw query-string values (already %-encoded where needed): NUL bytes, invalid UTF-8, huge and
# wrong-typed values.
QUERY_VALUES = [
    "%00",
    "a%00b",
    "%FF%FE%C0%AF",
    "%ED%A0%80",  # a lone UTF-16 surrogate encoded as UTF-8
    "x" * 20_000,
    "99999999999999999999999999",
    "-1",
    "1e309",
    "%5B%5D",  # []
    "%7B%22a%22%3A1%7D",  # {"a":1}
]
QUERY_NAMES = ["q", "pagina", "page", "next", "lang", "x%00", "%FF"]

FORM_VALUES = ["\x00", "a\x00b", "\ufffe\uffff\u202e", "x" * 100_000, "99999999999999999999999999", "-1", ""]


def url_patterns(resolver=None, prefix=""):
    """(route, pattern) for every address of the URLconf outside the skipped parts."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def concrete(route: str, tokens: dict[str, str]) -> list[str]:
    """Fill a route's parameters: a real value where one is known, and garbage."""
    route = route.removeprefix("en/")  # the language prefix, when English is active; added below
    if route.startswith("^"):
        return []  # Wagtail's catch-all (its addresses come from the pages) and media in DEBUG
    variants = []
    for garbage in (False, True):
        path = route
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            if converter == "int":
                value = "99999999999999999999999" if garbage else "1"
            else:
                value = "x%00y" if garbage else tokens.get(name, "abc")
            path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
        variants.append("/" + path)
    return variants


def public_paths(tokens) -> list[str]:
    paths = set()
    for route, _pattern in url_patterns():
        for path in concrete(route, tokens):
            paths.add(path)
    paths.add("/zoeken/")  # a route of the home page (RoutablePageMixin), not a page of its own
    pages = Page.objects.live().public().specific().order_by("path")
    seen_types = set()
    for page in pages:
        kind = type(page)
        if kind in seen_types and not page.get_children().live().exists():
            continue
        seen_types.add(kind)
        url = page.url
        if url:
            paths.add(url)
            if kind.__name__ == "EventPage":
                paths.add(url + "ics/")
            if kind.__name__ == "DirectoryPage":  # its entries are routes: /<pk>/<slug>/
                paths.update(
                    url + entry
                    for entry in ("1/x/", "99999999999999999999999/", "99999999999999999999999/x/")
                )
    with_english = set()
    for path in paths:
        with_english.add(path)
        if not path.startswith(
            ("/nieuwsbrief/", "/crm/", "/health/", "/i18n/", "/sitemap", "/robots", "/en/")
        ):
            with_english.add("/en" + path)
    return sorted(with_english)


@pytest.fixture
def tokens(demo_centre):
    delivery = Delivery.objects.select_related("send").order_by("pk").first()
    return {
        "token": make_token(UNSUBSCRIBE, email=delivery.email, delivery_id=delivery.pk),
        "preferences_token": make_token(PREFERENCES, email=delivery.email),
    }


def form_fields(html: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html)
    return sorted({name for name in names if name != "csrfmiddlewaretoken"})


def test_no_public_address_answers_500_to_malformed_input(tokens):
    client = Client(raise_request_exception=False)
    paths = public_paths(tokens) + [f"/nieuwsbrief/voorkeuren/{tokens['preferences_token']}/"]
    assert "/zoeken/" in paths and "/en/zoeken/" in paths
    assert any(path.endswith("/ics/") for path in paths)
    assert "/nieuwsbrief/aanmelden/" in paths and "/aanmelden/" in paths and "/inloggen/" in paths

    failures = []
    requests = 0

    def check(method, path, response):
        nonlocal requests
        requests += 1
        if response.status_code >= 500:
            failures.append(f"{method} {path[:150]} → {response.status_code}")

    for path in paths:
        page = client.get(path)
        html = page.content.decode(errors="replace") if "text/html" in page.get("Content-Type", "") else ""
        fields = form_fields(html) if page.status_code == 200 else []
        # The names every page's own forms use (the directory's sector and street filters, …) too.
        names = QUERY_NAMES + [urllib.parse.quote(name) for name in fields]
        for value in QUERY_VALUES:
            query = "&".join(f"{name}={value}" for name in names)
            check("GET", f"{path}?{query}", client.get(f"{path}?{query}"))
        check("GET", f"{path}?q=%00", client.get(path, QUERY_STRING="q=%00&q=%00%00"))
        if not html:
            continue
        if not fields or "<form" not in html:
            continue
        for value in FORM_VALUES:
            data = {name: value for name in fields} | {"x\x00": value}
            check("POST", f"{path} {value[:10]!r}", client.post(path, data))
        # Wrong types: a list where one value belongs, a file where text belongs.
        check("POST", f"{path} lists", client.post(path, {name: ["a", "\x00"] for name in fields}))
        raw = urllib.parse.urlencode({name: "x" for name in fields}).encode() + b"&%FF%FE=%C0%AF"
        check("POST", f"{path} raw", client.generic("POST", path, raw, "application/x-www-form-urlencoded"))

    # Cookies and the path itself.
    client.cookies["sessionid"] = "abc\x00def"
    check("GET", "/ with a NUL session cookie", client.get("/"))
    nul_path = client.get("/zoeken%00/")
    assert nul_path.status_code == 400

    assert requests > 500
    assert not failures, "\n".join(failures)


def test_search_with_a_nul_byte_answers_in_both_languages(client, portal):
    for path in ("/zoeken/", "/en/zoeken/"):
        response = client.get(path, {"q": "bakker\x00ij"})
        assert response.status_code == 200
        assert "bakkerij" in response.content.decode()


def test_a_login_with_a_huge_username_is_counted_not_a_500(client, portal):
    """axes keeps failed usernames in a 255-character column: PostgreSQL refused a longer one."""
    from axes.models import AccessAttempt

    response = client.post("/_util/login/", {"username": "x" * 100_000, "password": "geraden"})

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 255
