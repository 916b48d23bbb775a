"""Date fields read day-month-year in a Dutch browser, as the centre's staff see them.

How a browser shows `<input type="date">` is the browser's own business (its locale, not the page's
language); this checks that the browser the tests drive is a Dutch one, so that screenshots and
what the tests type match what staff see (issue 15: "dates in a US format").
"""

import pytest

from tests.builders import colleague
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def date_parts(page, field_id: str) -> list[tuple[str, object]]:
    """The parts of a date field in the order the browser shows them: (name, value) per part.

    Read from Chromium's accessibility tree, where each part of the field is a spin button.
    """
    session = page.context.new_cdp_session(page)
    found = session.send("Runtime.evaluate", {"expression": f"document.getElementById({field_id!r})"})
    node = session.send("DOM.describeNode", {"objectId": found["result"]["objectId"]})["node"]
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    start = next(i for i, part in enumerate(nodes) if part.get("backendDOMNodeId") == node["backendNodeId"])
    parts = [part for part in nodes[start + 1 :] if part.get("role", {}).get("value") == "spinbutton"][:3]
    return [(part["name"]["value"].split()[0], part.get("value", {}).get("value")) for part in parts]


def test_a_date_field_reads_day_month_year(page, live_server):
    colleague("pieter")
    staff_login(page, live_server.url, "pieter", next_url="/admin/insights/")
    page.get_by_label("Periode", exact=True).select_option(label="Eigen periode")
    page.get_by_label("Eerste dag", exact=True).fill("2026-11-23")
    assert date_parts(page, "id_start") == [("Dag", 23), ("Maand", 11), ("Jaar", 2026)]
    screenshot(page, "date-field-dutch")
