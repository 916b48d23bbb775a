"""Newsletter system checks: `check --deploy` fails while the ESP's tracking webhook is unprotected.

An unprotected tracking webhook answers 404 (newsletter.webhooks), so bounces, complaints and
unsubscribes made at the ESP would never arrive: in production that is an error, named with the
setting to fill in. In development (DEBUG, the file backend) the webhooks simply stay refused.
"""

from anymail.utils import get_anymail_setting
from django.conf import settings
from django.core.checks import Error, Info, Tags, register


@register(Tags.security, deploy=True)
def check_webhooks_protected(app_configs=None, **kwargs) -> list[Error]:
    from newsletter.webhooks import BASIC_AUTH_SETTING, PROTECTIONS, esp_of_backend

    errors = []
    secret = get_anymail_setting("webhook_secret", default=None)
    secrets = [secret] if isinstance(secret, str) else list(secret or [])
    if any(":" not in value or not value.split(":", 1)[1] for value in secrets):
        errors.append(
            Error(
                f"{BASIC_AUTH_SETTING} must have the form user:password.",
                hint="Use a long random password, e.g. stadshart:<50 random characters>.",
                id="newsletter.E002",
            )
        )
    esp = esp_of_backend(settings.EMAIL_BACKEND)
    if esp:
        missing = PROTECTIONS[esp].missing()
        if missing:
            errors.append(
                Error(
                    f"The {esp} tracking webhook is not protected, so it is switched off (404): "
                    "bounces, complaints and unsubscribes made at the ESP would never arrive.",
                    hint=f"Set {' or '.join(missing)} (see the README's configuration section).",
                    id="newsletter.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_mail_domain_known(app_configs=None, **kwargs) -> list[Info]:
    """A reminder, not a failure: DNS is not looked up here (a check must not need the network)."""
    from newsletter.webhooks import esp_of_backend

    if not esp_of_backend(settings.EMAIL_BACKEND) or settings.MAIL_DKIM_SELECTORS:
        return []
    return [
        Info(
            "The sender domain's SPF, DKIM and DMARC have not been described: Gmail and Yahoo refuse "
            "bulk mail without them.",
            hint="Set MAIL_DKIM_SELECTORS (and MAIL_SPF_INCLUDES) to your ESP's values and run "
            "`manage.py check_mail_domain` (see the README's production section).",
            id="newsletter.I001",
        )
    ]
