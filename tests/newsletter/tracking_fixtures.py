"""Builders for the tracking tests: a sent newsletter with deliveries whose ESP ids are known."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page

from newsletter.models import Delivery, NewsletterIndexPage, NewsletterPage, Send
from newsletter.tracking import clear_delivery_cache


def newsletter_index() -> NewsletterIndexPage:
    index = NewsletterIndexPage.objects.first()
    if index is None:
        home = Page.objects.get(depth=2, slug="home")
        index = home.add_child(instance=NewsletterIndexPage(title="Nieuwsbrieven", slug="nieuwsbrief"))
    return index


def make_send(subject: str = "Nieuws uit het Stadshart", *, kind: str = "service", sent_at=None) -> Send:
    index = newsletter_index()
    slug = f"nb-{NewsletterPage.objects.count() + 1}"
    page = index.add_child(instance=NewsletterPage(title=subject, slug=slug, subject=subject, kind=kind))
    revision = page.save_revision()
    sent_at = sent_at or timezone.now() - dt.timedelta(hours=2)
    return Send.objects.create(
        newsletter=page,
        revision=revision,
        status=Send.Status.SENT,
        subject=subject,
        from_email="Stadshart <nieuws@stadshart.example>",
        started_at=sent_at,
        finished_at=sent_at,
    )


def make_delivery(send: Send, email: str, *, message_id: str = "", sent_at=None, person=None) -> Delivery:
    # Each test's database starts afresh, but the per-process message-id cache would not.
    clear_delivery_cache()
    return Delivery.objects.create(
        send=send,
        person=person,
        email=email.lower(),
        status=Delivery.Status.SENT,
        sent_at=sent_at or send.started_at,
        esp_message_id=message_id,
    )
