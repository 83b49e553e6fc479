"""Stores made by earlier releases migrate to the newest schema and still verify.

Columns added to `node` after schema version 2 (the evaluation columns of version 3,
`declared_license` of version 4) join a row's seal only when set, so a row sealed before
they existed keeps its seal. Each store here is made as the schema-2 release made it: the
rows sealed its way, the columns it did not have dropped. (Schema version 3 was never
released with another seal rule, so there is no other older form to accept.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from history import rewrite_history, tamper

import lineage
from lineage.store.ledger import seal_of
from lineage.store.migrations import SCHEMA_VERSION
from lineage.store.tables import NODE_COLUMNS

# The node columns each released schema version had, in seal order.
RELEASED_NODE_COLUMNS = {
    2: NODE_COLUMNS[: NODE_COLUMNS.index("metric")],
}


def _sealed_as_at(version: int) -> Callable[[str, tuple[Any, ...]], str]:
    """How lineage at schema `version` sealed a row: every node column it had, set or not."""
    width = len(RELEASED_NODE_COLUMNS[version])

    def seal(table: str, values: tuple[Any, ...]) -> str:
        if table != "node":
            return seal_of(table, values)
        assert all(v is None for v in values[width:]), "a column that release did not have"
        return hashlib.sha256(orjson.dumps((table, *values[:width]))).hexdigest()

    return seal


def _made_at(url: str, version: int) -> None:
    """Make the store at `url` as lineage at schema `version` would have written it."""
    rewrite_history(url, seal_with=_sealed_as_at(version))
    later = NODE_COLUMNS[len(RELEASED_NODE_COLUMNS[version]) :]
    tamper(
        url,
        *(f"ALTER TABLE node DROP COLUMN {column}" for column in later),
        f"UPDATE schema_info SET value = '{version}' WHERE key = 'schema_version'",
    )


def _record_some(store: lineage.Store) -> None:
    store.add_agent("auditor", type="person")
    store.add_source("older", license="MIT", owner="Someone", digest="sha256:" + "ab" * 32)
    store.add_dataset("mix", license="MIT")
    store.record_run("mix-sources", name="mix-1", inputs=["older"], outputs=["mix"])
    store.add_model("older-model", license="MIT")


@pytest.mark.parametrize("version", [2])
def test_a_store_made_by_an_earlier_release_migrates_and_still_verifies(
    db_url: str, version: int
) -> None:
    with lineage.open_store(db_url) as store:
        _record_some(store)
    _made_at(db_url, version)
    with lineage.open_store(db_url) as store:  # a genuine older store verifies, seals and all
        assert store.info().schema_version == SCHEMA_VERSION == 6
        report = store.verify()
        assert report.ok, report.problems
        assert report.records == 7  # 5 records and the run's 2 relations, each row checked

        # Rows written after the migration, with the late columns set, verify beside them.
        store.amend("older", reason="the card says otherwise", declared_license="Apache-2.0")
        store.add_evaluation(
            "older-model",
            dataset="mix",
            metric="accuracy",
            value=0.9,
            threshold=0.8,
            direction="higher-is-better",
        )
        store.amend("mix", reason="biases found", known_biases=["English only"])
        assert store.show("older").facts["declared_license"] == "Apache-2.0"
        assert store.verify().ok


@pytest.mark.parametrize("version", [2])
def test_an_older_row_altered_after_the_migration_is_still_caught(
    db_url: str, version: int
) -> None:
    with lineage.open_store(db_url) as store:
        _record_some(store)
    _made_at(db_url, version)
    with lineage.open_store(db_url):
        pass  # migrated
    tamper(db_url, "UPDATE node SET license = 'Apache-2.0' WHERE name = 'older'")
    with lineage.open_store(db_url) as store:
        problems = store.verify().problems
    assert [p.message for p in problems] == [
        "source 'older' version 1 (node row 2) was altered after it was recorded"
    ]
