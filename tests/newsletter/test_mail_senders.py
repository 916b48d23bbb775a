"""Every mail that leaves comes from the centre's own name and address, not a placeholder."""

import pytest
from django.core import mail
from wagtail.admin.mail import send_mail as wagtail_send_mail
from wagtail.models import Site

from newsletter.senders import sender_for
from newsletter.subscriptions import request_subscription
from portal.members.mail import send_member_mail
from stadshart.models import CentreSettings
from tests.builders import draft_newsletter

pytestmark = pytest.mark.django_db

VELDHAVEN = "Centrum Veldhaven <info@centrumveldhaven.nl>"


@pytest.fixture
def veldhaven(db, settings):
    settings.DEFAULT_FROM_EMAIL = "Stadshart <nieuws@stadshart.example>"
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    centre.name, centre.email = "Centrum Veldhaven", "info@centrumveldhaven.nl"
    centre.save()
    return centre


def test_member_mails_newsletter_confirmations_and_wagtail_notifications_come_from_the_centre(
    veldhaven, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_member_mail(
            "application_received",
            to="fatima@korenschoof.example",
            context={
                "application": {
                    "first_name": "Fatima",
                    "business_name": "De Korenschoof",
                    "kvk_number": "12345678",
                }
            },
        )
        request_subscription(email="joost@example.nl", name="Joost", topics=[], interests=[])
    # Wagtail's review notifications ("… is ingediend ter beoordeling") go through this function.
    wagtail_send_mail("Nieuwsbrief december ingediend", "Ter beoordeling", ["ruben@centrumveldhaven.nl"])
    assert [message.from_email for message in mail.outbox] == [VELDHAVEN] * 3
    assert [message.message()["From"] for message in mail.outbox] == [VELDHAVEN] * 3
    assert sender_for(draft_newsletter()) == (VELDHAVEN, "info@centrumveldhaven.nl")


def test_without_an_address_of_its_own_the_centre_keeps_its_name(veldhaven):
    veldhaven.email = ""
    veldhaven.save()
    assert sender_for(draft_newsletter())[0] == "Centrum Veldhaven <nieuws@stadshart.example>"
    wagtail_send_mail("Onderwerp", "Tekst", ["ruben@centrumveldhaven.nl"])
    assert mail.outbox[0].message()["From"] == "Centrum Veldhaven <nieuws@stadshart.example>"
