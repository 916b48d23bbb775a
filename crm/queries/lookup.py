"""Finding a business in a few keystrokes: name, street (with number) or KvK number."""

from django.db.models import QuerySet

from crm.models import Organisation
from crm.queries.search import forgiving, words_of


def find_organisations(query: str, *, limit: int = 10) -> QuerySet[Organisation]:
    """Active businesses matching the typed words, best first (crm.queries.search.forgiving)."""
    if len("".join(words_of(query))) < 2:
        return Organisation.objects.none()
    queryset = Organisation.objects.exclude(lifecycle=Organisation.Lifecycle.LEFT)
    return forgiving(queryset, query, then=("name",))[:limit]
