"""Demo newsletters written with the AI editor: one in every state of the editorial process.

Drafted by the template drafter (the demo has no AI server), from the centre's own news, events,
year plan and signals, exactly as "Schrijf met AI" does it, so the reviewer's AI check has
something to show: a draft still being written, one waiting for the "Redactie", one approved.
"""

import datetime as dt

from django.utils import timezone

from drafting import api
from newsletter import drafting as newsletter_drafting
from newsletter.models import NewsletterApproval

# (title, brief, state)
AI_ISSUES = [
    (
        "Concept: koopzondagen in december",
        "Vertel de ondernemers welke koopzondagen er in december zijn en wat het centrum organiseert.",
        "draft",
    ),
    (
        "Concept: schoon, heel en veilig",
        "Laat de ondernemers weten wat er met hun signalen over schoon, heel en veilig gebeurt.",
        "review",
    ),
    (
        "Kerstverlichting en de feestdagen",
        "Nodig ondernemers uit voor de feestdagen en vertel over de kerstverlichting.",
        "approved",
    ),
]


def seed_ai_drafts(ctx, index, *, writer, approver) -> None:
    if writer is None:
        return
    today = timezone.localdate()
    states = []
    for title, brief, state in AI_ISSUES:
        page = newsletter_drafting.create_newsletter_for_draft(
            index=index, user=writer, title=title, kind="service"
        )
        choices = newsletter_drafting.DraftChoices(
            brief=brief,
            kind="service",
            audience="ondernemers",
            tone="warm",
            length="middel",
            since=today - dt.timedelta(days=60),
            until=today + dt.timedelta(days=60),
            sources=("news", "event", "project", "status_change", "signals"),
        )
        request = newsletter_drafting.draft_request(choices, page=page)
        result = api.draft(request, user=writer)
        newsletter_drafting.apply_draft(
            None,
            result,
            {
                "page_id": page.pk,
                "user_id": writer.pk,
                "choices": {"brief": brief, "kind": "service", "audience": "ondernemers", "tone": "warm"},
                "sources": [newsletter_drafting.source_to_json(s) for s in request.sources],
            },
        )
        page.refresh_from_db()
        if state == "review":
            workflow = page.get_workflow()
            if workflow is not None:
                workflow.start(page, writer)
        elif state == "approved" and approver is not None:
            revision = page.get_latest_revision()
            revision.publish(user=approver, log_action=False)
            NewsletterApproval.objects.create(revision=revision, approved_by=approver, comment="Akkoord.")
        states.append(state)
    ctx.write(f"  AI-drafted newsletters: {', '.join(states)} (template drafter)")
