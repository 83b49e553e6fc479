"""`lineage check` on the sample model finds every problem planted in sample_data/."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import lineage

PLANTED = {
    ("unknown-provenance", "source:code-chat-widget-snippets"),  # 1: no licence, no owner
    ("non-commercial", "source:product-reviews-openshelf"),  # 2: CC-BY-NC-4.0
    ("pii-no-legal-basis", "source:chat-transcripts-2025"),  # 3a
    ("pii-not-removed", "source:support-tickets-2025h1"),  # 3b: bypasses scrub-pii
    ("no-competing-models", "source:synthetic-instructions-orion"),  # 4
    ("opt-out-not-honoured", "source:forum-scrape-gadgethelp-2025-04"),  # 5
    ("share-alike", "source:code-reply-macros"),  # 6: GPL into a proprietary model
    ("licence-conflict", "source:code-reply-macros"),  # 6: mixed with other licences
}
# Warnings from the sample's block "Licence claims and history".
CLAIMS_AND_HISTORY = {
    ("licence-disagreement", "source:product-reviews-openshelf"),  # 7: concluded vs audited
    ("changed-after-use", "source:helpdesk-handbook-meridian"),  # 8: relicensed after use
}
LESSER = {
    ("personal-data-unknown", "source:web-crawl-2025-05"),
    ("personal-data-unknown", "source:forum-scrape-gadgethelp-2025-04"),
}
WHILE_APPROVED = datetime(2025, 7, 1, tzinfo=UTC)


@pytest.fixture
def sample_at_root(
    sample_store: lineage.Store,
    monkeypatch: pytest.MonkeyPatch,
) -> lineage.Store:
    monkeypatch.chdir(lineage.__file__.rsplit("/lineage/", 1)[0])
    return sample_store


def _planted_evaluations(store: lineage.Store) -> set[tuple[str, str]]:
    """Issue 14: the held-out set comes from the Meridian handbook the model was trained
    on (contaminated), and its locale gap is over its bar (failed)."""
    [gap] = [
        e
        for e in store.evaluations("support-assistant-v1")
        if e.slice == "locale=*" and e.dataset == "dataset:support-heldout-v1"
    ]
    return {
        ("evaluation-failed", gap.id),
        ("evaluation-contaminated", "source:helpdesk-handbook-meridian"),
    }


def test_check_finds_every_planted_problem_and_nothing_else(
    sample_at_root: lineage.Store,
) -> None:
    result = lineage.check(sample_at_root, "support-assistant-v1", now=WHILE_APPROVED)
    found = {(f.rule, f.subject) for f in result.findings}
    assert found == PLANTED | LESSER | _planted_evaluations(sample_at_root) | CLAIMS_AND_HISTORY
    warnings = {(f.rule, f.subject) for f in result.findings if f.severity == "warning"}
    assert warnings == CLAIMS_AND_HISTORY
    assert not result.ok and result.errors == len(result.findings) - len(warnings)
    assert result.intended_use_from == "record"


def test_every_planted_finding_has_a_path_from_its_source_to_the_model(
    sample_at_root: lineage.Store,
) -> None:
    result = lineage.check(sample_at_root, "support-assistant-v1", now=WHILE_APPROVED)
    for finding in result.findings:
        assert finding.path[0] == finding.subject
        assert finding.path[-1] == "model:support-assistant-v1"


def test_the_approval_expires_on_the_recorded_date(sample_at_root: lineage.Store) -> None:
    later = datetime(2026, 7, 1, tzinfo=UTC)
    result = lineage.check(sample_at_root, "support-assistant-v1", now=later)
    [approval, renewal] = sample_at_root.approvals("support-assistant-v1", now=later)
    assert approval.status == "expired"
    # Renewed from 2026-11-20, after the independent evaluation.
    assert renewal.status == "not yet effective"
    assert [f.message for f in result.of_rule("approval-missing")] == [
        "model:support-assistant-v1 has no approval in force: the latest, "
        "attestation:renewal-support-assistant-v1 (conditional), takes effect on 2026-11-20"
    ]
    renewed = lineage.check(
        sample_at_root, "support-assistant-v1", now=datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert renewed.of_rule("approval-missing") == ()


def test_check_as_of_before_the_ingest_is_bad_input(sample_at_root: lineage.Store) -> None:
    with pytest.raises(lineage.LineageError):
        lineage.check(
            sample_at_root, "support-assistant-v1", as_of=datetime(2000, 1, 1, tzinfo=UTC)
        )
