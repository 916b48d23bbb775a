"""The stakeholder map and the organisations that share an interest."""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Organisation
from crm.queries.search import admin_url
from crm.queries.stakeholders import MapFilters, MapPoint, circles, map_points
from crm.views.stakeholders import layout
from tests.builders import make_organisation


@pytest.fixture
def centre(db, themes):
    korenschoof = make_organisation(
        "Bakkerij De Korenschoof", influence=4, interest_level=5, attitude="voorstander"
    )
    korenschoof.interests.add(themes["evenementen"], themes["duurzaamheid"])
    cafe = make_organisation(
        "Café Één",
        street="Havenstraat",
        influence=2,
        interest_level=4,
        attitude="criticus",
        kind="ondernemer",
    )
    cafe.interests.add(themes["evenementen"], themes["duurzaamheid"])
    gemeente = make_organisation("Gemeente Veldhaven", kind="gemeente", influence=5, interest_level=3)
    gemeente.interests.add(themes["evenementen"])
    make_organisation("Onbekend BV", influence=None, interest_level=3)
    left = make_organisation(
        "Schoenen Stap", influence=3, interest_level=3, lifecycle=Organisation.Lifecycle.LEFT
    )
    left.interests.add(themes["evenementen"])
    return {"korenschoof": korenschoof, "cafe": cafe, "gemeente": gemeente}


def test_the_map_shows_organisations_with_a_position_that_have_not_left(centre):
    assert sorted(point.name for point in map_points()) == [
        "Bakkerij De Korenschoof",
        "Café Één",
        "Gemeente Veldhaven",
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (MapFilters(interest="duurzaamheid"), ["Bakkerij De Korenschoof", "Café Één"]),
        (MapFilters(kind="gemeente"), ["Gemeente Veldhaven"]),
        (MapFilters(street="havenstraat"), ["Café Één"]),
        (MapFilters(interest="evenementen", kind="ondernemer"), ["Bakkerij De Korenschoof", "Café Één"]),
    ],
)
def test_the_map_filters_by_theme_kind_and_street(centre, filters, expected):
    assert sorted(point.name for point in map_points(filters)) == expected


def test_the_map_asks_one_more_than_its_limit_to_know_there_are_too_many(centre):
    assert len(map_points(limit=1)) == 2


def test_organisations_sharing_an_interest_most_influential_first(centre):
    found = {circle.interest.slug: circle for circle in circles()}
    assert set(found) == {"evenementen", "duurzaamheid"}  # a theme of one organisation connects nobody
    assert [member.name for member in found["evenementen"].members] == [
        "Gemeente Veldhaven",
        "Bakkerij De Korenschoof",
        "Café Één",
    ]
    assert found["evenementen"].size == 3


def test_each_interest_lists_at_most_a_few_but_counts_all(centre):
    [events] = [circle for circle in circles(per_interest=2) if circle.interest.slug == "evenementen"]
    assert [member.name for member in events.members] == ["Gemeente Veldhaven", "Bakkerij De Korenschoof"]
    assert events.size == 3


def test_circles_follow_the_map_filters(centre):
    assert [circle.interest.slug for circle in circles(MapFilters(kind="ondernemer"))] == [
        "duurzaamheid",
        "evenementen",
    ]
    assert circles(MapFilters(kind="gemeente")) == []


def test_dots_in_one_cell_never_overlap_and_land_in_the_same_place_each_time():
    points = [MapPoint(pk, f"Winkel {pk}", 3, 4, "neutraal", "ondernemer") for pk in range(1, 201)]
    dots = layout(points)
    assert dots == layout(list(reversed(points)))
    for index, first in enumerate(dots):
        for second in dots[index + 1 :]:
            assert math.dist((first.x, first.y), (second.x, second.y)) >= first.r + second.r - 0.2
    # All of them stay inside their cell (interest 4 is the fourth column, influence 3 the middle row).
    assert all(56 + 3 * 90 < dot.x < 56 + 4 * 90 and 12 + 2 * 90 < dot.y < 12 + 3 * 90 for dot in dots)


def build(size: int, themes):
    for number in range(size):
        organisation = make_organisation(
            f"Winkel {number}",
            influence=number % 5 + 1,
            interest_level=(number * 3) % 5 + 1,
            attitude="neutraal",
        )
        organisation.interests.add(themes["evenementen"], themes["wonen"])


@pytest.mark.parametrize("size", [3, 50])
def test_the_map_and_the_circles_run_a_fixed_number_of_queries_whatever_the_data_size(
    db, themes, django_assert_num_queries, size
):
    build(size, themes)
    with django_assert_num_queries(1):
        assert len(map_points()) == size
    # Sizes, first members, their names, the interests.
    with django_assert_num_queries(4):
        assert len(circles()) == 2
    with django_assert_num_queries(4):
        assert len(circles(MapFilters(street="Marktstraat"))) == 2


def queries_of_the_page(client, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("crm_stakeholders:map"), params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_map_page_runs_as_many_queries_for_few_as_for_many_organisations(client, sanne, themes):
    client.force_login(sanne)
    build(3, themes)
    queries_of_the_page(client)  # warm the session and the menu
    few = queries_of_the_page(client, {"interest": "evenementen"})
    build(60, themes)
    assert queries_of_the_page(client, {"interest": "evenementen"}) == few


def test_the_map_page_draws_a_linked_dot_per_organisation_with_a_dutch_title(client, sanne, centre):
    client.force_login(sanne)
    response = client.get(reverse("crm_stakeholders:map"))
    content = response.content.decode()
    assert "Stakeholderkaart" in content
    assert content.count("<circle") == 3
    assert f'<a href="{admin_url(centre["korenschoof"])}"' in content
    assert "<title>Bakkerij De Korenschoof: invloed 4, belang 5, voorstander</title>" in content
    assert "Gemeente Veldhaven: invloed 5, belang 3, houding onbekend" in content
    for legend in ("Voorstander", "Neutraal", "Criticus", "Houding onbekend"):
        assert legend in content
    assert "Wie kan wie helpen" in content


def test_the_svg_uses_points_not_dutch_decimal_commas(client, sanne, centre):
    client.force_login(sanne)
    content = client.get(reverse("crm_stakeholders:map")).content.decode()
    assert 'cx="' in content
    start = content.index('cx="') + 4
    assert "," not in content[start : content.index('"', start)]


def test_names_on_the_map_are_escaped(client, sanne, db):
    make_organisation("<b>Vet</b> & Zo", influence=3, interest_level=3)
    client.force_login(sanne)
    content = client.get(reverse("crm_stakeholders:map")).content.decode()
    assert "<b>Vet</b>" not in content
    assert "&lt;b&gt;Vet&lt;/b&gt; &amp; Zo" in content


def test_a_filter_on_the_page_narrows_the_dots(client, sanne, centre):
    client.force_login(sanne)
    content = client.get(reverse("crm_stakeholders:map"), {"kind": "gemeente"}).content.decode()
    assert content.count("<circle") == 1


def test_the_board_sees_no_stakeholder_map(client, pieter, centre):
    client.force_login(pieter)
    response = client.get(reverse("crm_stakeholders:map"))
    assert response.status_code in (302, 403)
    assert "Korenschoof" not in response.content.decode()
