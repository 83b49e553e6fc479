"""What one feature records travels through the other features' formats: sign-offs,
revocations and `lineage verify` results (governance) and parent runs (OpenLineage)
come back the same from W3C PROV and from OpenLineage exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graph_compare import assert_same_graph

import lineage

OL_EVENTS = Path(__file__).resolve().parent.parent / "openlineage"


def _filled(store: lineage.Store, tmp_path: Path) -> None:
    """The sample pipeline plus one of everything the later features record."""
    data = tmp_path / "reviews.jsonl"
    data.write_text('{"text": "great kettle"}\n', encoding="utf-8")
    store.add_source("reviews", license="CC-BY-4.0", owner="Shopwise", path=str(data))
    store.add_dataset("reviews-clean")
    store.record_run("clean", name="clean-reviews", inputs=["reviews"], outputs=["reviews-clean"])
    assert store.verify_content("reviews-clean").ok  # a verification record
    store.revoke("reviews", reason="licence ended", effective="2026-01-01")  # a revocation
    child = {
        "eventType": "COMPLETE",
        "eventTime": "2025-06-02T09:00:00Z",
        "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/integration/airflow",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {
            "runId": "01937f2a-5b1c-7d3e-8f40-000000000001",
            "facets": {
                "parent": {
                    "_producer": "https://example.com/airflow",
                    "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/ParentRunFacet.json",
                    "run": {"runId": "01937f2a-5b1c-7d3e-8f40-0000000000aa"},
                    "job": {"namespace": "airflow", "name": "orders_dag"},
                }
            },
        },
        "job": {"namespace": "airflow", "name": "clean_orders"},
        "inputs": [{"namespace": "postgres://db:5432", "name": "raw.orders"}],
        "outputs": [{"namespace": "postgres://db:5432", "name": "clean.orders"}],
    }
    store.ingest_events([child])  # a run informed by its parent run


@pytest.mark.parametrize("format_", ["prov-json", "openlineage"])
def test_governance_records_and_parent_runs_round_trip(
    sample_store: lineage.Store, db_url: str, tmp_path: Path, format_: str
) -> None:
    _filled(sample_store, tmp_path)
    kinds = {kind for _, kind in sample_store.graph().nodes(data="kind")}
    assert {"attestation", "revocation", "verification", "activity"} <= kinds
    relations = {r for _, _, r in sample_store.graph().edges(data="relation")}
    assert "was_informed_by" in relations
    exported = tmp_path / f"export.{format_}"
    exported.write_bytes(sample_store.export(format_).data)
    if format_ == "prov-json":
        assert "wasInformedBy" in json.loads(exported.read_text(encoding="utf-8"))
    copy = f"sqlite:///{tmp_path / 'copy.db'}"

    with lineage.open_store(copy) as store:
        store.ingest([str(exported)])

    graph = assert_same_graph(db_url, copy)
    assert ("revocation" in {kind for kind, _ in graph.nodes}) and graph.edges


@pytest.mark.parametrize("format_", ["prov-json", "openlineage"])
def test_a_sign_off_imported_from_another_store_is_valid_until_its_upstream_changes(
    store: lineage.Store, tmp_path: Path, format_: str
) -> None:
    store.add_agent("maria", type="person")
    store.add_source("reviews", license="CC-BY-4.0", owner="Shopwise")
    store.add_model("assistant", license="Apache-2.0")
    store.record_run("train", name="train-1", inputs=["reviews"], outputs=["assistant"])
    store.approve("assistant", by="maria", scope="support replies")
    assert [a.status for a in store.approvals("assistant")] == ["valid"]
    exported = tmp_path / f"export.{format_}"
    exported.write_bytes(store.export(format_).data)

    with lineage.open_store(f"sqlite:///{tmp_path / 'copy.db'}") as copy:
        copy.ingest([str(exported)])
        (imported,) = copy.approvals("assistant")
        assert imported.upstream_digest is not None
        assert (imported.status, imported.problems) == ("valid", ())
        copy.add_source("tickets", license="MIT", owner="Shopwise")
        copy.record_run("train", name="train-2", inputs=["tickets"], outputs=["assistant"])
        (after,) = copy.approvals("assistant")

    assert after.status == "stale"
    assert "activity:train-2" in after.changed
