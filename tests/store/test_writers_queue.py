"""Writers in separate processes queue for the store's write lock, however long the
one holding it takes, and say that they wait; with a lock timeout they give up
cleanly. Every process and wait here is bounded.
"""

from __future__ import annotations

import json
import os
import selectors
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from samples import table_counts

import lineage
from lineage.store.engine import PG_WRITE_LOCK, WAITING

WAIT_S = 120
WRITERS = 4


def _manifest(path: Path, tag: str, count: int) -> Path:
    """`count` sources, datasets and runs of their own, and a shared agent."""
    path.write_text(
        json.dumps(
            {
                "agents": [{"name": "pipeline", "type": "software"}],
                "sources": [{"name": f"{tag}-raw-{i}", "license": "MIT"} for i in range(count)],
                "datasets": [{"name": f"{tag}-clean-{i}"} for i in range(count)],
                "runs": [
                    {
                        "name": f"{tag}-run-{i}",
                        "operation": "dedup",
                        "inputs": [f"{tag}-raw-{i}"],
                        "outputs": [f"{tag}-clean-{i}"],
                        "agent": "pipeline",
                    }
                    for i in range(count)
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


class Writers:
    """`lineage ingest` processes started together, killed if a test fails."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[str]] = []

    def start(self, db: str, manifest: Path, **env: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", "from cli.main import main; main()", "--db", db, "ingest",
             "--json", str(manifest)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **env},
            text=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=WAIT_S)


@pytest.fixture
def writers() -> Iterator[Writers]:
    started = Writers()
    yield started
    started.stop()


def _wait_for_line(process: subprocess.Popen[str], text: str) -> None:
    """Read `process`'s stderr until a line holding `text` (bounded)."""
    assert process.stderr is not None
    deadline = time.monotonic() + WAIT_S
    with selectors.DefaultSelector() as selector:
        selector.register(process.stderr, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(deadline - time.monotonic()):
                break
            line = process.stderr.readline()
            if text in line:
                return
            assert line, f"the writer ended without saying {text!r}"
    raise AssertionError(f"the writer did not say {text!r} within {WAIT_S} s")


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=WAIT_S)
    return process.returncode, out, err


def test_concurrent_imports_all_land_and_the_ledger_verifies(
    tmp_path: Path, writers: Writers
) -> None:
    db = str(tmp_path / "lineage.db")
    with lineage.open_store(db) as store:
        store.add_source("before", license="MIT")
    manifests = [_manifest(tmp_path / f"m{i}.yaml", f"w{i}", 1000) for i in range(WRITERS)]

    started = [writers.start(db, manifest) for manifest in manifests]
    results = [_finish(process) for process in started]

    for code, out, err in results:
        assert code == 0, err
        assert "database is locked" not in err
        assert len(json.loads(out)["created"]) in (3000, 3001)  # the agent lands once
    with lineage.open_store(db) as store:
        assert len(store.list()) == 1 + 1 + WRITERS * 3000
        report = store.verify()
        assert report.ok, report
        assert store.info().ledger_entries == 1 + WRITERS


def test_writers_wait_past_the_busy_timeout_saying_so_then_all_land(
    tmp_path: Path, writers: Writers
) -> None:
    db = str(tmp_path / "lineage.db")
    with lineage.open_store(db) as store:
        store.add_source("before", license="MIT")
    manifests = [_manifest(tmp_path / f"m{i}.yaml", f"w{i}", 200) for i in range(WRITERS)]
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, holding the lock
    try:
        started = [writers.start(db, manifest) for manifest in manifests]
        for process in started:
            _wait_for_line(process, WAITING)
        # Each has now retried its BEGIN at least once: SQLite's own busy timeout
        # alone would have made it fail, however long that timeout is.
        assert all(process.poll() is None for process in started)
    finally:
        holder.execute("COMMIT")
        holder.close()

    for process in started:
        code, _, err = _finish(process)
        assert code == 0, err
    with lineage.open_store(db) as store:
        assert len(store.list()) == 1 + 1 + WRITERS * 600
        assert store.verify().ok
        assert store.info().ledger_entries == 1 + WRITERS


def test_a_lock_timeout_gives_up_with_one_line_and_writes_nothing(
    tmp_path: Path, writers: Writers
) -> None:
    db = str(tmp_path / "lineage.db")
    with lineage.open_store(db) as store:
        store.add_source("before", license="MIT")
    before = table_counts(f"sqlite:///{db}")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        process = writers.start(
            db, _manifest(tmp_path / "m.yaml", "w", 10), LINEAGE_LOCK_TIMEOUT="1.5"
        )
        code, out, err = _finish(process)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        WAITING,
        "Error: gave up waiting for another writer after 1.5 s (the lock timeout, "
        "$LINEAGE_LOCK_TIMEOUT); nothing was written",
    ]
    assert table_counts(f"sqlite:///{db}") == before


def test_an_invalid_lock_timeout_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(lineage.StoreError, match=r"lock_timeout: -1\.0 is not a number"):
        lineage.open_store(str(tmp_path / "l.db"), lock_timeout=-1.0)


def test_postgresql_writers_say_they_wait_and_honour_the_lock_timeout(
    pg_url: str, writers: Writers, tmp_path: Path
) -> None:
    with lineage.open_store(pg_url) as store:
        store.add_source("before", license="MIT")
    before = table_counts(pg_url)
    holder = sqlalchemy.create_engine(pg_url)
    with holder.connect() as connection:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({PG_WRITE_LOCK})")
        try:
            patient = writers.start(pg_url, _manifest(tmp_path / "a.yaml", "a", 50))
            hasty = writers.start(
                pg_url, _manifest(tmp_path / "b.yaml", "b", 50), LINEAGE_LOCK_TIMEOUT="1"
            )
            _wait_for_line(patient, WAITING)
            code, _, err = _finish(hasty)
            assert code == 1
            assert err.splitlines()[-1].startswith(
                "Error: gave up waiting for another writer after 1 s"
            )
            assert table_counts(pg_url) == before
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_WRITE_LOCK})")
            connection.commit()
    holder.dispose()

    code, _, err = _finish(patient)
    assert code == 0, err
    with lineage.open_store(pg_url) as store:
        assert len(store.list()) == 1 + 1 + 150
        assert store.verify().ok
