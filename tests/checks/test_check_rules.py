"""Each rule on a small trail where it must fire, and on one where it must not."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rule_trails import DIGEST, NOW, Checker, clean_manifest, fired, source

import lineage
from lineage.checks import RULES, Policy


def test_the_clean_trail_passes_every_rule(checked: Checker) -> None:
    result = checked(clean_manifest())
    assert result.target == "model:model"
    assert result.findings == ()
    assert result.ok


def test_every_rule_has_a_function_and_a_test_below() -> None:
    import test_tiers  # the evaluation rules are tested beside `lineage tiers`

    tested = {
        name.removeprefix("test_").split("__")[0].replace("_", "-")
        for name in [*globals(), *vars(test_tiers)]
        if name.startswith("test_")
    }
    assert set(RULES) <= tested


# -- unknown-provenance ------------------------------------------------------------------------


def test_unknown_provenance__fires_for_a_source_without_licence_owner_or_uri(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    for key in ("license", "owner", "uri"):
        del source(manifest)[key]
    result = checked(manifest)
    finding = result.of_rule("unknown-provenance")[0]
    assert finding.subject == "source:src"
    assert "no licence, no owner and no origin URI" in finding.message
    assert finding.path == (
        "source:src",
        "activity:filter-run",
        "dataset:clean",
        "activity:train-run",
        "model:model",
    )


def test_unknown_provenance__fires_for_a_base_model_without_owner(checked: Checker) -> None:
    manifest = clean_manifest()
    manifest["models"].append({"name": "base", "license": "Apache-2.0"})
    manifest["runs"][1]["inputs"].append("base")
    assert fired(checked(manifest), "unknown-provenance") == ["model:base"]


def test_unknown_provenance__silent_for_derived_datasets_without_licence(checked: Checker) -> None:
    # 'clean' has no licence of its own: it inherits its input's terms.
    assert fired(checked(clean_manifest()), "unknown-provenance") == []


# -- licence-not-allowed -----------------------------------------------------------------------


def test_licence_not_allowed__fires_for_a_forbidden_licence(checked: Checker) -> None:
    policy = Policy(forbidden_licenses=("MIT",))
    assert fired(checked(clean_manifest(), policy=policy), "licence-not-allowed") == ["source:src"]


def test_licence_not_allowed__fires_for_a_licence_outside_the_allowed_list(
    checked: Checker,
) -> None:
    policy = Policy(allowed_licenses=("Apache-2.0",))
    assert fired(checked(clean_manifest(), policy=policy), "licence-not-allowed") == ["source:src"]


def test_licence_not_allowed__silent_when_a_choice_avoids_the_forbidden_licence(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "MIT OR GPL-3.0-only"
    policy = Policy(forbidden_licenses=("GPL-3.0-only",), allowed_licenses=("MIT",))
    assert fired(checked(manifest, policy=policy), "licence-not-allowed") == []


# -- non-commercial ----------------------------------------------------------------------------


def test_non_commercial__fires_for_cc_by_nc_in_a_commercial_model(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "CC-BY-NC-4.0"
    finding = checked(manifest).of_rule("non-commercial")[0]
    assert finding.subject == "source:src"
    assert "CC-BY-NC-4.0" in finding.message and "commercial use" in finding.message


def test_non_commercial__silent_for_a_research_model(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "CC-BY-NC-4.0"
    manifest["models"][0]["intended_use"] = "research"
    assert fired(checked(manifest), "non-commercial") == []


# -- research-only -----------------------------------------------------------------------------


def test_research_only__fires_for_research_terms_in_a_commercial_model(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(license="LicenseRef-lab-terms", restrictions=["research-only"])
    assert fired(checked(manifest), "research-only") == ["source:src"]


def test_research_only__silent_when_the_policy_says_research(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(license="LicenseRef-lab-terms", restrictions=["research-only"])
    assert fired(checked(manifest, policy=Policy(intended_use="research")), "research-only") == []


# -- no-derivatives ----------------------------------------------------------------------------


def test_no_derivatives__fires_for_transformed_nd_data(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "CC-BY-ND-4.0"
    finding = checked(manifest).of_rule("no-derivatives")[0]
    assert "transformed by activity:filter-run" in finding.message


def test_no_derivatives__silent_when_the_nd_source_itself_is_checked(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "CC-BY-ND-4.0"
    assert fired(checked(manifest, target="source:src"), "no-derivatives") == []


# -- share-alike -------------------------------------------------------------------------------


def test_share_alike__fires_for_gpl_data_in_an_mit_model(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "GPL-3.0-only"
    finding = checked(manifest).of_rule("share-alike")[0]
    assert "model:model is licensed MIT" in finding.message


def test_share_alike__silent_when_the_model_carries_the_same_licence(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "GPL-3.0-only"
    manifest["models"][0]["license"] = "GPL-3.0-only"
    assert fired(checked(manifest), "share-alike") == []


# -- no-competing-models -----------------------------------------------------------------------


def test_no_competing_models__fires_once_for_synthetic_data_and_its_generator(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    manifest["models"].append(
        {
            "name": "gen",
            "owner": "Vendor AI",
            "license": "LicenseRef-vendor-terms",
            "restrictions": ["no-competing-models"],
        }
    )
    source(manifest).update(
        obtained="synthetic",
        generated_by="gen",
        license="LicenseRef-vendor-terms",
        restrictions=["no-competing-models"],
    )
    findings = checked(manifest).of_rule("no-competing-models")
    assert [f.subject for f in findings] == ["source:src"]
    assert "from model:gen" in findings[0].message and "Vendor AI's" in findings[0].message


def test_no_competing_models__silent_without_the_restriction(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(license="LicenseRef-vendor-terms")
    assert fired(checked(manifest), "no-competing-models") == []


# -- licence-conflict --------------------------------------------------------------------------


def _two_sources(first: str | None, second: str | None) -> dict[str, object]:
    manifest = clean_manifest()
    other = dict(source(manifest), name="other")
    source(manifest)["license"] = first
    other["license"] = second
    if first is None:
        del source(manifest)["license"]
    if second is None:
        del other["license"]
    manifest["sources"].append(other)
    manifest["runs"][0]["inputs"].append("other")
    return manifest


def test_licence_conflict__fires_for_gpl2_with_apache_from_the_osadl_matrix(
    checked: Checker,
) -> None:
    finding = checked(_two_sources("GPL-2.0-only", "Apache-2.0")).of_rule("licence-conflict")[0]
    assert "OSADL" in finding.message and "combined in activity:filter-run" in finding.message


def test_licence_conflict__fires_for_copyleft_with_unlicensed_data(checked: Checker) -> None:
    assert fired(checked(_two_sources("GPL-3.0-only", None)), "licence-conflict") == ["source:src"]


def test_licence_conflict__fires_for_share_alike_with_non_commercial(checked: Checker) -> None:
    finding = checked(_two_sources("CC-BY-SA-4.0", "CC-BY-NC-4.0")).of_rule("licence-conflict")[0]
    assert "adds non-commercial" in finding.message


def test_licence_conflict__silent_for_gpl3_with_apache(checked: Checker) -> None:
    assert fired(checked(_two_sources("GPL-3.0-only", "Apache-2.0")), "licence-conflict") == []


# -- pii-no-legal-basis ------------------------------------------------------------------------


def test_pii_no_legal_basis__fires_for_personal_data_without_a_basis(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(personal_data="yes", personal_data_categories=["emails"])
    manifest["runs"][0]["operation"] = "scrub-pii"
    finding = checked(manifest).of_rule("pii-no-legal-basis")[0]
    assert "(emails)" in finding.message


def test_pii_no_legal_basis__silent_with_a_basis(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(personal_data="yes", legal_basis="GDPR Art. 6(1)(a) consent")
    assert fired(checked(manifest), "pii-no-legal-basis") == []


# -- pii-not-removed ---------------------------------------------------------------------------


def test_pii_not_removed__fires_without_a_scrub_between_source_and_model(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(personal_data="yes", legal_basis="consent")
    finding = checked(manifest).of_rule("pii-not-removed")[0]
    assert finding.path[0] == "source:src" and finding.path[-1] == "model:model"
    assert "through activity:filter-run" in finding.message


def test_pii_not_removed__fires_when_one_path_bypasses_the_scrub(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(personal_data="yes", legal_basis="consent")
    manifest["runs"][0]["operation"] = "scrub-pii"
    manifest["datasets"].append({"name": "raw-qa", "digest": DIGEST})
    manifest["runs"].insert(
        1, {"operation": "extract-qa", "name": "qa-run", "inputs": ["src"], "outputs": ["raw-qa"]}
    )
    manifest["runs"][2]["inputs"].append("raw-qa")
    finding = checked(manifest).of_rule("pii-not-removed")[0]
    assert "activity:qa-run" in finding.path and "activity:filter-run" not in finding.path


def test_pii_not_removed__silent_when_every_path_removes_every_category(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    source(manifest).update(
        personal_data="yes", legal_basis="consent", personal_data_categories=["names", "emails"]
    )
    # No magic word in the operation: what counts is what the run says it removed.
    manifest["runs"][0].update(removes_personal_data=["names", "emails"], method="masking")
    assert fired(checked(manifest), "pii-not-removed") == []


def test_pii_not_removed__a_scrub_known_by_its_name_only_is_a_warning_that_says_so(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    source(manifest).update(personal_data="yes", legal_basis="consent")
    manifest["runs"][0]["operation"] = "scrub-pii"
    finding = checked(manifest).of_rule("pii-not-removed")[0]
    assert finding.severity == "warning"
    assert "activity:filter-run, judged to remove personal data by its operation's name" in (
        finding.message
    )


def test_pii_not_removed__honours_the_policys_removal_operations_as_names(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    source(manifest).update(personal_data="yes", legal_basis="consent")
    policy = Policy(pii_removal_operations=("filter",))
    (finding,) = checked(manifest, policy=policy).of_rule("pii-not-removed")
    assert finding.severity == "warning" and "name only" in finding.message


# -- personal-data-unknown ---------------------------------------------------------------------


def test_personal_data_unknown__fires_for_unknown_and_missing(checked: Checker) -> None:
    manifest = _two_sources("MIT", "MIT")
    source(manifest)["personal_data"] = "unknown"
    del source(manifest, "other")["personal_data"]
    assert sorted(fired(checked(manifest), "personal-data-unknown")) == [
        "source:other",
        "source:src",
    ]


def test_personal_data_unknown__silent_when_recorded(checked: Checker) -> None:
    assert fired(checked(clean_manifest()), "personal-data-unknown") == []


# -- opt-out-not-honoured ----------------------------------------------------------------------


def test_opt_out_not_honoured__fires_for_a_crawl_without_a_record(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(obtained="crawled", opt_outs="unknown")
    assert fired(checked(manifest), "opt-out-not-honoured") == ["source:src"]


def test_opt_out_not_honoured__silent_for_an_honouring_crawl(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest).update(obtained="crawled", opt_outs="honoured")
    assert fired(checked(manifest), "opt-out-not-honoured") == []


# -- digest-missing ----------------------------------------------------------------------------


def test_digest_missing__fires_for_a_dataset_without_digest(checked: Checker) -> None:
    manifest = clean_manifest()
    del manifest["datasets"][0]["digest"]
    assert fired(checked(manifest), "digest-missing") == ["dataset:clean"]


def test_digest_missing__silent_for_upstream_models_without_files(checked: Checker) -> None:
    manifest = clean_manifest()
    manifest["models"].append({"name": "base", "owner": "Lab", "license": "MIT"})
    manifest["runs"][1]["inputs"].append("base")
    assert fired(checked(manifest), "digest-missing") == []


# -- digest-mismatch ---------------------------------------------------------------------------


def _with_file(tmp_path: Path) -> tuple[dict[str, object], Path]:
    data = tmp_path / "data.jsonl"
    data.write_text('{"text": "hello"}\n')
    manifest = clean_manifest()
    source(manifest).update(path=str(data))
    del source(manifest)["digest"]
    return manifest, data


def test_digest_mismatch__fires_when_the_file_changed(
    checked: Checker, sqlite_store: lineage.Store, tmp_path: Path
) -> None:
    manifest, data = _with_file(tmp_path)
    checked(manifest)
    data.write_text('{"text": "changed"}\n')
    result = lineage.check(sqlite_store, "model", now=NOW)
    finding = result.of_rule("digest-mismatch")[0]
    now = "sha256:" + hashlib.sha256(data.read_bytes()).hexdigest()
    assert finding.subject == "source:src" and now in finding.message


def test_digest_mismatch__fires_when_the_file_is_gone(
    checked: Checker, sqlite_store: lineage.Store, tmp_path: Path
) -> None:
    manifest, data = _with_file(tmp_path)
    checked(manifest)
    data.unlink()
    result = lineage.check(sqlite_store, "model", now=NOW)
    assert "is gone" in result.of_rule("digest-mismatch")[0].message


def test_digest_mismatch__silent_when_the_file_is_unchanged(
    checked: Checker, tmp_path: Path
) -> None:
    manifest, _ = _with_file(tmp_path)
    assert fired(checked(manifest), "digest-mismatch") == []


# -- approval-missing --------------------------------------------------------------------------


def test_approval_missing__fires_without_an_approval(checked: Checker) -> None:
    manifest = clean_manifest()
    del manifest["attestations"]
    assert "has no recorded approval" in checked(manifest).of_rule("approval-missing")[0].message


def test_approval_missing__fires_after_a_revocation(checked: Checker) -> None:
    manifest = clean_manifest()
    manifest["attestations"].append(
        {
            "name": "pulled",
            "subject": "model",
            "by": "alice",
            "decision": "revoked",
            "effective": "2025-06-20",
        }
    )
    message = checked(manifest).of_rule("approval-missing")[0].message
    assert "attestation:pulled (revoked)" in message


def test_approval_missing__fires_once_expired(checked: Checker) -> None:
    later = datetime(2100, 1, 1, tzinfo=UTC)
    message = checked(clean_manifest(), now=later).of_rule("approval-missing")[0].message
    assert "expired on 2099-01-01" in message


def test_approval_missing__fires_for_the_wrong_tier(checked: Checker) -> None:
    policy = Policy(approval_tier="critical-infrastructure")
    assert fired(checked(clean_manifest(), policy=policy), "approval-missing") == ["model:model"]


def test_approval_missing__silent_when_not_required(checked: Checker) -> None:
    manifest = clean_manifest()
    del manifest["attestations"]
    assert fired(checked(manifest, policy=Policy(require_approval=False)), "approval-missing") == []


def test_approval_missing__fires_when_a_new_upstream_run_made_it_stale(
    checked: Checker, sqlite_store: lineage.Store
) -> None:
    assert fired(checked(clean_manifest()), "approval-missing") == []
    # The model is retrained on one more input after it was signed off.
    sqlite_store.add_dataset("extra", digest=DIGEST)
    sqlite_store.record_run("train", name="retrain", inputs=["clean", "extra"], outputs=["model"])
    result = lineage.check(sqlite_store, "model", now=NOW)
    message = result.of_rule("approval-missing")[0].message
    assert "attestation:ok (approved), is stale: its upstream changed" in message
    assert "activity:retrain" in message and "dataset:extra" in message


def test_approval_missing__fires_when_the_tier_needs_two_signers(checked: Checker) -> None:
    manifest = clean_manifest()
    manifest["attestations"][0]["tier"] = "federal-administrative"
    policy = Policy(approval_tier="federal-administrative")
    message = checked(manifest, policy=policy).of_rule("approval-missing")[0].message
    assert message.endswith("2 sign-offs by different people are needed, 1 recorded (agent:alice)")


def test_approval_missing__silent_when_the_tier_has_two_signers(checked: Checker) -> None:
    manifest = clean_manifest()
    manifest["agents"].append({"name": "bob", "type": "person"})
    manifest["attestations"][0]["tier"] = "federal-administrative"
    manifest["attestations"].append({**manifest["attestations"][0], "name": "ok-too", "by": "bob"})
    policy = Policy(approval_tier="federal-administrative")
    assert fired(checked(manifest, policy=policy), "approval-missing") == []


def test_approval_missing__fires_without_the_named_approver_of_national_security(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    manifest["attestations"][0]["tier"] = "national-security"
    policy = lineage.checks.policy_from_data(
        {
            "approval_tier": "national-security",
            "tiers": {"national-security": {"approvers": ["bob"]}},
        }
    )
    message = checked(manifest, policy=policy).of_rule("approval-missing")[0].message
    assert message.endswith("a named approver must sign: bob")


def test_approval_missing__national_security_policy_without_named_approver_is_refused() -> None:
    with pytest.raises(lineage.PolicyError, match="national-security needs a named approver"):
        lineage.checks.policy_from_data({"approval_tier": "national-security"})


def test_approval_missing__fires_when_critical_infrastructure_lacks_the_monitoring_condition(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    manifest["attestations"][0]["tier"] = "critical-infrastructure"
    policy = Policy(approval_tier="critical-infrastructure")
    message = checked(manifest, policy=policy).of_rule("approval-missing")[0].message
    assert message.endswith("a sign-off must state the condition 'continuous human monitoring'")


def test_approval_missing__fires_when_a_software_agent_signed(checked: Checker) -> None:
    manifest = clean_manifest()
    manifest["agents"].append({"name": "bot", "type": "software"})
    manifest["attestations"][0]["by"] = "bot"
    policy = Policy(approval_tier="general-commercial")
    message = checked(manifest, policy=policy).of_rule("approval-missing")[0].message
    assert "must be signed by a person" in message


# -- monitoring-overdue --------------------------------------------------------------------------


def _monitored(tmp_path: Path) -> dict[str, Any]:
    data = tmp_path / "src.txt"
    data.write_text("some data\n", encoding="utf-8")
    manifest = clean_manifest()
    source(manifest)["path"] = str(data)
    del source(manifest)["digest"]
    manifest["attestations"][0]["tier"] = "critical-infrastructure"
    manifest["attestations"][0]["conditions"] = ["Continuous human monitoring of replies"]
    return manifest


def test_monitoring_overdue__fires_without_a_recorded_verification(
    checked: Checker, tmp_path: Path
) -> None:
    policy = Policy(approval_tier="critical-infrastructure")
    result = checked(_monitored(tmp_path), policy=policy)
    assert fired(result, "approval-missing") == []
    message = result.of_rule("monitoring-overdue")[0].message
    assert "1 recorded paths upstream have no clean 'lineage verify' within 30 days" in message
    assert "(source:src)" in message


def test_monitoring_overdue__silent_after_a_clean_verification(
    checked: Checker, sqlite_store: lineage.Store, tmp_path: Path
) -> None:
    policy = Policy(approval_tier="critical-infrastructure")
    checked(_monitored(tmp_path), policy=policy)
    assert sqlite_store.verify_content("model").ok
    now = datetime.now(UTC)
    result = lineage.check(sqlite_store, "model", policy=policy, now=now)
    assert fired(result, "monitoring-overdue") == []
    # Ninety days on, the verification is too old for the 30 days the tier asks.
    later = lineage.check(sqlite_store, "model", policy=policy, now=now + timedelta(days=90))
    assert fired(later, "monitoring-overdue") == ["model:model"]


# -- revoked-data ---------------------------------------------------------------------------------


def test_revoked_data__fires_for_a_revoked_source_with_its_path(
    checked: Checker, sqlite_store: lineage.Store
) -> None:
    assert fired(checked(clean_manifest()), "revoked-data") == []
    sqlite_store.revoke("src", reason="licence ended", effective="2025-06-15")
    result = lineage.check(sqlite_store, "model", now=NOW)
    finding = result.of_rule("revoked-data")[0]
    assert finding.subject == "source:src"
    assert finding.path == (
        "source:src",
        "activity:filter-run",
        "dataset:clean",
        "activity:train-run",
        "model:model",
    )
    assert "was revoked from 2025-06-15 (licence ended;" in finding.message
    # The approval covers revoked data, so it no longer grants anything.
    assert "is revoked-data: it covers revoked data: source:src" in (
        result.of_rule("approval-missing")[0].message
    )


def test_osadl_matrix__ships_with_lineage_and_answers_known_pairs() -> None:
    from lineage.checks.compatibility import MATRIX, osadl_matrix

    matrix = osadl_matrix()
    assert MATRIX.is_file() and (MATRIX.parent / "NOTICE.md").is_file()
    assert matrix.timestamp and matrix.timestamp.startswith("2024-11-04")
    assert len(matrix.entries) > 100
    assert matrix.lookup("GPL-2.0-only", "Apache-2.0").verdict == "no"
    assert matrix.lookup("Apache-2.0", "MIT").verdict == "yes"
    assert matrix.lookup("MIT", "LicenseRef-made-up").verdict == "unknown"


# -- licence-disagreement (more cases, on both engines, in test_claims_and_history.py) ----------


def test_licence_disagreement__fires_when_the_card_and_the_concluded_licence_differ(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    source(manifest)["declared_license"] = "Apache-2.0"
    finding = checked(manifest).of_rule("licence-disagreement")[0]
    assert finding.subject == "source:src" and finding.severity == "warning"
    assert "MIT (concluded); Apache-2.0 (declared by its publisher)" in finding.message


def test_licence_disagreement__silent_when_the_card_agrees(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["declared_license"] = "MIT"
    assert checked(manifest).findings == ()


# -- same-content (more cases, on both engines, in tests/store/test_identity.py) -------------


def _mirror(manifest: dict[str, Any], **facts: Any) -> dict[str, Any]:
    """The manifest with a mirror of 'src' (its digest) recorded outside the trail."""
    source(manifest)["digest"] = "sha256:" + "cd" * 32  # the sample trail shares one digest
    manifest["sources"].append({**source(manifest), "name": "src-mirror", **facts})
    return manifest


def test_same_content__fires_when_a_copy_elsewhere_has_other_restrictions(
    checked: Checker,
) -> None:
    manifest = _mirror(clean_manifest(), restrictions=["research-only"])
    finding = checked(manifest).of_rule("same-content")[0]
    assert finding.subject == "source:src" and finding.severity == "warning"
    assert "source:src and source:src-mirror hold the same content" in finding.message
    assert "restrictions none vs [research-only]" in finding.message


def test_same_content__fires_when_a_copy_records_personal_data(checked: Checker) -> None:
    manifest = _mirror(clean_manifest(), personal_data="yes", legal_basis="consent")
    finding = checked(manifest).of_rule("same-content")[0]
    assert "personal data no vs yes" in finding.message


def test_same_content__silent_when_the_copy_only_leaves_facts_unknown(checked: Checker) -> None:
    manifest = _mirror(clean_manifest(), personal_data="unknown")
    del manifest["sources"][-1]["license"]
    assert checked(manifest).of_rule("same-content") == ()


# -- changed-after-use (more cases, on both engines, in test_claims_and_history.py) -------------


def test_changed_after_use__fires_for_an_amendment_effective_after_the_run(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    manifest["runs"][0]["ended"] = "2025-01-31T00:00:00Z"
    manifest["amendments"] = [
        {"name": "src", "reason": "relicensed", "effective": "2025-03-01", "license": "Apache-2.0"}
    ]
    finding = checked(manifest).of_rule("changed-after-use")[0]
    assert finding.subject == "source:src" and finding.severity == "warning"
    assert "license MIT -> Apache-2.0" in finding.message
    assert "after activity:filter-run (2025-01-31T00:00:00Z) used it" in finding.message


def test_changed_after_use__silent_for_an_amendment_effective_before_the_run(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    manifest["runs"][0]["ended"] = "2025-01-31T00:00:00Z"
    manifest["amendments"] = [
        {"name": "src", "reason": "relicensed", "effective": "2024-03-01", "license": "Apache-2.0"}
    ]
    assert checked(manifest).findings == ()


# -- licence-conflict and share-alike follow the stewards' published compatibility ------------


def test_licence_conflict__silent_for_cc_by_sa_3_0_adapted_under_4_0(checked: Checker) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "CC-BY-SA-3.0"
    manifest["sources"].append({**source(manifest), "name": "src4", "license": "CC-BY-SA-4.0"})
    manifest["runs"][0]["inputs"].append("src4")
    manifest["models"][0]["license"] = "CC-BY-SA-4.0"
    result = checked(manifest)
    assert fired(result, "licence-conflict") == []
    assert fired(result, "share-alike") == []  # 4.0 carries 3.0's terms forward, one-way


def test_licence_conflict__still_fires_for_cc_by_sa_4_0_under_a_3_0_target(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "CC-BY-SA-4.0"
    manifest["models"][0]["license"] = "CC-BY-SA-3.0"
    # One-way: 4.0 material cannot be adapted under 3.0.
    assert fired(checked(manifest), "share-alike") == ["source:src"]


def test_licence_conflict__fires_for_two_share_alike_licences_no_steward_reconciles(
    checked: Checker,
) -> None:
    manifest = clean_manifest()
    source(manifest)["license"] = "CC-BY-SA-4.0"
    manifest["sources"].append(
        {**source(manifest), "name": "odbl", "license": "ODbL-1.0", "restrictions": []}
    )
    manifest["runs"][0]["inputs"].append("odbl")
    assert len(checked(manifest).of_rule("licence-conflict")) == 1
