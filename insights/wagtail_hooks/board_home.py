"""The board's home panel: its five headline figures with their trend, and the way to the dashboard."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from insights.queries import headline
from insights.views import PERMISSION


class BoardHeadlinePanel(Component):
    name = "insights_headline"
    order = 40
    template_name = "insights/home_panel.html"

    def get_context_data(self, parent_context=None):
        return {"figures": headline()}


@hooks.register("construct_homepage_panels")
def add_board_panel(request, panels):
    # The figures the board reads; other roles have their own panels.
    if request.user.has_perm(PERMISSION):
        panels.insert(0, BoardHeadlinePanel())
