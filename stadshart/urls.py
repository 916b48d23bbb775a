from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from stadshart import views

urlpatterns = [
    # The second step of a staff login (stadshart/mfa), before the admin's own addresses.
    path("admin/mfa/", include("stadshart.mfa.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", views.health, name="health"),
    path("crm/", include("crm.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),  # /sitemap.xml and /robots.txt
    path("nieuwsbrief/", include("newsletter.urls")),
    # ESP tracking webhooks (anymail checks each ESP's signature or ANYMAIL_WEBHOOK_SECRET basic auth).
    path("anymail/", include("newsletter.webhooks")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path; it must come last.
urlpatterns += i18n_patterns(
    path("", include("portal.members.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
