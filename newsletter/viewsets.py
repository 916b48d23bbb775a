"""Every admin view set of the newsletter app; registered in newsletter.wagtail_hooks.results."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from newsletter.models import Suppression


class SuppressionViewSet(ModelViewSet):
    """Addresses no newsletter goes to; staff add one on request, or remove one after a mistake."""

    model = Suppression
    icon = "cross"
    menu_label = _("Blocked addresses")
    menu_order = 270
    add_to_admin_menu = True
    name = "suppressions"
    form_fields = ["email", "reason", "note"]
    list_display = ["email", "reason", "created_at", "note"]
    list_filter = ["reason"]
    search_fields = ["email"]
    ordering = ["-created_at"]
