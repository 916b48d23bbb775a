"""The portal's addresses for search engines, outside the language prefix: /sitemap.xml and /robots.txt."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from portal.sitemap import PortalSitemap, robots_txt

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": {"portal": PortalSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
