"""Builders for every test folder: the named cast, CRM records, newsletters, sends, portal pages, members.

Tests import builders from here; the cast's fixtures (`sanne`, `marloes`, ...) and the demo centre
live in tests/conftest.py. Builders make only what a test asks for, so each test's database stays small.
"""

import datetime as dt
import io
import itertools
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PillowImage
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction, Site

from crm.models import Consent, EmailAddress, Interaction, Organisation, Person, Role, Segment
from crm.services import record_consent
from newsletter.esp_events import clear_delivery_cache
from newsletter.models import Delivery, NewsletterApproval, NewsletterIndexPage, NewsletterPage, Send
from portal.members import services as members
from portal.models import (
    DirectoryPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProjectIndexPage,
    StandardPage,
)
from stadshart import demo
from stadshart.models import CentreSettings

STAFF_PASSWORD = "een-lang-wachtwoord-42"
MEMBER_PASSWORD = "Korenschoof-brood-2026"

_kvk_numbers = itertools.count(10000001)
_serial = itertools.count(1)


# People ---------------------------------------------------------------------------------------

#: The centre's staff as the tests know them: username -> (role, first name, last name).
CAST = {
    "sanne": ("Accountmanager", "Sanne", "de Vries"),
    "marloes": ("Centrummanager", "Marloes", "Bakker"),
    "pieter": ("Bestuur", "Pieter", "van den Berg"),
    "lotte": ("Communicatie", "Lotte", "Kok"),
    "ruben": ("Communicatie", "Ruben", "Visser"),
    "hanneke": ("Facilitair", "Hanneke", "Mulder"),
}


def make_staff(username: str, role: str | None, *, second_factor: bool = True, **fields):
    """A staff member in `role` (a group from stadshart/roles.py) who can log in with STAFF_PASSWORD.

    With an authenticator app set up (`second_factor_code(user)` gives its code), unless
    `second_factor=False`: then their first login sets one up.
    """
    fields.setdefault("email", f"{username}@veldhaven.example")
    user = get_user_model().objects.create_user(
        username=username, password=STAFF_PASSWORD, is_staff=True, **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if second_factor:
        authenticator_app(user)
    return user


def authenticator_app(user) -> TOTPDevice:
    """The user's authenticator app as the server knows it (set up now if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)


def second_factor_code(user) -> str:
    """The code the user's authenticator app shows, computed from the key as the phone does.

    django-otp accepts a code once, and the next step's code a step early; so a second login within
    the same 30 seconds types the next step's code, and a third waits for the clock.
    """
    device = authenticator_app(user)
    now = int(time.time() - device.t0) // device.step
    counter = max(now, device.last_t + 1, now + device.drift - device.tolerance)
    ready_at = counter - device.drift - device.tolerance  # the first step the server takes it in
    if ready_at > now:
        time.sleep(device.t0 + ready_at * device.step - time.time() + 0.05)
    return f"{hotp(device.bin_key, counter, digits=device.digits):0{device.digits}d}"


def colleague(username: str):
    """One of the named cast (see CAST), with their role and full name."""
    role, first_name, last_name = CAST[username]
    return make_staff(username, role, first_name=first_name, last_name=last_name)


# CRM ------------------------------------------------------------------------------------------


#: The demo units that add every person the demo centre has: its staff, the CRM's people and the
#: members' accounts, which belong to CRM people (the later units add pages, newsletters, money
#: and posts, no person).
DEMO_PEOPLE_UNITS = ("stadshart", "crm", "portal.members")


def seed_demo_people(seed: int = 2026) -> None:
    """The demo centre's staff, businesses and people as `seed_demo --seed` makes them, in a second
    instead of ten. Some of those people get a member account, not quite the ones a full load picks
    (the portal's unit, left out, draws from the random source before the members' unit)."""
    with transaction.atomic():  # as in seed_demo: the search indexes take the load in one go
        demo.seed_apps(
            demo.DemoContext(rng=random.Random(seed), scale=1, write=lambda line: None), DEMO_PEOPLE_UNITS
        )


def make_organisation(name: str = "Bakkerij De Korenschoof", **fields) -> Organisation:
    defaults = {
        "kind": Organisation.Kind.ENTREPRENEUR,
        "sector": Organisation.Sector.RETAIL_DAILY,
        "kvk_number": str(next(_kvk_numbers)),
        "street": "Marktstraat",
        "house_number": "1",
        "postcode": "4811 AB",
        "town": "Veldhaven",
    }
    defaults.update(fields)
    return Organisation.objects.create(name=name, **defaults)


def make_person(first_name="Fatima", last_name="Bouzid", *, email=None, organisation=None, title="Eigenaar"):
    person = Person.objects.create(first_name=first_name, last_name=last_name)
    if email:
        EmailAddress.objects.create(person=person, email=email, is_primary=True)
    if organisation:
        Role.objects.create(person=person, organisation=organisation, title=title, is_primary_contact=True)
    person.refresh_search_text()
    return person


#: When make_visit's contacts happen unless told otherwise (`days` counts from it).
VISIT_TIME = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)


def make_visit(*organisations, attendees=(), days: int = 0, **fields) -> Interaction:
    """A visit (or the `kind` given) to these organisations, `days` after VISIT_TIME."""
    fields.setdefault("subject", "Bezoek")
    interaction = Interaction.objects.create(occurred_at=VISIT_TIME + dt.timedelta(days=days), **fields)
    interaction.organisations.add(*organisations)
    interaction.attendees.add(*attendees)
    return interaction


def make_segment(name: str | None = None, **filters) -> Segment:
    return Segment.objects.create(name=name or f"Segment {next(_serial)}", filters=filters)


def subscriber(
    first_name, email, *, organisation=None, topic=Consent.Topic.SERVICE_NEWSLETTER, granted=True, **org
):
    """A person with a role at an organisation (made if not given) and a consent for `topic`."""
    organisation = organisation or make_organisation(f"Zaak van {first_name} {next(_serial)}", **org)
    person = make_person(first_name, "Jansen", email=email, organisation=organisation)
    if topic:
        record_consent(
            person=person, topic=topic, granted=granted, source=Consent.Source.STAFF, wording="test"
        )
    return person


def audience(count: int, *, domain="example.nl", topic=Consent.Topic.SERVICE_NEWSLETTER):
    """`count` consenting people at one organisation; returns their addresses."""
    organisation = make_organisation(f"Winkelcentrum {next(_serial)}")
    addresses = []
    for index in range(count):
        address = f"lezer{index}@{domain}"
        subscriber(f"Lezer{index}", address, organisation=organisation, topic=topic)
        addresses.append(address)
    return addresses


# Newsletters ----------------------------------------------------------------------------------


def newsletter_index() -> NewsletterIndexPage:
    """The newsletter archive under the home page (made on first use)."""
    index = NewsletterIndexPage.objects.first()
    if index is None:
        home = Page.objects.get(depth=2, slug="home")
        index = home.add_child(instance=NewsletterIndexPage(title="Nieuwsbrieven", slug="nieuwsbrief"))
    return index


def make_image(title: str = "De Markt bij avond") -> Image:
    return Image.objects.create(title=title, file=get_test_image_file(filename="markt.png"))


def rich_body(image: Image | None = None) -> list:
    """A newsletter body with every kind of block."""
    body = [
        ("greeting", {"salutation": "Beste", "fallback": "ondernemer"}),
        ("heading", {"text": "Koopzondag in december"}),
        (
            "paragraph",
            '<p>De <b>binnenstad</b> is open op zondag. Lees <a href="https://www.veldhaven.example/agenda">'
            'de agenda</a> of kijk op <a href="http://testserver/evenementen/">onze site</a>.</p>'
            "<ul><li>Markt</li><li>Kerstverlichting</li></ul>",
        ),
        ("button", {"text": "Meld je aan", "page": None, "url": "http://testserver/aanmelden/?bron=mail"}),
        ("divider", None),
        (
            "columns",
            {
                "left": [("heading", {"text": "Parkeren"}), ("paragraph", "<p>Gratis na 18 uur.</p>")],
                "right": [("paragraph", "<p>Schoon, heel en veilig.</p>")],
            },
        ),
    ]
    if image is not None:
        body.insert(2, ("image", {"image": image, "caption": "De Markt"}))
    return body


def draft_newsletter(
    title: str = "Nieuwsbrief december",
    *,
    owner=None,
    kind: str = "service",
    body=None,
    slug: str | None = None,
    revision_user=None,
) -> NewsletterPage:
    """A newsletter being written: a saved revision, not published, not approved."""
    index = newsletter_index()
    page = NewsletterPage(
        title=title,
        slug=slug or f"nieuwsbrief-{NewsletterPage.objects.count() + 1}",
        subject=title,
        preheader="Koopzondag, kerstmarkt en parkeren",
        kind=kind,
        owner=owner,
        body=rich_body() if body is None else body,
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision(user=revision_user or owner)
    return page


def published_newsletter(
    *, segments=(), excluded=(), kind="service", approve=True, subject="Nieuws uit het centrum", body=()
) -> NewsletterPage:
    """A published newsletter for `segments`, approved (unless approve=False): ready to send."""
    number = next(_serial)
    page = NewsletterPage(
        title=f"Nieuwsbrief {number}",
        slug=f"uitgave-{number}",
        subject=subject,
        kind=kind,
        body=list(body),
    )
    newsletter_index().add_child(instance=page)
    page.segments.set(segments)
    page.excluded_segments.set(excluded)
    revision = page.save_revision()
    revision.publish()
    if approve:
        NewsletterApproval.objects.create(revision=revision)
    return NewsletterPage.objects.get(pk=page.pk)


def make_send(subject: str = "Nieuws uit het Stadshart", *, kind: str = "service", sent_at=None) -> Send:
    """A newsletter sent two hours ago (or at `sent_at`), without deliveries."""
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
    """One sent message of `send`, with the ESP's message id the webhooks will name."""
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


# Portal ---------------------------------------------------------------------------------------


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_news(index, title: str, *, days_ago: int = 1, intro: str = "", **fields) -> NewsPage:
    return publish(
        index,
        NewsPage(
            title=title,
            date=timezone.localdate() - dt.timedelta(days=days_ago),
            intro=intro or f"Over {title.lower()}.",
            **fields,
        ),
    )


def make_event(index, title: str, *, days: float = 7, hours: float = 2, **fields) -> EventPage:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    defaults = {"location": "Kerkplein", "intro": f"{title} in de binnenstad."}
    defaults.update(fields)
    return publish(
        index, EventPage(title=title, start=start, end=start + dt.timedelta(hours=hours), **defaults)
    )


# The AI editor's sources -----------------------------------------------------------------------


def ai_sources(*, news_days_ago: int = 3, news_body=None, project_summary: str = "") -> dict:
    """What the AI editor drafts from: a news item, a coming event and a public project with its lead.

    Newsletters and social posts build on it; personal data goes where staff would write it, so a
    test can prove none of it reaches a request to the AI.
    """
    from projects.models import Project, YearPlan

    home = Page.objects.get(depth=2)
    news_index = publish(home, NewsIndexPage(title="Nieuws", slug="nieuws"))
    agenda = publish(home, EventIndexPage(title="Agenda", slug="agenda"))
    news = make_news(
        news_index,
        "Kerstverlichting hangt vanaf 1 december",
        days_ago=news_days_ago,
        intro="De kerstverlichting in de Marktstraat en op het Kerkplein gaat aan.",
        body=news_body
        or [("paragraph", "<p>De ondernemers betalen mee via het BIZ-fonds: 12.500 euro.</p>")],
    )
    # A koopzondag is on a Sunday: the first one at least a week away, whatever day the test runs.
    week_on = timezone.localdate() + dt.timedelta(days=7)
    sunday = week_on + dt.timedelta(days=(6 - week_on.weekday()) % 7)
    start = timezone.make_aware(dt.datetime.combine(sunday, dt.time(12)))
    event = publish(
        agenda,
        EventPage(
            title="Koopzondag",
            start=start,
            end=start + dt.timedelta(hours=5),
            location="Binnenstad",
            intro="Alle winkels open.",
        ),
    )
    lead = get_user_model().objects.create_user(username="h.vos", first_name="Hendrik", last_name="Vos")
    project = Project.objects.create(
        name="Schoon, heel en veilig",
        year_plan=YearPlan.objects.get_or_create(year=timezone.localdate().year)[0],
        summary=project_summary or "Extra schoonmaakrondes en camera's in de stegen.",
        status="oranje",
        is_public=True,
        lead=lead,
    )
    return {"news": news, "event": event, "project": project, "lead": lead}


def make_listed(name: str, **fields):
    """A business that chose to be in the directory, with its public profile."""
    defaults = {
        "in_directory": True,
        "opening_hours": "di–za 9.30–18.00",
        "website": "https://www.example.com",
        "description": f"{name}: al jaren in de binnenstad.",
    }
    defaults.update(fields)
    return make_organisation(name, **defaults)


@dataclass
class Portal:
    home: HomePage
    news: NewsIndexPage
    agenda: EventIndexPage
    projects: ProjectIndexPage
    directory: DirectoryPage
    about: StandardPage
    members_only: StandardPage


def build_portal() -> Portal:
    """A small portal: home, news, agenda, projects, directory, a standard page and a members-only one."""
    home = HomePage.objects.get(depth=2)
    CentreSettings.for_site(Site.objects.get(is_default_site=True))  # created once, as on a running site
    home.title = "Binnenstad Veldhaven"
    home.join_heading = "Doe mee"
    home.join_text = "Meld u aan als deelnemer."
    home.search_description = "De binnenstad van Veldhaven."
    home.save_revision().publish()
    news = publish(home, NewsIndexPage(title="Nieuws", slug="nieuws", show_in_menus=True, intro="Nieuws."))
    agenda = publish(home, EventIndexPage(title="Agenda", slug="agenda", show_in_menus=True))
    projects = publish(home, ProjectIndexPage(title="Projecten", slug="projecten", show_in_menus=True))
    directory = publish(home, DirectoryPage(title="Bedrijvengids", slug="bedrijvengids", show_in_menus=True))
    about = publish(
        home,
        StandardPage(
            title="Over ons",
            slug="over-ons",
            show_in_menus=True,
            intro="Wie wij zijn.",
            body=[("paragraph", "<p>Een stichting van ondernemers en gemeente.</p>")],
        ),
    )
    members_only = publish(
        home,
        StandardPage(
            title="Voor deelnemers",
            slug="voor-deelnemers",
            show_in_menus=True,
            intro="Verslagen van de stuurgroep.",
            body=[("paragraph", "<p>Geheim verslag van de ledenvergadering.</p>")],
        ),
    )
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
    return Portal(home, news, agenda, projects, directory, about, members_only)


# Members --------------------------------------------------------------------------------------


def make_member(organisation, first_name="Fatima", last_name="Bouzid", email="fatima@korenschoof.example"):
    """A member who accepted an invitation (and has not onboarded yet); logs in with MEMBER_PASSWORD."""
    person = make_person(first_name, last_name, email=email, organisation=organisation)
    _invitation, token = members.invite_person(person=person, organisation=organisation, invited_by=None)
    return members.accept_invitation(token=token, password=MEMBER_PASSWORD)


def image_upload(name="foto.jpg", *, size=(64, 48), image_format="JPEG", exif=True):
    """An uploaded photo; JPEGs carry a camera make and a GPS position the portal must strip."""
    image = PillowImage.new("RGB", size, (200, 30, 40))
    buffer = io.BytesIO()
    kwargs = {}
    if exif and image_format == "JPEG":
        data = PillowImage.Exif()
        data[0x010F] = "SpyCam"  # Make
        data[0x8825] = {2: (52.0, 5.0, 0.0)}  # GPS info
        kwargs["exif"] = data.tobytes()
    image.save(buffer, image_format, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(image_format, "application/octet-stream")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
