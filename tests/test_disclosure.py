"""Disclosure facts (lineage.disclosure): the same validated fields on the CLI, in manifests
and in the Python API, kept in attrs; bad values are one line and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage

DIGEST = "sha256:" + "ab" * 32


def test_cli_records_disclosure_facts_on_every_kind(db_url: str) -> None:
    ok(invoke(db_url, "agent add acme --type organization --sme --contact 'ai@acme.example'"))
    ok(
        invoke(
            db_url,
            "source add broker-set --obtained purchased --supplier third-party "
            "--language de --language en --labelled --label-type sentiment "
            "--ip-protection copyright --ip-protection trademark "
            "--aggregate-consumer-information no --purpose 'German answers'",
        )
    )
    ok(
        invoke(
            db_url,
            "source add chats --obtained user --user-data-from model "
            "--product-or-service 'the app'",
        )
    )
    ok(
        invoke(
            db_url,
            "model add m --on-market --release-version 2.1 --placed-on-market 2025-08-02 "
            "--summary-url https://acme.example/m/summary --language en "
            "--not-continuously-trained --synthetic-data-continuous "
            f"--published-summary {DIGEST}@2025-08-01 --summary-comment '2.3.i=more domains'",
        )
    )
    ok(invoke(db_url, "run record mix --input broker-set --output m --purpose 'balance the mix'"))
    with lineage.open_store(db_url) as store:
        assert store.show("acme").facts["attrs"] == {"sme": True, "contact": "ai@acme.example"}
        assert store.show("broker-set").facts["attrs"] == {
            "supplier": "third-party",
            "languages": ["de", "en"],
            "labelled": True,
            "label_types": ["sentiment"],
            "ip_protection": ["copyright", "trademark"],
            "aggregate_consumer_information": "no",
            "purpose": "German answers",
        }
        assert store.show("chats").facts["attrs"]["user_data_from"] == ["model"]
        model = store.show("m").facts["attrs"]
        assert model["placed_on_market"] == "2025-08-02" and model["on_market"] is True
        assert model["published_summaries"] == [f"{DIGEST}@2025-08-01"]
        assert model["summary_comments"] == {"2.3.i": "more domains"}
        assert model["continuously_trained"] is False
        runs = [s for s in store.list(kind="activity")]
        assert store.show(runs[0].id).facts["attrs"] == {"purpose": "balance the mix"}


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("source add s --supplier broker", "field 'supplier': Input should be 'rightsholder'"),
        ("source add s --user-data-from app", "field 'user_data_from.0': Input should be"),
        ("source add s --language 'English!'", "'English!' is not a language tag"),
        (
            "source add s --ip-protection public-domain --ip-protection copyright",
            "entirely public domain is not also protected",
        ),
        ("source add s --unlabelled --label-type x", "label types are given for data recorded"),
        ("model add m --placed-on-market 2025-13-01", "field 'placed_on_market'"),
        ("model add m --summary-url ftp://x", "'ftp://x' is not an http(s) URL"),
        ("model add m --published-summary sha256:12", "is not a summary digest"),
        ("model add m --summary-comment 9.9=x", "'9.9' is not an optional comment field"),
        ("source add s --attr supplier=broker", "field 'supplier': Input should be"),
    ],
)
def test_bad_disclosure_facts_are_one_line_and_write_nothing(
    db_url: str, command: str, message: str
) -> None:
    ok(invoke(db_url, "init"))
    before = table_counts(db_url)
    line = one_error_line(invoke(db_url, command), 1)
    assert message in line
    assert table_counts(db_url) == before


def test_manifest_disclosure_facts_are_validated_with_file_and_line(
    db_url: str, tmp_path: Path
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "sources:\n  - name: s\n    obtained: licensed\n    supplier: rightsholder\n"
        "models:\n  - name: m\n    on_market: false\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sources:\n  - name: t\n    obtained: licensed\n    supplier: a broker\n", encoding="utf-8"
    )
    ok(invoke(db_url, f"ingest {good}"))
    before = table_counts(db_url)
    line = one_error_line(invoke(db_url, f"ingest {bad}"), 1)
    assert f"{bad}:4" in line and "supplier" in line
    assert table_counts(db_url) == before
    with lineage.open_store(db_url) as store:
        assert store.show("s").facts["attrs"] == {"supplier": "rightsholder"}
        assert store.show("m").facts["attrs"] == {"on_market": False}


def test_api_and_free_attrs_record_the_same_fact(store: lineage.Store) -> None:
    store.add_source("a", supplier="third-party")
    store.add_source("b", attrs={"supplier": "third-party"})
    assert store.show("a").facts["attrs"] == store.show("b").facts["attrs"]
    with pytest.raises(lineage.InvalidRecord, match="given both as a field and in attrs"):
        store.add_source("c", supplier="rightsholder", attrs={"supplier": "third-party"})


def test_a_run_purpose_does_not_change_the_name_of_a_run_recorded_before(
    store: lineage.Store,
) -> None:
    store.add_source("in")
    store.add_dataset("out")
    plain = store.record_run("clean", inputs=["in"], outputs=["out"])
    # The same run recorded with and without the new field keeps the name it had.
    assert store.record_run("clean", inputs=["in"], outputs=["out"]) == plain
    with_attr = store.record_run("clean", inputs=["in"], outputs=["out"], attrs={"purpose": "x"})
    with_field = store.record_run("clean", inputs=["in"], outputs=["out"], purpose="x")
    assert with_attr == with_field != plain
    entries = store.info().ledger_entries
    store.record_run("clean", inputs=["in"], outputs=["out"], purpose="x")
    assert store.info().ledger_entries == entries


def test_amending_a_disclosure_fact_keeps_the_other_attrs(store: lineage.Store) -> None:
    store.add_model("m", attrs={"notes": "keep me"}, release_version="1.0")
    store.amend("m", reason="new release", release_version="1.1")
    assert store.show("m").facts["attrs"] == {"notes": "keep me", "release_version": "1.1"}
    store.amend("m", reason="withdrawn", clear=["release_version"])
    record = store.show("m")
    assert record.facts["attrs"] == {"notes": "keep me"}
    assert record.current.version == 3


def test_a_manifest_amendment_of_a_disclosure_fact_is_one_line_and_writes_nothing(
    db_url: str, tmp_path: Path
) -> None:
    """Amendments in a manifest (main's licence-claims work) do not read the record's
    attrs: a disclosure fact there would replace them, so it is refused, naming it."""
    good = tmp_path / "good.yaml"
    good.write_text(
        "models:\n  - name: m\n    release_version: '1.0'\n    attrs: {notes: keep me}\n",
        encoding="utf-8",
    )
    amend = tmp_path / "amend.yaml"
    amend.write_text(
        "amendments:\n  - name: model:m\n    reason: new release\n    release_version: '1.1'\n",
        encoding="utf-8",
    )
    ok(invoke(db_url, f"ingest {good}"))
    before = table_counts(db_url)
    line = one_error_line(invoke(db_url, f"ingest {amend}"), 1)
    assert str(amend) in line and "release_version" in line and "lineage amend" in line
    assert table_counts(db_url) == before
    with lineage.open_store(db_url) as store:
        assert store.show("m").facts["attrs"] == {"notes": "keep me", "release_version": "1.0"}


def test_a_dataset_kept_out_of_training_mixes_keeps_its_disclosure_facts(
    store: lineage.Store,
) -> None:
    # not_training_mix lives in attrs beside the disclosure facts, not instead of them.
    store.add_dataset("audit", purpose="pre-training", not_training_mix=True, attrs={"k": 1})

    assert store.show("dataset:audit").facts["attrs"] == {
        "k": 1,
        "not_training_mix": True,
        "purpose": "pre-training",
    }
