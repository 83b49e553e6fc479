"""Licence claims and history on graphs shaped like real lineages, on SQLite and PostgreSQL.

The fixtures are written from public facts, not copied from dataset cards: an
instruction dataset whose hosting card says Apache-2.0 while an audit found
CC-BY-4.0; a conversation dataset whose platform gives no licence while an audit
verified CC-BY-NC-SA-4.0; a pretraining corpus whose custom ImpACT licence became
ODC-By on 2024-04-15, after a model was trained on it.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from cli_run import invoke, ok
from samples import table_counts

import lineage
from lineage.checks import Policy

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DIGEST = "sha256:" + "cd" * 32
LENIENT = Policy(
    require_approval=False, rules={"digest-missing": "off", "personal-data-unknown": "off"}
)


def lineage_of_a_model() -> dict[str, Any]:
    """Three public datasets mixed and trained on in February 2024."""
    source = {"obtained": "public", "personal_data": "no", "digest": DIGEST}
    return {
        "agents": [
            {"name": "provenance-audit", "type": "organization"},
            {"name": "hosting-platform", "type": "organization"},
            {"name": "trainer", "type": "person"},
        ],
        "sources": [
            {
                **source,
                "name": "instruct-52k",
                "owner": "A university lab",
                "uri": "https://example.org/instruct-52k",
                "declared_license": "Apache-2.0",
            },
            {
                **source,
                "name": "conversations",
                "digest": "sha256:" + "c1" * 32,  # one content per record (see same-content)
                "owner": "A volunteer project",
                "uri": "https://example.org/conversations",
            },
            {
                **source,
                "name": "web-corpus",
                "digest": "sha256:" + "c2" * 32,
                "owner": "A research institute",
                "uri": "https://example.org/web-corpus",
                "license": "LicenseRef-ImpACT-MR",
            },
        ],
        "models": [
            {
                "name": "lm-7b",
                "owner": "A research institute",
                "license": "Apache-2.0",
                "intended_use": "research",
                "digest": "sha256:" + "c3" * 32,
            }
        ],
        "runs": [
            {
                "operation": "train",
                "name": "train-lm-7b",
                "inputs": ["instruct-52k", "conversations", "web-corpus"],
                "outputs": ["lm-7b"],
                "agent": "trainer",
                "started": "2024-02-01T00:00:00Z",
                "ended": "2024-02-20T00:00:00Z",
            }
        ],
        "claims": [
            {
                "subject": "instruct-52k",
                "license": "CC-BY-4.0",
                "by": "provenance-audit",
                "method": "audited",
                "evidence": "https://example.org/audit/instruct-52k",
                "date": "2023-10-25",
            },
            {
                "subject": "conversations",
                "license": "CC-BY-NC-SA-4.0",
                "by": "provenance-audit",
                "method": "audited",
                "date": "2023-10-25",
                "note": "the platform lists no licence",
            },
        ],
    }


def check(store: lineage.Store, manifest: dict[str, Any], **policy: Any) -> lineage.CheckResult:
    store.record(copy.deepcopy(manifest))
    chosen = LENIENT.model_copy(update=policy) if policy else LENIENT
    return lineage.check(store, "lm-7b", policy=chosen, now=NOW)


def messages(result: lineage.CheckResult, rule: str) -> dict[str, str]:
    return {f.subject: f.message for f in result.findings if f.rule == rule}


# -- licence-disagreement ------------------------------------------------------------------------


def test_licence_disagreement_names_the_declared_licence_and_each_claim(
    store: lineage.Store,
) -> None:
    found = messages(check(store, lineage_of_a_model()), "licence-disagreement")
    assert set(found) == {"source:instruct-52k"}
    message = found["source:instruct-52k"]
    assert "Apache-2.0 (declared by its publisher)" in message
    assert "CC-BY-4.0 (claimed by agent:provenance-audit (audited, 2023-10-25))" in message


def test_licence_disagreement_names_the_concluded_licence_too(store: lineage.Store) -> None:
    manifest = lineage_of_a_model()
    manifest["sources"][0]["license"] = "CC-BY-4.0"
    manifest["claims"][0]["license"] = "CC-BY-4.0"
    manifest["claims"].append(
        {"subject": "web-corpus", "license": "ODC-By-1.0", "by": "hosting-platform"}
    )
    found = messages(check(store, manifest), "licence-disagreement")
    assert set(found) == {"source:instruct-52k", "source:web-corpus"}
    assert "CC-BY-4.0 (concluded)" in found["source:instruct-52k"]
    assert "LicenseRef-ImpACT-MR (concluded)" in found["source:web-corpus"]


def test_licence_disagreement_is_silent_when_every_statement_agrees(store: lineage.Store) -> None:
    manifest = lineage_of_a_model()
    manifest["sources"][0]["declared_license"] = "CC-BY-4.0"
    result = check(store, manifest)
    assert result.findings, "the trail has other findings: it was recorded"
    assert messages(result, "licence-disagreement") == {}
    assert all(f.severity != "error" or f.rule != "licence-disagreement" for f in result.findings)


def test_licence_disagreement_is_silent_on_the_same_licence_written_another_way(
    store: lineage.Store,
) -> None:
    # Dual-licensed code is written 'Apache-2.0 OR MIT' on one page and 'MIT OR Apache-2.0'
    # (or in lower case) on another: the same terms, no disagreement.
    manifest = lineage_of_a_model()
    manifest["sources"][0]["license"] = "Apache-2.0 OR MIT"
    manifest["sources"][0]["declared_license"] = "MIT OR Apache-2.0"
    manifest["claims"][0]["license"] = "mit OR apache-2.0"
    result = check(store, manifest)
    assert result.findings, "the trail has other findings: it was recorded"
    assert "source:instruct-52k" not in messages(result, "licence-disagreement")
    # A claim naming only one of the two choices still disagrees.
    manifest["claims"][0]["license"] = "MIT"
    manifest["claims"][0]["subject"] = "instruct-52k"
    store2 = messages(check_again(store, manifest), "licence-disagreement")
    assert "MIT (claimed by agent:provenance-audit" in store2["source:instruct-52k"]


def check_again(store: lineage.Store, manifest: dict[str, Any]) -> lineage.CheckResult:
    """Record one more claim on a store that holds `manifest` already, then check."""
    store.record({"claims": [copy.deepcopy(manifest["claims"][0])]})
    return lineage.check(store, "lm-7b", policy=LENIENT, now=NOW)


# -- the licence rules judge the concluded licence, else the most restrictive claim ------------


def test_with_no_concluded_licence_the_most_restrictive_claim_decides_and_is_named(
    store: lineage.Store,
) -> None:
    result = check(store, lineage_of_a_model(), intended_use="commercial")
    non_commercial = messages(result, "non-commercial")
    # The platform says nothing; the audit verified CC-BY-NC-SA-4.0: that is what is judged.
    assert "source:conversations" in non_commercial
    assert (
        "CC-BY-NC-SA-4.0, claimed by agent:provenance-audit (audited, 2023-10-25); "
        "the only licence stated, none concluded" in non_commercial["source:conversations"]
    )
    # Apache-2.0 on the card, CC-BY-4.0 in the audit: the more restrictive (attribution) decides,
    # and neither is non-commercial.
    assert "source:instruct-52k" not in non_commercial


def test_a_concluded_licence_overrides_the_claims(store: lineage.Store) -> None:
    manifest = lineage_of_a_model()
    manifest["sources"][1]["license"] = "CC-BY-4.0"  # the recorder concluded otherwise
    result = check(store, manifest, intended_use="commercial")
    assert "source:conversations" not in messages(result, "non-commercial")
    assert (
        "CC-BY-4.0 (concluded)" in messages(result, "licence-disagreement")["source:conversations"]
    )


def test_claims_are_records_with_who_how_and_when(store: lineage.Store) -> None:
    store.record(lineage_of_a_model())
    claim = store.claim(
        "web-corpus",
        license="ODC-By-1.0",
        by="hosting-platform",
        method="detected",
        evidence="https://example.org/card",
        date="2024-05-01",
        note="read from the card",
    )
    again = store.claim(
        "web-corpus",
        license="ODC-By-1.0",
        by="hosting-platform",
        method="detected",
        evidence="https://example.org/card",
        date="2024-05-01",
        note="read from the card",
    )
    assert claim == again  # recording the same claim twice is a no-op
    record = store.show(claim)
    assert record.kind == "claim"
    assert record.facts["license"] == "ODC-By-1.0"
    assert record.facts["uri"] == "https://example.org/card"
    assert record.facts["attrs"] == {"method": "detected"}
    assert record.current.effective == "2024-05-01"
    around = store.upstream(claim, depth=1)
    assert {(t, e["relation"]) for _, t, e in around.out_edges(claim, data=True)} == {
        ("source:web-corpus", "was_derived_from"),
        ("agent:hosting-platform", "was_attributed_to"),
    }
    assert store.verify().ok


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("claim web-corpus --license MIT-ish --by hosting-platform", "'MIT-ish'"),
        ("claim web-corpus --license MIT --by nobody", "agent 'nobody' is not recorded"),
        ("claim nowhere --license MIT --by hosting-platform", "'nowhere'"),
        ("claim web-corpus --license MIT --by hosting-platform --method guessed", "method"),
        ("claim web-corpus --license MIT --by hosting-platform --date 2024-13-01", "date"),
        ("claim trainer --license MIT --by hosting-platform", "is not data"),
    ],
)
def test_claim_rejects_bad_input_and_writes_nothing(
    store: lineage.Store, command: str, expected: str
) -> None:
    store.record(lineage_of_a_model())
    before = table_counts(store.url)
    result = invoke(store.url, command)
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert table_counts(store.url) == before


def test_claim_command_records_and_reports_json(store: lineage.Store) -> None:
    store.record(lineage_of_a_model())
    import json

    out = json.loads(
        ok(
            invoke(
                store.url,
                "claim web-corpus --license 'CC BY 4.0' --by hosting-platform "
                "--method declared --date 2024-05-01 --json",
            )
        )
    )
    assert out["recorded"] is True and out["claim"].startswith("claim:claim-web-corpus-")
    assert store.show(out["claim"]).facts["license"] == "CC-BY-4.0"


# -- changed-after-use ----------------------------------------------------------------------------


def relicensed_after_training() -> dict[str, Any]:
    manifest = lineage_of_a_model()
    manifest["amendments"] = [
        {
            "name": "web-corpus",
            "reason": "the publisher relicensed the corpus",
            "effective": "2024-04-15",
            "license": "ODC-By-1.0",
        }
    ]
    return manifest


def test_changed_after_use_fires_for_a_licence_switched_after_training(
    store: lineage.Store,
) -> None:
    result = check(store, relicensed_after_training())
    found = [f for f in result.findings if f.rule == "changed-after-use"]
    assert [f.subject for f in found] == ["source:web-corpus"]
    assert found[0].severity == "warning"
    message = found[0].message
    assert "effective 2024-04-15: the publisher relicensed the corpus" in message
    assert "license LicenseRef-ImpACT-MR -> ODC-By-1.0" in message
    assert "after activity:train-lm-7b (2024-02-20T00:00:00Z) used it" in message
    assert found[0].path == ("source:web-corpus", "activity:train-lm-7b", "model:lm-7b")


def test_changed_after_use_is_silent_for_a_change_that_took_effect_before_the_run(
    store: lineage.Store,
) -> None:
    manifest = relicensed_after_training()
    manifest["amendments"][0]["effective"] = "2023-12-01"
    result = check(store, manifest)
    assert store.show("web-corpus").current.version == 2
    assert messages(result, "changed-after-use") == {}


def test_changed_after_use_fires_for_a_revocation_and_a_changed_digest_after_the_run(
    store: lineage.Store,
) -> None:
    store.record(lineage_of_a_model())
    store.revoke("conversations", reason="takedown request", effective="2024-06-01")
    store.amend(
        "instruct-52k",
        reason="the card was corrected and the data re-released",
        digest="sha256:" + "ef" * 32,
    )
    found = messages(lineage.check(store, "lm-7b", policy=LENIENT, now=NOW), "changed-after-use")
    assert "was revoked from 2024-06-01 (takedown request" in found["source:conversations"]
    # The amendment has no effective date: it holds from when it was recorded, after the run.
    assert f"digest {DIGEST} -> sha256:{'ef' * 32}" in found["source:instruct-52k"]


def test_changed_after_use_is_silent_when_nothing_changed_after_the_run(
    store: lineage.Store,
) -> None:
    result = check(store, lineage_of_a_model())
    assert result.findings
    assert messages(result, "changed-after-use") == {}


def test_history_as_of_before_the_amendment_shows_no_change(store: lineage.Store) -> None:
    store.record(lineage_of_a_model())
    before = datetime.now(UTC)
    store.amend("web-corpus", reason="relicensed", license="ODC-By-1.0", effective="2024-04-15")
    then = lineage.check(store, "lm-7b", policy=LENIENT, as_of=before)
    now = lineage.check(store, "lm-7b", policy=LENIENT, now=NOW)
    assert messages(then, "changed-after-use") == {}
    assert set(messages(now, "changed-after-use")) == {"source:web-corpus"}


def test_manifest_amendment_of_an_unknown_field_names_its_line_and_writes_nothing(
    store: lineage.Store, tmp_path: Any
) -> None:
    store.record(lineage_of_a_model())
    before = table_counts(store.url)
    manifest = tmp_path / "fix.yaml"
    manifest.write_text(
        "amendments:\n"
        "  - name: source:web-corpus\n"
        "    reason: relicensed\n"
        "    licence: ODC-By-1.0\n",
        encoding="utf-8",
    )
    result = invoke(store.url, f"ingest {manifest}")
    assert result.exit_code == 1
    assert f"{manifest}:4: amendments[0]: source 'web-corpus': field 'licence'" in result.output
    assert table_counts(store.url) == before


# -- reports: claims, history and duties, apart from the findings ------------------------------


def test_the_paper_trail_shows_every_claim_the_history_and_the_duties(store: lineage.Store) -> None:
    store.record(relicensed_after_training())
    report = lineage.build_report(store, "lm-7b", produced_at=NOW, verify_digests=False)

    [claims] = [b for b in report.section("licence-claims").blocks if b.kind == "table"]
    rows = {row[0].text: [cell.text for cell in row] for row in claims.rows}  # type: ignore[union-attr]
    assert set(rows) == {"source:instruct-52k", "source:conversations"}
    instruct = rows["source:instruct-52k"]
    assert instruct[2] == "Apache-2.0"  # declared by its publisher
    assert "CC-BY-4.0 by agent:provenance-audit (audited, 2023-10-25" in str(instruct[3])
    assert "https://example.org/audit/instruct-52k" in str(instruct[3])
    conversations = rows["source:conversations"]
    assert conversations[1] == "not recorded"  # nothing concluded
    assert str(conversations[4]).startswith("CC-BY-NC-SA-4.0, claimed by agent:provenance-audit")
    assert any(r.id.startswith("claim:claim-conversations-") for r in report.records)

    history = report.section("history")
    [table] = [b for b in history.blocks if b.kind == "table"]
    [row] = table.rows  # type: ignore[union-attr]
    cells = [cell.text for cell in row]
    assert cells[0] == "source:web-corpus"
    assert str(cells[1]).startswith("version 1: license LicenseRef-ImpACT-MR")
    assert str(cells[2]).startswith("version 2: license ODC-By-1.0")
    assert cells[3] == "license: LicenseRef-ImpACT-MR -> ODC-By-1.0"
    assert cells[4] == "version 2, effective 2024-04-15: the publisher relicensed the corpus"

    [duties] = [b for b in report.section("duties").blocks if b.kind == "table"]
    by_licence = {row[0].text: str(row[1].text) for row in duties.rows}  # type: ignore[union-attr]
    assert by_licence["CC-BY-NC-SA-4.0"].startswith("attribution:")
    assert "share-alike notice" in by_licence["CC-BY-NC-SA-4.0"]
    assert "keep the database's attribution notice" in by_licence["ODC-By-1.0"]
    # Duties are not findings.
    assert not any("attribution" in f.message for f in report.findings)


def test_the_history_says_nothing_changed_before_the_run(store: lineage.Store) -> None:
    store.record(lineage_of_a_model())
    report = lineage.build_report(store, "lm-7b", produced_at=NOW, verify_digests=False)
    blocks = report.section("history").blocks
    assert [b.kind for b in blocks] == ["paragraph"]
    assert "3 other sources and datasets were never amended" in blocks[0].text  # type: ignore[union-attr]


def test_every_steward_statement_names_known_ids_and_cites_the_stewards_page() -> None:
    import json

    from lineage.checks.compatibility import STEWARDS, steward_allows
    from lineage.licences import parse_licence

    entries = json.loads(STEWARDS.read_text(encoding="utf-8"))["entries"]
    assert len(entries) > 5
    for entry in entries:
        assert parse_licence(entry["part"]).expression == entry["part"]
        assert parse_licence(entry["leading"]).expression == entry["leading"]
        assert entry["source"].startswith("https://creativecommons.org/")
    assert steward_allows("CC-BY-SA-3.0", "CC-BY-SA-4.0") is not None
    assert steward_allows("CC-BY-SA-4.0", "CC-BY-SA-3.0") is None  # one-way


def test_source_add_records_a_declared_licence_written_as_its_name(store: lineage.Store) -> None:
    ok(invoke(store.url, "source add card-only --declared-license 'CC BY-SA 3.0'"))
    facts = store.show("card-only").facts
    assert facts == {"declared_license": "CC-BY-SA-3.0"}


def test_source_add_refuses_a_licence_name_without_its_version_and_suggests_it(
    store: lineage.Store,
) -> None:
    store.add_agent("someone", type="person")
    before = table_counts(store.url)
    result = invoke(store.url, "source add odc --license ODC-By")
    assert result.exit_code == 1
    assert "did you mean 'ODC-By-1.0'?" in result.output
    assert table_counts(store.url) == before


def test_a_manifest_amendment_of_a_record_it_does_not_name_needs_its_kind(
    store: lineage.Store, tmp_path: Any
) -> None:
    store.record(lineage_of_a_model())
    before = table_counts(store.url)
    manifest = tmp_path / "fix.yaml"
    manifest.write_text(
        "amendments:\n  - name: web-corpus\n    reason: relicensed\n    license: ODC-By-1.0\n",
        encoding="utf-8",
    )
    result = invoke(store.url, f"ingest {manifest}")
    assert result.exit_code == 1
    assert f"{manifest}:2: amendments[0] 'web-corpus': field 'name': name the record as" in (
        result.output
    )
    assert table_counts(store.url) == before


def test_changed_after_use_fires_when_lineage_verify_found_the_content_changed(
    store: lineage.Store, tmp_path: Any
) -> None:
    data = tmp_path / "corpus.jsonl"
    data.write_text('{"text": "as trained on"}\n', encoding="utf-8")
    store.add_source("corpus", license="CC-BY-4.0", owner="A lab", path=str(data))
    store.add_model("small-lm", license="Apache-2.0", intended_use="research")
    store.record_run(
        "train",
        inputs=["corpus"],
        outputs=["small-lm"],
        ended="2024-02-20T00:00:00Z",
    )
    clean = lineage.check(store, "small-lm", policy=LENIENT, now=NOW)
    assert store.verify_content("small-lm").ok
    assert messages(clean, "changed-after-use") == {}

    data.write_text('{"text": "edited afterwards"}\n', encoding="utf-8")
    assert not store.verify_content("small-lm").ok
    found = messages(lineage.check(store, "small-lm", policy=LENIENT, now=NOW), "changed-after-use")
    assert set(found) == {"source:corpus"}
    assert "found the content of source:corpus changed (now sha256:" in found["source:corpus"]
    assert "after activity:train-" in found["source:corpus"]


# -- 'or later' is respected ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "model", "fires"),
    [
        ("GPL-2.0-or-later", "GPL-3.0-only", False),  # 'or later' lets GPL-3.0 carry it on
        ("GPL-2.0-or-later", "GPL-2.0-only", False),
        ("GPL-2.0-only", "GPL-3.0-only", True),  # no 'or later': GPL-2.0 only
        ("GPL-3.0-or-later", "GPL-2.0-only", True),  # an earlier version is no later one
        ("LGPL-2.1-or-later", "GPL-3.0-only", True),  # another family: not this rule's 'or later'
    ],
)
def test_share_alike_respects_or_later(
    store: lineage.Store, data: str, model: str, fires: bool
) -> None:
    manifest = lineage_of_a_model()
    manifest["sources"][0]["license"] = data
    manifest["sources"][0].pop("declared_license")
    manifest["claims"] = []
    manifest["models"][0]["license"] = model
    found = messages(check(store, manifest), "share-alike")
    assert ("source:instruct-52k" in found) is fires
