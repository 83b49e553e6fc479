"""Store -> W3C PROV -> store gives the same graph: on the sample data and on generated graphs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from graph_compare import assert_same_graph, snapshot
from hypothesis import assume, given
from prov.model import ProvActivity, ProvDocument
from prov.tests.strategies import prov_documents
from samples import table_counts
from strategies import manifests

import lineage


def _through_prov_json(source_url: str, target_url: str, folder: Path, target: str | None) -> None:
    """Export the store at `source_url` as PROV-JSON and ingest the file into `target_url`."""
    document = folder / "lineage.provjson"
    with lineage.open_store(source_url) as store:
        document.write_bytes(store.export("prov-json", target).data)
    with lineage.open_store(target_url) as store:
        store.ingest([str(document)])


def test_the_sample_round_trips_through_prov_json(
    sample_store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    copy = f"sqlite:///{tmp_path / 'copy.db'}"

    _through_prov_json(db_url, copy, tmp_path, None)

    graph = assert_same_graph(db_url, copy)
    assert len(graph.nodes) == 79
    assert len(graph.edges) == 136


def test_the_trail_of_the_sample_model_round_trips_through_prov_json(
    sample_store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    wanted = {f"{r.kind}:{r.name}" for r in sample_store.closure("support-assistant-v1")}
    assert len(wanted) > 30
    copy = f"sqlite:///{tmp_path / 'copy.db'}"

    _through_prov_json(db_url, copy, tmp_path, "support-assistant-v1")

    copied = snapshot(copy)
    # The model, its upstream, and the sign-off on it with who gave it (and on whose behalf).
    signed = {
        f"{r.kind}:{r.name}"
        for attestation in ("approval-support-assistant-v1", "renewal-support-assistant-v1")
        for r in sample_store.closure(attestation)
    } | {"attestation:approval-support-assistant-v1", "attestation:renewal-support-assistant-v1"}
    assert "agent:maria-lopez" in signed
    # And the licence claims made about records in the trail, with who made them.
    claims = {s.id for s in sample_store.list(kind="claim")}
    assert len(claims) == 1
    assert {f"{k}:{n}" for k, n in copied.nodes} == wanted | signed | claims
    original = snapshot(db_url)
    for key, facts in copied.nodes.items():
        assert facts == original.nodes[key]
    for edge, role in copied.edges.items():
        assert original.edges[edge] == role
    assert len(copied.edges) > 30


def test_a_round_trip_keeps_amended_facts_and_when_they_took_effect(
    store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    store.add_source("reviews", license="CC-BY-NC-4.0", obtained="public")
    store.amend("reviews", reason="relicensed", license="CC-BY-4.0", effective="2025-09-01")
    store.add_agent("ann", type="person")
    store.amend("ann", reason="moved", description="now in legal", effective="2025-10-01")
    copy = f"sqlite:///{tmp_path / 'copy.db'}"

    _through_prov_json(db_url, copy, tmp_path, None)

    graph = assert_same_graph(db_url, copy)
    assert graph.nodes[("source", "reviews")]["license"] == "CC-BY-4.0"
    assert graph.nodes[("source", "reviews")]["effective"] == "2025-09-01"
    assert graph.nodes[("agent", "ann")]["effective"] == "2025-10-01"


@given(manifest=manifests())
def test_generated_graphs_round_trip_through_prov_json(manifest: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        original, copy = (f"sqlite:///{folder / n}" for n in ("original.db", "copy.db"))
        with lineage.open_store(original) as store:
            store.record(manifest)

        _through_prov_json(original, copy, folder, None)

        assert_same_graph(original, copy)


def _valid_for_the_store(document: ProvDocument) -> bool:
    """Documents the store takes: no bundles, and no activity that ends before it starts
    (PROV-CONSTRAINTS' start-precedes-end; prov's generator does not keep to it)."""
    if document.has_bundles():
        return False
    for activity in document.get_records(ProvActivity):
        start, end = activity.get_startTime(), activity.get_endTime()
        if start and end and end < start:
            return False
    return True


@given(document=prov_documents())
def test_foreign_documents_from_prov_s_own_generator_round_trip(document: ProvDocument) -> None:
    assume(_valid_for_the_store(document))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        foreign = folder / "foreign.json"
        foreign.write_text(document.serialize(format="json"), encoding="utf-8")
        first, second = (f"sqlite:///{folder / n}" for n in ("first.db", "second.db"))
        with lineage.open_store(first) as store:
            store.ingest([str(foreign)])

        _through_prov_json(first, second, folder, None)

        assert_same_graph(first, second)


def test_ingesting_an_export_into_the_store_it_came_from_changes_nothing(
    sample_store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    document = tmp_path / "sample.provjson"
    document.write_bytes(sample_store.export("prov-json").data)
    before = table_counts(db_url)

    result = sample_store.ingest([str(document)])

    assert result.created == ()
    assert len(result.unchanged) == 79
    assert table_counts(db_url) == before
