"""Opening a database: URLs, SQLite pragmas, and the dialect seam.

Everything engine-specific lives here: how a write transaction takes its lock,
and how SQLite is tuned. The rest of the store speaks portable SQL.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from lineage.errors import StoreError

log = logging.getLogger(__name__)

DEFAULT_DB = "lineage.db"
BUSY_TIMEOUT_MS = 30_000  # any statement but a writer's BEGIN, which waits as below
LOCK_SLICE_MS = 1_000  # a waiting writer retries BEGIN IMMEDIATE this often
LOCK_TIMEOUT_ENV = "LINEAGE_LOCK_TIMEOUT"
WAITING = "waiting for another writer…"
PG_WRITE_LOCK = 0x6C696E65  # "line"
SUPPORTED = "sqlite and postgresql+psycopg"


def resolve_url(target: str | None) -> str:
    """Turn `--db`/`$LINEAGE_DB`/a plain path into an SQLAlchemy URL."""
    target = target or os.environ.get("LINEAGE_DB") or DEFAULT_DB
    if "://" in target:
        return target
    return f"sqlite:///{target}"


def sqlite_path(url: str) -> str | None:
    """The file behind a SQLite URL, or None for other engines and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    return database if database and database != ":memory:" else None


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to us: pysqlite's implicit BEGIN would be DEFERRED,
    # and a deferred writer that later needs the lock fails instead of waiting.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: index builds and closures stay in memory
    cursor.close()


def lock_timeout_from(value: float | None) -> float | None:
    """How long a writer waits for the write lock: `value` seconds, else
    $LINEAGE_LOCK_TIMEOUT, else as long as it takes (None). StoreError if invalid."""
    where = "lock_timeout"
    if value is None:
        text = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
        if not text:
            return None
        where = f"${LOCK_TIMEOUT_ENV}"
        try:
            value = float(text)
        except ValueError:
            raise StoreError(f"{where}: {text[:40]!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise StoreError(f"{where}: {value!r} is not a number of seconds (0 or more)")
    return value


def _gave_up(lock_timeout: float) -> StoreError:
    return StoreError(
        f"gave up waiting for another writer after {lock_timeout:g} s (the lock timeout, "
        f"${LOCK_TIMEOUT_ENV}); nothing was written"
    )


def _is_busy(error: sqlite3.OperationalError) -> bool:
    name = getattr(error, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(error)


def _begin_sqlite(connection: Connection) -> None:
    """The `begin` event of a SQLite engine: writers queue for the write lock.

    A writer takes the lock up front (BEGIN IMMEDIATE): a deferred one that later
    needs it fails instead of waiting. SQLite's busy timeout bounds one attempt; a
    long import holds the lock far longer, so the attempt is repeated, saying once
    that it waits, until the lock is free or the lock timeout has passed.
    """
    options = connection.get_execution_options()
    if not options.get("lineage_write", False):
        connection.exec_driver_sql("BEGIN")
        return
    lock_timeout: float | None = options.get("lineage_lock_timeout")
    raw = connection.connection.dbapi_connection
    assert raw is not None
    started = time.monotonic()
    waiting = False
    try:
        while True:
            waited = time.monotonic() - started
            slice_ms = LOCK_SLICE_MS
            if lock_timeout is not None:
                if waiting and waited >= lock_timeout:
                    raise _gave_up(lock_timeout)
                slice_ms = max(0, min(slice_ms, int((lock_timeout - waited) * 1000)))
            raw.execute(f"PRAGMA busy_timeout = {slice_ms}")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                break
            except OperationalError as error:
                if not isinstance(error.orig, sqlite3.OperationalError) or not _is_busy(error.orig):
                    raise
            if not waiting:
                waiting = True
                log.warning(WAITING)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if waiting:
        log.info("got the write lock after %.1f s", time.monotonic() - started)


def _lock_postgresql(connection: Connection, lock_timeout: float | None) -> None:
    """Take the store's advisory write lock, saying so when another writer holds it."""
    taken = connection.exec_driver_sql(
        f"SELECT pg_try_advisory_xact_lock({PG_WRITE_LOCK})"
    ).scalar()
    if taken:
        return
    log.warning(WAITING)
    started = time.monotonic()
    if lock_timeout is not None:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(lock_timeout * 1000))}")
    try:
        # A transaction-scoped advisory lock: works before the tables exist.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == "55P03":  # lock_not_available
            assert lock_timeout is not None
            raise _gave_up(lock_timeout) from None
        raise
    if lock_timeout is not None:
        connection.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")
    log.info("got the write lock after %.1f s", time.monotonic() - started)


def make_engine(url: str, lock_timeout: float | None = None) -> Engine:
    """Create an engine for `url`; raises StoreError when the URL is unusable.

    Its writers wait for one another for up to `lock_timeout` seconds (None: as
    long as it takes, see `lock_timeout_from`).
    """
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            engine = create_engine(
                url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
            )
            event.listen(engine, "connect", _tune_sqlite)
            event.listen(engine, "begin", _begin_sqlite)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        engine = engine.execution_options(lineage_lock_timeout=lock_timeout)
    except NoSuchModuleError:
        raise StoreError(_no_driver(url, "unknown dialect")) from None
    except ImportError as error:
        # SQLAlchemy knows the dialect but its DBAPI module is not installed
        # (mysql://, oracle://, mssql+pyodbc://...): one line, not the import traceback.
        raise StoreError(_no_driver(url, f"{error.name or error} is not installed")) from None
    except (ArgumentError, ValueError) as error:
        raise StoreError(f"cannot open database {url!r}: {error}") from None
    return engine


def _no_driver(url: str, reason: str) -> str:
    scheme = url.split("://", 1)[0]
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        shown = f"{scheme}://..."
    return (
        f"cannot open database {shown!r}: no driver for {scheme}: {reason}; "
        f"lineage supports {SUPPORTED}"
    )


@contextmanager
def write_transaction(
    engine: Engine, after: list[Callable[[Connection], None]] | None = None
) -> Iterator[Connection]:
    """A transaction that holds the store's write lock until it commits or rolls back.

    Writers queue here (SQLite's write lock, PostgreSQL's advisory lock) for as
    long as the engine's lock timeout allows, so the ledger gets exactly one next
    entry per transaction. Callables added to `after` during the transaction run
    on its connection once it has ended, either way.
    """
    with engine.connect() as connection:
        connection = connection.execution_options(lineage_write=True)
        try:
            with connection.begin():
                if engine.dialect.name == "postgresql":
                    timeout = connection.get_execution_options().get("lineage_lock_timeout")
                    _lock_postgresql(connection, timeout)
                yield connection
        finally:
            for cleanup in after or ():
                cleanup(connection)


_NAMED = re.compile(r":([a-z_]+)\b")


def fetch_rows(
    connection: Connection, sql: str, params: dict[str, Any], *, traversal: bool = False
) -> list[tuple[Any, ...]]:
    """Run `sql` (with :name parameters) on the DBAPI cursor and return plain tuples.

    Closure queries return hundreds of thousands of rows; SQLAlchemy's Row objects
    would cost more than the query itself, so large reads take this path.
    `traversal` marks a recursive closure query (see below).
    """
    style = connection.dialect.paramstyle
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    planned = traversal and connection.dialect.name == "postgresql"
    driver_error: type[Exception] = connection.dialect.loaded_dbapi.Error
    try:
        if planned:
            # PostgreSQL cannot estimate a recursive CTE's size, and joins its result to
            # `node` by hashing the whole table: 200 ms for a 35-record downstream of a
            # 1M-record store. Index lookups cost 1 ms there and keep large closures
            # within the raw query's time (bench/bench_store.py). Scoped to this
            # query: a snapshot (`Database.snapshot`) runs other queries after it.
            # Two statements, one round trip (no parameters: psycopg sends them as one).
            cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
        if style == "qmark":
            names = _NAMED.findall(sql)
            cursor.execute(_NAMED.sub("?", sql), tuple(params[n] for n in names))
        else:
            cursor.execute(_NAMED.sub(r"%(\1)s", sql), params)
        # The driver's own list of its own tuples: copying either costs a closure dearly.
        rows = cast(list[tuple[Any, ...]], cursor.fetchall())
        if planned:
            cursor.execute(
                "SET LOCAL enable_hashjoin = DEFAULT; SET LOCAL enable_mergejoin = DEFAULT"
            )
        return rows
    except driver_error as error:
        # Raised as SQLAlchemy would have: callers handle one family of errors.
        raise DBAPIError.instance(
            sql, params, error, driver_error, dialect=connection.dialect
        ) from None
    finally:
        cursor.close()


def json_array(connection: Connection, expressions: list[str]) -> str:
    """SQL for the JSON array text of `expressions` (SQL NULL as null), made by the
    database: one column where the driver would otherwise hand over one per value.
    Floating-point values are rounded there (SQLite writes 15 digits)."""
    listed = ", ".join(expressions)
    if connection.dialect.name == "postgresql":
        return f"CAST(json_build_array({listed}) AS TEXT)"  # at most 100 arguments
    return f"json_array({listed})"


# SQLSTATEs of a statement naming a table or column that is not there.
_UNDEFINED = frozenset({"42P01", "42703"})


def missing_schema(error: DBAPIError) -> bool:
    """True when `error` says a table or column of the store is missing (dropped or
    altered behind the tool's back), rather than any other database failure."""
    orig = error.orig
    if getattr(orig, "sqlstate", None) in _UNDEFINED:
        return True
    text = str(orig)
    return isinstance(error, OperationalError) and text.startswith(
        ("no such table", "no such column")
    )


def foreign_value(error: DBAPIError) -> bool:
    """True when `error` says a row holds a value of a type lineage never writes (SQLite
    lets any column hold a BLOB: a row edited behind the tool's back)."""
    return isinstance(error, OperationalError) and "cannot hold BLOB" in str(error.orig)


def is_postgresql(engine: Engine) -> bool:
    """True when the store lives on PostgreSQL."""
    return engine.dialect.name == "postgresql"
