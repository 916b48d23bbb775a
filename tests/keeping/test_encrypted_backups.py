"""Encrypted backups: GPG for BACKUP_GPG_RECIPIENT, with a key of the test's own keyring."""

import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from keeping import backups

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSPHRASE = "lange-zin-voor-de-sleutel-van-de-backups"


def gpg(*args):
    return subprocess.run(  # noqa: S603
        ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", PASSPHRASE, *args],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def gpg_key(tmp_path, monkeypatch, settings):
    """A key pair protected by a passphrase, in a keyring of the test's own (GNUPGHOME)."""
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    gpg("--quick-gen-key", "backups@centrum.example", "default", "default", "never")
    settings.BACKUP_GPG_RECIPIENT = "backups@centrum.example"
    from dbbackup import settings as dbbackup_settings

    monkeypatch.setattr(dbbackup_settings, "GPG_RECIPIENT", "backups@centrum.example")
    yield
    # gpg started an agent for this keyring; it would outlive the test run.
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], check=False, capture_output=True)  # noqa: S607


def test_an_encrypted_backup_is_unreadable_without_the_key_and_restores_with_it(
    backup_folder, gpg_key, settings
):
    storages["private"].save("meldingen/foto.jpg", ContentFile(b"\xff\xd8\xff" + b"geheim" * 500))
    rows = backups.table_counts()

    run = backups.make_backup()

    assert run.encrypted
    manifest = backups.find_manifest(run.name)
    db_file = backup_folder / manifest.files["db"]["name"]
    media_file = backup_folder / manifest.files["media"]["name"]
    assert db_file.name.endswith(".gz.gpg") and media_file.name.endswith(".tar.gz.gpg")
    # Neither the database's tables nor the photo's bytes can be read from the stored files.
    private_file = backup_folder / manifest.files["private"]["name"]
    assert private_file.name.endswith(".tar.gz.gpg")
    stored = db_file.read_bytes() + media_file.read_bytes() + private_file.read_bytes()
    assert b"keeping_backuprun" not in stored and b"geheim" not in stored

    storages["private"].delete("meldingen/foto.jpg")
    with pytest.raises(backups.BackupError, match="[Dd]ecrypt"):
        backups.restore(manifest, passphrase="een verkeerde zin")
    backups.restore(manifest, passphrase=PASSPHRASE)
    rows["keeping_backuprun"] += 1
    assert backups.table_counts() == rows
    with storages["private"].open("meldingen/foto.jpg") as photo:
        assert photo.read() == b"\xff\xd8\xff" + b"geheim" * 500
