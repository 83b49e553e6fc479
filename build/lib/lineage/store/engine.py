"""Opening a database: URLs, SQLite pragmas, and the dialect seam.

Everything engine-specific lives here: how a write transaction takes its lock,
and how SQLite is tuned. The rest of the store speaks portable SQL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from lineage.errors import StoreError

DEFAULT_DB = "lineage.db"
BUSY_TIMEOUT_MS = 30_000
PG_WRITE_LOCK = 0x6C696E65  # "line"


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


def _begin_sqlite(connection: Connection) -> None:
    write = connection.get_execution_options().get("lineage_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for `url`; raises StoreError when the URL is unusable."""
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
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise StoreError(f"cannot open database {url!r}: {error}") from None
    return engine


@contextmanager
def write_transaction(
    engine: Engine, after: list[Callable[[Connection], None]] | None = None
) -> Iterator[Connection]:
    """A transaction that holds the store's write lock until it commits or rolls back.

    Writers queue here (SQLite's busy timeout, PostgreSQL's table lock), so the
    ledger gets exactly one next entry per transaction. Callables added to `after`
    during the transaction run on its connection once it has ended, either way.
    """
    with engine.connect() as connection:
        connection = connection.execution_options(lineage_write=True)
        try:
            with connection.begin():
                if engine.dialect.name == "postgresql":
                    # A transaction-scoped advisory lock: works before the tables exist.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
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
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
        if style == "qmark":
            names = _NAMED.findall(sql)
            cursor.execute(_NAMED.sub("?", sql), tuple(params[n] for n in names))
        else:
            cursor.execute(_NAMED.sub(r"%(\1)s", sql), params)
        rows = list(cursor.fetchall())
        if planned:
            cursor.execute("SET LOCAL enable_hashjoin = DEFAULT")
            cursor.execute("SET LOCAL enable_mergejoin = DEFAULT")
        return rows
    except driver_error as error:
        # Raised as SQLAlchemy would have: callers handle one family of errors.
        raise DBAPIError.instance(
            sql, params, error, driver_error, dialect=connection.dialect
        ) from None
    finally:
        cursor.close()


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


def is_postgresql(engine: Engine) -> bool:
    """True when the store lives on PostgreSQL."""
    return engine.dialect.name == "postgresql"
