"""The board's figures: each section a fixed number of queries, composed by `dashboard()`.

The screen, its charts, the XLSX, the PDF and the board's home panel all read what these return.
"""

from insights.queries.dashboard import Dashboard, dashboard, headline, street_choices  # noqa: F401
from insights.queries.period import Period  # noqa: F401
from insights.queries.shapes import SegmentFilter  # noqa: F401
