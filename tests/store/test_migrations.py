"""Schema versions: a new store is current, an old one keeps its data, a newer one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy
from click.testing import CliRunner
from samples import table_counts

import lineage
from cli.main import cli
from lineage import StoreError
from lineage.store.migrations import SCHEMA_VERSION
from lineage.store.tables import DIGEST_INDEX, METADATA


def _schema_version(url: str) -> str:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return str(
                connection.exec_driver_sql(
                    "SELECT value FROM schema_info WHERE key = 'schema_version'"
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _set_schema_version(url: str, version: int) -> None:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"UPDATE schema_info SET value = '{version}' WHERE key = 'schema_version'"
            )
    finally:
        engine.dispose()


def test_a_new_store_records_the_current_schema_version(store: lineage.Store) -> None:
    assert SCHEMA_VERSION >= 1
    assert _schema_version(store.database.url) == str(SCHEMA_VERSION)


def test_migrated_schema_has_the_tables_and_columns_of_the_table_definitions(
    store: lineage.Store,
) -> None:
    engine = sqlalchemy.create_engine(store.database.url)
    try:
        inspector = sqlalchemy.inspect(engine)
        found = {
            table: {c["name"] for c in inspector.get_columns(table)}
            for table in inspector.get_table_names()
        }
        indexes = {
            table: {i["name"] for i in inspector.get_indexes(table)}
            for table in inspector.get_table_names()
        }
    finally:
        engine.dispose()
    expected = {name: {c.name for c in table.columns} for name, table in METADATA.tables.items()}
    expected_indexes = {
        name: {i.name for i in table.indexes} for name, table in METADATA.tables.items()
    }
    expected_indexes["node"].add(DIGEST_INDEX)  # the partial index, kept as DDL text
    assert {"node", "edge", "ledger", "schema_info"} <= set(expected)
    assert found == expected
    assert indexes == expected_indexes


def test_a_store_of_a_newer_schema_version_is_refused_in_one_line(db_url: str) -> None:
    with lineage.open_store(db_url) as store:
        store.add_source("reviews", license="MIT")
    _set_schema_version(db_url, SCHEMA_VERSION + 1)

    with pytest.raises(StoreError) as raised:
        lineage.open_store(db_url)

    message = str(raised.value)
    assert "\n" not in message
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert _schema_version(db_url) == str(SCHEMA_VERSION + 1)  # not "migrated" downwards
    assert table_counts(db_url) == {"node": 1, "edge": 0, "ledger": 1}


def test_the_cli_refuses_a_newer_schema_version_with_one_error_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    with lineage.open_store(url) as store:
        store.add_source("reviews", license="MIT")
    _set_schema_version(url, SCHEMA_VERSION + 1)

    result = CliRunner().invoke(cli, ["--db", url, "list"])

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert f"schema version {SCHEMA_VERSION + 1}" in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_reopening_a_store_keeps_its_data(db_url: str) -> None:
    with lineage.open_store(db_url) as store:
        store.add_source("reviews", license="MIT")
        store.add_dataset("clean")
        store.record_run("clean-text", name="clean-1", inputs=["reviews"], outputs=["clean"])
        before = table_counts(db_url)
    assert before == {"node": 3, "edge": 2, "ledger": 3}

    with lineage.open_store(db_url) as reopened:
        names = [s.id for s in reopened.list()]
        report = reopened.verify()

    assert names == ["activity:clean-1", "dataset:clean", "source:reviews"]
    assert report.ok
    assert table_counts(db_url) == before
    assert _schema_version(db_url) == str(SCHEMA_VERSION)


def test_opening_without_create_refuses_a_missing_sqlite_file_and_creates_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "missing.db"

    with pytest.raises(StoreError, match="no lineage store at"):
        lineage.open_store(str(path), create=False)

    assert not path.exists()
