"""Issue 16: recorded paths work from any folder; the data root moves with one command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import sqlalchemy
from cli_run import invoke, ok, one_error_line
from samples import SAMPLE, table_counts

import lineage

LINEAGE = [sys.executable, "-c", "from cli.main import main; main()"]
REPO = SAMPLE.parent


def _run(db: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*LINEAGE, "--db", db, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def _crawl(folder: Path) -> Path:
    """A manifest with a crawled source, a relative path and a domain sizes file beside it."""
    (folder / "crawl").mkdir(parents=True)
    (folder / "crawl" / "pages.jsonl").write_text(
        '{"url": "https://example.org/a", "text": "hello"}\n', encoding="utf-8"
    )
    (folder / "domains.csv").write_text("domain,bytes\nexample.org,5\n", encoding="utf-8")
    manifest = folder / "lineage.yaml"
    manifest.write_text(
        "sources:\n"
        "  - name: crawl\n    path: crawl\n    license: CC-BY-4.0\n    obtained: crawled\n"
        "    owner: us\n    uri: https://example.org\n    personal_data: 'no'\n"
        "    attrs: {domain_sizes: domains.csv}\n"
        "models:\n  - name: m\n    intended_use: research\n"
        "runs:\n  - operation: train\n    name: train-m\n    inputs: [crawl]\n    outputs: [m]\n",
        encoding="utf-8",
    )
    return manifest


def test_report_and_verify_find_the_files_from_another_folder(db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _crawl(data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Ingested with a relative path, from the data's parent folder.
    assert _run(db_url, tmp_path, "ingest", "data/lineage.yaml").returncode == 0
    report = _run(db_url, elsewhere, "report", "m", "--template", "eu-ai-act", "--format", "md")
    assert report.returncode == 0, report.stderr
    assert "not found" not in report.stderr
    assert "recorded in domains.csv" in report.stdout
    verify = _run(db_url, elsewhere, "verify", "m", "--json")
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["counts"]["matching"] == 1


def test_moving_the_data_root_is_one_command(db_url: str, tmp_path: Path) -> None:
    old = tmp_path / "old"
    _crawl(old)
    ok(invoke(db_url, f"data-root set {old}"))
    ok(invoke(db_url, f"ingest {old / 'lineage.yaml'}"))
    with lineage.open_store(db_url) as store:
        assert store.show("crawl").facts["path"] == "crawl"  # kept relative to the root
    new = tmp_path / "new"
    shutil.copytree(old, new)
    shutil.rmtree(old)
    out = ok(invoke(db_url, f"data-root move {old} {new} --json"))
    assert json.loads(out)["data_root"] == str(new)
    assert ok(invoke(db_url, "data-root show")).strip() == str(new)
    verify = _run(db_url, tmp_path, "verify", "m", "--json")
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["counts"]["matching"] == 1
    with lineage.open_store(db_url) as store:
        assert store.verify().ok  # the ledger covers the data root rows


def test_a_bad_data_root_is_one_line_and_writes_nothing(db_url: str, tmp_path: Path) -> None:
    ok(invoke(db_url, f"data-root set {tmp_path}"))
    before = table_counts(db_url)
    line = one_error_line(invoke(db_url, f"data-root set {tmp_path / 'absent'}"), 1)
    assert "does not exist" in line
    line = one_error_line(invoke(db_url, f"data-root move {tmp_path / 'x'} {tmp_path}"), 1)
    assert "is not the data root in force" in line
    line = one_error_line(invoke(db_url, f"data-root move {tmp_path} {tmp_path / 'absent'}"), 1)
    assert "does not exist" in line
    other = tmp_path / "other"
    other.mkdir()
    line = one_error_line(invoke(db_url, f"data-root set {other}"), 1)
    assert "use 'lineage data-root move" in line
    assert table_counts(db_url) == before


def test_setting_the_root_after_recording_keeps_the_recorded_paths(
    db_url: str, tmp_path: Path
) -> None:
    manifest = _crawl(tmp_path / "data")
    with lineage.open_store(db_url) as store:
        store.ingest([str(manifest)])
        assert store.show("crawl").facts["path"] == str(tmp_path / "data" / "crawl")
        store.set_data_root(str(tmp_path))
        again = store.ingest([str(manifest)])  # the same place: nothing changes
        assert again.created == ()
        assert store.show("crawl").facts["path"] == str(tmp_path / "data" / "crawl")
        store.record({"sources": [{"name": "more", "path": str(tmp_path / "data" / "crawl")}]})
        assert store.show("more").facts["path"] == "data/crawl"


def test_a_tampered_data_root_row_is_named_by_audit_verify(db_url: str, tmp_path: Path) -> None:
    with lineage.open_store(db_url) as store:
        store.set_data_root(str(tmp_path))
        engine = sqlalchemy.create_engine(db_url)
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text("UPDATE data_root SET path = '/elsewhere'"))
        engine.dispose()
        problems = [p.message for p in store.verify().problems]
    assert problems == ["data_root row 1 ('/elsewhere') was altered after it was recorded"]
