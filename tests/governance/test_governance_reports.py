"""Governance records in reports: revoked data, verifications and approvals, schema-valid JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy
from samples import SAMPLE

import lineage
from lineage.reports import render_report

ROOT = SAMPLE.parent
SCHEMA = json.loads((ROOT / "lineage" / "reports" / "report.schema.json").read_text())
NOW = datetime(2025, 7, 1, tzinfo=UTC)


@pytest.fixture
def governed(sample_store: lineage.Store, monkeypatch: pytest.MonkeyPatch) -> lineage.Store:
    """The sample, verified from the repository folder, approved again, one source revoked."""
    monkeypatch.chdir(ROOT)  # recorded paths are relative to the repository
    assert sample_store.verify_content("support-assistant-v1").ok
    sample_store.approve(
        "support-assistant-v1",
        by="maria-lopez",
        role="compliance-officer",
        tier="general-commercial",
        scope="support replies",
        effective="2025-06-20",
        expires="2026-06-01",
    )
    sample_store.revoke("chat-transcripts-2025", reason="consent withdrawn", effective="2025-06-25")
    return sample_store


def test_the_json_report_with_governance_records_validates_against_the_schema(
    governed: lineage.Store,
) -> None:
    report = lineage.build_report(governed, "support-assistant-v1", produced_at=NOW)
    data = json.loads(render_report(report, "json"))

    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    refs = {
        ref
        for section in data["sections"]
        for block in section["blocks"]
        if block["kind"] == "table"
        for row in block["rows"]
        for cell in row
        for ref in cell["refs"]
    }
    assert any(ref.startswith("verification:") for ref in refs)
    assert any(ref.startswith("revocation:") for ref in refs)


def test_the_markdown_report_shows_revoked_data_and_approval_statuses(
    governed: lineage.Store,
) -> None:
    report = lineage.build_report(governed, "support-assistant-v1", produced_at=NOW)
    text = render_report(report, "md").decode("utf-8")

    assert "## Revoked data" in text
    assert "consent withdrawn" in text
    assert (
        "revoked-data on 2025-07-01: it covers revoked data: source:chat-transcripts-2025" in text
    )
    assert "compliance-officer" in text
    assert "(lineage verify, " in text
    assert any(f.rule == "revoked-data" for f in report.findings)


def test_a_manifest_approval_can_name_the_signers_role(store: lineage.Store) -> None:
    store.record(
        {
            "agents": [{"name": "ann", "type": "person"}],
            "models": [{"name": "m"}],
            "attestations": [{"name": "ok", "subject": "m", "by": "ann", "role": "system-owner"}],
        }
    )

    [approval] = store.approvals("m")

    assert approval.role == "system-owner"
    assert approval.status == "valid"


def test_verifying_the_sample_from_another_folder_finds_its_files(
    sample_store: lineage.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the sample's paths are relative to its data root

    result = sample_store.verify_content("support-assistant-v1")

    assert result.ok
    assert result.counts()["matching"] > 5


def test_verifying_relative_paths_without_a_data_root_elsewhere_is_refused(
    store: lineage.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths recorded relative to a command's folder (releases before schema 6)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.txt").write_text("x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    store.record({"sources": [{"name": "x", "path": "data/x.txt"}]})
    digest = store.show("x").facts["digest"]
    engine = sqlalchemy.create_engine(store.url)
    with engine.begin() as connection:  # what an earlier release recorded
        connection.execute(sqlalchemy.text("UPDATE node SET path = 'data/x.txt'"))
    engine.dispose()
    assert digest
    monkeypatch.chdir(tmp_path / "data")

    with pytest.raises(lineage.PathError, match="recorded paths exists from"):
        store.verify_content("x")

    assert store.list("verification") == []
