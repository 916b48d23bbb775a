"""State changes of the second factor: setting it up and resetting it (each audited)."""

from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"


def pending_app_device(*, user) -> TOTPDevice:
    """The not yet confirmed authenticator-app device of a first login (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def confirm_app_device(*, user, device: TOTPDevice) -> list[str]:
    """Confirm the app after the user typed a right code from it; returns fresh recovery codes."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user=user)
        _audit(user=user, actor=user, event="second_factor_set_up")
    return codes


def renew_recovery_codes(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _new_recovery_codes(user=user)
        _audit(user=user, actor=user, event="recovery_codes_renewed")
    return codes


def reset_second_factor(*, user, by) -> int:
    """Remove `user`'s second factor and end their sessions: their next login sets up a new one.

    For a colleague who lost their phone and their recovery codes; `by` is the Beheerder (None
    from the command line). Returns how many devices were removed.
    """
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
        removed += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
        end_sessions(user=user)
        _audit(user=user, actor=by, event="second_factor_reset")
    return removed


def end_sessions(*, user) -> int:
    """Delete every database session of `user` (a session passed the factor that was just removed)."""
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _new_recovery_codes(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def _audit(*, user, actor, event: str) -> LogEntry:
    return LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={},
        actor=actor,
        actor_email=getattr(actor, "email", None) or None,
        additional_data={"event": event},
    )
