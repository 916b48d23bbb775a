"""Dutch first, on every screen: each role's staff screens and every member screen, rendered in
Dutch from the demo centre, show no English from our own catalogue, no "None", "True" or "False",
no informal "je" beside our formal "u", and no form label ending in a colon.

The screens are listed here once (STAFF_SCREENS, MEMBER_SCREENS): add a screen when you build one.
A screen a role may not open is skipped for that role; each role must get through enough of them.
"""

import re
from functools import cache

import polib
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page

from crm.models import Organisation, Person, Segment
from newsletter.models import NewsletterPage, Send
from portal.members.models import Application, Membership, Report
from projects.models import Project, YearPlan
from social.models import SocialPost
from stadshart import roles
from tests.builders import make_staff
from tests.services import BASE_DIR

pytestmark = pytest.mark.django_db

# A screen: (URL name, a function giving its arguments from the demo centre, or None).
STAFF_SCREENS = [
    ("wagtailadmin_home", None),
    ("wagtailadmin_explore_root", None),
    ("wagtailadmin_account", None),
    ("crm_my_work", None),
    ("crm_log_visit", None),
    ("crm_search:index", None),
    ("crm_stakeholders:map", None),
    ("crm_import:upload", None),
    ("crm_export:index", None),
    ("crm_merge", None),
    ("crm_organisation:index", None),
    ("crm_organisation:add", None),
    ("crm_organisation:detail", lambda: [Organisation.objects.order_by("pk").first().pk]),
    ("crm_organisation:edit", lambda: [Organisation.objects.order_by("pk").first().pk]),
    ("crm_person:index", None),
    ("crm_person:detail", lambda: [Person.objects.order_by("pk").first().pk]),
    ("crm_premises:index", None),
    ("crm_interest:index", None),
    ("crm_segment:index", None),
    ("crm_segment:edit", lambda: [Segment.objects.order_by("pk").first().pk]),
    ("members_application:index", None),
    ("members_application:decide", lambda: [Application.objects.order_by("pk").first().pk]),
    ("members_report:index", None),
    ("members_report:edit", lambda: [Report.objects.order_by("pk").first().pk]),
    ("members_report:inspect", lambda: [Report.objects.order_by("pk").first().pk]),
    ("members_invite", lambda: [Organisation.objects.order_by("pk").first().pk]),
    ("newsletter_results", None),
    ("newsletter_results_send", lambda: [Send.objects.order_by("-pk").first().pk]),
    ("wagtailadmin_pages:edit", lambda: [NewsletterPage.objects.order_by("-pk").first().pk]),
    ("wagtailadmin_pages:edit", lambda: [Page.objects.filter(depth=3).order_by("pk").first().pk]),
    ("social:calendar", None),
    ("social:draft", None),
    ("social_posts:list", None),
    ("social_posts:edit", lambda: [SocialPost.objects.order_by("pk").first().pk]),
    ("year_plans:index", None),
    ("year_plans:edit", lambda: [YearPlan.objects.order_by("pk").first().pk]),
    ("projects:index", None),
    ("projects:edit", lambda: [Project.objects.order_by("pk").first().pk]),
    ("projects:inspect", lambda: [Project.objects.order_by("pk").first().pk]),
    ("project_decisions:index", None),
    ("progress_reports:index", None),
    ("funding_contributions:index", None),
    ("funding_participation", None),
    ("funding_ballot:list", None),
    ("drafting:settings", None),
    ("keeping", None),
    ("suppressions:index", None),
    ("wagtailusers_users:index", None),
    ("wagtailusers_groups:index", None),
    ("wagtailadmin_reports:workflow", None),
    ("wagtailimages:index", None),
    ("wagtaildocs:index", None),
]

MEMBER_SCREENS = [
    ("members:home", None),
    ("members:colleagues", None),
    ("members:edit_profile", lambda: ["gegevens"]),
    ("members:edit_profile", lambda: ["interesses"]),
    ("members:edit_profile", lambda: ["nieuwsbrieven"]),
    ("members:edit_profile", lambda: ["bedrijvengids"]),
    ("members:reports", None),
    ("members:new_report", None),
    ("members:close_account", None),
]

# Screens about logins themselves, where a username is what is meant.
USERNAMES_BELONG = {"wagtailusers_users:index"}
# Wagtail's own English that its Dutch catalogue leaves untranslated (we override it).
WAGTAIL_ENGLISH = ["Editor Guide"]
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
WRONG_WORDS = re.compile(r"\b(None|True|False)\b")
PLACEHOLDER = re.compile(r"%(\(\w+\))?[sd]|\{")


@cache
def english_words() -> frozenset[str]:
    """Our catalogue's English strings whose Dutch differs (and that have no placeholders)."""
    catalogue = polib.pofile(str(BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    return frozenset(
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural
        and entry.msgstr
        and entry.msgstr.strip() != entry.msgid.strip()
        and not PLACEHOLDER.search(entry.msgid)
        and re.search(r"[a-z]{3}", entry.msgid)
    )


def readable(html: str) -> list[str]:
    """What a person reads (and a screen reader says): text, labels, placeholders, titles."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "noscript", "svg"]):
        hidden.decompose()
    for hidden in soup.select('[hidden], [aria-hidden="true"]'):
        hidden.decompose()
    pieces = [text.strip() for text in soup.stripped_strings]
    for element in soup.find_all(attrs={"placeholder": True}):
        pieces.append(element["placeholder"].strip())
    for attribute in ("aria-label", "title", "alt"):
        for element in soup.find_all(attrs={attribute: True}):
            pieces.append(element[attribute].strip())
    return [piece for piece in pieces if piece]


@cache
def usernames() -> frozenset[str]:
    """Login names of staff who have a name: where a person is meant, we show the name."""
    staff = get_user_model().objects.filter(is_staff=True).exclude(first_name="", last_name="")
    return frozenset(staff.values_list("username", flat=True))


def problems(html: str, *, usernames_belong: bool = False) -> list[str]:
    found = []
    english = english_words()
    for piece in readable(html):
        if piece in usernames() and not usernames_belong:
            found.append(f"username: {piece!r}")
        if piece in english or piece.rstrip(":") in english or piece in WAGTAIL_ENGLISH:
            found.append(f"English: {piece!r}")
        if WRONG_WORDS.search(piece):
            found.append(f"None/True/False: {piece!r}")
        if INFORMAL.search(piece):
            found.append(f"informal: {piece!r}")
        if re.search(r"\s:\s*$|\s:\s", piece):
            found.append(f"space before a colon: {piece!r}")
    soup = BeautifulSoup(html, "html.parser")
    for label in soup.find_all("label"):
        text = label.get_text(" ", strip=True)
        if text.endswith(":"):
            found.append(f"label ends in a colon: {text!r}")
    return found


def walk(client, screens) -> tuple[int, dict[str, list[str]]]:
    """Open every screen; (how many opened, the problems found per URL)."""
    opened, found = 0, {}
    for name, arguments in screens:
        url = reverse(name, args=arguments() if arguments else None)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        if issues := problems(response.content.decode(), usernames_belong=name in USERNAMES_BELONG):
            found[url] = sorted(set(issues))
    return opened, found


def staff_in(role: str):
    """The demo centre's colleague in `role` (the Beheerder is made: the demo has none)."""
    user = get_user_model().objects.filter(groups__name=role, is_active=True).order_by("pk").first()
    return user or make_staff("beheer", role, first_name="Bas", last_name="Beheer")


@pytest.mark.parametrize(
    ("role", "at_least"),
    [
        (roles.BEHEERDER, 40),
        (roles.CENTRUMMANAGER, 35),
        (roles.ACCOUNTMANAGER, 20),
        (roles.COMMUNICATIE, 15),
        (roles.FACILITAIR, 10),
        (roles.BESTUUR, 5),
    ],
)
def test_every_staff_screen_of_a_role_is_in_dutch(demo_centre, client, role, at_least):
    client.force_login(staff_in(role))
    opened, found = walk(client, STAFF_SCREENS)
    assert not found, found
    assert opened >= at_least


def test_every_member_screen_is_in_dutch(demo_centre, client):
    membership = (
        Membership.objects.filter(closed_at__isnull=True, onboarding_step=Membership.Step.DONE)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    client.force_login(membership.user)
    report = Report.objects.filter(organisation=membership.organisation).first()
    screens = [*MEMBER_SCREENS, *([("members:report", lambda: [report.pk])] if report else [])]
    opened, found = walk(client, screens)
    assert not found, found
    assert opened == len(screens)


# "1 rijen niet overgenomen": a count beside a plural noun needs ngettext (blocktranslate count).
PLURAL_NOUN = re.compile(
    r"\b(rows|organisations|notes|complaints|recipients|messages|people|businesses|reports|contacts"
    r"|lines|parties|newsletters|posts|tasks|follow-ups|members|calls|tokens|minutes|days|hashtags)\b"
)
COUNT_THEN_TEXT = re.compile(r"\}\}(?:</\w+>)?\s*\{% (?:translate|trans) \"([^\"]+)\"")
# Counts that are never one.
ALWAYS_SEVERAL = {
    "%(n)s days",  # My work's quiet periods: 30 to 180 days
    "KvK number %(kvk)s belongs to %(count)s organisations in the CRM; add the vestigingsnummer to the row.",
    "%(count)s hashtags; at most %(max)s on %(channel)s.",  # more than the channel's maximum
    # The smallest group shown (insights.queries.shapes.MIN_GROUP, five).
    "Fewer than %(n)s organisations match this filter: its figures are not shown, so no one can be "
    "singled out. Choose a wider filter.",
}


def test_a_count_beside_a_plural_noun_has_a_singular_too():
    beside = [
        f"{path.relative_to(BASE_DIR)}: {match.group(1)}"
        for path in (BASE_DIR / "templates").rglob("*.html")
        for match in COUNT_THEN_TEXT.finditer(path.read_text(encoding="utf-8"))
        if PLURAL_NOUN.search(match.group(1))
    ]
    catalogue = polib.pofile(str(BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    without_plural = [
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural
        and re.search(r"%\((n|count)\)s [^%]*?" + PLURAL_NOUN.pattern, entry.msgid)
        and entry.msgid not in ALWAYS_SEVERAL
    ]
    assert not beside and not without_plural, (beside, without_plural)
