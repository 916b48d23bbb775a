"""Finding a business in a few keystrokes: name, street (with number) or KvK number."""

from django.db.models import QuerySet

from crm.models import Organisation
from crm.text import normalise


def find_organisations(query: str, *, limit: int = 10) -> QuerySet[Organisation]:
    """Every typed word must occur in the organisation's search text; KvK digits match from the start.

    On PostgreSQL the trigram index on search_text serves these substring matches.
    """
    words = normalise(query).split()
    if not words or len("".join(words)) < 2:
        return Organisation.objects.none()
    queryset = Organisation.objects.exclude(lifecycle=Organisation.Lifecycle.LEFT)
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset.order_by("name")[:limit]
