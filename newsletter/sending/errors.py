"""What an error from the email backend means for the messages it concerns: retry one, retry the
rest of the batch later, or fail for good with the reason."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings

RETRY_ONE = "retry_one"  # this message, later (a recipient's mailbox is temporarily unavailable)
RETRY_REST = "retry_rest"  # the ESP or server is unavailable: this message and the rest, later
FAIL = "fail"  # refused for good: the delivery fails with the reason


def classify(error: Exception) -> str:
    """What to do after an error from the email backend; unknown errors are re-raised."""
    if isinstance(error, AnymailRecipientsRefused):
        return FAIL
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        return RETRY_REST if status is None or status >= 500 or status == 429 else FAIL
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return RETRY_ONE if codes and all(400 <= code < 500 for code in codes) else FAIL
    if isinstance(error, smtplib.SMTPResponseException):
        if error.smtp_code == 421:  # the server is closing the connection
            return RETRY_REST
        return RETRY_ONE if 400 <= error.smtp_code < 500 else FAIL
    if isinstance(error, smtplib.SMTPException | OSError):
        return RETRY_REST  # disconnected, connection refused, timeout
    raise error


def describe(error: Exception) -> str:
    try:
        return str(error) or error.__class__.__name__
    except Exception:  # noqa: BLE001 (an exception that cannot describe itself still has a name)
        return f"{error.__class__.__name__}: {error.args[0] if error.args else ''}"


def retry_delay(attempts: int) -> timedelta:
    base = settings.NEWSLETTER_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))
