"""API tokens: shown once, stored hashed, revoked by a later row, sealed in the ledger."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlalchemy
from click.testing import CliRunner
from samples import table_counts

import lineage
from cli.main import cli
from lineage.store.migrations import SCHEMA_VERSION


def _rows(url: str) -> list[tuple[str, str, str]]:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return [
                tuple(r)
                for r in connection.exec_driver_sql(
                    "SELECT name, token_hash, action FROM api_token ORDER BY id"
                )
            ]
    finally:
        engine.dispose()


def test_a_token_is_printed_once_and_only_its_hash_is_stored(db_url: str) -> None:
    result = CliRunner().invoke(cli, ["--db", db_url, "token", "create", "airflow", "--json"])

    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    assert created["name"] == "airflow" and created["token"].startswith("lin_")
    assert len(created["token"]) > 40
    rows = _rows(db_url)
    assert rows == [("airflow", hashlib.sha256(created["token"].encode()).hexdigest(), "create")]
    with lineage.open_store(db_url) as store:
        assert store.token_owner(created["token"]) == "airflow"
        assert store.token_owner(created["token"] + "x") is None
        assert store.verify().ok


def test_tokens_are_listed_without_the_secret_and_revoked_by_a_new_row(db_url: str) -> None:
    with lineage.open_store(db_url) as store:
        first = store.create_token("dbt")
        second = store.create_token("dbt")
        store.create_token("spark")
        assert store.revoke_token("dbt") == 2
        listed = store.tokens()
        assert store.token_owner(first) is None and store.token_owner(second) is None
        assert store.verify().ok

    assert [(t.name, t.revoked_at is not None) for t in listed] == [
        ("dbt", True),
        ("dbt", True),
        ("spark", False),
    ]
    assert [r[2] for r in _rows(db_url)] == ["create", "create", "create", "revoke", "revoke"]
    text = CliRunner().invoke(cli, ["--db", db_url, "token", "list"]).stdout
    assert first not in text and "spark" in text


def test_revoking_an_unknown_token_is_one_error_line_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    with lineage.open_store(url) as store:
        store.create_token("a")
    before = table_counts(url)

    result = CliRunner().invoke(cli, ["--db", url, "token", "revoke", "nobody"])

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "'nobody'" in result.stderr
    assert table_counts(url) == before and len(_rows(url)) == 1


def test_audit_verify_names_a_token_row_altered_behind_the_tools_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    with lineage.open_store(url) as store:
        store.add_source("s", license="MIT")
        store.create_token("ci")
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE api_token SET token_hash = 'forged'")
    engine.dispose()

    with lineage.open_store(url) as store:
        report = store.verify()

    assert not report.ok
    assert "api_token row 1 (create 'ci') was altered" in report.problems[0].message


def test_a_store_of_schema_version_1_gains_the_token_table_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with lineage.open_store(url) as store:
        store.add_source("s", license="MIT")
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:  # as version 1 left it
        connection.exec_driver_sql("DROP TABLE api_token")
        connection.exec_driver_sql("UPDATE schema_info SET value = '1'")
    engine.dispose()

    with lineage.open_store(url) as store:
        store.create_token("after-upgrade")
        assert [s.id for s in store.list()] == ["source:s"]
        assert store.info().schema_version == SCHEMA_VERSION >= 2
        assert store.verify().ok
