"""Approval tiers: the evaluation rules (fire / must not), `lineage tiers`, and `approve --tier`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage
from lineage.checks import policy_from_data

TIER = "federal-administrative"


@pytest.fixture
def tiered(store: lineage.Store, tmp_path: Path) -> lineage.Store:
    """Model `m` (owner Acme) trained on `train-set` from `raw`; an outside test set; an
    in-house evaluator (alice), an outside one (bob), two signers (maria, sam)."""
    store.add_agent("acme", type="organization")
    store.add_agent("alice", type="person", acted_on_behalf_of="acme")
    store.add_agent("maria", type="person", acted_on_behalf_of="acme")
    store.add_agent("sam", type="person", acted_on_behalf_of="acme")
    store.add_agent("audit-co", type="organization")
    store.add_agent("bob", type="person", acted_on_behalf_of="audit-co")
    raw = tmp_path / "raw.jsonl"
    raw.write_text('{"text": "hello"}\n', encoding="utf-8")
    store.add_source("raw", license="MIT", owner="Acme", path=str(raw))
    store.add_dataset("train-set")
    store.add_source("test-set", license="MIT", owner="Audit Co")
    store.add_model("m", owner="Acme")
    store.record_run("clean", inputs=["raw"], outputs=["train-set"])
    store.record_run("train", inputs=["train-set"], outputs=["m"])
    return store


def _policy(**requirement: Any) -> lineage.Policy:
    return policy_from_data(
        {"approval_tier": TIER, "verify_digests": False, "tiers": {TIER: requirement}}
    )


def _evaluate(store: lineage.Store, **fields: Any) -> str:
    data: dict[str, Any] = {
        "dataset": "test-set",
        "metric": "accuracy",
        "value": 0.9,
        "threshold": 0.8,
        "direction": "higher-is-better",
        "by": "alice",
    }
    data.update(fields)
    return store.add_evaluation("m", **data)


def _fired(store: lineage.Store, rule: str, policy: lineage.Policy) -> list[str]:
    return [f.message for f in lineage.check(store, "m", policy=policy).of_rule(rule)]


ACCURACY = {"metric": "accuracy", "threshold": 0.8, "direction": "higher-is-better"}


# -- evaluation-missing -----------------------------------------------------------------------


def test_evaluation_missing__fires_when_the_tier_asks_for_an_unrecorded_evaluation(
    tiered: lineage.Store,
) -> None:
    [message] = _fired(tiered, "evaluation-missing", _policy(evaluations=[ACCURACY]))

    assert message == (f"tier {TIER} needs accuracy >= 0.8: none is recorded for model:m")


def test_evaluation_missing__does_not_fire_once_it_is_recorded(tiered: lineage.Store) -> None:
    _evaluate(tiered)

    assert _fired(tiered, "evaluation-missing", _policy(evaluations=[ACCURACY])) == []


def test_a_result_without_any_threshold_does_not_meet_a_requirement_without_one(
    tiered: lineage.Store,
) -> None:
    name = _evaluate(tiered, threshold=None, direction=None)

    [message] = _fired(tiered, "evaluation-missing", _policy(evaluations=[{"metric": "accuracy"}]))

    assert f"(evaluation:{name}) have no threshold to pass" in message


# -- evaluation-failed ------------------------------------------------------------------------


def test_evaluation_failed__fires_below_the_policy_bar(tiered: lineage.Store) -> None:
    name = _evaluate(tiered, value=0.7, threshold=None, direction=None)

    [finding] = lineage.check(tiered, "m", policy=_policy(evaluations=[ACCURACY])).of_rule(
        "evaluation-failed"
    )

    assert finding.subject == f"evaluation:{name}"
    assert finding.message.endswith(
        f"evaluation:{name} (accuracy [all] = 0.7 on source:test-set) fails >= 0.8 "
        "(the policy's bar)"
    )


def test_evaluation_failed__fires_on_a_fairness_gap_over_its_own_threshold(
    tiered: lineage.Store,
) -> None:
    _evaluate(
        tiered,
        metric="accuracy_max_gap",
        slice="locale=*",
        category="fairness",
        value=0.15,
        threshold=0.05,
        direction="lower-is-better",
    )
    policy = _policy(evaluations=[{"category": "fairness"}])

    [message] = _fired(tiered, "evaluation-failed", policy)

    assert "accuracy_max_gap [locale=*] = 0.15" in message and message.endswith("fails <= 0.05")


def test_evaluation_failed__does_not_fire_on_a_passing_result(tiered: lineage.Store) -> None:
    _evaluate(tiered, value=0.85)

    assert _fired(tiered, "evaluation-failed", _policy(evaluations=[ACCURACY])) == []


def test_a_newer_passing_result_replaces_an_older_failing_one(tiered: lineage.Store) -> None:
    _evaluate(tiered, value=0.7, date="2025-06-01")
    _evaluate(tiered, value=0.85, date="2025-07-01")

    assert _fired(tiered, "evaluation-failed", _policy(evaluations=[ACCURACY])) == []
    assert _fired(tiered, "evaluation-failed", lineage.Policy(verify_digests=False)) == []


def test_without_a_tier_check_reports_every_current_failed_evaluation(
    tiered: lineage.Store,
) -> None:
    name = _evaluate(tiered, value=0.7)

    result = lineage.check(tiered, "m", policy=lineage.Policy(verify_digests=False))

    [finding] = result.of_rule("evaluation-failed")
    assert finding.subject == f"evaluation:{name}"
    assert finding.severity == "error"


# -- evaluation-stale -------------------------------------------------------------------------


def test_evaluation_stale__fires_when_the_model_changed_after_it(tiered: lineage.Store) -> None:
    name = _evaluate(tiered)
    tiered.amend("raw", reason="relicensed", license="Apache-2.0")

    [finding] = lineage.check(tiered, "m", policy=_policy(evaluations=[ACCURACY])).of_rule(
        "evaluation-stale"
    )

    assert finding.subject == f"evaluation:{name}"
    assert "model:m changed after it was measured" in finding.message


def test_evaluation_stale__fires_when_the_test_data_changed_after_it(
    tiered: lineage.Store,
) -> None:
    _evaluate(tiered)
    tiered.amend("test-set", reason="more questions", records=200)

    [message] = _fired(tiered, "evaluation-stale", _policy(evaluations=[ACCURACY]))

    assert "its test data source:test-set changed" in message


def test_evaluation_stale__does_not_fire_on_a_fresh_result(tiered: lineage.Store) -> None:
    _evaluate(tiered)
    tiered.add_source("unrelated", license="MIT")  # elsewhere in the store

    assert _fired(tiered, "evaluation-stale", _policy(evaluations=[ACCURACY])) == []


def test_a_manifest_evaluation_is_judged_against_the_graph_its_transaction_wrote(
    tiered: lineage.Store, tmp_path: Path
) -> None:
    manifest = tmp_path / "e.yaml"
    manifest.write_text(
        "evaluations:\n  - {model: m, dataset: test-set, metric: accuracy, value: 0.9,\n"
        "     threshold: 0.8, direction: higher-is-better}\n",
        encoding="utf-8",
    )
    tiered.ingest([str(manifest)])
    policy = _policy(evaluations=[ACCURACY])
    assert _fired(tiered, "evaluation-stale", policy) == []

    tiered.amend("raw", reason="relicensed", license="Apache-2.0")

    assert len(_fired(tiered, "evaluation-stale", policy)) == 1


# -- evaluation-contaminated ------------------------------------------------------------------


def test_evaluation_contaminated__fires_when_the_test_data_comes_from_training_data(
    tiered: lineage.Store,
) -> None:
    tiered.add_dataset("heldout")
    tiered.record_run("split", inputs=["raw"], outputs=["heldout"])
    name = _evaluate(tiered, dataset="heldout")

    [finding] = lineage.check(tiered, "m", policy=_policy(evaluations=[ACCURACY])).of_rule(
        "evaluation-contaminated"
    )

    assert finding.subject == f"evaluation:{name}"
    assert "(source:raw)" in finding.message
    assert finding.path[0] == "source:raw" and finding.path[-1] == "model:m"


def test_evaluation_contaminated__fires_when_the_test_set_is_training_data(
    tiered: lineage.Store,
) -> None:
    _evaluate(tiered, dataset="train-set")

    [message] = _fired(tiered, "evaluation-contaminated", _policy(evaluations=[ACCURACY]))

    assert "dataset:train-set" in message


def test_evaluation_contaminated__fires_on_the_same_content_under_another_name(
    tiered: lineage.Store,
) -> None:
    digest = tiered.show("raw").facts["digest"]
    tiered.add_source("copy-of-raw", license="MIT", digest=digest)
    _evaluate(tiered, dataset="copy-of-raw")

    [message] = _fired(tiered, "evaluation-contaminated", _policy(evaluations=[ACCURACY]))

    assert "(source:raw)" in message


def test_evaluation_contaminated__does_not_fire_on_separate_test_data(
    tiered: lineage.Store,
) -> None:
    _evaluate(tiered)

    assert _fired(tiered, "evaluation-contaminated", _policy(evaluations=[ACCURACY])) == []


def test_a_contaminated_result_does_not_meet_the_requirement(tiered: lineage.Store) -> None:
    _evaluate(tiered, dataset="train-set")

    report = lineage.tiers(tiered, "m", policy=_policy(evaluations=[ACCURACY]))

    status = report.of(TIER)
    assert status.status == "blocked"
    assert status.evidence == ()
    assert [r.rule for r in status.reasons if r.blocking] == ["evaluation-contaminated"]


# -- coverage-missing -------------------------------------------------------------------------


def test_coverage_missing__fires_for_training_and_test_data_without_coverage(
    tiered: lineage.Store,
) -> None:
    _evaluate(tiered)

    messages = _fired(
        tiered, "coverage-missing", _policy(evaluations=[ACCURACY], coverage=["locale"])
    )

    assert messages == [
        f"tier {TIER} needs demographic coverage (locale) of the data model:m was trained on: "
        "none of its 2 sources and datasets records it",
        f"tier {TIER} needs demographic coverage (locale) of the test data: "
        "source:test-set records none",
    ]


def test_coverage_missing__does_not_fire_once_coverage_is_recorded(
    tiered: lineage.Store,
) -> None:
    tiered.amend("raw", reason="measured", coverage=["locale=en-NG:20:measured"])
    tiered.amend("test-set", reason="measured", coverage=["locale=en-NG:0.2:measured"])
    _evaluate(tiered)

    policy = _policy(evaluations=[ACCURACY], coverage=["locale"])
    assert _fired(tiered, "coverage-missing", policy) == []


def test_coverage_true_asks_for_the_attributes_of_the_evaluated_slices(
    tiered: lineage.Store,
) -> None:
    tiered.amend("raw", reason="measured", coverage=["locale=en-NG:20"])
    tiered.amend("test-set", reason="measured", coverage=["locale=en-NG:20"])
    _evaluate(tiered, slice="name_gender=female")

    messages = _fired(tiered, "coverage-missing", _policy(evaluations=[ACCURACY], coverage=True))

    assert len(messages) == 2 and all("(name_gender)" in m for m in messages)


# -- not-independent --------------------------------------------------------------------------


def test_not_independent__fires_when_only_the_owner_evaluated(tiered: lineage.Store) -> None:
    name = _evaluate(tiered, by="alice")

    [finding] = lineage.check(
        tiered, "m", policy=_policy(evaluations=[ACCURACY], independent_evaluation=True)
    ).of_rule("not-independent")

    assert finding.subject == f"evaluation:{name}"
    assert f"none of evaluation:{name} is" in finding.message


def test_not_independent__does_not_fire_with_an_outside_evaluator(tiered: lineage.Store) -> None:
    _evaluate(tiered, by="bob")

    policy = _policy(evaluations=[ACCURACY], independent_evaluation=True)
    assert _fired(tiered, "not-independent", policy) == []


def test_a_policy_rule_setting_turns_an_evaluation_rule_off(tiered: lineage.Store) -> None:
    policy = policy_from_data(
        {
            "approval_tier": TIER,
            "verify_digests": False,
            "tiers": {TIER: {"evaluations": [ACCURACY]}},
            "rules": {"evaluation-missing": "off"},
        }
    )

    assert lineage.check(tiered, "m", policy=policy).of_rule("evaluation-missing") == ()


def test_a_policy_with_a_bad_evaluation_requirement_names_its_line(
    tiered: lineage.Store, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "tiers:\n  federal-administrative:\n    evaluations:\n"
        "      - {metric: accuracy, threshold: 0.9}\n",
        encoding="utf-8",
    )

    line = one_error_line(invoke(tiered.url, f"tiers m --policy {policy}"), 1)

    assert line.startswith(f"Error: {policy}:4: field 'tiers.federal-administrative.evaluations.0'")
    assert "a threshold needs a direction" in line


# -- lineage tiers ----------------------------------------------------------------------------


def _policy_file(tmp_path: Path) -> Path:
    policy = tmp_path / "tiers.yaml"
    policy.write_text(
        """
tiers:
  general-commercial:
    evaluations: [{metric: accuracy, threshold: 0.8, direction: higher-is-better}]
  federal-administrative:
    evaluations:
      - {metric: accuracy, threshold: 0.8, direction: higher-is-better}
      - {metric: accuracy_max_gap, slice: "locale=*", category: fairness, threshold: 0.05,
         direction: lower-is-better}
  critical-infrastructure:
    evaluations: [{metric: accuracy, threshold: 0.9, direction: higher-is-better}]
    independent_evaluation: true
    monitoring: {every: 30d}
    human_in_the_loop: true
""",
        encoding="utf-8",
    )
    return policy


def test_tiers_are_cleared_provisional_or_blocked_with_their_reasons(
    tiered: lineage.Store, tmp_path: Path
) -> None:
    accuracy = _evaluate(tiered, value=0.85, by="bob")
    gap = _evaluate(
        tiered,
        metric="accuracy_max_gap",
        slice="locale=*",
        category="fairness",
        value=0.15,
        threshold=0.05,
        direction="lower-is-better",
    )
    tiered.approve("m", by="maria", tier="general-commercial", expires="2099-01-01")
    policy = _policy_file(tmp_path)

    data = json.loads(ok(invoke(tiered.url, f"tiers m --policy {policy} --json")))

    states = {t["tier"]: t for t in data["tiers"]}
    assert states["general-commercial"]["status"] == "cleared"
    assert states["general-commercial"]["evidence"] == [f"evaluation:{accuracy}"]
    assert states["federal-administrative"]["status"] == "blocked"
    assert [(r["rule"], r["records"]) for r in states["federal-administrative"]["reasons"]] == [
        ("evaluation-failed", [f"evaluation:{gap}"]),
        ("approval-missing", []),
    ]
    assert states["critical-infrastructure"]["status"] == "blocked"
    assert {r["rule"] for r in states["critical-infrastructure"]["reasons"]} == {
        "evaluation-failed",
        "approval-missing",
    }
    # National security keeps its default: a named approver the policy does not list.
    assert states["national-security"]["status"] == "blocked"
    by_id = {e["id"]: e for e in data["evaluations"]}
    assert by_id[f"evaluation:{accuracy}"]["independent"] is True
    assert by_id[f"evaluation:{gap}"]["stale"] is False


def test_tiers_say_provisional_when_the_evidence_holds_but_no_one_signed(
    tiered: lineage.Store, tmp_path: Path
) -> None:
    _evaluate(tiered, value=0.85)

    out = ok(invoke(tiered.url, f"tiers m --policy {_policy_file(tmp_path)}"))

    assert "general-commercial        PROVISIONAL\n" in out
    assert "    - approval-missing: no sign-off for tier general-commercial is in force\n" in out


def test_tiers_of_something_that_is_not_a_model_is_one_line(tiered: lineage.Store) -> None:
    line = one_error_line(invoke(tiered.url, "tiers raw"), 1)

    assert line == "Error: source:raw is not a model: approval tiers are for models"


# -- approve --tier ---------------------------------------------------------------------------


def test_approve_refuses_a_tier_whose_requirements_fail_and_writes_nothing(
    tiered: lineage.Store, db_url: str
) -> None:
    before = table_counts(db_url)

    line = one_error_line(invoke(db_url, "approve m --by maria --tier federal-administrative"), 1)

    assert line.startswith("Error: approval of 'm' for tier federal-administrative refused: ")
    assert "evaluation-missing: tier federal-administrative needs a performance evaluation" in line
    assert line.endswith("(record it anyway with --override --reason TEXT)")
    assert table_counts(db_url) == before


def test_approve_accepts_a_tier_whose_requirements_hold(tiered: lineage.Store) -> None:
    _evaluate(tiered, value=0.85)

    name = tiered.approve("m", by="maria", tier="federal-administrative")

    assert "override_reason" not in tiered.show(f"attestation:{name}").facts["attrs"]


def test_approve_override_records_the_reason_and_the_failing_requirements(
    tiered: lineage.Store, db_url: str
) -> None:
    out = ok(
        invoke(
            db_url,
            "approve m --by maria --tier federal-administrative --name ov "
            "--override --reason 'pilot in one agency, evaluation under way'",
        )
    )
    ok(
        invoke(
            db_url,
            "approve m --by sam --tier federal-administrative --name ov2 "
            "--override --reason 'second signer for the pilot'",
        )
    )

    assert out == "recorded attestation:ov\n"
    attrs = tiered.show("attestation:ov").facts["attrs"]
    assert attrs["override_reason"] == "pilot in one agency, evaluation under way"
    assert attrs["overridden"][0].startswith("evaluation-missing: ")
    [approval] = [a for a in tiered.approvals("m") if a.id == "attestation:ov"]
    assert approval.override == "pilot in one agency, evaluation under way"
    status = lineage.tiers(tiered, "m").of("federal-administrative")
    assert status.status == "provisional"
    assert status.override is not None and status.override.id == "attestation:ov2"
    text = ok(invoke(db_url, "tiers m"))
    assert "OVERRIDE by agent:sam (attestation:ov2): second signer for the pilot" in text
    listed = ok(invoke(db_url, "approvals m"))
    assert "OVERRIDE of failing tier requirements: second signer for the pilot\n" in listed


@pytest.mark.parametrize(
    "options",
    ["--override", "--reason 'because'"],
)
def test_approve_override_and_reason_go_together(
    tiered: lineage.Store, db_url: str, options: str
) -> None:
    before = table_counts(db_url)

    one_error_line(
        invoke(db_url, f"approve m --by maria --tier federal-administrative {options}"), 2
    )

    assert table_counts(db_url) == before


def test_approve_refuses_a_human_in_the_loop_tier_without_such_a_condition(
    tiered: lineage.Store, tmp_path: Path
) -> None:
    policy = lineage.load_policy(str(_policy_file(tmp_path)))
    _evaluate(tiered, value=0.95, by="bob")

    with pytest.raises(lineage.InvalidRecord, match="keep a human in the loop"):
        tiered.approve("m", by="maria", tier="critical-infrastructure", policy=policy)

    name = tiered.approve(
        "m",
        by="maria",
        tier="critical-infrastructure",
        policy=policy,
        conditions=["continuous human monitoring of every reply"],
    )
    assert name


def test_an_override_is_shown_in_the_paper_trail_and_approval_reports(
    tiered: lineage.Store,
) -> None:
    tiered.approve(
        "m", by="maria", tier="federal-administrative", name="ov", override="agency pilot"
    )

    for template in ("paper-trail", "approval"):
        report = lineage.build_report(tiered, "m", template=template, verify_digests=False)
        text = lineage.render_report(report, "md").decode()
        assert "OVERRIDE: agency pilot (over: evaluation-missing: " in text, template
