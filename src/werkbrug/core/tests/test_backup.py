"""`manage.py backup` and `manage.py restore` (issue 11): a round trip on the engine the suite runs on
(CI runs it on SQLite and on PostgreSQL), a damaged archive refused, no restore without --yes.

These tests back up and restore the test database itself (pg_dump and the SQLite backup API read
it through their own connections), so they commit: django_db(transaction=True)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from werkbrug.clients.actions import Evidence, grant_consent
from werkbrug.clients.models import Client, ConsentPurpose, EvidenceKind
from werkbrug.clients.tests.client_data import PDF
from werkbrug.core import backup
from werkbrug.testing import actor_for, days_ago
from werkbrug.trajectories.actions import record_contact
from werkbrug.trajectories.models import Contact, ContactKind

pytestmark = pytest.mark.django_db(transaction=True)

KEYS_NOTICE = "SECRET_KEY and PSEUDONYM_KEY are NOT in this backup"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def tables(cursor) -> list[str]:
    """The database's tables by Django's own introspection (not the code under test), without
    SQLite's own: names starting with `sqlite_` are reserved for SQLite (`sqlite_stat1` holds the
    planner statistics ANALYZE writes, e.g. in trajectories 0010)."""
    return [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]


def table_counts() -> dict[str, int]:
    """Rows per table, counted here with Django's own introspection (not the code under test)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in tables(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def schema() -> dict[str, tuple[list[str], int]]:
    """Per table: its columns and how many constraints and indexes it has."""
    with connection.cursor() as cursor:
        return {
            table: (
                sorted(c.name for c in connection.introspection.get_table_description(cursor, table)),
                len(connection.introspection.get_constraints(cursor, table)),
            )
            for table in tables(cursor)
        }


def files_in(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def take_backup(folder: Path) -> tuple[Path, str, str]:
    out, err = run("backup", "--output", str(folder))
    [archive] = folder.glob("werkbrug-backup-*.tar")
    return archive, out, err


def with_signed_form(net, client):
    return grant_consent(
        actor_for(net.care),
        client,
        purpose=ConsentPurpose.PROFILE,
        recipient=net.sara,
        categories=["skills"],
        evidence=Evidence(EvidenceKind.SIGNED_FORM),
        evidence_file=SimpleUploadedFile("toestemming.pdf", PDF, content_type="application/pdf"),
    )


def contact(net, trajectory, days: int) -> Contact:
    return record_contact(actor_for(net.coach), trajectory, on=days_ago(days), kind=ContactKind.PHONE)


def test_a_backup_restores_the_database_and_the_uploaded_files(tnet, media, tmp_path, client):
    person = tnet.new_client(first_name="Mira", last_name="Vermeulen")
    trajectory = tnet.trajectory(person)
    contact(tnet, trajectory, 3)
    form = Path(media) / with_signed_form(tnet, person).evidence_file.name
    expected = table_counts()
    expected_schema = schema()
    assert expected["clients_client"] == 1 and expected["trajectories_contact"] == 1
    assert files_in(media) == {form.relative_to(media).as_posix(): PDF}

    archive, out, err = take_backup(tmp_path / "backups")

    assert "Backup written and verified" in out
    assert KEYS_NOTICE in err and "PSEUDONYM_KEY keys the pseudonyms" in err
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        assert tar.extractfile(f"media/{form.relative_to(media).as_posix()}").read() == PDF
    assert names[0] == "manifest.json" and len(names) == 3
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"] == expected
    assert manifest["migrations"]["clients"].startswith("00")
    content = archive.read_bytes()
    assert settings.SECRET_KEY.encode() not in content and settings.PSEUDONYM_KEY.encode() not in content

    # Life goes on after the backup: a new client, a contact, the signed form deleted, a stray file.
    later = tnet.new_client(first_name="Later", last_name="Ingeschreven")
    contact(tnet, trajectory, 1)
    form.unlink()
    (Path(media) / "stray.txt").write_text("written after the backup")
    assert table_counts() != expected

    out, err = run("restore", str(archive), "--yes")

    assert "Checks passed" in out
    assert KEYS_NOTICE in err
    assert table_counts() == expected
    assert schema() == expected_schema
    assert not Client.objects.filter(pk=later.pk).exists()
    assert Contact.objects.filter(trajectory=trajectory).count() == 1
    assert files_in(media) == {form.relative_to(media).as_posix(): PDF}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]
        else:
            cursor.execute("SELECT COUNT(*) FROM pg_index WHERE NOT indisvalid")
            assert cursor.fetchone() == (0,)

    # The application serves the restored data; access rules hold as before.
    assert client.get(reverse("core:healthz")).status_code == 200
    client.force_login(tnet.care)
    page = client.get(reverse("clients:detail", args=[person.pk]))
    assert page.status_code == 200 and "Vermeulen" in page.content.decode()
    client.force_login(tnet.outsider)
    assert client.get(reverse("clients:detail", args=[person.pk])).status_code == 404


def test_a_damaged_archive_is_refused_and_nothing_changes(tnet, media, tmp_path):
    person = tnet.new_client()
    form = Path(media) / with_signed_form(tnet, person).evidence_file.name
    archive, _out, _err = take_backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        dump = tar.getmember(backup.DUMPS[connection.vendor])
    data = bytearray(archive.read_bytes())
    data[dump.offset_data + dump.size // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    later = tnet.new_client(first_name="Later")
    form.unlink()
    before = table_counts()

    with pytest.raises(CommandError, match="checksum mismatch for database") as refused:
        run("restore", str(archive), "--yes")

    assert "Nothing was changed" in str(refused.value)
    assert table_counts() == before
    assert Client.objects.filter(pk=later.pk).exists()
    assert files_in(media) == {}


def test_restore_without_yes_refuses_when_nobody_can_confirm(tnet, media, tmp_path, monkeypatch):
    archive, _out, _err = take_backup(tmp_path / "backups")
    later = tnet.new_client(first_name="Later")
    before = table_counts()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: a cron job, a script

    with pytest.raises(CommandError, match="without --yes"):
        run("restore", str(archive))

    assert table_counts() == before
    assert Client.objects.filter(pk=later.pk).exists()


def test_a_backup_that_fails_its_verification_leaves_no_archive(tnet, media, tmp_path, monkeypatch):
    """A write that went wrong (here: a byte flipped on disk before the check) fails the command,
    and nothing is left in the folder, under the final name or a temporary one."""
    tnet.new_client()
    verify = backup.verify

    def damaged_then_verified(path: Path, scratch: Path):
        with tarfile.open(path) as tar:
            dump = tar.getmember(backup.DUMPS[connection.vendor])
        data = bytearray(path.read_bytes())
        data[dump.offset_data + dump.size // 2] ^= 0xFF
        path.write_bytes(bytes(data))
        return verify(path, scratch)

    monkeypatch.setattr(backup, "verify", damaged_then_verified)
    folder = tmp_path / "backups"

    with pytest.raises(CommandError, match="Backup FAILED, no archive was written"):
        run("backup", "--output", str(folder))

    assert list(folder.iterdir()) == []


def test_without_external_tools_sqlite_backs_up_and_postgresql_names_the_missing_pg_dump(
    tnet, media, tmp_path, monkeypatch
):
    """SQLite's backup runs in-process (the sqlite3 backup API); PostgreSQL's needs pg_dump and says
    so clearly when it is not on PATH. Both engines run this test, each its own half."""
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    folder = tmp_path / "backups"
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
            run("backup", "--output", str(folder))
        assert not folder.exists() or list(folder.iterdir()) == []
    else:
        run("backup", "--output", str(folder))
        assert [p.suffix for p in folder.iterdir()] == [".tar"]
