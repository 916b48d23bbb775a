"""anymail's tracking webhooks, safe by default: refused until protected; a request's events stored together.

Safe by default: anymail accepts unsigned events for ESPs that only offer basic auth (Postmark,
SendGrid, Brevo, SparkPost, …) when ANYMAIL_WEBHOOK_SECRET is not set, and a forged hard bounce or
unsubscribe would then suppress an address or withdraw someone's consent. So each ESP's endpoint
answers 404, and stores nothing, until what authenticates its calls is configured: the ESP's
signing key where anymail requires one (Mailgun, MailerSend, Mandrill, Postal, Unisender Go), else
the signing key or the basic-auth secret (SendGrid, Mailtrap), else the basic-auth secret.
`manage.py check --deploy` names what is missing for the ESP in EMAIL_BACKEND (newsletter.checks).
Only tracking endpoints exist: nothing here processes inbound mail.

Broken JSON or a body of the wrong shape answers 400 (the ESP's own parser in anymail raises
ValueError, KeyError, … on it), not 500; a failure while storing stays a 500 so that the ESP retries.

Batches: ESPs that batch their events (SparkPost, SendGrid, Mailjet) post hundreds per request.
anymail's view checks the signature or basic auth and sends one `tracking` signal per event; while
the view runs, newsletter.tracking collects them, and they are then stored with one INSERT … ON
CONFLICT DO NOTHING, in one transaction: one commit per request instead of one per event. A
failure makes the ESP retry the whole batch, whose stored events are then skipped as duplicates.
Importing this module also connects the signal's receiver, so the webhooks never run without it.
"""

import functools
import logging
from dataclasses import dataclass

from anymail.exceptions import AnymailError
from anymail.utils import get_anymail_setting
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.urls import path
from django.utils.module_loading import import_string

from newsletter import tracking

logger = logging.getLogger(__name__)

BASIC_AUTH_SETTING = "ANYMAIL_WEBHOOK_SECRET"


@dataclass(frozen=True)
class Protection:
    """What authenticates one ESP's webhook calls, and where anymail keeps its tracking view."""

    esp_name: str  # anymail's name for the ESP (its settings are named after it)
    module: str  # anymail's module for the ESP: anymail.backends.<module>, anymail.webhooks.<module>
    signing_key: str = ""  # anymail's setting for the ESP's signing key, without the ESP's prefix
    signing_key_bare: bool = False  # anymail also reads it as a setting without the ANYMAIL_ prefix
    key_required: bool = False  # anymail will not verify this ESP's calls without the signing key

    @property
    def signing_key_setting(self) -> str:
        prefix = self.esp_name.upper().replace(" ", "_")
        return f"ANYMAIL_{prefix}_{self.signing_key.upper()}" if self.signing_key else ""

    @property
    def view_path(self) -> str:
        """anymail's tracking view for this ESP (Mandrill has one view for all its webhooks)."""
        if self.module == "mandrill":
            return "anymail.webhooks.mandrill.MandrillCombinedWebhookView"
        return f"anymail.webhooks.{self.module}.{self.esp_name.replace(' ', '')}TrackingWebhookView"

    def missing(self) -> list[str]:
        """The settings to set before this ESP's calls can be trusted ([] when protected)."""
        has_key = bool(
            self.signing_key
            and get_anymail_setting(
                self.signing_key, esp_name=self.esp_name, default=None, allow_bare=self.signing_key_bare
            )
        )
        if self.key_required:
            return [] if has_key else [self.signing_key_setting]
        if has_key or get_anymail_setting("webhook_secret", default=None):
            return []
        return [BASIC_AUTH_SETTING, self.signing_key_setting] if self.signing_key else [BASIC_AUTH_SETTING]


# Every ESP anymail has a tracking webhook for, by anymail's esp_name
# (tests/newsletter/test_webhook_protection.py holds this list to anymail.urls).
PROTECTIONS = {
    protection.esp_name: protection
    for protection in [
        Protection("Amazon SES", "amazon_ses"),
        Protection("Brevo", "brevo"),
        Protection("SendinBlue", "sendinblue"),  # Brevo's former name, still anymail's URL for older set-ups
        Protection("MailerSend", "mailersend", "signing_secret", key_required=True),
        Protection("Mailgun", "mailgun", "webhook_signing_key", key_required=True),
        Protection("Mailjet", "mailjet"),
        Protection("Mailtrap", "mailtrap", "tracking_secret"),
        Protection("Mandrill", "mandrill", "webhook_key", signing_key_bare=True, key_required=True),
        Protection("Postal", "postal", "webhook_key", signing_key_bare=True, key_required=True),
        Protection("Postmark", "postmark"),
        # Resend's signatures need the svix package, which is not installed: basic auth only.
        Protection("Resend", "resend"),
        Protection("SendGrid", "sendgrid", "tracking_webhook_verification_key", signing_key_bare=True),
        Protection("SparkPost", "sparkpost"),
        Protection("Unisender Go", "unisender_go", "api_key", signing_key_bare=True, key_required=True),
    ]
}

# EMAIL_BACKEND "anymail.backends.<module>.EmailBackend" → the ESP whose webhooks report on it.
BACKEND_ESPS = {protection.module: protection.esp_name for protection in PROTECTIONS.values()}


def esp_of_backend(backend: str) -> str | None:
    """The ESP an EMAIL_BACKEND sends through (None for SMTP, files, the console, …)."""
    parts = backend.split(".")
    if len(parts) == 4 and parts[:2] == ["anymail", "backends"]:
        return BACKEND_ESPS.get(parts[2])
    return None


# What anymail's ESP parsers raise on broken JSON or an unexpected shape (json.loads, dict access
# on a list, a missing field, …).
MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError, LookupError, AnymailError)


def guarded(view, protection: Protection):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        missing = protection.missing()
        if missing:
            logger.warning(
                "%s webhook refused: it is not protected; set %s", protection.esp_name, " or ".join(missing)
            )
            return HttpResponseNotFound(b"Not found", content_type="text/plain")
        token = tracking.collecting.set([])
        try:
            try:
                response = view(request, *args, **kwargs)
            except SuspiciousOperation:
                raise  # a failed signature or basic auth: Django answers 400 and logs it as such
            except MALFORMED as error:
                logger.warning("%s webhook with a malformed body: %r", protection.esp_name, error)
                return HttpResponseBadRequest(b"Malformed webhook body", content_type="text/plain")
            events = tracking.collecting.get()
        finally:
            tracking.collecting.reset(token)
        if events and response.status_code == 200:
            # One transaction for the request's events and their consequences (record_events
            # opens it only when there is more to do than the one INSERT, which is atomic itself).
            tracking.record_events(events)
        return response

    return wrapper


def lazy_view(view_path: str):
    """anymail's view, imported at its first request: anymail.urls imports every ESP's module, and
    Amazon SES's brings boto3 (8 MB more in every web and worker process) for an ESP few use."""

    @functools.cache
    def view():
        return import_string(view_path).as_view()

    def dispatch(request, *args, **kwargs):
        return view()(request, *args, **kwargs)

    dispatch.csrf_exempt = True  # as anymail's own: an ESP has no CSRF token; its calls are authenticated
    return dispatch


def _routes():
    """(route, URL name, protection) of each tracking endpoint, as anymail.urls names them."""
    for protection in PROTECTIONS.values():
        if protection.module == "mandrill":
            yield "mandrill/", "mandrill_webhook", protection
        yield f"{protection.module}/tracking/", f"{protection.module}_tracking_webhook", protection


app_name = "anymail"
urlpatterns = [
    path(route, guarded(lazy_view(protection.view_path), protection), name=name)
    for route, name, protection in _routes()
]
