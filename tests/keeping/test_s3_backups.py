"""Backups to an S3-compatible store: the same backup, check and restore through django-storages'
S3 backend, against moto's S3 server on loopback (speaking S3's real HTTP API)."""

import pytest
from dbbackup import settings as dbbackup_settings
from moto.server import ThreadedMotoServer

from keeping import backups
from tests.services import free_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def s3_bucket(monkeypatch, settings, tmp_path):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    options = {
        "bucket_name": "centrum-backups",
        "endpoint_url": f"http://127.0.0.1:{port}",
        "access_key": "test",
        "secret_key": "test",
        "region_name": "eu-west-1",
        "location": "stadshart-backups",
        "default_acl": "private",
        "file_overwrite": False,
    }
    import boto3

    boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-west-1",
    ).create_bucket(Bucket="centrum-backups", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    monkeypatch.setattr(dbbackup_settings, "STORAGE", "storages.backends.s3.S3Storage")
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", options)
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    yield options
    server.stop()


def test_a_backup_goes_to_the_bucket_checks_out_and_restores(s3_bucket, settings):
    (settings.MEDIA_ROOT / "original_images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "original_images" / "logo.png").write_bytes(b"\x89PNG" + b"x" * 5000)
    rows = backups.table_counts()

    run = backups.make_backup()

    assert backups.destination() == "s3://centrum-backups/stadshart-backups"
    manifest = backups.find_manifest()
    assert manifest.name == run.name and backups.check_backup(manifest) == []
    (settings.MEDIA_ROOT / "original_images" / "logo.png").unlink()
    backups.restore(manifest)
    rows["keeping_backuprun"] += 1
    assert backups.table_counts() == rows
    assert (settings.MEDIA_ROOT / "original_images" / "logo.png").read_bytes() == b"\x89PNG" + b"x" * 5000
