"""A first bulk import into an empty SQLite store, loaded by a second process on a second CPU.

Preparing a row (validating it, resolving its names) and inserting
it both hold Python's GIL: sqlite3's `executemany` binds every parameter under
it. A loader thread therefore runs beside the preparing thread, not with it
(measured: CPU time equals wall time). So a child process does the inserting
instead: the rows go to it as JSON over a pipe, and it seals them and writes
them into a scratch SQLite file (`staging_worker.py`) while this process prepares
the next ones; it answers with the digest of their seals for the ledger entry.
When every row is prepared, the store copies the scratch tables in one
`INSERT ... SELECT` each, in C and about ten times faster than `executemany`,
inside the store's own transaction. On one CPU (`spare_core`), the
store's process writes the rows itself, binding only the columns set, as the
child would. The scratch file is only a copy: nothing reaches the store except
through that transaction, which commits whole or not at all, and the file is
deleted either way.

A process stopped with SIGTERM (or SIGHUP) during the load removes its scratch
file and child, then exits with status 128 + the signal's number. One killed
outright (SIGKILL, a crash, power loss) cannot: its file carries the owner's pid
and start time in its name (`lineage-staging-PID-START-XXXX.db`), and the next
process that opens a SQLite store removes the files whose owner is gone
(`sweep_scratch_files`), never those of a live import.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import IO, Any

import orjson
from sqlalchemy import Connection

from lineage.errors import StoreError

log = logging.getLogger(__name__)

WORKER = Path(__file__).with_name("staging_worker.py")
SCHEMA = "lineage_staging"
PREFIX = "lineage-staging-"
_OWNED = re.compile(r"lineage-staging-(\d+)-(\d+)-[^.]*\.db")
# Files of lineage versions before owners were named: removed when untouched this long
# (a live load rewrites its file continuously, and copies it within minutes).
LEGACY_AGE_S = 24 * 3600
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Terminated(SystemExit):
    """Raised in the main thread by SIGTERM/SIGHUP during a staged load, so that the
    transaction rolls back and the scratch file goes; exits with 128 + the signal."""


def _start_time(pid: int) -> int | None:
    """When process `pid` started (clock ticks after boot), or None where unknown.

    Tells a live owner from another process that was given its pid later.
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count after its ')'.
    fields = stat.rpartition(b")")[2].split()
    try:
        return int(fields[19])  # field 22, starttime
    except (IndexError, ValueError):
        return None


def _owner_alive(pid: int, started: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's live process (EPERM)
        pass
    found = _start_time(pid)
    return found is None or started == 0 or found == started


def sweep_scratch_files(folder: str | None = None) -> list[str]:
    """Remove the scratch files of staged loads whose process is gone; return them.

    `folder` defaults to the temporary folder. A file whose owner still runs (same
    pid, same start time) is kept, as is any file this process may not remove.
    """
    folder = folder or tempfile.gettempdir()
    removed: list[str] = []
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        owned = _OWNED.fullmatch(entry.name)
        try:
            if owned is not None:
                stale = not _owner_alive(int(owned.group(1)), int(owned.group(2)))
            else:
                stale = entry.name.endswith(".db") and (
                    time.time() - entry.stat(follow_symlinks=False).st_mtime > LEGACY_AGE_S
                )
            if stale and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.path)
                log.info("removed %s, left by a bulk import that was stopped", entry.path)
        except OSError:
            continue
    return removed


def spare_core(cpus: int | None = None) -> bool:
    """True when this process may run on two CPUs or more: the staging child then pays off.

    It does whatever the machine's load, as the scheduler gives the child a share
    of its own (measured on 2 cores with 0, 1, 2, 3, 4 and 6 CPU-bound processes
    beside a 200k-record load: the staged load took 0.83-0.91 of the time of writing
    the rows here, 7.9 s against 8.7 s with one, before the child sealed the rows;
    0.75-0.88 since, `bench/bench_staging.py`). On one CPU it only adds the JSON the
    child reads and the copy at the end. `cpus` defaults to the CPUs this process
    may run on.
    """
    if cpus is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # macOS and Windows
            cpus = os.cpu_count() or 1
    return cpus >= 2


_LENGTH = struct.Struct("<I")
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _stopped(errors: str, code: int | None) -> str:
    """The one line that says why the staging child stopped: its last line on stderr."""
    reason = errors.strip().splitlines()
    return "the bulk loader stopped: " + (reason[-1] if reason else f"exit {code}")


_QUEUED_FRAMES = 16  # chunks of 20,000 rows waiting for the child: ~100 MB at most


class StagedLoader:
    """Streams rows to the staging child; `finish` waits for it to write and seal them,
    and `copy_into` then moves them into the store.

    Raises OSError when the scratch file or the child cannot be made (the caller
    then writes the rows itself).
    """

    def __init__(self, tables: dict[str, Sequence[str]], late: dict[str, int]) -> None:
        """Load rows of `tables` (each with its columns, the seal aside), whose last
        `late[table]` columns join a seal only when set."""
        self.tables = {table: [*columns, "seal"] for table, columns in tables.items()}
        self.finished = False
        sweep_scratch_files()
        owner = f"{PREFIX}{os.getpid()}-{_start_time(os.getpid()) or 0}-"
        handle, self.path = tempfile.mkstemp(prefix=owner, suffix=".db")
        os.close(handle)
        self.attached = False
        self.process: subprocess.Popen[bytes] | None = None
        self.handlers: dict[int, Any] = {}
        self._catch_stop_signals()
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER), self.path],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:
            self._restore_signals()
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
            self._send(["create", table, columns, late.get(table, 0)])

    def _catch_stop_signals(self) -> None:
        """Clean up on SIGTERM/SIGHUP, where they would otherwise end the process as is.

        Only the main thread may set handlers, and a handler the application set
        stays: it decides how to stop (and our `finally` blocks then run).
        """
        if threading.current_thread() is not threading.main_thread():
            return
        for number in _STOP_SIGNALS:
            if signal.getsignal(number) == signal.SIG_DFL:
                self.handlers[number] = signal.signal(number, self._stop)

    def _stop(self, number: int, _frame: FrameType | None) -> None:
        # The child and the file go now, in case unwinding is cut short; the
        # exception then rolls the transaction back on its way out.
        self._restore_signals()
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.kill()
        Path(self.path).unlink(missing_ok=True)
        log.info("stopped by signal %d: scratch file %s removed", number, self.path)
        raise Terminated(128 + number)

    def _restore_signals(self) -> None:
        handlers, self.handlers = self.handlers, {}
        for number, previous in handlers.items():
            signal.signal(number, previous)

    @staticmethod
    def available(database: str | None) -> bool:
        """True when a store at `database` (a SQLite file, or None) can load this way,
        on two CPUs or more (`spare_core`)."""
        return database is not None and bool(sys.executable) and spare_core()

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
        """Send `rows` (every column of `table`, without the seal) to the child."""
        if rows:
            self._send(["rows", table, rows])

    def finish(self, other_seals: str = "") -> str:
        """Wait for the child to write and seal every row sent; return the SHA-256 over
        those seals, table by table, then `other_seals` (those of rows written here).

        Raises StoreError (one line) when the child failed or gave no digest.
        """
        if other_seals:
            self._send(["seals", other_seals])
        self._stop_sending()
        process = self.process
        assert process is not None
        # Its answer and its errors read together: a child that says much on stderr
        # cannot block there while this process waits for the answer. The sender
        # thread closed stdin already.
        process.stdin = None
        out, errors = process.communicate()
        self.process = None
        if process.returncode != 0:
            raise StoreError(_stopped(errors.decode(errors="replace"), process.returncode))
        lines = out.decode(errors="replace").split()
        answer = lines[-1] if lines else ""
        if not _DIGEST.fullmatch(answer):
            raise StoreError("the bulk loader stopped: it gave no digest of the rows it wrote")
        self.finished = True
        return answer

    def _failed(self) -> None:
        process = self.process
        assert process is not None
        process.kill()
        errors = self._reap()
        raise StoreError(_stopped(errors, process.returncode))

    def copy_into(self, connection: Connection) -> None:
        """Copy the child's tables into the store within `connection`'s transaction
        (tables in the order given, so relations follow their records); after `finish`."""
        assert self.finished, "copy_into before finish"
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
        """Wait for the stopped child; return what it said on stderr. Safe to run again
        (a signal may stop an earlier run half-way)."""
        process, self.process = self.process, None
        assert process is not None
        self._stop_sending()
        errors = ""
        if process.stderr is not None and not process.stderr.closed:
            errors = process.stderr.read().decode(errors="replace")
            process.stderr.close()
        if process.stdout is not None and not process.stdout.closed:
            process.stdout.close()
        process.wait()
        return errors

    def release(self, connection: Connection) -> None:
        """After the transaction ended: detach the scratch file and delete it."""
        self._restore_signals()
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
