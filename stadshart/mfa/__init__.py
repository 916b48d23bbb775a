"""Every staff login has a second factor: a code from an authenticator app (TOTP), or a recovery code.

Built on django-otp (its `otp_totp` and `otp_static` devices, their throttling and single use of a
code) and fitted around Wagtail's own login view: the password is checked there as before, and
`SecondFactorMiddleware` then sends a staff session that has not passed the second factor to
`verify` (or, on a first login, to `setup`) before any other admin address answers. Members of the
portal are not staff; their login is unchanged.

A session that passed is marked in the session itself (`mark_verified`), so a verified request
costs no query; `services.reset_second_factor` ends the colleague's sessions along with the devices.
"""

SESSION_KEY = "stadshart_mfa"


def is_staff(user) -> bool:
    """Whoever works in the back office. Wagtail's admin permission is checked too, on admin addresses."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def is_verified(request) -> bool:
    """Whether this session's user passed the second factor (or, in tests, `force_login` says so)."""
    mark = request.session.get(SESSION_KEY)
    return isinstance(mark, dict) and mark.get("user") == request.user.pk


def mark_verified(session, user, device: str) -> None:
    """Record in `session` that `user` passed the second factor with `device` (a persistent id)."""
    session[SESSION_KEY] = {"user": user.pk, "device": device}
