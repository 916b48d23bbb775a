"""Project-wide middleware."""

from auditlog.middleware import AuditlogMiddleware
from django.core.exceptions import BadRequest
from django.http import QueryDict


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's actor and address for each change, except on ESP webhooks.

    Webhooks change no audited record, and auditlog wires a signal receiver in and out for every
    request, which cost a webhook 6 % of its time and slowed every other signal in it.
    """

    SKIPPED_PREFIXES = ("/anymail/",)

    def __call__(self, request):
        if request.path_info.startswith(self.SKIPPED_PREFIXES):
            return self.get_response(request)
        return super().__call__(request)


class NullCharacterMiddleware:
    """NUL characters never mean anything in a URL, a form or a cookie, and databases refuse them.

    PostgreSQL rejects a NUL in any query parameter and SQLite's full-text search chokes on one, so
    `/zoeken/?q=%00` answered 500 (as would any view that passes a parameter to a query). Rather than
    guard each view: a NUL in the path is a 400; NULs in query and form values are dropped (the rest
    of what was typed is kept); a cookie holding one is ignored. Webhooks read their raw body
    themselves and are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise BadRequest("NUL character in the path")
        if not request.path_info.startswith("/anymail/"):
            query = request.META.get("QUERY_STRING", "")
            if "%00" in query or "\x00" in query:
                request.GET = _without_nul(request.GET)
            if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
                if any(_has_nul(key, values) for key, values in request.POST.lists()):
                    request.POST = _without_nul(request.POST)
        if any("\x00" in value for value in request.COOKIES.values()):
            request.COOKIES = {name: value for name, value in request.COOKIES.items() if "\x00" not in value}
        return self.get_response(request)


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(key: str, values: list) -> bool:
    return "\x00" in key or any(isinstance(value, str) and "\x00" in value for value in values)


def _without_nul(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned
