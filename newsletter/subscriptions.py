"""Signing up for newsletters (double opt-in) and changing one's newsletter preferences.

A sign-up only becomes consent when the link in the confirmation mail is followed within
CONFIRM_HOURS: nobody can subscribe someone else's address. The answer to a sign-up is the same
whether the address is known or not, so the form tells nobody who is on the list.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from auditlog.context import set_actor
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.models import Consent, Interest, Person
from crm.services import find_or_add_person, record_consent
from newsletter.models import SubscriptionRequest, Suppression
from stadshart.mail import centre_sender

CONFIRM_HOURS = 48
NEWSLETTER_TOPICS = (Consent.Topic.SERVICE_NEWSLETTER, Consent.Topic.MARKETING_NEWSLETTER)

# Sign-up throttle: a small cache counter (no extra library): per client address against floods,
# per mail address against using the form to bombard someone's inbox with confirmation mails.
SIGNUPS_PER_IP_PER_HOUR = 10
MAILS_PER_ADDRESS_PER_HOUR = 3


class TooManySignups(Exception):
    """The same client signed up too often in the last hour."""


def consent_wording(topics, interests=()) -> str:
    """The words the person agreed to, stored with the consent (AVG: what exactly was agreed)."""
    names = [str(Consent.Topic(topic).label) for topic in topics]
    wording = _(
        "I want to receive the %(newsletters)s of %(organisation)s by email. I can unsubscribe at any "
        "time through the link in every newsletter."
    ) % {"newsletters": " + ".join(names), "organisation": organisation_name()}
    if interests:
        wording += " " + _("Themes: %(themes)s.") % {"themes": ", ".join(interests)}
    return wording


def organisation_name() -> str:
    """The centre organisation's name as the portal shows it (its site setting)."""
    from wagtail.models import Site

    from stadshart.models import CentreSettings

    site = Site.objects.filter(is_default_site=True).first()
    return CentreSettings.for_site(site).name if site else settings.WAGTAIL_SITE_NAME


def _count(key: str, limit: int) -> bool:
    """Add one to an hourly counter; False when it is over the limit."""
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return True


def request_subscription(
    *, email: str, name: str, topics: list[str], interests: list[str], client_ip: str = ""
) -> SubscriptionRequest | None:
    """Store a sign-up and mail its confirmation link; raises TooManySignups for a flooding client.

    Returns None (and mails nothing) when this address already got several mails this hour; the
    person sees the same answer either way.
    """
    if client_ip and not _count(f"newsletter:signup:ip:{client_ip}", SIGNUPS_PER_IP_PER_HOUR):
        raise TooManySignups
    email = email.strip().lower()
    if not _count(f"newsletter:signup:mail:{email}", MAILS_PER_ADDRESS_PER_HOUR):
        return None
    topics = [topic for topic in NEWSLETTER_TOPICS if topic in topics]
    chosen = list(Interest.objects.filter(slug__in=interests, is_active=True).values_list("slug", "name"))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        signup = SubscriptionRequest.objects.create(
            email=email,
            name=name.strip()[:200],
            topics=topics,
            interests=[slug for slug, _name in chosen],
            wording=consent_wording(topics, [name for _slug, name in chosen]),
            token_hash=SubscriptionRequest.hash_token(token),
            created_at=now,
            expires_at=now + dt.timedelta(hours=CONFIRM_HOURS),
        )
        language = translation.get_language()
        transaction.on_commit(lambda: _mail_confirmation(signup, token, language))
    return signup


def _mail_confirmation(signup: SubscriptionRequest, token: str, language: str | None) -> None:
    url = settings.SITE_URL + reverse("newsletter:subscribe_confirm", args=[token])
    with translation.override(language):
        context = {
            "signup": signup,
            "url": url,
            "hours": CONFIRM_HOURS,
            "organisation": organisation_name(),
            "topics": [Consent.Topic(topic).label for topic in signup.topics],
        }
        subject = _("Confirm your subscription to the newsletter of %(organisation)s") % context
        text = render_to_string("email/subscribe/confirm.txt", context)
        html = render_to_string("email/subscribe/confirm.html", context)
    message = EmailMultiAlternatives(subject, text, from_email=centre_sender(), to=[signup.email])
    message.attach_alternative(html, "text/html")
    message.send()


@dataclass
class Confirmation:
    status: str  # "confirmed", "already", "expired", "invalid"
    signup: SubscriptionRequest | None = None


def confirm_subscription(*, token: str, now: dt.datetime | None = None) -> Confirmation:
    """Follow the link of a confirmation mail: the person and their consent are recorded once."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = (
            SubscriptionRequest.objects.select_for_update()
            .filter(token_hash=SubscriptionRequest.hash_token(token))
            .first()
        )
        if signup is None:
            return Confirmation("invalid")
        if signup.confirmed_at:
            return Confirmation("already", signup)
        if signup.expires_at < now:
            return Confirmation("expired", signup)
        person = person_for(email=signup.email, name=signup.name)
        for topic in signup.topics:
            record_consent(
                person=person,
                topic=topic,
                granted=True,
                source=Consent.Source.SIGN_UP,
                wording=signup.wording,
                at=now,
            )
        if signup.interests:
            person.interests.add(*Interest.objects.filter(slug__in=signup.interests))
        # Someone who unsubscribed before and now signs up again wants the mail again.
        Suppression.objects.filter(email=signup.email, reason=Suppression.Reason.UNSUBSCRIBED).delete()
        signup.confirmed_at = now
        signup.person = person
        signup.save(update_fields=["confirmed_at", "person"])
    return Confirmation("confirmed", signup)


def person_for(*, email: str, name: str = "") -> Person:
    """The CRM person who has this address, or a new person with only a name and the address."""
    first, _space, last = name.strip().partition(" ")
    return find_or_add_person(email=email, first_name=first[:80], last_name=(last or first or email)[:120])


# Preferences: reached through the signed link in every newsletter (no login).


@dataclass
class Preferences:
    email: str
    people: list[Person]
    topics: dict[str, bool]
    interests: set[str]


def current_preferences(*, email: str) -> Preferences:
    """What the people with this address currently receive (newest consent per topic) and their themes."""
    people = list(Person.objects.filter(emails__email__iexact=email, erased_at__isnull=True).distinct())
    topics = dict.fromkeys(NEWSLETTER_TOPICS, False)
    newest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(person__in=people, topic__in=NEWSLETTER_TOPICS).order_by(
        "recorded_at", "pk"
    ):
        newest[consent.topic] = consent
    for topic, consent in newest.items():
        topics[topic] = consent.granted
    interests = set(Interest.objects.filter(people__in=people).values_list("slug", flat=True))
    return Preferences(email=email, people=people, topics=topics, interests=interests)


def save_preferences(*, email: str, topics: list[str], interests: list[str]) -> Preferences:
    """Record the newsletters and themes a reader chose on the preference page; only changes are recorded."""
    before = current_preferences(email=email)
    wanted = {topic: topic in topics for topic in NEWSLETTER_TOPICS}
    chosen = list(Interest.objects.filter(slug__in=interests, is_active=True))
    with transaction.atomic():
        for person in before.people:
            for topic, granted in wanted.items():
                if before.topics[topic] == granted:
                    continue
                record_consent(
                    person=person,
                    topic=topic,
                    granted=granted,
                    source=Consent.Source.PORTAL if granted else Consent.Source.UNSUBSCRIBE,
                    wording=_("Chosen on the newsletter preference page."),
                )
            with set_actor(None):
                # Inactive themes are not on the page, so choosing never removes them.
                active = set(Interest.objects.filter(is_active=True).values_list("pk", flat=True))
                keep = [i.pk for i in person.interests.all() if i.pk not in active]
                person.interests.set(keep + [interest.pk for interest in chosen])
    return current_preferences(email=email)
