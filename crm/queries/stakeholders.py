"""The stakeholder map (influence × interest, attitude as colour) and who could help whom.

An accountmanager knows each party's interests and connects parties who can help each other;
these reads give the map its dots and the list of organisations per shared theme.
Organisations that left or closed are not on the map. Each function runs one SQL query.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from crm.models import Interest, Organisation

# A map with more dots than this is unreadable; the page asks to filter instead.
MAX_POINTS = 1500


@dataclass(frozen=True)
class MapFilters:
    interest: str = ""  # an Interest slug
    kind: str = ""  # an Organisation.Kind
    street: str = ""  # a street name, case-insensitive


@dataclass(frozen=True)
class MapPoint:
    pk: int
    name: str
    influence: int
    interest_level: int
    attitude: str
    kind: str


@dataclass(frozen=True)
class Member:
    pk: int
    name: str
    influence: int | None
    attitude: str


@dataclass(frozen=True)
class Circle:
    """Organisations that share an interest: the most influential first."""

    interest: Interest
    size: int
    members: list[Member]


def _mapped(filters: MapFilters) -> QuerySet[Organisation]:
    queryset = Organisation.objects.exclude(lifecycle=Organisation.Lifecycle.LEFT)
    if filters.interest:
        queryset = queryset.filter(interests__slug=filters.interest)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.street:
        queryset = queryset.filter(street__iexact=filters.street)
    return queryset


def map_points(filters: MapFilters = MapFilters(), *, limit: int = MAX_POINTS) -> list[MapPoint]:
    """The organisations with both an influence and an interest level, up to `limit` + 1.

    Asking one more than the limit tells the caller there are too many without a second query.
    """
    rows = (
        _mapped(filters)
        .filter(influence__isnull=False, interest_level__isnull=False)
        .order_by("pk")
        .values_list("pk", "name", "influence", "interest_level", "attitude", "kind")[: limit + 1]
    )
    return [MapPoint(*row) for row in rows]


def circles(filters: MapFilters = MapFilters(), *, per_interest: int = 6) -> list[Circle]:
    """Per active interest, the organisations that have it (at least two), most influential first.

    One query: a window function ranks the organisations inside each interest and counts them.
    The window sorts narrow rows (ids, influence, name), never whole organisations: at 34,000
    organisations and 70,000 interest links a sort of whole rows spilled to disk and took 0.4 s.
    """
    through = Organisation.interests.through
    organisations = _mapped(filters).values("pk")
    partition = {"partition_by": [F("interest_id")]}
    rows = (
        through.objects.filter(organisation_id__in=organisations, interest__is_active=True)
        .annotate(
            rank=Window(
                RowNumber(),
                order_by=[
                    F("organisation__influence").desc(nulls_last=True),
                    F("organisation__name").asc(),
                    F("organisation_id").asc(),
                ],
                **partition,
            ),
            size=Window(Count("pk"), **partition),
        )
        .filter(Q(rank__lte=per_interest) & Q(size__gte=2))
        .order_by("interest__name", "interest_id", "rank")
        .values_list(
            "interest_id",
            "interest__name",
            "interest__slug",
            "size",
            "organisation_id",
            "organisation__name",
            "organisation__influence",
            "organisation__attitude",
        )
    )
    result: dict[int, Circle] = {}
    for interest_id, interest_name, slug, size, pk, name, influence, attitude in rows:
        circle = result.get(interest_id)
        if circle is None:
            interest = Interest(pk=interest_id, name=interest_name, slug=slug)
            circle = result[interest_id] = Circle(interest=interest, size=size, members=[])
        circle.members.append(Member(pk=pk, name=name, influence=influence, attitude=attitude))
    return list(result.values())
