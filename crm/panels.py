import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from crm.models import FollowUp


class MyWorkPanel(Component):
    """The first thing a staff member sees in the admin: what is due, with a way into My work."""

    name = "crm_my_work"
    order = 50
    template_name = "crm/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        counts = FollowUp.objects.filter(assigned_to=self.user, done_at__isnull=True).aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            this_week=Count("pk", filter=Q(due_on__gte=today, due_on__lt=today + dt.timedelta(days=7))),
        )
        return {"counts": counts, "can_log": self.user.has_perm("crm.add_interaction")}
