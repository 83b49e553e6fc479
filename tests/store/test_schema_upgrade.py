"""A store made by an earlier release opens, migrates and still verifies: no false tamper alarm.

`data/schema2-sample.sql` is the SQLite dump of the sample lineage as recorded by the
release before schema version 3 (commit 9e29a10), before any column was added to `node`.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import orjson
import sqlalchemy
from cli_run import invoke

import lineage
from lineage.store.migrations import SCHEMA_VERSION
from lineage.store.tables import NODE_COLUMNS, SEALED_UNLESS_SET

DUMP = Path(__file__).parent / "data" / "schema2-sample.sql"


def _schema2_store(tmp_path: Path) -> Path:
    path = tmp_path / "schema2.db"
    connection = sqlite3.connect(path)
    connection.executescript(DUMP.read_text(encoding="utf-8"))
    connection.close()
    return path


def test_a_store_of_schema_2_migrates_and_its_ledger_still_verifies(tmp_path: Path) -> None:
    path = _schema2_store(tmp_path)
    with lineage.open_store(f"sqlite:///{path}") as store:
        report = store.verify()
        assert report.records > 90, "the old store holds the sample"
        assert report.ok, [str(p) for p in report.problems]
        # A write after the upgrade chains on, and the whole chain verifies.
        store.record({"agents": [{"name": "after-upgrade", "type": "person"}]})
        assert store.verify().ok
    with sqlite3.connect(path) as connection:
        (version,) = connection.execute(
            "SELECT value FROM schema_info WHERE key = 'schema_version'"
        ).fetchone()
    assert int(version) == SCHEMA_VERSION > 2
    result = invoke(str(path), "audit verify")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:")


def test_rows_without_late_facts_keep_the_schema_2_seal(store: lineage.Store) -> None:
    """The seal of a row that sets none of the columns added later is the old one."""
    store.ingest([str(Path(__file__).parents[2] / "sample_data" / "lineage.yaml")])
    early = [c for c in NODE_COLUMNS if c not in SEALED_UNLESS_SET]
    engine = sqlalchemy.create_engine(store.url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text(f"SELECT {', '.join(NODE_COLUMNS)}, seal FROM node")
            ).mappings()
            checked = 0
            for row in rows:
                if any(row[c] is not None for c in SEALED_UNLESS_SET):
                    continue
                old = hashlib.sha256(orjson.dumps(("node", *(row[c] for c in early)))).digest()
                assert row["seal"] == old.hex(), row["node_id"]
                checked += 1
    finally:
        engine.dispose()
    assert checked > 40
