"""README's script that records many steps through one `lineage ingest -` runs as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import lineage

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- the block below is run by tests/cli/test_readme_stdin.py -->"


def readme_script() -> str:
    """The shell block that follows MARKER in README.md."""
    text = README.read_text(encoding="utf-8")
    found = re.search(re.escape(MARKER) + r"\n```sh\n(.*?)\n```", text, re.DOTALL)
    assert found is not None, f"README.md has no ```sh block after {MARKER!r}"
    return found.group(1)


def test_readme_records_many_steps_with_one_ingest_per_batch(db_url: str, tmp_path: Path) -> None:
    bin_folder = str(Path(sys.executable).parent)  # where `lineage` is installed
    env = {**os.environ, "LINEAGE_DB": db_url, "PATH": bin_folder + os.pathsep + os.environ["PATH"]}

    run = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", readme_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "3 records, 2 relations recorded (ledger entry 1)"
    assert lines[1] == "6 records, 6 relations recorded (ledger entry 2)"
    assert lines[2] == "dataset:tokens-02"
    assert "source:web-crawl-2025-06" in lines[-1]
    with lineage.open_store(db_url, create=False) as store:
        assert store.info().ledger_entries == 2  # one transaction per ingest
        assert [s.name for s in store.list("dataset")] == [
            "tokens-00",
            "tokens-01",
            "tokens-02",
            "web-text",
        ]
        assert len(store.list("activity")) == 4
        tokenize = store.show("tokenize-01").facts
        assert tokenize["params"] == {"shard": "01"}
        assert "source:web-crawl-2025-06" in store.upstream("tokens-01").nodes
