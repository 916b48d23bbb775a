"""The ledger's reads: money received, participation per street and sector, who stopped."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.models import Organisation
from funding import queries, services
from funding.models import Contribution
from tests.funding.conftest import business, contribution


@pytest.fixture
def street(db):
    """The Marktstraat and the Kerkstraat with businesses that do and do not contribute."""
    bakery = business("Bakkerij De Korenschoof", street="Marktstraat", sector="retail_dagelijks")
    cafe = business("Café Één", street="Marktstraat", sector="horeca")
    books = business("Boekhandel Het Hoekje", street="Kerkstraat", sector="retail_niet_dagelijks")
    business("Kapsalon Knip", street="Kerkstraat", sector="dienstverlening")
    business("Gesloten Winkel", street="Kerkstraat", lifecycle=Organisation.Lifecycle.LEFT)
    contribution(bakery, 2025, "400.00", paid_on=dt.date(2025, 3, 1))
    contribution(bakery, 2026, "400.00", paid_on=dt.date(2026, 3, 1))
    contribution(cafe, 2025, "250.00", kind="vrijwillig", paid_on=dt.date(2025, 4, 1))
    contribution(
        books, 2026, "300.00", kind="vrijwillig", paid_on=dt.date(2026, 5, 1), paid_amount=Decimal("100")
    )
    contribution(books, 2026, "120.00", kind="ondernemersfonds")  # invoiced, not paid
    return {"bakery": bakery, "cafe": cafe, "books": books}


def test_contributions_received_counts_what_was_paid_in_the_period_per_kind(
    street, django_assert_num_queries
):
    with django_assert_num_queries(1):
        received = queries.contributions_received(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert received["by_kind"]["biz"] == Decimal("400.00")
    assert received["by_kind"]["vrijwillig"] == Decimal("100.00")  # the part paid, not the amount
    assert received["by_kind"]["ondernemersfonds"] == Decimal("0.00")  # not paid yet
    assert received["total"] == Decimal("500.00")
    assert set(received["by_kind"]) == {"biz", "ondernemersfonds", "vrijwillig", "subsidie", "overig"}


def test_contributions_received_takes_the_payment_date_inclusive(street):
    received = queries.contributions_received(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1))
    assert received["total"] == Decimal("400.00")


def test_contributions_by_organisation(street):
    rows = {row.name: row for row in queries.contributions_by_organisation(year=2026)}
    assert rows["Boekhandel Het Hoekje"].invoiced == Decimal("420.00")
    assert rows["Boekhandel Het Hoekje"].received == Decimal("100.00")
    assert rows["Boekhandel Het Hoekje"].kinds == ["ondernemersfonds", "vrijwillig"]


def test_participation_per_street_counts_each_business_once(street, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = {row.label: row for row in queries.participation_by_street(year=2026)}
    market, church = rows["Marktstraat"], rows["Kerkstraat"]
    assert (market.businesses, market.contributing, market.amount) == (2, 1, Decimal("400.00"))
    # The bookshop pays two kinds: one contributing business, both amounts; the closed shop is not counted.
    assert (church.businesses, church.contributing, church.amount) == (2, 1, Decimal("420.00"))
    assert church.share == 0.5


def test_participation_per_sector(street, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = {row.label: row for row in queries.participation_by_sector(year=2025)}
    assert rows[str(Organisation.Sector.HORECA.label)].contributing == 1
    total = queries.participation_total(list(rows.values()))
    assert (total.businesses, total.contributing, total.amount) == (4, 2, Decimal("650.00"))


def test_stopped_lists_who_paid_last_year_and_not_this_year(street, django_assert_num_queries):
    with django_assert_num_queries(1):
        stopped = queries.stopped_contributing(year=2026)
    assert [row.name for row in stopped] == ["Café Één"]
    assert stopped[0].last_year_amount == Decimal("250.00")


def test_query_counts_do_not_grow_with_the_data(street, django_assert_num_queries):
    for number in range(20):
        contribution(business(f"Winkel {number}", street=f"Straat {number % 4}"), 2025)
    with django_assert_num_queries(1):
        queries.stopped_contributing(year=2026)
    with django_assert_num_queries(1):
        queries.participation_by_street(year=2026)
    with django_assert_num_queries(2):
        queries.contributions_by_organisation(year=2025)


def test_a_second_line_of_the_same_kind_and_year_is_refused(street, marloes):
    with pytest.raises(ValidationError):
        services.save_contribution(
            contribution=Contribution(
                organisation=street["bakery"], year=2026, kind="biz", amount=Decimal(1)
            ),
            user=marloes,
        )


def test_negative_amounts_are_refused(street, marloes):
    with pytest.raises(ValidationError):
        services.save_contribution(
            contribution=Contribution(organisation=street["cafe"], year=2026, kind="biz", amount=Decimal(-5)),
            user=marloes,
        )
