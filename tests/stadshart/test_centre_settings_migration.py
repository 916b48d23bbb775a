"""The centre's own settings moved from portal.Organisation to stadshart.CentreSettings: the row a
running site has is carried over, and back again when the migrations are reversed."""

import sqlite3

from tests.services import child_env, manage

ROW = ("Centrummanagement Veldhaven", "Veldhaven", "Marktstraat 12", "info@veldhaven.example", "076 123")
COLUMNS = "name, town, address, email, phone"


def test_the_centre_settings_keep_their_row_through_the_move_and_back(tmp_path):
    database = tmp_path / "moved.sqlite3"
    env = child_env(DATABASE_URL=f"sqlite:///{database}")
    result = manage("migrate", "--noinput", "portal", "0003", env=env)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        db.execute(
            f"INSERT INTO portal_organisation ({COLUMNS}, site_id) "
            "VALUES (?, ?, ?, ?, ?, (SELECT id FROM wagtailcore_site WHERE is_default_site))",
            ROW,
        )

    result = manage("migrate", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
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
