"""Reads of social posts that several screens share, each a fixed number of queries."""

import datetime as dt

from django.utils import timezone

from social.models import PostState, SocialPost


def filtered(*, channel: str = "", state: str = ""):
    posts = SocialPost.objects.all()
    if channel:
        posts = posts.filter(channel=channel)
    if state:
        posts = posts.filter(state=state)
    return posts


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week(*, start: dt.date, channel: str = "", state: str = "") -> dict:
    """The week from Monday `start`: its seven days with their posts by planned time (one query),
    and the posts not planned yet (one query, the newest 50)."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end = begin + dt.timedelta(days=7)
    days = [{"date": start + dt.timedelta(days=offset), "posts": []} for offset in range(7)]
    planned = filtered(channel=channel, state=state).filter(planned_at__gte=begin, planned_at__lt=end)
    for post in planned.order_by("planned_at", "pk"):
        day = timezone.localtime(post.planned_at, tz).date()
        days[(day - start).days]["posts"].append(post)
    unplanned = list(
        filtered(channel=channel, state=state).filter(planned_at__isnull=True).order_by("-pk")[:50]
    )
    return {
        "start": start,
        "end": start + dt.timedelta(days=6),
        "days": days,
        "unplanned": unplanned,
        "previous": start - dt.timedelta(days=7),
        "next": start + dt.timedelta(days=7),
    }


def source_choices(*, limit: int = 20) -> list[tuple[str, list[tuple[str, str]]]]:
    """What posts can be drafted from, grouped: recent newsletters, news, coming events, projects
    of this year (four queries)."""
    from django.utils.translation import gettext as _

    from newsletter.models import NewsletterPage
    from portal.models import EventPage, NewsPage
    from projects.models import Project

    now = timezone.now()
    newsletters = NewsletterPage.objects.order_by("-latest_revision_created_at").values_list("pk", "title")[
        :limit
    ]
    news = NewsPage.objects.live().order_by("-date").values_list("pk", "title")[:limit]
    events = (
        EventPage.objects.live()
        .filter(start__gte=now - dt.timedelta(days=1))
        .order_by("start")
        .values_list("pk", "title")[:limit]
    )
    projects = (
        Project.objects.filter(year_plan__year__gte=now.year - 1)
        .order_by("-year_plan__year", "name")
        .values_list("pk", "name")[:limit]
    )
    return [
        (_("Newsletters"), [(f"page:{pk}", title) for pk, title in newsletters]),
        (_("News"), [(f"page:{pk}", title) for pk, title in news]),
        (_("Events"), [(f"page:{pk}", title) for pk, title in events]),
        (_("Year plan"), [(f"project:{pk}", name) for pk, name in projects]),
    ]


def awaiting_review(*, limit: int = 5) -> tuple[int, list[SocialPost]]:
    """Posts waiting for a colleague's review: how many, and the oldest few (two queries)."""
    posts = SocialPost.objects.filter(state=PostState.REVIEW)
    return posts.count(), list(posts.order_by("planned_at", "pk")[:limit])


def planned_this_week(today: dt.date) -> list[SocialPost]:
    """Posts planned in this week (Monday to Sunday), by planned time (one query)."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(week_start(today), dt.time.min, tzinfo=tz)
    end = begin + dt.timedelta(days=7)
    planned = SocialPost.objects.filter(planned_at__gte=begin, planned_at__lt=end)
    return list(planned.order_by("planned_at", "pk"))
