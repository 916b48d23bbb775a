"""Composing in the admin: the mail as a chosen recipient gets it, on desktop and phone, and a test send.

The preview shows the newsletter's latest revision (what is being written or reviewed), personalised
for a person from its audience or found by name. Personal links in the preview lead nowhere: a
preview must never carry a working unsubscribe link of somebody else.
"""

from __future__ import annotations

import dataclasses
import itertools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.models import Person
from newsletter.models import NewsletterPage
from newsletter.rendering import render_newsletter
from newsletter.review import approvals_of, approved_revision
from newsletter.senders import sender_for

SAMPLE_SIZE = 8


def _newsletter_for(request, page_id: int):
    """The newsletter's latest revision, if the user may write or review it."""
    page = get_object_or_404(NewsletterPage, pk=page_id)
    if not may_compose(request.user, page):
        raise PermissionDenied
    return page, page.get_latest_revision_as_object()


def may_compose(user, page) -> bool:
    """Who writes the newsletter (page edit permission) or reviews it (the current review task)."""
    if page.permissions_for_user(user).can_edit():
        return True
    task = page.current_workflow_task
    return bool(task and task.user_can_access_editor(page, user))


def _person(data) -> Person | None:
    """The recipient chosen in the preview (?persoon=<id>), if any."""
    person_id = data.get("persoon", "")
    return Person.objects.filter(pk=person_id).first() if person_id.isdigit() else None


@require_GET
def preview(request, page_id: int):
    page, issue = _newsletter_for(request, page_id)
    chosen = _person(request.GET)
    query = request.GET.get("q", "").strip()[:100]
    found = []
    if query:
        from crm.queries.search import search

        found = search(query, kinds=("person",), limit=10)
    from newsletter.queries.audience import recipients

    sample = list(itertools.islice(recipients(issue), SAMPLE_SIZE))
    frame = reverse("newsletter_compose_preview_mail", args=[page.pk])
    if chosen:
        frame += f"?persoon={chosen.pk}"
    from_email, reply_to = sender_for(issue)
    revision = page.get_latest_revision()
    return TemplateResponse(
        request,
        "newsletter/compose/preview.html",
        {
            "page": page,
            "issue": issue,
            "page_title": _("Preview of %(title)s") % {"title": page.title},
            "chosen": chosen,
            "query": query,
            "found": found,
            "sample": sample,
            "frame_url": frame,
            "from_email": from_email,
            "reply_to": reply_to,
            "revision": revision,
            "approved": approved_revision(page) is not None,
            "approvals": approvals_of(page)[:5],
            "test_to": request.user.email,
        },
    )


@require_GET
def preview_mail(request, page_id: int):
    """The personalised mail itself, shown in the preview's frames (same origin, admin only)."""
    _page, issue = _newsletter_for(request, page_id)
    chosen = _person(request.GET)
    # Addresses of this server, so the editor's browser loads the images whatever SITE_URL says.
    rendered = render_newsletter(issue, base_url=request.build_absolute_uri("/"))
    html_body, _text = rendered.personalise(
        first_name=chosen.first_name if chosen else "",
        web_url="#",
        preferences_url="#",
        unsubscribe_url="#",
    )
    return HttpResponse(html_body)


@require_POST
def test_send(request, page_id: int):
    """Send the mail as the chosen recipient would get it to the logged-in user, subject "[TEST] …"."""
    page, issue = _newsletter_for(request, page_id)
    chosen = _person(request.POST)
    back = reverse("newsletter_compose_preview", args=[page.pk])
    if chosen:
        back += f"?persoon={chosen.pk}"
    if not request.user.email:
        messages.error(request, _("Your account has no email address; add one to your profile first."))
        return redirect(back)
    from newsletter.sending.mail import build_message

    rendered = render_newsletter(issue, base_url=settings.SITE_URL)
    test = dataclasses.replace(rendered, subject=_("[TEST] %(subject)s") % {"subject": rendered.subject})
    from_email, reply_to = sender_for(issue)
    message = build_message(
        test,
        to_email=request.user.email,
        first_name=chosen.first_name if chosen else request.user.first_name,
        from_email=from_email,
        reply_to=reply_to,
        web_url=page.full_url or "",
    )
    message.tags = ["newsletter-test"]
    message.send()
    messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect(back)
