"""Sign-offs bound to the upstream graph they saw: valid, stale, expired, revoked-data; tiers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage

LATER = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture
def trained(store: lineage.Store) -> lineage.Store:
    """raw -> clean-1 -> clean -> train-1 -> model, run by a person, and a second model."""
    store.add_agent("maria", type="person")
    store.add_agent("sam", type="person")
    store.add_source("raw", license="MIT", owner="Acme", uri="https://data.example/raw")
    store.add_dataset("clean")
    store.add_model("model", intended_use="commercial")
    store.add_model("other")
    store.record_run("clean", name="clean-1", inputs=["raw"], outputs=["clean"], agent="maria")
    store.record_run("train", name="train-1", inputs=["clean"], outputs=["model"], agent="maria")
    store.record_run("train", name="train-other", inputs=["raw"], outputs=["other"])
    return store


def _approve(store: lineage.Store, subject: str = "model", **fields: object) -> str:
    defaults: dict[str, object] = {
        "by": "maria",
        "role": "compliance-officer",
        "scope": "support replies",
        "tier": "general-commercial",
        "expires": "2099-01-01",
    }
    return store.approve(subject, **{**defaults, **fields})  # type: ignore[arg-type]


def test_an_approval_records_the_digest_of_the_upstream_graph_it_saw(
    trained: lineage.Store,
) -> None:
    name = _approve(trained)

    attrs = trained.show(f"attestation:{name}").facts["attrs"]
    assert attrs["role"] == "compliance-officer"
    assert attrs["upstream_digest"] == lineage.upstream_digest(trained.upstream("model"))
    [approval] = trained.approvals("model")
    assert approval.status == "valid"
    assert approval.upstream_digest == approval.current_digest == attrs["upstream_digest"]
    assert approval.by == ("agent:maria",)
    assert approval.role == "compliance-officer"


def test_the_check_accepts_a_fresh_approval(trained: lineage.Store) -> None:
    _approve(trained)

    result = lineage.check(
        trained, "model", policy=lineage.Policy(approval_tier="general-commercial")
    )

    assert result.of_rule("approval-missing") == ()


def test_a_new_upstream_run_makes_the_approval_stale(trained: lineage.Store) -> None:
    _approve(trained)
    _approve(trained, "other")
    trained.add_dataset("extra")
    trained.record_run("collect", name="collect-1", inputs=["raw"], outputs=["extra"])
    trained.record_run("train", name="train-2", inputs=["clean", "extra"], outputs=["model"])

    by_subject = {a.subject: a for a in trained.approvals()}

    stale = by_subject["model:model"]
    assert stale.status == "stale"
    assert stale.upstream_digest != stale.current_digest
    assert stale.changed == (
        "activity:collect-1",
        "activity:train-2",
        "dataset:extra",
        "model:model",
    )
    # The other model's lineage did not change: its approval still holds.
    assert by_subject["model:other"].status == "valid"
    finding = lineage.check(trained, "model").of_rule("approval-missing")[0]
    assert "is stale: its upstream changed after it was given" in finding.message


def test_an_amended_source_makes_the_approval_stale(trained: lineage.Store) -> None:
    _approve(trained)
    trained.amend("raw", reason="relicensed", license="Apache-2.0")

    [approval] = trained.approvals("model")

    assert approval.status == "stale"
    assert approval.changed == ("source:raw",)


def test_an_approval_past_its_date_is_expired(trained: lineage.Store) -> None:
    _approve(trained, expires="2030-01-01")

    [now] = trained.approvals("model")
    [later] = trained.approvals("model", now=LATER)

    assert now.status == "valid"
    assert later.status == "expired"
    assert later.problems == ("it expired on 2030-01-01",)
    finding = lineage.check(trained, "model", now=LATER).of_rule("approval-missing")[0]
    assert finding.message.endswith("expired on 2030-01-01")


def test_a_manifest_approval_without_a_digest_is_compared_with_its_own_transaction(
    trained: lineage.Store,
) -> None:
    trained.record(
        {
            "attestations": [
                {"name": "from-file", "subject": "model", "by": "sam", "tier": "general-commercial"}
            ]
        }
    )
    assert [a.status for a in trained.approvals("model")] == ["valid"]

    trained.amend("clean", reason="size counted", records=10)

    [approval] = trained.approvals("model")
    assert approval.status == "stale"
    assert approval.changed == ("dataset:clean",)


def test_approvals_cli_lists_statuses_as_json(trained: lineage.Store) -> None:
    _approve(trained, expires="2030-01-01")
    _approve(trained, "other")

    data = json.loads(ok(invoke(trained.url, "approvals --now 2031-01-01 --json")))

    assert [(a["subject"], a["status"]) for a in data["approvals"]] == [
        ("model:model", "expired"),
        ("model:other", "valid"),
    ]
    assert data["approvals"][0]["role"] == "compliance-officer"


def test_approve_cli_records_role_scope_and_conditions(trained: lineage.Store) -> None:
    out = ok(
        invoke(
            trained.url,
            "approve model --by maria --role system-owner --scope 'EU support' "
            "--tier general-commercial --condition 'continuous human monitoring' "
            "--expires 2099-01-01 --name ci-ok",
        )
    )

    assert out == "recorded attestation:ci-ok\n"
    text = ok(invoke(trained.url, "approvals model"))
    assert text.splitlines() == [
        "VALID             attestation:ci-ok: approved of model:model by agent:maria "
        "(system-owner); tier general-commercial; scope EU support; until 2099-01-01"
    ]


def test_approve_cli_with_an_impossible_expiry_writes_nothing(
    trained: lineage.Store, db_url: str
) -> None:
    before = table_counts(db_url)

    line = one_error_line(invoke(trained.url, "approve model --by maria --expires 2099-02-30"), 1)

    assert "field 'expires'" in line
    assert table_counts(db_url) == before


def test_a_policy_tier_requiring_an_approval_the_model_lacks_fails_the_check(
    trained: lineage.Store, tmp_path: Path
) -> None:
    _approve(trained)  # general-commercial, by one person
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "approval_tier: federal-administrative\n"
        "tiers:\n"
        "  federal-administrative: {approvals: 2, roles: [compliance-officer, system-owner]}\n"
        "rules: {digest-missing: 'off', personal-data-unknown: 'off'}\n",
        encoding="utf-8",
    )

    result = invoke(trained.url, f"check model --policy {policy} --json")

    data = json.loads(ok(result, exit_code=1))
    [finding] = [f for f in data["findings"] if f["rule"] == "approval-missing"]
    assert finding["message"] == (
        "model:model has no approval in force for tier federal-administrative: the latest, "
        f"attestation:{trained.approvals('model')[0].id.split(':', 1)[1]} (approved), "
        "is for tier general-commercial"
    )
    # Two people sign for the tier, in the two roles: the check passes.
    # Under this policy the tier asks for sign-offs only: approve holds them to it.
    chosen = lineage.load_policy(str(policy))
    _approve(trained, tier="federal-administrative", policy=chosen)
    _approve(trained, by="sam", role="system-owner", tier="federal-administrative", policy=chosen)
    data = json.loads(ok(invoke(trained.url, f"check model --policy {policy} --json")))
    assert [f for f in data["findings"] if f["rule"] == "approval-missing"] == []


def test_a_policy_with_an_unknown_tier_setting_is_bad_input(
    trained: lineage.Store, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "approval_tier: general-commercial\ntiers:\n  general-commercial:\n    signers: 2\n",
        encoding="utf-8",
    )

    line = one_error_line(invoke(trained.url, f"check model --policy {policy}"), 2)

    assert line == (f"Error: {policy}:4: field 'tiers.general-commercial.signers': unknown field")
