"""Recording a run where the code runs: the decorator, the block, the facts found by themselves."""

from __future__ import annotations

import logging
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
from openlineage.client import OpenLineageClient
from openlineage.client.transport.http import HttpConfig, HttpTransport

import lineage


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree with one commit, as the working folder."""
    folder = tmp_path / "pipeline"
    folder.mkdir()
    _git(folder, "init", "-q")
    (folder / "step.py").write_text("print('dedup')\n", encoding="utf-8")
    _git(folder, "add", "step.py")
    _git(folder, "commit", "-qm", "first")
    monkeypatch.chdir(folder)
    return folder


def test_a_decorated_step_records_inputs_outputs_arguments_revision_and_versions(
    store: lineage.Store, repo: Path
) -> None:
    store.add_source("raw", license="MIT")
    store.add_dataset("deduped")

    @lineage.track(
        store, inputs=["raw"], outputs=["deduped"], tool="dedup==2.3.1", versions=["PyYAML"]
    )
    def dedup(threshold: float, *, shards: int = 4, client: object = None) -> int:
        run = lineage.current_run()
        assert run is not None
        run.records_out = 17
        return 17

    assert dedup(0.8, client=object()) == 17

    [run] = store.list(kind="activity")
    facts = store.show(run.id).facts
    assert facts["operation"] == "dedup"
    assert facts["status"] == "completed"
    assert facts["params"] == {"threshold": 0.8, "shards": 4}  # not the client object
    assert facts["code_revision"] == _git(repo, "rev-parse", "HEAD")
    assert "code_dirty" not in facts["attrs"]
    assert facts["attrs"]["tool_versions"]["PyYAML"] == metadata.version("PyYAML")
    assert facts["tool"] == "dedup" and facts["records_out"] == 17
    assert facts["started"] <= facts["ended"]
    assert set(store.upstream("deduped").edges) == {
        ("dataset:deduped", run.id),
        (run.id, "source:raw"),
    }


def test_uncommitted_changes_are_noted(store: lineage.Store, repo: Path) -> None:
    store.add_source("raw", license="MIT")
    (repo / "step.py").write_text("print('changed')\n", encoding="utf-8")

    with store.run("dedup", inputs=["raw"], name="dirty-1") as run:
        store.add_dataset("out")
        run.outputs.append("out")

    assert store.show("activity:dirty-1").facts["attrs"]["code_dirty"] is True


def test_a_failing_step_is_recorded_as_failed_with_its_error_and_the_error_raised(
    store: lineage.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not a git work tree: no revision to find
    store.add_source("raw", license="MIT")

    @lineage.track(store, inputs=["raw"], operation="tokenize")
    def tokenize(vocabulary: str) -> None:
        raise ValueError(f"unknown vocabulary {vocabulary!r}")

    with pytest.raises(ValueError, match="unknown vocabulary"):
        tokenize("bpe-64k")

    [run] = store.list(kind="activity")
    facts = store.show(run.id).facts
    assert facts["status"] == "failed"
    assert facts["attrs"]["error"] == "ValueError: unknown vocabulary 'bpe-64k'"
    assert facts["params"] == {"vocabulary": "bpe-64k"}
    assert "code_revision" not in facts


def test_a_store_given_by_path_is_opened_for_each_call(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    with lineage.open_store(db) as store:
        store.add_source("raw", license="MIT")
        store.add_dataset("a")

    @lineage.track(db, inputs=["raw"], outputs=["a"], record_args=False)
    def step(n: int) -> None:
        pass

    step(1)
    step(2)  # the same facts again, apart from times: a second run

    with lineage.open_store(db) as store:
        runs = store.list(kind="activity")
        assert len(runs) == 2
        assert all("params" not in store.show(r.id).facts for r in runs)


def test_an_unreachable_openlineage_backend_is_logged_and_the_run_still_recorded(
    store: lineage.Store, caplog: pytest.LogCaptureFixture
) -> None:
    store.add_source("raw", license="MIT")
    client = OpenLineageClient(
        transport=HttpTransport(
            HttpConfig(url="http://127.0.0.1:9", timeout=2, retry={"total": 0, "connect": 0})
        )
    )

    with caplog.at_level(logging.WARNING), store.run("dedup", inputs=["raw"], emit=client) as run:
        store.add_dataset("out")
        run.outputs.append("out")

    assert store.show("out").id == "dataset:out"
    [recorded] = store.list(kind="activity")
    assert store.show(recorded.id).facts["status"] == "completed"
    assert "could not send OpenLineage event" in caplog.text
