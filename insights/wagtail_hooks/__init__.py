"""Statistics in the Wagtail admin, one module per subject:

- ``dashboard``: the board's dashboard (Inzichten), its menu entry and address;
- ``board_home``: the board's five headline figures on the admin's home page;
- ``home``: every other role's home page panels (work, communication, reports, system health).

Wagtail imports this package at start-up; importing the modules registers their hooks.
"""

# isort: off
from insights.wagtail_hooks import dashboard, board_home, home  # noqa: F401
# isort: on
