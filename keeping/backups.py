"""Backups of the database and the media folder, their restore, and the check of a backup.

django-dbbackup does the dumping (pg_dump's custom format on PostgreSQL, SQLite's online backup
API on SQLite), the gzip compression, the GPG encryption and the storage (a folder or an S3
bucket, settings.STORAGES["dbbackup"]). This module adds what an organisation needs around it:

- one name per backup for its files (`<name>-db.…`, `<name>-media.tar.gz`, and the private files
  of stadshart.storage in `<name>-private.tar.gz`) and a manifest
  (`<name>.json`) with each file's size and SHA-256 and every table's row count, so a backup can be
  checked without restoring it, and a restore can be compared with what was backed up;
- a BackupRun row written *before* the dump, so the restored database knows when its data was
  taken (see keeping.restore);
- removal of backups older than BACKUP_KEEP_DAYS (by age, not by count).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tarfile
from dataclasses import dataclass
from datetime import datetime, timedelta

from dbbackup.storage import get_storage
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from keeping.models import BackupRun
from stadshart.storage import private_storage

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1


class BackupError(Exception):
    """A backup could not be made, read or restored; the message says why, for the operator."""


@dataclass
class Manifest:
    name: str
    taken_at: datetime
    engine: str
    files: dict[str, dict]  # role ("db", "media") → {name, bytes, sha256}
    tables: dict[str, int]
    encrypted: bool

    def as_json(self) -> str:
        return json.dumps(
            {
                "version": MANIFEST_VERSION,
                "name": self.name,
                "taken_at": self.taken_at.isoformat(),
                "engine": self.engine,
                "files": self.files,
                "tables": self.tables,
                "encrypted": self.encrypted,
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(
            name=data["name"],
            taken_at=datetime.fromisoformat(data["taken_at"]),
            engine=data["engine"],
            files=data["files"],
            tables=data["tables"],
            encrypted=data.get("encrypted", False),
        )


def storage():
    return get_storage()


def destination() -> str:
    options = settings.STORAGES["dbbackup"].get("OPTIONS", {})
    if "bucket_name" in options:
        return f"s3://{options['bucket_name']}/{options.get('location', '')}"
    return str(options.get("location", ""))


def table_counts() -> dict[str, int]:
    """Every table's row count: the measure a restore is compared against."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(fileobj) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _describe(name: str) -> dict:
    with storage().storage.open(name, "rb") as handle:
        sha, size = _sha256(handle)
    return {"name": name, "bytes": size, "sha256": sha}


def make_backup(*, now: datetime | None = None) -> BackupRun:
    """Back up the database and the media folder now; returns the finished BackupRun.

    Raises BackupError (after recording it on the run) when a part fails.
    """
    now = now or timezone.now()
    name = f"stadshart-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    encrypted = bool(settings.BACKUP_GPG_RECIPIENT)
    # Committed before the dump starts, so the dump holds this row in state "running".
    run = BackupRun.objects.create(
        started_at=now, name=name, destination=destination(), compressed=True, encrypted=encrypted
    )
    flags = ["--noinput", "--compress", "--quiet"] + (["--encrypt"] if encrypted else [])
    vendor = connection.vendor
    db_name = f"{name}-db.{'psql.bin' if vendor == 'postgresql' else vendor}.gz" + (
        ".gpg" if encrypted else ""
    )
    media_name = f"{name}-media.tar.gz" + (".gpg" if encrypted else "")
    try:
        # Counted before the dump; rows written meanwhile (a webhook, say) may make a restore hold
        # a few more rows than the manifest says, never fewer of these tables.
        tables = table_counts()
        os.makedirs(settings.MEDIA_ROOT, exist_ok=True)  # a fresh installation has no media yet
        call_command("dbbackup", *flags, "--output-filename", db_name)
        # mediabackup appends ".gpg" itself when it encrypts (dbbackup keeps the name it is given).
        call_command("mediabackup", *flags, "--output-filename", media_name.removesuffix(".gpg"))
        private_name = _backup_private(f"{name}-private.tar.gz", encrypted=encrypted)
        files = {"db": _describe(db_name), "media": _describe(media_name), "private": _describe(private_name)}
        manifest = Manifest(
            name=name,
            taken_at=now,
            engine=connection.settings_dict["ENGINE"],
            files=files,
            tables=tables,
            encrypted=encrypted,
        )
        storage().write_file(io.BytesIO(manifest.as_json().encode()), f"{name}.json")
    except Exception as error:
        _remove_partial(db_name, media_name, f"{name}-private.tar.gz", f"{name}-private.tar.gz.gpg")
        BackupRun.objects.filter(pk=run.pk).update(
            state=BackupRun.State.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        logger.exception("Backup %s failed", name)
        raise BackupError(str(error)) from error
    BackupRun.objects.filter(pk=run.pk).update(
        state=BackupRun.State.DONE, finished_at=timezone.now(), files=list(files.values())
    )
    run.refresh_from_db()
    return run


def _remove_partial(*names: str) -> None:
    """A failed backup leaves no half of itself behind to be mistaken for a backup."""
    store = storage().storage
    for name in names:
        for filename in (name, f"{name}.metadata"):
            try:
                if store.exists(filename):
                    store.delete(filename)
            except OSError:
                logger.warning("Could not remove %s of a failed backup", filename)


def list_manifests() -> list[Manifest]:
    """The backups in storage that have a manifest, newest first."""
    store = storage()
    manifests = []
    for filename in store.storage.listdir("")[1]:
        if filename.startswith("stadshart-") and filename.endswith(".json"):
            with store.storage.open(filename, "rb") as handle:
                try:
                    manifests.append(Manifest.from_json(handle.read().decode()))
                except (ValueError, KeyError):
                    logger.warning("Unreadable backup manifest %s", filename)
    return sorted(manifests, key=lambda item: item.taken_at, reverse=True)


def find_manifest(name: str | None = None) -> Manifest:
    """The named backup's manifest, or the newest one when no name is given."""
    manifests = list_manifests()
    if not manifests:
        raise BackupError(f"No backups found in {destination()}.")
    if name is None:
        return manifests[0]
    name = name.removesuffix(".json")
    for manifest in manifests:
        if manifest.name == name:
            return manifest
    raise BackupError(f"No backup named {name} in {destination()}.")


def check_backup(manifest: Manifest) -> list[str]:
    """Problems with a backup's files (missing, wrong size or checksum); empty when it is sound."""
    problems = []
    for role, expected in manifest.files.items():
        try:
            actual = _describe(expected["name"])
        except FileNotFoundError:
            problems.append(f"{role}: {expected['name']} is missing")
            continue
        if actual["sha256"] != expected["sha256"] or actual["bytes"] != expected["bytes"]:
            problems.append(f"{role}: {expected['name']} differs from its manifest (damaged or replaced)")
    return problems


def prune(*, keep_days: int | None = None, now: datetime | None = None) -> list[str]:
    """Remove backups older than `keep_days` (BACKUP_KEEP_DAYS); the newest one always stays."""
    keep_days = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
    if keep_days <= 0:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    store = storage()
    removed = []
    for manifest in list_manifests()[1:]:
        if manifest.taken_at >= cutoff:
            continue
        for item in manifest.files.values():
            for filename in (item["name"], f"{item['name']}.metadata"):
                if store.storage.exists(filename):
                    store.storage.delete(filename)
        store.storage.delete(f"{manifest.name}.json")
        removed.append(manifest.name)
    return removed


def restore(manifest: Manifest, *, passphrase: str | None = None) -> None:
    """Replace the database and the media folder with the backup's. Stop web and workers first.

    The caller (the `restore_backup` command) then calls keeping.restore.after_restore, before
    anything can send again.
    """
    problems = check_backup(manifest)
    if problems:
        raise BackupError("; ".join(problems))
    if manifest.engine != connection.settings_dict["ENGINE"]:
        raise BackupError(
            f"This backup is of a {manifest.engine} database; this installation uses "
            f"{connection.settings_dict['ENGINE']}."
        )
    flags = ["--noinput", "--uncompress", "--quiet"]
    if manifest.encrypted:
        flags.append("--decrypt")
        if passphrase:
            flags += ["--passphrase", passphrase]
    db_file = manifest.files["db"]["name"]
    if manifest.encrypted:
        # Decrypt both files before anything is replaced: a wrong passphrase changes nothing.
        _readable(db_file, passphrase)
        _readable(manifest.files["media"]["name"], passphrase)
        if "private" in manifest.files:
            _readable(manifest.files["private"]["name"], passphrase)
    if connection.vendor == "sqlite":
        _restore_sqlite(db_file, flags)
    else:
        call_command("dbrestore", *flags, "--input-filename", db_file)
    connections.close_all()
    _empty_media()
    call_command("mediarestore", *flags, "--replace", "--input-filename", manifest.files["media"]["name"])
    if "private" in manifest.files:  # backups made before private files had their own storage have none
        _restore_private(
            manifest.files["private"]["name"], encrypted=manifest.encrypted, passphrase=passphrase
        )


def _private_files(store) -> list[str]:
    names, folders = [], [""]
    while folders:
        folder = folders.pop()
        subfolders, files = store.listdir(folder)
        names += [os.path.join(folder, name) for name in files]
        folders += [os.path.join(folder, name) for name in subfolders]
    return sorted(names)


def _backup_private(name: str, *, encrypted: bool) -> str:
    """The private files (stadshart.storage: report photos, uploads waiting for the worker) as one
    gzip-compressed tar beside the media backup, encrypted like it; returns its stored name."""
    from dbbackup.utils import create_spooled_temporary_file, encrypt_file

    store = private_storage()
    archive = create_spooled_temporary_file()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for filename in _private_files(store) if _exists(store) else []:
            with store.open(filename, "rb") as handle:
                info = tarfile.TarInfo(filename)
                info.size = store.size(filename)
                tar.addfile(info, handle)
    archive.seek(0)
    if encrypted:
        archive, name = encrypt_file(archive, name)
    storage().write_file(archive, name)
    return name


def _exists(store) -> bool:
    try:
        store.listdir("")
    except FileNotFoundError:
        return False
    return True


def _restore_private(name: str, *, encrypted: bool, passphrase: str | None) -> None:
    """The private storage as it was at the backup: files added since go, the backup's come back."""
    from dbbackup.utils import unencrypt_file

    store = private_storage()
    for filename in _private_files(store) if _exists(store) else []:
        store.delete(filename)
    handle = storage().storage.open(name, "rb")
    if encrypted:
        handle, _name = unencrypt_file(handle, name, passphrase or "")
        handle.seek(0)  # dbbackup leaves the decrypted copy positioned at its end
    with handle, tarfile.open(fileobj=handle, mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            with tar.extractfile(member) as content:
                store.save(member.name, content)


def private_checksums() -> dict[str, str]:
    """Every private file's SHA-256 by its name (for the restore drill)."""
    store = private_storage()
    sums = {}
    for filename in _private_files(store) if _exists(store) else []:
        with store.open(filename, "rb") as handle:
            sums[filename] = _sha256(handle)[0]
    return sums


def _readable(name: str, passphrase: str | None) -> None:
    from dbbackup.utils import unencrypt_file

    with storage().storage.open(name, "rb") as handle:
        try:
            decrypted, _name = unencrypt_file(handle, name, passphrase or "")
        except Exception as error:
            raise BackupError(f"Could not decrypt {name}: {error}") from error
        decrypted.close()


def _restore_sqlite(db_file: str, flags: list[str]) -> None:
    """dbbackup copies the backup over the database file; close every connection first and drop
    the old write-ahead log, or SQLite would replay the old log onto the restored file."""
    path = connection.settings_dict["NAME"]
    connections.close_all()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    call_command("dbrestore", *flags, "--input-filename", db_file)
    connections.close_all()


def _empty_media() -> None:
    """A restore gives the media folder as it was: files added since the backup go."""
    root = settings.MEDIA_ROOT
    if not os.path.isdir(root):
        return
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            os.remove(os.path.join(folder, filename))


def media_checksums() -> dict[str, str]:
    """Every media file's SHA-256 by its path under MEDIA_ROOT (for the restore drill)."""
    root = settings.MEDIA_ROOT
    sums = {}
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            path = os.path.join(folder, filename)
            with open(path, "rb") as handle:
                sums[os.path.relpath(path, root)] = _sha256(handle)[0]
    return sums
