"""The restore drill: back up a loaded database with its media, destroy both, restore, compare.

Runs on the database the suite runs on: SQLite by default, PostgreSQL in CI (pg_dump/pg_restore).
"""

import io
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection

from keeping import backups
from keeping.models import BackupRun

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def destroy_database():
    """Every table gone, as after a lost disk: nothing of the old data may help the restore."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
    assert connection.introspection.table_names() == []


def put_media(root):
    """A logo and a page image (public media), and a member's report photo in the private storage,
    as the portal stores them."""
    photo = ContentFile(b"\xff\xd8\xff" + b"tegel" * 2000)
    storages["private"].save("meldingen/2026/11/losse-tegel.jpg", photo)
    files = {
        "original_images/logo-bakkerij.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        "images/kerstmarkt.width-800.jpg": b"\xff\xd8\xff" + b"kerstmarkt" * 900,
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def test_a_backup_of_the_demo_centre_restores_every_row_and_every_file(backup_folder, settings):
    call_command("seed_demo", stdout=io.StringIO())
    put_media(settings.MEDIA_ROOT)
    rows_before = backups.table_counts()
    files_before = backups.media_checksums()
    private_before = backups.private_checksums()
    assert sum(rows_before.values()) > 10_000 and len(files_before) == 2 and len(private_before) == 1

    run = backups.make_backup()
    assert run.state == BackupRun.State.DONE
    manifest = backups.find_manifest(run.name)
    assert backups.check_backup(manifest) == []
    # The backup's own record is written before the dump, so the backup holds it.
    rows_before["keeping_backuprun"] += 1
    assert manifest.tables == rows_before

    destroy_database()
    shutil.rmtree(settings.MEDIA_ROOT)
    storages["private"].delete("meldingen/2026/11/losse-tegel.jpg")
    storages["private"].save("na-de-backup.jpg", ContentFile(b"written after the backup"))
    (settings.MEDIA_ROOT / "stray.txt").parent.mkdir(parents=True)
    (settings.MEDIA_ROOT / "stray.txt").write_text("written after the backup")

    backups.restore(manifest)

    assert backups.table_counts() == rows_before
    assert backups.media_checksums() == files_before
    assert backups.private_checksums() == private_before
    # The restored database knows which backup it came from, and when that was taken.
    assert BackupRun.objects.get(name=run.name).state == BackupRun.State.RUNNING


def test_a_damaged_backup_is_refused_before_anything_is_replaced(backup_folder, settings):
    run = backups.make_backup()
    manifest = backups.find_manifest(run.name)
    db_file = backup_folder / manifest.files["db"]["name"]
    db_file.write_bytes(db_file.read_bytes()[:-100])
    rows = backups.table_counts()

    with pytest.raises(backups.BackupError, match="differs from its manifest"):
        backups.restore(manifest)
    assert backups.table_counts() == rows

    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("check_backup", stdout=out)
    assert "DAMAGED" in out.getvalue() and refused.value.returncode == 1
