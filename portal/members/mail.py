"""The portal's mail to members and applicants: plain text from templates/email/members/."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from stadshart.mail import centre_sender


def absolute_url(name: str, *args, language: str = "nl") -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


def send_member_mail(name: str, *, to: str, context: dict, language: str = "nl") -> None:
    """Send templates/email/members/<name>.txt (first line: the subject) after the transaction commits.

    Sent on commit, so a rolled-back change never mails anyone.
    """
    with translation.override(language):
        text = render_to_string(f"email/members/{name}.txt", context).strip()
    subject, _, body = text.partition("\n")

    def send():
        send_mail(subject.strip(), body.strip() + "\n", centre_sender(), [to])

    transaction.on_commit(send)
