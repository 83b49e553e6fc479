"""A first bulk import into an empty SQLite store, loaded on a second core.

Preparing a row (validating it, resolving its names, sealing it) and inserting
it both hold Python's GIL: sqlite3's `executemany` binds every parameter under
it. A loader thread therefore runs beside the preparing thread, not with it
(measured: CPU time equals wall time). So a child process does the inserting
instead: the rows go to it as JSON over a pipe, and it writes them into a
scratch SQLite file (`staging_worker.py`) while this process prepares the next
ones. When every row is prepared, the store copies the scratch tables in one
`INSERT ... SELECT` each, in C and about ten times faster than `executemany`,
inside the store's own transaction. The scratch file is only a copy: nothing
reaches the store except through that transaction, which commits whole or not
at all, and the file is deleted either way.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import orjson
from sqlalchemy import Connection

from lineage.errors import StoreError

WORKER = Path(__file__).with_name("staging_worker.py")
SCHEMA = "lineage_staging"
_LENGTH = struct.Struct("<I")
_QUEUED_FRAMES = 16  # chunks of 20,000 rows waiting for the child: ~100 MB at most


class StagedLoader:
    """Streams rows to the staging child; `copy_into` moves them into the store.

    Raises OSError when the scratch file or the child cannot be made (the caller
    then writes the rows itself).
    """

    def __init__(self, tables: dict[str, Sequence[str]]) -> None:
        self.tables = {table: [*columns, "seal"] for table, columns in tables.items()}
        handle, self.path = tempfile.mkstemp(prefix="lineage-staging-", suffix=".db")
        os.close(handle)
        self.attached = False
        try:
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, str(WORKER), self.path],
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:
            Path(self.path).unlink(missing_ok=True)
            raise
        # A pipe holds 64 KiB: written from this thread, every chunk would wait while
        # the child inserts the previous one. A sender thread waits instead (without
        # the GIL); the bounded queue keeps memory in check if the child falls behind.
        self.frames: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED_FRAMES)
        self.broken = False
        self.sender = threading.Thread(target=self._send_frames, name="lineage-staging")
        self.sender.start()
        for table, columns in self.tables.items():
            self._send(["create", table, columns])

    @staticmethod
    def available(database: str | None) -> bool:
        """True when a store at `database` (a SQLite file, or None) can load this way."""
        return database is not None and bool(sys.executable)

    def _stdin(self) -> IO[bytes]:
        assert self.process is not None and self.process.stdin is not None
        return self.process.stdin

    def _send(self, frame: list[Any]) -> None:
        if self.broken:
            self._failed()
        payload = orjson.dumps(frame)
        self.frames.put(_LENGTH.pack(len(payload)) + payload)

    def _send_frames(self) -> None:
        stdin = self._stdin()
        try:
            while (frame := self.frames.get()) is not None:
                if not self.broken:
                    stdin.write(frame)
        except OSError:  # the child died: say so at the next frame or at the end
            self.broken = True
            while self.frames.get() is not None:
                pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _stop_sending(self) -> None:
        if self.sender.is_alive():
            self.frames.put(None)
            self.sender.join()

    def load(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        """Send `rows` (every column of `table`, then the seal) to the child."""
        if rows:
            self._send(["rows", table, rows])

    def _failed(self) -> None:
        process = self.process
        assert process is not None
        process.kill()
        errors = self._reap()
        reason = errors.strip().splitlines()
        raise StoreError(
            "the bulk loader stopped: " + (reason[-1] if reason else f"exit {process.returncode}")
        )

    def copy_into(self, connection: Connection) -> None:
        """Wait for the child, then copy its tables into the store within `connection`'s
        transaction (tables in the order given, so relations follow their records)."""
        self._stop_sending()
        assert self.process is not None
        if self.process.wait() != 0:
            self._failed()
        self._reap()
        connection.exec_driver_sql(f"ATTACH DATABASE ? AS {SCHEMA}", (self.path,))
        self.attached = True
        for table, columns in self.tables.items():
            names = ", ".join(columns)
            connection.exec_driver_sql(
                f"INSERT INTO main.{table} ({names}) SELECT {names} FROM {SCHEMA}.{table} "
                "ORDER BY rowid"
            )

    def close(self) -> None:
        """Stop the child if it still runs (the transaction failed)."""
        if self.process is not None:
            self.process.kill()
            self._reap()

    def _reap(self) -> str:
        """Wait for the stopped child; return what it said on stderr."""
        process = self.process
        assert process is not None and process.stderr is not None
        self._stop_sending()
        errors = process.stderr.read().decode(errors="replace")
        process.stderr.close()
        process.wait()
        self.process = None
        return errors

    def release(self, connection: Connection) -> None:
        """After the transaction ended: detach the scratch file and delete it."""
        self.close()
        try:
            if self.attached:
                self.attached = False
                # On the DBAPI connection: SQLAlchemy would open a transaction first,
                # and SQLite detaches only outside one.
                raw = connection.connection.dbapi_connection
                assert raw is not None
                try:
                    raw.execute(f"DETACH DATABASE {SCHEMA}")
                except sqlite3.Error:
                    # Never hide the transaction's own error behind this one: the pool
                    # drops the connection instead, scratch file and all.
                    connection.invalidate()
        finally:
            Path(self.path).unlink(missing_ok=True)
