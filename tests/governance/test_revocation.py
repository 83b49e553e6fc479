"""Revocation of data deep in the sample pipeline, and what it reaches."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import networkx as nx
import pytest
import yaml
from cli_run import invoke, ok
from samples import SAMPLE

import lineage

NOW = datetime(2025, 7, 1, tzinfo=UTC)  # while the sample's approval is in force


def _downstream_in_manifest(name: str) -> tuple[set[str], set[str]]:
    """Datasets and models built from `name`, worked out from the manifest file itself."""
    manifest = yaml.safe_load((SAMPLE / "lineage.yaml").read_text(encoding="utf-8"))
    flow: nx.DiGraph[str] = nx.DiGraph()
    for run in manifest["runs"]:
        for item in run["inputs"]:
            for output in run.get("outputs", []):
                flow.add_edge(item, output)
    for kind in ("sources", "datasets", "models"):
        for entity in manifest.get(kind, []):
            for origin in entity.get("derived_from", []):
                flow.add_edge(origin, entity["name"])
            if entity.get("generated_by"):
                flow.add_edge(entity["generated_by"], entity["name"])
    reached = nx.descendants(flow, name)
    datasets = {f"dataset:{d['name']}" for d in manifest["datasets"] if d["name"] in reached}
    models = {f"model:{m['name']}" for m in manifest["models"] if m["name"] in reached}
    return datasets, models


def test_revoking_a_source_deep_in_the_pipeline_lists_exactly_what_is_downstream(
    sample_store: lineage.Store,
) -> None:
    datasets, models = _downstream_in_manifest("web-crawl-2025-05")
    # The German fine-tune (sample_data, issue 12) is built on the model, so it is reached too.
    assert len(datasets) >= 5
    assert models == {"model:support-assistant-v1", "model:support-assistant-v1-de"}

    sample_store.revoke("web-crawl-2025-05", reason="takedown request", effective="2025-06-06")
    found = sample_store.impact("web-crawl-2025-05")

    assert {d.id for d in found.datasets} == datasets
    assert {m.id for m in found.models} == models
    assert found.other == ()
    assert found.effective == "2025-06-06"
    assert [r.reason for r in found.revocations] == ["takedown request"]


def test_impact_gives_each_path_and_whether_it_was_made_after_the_revocation(
    sample_store: lineage.Store,
) -> None:
    sample_store.revoke("web-crawl-2025-05", reason="takedown request", effective="2025-06-06")
    found = sample_store.impact("web-crawl-2025-05")
    by_id = {a.id: a for a in (*found.datasets, *found.models)}

    model = by_id["model:support-assistant-v1"]
    assert model.path[0] == "source:web-crawl-2025-05"
    assert model.path[-1] == "model:support-assistant-v1"
    assert model.made_by == "activity:train-support-assistant-v1"
    assert model.after_revocation is True
    assert model.local_path is not None
    assert model.local_path.endswith("sample_data/models/support-assistant-v1")
    # Made on 2025-06-02..05, before the takedown took effect; mixed and trained after it.
    assert {i for i, a in by_id.items() if a.after_revocation is False} == {
        "dataset:web-text-raw",
        "dataset:web-text-en",
        "dataset:text-deduped",
    }
    # Each path is a chain of recorded relations (pointing from the dependent record back).
    graph = sample_store.downstream("web-crawl-2025-05")
    for item in by_id.values():
        for before, after in zip(item.path, item.path[1:], strict=False):
            assert graph.has_edge(after, before), (before, after)


def test_impact_says_what_the_revocation_means_for_each_approval(
    sample_store: lineage.Store,
) -> None:
    sample_store.revoke("web-crawl-2025-05", reason="takedown request", effective="2025-06-06")

    # The sign-off of 2025-06-16 (the renewal of 2026-11-20 covers the data too).
    [approval] = [
        a
        for a in sample_store.impact("web-crawl-2025-05").approvals
        if a.approval == "attestation:approval-support-assistant-v1"
    ]

    assert approval.approval == "attestation:approval-support-assistant-v1"
    assert approval.subject == "model:support-assistant-v1"
    assert approval.meaning.startswith(
        "no longer holds: model:support-assistant-v1 is built from source:web-crawl-2025-05, "
        "which is revoked from 2025-06-06"
    )
    judged, renewal = sample_store.approvals("support-assistant-v1", now=NOW)
    assert renewal.id == "attestation:renewal-support-assistant-v1"
    assert judged.status == "revoked-data"
    assert judged.revoked == ("source:web-crawl-2025-05",)


def test_checks_and_reports_show_the_revoked_data(sample_store: lineage.Store) -> None:
    before = lineage.check(sample_store, "support-assistant-v1", now=NOW)
    assert before.of_rule("revoked-data") == ()
    sample_store.revoke(
        "helpdesk-handbook-meridian", reason="licence ended", effective="2025-06-20"
    )

    result = lineage.check(sample_store, "support-assistant-v1", now=NOW)

    [finding] = result.of_rule("revoked-data")
    assert finding.severity == "error"
    assert finding.subject == "source:helpdesk-handbook-meridian"
    assert finding.path[-1] == "model:support-assistant-v1"
    assert "was revoked from 2025-06-20 (licence ended;" in finding.message
    report = lineage.build_report(sample_store, "support-assistant-v1", produced_at=NOW)
    [table] = report.section("revocations").blocks
    rows = table.rows  # type: ignore[union-attr]
    assert [row[0].text for row in rows] == ["source:helpdesk-handbook-meridian"]
    assert rows[0][2].text == "licence ended"
    assert rows[0][3].text == "2025-06-20"


def test_a_revocation_not_yet_in_effect_does_not_void_the_approval(
    sample_store: lineage.Store,
) -> None:
    sample_store.revoke("web-crawl-2025-05", reason="licence ends", effective="2025-12-31")

    approval, renewal = sample_store.approvals("support-assistant-v1", now=NOW)

    assert approval.status == "valid"
    assert renewal.status == "not yet effective"
    [finding] = lineage.check(sample_store, "support-assistant-v1", now=NOW).of_rule("revoked-data")
    assert "with effect from 2025-12-31" in finding.message


def test_revoke_cli_is_append_only_and_idempotent(sample_store: lineage.Store) -> None:
    command = (
        "revoke chat-transcripts-2025 --reason 'consent withdrawn' --effective 2026-01-10 "
        "--by maria-lopez"
    )
    entries = sample_store.info().ledger_entries

    first = ok(invoke(sample_store.url, command))
    again = ok(invoke(sample_store.url, command))

    assert first.startswith("recorded revocation:revoke-chat-transcripts-2025-")
    assert again == first.replace("recorded", "unchanged")
    assert sample_store.info().ledger_entries == entries + 1
    record = sample_store.show(first.split()[1])
    assert record.current.effective == "2026-01-10"
    assert record.facts["description"] == "consent withdrawn"
    assert sample_store.verify().ok
    # The source itself is untouched: nothing was updated or deleted.
    assert sample_store.show("chat-transcripts-2025").current.version == 1


def test_impact_cli_json(sample_store: lineage.Store) -> None:
    sample_store.revoke("chat-transcripts-2025", reason="consent withdrawn", effective="2025-06-01")

    data = json.loads(ok(invoke(sample_store.url, "impact chat-transcripts-2025 --json")))

    assert data["record"] == "source:chat-transcripts-2025"
    assert data["revoked"] is True
    datasets, models = _downstream_in_manifest("chat-transcripts-2025")
    assert {d["id"] for d in data["datasets"]} == datasets
    assert {m["id"] for m in data["models"]} == models
    assert all(d["after_revocation"] for d in data["datasets"])


@pytest.mark.parametrize("name", ["web-crawl-2025-05", "support-tickets-2025h1"])
def test_impact_without_a_revocation_lists_what_it_would_reach(
    sample_store: lineage.Store, name: str
) -> None:
    found = sample_store.impact(name)

    assert found.revocations == ()
    assert {d.id for d in found.datasets} == _downstream_in_manifest(name)[0]
    assert all(d.after_revocation is None for d in found.datasets)
