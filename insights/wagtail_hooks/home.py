"""Every role's home page in the admin: our panels per role instead of Wagtail's page counts and
an empty "My work" (see insights.home)."""

from django.urls import path
from wagtail import hooks

from insights import home
from insights.home import panels, views

PANEL_CLASSES = {
    home.WORK: panels.WorkPanel,
    home.COMMUNICATION: panels.CommunicationPanel,
    home.REPORTS: panels.ReportsPanel,
    home.HEALTH: panels.HealthPanel,
}


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panel_list):
    user = request.user
    for name in home.panel_names(user):
        if name == home.WORK and not user.has_perm("crm.view_organisation"):
            continue
        panel_list.append(PANEL_CLASSES[name](user))


@hooks.register("construct_homepage_summary_items", order=100)
def remove_page_counts(request, summary_items):
    # "1 Pagina, 0 Afbeeldingen" says nothing about the centre.
    summary_items.clear()


@hooks.register("register_admin_urls")
def register_health_urls():
    return [path("insights/workers/", views.ask_workers, name="insights_ask_workers")]
