"""Backups that restore (issue 11): one archive with the database, the uploaded files and a manifest.

- The database is copied online, as one consistent snapshot: SQLite through its backup API (a plain
  file copy of a live WAL database loses the newest committed writes), PostgreSQL with
  `pg_dump -Fc` on a snapshot exported by the transaction that counts the rows, so the counts in the
  manifest are those of the dump.
- The archive (`werkbrug-backup-YYYYMMDD-HHMMSS.tar`, UTC) holds `manifest.json`, the dump and
  `media/…` (MEDIA_ROOT: the signed consent forms). The manifest records the engine, the latest
  migration per app, the rows per table and the sha256 of every other member.
- A backup is written under a temporary name, read back and checked (checksums, then the dump: its
  integrity and row counts, or `pg_restore --list`) and only then renamed to its final name.
- A restore checks the archive and its dump before it changes anything, replaces the database and
  the media folder's contents, then checks the result (integrity, row counts, migrations).
- SECRET_KEY and PSEUDONYM_KEY are not in the archive (KEYS_WARNING); the manifest keeps a short
  fingerprint of each, so a restore can tell whether the keys in use are the ones of the backup.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib.metadata
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024

KEYS_WARNING = """\
!!! SECRET_KEY and PSEUDONYM_KEY are NOT in this backup. A restore needs them too: keep both, for as
!!! long as you keep backups, in a safe place apart from the archives (a password manager or vault).
!!!  - PSEUDONYM_KEY keys the pseudonyms of the research export (an HMAC of each person's identity).
!!!    With another key every person gets a new pseudonym, so new exports no longer match earlier
!!!    ones; a lost key cannot be recovered from the data.
!!!  - SECRET_KEY signs sessions and signed cookies. With another key everyone is logged out;
!!!    passwords, API tokens and the data itself are not affected.
!!! (Production sets both as environment variables; with DEBUG on they are generated into
!!! var/secret_key.txt and var/pseudonym_key.txt.)"""

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Snapshot:
    """What a database copy holds, read in the same snapshot as the copy itself."""

    counts: dict[str, int]
    migrations: dict[str, str]


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    media_files: int
    counts: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def engine() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _latest(rows: list[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration per app."""
    return {app: max(n for a, n in rows if a == app) for app in sorted({a for a, _ in rows})}


def _counts(execute: Callable[[str], Any], tables: list[str]) -> dict[str, int]:
    """Rows per table; `execute(sql)` answers a cursor."""
    quote = connection.ops.quote_name  # the same double quotes on both engines
    return {t: int(execute(f"SELECT COUNT(*) FROM {quote(t)}").fetchone()[0]) for t in sorted(tables)}  # noqa: S608 - catalogue names, quoted


def key_fingerprint(value: str) -> str:
    """A short keyed hash of a secret: tells two keys apart, reveals nothing of either."""
    return hmac.new(b"werkbrug-backup-key-fingerprint", value.encode(), hashlib.sha256).hexdigest()[:16]


def app_version() -> str:
    try:
        return importlib.metadata.version("werkbrug")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _keys() -> dict[str, str]:
    return {name: key_fingerprint(getattr(settings, name)) for name in ("SECRET_KEY", "PSEUDONYM_KEY")}


# --- SQLite ---------------------------------------------------------------------------------------


def _sqlite_path(*, existing: bool = True) -> Path:
    """The database this process uses (in the tests: the test database, not settings' NAME)."""
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database {name!r} is not a file; nothing to back up or restore.")
    path = Path(name)
    if existing and not path.is_file():
        raise BackupError(f"The SQLite database {path} does not exist.")
    return path


def _sqlite_open(path: Path, *, mode: str = "rw") -> sqlite3.Connection:
    """Open an existing file (never create one by mistake), waiting up to 30 s for a writer."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=30)


def _sqlite_state(db: sqlite3.Connection) -> Snapshot:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    ]
    counts = _counts(db.execute, tables)
    has_migrations = "django_migrations" in counts
    rows = db.execute("SELECT app, name FROM django_migrations").fetchall() if has_migrations else []
    return Snapshot(counts=counts, migrations=_latest(rows))


def sqlite_snapshot(target: Path) -> Snapshot:
    """Copy the live database with the backup API: one step, so one consistent read of the
    database and its WAL (the committed writes a file copy would miss)."""
    source = _sqlite_open(_sqlite_path())
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # The copy stands alone: no -wal file beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_state(copy)
    finally:
        copy.close()
        source.close()


def sqlite_check(path: Path) -> tuple[list[str], dict[str, int]]:
    """(problems, row counts) of a database file: integrity and foreign keys."""
    db = _sqlite_open(path, mode="ro")
    try:
        result = [row[0] for row in db.execute("PRAGMA integrity_check")]
        problems = [] if result == ["ok"] else [f"integrity check: {'; '.join(result[:5])}"]
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            problems.append(f"{len(broken)} rows break a foreign key (first in table {broken[0][0]})")
        return problems, _sqlite_state(db).counts
    finally:
        db.close()


def sqlite_restore(dump: Path) -> None:
    """Write the copy into the live database file through the backup API: other processes that
    hold the file open see the restored database at their next transaction."""
    live = _sqlite_path(existing=False)  # on a new machine: made here
    connections.close_all()
    source = _sqlite_open(dump, mode="ro")
    target = _sqlite_open(live, mode="rwc")
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------------------

# libpq reads these OPTIONS from PGSSLMODE, PGSSLROOTCERT, … too.
PG_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service")


def pg_environment() -> dict[str, str]:
    """Connection parameters for pg_dump/pg_restore as libpq environment variables, from the
    connection in use (in the tests: the test database): never on the command line, where `ps`
    would show the password."""
    params = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[name] = str(params[key])
    env["PGDATABASE"] = str(params["NAME"])
    for option in PG_OPTIONS:
        if params.get("OPTIONS", {}).get(option):
            env[f"PG{option.upper()}"] = str(params["OPTIONS"][option])
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client) in a version at least the server's."
        )
    return path


def _pg_run(args: list[str], what: str) -> str:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL tool found on PATH, arguments we build
        args, env=pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()[:2000]}")
    return result.stdout


def _pg_check_version(tool: str) -> None:
    """pg_dump must be at least the server's major version (Debian's pg_wrapper picks one)."""
    output = _pg_run([tool, "--version"], f"{tool} --version")
    found = re.search(r"\)\s*(\d+)", output)
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    if found is None or int(found.group(1)) < server:
        raise BackupError(
            f"{output.strip()} is older than the server (PostgreSQL {server}): install the "
            f"postgresql-client-{server} package, or put its bin directory first on PATH."
        )


def pg_snapshot(target: Path) -> Snapshot:
    """Count the rows in a repeatable-read transaction, export its snapshot and let pg_dump dump
    exactly that snapshot: the manifest's counts are the dump's."""
    tool = pg_tool("pg_dump")
    connection.ensure_connection()
    _pg_check_version(tool)
    params = {
        k: v for k, v in connection.get_connection_params().items() if k not in {"cursor_factory", "context"}
    }
    with psycopg.connect(**params) as db:
        db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot_row = db.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot_row is not None  # noqa: S101 - the function always returns a row
        tables = [
            row[0]
            for row in db.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND pg_table_is_visible(c.oid) "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY c.relname"
            )
        ]
        counts = _counts(db.execute, tables)
        rows: list[tuple[str, str]] = []
        if "django_migrations" in counts:
            rows = [(str(a), str(n)) for a, n in db.execute("SELECT app, name FROM django_migrations")]
        _pg_run([tool, "-Fc", f"--snapshot={snapshot_row[0]}", f"--file={target}"], "pg_dump")
        db.rollback()
    return Snapshot(counts=counts, migrations=_latest(rows))


def pg_check(dump: Path, counts: dict[str, int]) -> list[str]:
    """`pg_restore --list` reads the dump and lists the data of every table of the manifest."""
    listing = _pg_run([pg_tool("pg_restore"), "--list", str(dump)], "pg_restore --list")
    # e.g. "3456; 0 16390 TABLE DATA public clients_client postgres"
    with_data = set(re.findall(r"^\d+; \d+ \d+ TABLE DATA \S+ (\S+)", listing, re.MULTILINE))
    missing = sorted(set(counts) - with_data)
    return [f"the dump holds no data for: {', '.join(missing[:10])}"] if missing else []


def pg_restore(dump: Path) -> None:
    """Replace the database's objects with the dump's, in one transaction (all or nothing)."""
    tool = pg_tool("pg_restore")
    connections.close_all()  # our own connection must not hold locks on the tables dropped
    # Without --dbname pg_restore writes a script; an empty one connects to PGDATABASE.
    args = [tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _pg_run([*args, "--dbname=", str(dump)], "pg_restore")


def live_counts(tables: list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        return _counts(cursor.execute, tables)  # Django's execute answers the driver's cursor


# --- The archive ----------------------------------------------------------------------------------


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of every regular file under MEDIA_ROOT; symbolic links are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield f"{MEDIA}/{path.relative_to(root).as_posix()}", path


def default_name() -> str:
    return f"werkbrug-backup-{timezone.now():%Y%m%d-%H%M%S}.tar"


def _final_path(output: Path | None) -> Path:
    if output is None:
        output = Path(settings.VAR_DIR) / "backups"
    if output.suffix != ".tar":  # a folder
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
        output = output / default_name()
    if output.exists():
        raise BackupError(f"{output} exists already; a backup never overwrites another.")
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return output


def _add(tar: tarfile.TarFile, name: str, data: bytes | Path) -> None:
    info = tarfile.TarInfo(name)
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    if isinstance(data, bytes):
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        info.size = data.stat().st_size
        with data.open("rb") as handle:
            tar.addfile(info, handle)


def create_backup(output: Path | None = None, say: Say = lambda _: None) -> tuple[Path, dict[str, Any]]:
    """Write and verify one backup archive; return its path and manifest."""
    vendor = engine()
    final = _final_path(output)
    work = Path(tempfile.mkdtemp(dir=final.parent, prefix=".werkbrug-backup-"))
    try:
        dump = work / DUMPS[vendor]
        say(f"Copying the {vendor} database …")
        snapshot = sqlite_snapshot(dump) if vendor == "sqlite" else pg_snapshot(dump)
        media = list(_media_files(Path(settings.MEDIA_ROOT)))
        say(f"Adding {len(media)} uploaded files from {settings.MEDIA_ROOT} …")
        members = {DUMPS[vendor]: _sha256(dump)} | {name: _sha256(path) for name, path in media}
        manifest = {
            "format": FORMAT,
            "application": "werkbrug",
            "app_version": app_version(),
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "database": DUMPS[vendor],
            "migrations": snapshot.migrations,
            "row_counts": snapshot.counts,
            "media_files": len(media),
            "members": members,
            "keys": _keys(),
            "keys_included": False,
        }
        partial = work / (final.name + ".partial")
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:", format=tarfile.PAX_FORMAT) as tar:
                _add(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
                _add(tar, DUMPS[vendor], dump)
                for name, path in media:
                    _add(tar, name, path)
            raw.flush()
            os.fsync(raw.fileno())
        say("Verifying the archive …")
        verify(partial, work / "check")
        os.replace(partial, final)
        return final, manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and str(path) == name and name != "."


def read_archive(path: Path, extract_to: Path | None = None) -> dict[str, Any]:
    """Read the archive and check every member against the manifest's sha256; with `extract_to`,
    write the dump and the media files there (media under `media/`). Raise BackupError on any
    mismatch: a missing, extra, altered or unsafe member."""
    try:
        with tarfile.open(path, mode="r:") as tar:
            head = tar.next()
            if head is None or head.name != MANIFEST or not head.isfile():
                raise BackupError(f"{path} is not a Werkbrug backup: {MANIFEST} is not its first member.")
            manifest_file = tar.extractfile(head)
            assert manifest_file is not None  # noqa: S101 - a regular file
            manifest = json.loads(manifest_file.read())
            if manifest.get("application") != "werkbrug" or manifest.get("format") != FORMAT:
                raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}.")
            if manifest.get("database") != DUMPS.get(manifest.get("engine", "")):
                raise BackupError(f"{path}: the manifest names no database dump.")
            expected: dict[str, str] = manifest["members"]
            seen: set[str] = set()
            for member in tar:
                if member is head:
                    continue
                _check_member(member, expected, seen)
                source = tar.extractfile(member)
                assert source is not None  # noqa: S101 - _check_member accepts regular files only
                target = None
                if extract_to is not None:
                    target = extract_to / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                digest = _copy_hashing(source, target)
                if digest != expected[member.name]:
                    raise BackupError(f"checksum mismatch for {member.name}: the archive is damaged.")
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"the archive lacks {len(missing)} members, e.g. {missing[0]}.")
            return manifest
    except (tarfile.TarError, OSError, ValueError, KeyError, EOFError) as exc:
        raise BackupError(f"{path} cannot be read as a backup: {exc}") from exc


def _check_member(member: tarfile.TarInfo, expected: dict[str, str], seen: set[str]) -> None:
    if not member.isfile() or not _safe_name(member.name):
        raise BackupError(f"unexpected member {member.name!r} in the archive.")
    if member.name not in expected or member.name in seen:
        raise BackupError(f"member {member.name!r} is not in the manifest (or twice in the archive).")
    seen.add(member.name)


def _copy_hashing(source: io.BufferedReader | Any, target: Path | None) -> str:
    digest = hashlib.sha256()
    with target.open("xb") if target is not None else contextlib.nullcontext() as sink:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            if sink is not None:
                sink.write(chunk)
    return digest.hexdigest()


def dump_problems(manifest: dict[str, Any], dump: Path) -> list[str]:
    """Check an extracted dump against the manifest, before anything relies on it."""
    counts: dict[str, int] = manifest["row_counts"]
    if manifest["engine"] == "postgresql":
        return pg_check(dump, counts)
    problems, found = sqlite_check(dump)
    problems += [
        f"table {t}: {found.get(t)} rows in the dump, {n} in the manifest"
        for t, n in counts.items()
        if found.get(t) != n
    ]
    return problems


def verify(path: Path, scratch: Path) -> dict[str, Any]:
    """The whole check of a written archive: checksums, then the dump itself."""
    scratch.mkdir(mode=0o700)
    try:
        manifest = read_archive(path, extract_to=scratch)
        problems = dump_problems(manifest, scratch / manifest["database"])
        if problems:
            raise BackupError("the database in the archive does not check out: " + "; ".join(problems))
        return manifest
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- Restore --------------------------------------------------------------------------------------


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations applied in the backup that this code does not have: a backup of a newer version."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        f"{app}.{name}"
        for app, name in manifest["migrations"].items()
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    ]


def _replace_media(staged: Path, root: Path) -> None:
    """Make MEDIA_ROOT's contents those of `staged` (the folder itself stays: it may be a mount)."""
    root.mkdir(parents=True, exist_ok=True)
    for entry in list(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if staged.is_dir():
        for entry in list(staged.iterdir()):
            shutil.move(str(entry), str(root / entry.name))


def restore_backup(
    path: Path, confirm: Callable[[dict[str, Any]], bool], say: Say = lambda _: None
) -> RestoreReport | None:
    """Check the archive and its dump, ask `confirm(manifest)`, then replace the database and the
    media. Nothing changes before `confirm` answers True; None when it does not."""
    vendor = engine()
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".werkbrug-restore-"))
    try:
        say(f"Checking {path} …")
        try:
            manifest = _checked_for_restore(path, work, vendor)
        except (BackupError, OSError) as exc:
            raise BackupError(f"{exc}\nNothing was changed.") from exc
        if not confirm(manifest):
            return None
        say("Restoring the database …")
        try:
            if vendor == "sqlite":
                sqlite_restore(work / manifest["database"])
            else:
                pg_restore(work / manifest["database"])
        except (BackupError, OSError, sqlite3.Error) as exc:
            raise BackupError(
                f"Restoring the database failed and was rolled back; nothing was changed: {exc}"
            ) from exc
        say(f"Replacing the uploaded files in {media_root} …")
        try:
            _replace_media(work / MEDIA, media_root)
        except OSError as exc:
            raise BackupError(
                f"The database was restored, but replacing the uploaded files failed ({exc}): "
                "fix the cause and run the restore again."
            ) from exc
        report = RestoreReport(manifest=manifest, media_files=int(manifest["media_files"]))
        _after_restore(report)
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _checked_for_restore(path: Path, work: Path, vendor: str) -> dict[str, Any]:
    """The manifest, once the archive, its engine, its migrations and its dump check out; the dump
    and the media files are extracted into `work`."""
    manifest = read_archive(path, extract_to=work)
    if manifest["engine"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; this installation uses {vendor}."
        )
    if unknown := unknown_migrations(manifest):
        newer = ", ".join(unknown[:5])
        raise BackupError(
            f"A newer Werkbrug made this backup (unknown migrations: {newer}); install it first."
        )
    problems = dump_problems(manifest, work / manifest["database"])
    if problems:
        raise BackupError("The database in the archive does not check out: " + "; ".join(problems) + ".")
    return manifest


def _after_restore(report: RestoreReport) -> None:
    manifest = report.manifest
    if manifest["engine"] == "sqlite":
        report.problems += sqlite_check(_sqlite_path())[0]
    expected: dict[str, int] = manifest["row_counts"]
    report.counts = live_counts(sorted(expected))
    report.problems += [
        f"table {t}: {report.counts[t]} rows, the backup had {n}"
        for t, n in expected.items()
        if report.counts[t] != n
    ]
    pending = pending_migrations()
    if pending:
        report.problems.append(
            f"{len(pending)} migrations are pending ({', '.join(pending[:5])}): run `manage.py migrate` "
            "before starting the application."
        )
    for name, fingerprint in _keys().items():
        if manifest.get("keys", {}).get(name) != fingerprint:
            report.notices.append(f"{name} differs from the one in use when the backup was made.")
