"""Demo social posts for Veldhaven: drafted by the template drafter from the latest sent newsletter,
a news item, a coming event and a project, in every state across the channels.

The template drafter is used even when an AI server is configured, so the same seed gives the same
posts and seeding needs no server.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from social import services
from social.drafting import draft_posts
from social.models import PostState
from stadshart import roles
from stadshart.demo import DemoContext

# Per source: (channel, state) for each post drafted from it.
PLAN = {
    "newsletter": [
        ("linkedin", PostState.APPROVED),
        ("facebook", PostState.REVIEW),
        ("instagram", PostState.CONCEPT),
        ("x", PostState.PUBLISHED),
        ("mastodon", PostState.PUBLISHED),
        ("whatsapp", PostState.APPROVED),
    ],
    "event": [
        ("facebook", PostState.APPROVED),
        ("instagram", PostState.REVIEW),
        ("x", PostState.CONCEPT),
        ("whatsapp", PostState.PUBLISHED),
    ],
    "news": [("linkedin", PostState.CONCEPT), ("mastodon", PostState.REVIEW)],
    "project": [("linkedin", PostState.REVIEW), ("facebook", PostState.CONCEPT)],
}
POSTED_AT = {
    "x": "https://x.com/binnenstadveldhaven/status/{n}",
    "mastodon": "https://mastodon.example/@binnenstadveldhaven/{n}",
    "whatsapp": "https://chat.whatsapp.example/groep-marktstraat/{n}",
}
BRIEFS = {
    "newsletter": "Maak de nieuwe nieuwsbrief bekend en nodig uit om hem te lezen.",
    "event": "Nodig bezoekers en ondernemers uit voor dit evenement.",
    "news": "Vertel het nieuws kort aan onze volgers.",
    "project": "Laat zien hoe het project uit het jaarplan ervoor staat.",
}


def _staff(ctx: DemoContext, role: str) -> list:
    return ctx.staff.get(role) or list(get_user_model().objects.filter(groups__name=role).order_by("pk"))


def _sources():
    from newsletter.models import NewsletterPage
    from portal.models import EventPage, NewsPage
    from projects.models import Project

    now = timezone.now()
    return {
        "newsletter": {"page": NewsletterPage.objects.live().order_by("-first_published_at", "-pk").first()},
        "event": {"page": EventPage.objects.live().filter(start__gte=now).order_by("start", "pk").first()},
        "news": {"page": NewsPage.objects.live().order_by("-date", "-pk").first()},
        "project": {
            "project": Project.objects.filter(is_public=True).order_by("-year_plan__year", "pk").first()
        },
    }


def seed(ctx: DemoContext) -> None:
    writers = _staff(ctx, roles.COMMUNICATIE)
    reviewers = _staff(ctx, roles.CENTRUMMANAGER)
    if not writers or not reviewers:
        ctx.write("  social: no Communicatie or Centrummanager staff, no posts")
        return
    writer, reviewer = writers[0], reviewers[0]
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    made = 0
    with override_settings(OPENAI_API_KEY="", OPENAI_BASE_URL=None):
        for kind, plan in PLAN.items():
            source = _sources()[kind]
            if next(iter(source.values())) is None:
                continue
            posts = draft_posts(user=writer, channel_keys=[c for c, _s in plan], brief=BRIEFS[kind], **source)
            states = dict(plan)
            for post in posts:
                day = monday + dt.timedelta(days=ctx.rng.randrange(0, 10))
                planned = timezone.make_aware(
                    dt.datetime.combine(
                        day, dt.time(ctx.rng.choice([8, 9, 12, 17, 19]), ctx.rng.choice([0, 30]))
                    )
                )
                services.plan_post(post=post, planned_at=planned, user=writer)
                _bring_to(
                    post, states[post.channel], writer=writer, reviewer=reviewer, n=ctx.rng.randrange(10**9)
                )
                made += 1
    ctx.write(f"  social: {made} posts drafted by the template drafter, in every state")


def _bring_to(post, state, *, writer, reviewer, n: int) -> None:
    if state == PostState.CONCEPT:
        return
    post.get_workflow().start(post, writer)
    post.refresh_from_db()
    if state == PostState.REVIEW:
        return
    post.current_workflow_task.on_action(post.current_workflow_task_state, reviewer, "approve")
    post.refresh_from_db()
    if state == PostState.PUBLISHED:
        services.record_posted(post=post, url=POSTED_AT[post.channel].format(n=n), user=writer)
