"""The dashboard's figures for a centre whose history we know, the segment filter, the small-group
rule, and the fixed number of queries whatever the data size."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.models import Interaction, Signal, StakeholderPositionChange
from crm.models.organisations import Attitude
from insights.queries import Period, SegmentFilter, dashboard, headline
from insights.queries.period import CUSTOM, MONTH, QUARTER, YEAR
from tests.builders import make_organisation
from tests.insights.conftest import build_centre, period


def rows(table):
    return {str(row[0]): row[1:] for row in table.rows}


def test_every_section_counts_what_happened(centre):
    board = dashboard(centre)

    # Reach: people, not events; the privacy proxy's open is left out and said so.
    assert board.figure("newsletters").value == 1
    assert board.figure("sent").value == 8
    assert board.figure("delivered").value == 8
    assert board.figure("open_rate").value == 25.0  # 2 of 8
    assert board.figure("click_rate").value == 12.5
    assert board.figure("bounce_rate").value == 0.0
    assert board.figure("open_rate").previous is None  # nothing sent before: no comparison, not 0 %
    assert "1 opening en 0 kliks door machines" in board.section("reach").notes[0]

    # Contact: 3 visits now, 1 call before; coverage over the last 90 days at each period's end.
    assert (board.figure("visits").value, board.figure("visits").previous) == (3, 0)
    assert (board.figure("calls").value, board.figure("calls").previous) == (0, 1)
    assert board.figure("coverage").value == 37.5  # 3 of 8 businesses
    assert board.figure("coverage").previous == 12.5  # the call
    assert board.figure("overdue").value == 1
    assert board.figure("overdue").change == 1 and board.figure("overdue").good is False
    assert rows(board.section("contact").tables[1]) == {"Sanne de Vries": [3, 0, 0, 0]}

    # Members: four businesses with an account, one report resolved in three days.
    assert board.figure("portal_share").value == 50.0
    assert board.figure("portal_share").previous == 0.0
    assert board.figure("signed_up").value == 4
    assert board.figure("invited").value == 4
    assert board.figure("reports_opened").value == 1
    assert board.figure("resolve_days").value == 3.0

    # Support: this year's contributors against last year's; attitudes from the recorded history.
    assert board.figure("participation").value == 37.5
    assert board.figure("participation").previous == 12.5
    assert board.figure("contributions").value == 1500
    assert (board.figure("supporters").value, board.figure("supporters").previous) == (2, 0)
    assert (board.figure("critics").value, board.figure("critics").previous) == (1, 1)

    # Year plan: the light at each period's end, from the status history, and what changed.
    assert (board.figure("projects_rood").value, board.figure("projects_rood").previous) == (1, 0)
    assert board.figure("projects_oranje").previous == 1
    [change] = board.section("year_plan").tables[1].rows
    assert change[1].startswith("Kerstverlichting")
    assert change[2].startswith("Oranje") and change[3].startswith("Rood")


def test_signals_and_attitudes_count_in_the_month_of_the_centres_calendar(sanne):
    """Around midnight on a month's first day, in winter and in summer time, a signal or an
    attitude belongs to the month it was in Veldhaven, not the one it was in UTC."""
    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    moments = [
        (2025, 1, 1, 0, 0),  # January (UTC: 31 December 2024)
        (2025, 2, 28, 23, 30),  # February
        (2025, 3, 1, 0, 30),  # March (UTC: 28 February)
        (2025, 6, 30, 23, 30),  # June, summer time
        (2025, 7, 1, 0, 30),  # July (UTC: 30 June, 22:30)
        (2025, 10, 31, 23, 30),  # October, winter time again
        (2025, 11, 1, 0, 15),  # November (UTC: 31 October)
        (2025, 12, 31, 23, 59),  # December
    ]
    shop = make_organisation("Winkel Middernacht", street="Marktstraat")
    for moment in moments:
        at = dt.datetime(*moment, tzinfo=amsterdam)
        visit = Interaction.objects.create(kind=Interaction.Kind.VISIT, occurred_at=at, staff=sanne)
        Signal.objects.create(
            interaction=visit, organisation=shop, kind=Signal.Kind.VACANCY_THREAT, created_at=at
        )
        StakeholderPositionChange.objects.create(
            organisation=shop, attitude=Attitude.SUPPORTER, changed_at=at
        )
    expected = [1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1]

    board = dashboard(Period.of(YEAR, on=dt.date(2025, 6, 1)))

    [themes] = [t for t in board.section("contact").tables if t.key == "signals"]
    [row] = themes.rows
    assert row[1:] == [*expected, 8]
    [attitudes] = [t for t in board.section("support").tables if t.key == "attitude_changes"]
    assert [row[1] for row in attitudes.rows] == expected


def test_groups_under_five_are_never_shown_on_their_own(centre):
    board = dashboard(centre)
    coverage = rows(board.section("contact").tables[2])
    # Six shops in the Marktstraat are shown; the two cafés of the Kerkstraat are too few, even together.
    assert set(coverage) == {"Marktstraat"}
    assert board.section("contact").tables[2].note.startswith("Groepen van minder dan 5")


def test_a_segment_limits_every_figure_to_its_organisations(centre):
    shops = dashboard(centre, SegmentFilter(street="Marktstraat"))
    assert shops.figure("sent").value == 6
    assert shops.figure("open_rate").value == round(100 * 2 / 6, 1)
    assert shops.figure("coverage").value == 50.0  # 3 of 6
    assert shops.figure("portal_share").value == round(100 * 4 / 6, 1)

    cafes = dashboard(centre, SegmentFilter(street="Kerkstraat"))
    assert cafes.withheld.startswith("Minder dan 5 organisaties")
    assert [section.key for section in cafes.sections] == ["year_plan"]


@pytest.mark.parametrize(
    "segment",
    [SegmentFilter(), SegmentFilter(street="Marktstraat", sector="retail_dagelijks")],
    ids=["all", "segment"],
)
def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_data_size(sanne, segment):
    counts = {}
    for copies, visits in ((1, 3), (2, 9)):
        build_centre(sanne, copies=copies)
        # The first read derives reach again (new people and a new send); the second reads it as kept.
        for read in ("deriving", "kept"):
            with CaptureQueriesContext(connection) as queries:
                board = dashboard(period(), segment)
            assert board.figure("visits").value == visits
            counts[(copies, read)] = len(queries)
    assert counts[(1, "deriving")] == counts[(2, "deriving")] <= 40, counts
    assert counts[(1, "kept")] == counts[(2, "kept")] <= 32, counts


def test_the_board_home_figures_are_the_dashboards(centre):
    headline(centre)  # derives the newsletter's reach and keeps it
    with CaptureQueriesContext(connection) as queries:
        figures = headline(centre)
    # The dashboard's own without its detail; for reach the inputs (3: all recipients need no
    # segments) and what was kept (2).
    assert len(queries) == 10
    board = dashboard(centre)
    assert [f.key for f in figures] == ["open_rate", "visits", "coverage", "portal_share", "participation"]
    assert [f.value for f in figures] == [board.figure(f.key).value for f in figures]


def test_periods_and_what_they_are_compared_with():
    today = dt.date(2026, 11, 26)
    quarter = Period.of(QUARTER, today=today)
    # The quarter so far, against the same 57 days of the last one.
    assert (quarter.start, quarter.end, quarter.full_end) == (
        dt.date(2026, 10, 1),
        today,
        dt.date(2026, 12, 31),
    )
    assert (quarter.previous.start, quarter.previous.end) == (dt.date(2026, 7, 1), dt.date(2026, 8, 26))
    march = Period.of(MONTH, on=dt.date(2026, 3, 15), today=today)
    assert (march.start, march.end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert (march.previous.start, march.previous.end) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    year = Period.of(YEAR, on=dt.date(2025, 6, 1), today=today)
    assert (year.previous.start, year.previous.end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    custom = Period.of(CUSTOM, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 10), today=today)
    assert (custom.previous.start, custom.previous.end) == (dt.date(2026, 8, 22), dt.date(2026, 8, 31))
    january = Period.of(MONTH, on=dt.date(2026, 1, 5), today=today)
    assert january.previous.start == dt.date(2025, 12, 1)
