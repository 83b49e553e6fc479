"""A lineage database: its engine, schema check, and the lookups every layer needs."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError, OperationalError

from lineage.errors import AmbiguousName, StoreError, UnknownNode
from lineage.store.aliases import earlier_names, record_of_alias
from lineage.store.engine import (
    foreign_value,
    is_postgresql,
    lock_timeout_from,
    make_engine,
    missing_schema,
    resolve_url,
    sqlite_path,
    write_transaction,
)
from lineage.store.ledger import ledger_time
from lineage.store.migrations import SCHEMA_VERSION, current_version, migrate
from lineage.store.pending import Batch, WriteResult
from lineage.store.staging import sweep_scratch_files
from lineage.store.tables import LEDGER, NODE
from lineage.store.write import Writer, commit, writer
from lineage.vocabulary import KINDS


def split_ref(text: str) -> tuple[str | None, str]:
    """'model:foo' -> ('model', 'foo'); 'foo' -> (None, 'foo')."""
    prefix, sep, rest = text.partition(":")
    if sep and prefix in KINDS and rest:
        return prefix, rest
    return None, text


def _named(connection: Connection, kind: str | None, name: str) -> list[Any]:
    """The first versions of the records called `name` (of `kind`, when given)."""
    query = select(NODE.c.id, NODE.c.kind, NODE.c.name).where(
        NODE.c.version == 1, NODE.c.name == name
    )
    if kind:
        query = query.where(NODE.c.kind == kind)
    return list(connection.execute(query).all())


class Database:
    """An open lineage database. Use `open_database`, or `lineage.open_store` above."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        # The snapshot this thread is reading in (see `snapshot`), if any.
        self._pinned = threading.local()
        # Ledger entries written through this object: what a caller asks to tell "recorded"
        # from "already recorded" (the ledger's length would count other writers too).
        self.writes = 0

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: every statement on it sees one state of the store.

        Inside `snapshot`, the snapshot's own transaction.
        """
        pinned: Connection | None = getattr(self._pinned, "connection", None)
        if pinned is not None:
            yield pinned
            return
        with self._consistent_read() as connection:
            yield connection

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """One read transaction for a whole block: every `read()` on this thread inside
        it sees the same state of the store, whatever writers commit meanwhile.

        A reading that takes several reads (the ledger, then the rows; a report's
        graph, approvals and head hash) must take them in one snapshot, or a commit
        between two of them makes them disagree. Nested snapshots share the outer one.
        Writes inside the block go through their own transaction and are not seen by
        the block's reads.
        """
        pinned: Connection | None = getattr(self._pinned, "connection", None)
        if pinned is not None:
            yield pinned
            return
        with self._consistent_read() as connection:
            self._pinned.connection = connection
            try:
                yield connection
            finally:
                self._pinned.connection = None

    @contextmanager
    def _consistent_read(self) -> Iterator[Connection]:
        try:
            with self._read_transaction() as connection:
                yield connection
        except DBAPIError as error:
            reason = next(iter(str(error.orig).strip().splitlines()), "")
            if missing_schema(error):
                raise StoreError(
                    f"the store at {self.display_url} is unreadable: {reason} "
                    "(its tables were altered outside lineage)"
                ) from None
            if foreign_value(error):
                raise StoreError(
                    f"the store at {self.display_url} holds a value lineage never writes: "
                    f"{reason} (a row was edited outside lineage; 'lineage audit verify' "
                    "names it)"
                ) from None
            raise

    @contextmanager
    def _read_transaction(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            if is_postgresql(self.engine):
                # PostgreSQL's default, READ COMMITTED, gives each statement its own
                # snapshot: a ledger read and a row read around a commit disagree, and
                # `audit verify` cried tampering (issue 18). REPEATABLE READ holds the
                # first statement's snapshot to the end; read-only, it never fails to
                # serialise. Writers commit one at a time (the advisory lock), so every
                # snapshot is a prefix of the ledger: SERIALIZABLE would add nothing.
                # The options are reset when the connection goes back to the pool.
                connection = connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            # SQLite: a read transaction (deferred BEGIN, see `engine`) keeps the WAL
            # snapshot of its first read until it ends.
            with connection.begin():
                yield connection

    def commit(self, batch: Batch) -> WriteResult:
        """Write a batch through the one write path (see `lineage.store.write`)."""
        try:
            result = commit(self.engine, batch)
        except OperationalError as error:
            raise StoreError(f"cannot write to {self.display_url}: {error.orig}") from None
        self.writes += result.ledger_seq is not None
        return result

    @contextmanager
    def writer(self, operation: str, expected_rows: int = 0) -> Iterator[Writer]:
        """Stream records into one transaction (see `lineage.store.write.writer`)."""
        try:
            with writer(self.engine, operation, expected_rows) as sink:
                yield sink
            self.writes += sink.result.ledger_seq is not None
        except OperationalError as error:
            raise StoreError(f"cannot write to {self.display_url}: {error.orig}") from None

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    def resolve(self, connection: Connection, ref: str) -> tuple[int, str, str]:
        """Find the record named `ref` ('name' or 'kind:name'): (node id, kind, name).

        Another name of a record (an OpenLineage symlink, a table's storage path) finds
        the record, and so does the URI of a dataset recorded under its name of before
        schema 6 (`file:///data/x` finds `file//data/x`).
        """
        kind, name = split_ref(ref)
        rows = _named(connection, kind, name)
        if not rows:
            found = record_of_alias(connection, name, kind)
            if found is not None:
                return found
            rows = next((r for n in earlier_names(name) if (r := _named(connection, kind, n))), [])
        if not rows:
            raise UnknownNode(f"{ref!r} is not recorded (see 'lineage list')")
        if len(rows) > 1:
            options = " or ".join(f"{r.kind}:{r.name}" for r in rows)
            raise AmbiguousName(f"{ref!r} names more than one record: write {options}")
        row = rows[0]
        return row.id, row.kind, row.name

    def tx_bound(self, connection: Connection, as_of: datetime | None) -> int | None:
        """The last ledger transaction recorded at or before `as_of` (None: no bound)."""
        if as_of is None:
            return None
        stamp = ledger_time(as_of)  # times without a zone are UTC, as everywhere
        bound = connection.execute(
            select(func.max(LEDGER.c.seq)).where(LEDGER.c.recorded_at <= stamp)
        ).scalar()
        return int(bound) if bound is not None else 0

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()


def open_database(
    target: str | None = None, *, create: bool = True, lock_timeout: float | None = None
) -> Database:
    """Open (and with `create`, initialise or migrate) the store at `target`.

    `target` is an SQLAlchemy URL or a file path; None means `$LINEAGE_DB` or
    ./lineage.db. Raises StoreError when it cannot be opened, has no store and
    `create` is false, or was made by a newer lineage. Writers wait for each other
    up to `lock_timeout` seconds (default $LINEAGE_LOCK_TIMEOUT, else without limit).
    """
    url = resolve_url(target)
    path = sqlite_path(url)
    if path is not None:
        if not create and not os.path.exists(path):
            raise StoreError(f"no lineage store at {path!r}: run 'lineage init' first")
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise StoreError(f"cannot open database {path!r}: folder {folder!r} does not exist")
        # Bulk imports into SQLite stores stopped with SIGKILL leave their scratch files.
        sweep_scratch_files()
    engine = make_engine(url, lock_timeout_from(lock_timeout))
    database = Database(engine, url)
    try:
        with engine.connect() as connection:
            try:
                version = current_version(connection)
            except StoreError as error:
                raise StoreError(f"cannot open database {database.display_url}: {error}") from None
            connection.rollback()
        if version == 0 and not create:
            raise StoreError(f"{database.display_url} holds no lineage store: run 'lineage init'")
        if version != SCHEMA_VERSION:
            with write_transaction(engine) as connection:
                migrate(connection)
    except (OperationalError, DBAPIError) as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreError(f"cannot open database {database.display_url}: {reason}") from None
    except StoreError:
        engine.dispose()
        raise
    return database
