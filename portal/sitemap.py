"""The sitemap and robots.txt for search engines, on the public address (SITE_URL).

The search page is not disallowed here: it says `noindex` itself, which a crawler can only read
when it may fetch the page.

Every page exists in Dutch (`/…`) and English (`/en/…`); each sitemap entry names both with
hreflang, and x-default (Dutch), as the pages' own <link rel="alternate"> tags do.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse, translate_url
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap


class PortalSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            path = urlsplit(url["location"]).path
            url["location"] = settings.SITE_URL + path
            url["alternates"] = [
                {"lang_code": code, "location": settings.SITE_URL + translate_url(path, code)}
                for code, _name in settings.LANGUAGES
            ]
            url["alternates"].append({"lang_code": "x-default", "location": url["location"]})
        return urls


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /nieuwsbrief/afmelden/",
        "Disallow: /nieuwsbrief/voorkeuren/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
