"""Issue 16, identity: one content under several names, and one dataset under several names."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage
from lineage.openlineage.mapping import dataset_node_name

PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.24.2/integration/spark"
SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"


def _event(
    inputs: list[dict[str, Any]], outputs: list[dict[str, Any]], job: str = "etl"
) -> dict[str, Any]:
    return {
        "eventType": "COMPLETE",
        "eventTime": "2026-03-01T10:00:00Z",
        "producer": PRODUCER,
        "schemaURL": SCHEMA,
        "run": {"runId": str(uuid.uuid4())},
        "job": {"namespace": "spark", "name": job},
        "inputs": inputs,
        "outputs": outputs,
    }


def _spark_table_path() -> dict[str, Any]:
    """A Hive table as Spark reports it: its storage path, the table as a symlink."""
    return {
        "namespace": "hdfs://host",
        "name": "/user/hive/warehouse/t1",
        "facets": {
            "symlinks": {
                "_producer": PRODUCER,
                "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json",
                "identifiers": [
                    {"namespace": "hive://host", "name": "default.t1", "type": "TABLE"}
                ],
            }
        },
    }


@pytest.mark.parametrize(
    ("namespace", "name", "uri"),
    [
        ("file", "/data/x", "file:///data/x"),
        ("hdfs://host:8020", "/user/x", "hdfs://host:8020/user/x"),
        ("s3://bucket", "path/x.parquet", "s3://bucket/path/x.parquet"),
        ("gs://bucket", "path/x", "gs://bucket/path/x"),
        ("postgres://host:5432", "db.public.t", "postgres://host:5432/db.public.t"),
        ("bigquery", "project.dataset.t", "bigquery/project.dataset.t"),
    ],
)
def test_datasets_are_named_by_their_uri(namespace: str, name: str, uri: str) -> None:
    assert dataset_node_name(namespace, name) == uri


def test_a_table_and_its_storage_path_are_one_record(store: lineage.Store) -> None:
    store.ingest_events([_event([], [_spark_table_path()], job="write")])
    # A later reader names only the path: it reads the same record.
    reader = _event([{"namespace": "hdfs://host", "name": "/user/hive/warehouse/t1"}], [])
    store.ingest_events([reader])

    datasets = [r.id for r in store.list("dataset")]
    assert datasets == ["dataset:hive://host/default.t1"]
    by_path = store.show("hdfs://host/user/hive/warehouse/t1")
    assert by_path.id == "dataset:hive://host/default.t1"
    assert by_path.aliases == ("hdfs://host/user/hive/warehouse/t1",)
    downstream = store.downstream("dataset:hive://host/default.t1")
    assert {n for n, k in downstream.nodes(data="kind") if k == "activity"} == {
        f"activity:{reader['run']['runId']}"
    }
    assert store.verify().ok


def test_a_path_recorded_first_keeps_its_record_when_its_table_is_named(
    store: lineage.Store,
) -> None:
    store.ingest_events(
        [_event([{"namespace": "hdfs://host", "name": "/user/hive/warehouse/t1"}], [])]
    )
    store.ingest_events([_event([], [_spark_table_path()], job="write")])

    assert [r.id for r in store.list("dataset")] == ["dataset:hdfs://host/user/hive/warehouse/t1"]
    assert store.show("hive://host/default.t1").name == "hdfs://host/user/hive/warehouse/t1"


def test_a_name_recorded_before_uri_naming_still_finds_its_record(store: lineage.Store) -> None:
    # Releases before schema 6 named file datasets 'file//data/x'.
    store.record({"datasets": [{"name": "file//data/x", "license": "MIT"}]})
    store.ingest_events([_event([], [{"namespace": "file", "name": "/data/x"}])])

    assert [r.id for r in store.list("dataset")] == ["dataset:file//data/x"]
    record = store.show("file:///data/x")
    assert record.name == "file//data/x"
    assert record.facts["license"] == "MIT"


def test_showing_an_unknown_name_is_one_line_and_writes_nothing(
    store: lineage.Store,
) -> None:
    store.ingest_events([_event([], [_spark_table_path()])])
    before = table_counts(store.url)
    line = one_error_line(invoke(store.url, "show hdfs://host/user/hive/warehouse/t2"), 1)
    assert "'hdfs://host/user/hive/warehouse/t2' is not recorded" in line
    assert table_counts(store.url) == before


# -- the same content under two names ---------------------------------------------------------
def _two_copies(store: lineage.Store, tmp_path: Path, mirror_licence: str) -> None:
    books = tmp_path / "books3.jsonl"
    books.write_text('{"text": "a book"}\n', encoding="utf-8")
    mirror = tmp_path / "mirror" / "b3.jsonl"
    mirror.parent.mkdir()
    mirror.write_text('{"text": "a book"}\n', encoding="utf-8")
    store.record(
        {
            "sources": [
                {"name": "books3", "path": str(books), "license": "LicenseRef-proprietary"},
                {"name": "b3-mirror", "path": str(mirror), "license": mirror_licence},
            ],
            "datasets": [{"name": "mix"}],
            "models": [{"name": "m", "intended_use": "research"}],
            "runs": [
                {
                    "operation": "mix",
                    "name": "mix-run",
                    "inputs": ["b3-mirror"],
                    "outputs": ["mix"],
                },
                {"operation": "train", "name": "train-m", "inputs": ["mix"], "outputs": ["m"]},
            ],
        }
    )


def test_show_lists_the_records_with_the_same_content(store: lineage.Store, tmp_path: Path) -> None:
    _two_copies(store, tmp_path, "MIT")
    assert store.show("books3").same_content == ("source:b3-mirror",)
    output = ok(invoke(store.url, "show b3-mirror"))
    assert "same content as: source:books3" in output


def test_check_reports_copies_whose_licences_disagree(store: lineage.Store, tmp_path: Path) -> None:
    _two_copies(store, tmp_path, "MIT")
    found = lineage.check(store, "m").of_rule("same-content")
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert "source:b3-mirror and source:books3 hold the same content" in found[0].message
    assert "licence MIT vs LicenseRef-proprietary" in found[0].message


def test_check_is_quiet_when_copies_agree_in_other_words(
    store: lineage.Store, tmp_path: Path
) -> None:
    books = tmp_path / "a.txt"
    books.write_text("same\n", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("same\n", encoding="utf-8")
    store.record(
        {
            "sources": [
                {"name": "a", "path": str(books), "license": "MIT OR Apache-2.0"},
                {"name": "b", "path": str(other), "license": "Apache-2.0 OR MIT"},
            ],
            "models": [{"name": "m", "intended_use": "research"}],
            "runs": [{"operation": "train", "name": "t", "inputs": ["a"], "outputs": ["m"]}],
        }
    )
    assert store.show("a").same_content == ("source:b",)
    assert lineage.check(store, "m").of_rule("same-content") == ()


def test_revoking_one_copy_reaches_every_copy(store: lineage.Store, tmp_path: Path) -> None:
    _two_copies(store, tmp_path, "LicenseRef-proprietary")
    store.revoke("books3", reason="takedown", effective="2026-01-01")

    found = lineage.check(store, "m").of_rule("revoked-data")
    assert [f.subject for f in found] == ["source:b3-mirror"]
    assert "same content as source:books3" in found[0].message
    impact = store.impact("books3")
    assert [m.id for m in impact.models] == ["model:m"]
    assert impact.models[0].path == (
        "source:books3",
        "source:b3-mirror",
        "activity:mix-run",
        "dataset:mix",
        "activity:train-m",
        "model:m",
    )


def test_the_uri_of_a_dataset_finds_its_record_of_an_earlier_release(store: lineage.Store) -> None:
    store.record({"datasets": [{"name": "hdfs://nn:8020//user/x"}]})  # as named before schema 6
    assert store.show("hdfs://nn:8020/user/x").name == "hdfs://nn:8020//user/x"
    assert store.show("dataset:hdfs://nn:8020/user/x").name == "hdfs://nn:8020//user/x"


def test_a_tampered_alias_row_is_named_by_audit_verify(store: lineage.Store) -> None:
    store.ingest_events([_event([], [_spark_table_path()])])
    assert store.verify().ok
    engine = sqlalchemy.create_engine(store.url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE alias SET name = 'hdfs://host/elsewhere'"))
    engine.dispose()
    problems = [p.message for p in store.verify().problems]
    assert any(m.startswith("alias row 1 ('hdfs://host/elsewhere'") for m in problems), problems


def test_a_table_and_its_path_named_in_one_batch_are_one_record(store: lineage.Store) -> None:
    reader = _event([{"namespace": "hive://host", "name": "default.t1"}], [], job="read")
    store.ingest_events([reader, _event([], [_spark_table_path()], job="write")])

    assert [r.id for r in store.list("dataset")] == ["dataset:hive://host/default.t1"]
    upstream = store.upstream(f"activity:{reader['run']['runId']}")
    assert "dataset:hive://host/default.t1" in upstream
