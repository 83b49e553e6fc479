"""A store damaged behind the tool's back: one line and the right exit code, never a traceback."""

from __future__ import annotations

import pytest
from cli_run import invoke, one_error_line
from history import tamper

import lineage


@pytest.fixture
def recorded(store: lineage.Store) -> lineage.Store:
    store.add_source("raw", license="MIT")
    store.add_dataset("clean")
    store.record_run("clean-text", name="clean-1", inputs=["raw"], outputs=["clean"])
    store.create_token("ci")
    assert store.verify().ok and store.verify().records > 0
    return store


@pytest.mark.parametrize("table", ["api_token", "edge", "ledger"])
def test_audit_verify_of_a_store_with_a_dropped_table_says_unreadable_and_exits_2(
    recorded: lineage.Store, table: str
) -> None:
    tamper(
        recorded.database.url,
        f"DROP TABLE {table} CASCADE"
        if "postgresql" in recorded.database.url
        else f"DROP TABLE {table}",
    )

    line = one_error_line(invoke(recorded.url, "audit verify"), 2)

    assert line.startswith(f"Error: the store at {recorded.url} is unreadable: ")
    assert table in line


def test_reading_a_store_with_a_dropped_table_is_one_line_exit_1(recorded: lineage.Store) -> None:
    tamper(
        recorded.database.url,
        "DROP TABLE edge" + (" CASCADE" if "postgresql" in recorded.database.url else ""),
    )

    line = one_error_line(invoke(recorded.url, "upstream clean"), 1)

    assert "is unreadable: " in line and "edge" in line
    with pytest.raises(lineage.StoreError, match="unreadable"):
        recorded.verify()


@pytest.mark.parametrize(
    ("command", "exit_code"),
    [
        ("list", 1),
        ("show raw", 1),
        ("source add other --license MIT", 1),
        ("audit verify", 2),
        ("verify", 2),
        ("report clean --format json", 1),
    ],
)
@pytest.mark.parametrize("value", ["two", "", "-3"])
def test_a_schema_version_that_is_not_a_number_is_one_line_wherever_the_store_is_opened(
    recorded: lineage.Store, command: str, exit_code: int, value: str
) -> None:
    tamper(recorded.database.url, f"UPDATE schema_info SET value = '{value}'")

    line = one_error_line(invoke(recorded.url, command), exit_code)

    assert line == (
        f"Error: cannot open database {recorded.url}: table schema_info: schema version "
        f"{value!r} is not a version number (the store was altered outside lineage)"
    )
    with pytest.raises(lineage.StoreError, match="is not a version number"):
        lineage.open_store(recorded.database.url)
