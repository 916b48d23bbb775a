"""The centre's own settings moved from portal.Organisation to stadshart.CentreSettings: the row a
running site has is carried over, and back again when the migrations are reversed."""

import sqlite3

from tests.services import child_env, manage
from tests.stadshart.conftest import CENTRE_COLUMNS as COLUMNS
from tests.stadshart.conftest import CENTRE_ROW as ROW
from tests.stadshart.conftest import SQLITE_MIGRATIONS

pytestmark = SQLITE_MIGRATIONS


def test_the_centre_settings_keep_their_row_through_the_move_and_back(migrated_sqlite):
    # Migrated to portal 0003, the row put in, then migrated to the end (tests/stadshart/conftest.py).
    database, before_the_move, to_the_end = migrated_sqlite
    assert before_the_move.returncode == 0, before_the_move.stderr
    assert to_the_end.returncode == 0, to_the_end.stderr
    env = child_env(DATABASE_URL=f"sqlite:///{database}")
    with sqlite3.connect(database) as db:
        moved = db.execute(f"SELECT {COLUMNS} FROM stadshart_centresettings").fetchall()
        old_table = db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'portal_organisation'"
        ).fetchone()
    assert moved == [ROW]
    assert old_table == (0,)

    for app, target in (("portal", "0003"), ("stadshart", "0001")):
        result = manage("migrate", "--noinput", app, target, env=env)
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute(f"SELECT {COLUMNS} FROM portal_organisation").fetchall() == [ROW]
