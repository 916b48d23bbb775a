"""The stakeholder map (influence × interest, attitude as colour) and who could help whom.

An accountmanager knows each party's interests and connects parties who can help each other;
these reads give the map its dots and the list of organisations per shared theme.
Organisations that left or closed are not on the map. `map_points` runs one SQL query, `circles` three.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
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

    Three queries whatever the number of organisations: each interest's size (one pass over the
    links), its first `per_interest` members' ids, and their names. On PostgreSQL the members are
    one small subquery per interest that walks the organisations in the index
    `organisation_by_influence` and stops after `per_interest`, so no interest's organisations are
    sorted (a window function over every link sorted 65,000 rows at `--scale 100`, half a second).
    """
    through = Organisation.interests.through
    sizes = dict(
        through.objects.filter(organisation_id__in=_mapped(filters).values("pk"), interest__is_active=True)
        .order_by()
        .values("interest_id")
        .annotate(n=Count("pk"))
        .values_list("interest_id", "n")
    )
    shared = [pk for pk, size in sizes.items() if size >= 2]
    first = _first_members(filters, shared, per_interest)
    wanted = {pk for pks in first.values() for pk in pks}
    members = {
        pk: Member(pk=pk, name=name, influence=influence, attitude=attitude)
        for pk, name, influence, attitude in Organisation.objects.filter(pk__in=wanted).values_list(
            "pk", "name", "influence", "attitude"
        )
    }
    return [
        Circle(interest=interest, size=sizes[interest.pk], members=[members[pk] for pk in first[interest.pk]])
        for interest in Interest.objects.filter(pk__in=shared).order_by("name", "pk")
    ]


def _first_members(filters: MapFilters, interests: list[int], per_interest: int) -> dict[int, list[int]]:
    """{interest id: the ids of its first members, most influential first} (one query)."""
    through = Organisation.interests.through
    order = [F("influence").desc(nulls_last=True), F("name").asc(), F("pk").asc()]
    # A street narrows the map to a few thousand organisations at most, which the window below ranks
    # at once; walking all organisations in influence order would mostly skip other streets.
    if connection.vendor == "postgresql" and not filters.street:
        from django.contrib.postgres.expressions import ArraySubquery

        has_interest = through.objects.filter(
            organisation_id=OuterRef("pk"), interest_id=OuterRef(OuterRef("pk"))
        )
        ranked = _mapped(filters).filter(Exists(has_interest)).order_by(*order).values("pk")[:per_interest]
        return dict(
            Interest.objects.filter(pk__in=interests)
            .annotate(first=ArraySubquery(ranked))
            .values_list("pk", "first")
        )
    # Elsewhere (a street, or the embedded default): a window function ranks each interest's members.
    order = [
        F("organisation__influence").desc(nulls_last=True),
        F("organisation__name").asc(),
        F("organisation_id").asc(),
    ]
    rows = (
        through.objects.filter(organisation_id__in=_mapped(filters).values("pk"), interest_id__in=interests)
        .annotate(rank=Window(RowNumber(), partition_by=[F("interest_id")], order_by=order))
        .filter(rank__lte=per_interest)
        .order_by("interest_id", "rank")
        .values_list("interest_id", "organisation_id")
    )
    first: dict[int, list[int]] = {pk: [] for pk in interests}
    for interest_id, organisation_id in rows:
        first[interest_id].append(organisation_id)
    return first
