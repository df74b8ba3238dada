"""The research export generated in the database and streamed (issue 14, point 3; docs/reports.md,
"Research export"). The same file as the Python reference in reports.research, at the speed of the
database:

1. `prepare(year)`: one aggregate statement over the quasi-identifiers gives, per exact combination,
   its lines, the persons found in no other combination, and the few persons found in several; the
   k-anonymity rules (reports.anonymity.decide) choose from those counts alone what each exact
   combination is shown as, or that it is left out. The view audits the download with these figures
   before the first byte.
2. `stream(prepared)`: the generalised combinations, already written as the file shows them, go into
   a temporary table; ONE streaming statement joins the year's trajectories to it and writes every
   line: on PostgreSQL `COPY (SELECT ...) TO STDOUT (FORMAT csv)` (psycopg's `cursor.copy()`), on
   SQLite a plain cursor read in chunks and written with the csv module (core.spreadsheet).
   The statement checks k once more on what it reads: the two statements read the data at two
   moments, and a shown combination that lost persons in between is left out entirely rather than
   shown with fewer than k (the trailer counts the lines actually written). Inside `one_snapshot()`
   on PostgreSQL both statements read one snapshot (a REPEATABLE READ transaction on the primary):
   the stream reads exactly what the aggregate counted, so it does not check k again; and the year's
   lines are read from the tables once, into a temporary table dropped with the transaction
   (`Prepared.lines_table`), which the aggregate counts and the stream writes from.
3. The pseudonym is computed in that same pass: HMAC-SHA256 of "person:" + the stored person key
   (clients.linkage.keyed, research.pseudonym). On PostgreSQL the HMAC is built by hand with the
   built-in sha256(); its two padded keys (never PSEUDONYM_KEY itself) reach the server through
   `COPY ... FROM STDIN` into a temporary table, so neither the key nor the pads is ever in a SQL text
   or log. On SQLite a Python function registered on the connection holds the key.
4. The file ends with a trailer line, `# end of file;rows=N;sha256=HEX` (with the file's separator),
   where HEX is the SHA-256 of every byte before the trailer: a file cut short lacks it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import functools
import hashlib
import hmac
import io
import secrets
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear, Substr
from django.utils import translation
from psycopg import ClientCursor

from werkbrug.core import replica, spreadsheet
from werkbrug.reports import anonymity, research_codebook
from werkbrug.reports.anonymity import HIDDEN, QI, Combination
from werkbrug.reports.framework import Params
from werkbrug.reports.research import COLUMNS
from werkbrug.reports.yearly import active_in
from werkbrug.trajectories.models import Certainty, Economy, Outcome, OutcomeKind

# The k of the k-anonymity (a module attribute, so that tests of the columns can lower it).
K = anonymity.K
TRAILER_START = research_codebook.TRAILER_START
# Lines written to the response at a time (about 64 KB).
CHUNK_BYTES = 64 * 1024
FETCH_ROWS = 2000
SQLITE_PSEUDONYM = "werkbrug_research_pseudonym"
SQLITE_LOCAL_MONTH = "werkbrug_research_local_month"
# PostgreSQL's working memory for the aggregate statement only (SET LOCAL: this transaction).
AGGREGATE_WORK_MEM = "32MB"


@dataclass(frozen=True)
class Prepared:
    """What the aggregate statement and the k-anonymity decision found for a year."""

    year: int
    language: str
    # exact (birth year, gender code, sub-region name or "", benefit code) -> as shown
    shown: dict[QI, QI]
    lines: int  # the lines the file will hold
    k: int
    suppressed: int  # the lines left out for k-anonymity
    # The snapshot the aggregate read (`pg_current_snapshot()`), when it ran inside `one_snapshot()`:
    # a stream reading the same one need not check k again. Empty otherwise.
    snapshot: str = ""
    # Inside `one_snapshot()`: the temporary table (ON COMMIT DROP) holding the year's lines with
    # every column the stream writes, read by the aggregate and by the stream instead of the tables.
    lines_table: str = ""


def _birth_year() -> Any:
    """The client's birth year as an integer, natively: on SQLite Django's ExtractYear calls a Python
    function for every line."""
    if connection.vendor == "sqlite":
        return Cast(Substr("client__birth_date", 1, 4, output_field=CharField()), IntegerField())
    return Cast(ExtractYear("client__birth_date"), IntegerField())


def _trajectories(year: int, *, quasi_identifiers_only: bool = False) -> tuple[str, tuple[Any, ...]]:
    """The SQL of the year's trajectories, one line each, under x_ names; for the aggregate only the
    person and the quasi-identifiers (fewer joins). The Python reference reads them through
    reports.yearly.trajectories_in, which is `active_in` with the as-of type and lead organisation
    annotated (unused in the export, which shows the current ones) and the report filters (none)."""
    params = Params(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    quasi = {
        "x_id": F("pk"),
        "x_person": F("client__person_key"),
        "x_year": _birth_year(),
        "x_gender": F("client__gender"),
        "x_region": Coalesce(F("client__subregion__name"), Value("")),
        "x_benefit": F("client__benefit_status"),
    }
    fields = dict(quasi)
    if not quasi_identifiers_only:
        fields.update(
            x_ggz=F("client__ggz_contact"),
            x_type=F("type__code"),
            x_lead=F("lead_organisation__name"),
            x_lead_type=F("lead_organisation__org_type"),
            x_status=F("status"),
            x_started=F("started_on"),
            x_closed=F("closed_on"),
            x_close_reason=F("close_reason"),
            x_line=F("referral__line__name"),
            x_channel=F("referral__channel"),
            x_referred=F("referral__created_at"),
            x_referrer_type=F("referral__referring_organisation__org_type"),
        )
    sql, params_ = active_in(params).order_by().values(**fields).query.sql_with_params()
    return sql, tuple(params_)


# --- 1. the aggregate and the decision ----------------------------------------------------------------

AGGREGATE = """
WITH d AS {materialized} (
    SELECT x_year, x_gender, x_region, x_benefit, x_person, count(*) AS n
    FROM ({trajectories}) t GROUP BY x_year, x_gender, x_region, x_benefit, x_person
),
multi AS (SELECT x_person FROM d GROUP BY x_person HAVING count(*) > 1)
SELECT x_year, x_gender, x_region, x_benefit, sum(n) AS lines,
       sum(CASE WHEN x_person IN (SELECT x_person FROM multi) THEN 0 ELSE 1 END) AS persons, NULL AS shared
FROM d GROUP BY x_year, x_gender, x_region, x_benefit
UNION ALL
SELECT x_year, x_gender, x_region, x_benefit, 0, 0, x_person FROM d WHERE x_person IN (SELECT x_person FROM multi)
"""


def prepare(year: int) -> Prepared:
    """Count, per exact combination of the quasi-identifiers, its lines and persons (one statement),
    and decide from those counts what each is shown as (reports.anonymity.decide)."""
    trajectories, params = _trajectories(year, quasi_identifiers_only=True)
    lines: dict[QI, int] = defaultdict(int)
    persons: dict[QI, int] = defaultdict(int)
    shared: dict[QI, set[str]] = defaultdict(set)

    # The aggregate reads on the replica when there is a fresh one (core.replica). The streaming
    # statement stays on the primary: it needs temporary tables, which a hot standby refuses; it
    # checks k again on what it reads, so the two moments cannot show a smaller group.
    def aggregate() -> list[tuple[Any, ...]]:
        alias = replica.read_alias()
        source, source_params = trajectories, params
        # Only a transaction begun before (one_snapshot's) goes on after this one: its snapshot.
        outer = alias == DEFAULT_DB_ALIAS and connections[alias].in_atomic_block
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            # Inside one_snapshot (the primary, one REPEATABLE READ transaction) the year's lines are
            # read once, into a temporary table the stream reads too (_lines_table).
            snapshot[0] = _snapshot() if outer else ""
            if snapshot[0]:
                table[0], source_params = _lines_table(cursor, year), ()
                source = f"SELECT * FROM {table[0]}"  # noqa: S608 - our name
            if connections[alias].vendor == "postgresql":
                # Grouping a year's persons spills to disk at the default 4 MB: a fifth of its time.
                cursor.execute(f"SET LOCAL work_mem = '{AGGREGATE_WORK_MEM}'")
            cursor.execute(AGGREGATE.format(trajectories=source, materialized="MATERIALIZED"), source_params)
            found = list(cursor.fetchall())
            if connections[alias].vendor == "postgresql":
                # Inside one_snapshot the transaction goes on: the stream spends more with more memory.
                cursor.execute("RESET work_mem")
        return found

    snapshot, table = [""], [""]
    found, _source = replica.run_reports(aggregate)
    for born, gender, region, benefit, count, single, person in found:
        qi = (str(born), str(gender), str(region), str(benefit))
        lines[qi] += count
        persons[qi] += single
        if person is not None:
            shared[qi].add(person)
    combinations = {qi: Combination(lines[qi], persons[qi], frozenset(shared[qi])) for qi in lines}
    shown = anonymity.decide(combinations, K)
    kept = sum(lines[qi] for qi in shown)
    return Prepared(
        year=year,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        shown=shown,
        lines=kept,
        k=K,
        suppressed=sum(lines.values()) - kept,
        snapshot=snapshot[0],
        lines_table=table[0],
    )


def _lines_table(cursor: Any, year: int) -> str:
    """The year's lines, with every column the stream writes, into a temporary table dropped with the
    transaction (one_snapshot's); its name."""
    name = f"werkbrug_research_lines_{secrets.token_hex(6)}"
    sql, params = _trajectories(year)
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS {sql}", params)
    # Statistics on the columns the stream joins and sorts on only (all of them: five times the
    # time). Without them the planner takes the year's lines for a few thousand and sorts them all
    # on disk to merge-join them with the shown combinations, instead of hashing those.
    cursor.execute(f"ANALYZE {name} (x_id, x_year, x_gender, x_region, x_benefit)")
    return name


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """`prepare` and `stream` inside read one snapshot on PostgreSQL: a REPEATABLE READ transaction
    on the primary, so the stream reads what the aggregate counted and does not check k again.
    Anywhere else (SQLite, whose writers such a transaction would hold up; inside a transaction
    already begun) nothing changes, and the stream checks k again."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _snapshot() -> str:
    """The snapshot this connection's transaction reads, when every statement of it reads the same
    one (PostgreSQL, REPEATABLE READ); else empty."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('transaction_isolation'), pg_current_snapshot()::text")
        isolation, snapshot = cursor.fetchone()
    return str(snapshot) if isolation in ("repeatable read", "serializable") else ""


# --- 2. the streaming statement -----------------------------------------------------------------------


def _pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC's inner and outer padded keys (RFC 2104) for SHA-256, whose block is 64 bytes."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


class _Sql:
    """Builds the streaming statement for one engine. The constants (codes, labels) are written in
    the text as quoted literals: they come from the code and its translations, never from users,
    and the key never goes near it."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor

    @staticmethod
    def literal(value: str) -> str:
        # "%" is doubled: the statement is run with parameters (%s), on both engines.
        return "'" + value.replace("'", "''").replace("%", "%%") + "'"

    def safe(self, expression: str) -> str:
        """A text cell kept as text (core.spreadsheet.text_safe), empty as NULL."""
        starts = ", ".join(self.literal(start) for start in spreadsheet.FORMULA_START)
        return (
            f"NULLIF(CASE WHEN substr({expression}, 1, 1) IN ({starts}) "
            f"THEN {self.literal(chr(39))} || {expression} ELSE {expression} END, '')"
        )

    def labelled(self, expression: str, column: str) -> str:
        """A coded column as its label in the active language (research_codebook.translated)."""
        choices = research_codebook.CODED[column]
        whens = " ".join(
            f"WHEN {self.literal(code)} THEN {self.literal(spreadsheet.text_safe(str(label)))}"
            for code, label in choices.choices
        )
        return f"CASE {expression} {whens} ELSE {self.safe(expression)} END"

    def month(self, expression: str) -> str:
        if self.vendor == "postgresql":
            return f"to_char({expression}, 'YYYY-MM')"
        return f"substr({expression}, 1, 7)"

    def local_month(self, expression: str) -> str:
        """The month of a moment in the site's time zone (timezone.localtime)."""
        if self.vendor == "postgresql":
            return f"to_char({expression} AT TIME ZONE {self.literal(settings.TIME_ZONE)}, 'YYYY-MM')"
        return f"{SQLITE_LOCAL_MONTH}({expression})"

    def pseudonym(self, person: str) -> str:
        if self.vendor == "postgresql":
            inner = f"sha256(k.ipad || convert_to('person:' || {person}, 'UTF8'))"
            return f"substr(encode(sha256(k.opad || {inner}), 'hex'), 1, 24)"
        return f"{SQLITE_PSEUDONYM}({person})"

    def outcomes(self) -> str:
        """The year's outcome kinds of the line, sorted by code, as their labels joined by "; "."""
        labels = research_codebook._labels()["outcomes"]
        parts = " || ".join(
            f"CASE WHEN o.k_{index} = 1 THEN {self.literal(research_codebook.OUTCOME_SEPARATOR + ' ' + labels.get(code, code))} ELSE '' END"
            for index, code in enumerate(sorted(OutcomeKind.values))
        )
        return self.safe(f"substr({parts}, 3)")


def _statement(
    prepared: Prepared,
    vendor: str,
    qi_table: str,
    key_table: str,
    *,
    recheck: bool = True,
    lines_table: str = "",
) -> tuple[str, list[Any]]:
    """The one statement that writes every line of the file, in the reader's language. `recheck`:
    leave out a shown combination that has fewer than k persons now (the data read at another moment
    than the aggregate's). `lines_table`: the year's lines as the aggregate read them (same snapshot)."""
    q = _Sql(vendor)
    if lines_table:
        trajectories, trajectory_params = f"SELECT * FROM {lines_table}", ()  # noqa: S608 - our name
    else:
        trajectories, trajectory_params = _trajectories(prepared.year)
    kinds = sorted(OutcomeKind.values)
    outcome = Outcome._meta.db_table
    start, end = datetime.date(prepared.year, 1, 1), datetime.date(prepared.year, 12, 31)
    flags = ", ".join(
        f"max(CASE WHEN o.kind = {q.literal(kind)} THEN 1 ELSE 0 END) AS k_{index}"
        for index, kind in enumerate(kinds)
    )
    paid = q.literal(OutcomeKind.PAID_WORK)
    paid_again = q.literal(OutcomeKind.PAID_WORK)
    nec, verified = q.literal(Economy.NEC), q.literal(Certainty.VERIFIED)
    # The year's outcomes of every trajectory, joined to the lines by id: a hash join over one range
    # of the outcome table. (Asking for the outcomes of each line's trajectory instead, `IN (SELECT
    # x_id FROM t)`, made PostgreSQL probe the outcome index once per line: a fifth of the export.)
    outcomes_cte = f"""
        o AS (
            SELECT o.trajectory_id AS id, {flags},
                   min(CASE WHEN o.kind = {paid} THEN o."on" END) AS paid_on,
                   max(CASE WHEN o.kind = {paid_again} AND o.economy = {nec} AND o.certainty = {verified}
                            THEN 1 ELSE 0 END) AS nec
            FROM {outcome} o
            WHERE o."on" BETWEEN %s AND %s
            GROUP BY o.trajectory_id
        )"""  # noqa: S608 - codes and labels from the code, quoted (_Sql.literal)
    columns = {
        "person": q.pseudonym("t.x_person"),
        "birth_year": "m.s_year",
        "gender": "m.s_gender",
        "subregion": "m.s_region",
        "ggz_contact": "CASE WHEN t.x_ggz THEN 1 ELSE 0 END",
        "benefit_status": "m.s_benefit",
        "trajectory": "row_number() OVER (ORDER BY t.x_id)",
        "trajectory_type": q.safe("t.x_type"),
        "lead_organisation": q.safe("t.x_lead"),
        "lead_organisation_type": q.labelled("t.x_lead_type", "lead_organisation_type"),
        "status": q.labelled("t.x_status", "status"),
        "started_month": q.month("t.x_started"),
        "closed_month": q.month("t.x_closed"),
        "close_reason": q.labelled("t.x_close_reason", "close_reason"),
        "referral_line": q.safe("t.x_line"),
        "referral_channel": q.labelled("t.x_channel", "referral_channel"),
        "referral_month": q.local_month("t.x_referred"),
        "referring_organisation_type": q.labelled("t.x_referrer_type", "referring_organisation_type"),
        "paid_work_month": q.month("o.paid_on"),
        "paid_work_nec_verified": "COALESCE(o.nec, 0)",
        "outcomes": q.outcomes(),
    }
    if tuple(columns) != COLUMNS:
        raise AssertionError("the statement's columns must be research.COLUMNS")
    key_join = f"CROSS JOIN {key_table} k" if vendor == "postgresql" else ""
    kept = f""",
        kept AS (
            SELECT m.class FROM t
            JOIN {qi_table} m ON m.x_year = t.x_year AND m.x_gender = t.x_gender AND m.x_region = t.x_region
                             AND m.x_benefit = t.x_benefit
            GROUP BY m.class HAVING count(DISTINCT t.x_person) >= {int(prepared.k)}
        )"""  # noqa: S608 - table names made here, k an int
    sql = f"""
        WITH t AS ({trajectories}),{outcomes_cte}{kept if recheck else ""}
        SELECT {", ".join(columns.values())}
        FROM t
        JOIN {qi_table} m ON m.x_year = t.x_year AND m.x_gender = t.x_gender AND m.x_region = t.x_region
                         AND m.x_benefit = t.x_benefit
        LEFT JOIN o ON o.id = t.x_id
        {key_join}
        {"WHERE m.class IN (SELECT class FROM kept)" if recheck else ""}
        ORDER BY t.x_id"""  # noqa: S608 - codes and labels from the code, quoted (_Sql.literal)
    return sql, [*trajectory_params, *_dates(start, end)]


def _dates(*days: datetime.date) -> list[Any]:
    """Dates as the engine's backend writes them (SQLite stores ISO text)."""
    return [connection.ops.adapt_datefield_value(day) for day in days]


def _shown_rows(prepared: Prepared) -> list[tuple[Any, ...]]:
    """The temporary table's rows: each exact combination that is shown, with its four cells as the
    file writes them (labels in the reader's language, formula-safe, empty as NULL)."""
    labels = research_codebook._labels()

    def cell(value: str, column: str | None = None) -> str | None:
        if column is not None and value not in ("", HIDDEN):
            value = labels[column].get(value, value)
        return spreadsheet.text_safe(value) or None

    classes: dict[QI, int] = {}
    return [
        (
            classes.setdefault(shown, len(classes)),
            int(exact[0]),
            exact[1],
            exact[2],
            exact[3],
            cell(shown[0]),
            cell(shown[1], "gender"),
            cell(shown[2]),
            cell(shown[3], "benefit_status"),
        )
        for exact, shown in prepared.shown.items()
    ]


# One line per exact combination shown; `class` numbers the combinations they are shown as.
QI_TABLE = """CREATE TEMPORARY TABLE {name} (
    class integer, x_year integer, x_gender varchar(50), x_region varchar(200), x_benefit varchar(50),
    s_year varchar(20), s_gender varchar(200), s_region varchar(200), s_benefit varchar(200))"""


def _existing(table: str) -> str:
    """The temporary table's name if this transaction still has it (an equal snapshot may be another,
    idle, transaction's); else empty."""
    if not table:
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        return table if cursor.fetchone()[0] else ""


class _Writer:
    """Collects the file's bytes into chunks and hashes them for the trailer."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.buffer = bytearray()

    def add(self, data: bytes) -> bytes | None:
        self.buffer += data
        if len(self.buffer) < CHUNK_BYTES:
            return None
        return self.take()

    def take(self) -> bytes:
        chunk = bytes(self.buffer)
        self.buffer.clear()
        self.digest.update(chunk)
        return chunk


def trailer(rows: int, digest: str, delimiter: str) -> str:
    return f"{TRAILER_START}{delimiter}rows={rows}{delimiter}sha256={digest}\r\n"


def stream(prepared: Prepared, on_rows: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The file: BOM and headers, the lines from the one statement, then the trailer. `on_rows(n)`
    hears the lines written so far after each batch (the background job's progress)."""
    with translation.override(prepared.language):
        header = spreadsheet.csv_text([research_codebook.headers(COLUMNS)]).encode()
        delimiter = ";" if spreadsheet.uses_decimal_comma() else ","
        suffix = secrets.token_hex(6)
        qi_table, key_table = f"werkbrug_research_qi_{suffix}", f"werkbrug_research_key_{suffix}"
        # The aggregate's own snapshot (one_snapshot): nobody can have lost persons since.
        recheck = not prepared.snapshot or _snapshot() != prepared.snapshot
        lines_table = "" if recheck else _existing(prepared.lines_table)
        sql, params = _statement(
            prepared, connection.vendor, qi_table, key_table, recheck=recheck, lines_table=lines_table
        )
    writer = _Writer()
    chunk = writer.add(header)
    if chunk:
        yield chunk
    rows = 0
    read = _postgresql if connection.vendor == "postgresql" else _sqlite
    for data, count in read(prepared, sql, params, qi_table, key_table, delimiter):
        rows += count
        if on_rows is not None:
            on_rows(rows)
        chunk = writer.add(data)
        if chunk:
            yield chunk
    yield writer.take()
    yield trailer(rows, writer.digest.hexdigest(), delimiter).encode()


def _postgresql(
    prepared: Prepared, sql: str, params: list[Any], qi_table: str, key_table: str, delimiter: str
) -> Iterator[tuple[bytes, int]]:
    """The lines, in batches with their number."""
    ipad, opad = _pads(settings.PSEUDONYM_KEY.encode())
    with connection.cursor() as cursor:
        try:
            cursor.execute(QI_TABLE.format(name=qi_table))
            with cursor.copy(f"COPY {qi_table} FROM STDIN") as copy:
                for row in _shown_rows(prepared):
                    copy.write_row(row)
            # A temporary table has no statistics until analysed: without them the planner takes the
            # thousands of shown combinations for one and picks nested loops over the year's lines.
            cursor.execute(f"ANALYZE {qi_table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {key_table} (ipad bytea, opad bytea)")
            with cursor.copy(f"COPY {key_table} FROM STDIN") as copy:
                copy.write_row((ipad, opad))
            # FORMAT csv writes NULL as an empty cell and quotes like the csv module; each row read is
            # one line, ended by "\n", which the file ends with "\r\n" as core.spreadsheet does.
            # COPY takes no parameters: a client-side cursor writes them in (dates only); the
            # connection's own cursors bind on the server (settings, prepared statements).
            query = ClientCursor(cursor.connection).mogrify(sql, params)
            with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, DELIMITER '{delimiter}')") as copy:
                lines: list[bytes] = []
                for data in copy:
                    line = bytes(data)
                    lines.append(line[:-1] + b"\r\n" if line.endswith(b"\n") else line)
                    if len(lines) == FETCH_ROWS:
                        yield b"".join(lines), len(lines)
                        lines = []
                yield b"".join(lines), len(lines)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {qi_table}")
            cursor.execute(f"DROP TABLE IF EXISTS {key_table}")


@functools.lru_cache(maxsize=4096)
def _local_month_of_hour(hour: str, zone: str) -> str:
    """The local month of a UTC hour ("2025-04-30 22"): Belgium's offsets are whole hours."""
    moment = datetime.datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=datetime.UTC)
    return f"{moment.astimezone(zoneinfo.ZoneInfo(zone)):%Y-%m}"


def _local_month(value: str | None) -> str | None:
    """SQLite stores a moment as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]"."""
    if value is None:
        return None
    return _local_month_of_hour(value[:13], settings.TIME_ZONE)


def _register_sqlite_functions() -> None:
    """The pseudonym and the local month as functions on this SQLite connection; the key stays in
    Python (research.pseudonym's computation, clients.linkage.keyed)."""
    keyed = hmac.new(settings.PSEUDONYM_KEY.encode(), b"person:", hashlib.sha256)

    def pseudonym(person_key: str) -> str:
        mac = keyed.copy()
        mac.update(person_key.encode())
        return mac.hexdigest()[:24]

    connection.ensure_connection()
    raw = connection.connection
    raw.create_function(SQLITE_PSEUDONYM, 1, pseudonym, deterministic=True)
    raw.create_function(SQLITE_LOCAL_MONTH, 1, _local_month, deterministic=True)


def _sqlite(
    prepared: Prepared, sql: str, params: list[Any], qi_table: str, key_table: str, delimiter: str
) -> Iterator[tuple[bytes, int]]:
    """The lines, in batches with their number; None is written as an empty cell by the csv module."""
    _register_sqlite_functions()
    out = io.StringIO()
    csv_writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    with connection.cursor() as cursor:
        try:
            cursor.execute(QI_TABLE.format(name=qi_table))
            cursor.executemany(
                f"INSERT INTO {qi_table} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608 - our name
                _shown_rows(prepared),
            )
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(FETCH_ROWS):
                csv_writer.writerows(batch)
                yield out.getvalue().encode(), len(batch)
                out.seek(0)
                out.truncate()
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {qi_table}")
