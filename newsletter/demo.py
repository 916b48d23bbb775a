"""Demo newsletters for Veldhaven: a year of sent issues with deliveries and what readers did, and a
draft waiting for the editorial review ("Redactie").

Deliveries and events are bulk-inserted (no per-row queries), so `seed_demo` stays fast; the
numbers follow what small Dutch member newsletters see: ~97% delivered, ~2% bounced, 35-50%
opened (some of it Apple's privacy proxy), 5-10% clicked, a few unsubscribes and complaints.
"""

import datetime as dt
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from crm.models import Consent, EmailAddress
from newsletter.models import (
    Delivery,
    DeliveryEvent,
    NewsletterApproval,
    NewsletterIndexPage,
    NewsletterKind,
    NewsletterPage,
    Send,
    Suppression,
)
from stadshart import roles
from stadshart.demo import (
    DemoContext,
    foreign_keys_checked_once,
    indexes_built_after,
    insert_rows,
    reserve_ids,
)

ESP = "Mailgun"
MAIL_DOMAIN = "mg.veldhaven.example"
SENDER = "Centrummanagement Veldhaven <nieuws@veldhaven.example>"

# (month offset back from now, kind, subject, lead paragraph, links in the issue)
ISSUES = [
    (
        12,
        "service",
        "Nieuwjaarsborrel en de plannen voor dit jaar",
        "Het jaarplan ligt klaar.",
        ["jaarplan", "borrel"],
    ),
    (
        11,
        "service",
        "Koopzondagen en de nieuwe parkeertarieven",
        "De gemeente past de tarieven aan.",
        ["parkeren"],
    ),
    (
        10,
        "marketing",
        "Voorjaarsactie: doe mee met de Lentemarkt",
        "Schrijf uw zaak in voor de markt.",
        ["lentemarkt"],
    ),
    (
        9,
        "service",
        "Werkzaamheden Marktstraat en bereikbaarheid",
        "Van april tot juni ligt de straat open.",
        ["omleiding"],
    ),
    (
        8,
        "service",
        "Uitslag draagvlakmeting BIZ",
        "Een ruime meerderheid stemde voor.",
        ["biz-uitslag", "faq"],
    ),
    (
        7,
        "marketing",
        "Zomer in het Stadshart: terrassen en muziek",
        "Het zomerprogramma is bekend.",
        ["zomer"],
    ),
    (
        6,
        "service",
        "Schoon, heel en veilig: resultaten van de schouw",
        "Minder meldingen dan vorig jaar.",
        ["schouw"],
    ),
    (
        5,
        "service",
        "Leegstand aanpakken: pop-upwinkels gezocht",
        "Drie panden zoeken een tijdelijke huurder.",
        ["pop-up"],
    ),
    (
        4,
        "marketing",
        "Najaarscampagne en de Veldhavense Cadeaukaart",
        "Verkoop de cadeaukaart in uw winkel.",
        ["kaart"],
    ),
    (
        3,
        "service",
        "Sinterklaasintocht: afsluitingen en laad- en lostijden",
        "Zaterdag is het centrum dicht.",
        ["intocht"],
    ),
    (
        2,
        "marketing",
        "Koopavonden in december",
        "Extra koopavonden op donderdag en vrijdag.",
        ["koopavonden"],
    ),
    (
        1,
        "service",
        "Terugblik op het jaar en de ledenvergadering",
        "Kom naar de ledenvergadering.",
        ["alv", "enquete"],
    ),
]

DRAFT_SUBJECT = "Nieuwsbrief: plannen voor het voorjaar"

APPLE_PROXY = "Mozilla/5.0"
READERS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Microsoft Outlook 16.0.17531; ms-office; MSOffice 16)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
]
SCANNER = "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))"


def seed(ctx: DemoContext) -> None:
    # A million deliveries and events at --scale 100: their foreign keys checked by one join each,
    # their plain indexes built once the rows are in.
    with foreign_keys_checked_once(Delivery, DeliveryEvent), indexes_built_after(Delivery, DeliveryEvent):
        _seed(ctx)


def _seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    now = timezone.now().replace(second=0, microsecond=0)
    index = newsletter_index()
    staff = ctx.staff.get(roles.COMMUNICATIE) or list(
        get_user_model().objects.filter(groups__name=roles.COMMUNICATIE).order_by("pk")
    )
    writer = staff[0] if staff else None
    approver = staff[1] if len(staff) > 1 else writer
    audiences = consenting_addresses()
    suppressed: dict[str, tuple[str, int | None]] = {}
    withdrawals: list[Consent] = []
    totals = {"deliveries": 0, "events": 0}

    for months_back, kind, subject, lead, links in ISSUES:
        sent_at = (now - dt.timedelta(days=30 * months_back)).replace(hour=9, minute=30)
        page = add_issue(index, kind=kind, subject=subject, lead=lead, links=links, owner=writer)
        revision = page.save_revision(user=writer, log_action=False)
        revision.publish(user=approver, log_action=False)
        NewsletterApproval.objects.create(revision=revision, approved_by=approver, comment="Akkoord.")
        send = Send.objects.create(
            newsletter=page,
            revision=revision,
            status=Send.Status.SENT,
            scheduled_at=sent_at,
            queued_by=approver,
            started_at=sent_at,
            finished_at=sent_at + dt.timedelta(minutes=4),
            subject=subject,
            from_email=SENDER,
        )
        recipients = [r for r in audiences[kind] if r[0] not in suppressed]
        deliveries = [
            SentMessage(
                pk=pk,
                email=email,
                person_id=person_id,
                sent_at=sent_at + dt.timedelta(seconds=n // 20),
                esp_message_id=f"<demo.{send.pk}.{n}@{MAIL_DOMAIN}>",
            )
            for n, ((email, person_id), pk) in enumerate(
                zip(recipients, reserve_ids(Delivery, len(recipients)), strict=True)
            )
        ]
        insert_rows(
            Delivery,
            DELIVERY_COLUMNS,
            [
                (
                    m.pk,
                    send.pk,
                    m.person_id,
                    m.email,
                    Delivery.Status.SENT,
                    "",
                    None,
                    1,
                    None,
                    m.sent_at,
                    m.esp_message_id,
                    "",
                )
                for m in deliveries
            ],
        )
        events = reader_events(rng, send, deliveries, links, suppressed, withdrawals, kind)
        insert_rows(DeliveryEvent, EVENT_COLUMNS, events)
        totals["deliveries"] += len(deliveries)
        totals["events"] += len(events)
        # The audience of later issues leaves out who unsubscribed from this one.
        left = {w.person_id for w in withdrawals}
        audiences[kind] = [r for r in audiences[kind] if r[1] not in left]

    Suppression.objects.bulk_create(
        [
            Suppression(email=email, reason=reason, delivery_id=delivery_id)
            for email, (reason, delivery_id) in suppressed.items()
        ],
        ignore_conflicts=True,
    )
    Consent.objects.bulk_create(withdrawals, batch_size=2000)
    draft = add_draft_for_review(index, writer)
    from newsletter.demo_ai import seed_ai_drafts

    seed_ai_drafts(ctx, index, writer=writer, approver=approver)
    ctx.write(
        f"  newsletters: {len(ISSUES)} sent ({totals['deliveries']} deliveries, {totals['events']} events, "
        f"{len(suppressed)} suppressed), 1 draft {'awaiting review' if draft else 'saved'}"
    )


def newsletter_index() -> NewsletterIndexPage:
    """The archive under the portal's home page, under the "Redactie" review workflow."""
    index = NewsletterIndexPage.objects.first()
    if index is None:
        home = Page.objects.get(depth=2, slug="home")
        index = home.add_child(
            instance=NewsletterIndexPage(
                title="Nieuwsbrieven",
                slug="nieuwsbrief-archief",
                show_in_menus=True,
                intro="<p>Alle nieuwsbrieven van Centrummanagement Veldhaven.</p>",
            )
        )
    try:
        from newsletter.review import assign_review_workflow
    except ImportError:  # the review workflow is not installed
        return index
    assign_review_workflow(index)
    return index


def add_issue(index, *, kind, subject, lead, links, owner) -> NewsletterPage:
    body = [
        {"type": "greeting", "value": {"salutation": "Beste", "fallback": "ondernemer"}},
        {"type": "paragraph", "value": f"<p>{lead}</p>"},
        {"type": "news", "value": {"heading": "Nieuws", "count": 3}},
        {"type": "events", "value": {"heading": "Agenda", "count": 3}},
    ]
    page = NewsletterPage(
        title=subject,
        slug=f"nb-{NewsletterPage.objects.count() + 1}-{links[0]}",
        subject=subject,
        preheader=lead,
        kind=kind,
        body=body,
        owner=owner,
        live=False,
    )
    return index.add_child(instance=page)


def consenting_addresses() -> dict[str, list[tuple[str, int]]]:
    """(email, person id) of everyone whose newest consent for each newsletter kind grants it."""
    newest: dict[tuple[int, str], bool] = {}
    topics = {kind: NewsletterKind(kind).consent_topic for kind in NewsletterKind.values}
    for person_id, topic, granted in (
        Consent.objects.filter(topic__in=topics.values())
        .order_by("recorded_at", "pk")
        .values_list("person_id", "topic", "granted")
    ):
        newest[(person_id, topic)] = granted
    primary = dict(
        EmailAddress.objects.filter(is_primary=True, person__erased_at__isnull=True)
        .filter(~Q(email=""))
        .values_list("person_id", "email")
    )
    return {
        kind: sorted(
            (primary[person_id].lower(), person_id)
            for (person_id, t), granted in newest.items()
            if t == topic and granted and person_id in primary
        )
        for kind, topic in topics.items()
    }


class SentMessage(NamedTuple):
    """A delivery of the demo as its events need it (half a million at --scale 100: no model instances)."""

    pk: int
    email: str
    person_id: int | None
    sent_at: dt.datetime
    esp_message_id: str


DELIVERY_COLUMNS = [
    "id",
    "send",
    "person",
    "email",
    "status",
    "claimed_by",
    "claimed_at",
    "attempts",
    "not_before",
    "sent_at",
    "esp_message_id",
    "error",
]

# An event as a plain row for insert_rows (a million of them at --scale 100: model instances
# built for bulk_create were most of the newsletter demo's time).
EVENT_COLUMNS = [
    "delivery",
    "send",
    "esp",
    "event_id",
    "event_type",
    "timestamp",
    "received_at",
    "recipient",
    "message_id",
    "is_hard_bounce",
    "url",
    "user_agent",
    "is_machine",
    "machine_reason",
    "description",
    "raw",
]


def reader_events(rng, send, deliveries, links, suppressed, withdrawals, kind) -> list[tuple]:
    """What the ESP reported about each message, drawn from realistic rates (rows of EVENT_COLUMNS)."""
    events: list[tuple] = []
    urls = [f"https://veldhaven.example/{slug}/" for slug in links] + ["https://veldhaven.example/agenda/"]
    open_rate = rng.uniform(0.35, 0.5)
    click_rate = rng.uniform(0.05, 0.10)

    def add(
        delivery,
        event_type,
        at,
        *,
        is_hard_bounce=False,
        url="",
        user_agent="",
        is_machine=False,
        machine_reason="",
        description="",
    ):
        events.append(
            (
                delivery.pk,
                send.pk,
                ESP,
                f"demo-{send.pk}-{len(events)}",
                event_type,
                at,
                at,  # received: an ESP reports within seconds
                delivery.email,
                delivery.esp_message_id,
                is_hard_bounce,
                url,
                user_agent,
                is_machine,
                machine_reason,
                description,
                {},  # the ESP's payload: none for demo events
            )
        )

    for delivery in deliveries:
        start = delivery.sent_at
        roll = rng.random()
        if roll < 0.02:  # bounced: mostly permanent (the address no longer exists)
            hard = rng.random() < 0.6
            add(
                delivery,
                DeliveryEvent.Type.BOUNCED,
                start + dt.timedelta(seconds=rng.randint(5, 120)),
                is_hard_bounce=hard,
                description="550 5.1.1 Mailbox does not exist" if hard else "452 Mailbox full",
            )
            if hard:
                suppressed.setdefault(delivery.email, (Suppression.Reason.HARD_BOUNCE, delivery.pk))
            continue
        if roll < 0.03:  # deferred and never delivered within the day
            add(delivery, DeliveryEvent.Type.DEFERRED, start + dt.timedelta(minutes=rng.randint(1, 30)))
            continue
        delivered_at = start + dt.timedelta(seconds=rng.randint(2, 90))
        add(delivery, DeliveryEvent.Type.DELIVERED, delivered_at)
        if rng.random() < 0.18:  # Apple Mail Privacy Protection fetches the images on arrival
            add(
                delivery,
                DeliveryEvent.Type.OPENED,
                delivered_at + dt.timedelta(seconds=1),
                user_agent=APPLE_PROXY,
                is_machine=True,
                machine_reason="Apple Mail Privacy Protection",
            )
        if rng.random() < 0.04:  # a company mail filter follows every link
            for url in urls:
                add(
                    delivery,
                    DeliveryEvent.Type.CLICKED,
                    delivered_at + dt.timedelta(seconds=3),
                    url=url,
                    user_agent=SCANNER,
                    is_machine=True,
                    machine_reason="scanner user agent",
                )
        if rng.random() < open_rate:
            agent = rng.choice(READERS)
            # Most reading happens in the first hours; some people read days later.
            opened_at = delivered_at + dt.timedelta(minutes=int(rng.expovariate(1 / 240)) + 1)
            for again in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1)):
                add(
                    delivery,
                    DeliveryEvent.Type.OPENED,
                    opened_at + dt.timedelta(minutes=again * 45),
                    user_agent=agent,
                )
            if rng.random() < click_rate / open_rate:
                for url in rng.sample(urls, k=1 + (rng.random() < 0.25)):
                    add(
                        delivery,
                        DeliveryEvent.Type.CLICKED,
                        opened_at + dt.timedelta(seconds=rng.randint(20, 400)),
                        url=url,
                        user_agent=agent,
                    )
            if rng.random() < 0.006:
                at = opened_at + dt.timedelta(minutes=2)
                add(delivery, DeliveryEvent.Type.UNSUBSCRIBED, at)
                if delivery.person_id:
                    withdrawals.append(
                        Consent(
                            person_id=delivery.person_id,
                            topic=NewsletterKind(kind).consent_topic,
                            granted=False,
                            recorded_at=at,
                            source=Consent.Source.UNSUBSCRIBE,
                            wording=f'Afgemeld via de nieuwsbrief "{send.subject}".',
                        )
                    )
        elif rng.random() < 0.002:
            add(
                delivery, DeliveryEvent.Type.COMPLAINED, delivered_at + dt.timedelta(hours=rng.randint(1, 48))
            )
            suppressed.setdefault(delivery.email, (Suppression.Reason.COMPLAINT, delivery.pk))
    return events


def add_draft_for_review(index, writer):
    """A newsletter a Communicatie colleague wrote and submitted to the "Redactie" review."""
    page = add_issue(
        index,
        kind="service",
        subject=DRAFT_SUBJECT,
        lead="Wat er dit voorjaar in het centrum gebeurt, en waar we uw hulp bij zoeken.",
        links=["voorjaar"],
        owner=writer,
    )
    page.save_revision(user=writer, log_action=False)
    workflow = page.get_workflow()
    if workflow is None or writer is None:
        return None
    workflow.start(page, writer)
    return page
