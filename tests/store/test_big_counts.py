"""Counts past 32 bits (a 5 GB crawl, 15T tokens, 3 billion records) are stored whole.

PostgreSQL made these columns INTEGER until schema version 5, which refused a 5 GB size
with a driver traceback; SQLite's INTEGER always held 64 bits.
"""

from __future__ import annotations

import sqlalchemy
from click.testing import CliRunner

import lineage
from cli.main import cli
from lineage.store.migrations import SCHEMA_VERSION
from lineage.store.tables import COUNT_COLUMNS

BIG = {"size_bytes": 5_000_000_000, "tokens": 15_000_000_000_000, "records": 3_000_000_000}


def _record_big(store: lineage.Store) -> None:
    store.add_source("common-crawl-2024", license="CC-BY-4.0", obtained="crawled", **BIG)
    store.add_dataset("crawl-clean", license="CC-BY-4.0")
    store.record_run(
        "filter",
        name="filter-1",
        inputs=["common-crawl-2024"],
        outputs=["crawl-clean"],
        records_in=4_000_000_000,
        records_out=3_000_000_000,
    )


def test_counts_past_32_bits_are_stored_whole_and_verify(store: lineage.Store) -> None:
    _record_big(store)
    source = store.show("common-crawl-2024").facts
    assert {key: source[key] for key in BIG} == BIG
    run = store.show("activity:filter-1").facts
    assert (run["records_in"], run["records_out"]) == (4_000_000_000, 3_000_000_000)
    assert store.verify().ok


def test_a_count_past_64_bits_is_one_line_and_nothing_written(db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--db", db_url, "source", "add", "huge", "--size-bytes", str(2**63)],
    )
    assert result.exit_code == 1, result.output
    assert "size_bytes" in result.output and "Traceback" not in result.output
    with lineage.open_store(db_url) as store:
        assert store.info().records == 0


def test_a_schema_4_postgres_store_widens_its_counts(pg_url: str) -> None:
    with lineage.open_store(pg_url) as store:
        store.add_source("older", license="MIT", size_bytes=1_000)
    engine = sqlalchemy.create_engine(pg_url)
    try:
        with engine.begin() as connection:  # as schema version 4 made the table
            for name in COUNT_COLUMNS:
                connection.exec_driver_sql(f"ALTER TABLE node ALTER COLUMN {name} TYPE INTEGER")
            connection.exec_driver_sql(
                "UPDATE schema_info SET value = '4' WHERE key = 'schema_version'"
            )
    finally:
        engine.dispose()
    with lineage.open_store(pg_url) as store:
        assert store.info().schema_version == SCHEMA_VERSION == 6
        _record_big(store)
        assert store.show("common-crawl-2024").facts["tokens"] == BIG["tokens"]
        assert store.show("older").facts["size_bytes"] == 1_000
        assert store.verify().ok
    engine = sqlalchemy.create_engine(pg_url)
    try:
        with engine.connect() as connection:
            types = dict(
                connection.exec_driver_sql(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = 'node' AND table_schema = current_schema()"
                ).fetchall()
            )
    finally:
        engine.dispose()
    assert {types[name] for name in COUNT_COLUMNS} == {"bigint"}
