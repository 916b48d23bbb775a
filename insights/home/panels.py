"""The panels of the admin's home page, one per kind of work (see ROLE_PANELS in __init__).

Each panel reads through the owning app's queries; render_html returns "" when the panel has
nothing to say to this user, so no role sees an empty box.
"""

import datetime as dt
import json

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from crm.queries import work
from crm.visibility import readable_by
from insights.home import health
from newsletter.queries import drafts as newsletters
from newsletter.queries import stats
from portal.members import queries as members
from social import queries as social

#: Businesses count as quiet on the home page after this many days without contact (My work's default).
QUIET_DAYS = 60
SHOWN = 5


class HomePanel(Component):
    """A dashboard panel for one user; `data()` is read once, when the panel renders."""

    order = 40

    class Media:
        css = {"all": ["insights/home.css"]}

    def __init__(self, user):
        self.user = user

    def data(self) -> dict | None:
        raise NotImplementedError

    def render_html(self, parent_context=None):
        context = self.data()
        if context is None:
            return ""
        self._context = context
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        return self._context


class WorkPanel(HomePanel):
    """The accountmanager's day: follow-ups overdue and due this week, and businesses in their
    streets nobody has spoken to for two months (at most seven queries)."""

    name = "home_work"
    order = 10
    template_name = "insights/home/work.html"

    def data(self):
        today = timezone.localdate()
        follow_ups = work.open_follow_ups(self.user)
        counts = follow_ups.aggregate(
            overdue=_count(due_on__lt=today),
            this_week=_count(due_on__gte=today, due_on__lt=today + dt.timedelta(days=7)),
            total=_count(),
        )
        # Quiet businesses only for those with streets of their own (the account managers).
        has_streets = bool(work.my_streets(self.user))
        quiet, quiet_total = [], 0
        if has_streets:
            quiet_businesses = work.quiet_businesses(self.user, days=QUIET_DAYS, limit=1000)
            quiet = list(quiet_businesses[:SHOWN])
            quiet_total = len(quiet) if len(quiet) < SHOWN else quiet_businesses.count()
        if not counts["total"] and not has_streets:
            return None
        return {
            "counts": counts,
            "follow_ups": list(follow_ups[:SHOWN]) if counts["total"] else [],
            "quiet": quiet,
            "quiet_total": quiet_total,
            "quiet_days": QUIET_DAYS,
            "has_streets": has_streets,
            "today": today,
            "can_log": self.user.has_perm("crm.add_interaction"),
            "reads": readable_by(self.user),  # a follow-up's text only for the roles that read it
        }


class CommunicationPanel(HomePanel):
    """Communications' desk: what waits for review (newsletters and social posts), how the last
    newsletter did, and the social posts planned this week (at most eleven queries)."""

    name = "home_communication"
    order = 20
    template_name = "insights/home/communication.html"

    def data(self):
        newsletter_total, newsletters_waiting = newsletters.awaiting_review(limit=SHOWN)
        post_total, posts_waiting = social.awaiting_review(limit=SHOWN)
        last = stats.recent_results(limit=1)
        return {
            "newsletter_total": newsletter_total,
            "newsletters_waiting": newsletters_waiting,
            "post_total": post_total,
            "posts_waiting": posts_waiting,
            "last": last[0] if last else None,
            "planned": social.planned_this_week(timezone.localdate()),
            "week_start": social.week_start(timezone.localdate()),
        }


class ReportsPanel(HomePanel):
    """Facilitair's queue: open problem reports by age, the oldest first (two queries)."""

    name = "home_reports"
    order = 8
    template_name = "insights/home/reports.html"

    def data(self):
        if not self.user.has_perm("members.view_report"):
            return None
        reports = members.open_reports_by_age(limit=SHOWN)
        reports["can_change"] = self.user.has_perm("members.change_report")
        return reports


class HealthPanel(HomePanel):
    """The Beheerder's system health (five queries)."""

    name = "home_health"
    order = 5
    template_name = "insights/home/health.html"

    def data(self):
        state = health.system_health(limit=SHOWN)
        for failure in state.recent_failures:
            failure["error"] = _error_name(failure.pop("result"))
        return {"health": state, "missed_beats": health.MISSED_BEATS}


def _count(**conditions):
    return Count("pk", filter=Q(**conditions)) if conditions else Count("pk")


def _error_name(result: str | None) -> str:
    try:
        return json.loads(result or "{}").get("exc_type", "")
    except (ValueError, AttributeError):
        return ""
