"""django-axes' lock-out key: the username as typed, cut to the length of axes' column.

axes stores the username of every failed login in a 255-character column. A longer one (no real
address is: e-mail addresses end at 254) made PostgreSQL refuse the row and the login answer 500;
cut, it still counts against the same key, so a flood of long names is locked out like any other.
"""

from django.conf import settings

USERNAME_LENGTH = 255


def lockout_username(request, credentials: dict | None = None) -> str | None:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return username[:USERNAME_LENGTH] if isinstance(username, str) else username
