"""Admin hooks for a newsletter's results: the results screens and menu, and the blocked addresses."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from crm.wagtail_hooks.menu import PermissionMenuItem
from newsletter.models import NewsletterPage
from newsletter.viewsets import SuppressionViewSet


@hooks.register("register_admin_urls")
def register_results_urls():
    from newsletter.views import stats

    return [
        path("newsletters/results/", stats.ResultsIndexView.as_view(), name="newsletter_results"),
        path(
            "newsletters/results/<int:pk>/", stats.SendResultsView.as_view(), name="newsletter_results_send"
        ),
        path("newsletters/results/<int:pk>/csv/", stats.send_results_csv, name="newsletter_results_csv"),
        path("newsletters/results/page/<int:page_id>/", stats.page_results, name="newsletter_results_page"),
    ]


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    # The board reads these too, so they are not hidden inside the editors' menus.
    return PermissionMenuItem(
        _("Newsletter results"),
        reverse("newsletter_results"),
        icon_name="mail",
        name="newsletter-results",
        order=260,
        permission="newsletter.view_newsletter_results",
    )


@hooks.register("register_page_listing_more_buttons")
def page_results_button(page, user, next_url=None):
    """ "Results" in a sent newsletter's menu in the page listing (the link finds its newest send)."""
    from wagtail.admin.ui.menus.pages import PageMenuItem

    if page.specific_class is NewsletterPage and user.has_perm("newsletter.view_newsletter_results"):
        yield PageMenuItem(
            _("Results"),
            url=reverse("newsletter_results_page", args=[page.pk]),
            icon_name="mail",
            priority=60,
            page=page,
        )


@hooks.register("register_admin_viewset")
def register_suppression_viewset():
    return SuppressionViewSet()
