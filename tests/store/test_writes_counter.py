"""`Store.writes` tells "recorded" from "already recorded", whatever other writers do.

The CLI's `run record`, `approve`, `claim`, `evaluation record` and `revoke` print
"recorded" or "unchanged" from it; they used to compare the ledger's length before and
after, which another writer's commit in between made say "recorded" for a no-op.
"""

from __future__ import annotations

from pathlib import Path

import lineage


def test_writes_counts_this_stores_ledger_entries_only(
    store: lineage.Store, tmp_path: Path
) -> None:
    store.add_source("raw", license="MIT")
    assert store.writes == 1
    store.add_source("raw", license="MIT")  # already recorded: no ledger entry
    assert store.writes == 1

    with lineage.open_store(store.url) as other:  # another writer commits meanwhile
        other.add_dataset("clean")
        other.record_run("copy", name="copy-1", inputs=["raw"], outputs=["clean"])
        assert other.writes == 2
    before = store.writes
    store.record_run("copy", name="copy-1", inputs=["raw"], outputs=["clean"])
    assert store.writes == before  # the same run again: unchanged, though the ledger grew
    assert store.info().ledger_entries == 3

    store.ingest_events([])  # nothing to write through the streaming path either
    assert store.writes == before

    manifest = tmp_path / "more.yaml"
    manifest.write_text("sources:\n  - {name: extra, license: MIT}\n", encoding="utf-8")
    store.ingest([str(manifest)])
    assert store.writes == before + 1
    store.ingest([str(manifest)])
    assert store.writes == before + 1
