"""The hash-chained ledger: `verify()` names what was changed behind the tool's back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from click.testing import CliRunner

import lineage
from cli.main import cli
from lineage.store.ledger import seal_of
from lineage.store.tables import EDGE_COLUMNS, NODE_COLUMNS


@pytest.fixture
def populated(store: lineage.Store) -> lineage.Store:
    """Five transactions: raw, orphan, clean, a run with two edges, an amendment of raw."""
    store.add_source("raw", license="MIT", obtained="public")
    store.add_source("orphan", license="MIT", obtained="public")
    store.add_dataset("clean")
    store.record_run("clean-text", name="clean-1", inputs=["raw"], outputs=["clean"])
    store.amend("raw", reason="relicensed", license="Apache-2.0")
    return store


@pytest.fixture
def sql(populated: lineage.Store) -> Iterator[sqlalchemy.Engine]:
    """A plain engine on the same database, outside the tool (no pragmas, no ledger)."""
    engine = sqlalchemy.create_engine(populated.database.url)
    yield engine
    engine.dispose()


def _tamper(engine: sqlalchemy.Engine, *statements: str, bypass_foreign_keys: bool = False) -> None:
    with engine.begin() as connection:
        if bypass_foreign_keys and engine.dialect.name == "postgresql":
            # What a superuser can do to remove a row that others still reference.
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for statement in statements:
            connection.exec_driver_sql(statement)


def _row(engine: sqlalchemy.Engine, query: str) -> dict[str, Any]:
    with engine.connect() as connection:
        return dict(connection.exec_driver_sql(query).mappings().one())


def test_verify_is_ok_on_a_populated_store(populated: lineage.Store) -> None:
    report = populated.verify()

    assert report.entries == 5
    assert report.records == 5 + 2  # five node rows, two edges
    assert report.head_hash is not None
    assert report.ok, report.problems


def test_verify_names_a_node_whose_licence_was_updated(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    assert populated.verify().ok
    _tamper(sql, "UPDATE node SET license = 'Apache-2.0' WHERE name = 'orphan'")

    report = populated.verify()

    assert not report.ok
    first = report.problems[0]
    assert first.tx == 2
    assert (
        first.message == "source 'orphan' version 1 (node row 2) was altered after it was recorded"
    )


def test_verify_names_an_edge_whose_relation_was_updated(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    assert populated.verify().ok
    edge = _row(sql, "SELECT id, tx FROM edge WHERE relation = 'used'")
    _tamper(sql, f"UPDATE edge SET relation = 'was_derived_from' WHERE id = {edge['id']}")

    report = populated.verify()

    first = report.problems[0]
    assert first.tx == edge["tx"] == 4
    assert first.message.startswith(f"edge row {edge['id']} (was_derived_from ")
    assert first.message.endswith("was altered after it was recorded")


def test_verify_names_a_deleted_node_row(populated: lineage.Store, sql: sqlalchemy.Engine) -> None:
    assert populated.verify().ok
    _tamper(sql, "DELETE FROM node WHERE name = 'orphan'")

    report = populated.verify()

    first = report.problems[0]
    assert first.tx == 2
    assert first.message == "node row 2 recorded in transaction 2 was removed"


def test_verify_names_a_deleted_edge_row(populated: lineage.Store, sql: sqlalchemy.Engine) -> None:
    assert populated.verify().ok
    edge = _row(sql, "SELECT id, tx FROM edge WHERE relation = 'was_generated_by'")
    _tamper(sql, f"DELETE FROM edge WHERE id = {edge['id']}")

    report = populated.verify()

    first = report.problems[0]
    assert first.tx == 4
    assert first.message == f"edge row {edge['id']} recorded in transaction 4 was removed"


def test_verify_names_a_forged_node_row_even_with_a_valid_seal(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    assert populated.verify().ok
    row = _row(sql, "SELECT * FROM node WHERE name = 'orphan'")
    forged_id = 6
    row.update(id=forged_id, node_id=forged_id, name="forged")
    values = [row[c] for c in NODE_COLUMNS]
    row["seal"] = seal_of("node", values)
    with sql.begin() as connection:
        connection.execute(
            sqlalchemy.text(
                f"INSERT INTO node ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})"
            ),
            row,
        )

    report = populated.verify()

    first = report.problems[0]
    assert first.tx == 2
    assert first.row == forged_id
    assert first.message == "source 'forged' version 1 (node row 6) was inserted outside the tool"


def test_verify_catches_a_resealed_row_by_its_transaction_digest(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    assert populated.verify().ok
    row = _row(sql, "SELECT * FROM node WHERE name = 'orphan'")
    row["license"] = "Apache-2.0"
    seal = seal_of("node", [row[c] for c in NODE_COLUMNS])
    _tamper(sql, f"UPDATE node SET license = 'Apache-2.0', seal = '{seal}' WHERE id = {row['id']}")

    report = populated.verify()

    assert [(p.tx, p.message) for p in report.problems] == [
        (2, "the seals of transaction 2 were rewritten")
    ]


def test_verify_names_an_altered_ledger_entry(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    assert populated.verify().ok
    _tamper(sql, "UPDATE ledger SET actor = 'mallory' WHERE seq = 3")

    report = populated.verify()

    first = report.problems[0]
    assert (first.tx, first.table, first.message) == (3, "ledger", "ledger entry was altered")


def test_verify_names_a_removed_ledger_entry_in_the_middle(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    assert populated.verify().ok
    _tamper(sql, "DELETE FROM ledger WHERE seq = 3", bypass_foreign_keys=True)

    report = populated.verify()

    first = report.problems[0]
    assert (first.tx, first.table, first.message) == (3, "ledger", "ledger entry removed")


def test_verify_names_the_records_of_a_deleted_last_ledger_entry(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    assert populated.verify().ok
    _tamper(sql, "DELETE FROM ledger WHERE seq = 5", bypass_foreign_keys=True)

    report = populated.verify()

    first = report.problems[0]
    assert first.tx == 5
    assert first.message == "source 'raw' version 2 (node row 5) was inserted outside the tool"


# -- lineage audit verify --------------------------------------------------------------


def test_audit_verify_exits_0_and_says_ok_on_an_untouched_store(populated: lineage.Store) -> None:
    result = CliRunner().invoke(cli, ["--db", populated.database.url, "audit", "verify"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 5 ledger entries, 7 records verified; head ")
    assert result.stderr == ""


def test_audit_verify_exits_1_and_names_the_altered_record(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    _tamper(sql, "UPDATE node SET license = 'Apache-2.0' WHERE name = 'orphan'")

    result = CliRunner().invoke(cli, ["--db", populated.database.url, "audit", "verify"])

    assert result.exit_code == 1
    assert result.stderr == (
        "TAMPERED: transaction 2: source 'orphan' version 1 (node row 2) "
        "was altered after it was recorded\n"
    )
    assert result.stdout == ""


def test_audit_verify_json_reports_the_problem(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    _tamper(sql, "UPDATE ledger SET actor = 'mallory' WHERE seq = 3")

    result = CliRunner().invoke(cli, ["--db", populated.database.url, "audit", "verify", "--json"])

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["entries"] == 5
    assert report["problems"][0] == {
        "tx": 3,
        "table": "ledger",
        "row": 3,
        "message": "ledger entry was altered",
    }


def test_audit_verify_exits_2_for_a_store_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"

    result = CliRunner().invoke(cli, ["--db", str(missing), "audit", "verify"])

    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no lineage store at ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert not missing.exists()


def test_verify_with_a_published_head_catches_a_chain_cut_off_with_its_rows(
    populated: lineage.Store, sql: sqlalchemy.Engine
) -> None:
    published = populated.verify().head_hash
    assert published is not None
    # Cut the newest transaction off cleanly: its ledger entry and its row together.
    _tamper(sql, "DELETE FROM node WHERE tx = 5", "DELETE FROM ledger WHERE seq = 5")
    assert populated.verify().ok  # the shortened chain is consistent on its own

    report = populated.verify(expected_head=published)

    assert not report.ok
    assert report.problems[0].message == (
        f"the published head {published} is not in the ledger: entries were removed or rewritten"
    )


def test_audit_verify_head_option_exits_1_when_the_head_is_missing(
    populated: lineage.Store,
) -> None:
    url = populated.database.url
    good = populated.verify().head_hash
    assert good is not None

    ok = CliRunner().invoke(cli, ["--db", url, "audit", "verify", "--head", good])
    missing = CliRunner().invoke(cli, ["--db", url, "audit", "verify", "--head", "f" * 64])

    assert ok.exit_code == 0, ok.output
    assert missing.exit_code == 1
    assert "is not in the ledger" in missing.output


def test_seal_of_refuses_a_node_row_missing_a_column(populated: lineage.Store) -> None:
    # A row without its last column, whose other late columns and the one before them
    # are unset, would lose that earlier column from its seal too: a wrong seal, silently.
    engine = sqlalchemy.create_engine(populated.database.url)
    try:
        row = _row(engine, "SELECT * FROM node WHERE name = 'orphan'")
    finally:
        engine.dispose()
    values = tuple(row[c] for c in NODE_COLUMNS)
    assert seal_of("node", values) == row["seal"]  # the whole row seals as stored

    for wrong in (values[:-1], values[:-3], values[1:], (*values, None)):
        with pytest.raises(
            ValueError, match=rf"node row of {len(wrong)} values, not {len(NODE_COLUMNS)}"
        ):
            seal_of("node", wrong)


def test_seal_of_refuses_an_edge_row_missing_a_column(populated: lineage.Store) -> None:
    engine = sqlalchemy.create_engine(populated.database.url)
    try:
        row = _row(engine, "SELECT * FROM edge WHERE relation = 'used'")
    finally:
        engine.dispose()
    values = tuple(row[c] for c in EDGE_COLUMNS)
    assert seal_of("edge", values) == row["seal"]

    with pytest.raises(ValueError, match=rf"edge row of {len(values) - 1} values"):
        seal_of("edge", values[:-1])
