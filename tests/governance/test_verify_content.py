"""`lineage verify`: recorded files and folders hashed again, drift reported and recorded."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage


@pytest.fixture
def recorded(store: lineage.Store, tmp_path: Path) -> lineage.Store:
    """A folder source (three files), a file dataset made from it, and a model; plus an
    unrelated source elsewhere."""
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("alpha\n", encoding="utf-8")
    (corpus / "b.txt").write_text("beta\n", encoding="utf-8")
    (corpus / "sub" / "c.txt").write_text("gamma\n", encoding="utf-8")
    clean = tmp_path / "clean.jsonl"
    clean.write_text('{"text": "alpha"}\n', encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("unrelated\n", encoding="utf-8")
    store.add_source("corpus", license="MIT", path=str(corpus))
    store.add_dataset("clean", path=str(clean))
    store.add_model("model")
    store.add_source("other", license="MIT", path=str(other))
    store.record_run("clean", name="clean-1", inputs=["corpus"], outputs=["clean"])
    store.record_run("train", name="train-1", inputs=["clean"], outputs=["model"])
    return store


def test_verify_reports_every_recorded_path_upstream_as_matching(recorded: lineage.Store) -> None:
    result = recorded.verify_content("model")

    assert result.ok
    assert [(c.record, c.status) for c in result.checks] == [
        ("dataset:clean", "matching"),
        ("source:corpus", "matching"),
    ]
    assert result.without_path == ("model:model",)
    assert result.counts() == {"matching": 2, "changed": 0, "missing": 0, "unreadable": 0}


def test_verify_without_a_target_checks_every_record_with_a_path(recorded: lineage.Store) -> None:
    result = recorded.verify_content()

    assert [c.record for c in result.checks] == ["dataset:clean", "source:corpus", "source:other"]
    assert result.target is None


def test_verify_names_files_changed_added_and_removed_inside_a_folder(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    assert recorded.verify_content("model").ok  # the baseline of each file
    corpus = tmp_path / "corpus"
    (corpus / "a.txt").write_text("ALPHA\n", encoding="utf-8")
    (corpus / "b.txt").unlink()
    (corpus / "sub" / "d.txt").write_text("delta\n", encoding="utf-8")

    result = recorded.verify_content("model")

    assert not result.ok
    check = next(c for c in result.checks if c.record == "source:corpus")
    assert check.status == "changed"
    assert check.changed == ("a.txt",)
    assert check.added == ("sub/d.txt",)
    assert check.removed == ("b.txt",)
    assert check.found == lineage.digest_path(corpus).digest != check.recorded


def test_verify_reports_a_changed_file_and_a_removed_file(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    (tmp_path / "clean.jsonl").write_text('{"text": "tampered"}\n', encoding="utf-8")
    (tmp_path / "other.txt").unlink()

    result = recorded.verify_content()

    statuses = {c.record: c.status for c in result.checks}
    assert statuses == {
        "dataset:clean": "changed",
        "source:corpus": "matching",
        "source:other": "missing",
    }
    changed = next(c for c in result.checks if c.record == "dataset:clean")
    expected = hashlib.sha256(b'{"text": "tampered"}\n').hexdigest()
    assert changed.found == f"sha256:{expected}"


def test_a_folder_changed_before_any_clean_verification_is_reported_as_a_whole(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    (tmp_path / "corpus" / "new.txt").write_text("new\n", encoding="utf-8")

    check = next(c for c in recorded.verify_content().checks if c.record == "source:corpus")

    assert check.status == "changed"
    assert (check.changed, check.added, check.removed) == ((), (), ())


def test_each_verification_is_recorded_through_the_ledger(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    entries = recorded.info().ledger_entries
    (tmp_path / "other.txt").unlink()

    result = recorded.verify_content()

    assert result.ledger_seq == entries + 1
    record = recorded.show(result.record)
    assert record.kind == "verification"
    assert record.facts["status"] == "drift"
    results = record.facts["attrs"]["results"]
    assert results["source:other"]["status"] == "missing"
    assert results["source:corpus"]["status"] == "matching"
    assert set(results["source:corpus"]["files"]) == {"a.txt", "b.txt", "sub/c.txt"}
    assert recorded.verify().ok
    # The verification is linked to every record it checked (trees and diagrams leave it out).
    linked = {f"{r.kind}:{r.name}" for r in recorded.closure("other", "downstream")}
    assert linked == {result.record}
    assert result.record not in recorded.downstream("other")


def test_verify_cli_exits_1_on_drift_and_names_each_problem(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    assert ok(invoke(recorded.url, "verify model")).splitlines()[-1].startswith("clean: 2 ")
    (tmp_path / "corpus" / "b.txt").unlink()

    out = ok(invoke(recorded.url, "verify"), exit_code=1)

    assert "CHANGED    source:corpus" in out
    assert "           removed: b.txt" in out
    assert "ok         dataset:clean" in out
    assert out.splitlines()[-1].startswith(
        # source:other was never hashed in full (the first run was of `model`): a full pass
        "DRIFT: 3 recorded paths re-hashed (2 matching, 1 changed; every file hashed)"
    )


def test_verify_cli_json_lists_the_checks(recorded: lineage.Store, tmp_path: Path) -> None:
    (tmp_path / "clean.jsonl").unlink()

    data = json.loads(ok(invoke(recorded.url, "verify model --json"), exit_code=1))

    assert data["ok"] is False
    assert data["counts"]["missing"] == 1
    assert [(c["record"], c["status"]) for c in data["checks"]] == [
        ("dataset:clean", "missing"),
        ("source:corpus", "matching"),
    ]
    assert data["record"].startswith("verification:verify-model-model-")


def test_verify_cli_unknown_target_exits_2_and_writes_nothing(
    recorded: lineage.Store, db_url: str
) -> None:
    before = table_counts(db_url)

    line = one_error_line(invoke(recorded.url, "verify nosuch"), 2)

    assert line == "Error: 'nosuch' is not recorded (see 'lineage list')"
    assert table_counts(db_url) == before


def test_the_paper_trail_report_shows_the_latest_verification(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    (tmp_path / "clean.jsonl").write_text("changed\n", encoding="utf-8")
    recorded.verify_content("model")

    report = lineage.build_report(recorded, "model", verify_digests=False)

    rows = {
        row[0].text: row[-1].text
        for row in report.section("datasets").blocks[0].rows  # type: ignore[union-attr]
    }
    assert rows["dataset:clean"] is not None
    assert rows["dataset:clean"].startswith("CHANGED (now sha256:")
    assert "(lineage verify, " in rows["dataset:clean"]


def test_an_unchanged_folder_listing_is_stored_once_and_still_names_later_changes(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    first = recorded.verify_content("model")
    second = recorded.verify_content("model")
    results = recorded.show(second.record).facts["attrs"]["results"]
    assert "files" not in results["source:corpus"]
    assert results["source:corpus"]["files_in"] == first.record
    (tmp_path / "corpus" / "sub" / "c.txt").write_text("GAMMA\n", encoding="utf-8")

    third = recorded.verify_content("model")

    check = next(c for c in third.checks if c.record == "source:corpus")
    assert (check.status, check.changed, check.added, check.removed) == (
        "changed",
        ("sub/c.txt",),
        (),
        (),
    )


def test_a_verification_of_an_earlier_digest_is_not_shown_for_an_amended_record(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    recorded.verify_content("model")
    (tmp_path / "clean.jsonl").write_text('{"text": "ALPHA"}\n', encoding="utf-8")
    recorded.amend("clean", reason="re-exported", path=str(tmp_path / "clean.jsonl"))

    report = lineage.build_report(recorded, "model", verify_digests=False)

    rows = {
        row[0].text: row[-1].text
        for row in report.section("datasets").blocks[0].rows  # type: ignore[union-attr]
    }
    assert rows["dataset:clean"] == "not checked"


def test_verify_from_another_folder_reads_a_path_given_relative_where_it_was_given(
    store: lineage.Store, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "reviews.jsonl").write_text('{"text": "ok"}\n', encoding="utf-8")
    monkeypatch.chdir(project)
    store.add_source("reviews", license="MIT", path="data/reviews.jsonl")  # relative
    assert store.show("reviews").facts["path"] == str(project / "data" / "reviews.jsonl")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    out = json.loads(ok(invoke(store.url, "verify reviews --json")))

    assert out["counts"]["matching"] == 1
    # A deleted file is drift, and is recorded as such, from any folder.
    (project / "data" / "reviews.jsonl").unlink()
    before = table_counts(db_url)
    result = store.verify_content("reviews")
    assert [c.status for c in result.checks] == ["missing"]
    assert table_counts(db_url) != before
