"""Builders for the sending tests: an approved newsletter, its audience, and a loopback SMTP server."""

import itertools
import logging
import socket
import threading
import time
from email import message_from_bytes

from aiosmtpd.controller import Controller
from django.utils import timezone
from wagtail.models import Page

from crm.models import Consent, Segment
from crm.services import record_consent
from newsletter.models import NewsletterApproval, NewsletterIndexPage, NewsletterPage
from tests.crm.conftest import make_organisation, make_person

_numbers = itertools.count(1)


def archive() -> NewsletterIndexPage:
    found = NewsletterIndexPage.objects.first()
    if found:
        return found
    home = Page.objects.get(depth=2, slug="home").specific
    index = NewsletterIndexPage(title="Nieuwsbrieven", slug="nieuwsbrieven")
    home.add_child(instance=index)
    return index


def make_segment(name: str | None = None, **filters) -> Segment:
    return Segment.objects.create(name=name or f"Segment {next(_numbers)}", filters=filters)


def make_newsletter(
    *, segments=(), excluded=(), kind="service", approve=True, subject="Nieuws uit het centrum", body=()
):
    number = next(_numbers)
    page = NewsletterPage(
        title=f"Nieuwsbrief {number}",
        slug=f"nieuwsbrief-{number}",
        subject=subject,
        kind=kind,
        body=list(body),
    )
    archive().add_child(instance=page)
    page.segments.set(segments)
    page.excluded_segments.set(excluded)
    revision = page.save_revision()
    revision.publish()
    if approve:
        NewsletterApproval.objects.create(revision=revision)
    return NewsletterPage.objects.get(pk=page.pk)


def subscriber(
    first_name, email, *, organisation=None, topic=Consent.Topic.SERVICE_NEWSLETTER, granted=True, **org
):
    """A person with a role at an organisation (made if not given) and a consent for `topic`."""
    organisation = organisation or make_organisation(f"Zaak van {first_name} {next(_numbers)}", **org)
    person = make_person(first_name, "Jansen", email=email, organisation=organisation)
    if topic:
        record_consent(
            person=person, topic=topic, granted=granted, source=Consent.Source.STAFF, wording="test"
        )
    return person


def audience(count: int, *, domain="example.nl", topic=Consent.Topic.SERVICE_NEWSLETTER):
    """`count` consenting people at one organisation; returns their addresses."""
    organisation = make_organisation(f"Winkelcentrum {next(_numbers)}")
    addresses = []
    for index in range(count):
        address = f"lezer{index}@{domain}"
        subscriber(f"Lezer{index}", address, organisation=organisation, topic=topic)
        addresses.append(address)
    return addresses


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """A real SMTP server on loopback that keeps every message it accepts."""

    def __init__(self, delay: float = 0.0, refuse: set[str] = frozenset(), tempfail: set[str] = frozenset()):
        self.messages = []
        self.sessions = set()
        self.delay = delay
        self.refuse = set(refuse)
        self.tempfail = set(tempfail)
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if address in self.tempfail:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
            self.sessions.add(session.peer)
        return "250 Message accepted"

    def __enter__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def peers(self) -> set:
        """One (host, port) per SMTP connection that delivered something."""
        with self.lock:
            return set(self.sessions)

    def recipients(self) -> list[str]:
        with self.lock:
            return [to for rcpts, _msg in self.messages for to in rcpts]


def now():
    return timezone.now()
