"""Small stores and graphs to draw, and helpers to read the DOT and SVG back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import lineage


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[lineage.Store]:
    """reviews (CC-BY-NC) + crawl -> dedup-1 (by bot) -> clean -> train-1 (by ann) -> m.

    ann acts on behalf of acme and signs the model off (ok-m).
    """
    with lineage.open_store(str(tmp_path / "x.db")) as store:
        store.add_agent("acme", type="organization")
        store.add_agent("ann", type="person", acted_on_behalf_of="acme")
        store.add_agent("bot", type="software", version="1.0")
        store.add_source(
            "reviews", license="CC-BY-NC-4.0", obtained="public", records=100, size_bytes=2000
        )
        store.add_source("crawl", license="MIT", obtained="crawled", personal_data="unknown")
        store.add_dataset("clean", records=90)
        store.add_model("m", license="Apache-2.0", intended_use="commercial")
        store.record_run(
            "dedup",
            name="dedup-1",
            inputs=["reviews", "crawl"],
            outputs=["clean"],
            agent="bot",
            tool="dedup==2.3.1",
            started="2025-06-02T08:00:00Z",
        )
        store.record_run("train", name="train-1", inputs=["clean"], outputs=["m"], agent="ann")
        store.approve("m", by="ann", name="ok-m", decision="approved", tier="general-commercial")
        yield store


@pytest.fixture
def sharded(tmp_path: Path) -> Iterator[lineage.Store]:
    """40 shard files (sources) -> ingest-1 -> corpus -> train-1 -> big, and a lone extra source."""
    shards = [
        {"name": f"shard-{i:02d}", "license": "CC-BY-4.0", "size_bytes": 1000 + i, "records": 10}
        for i in range(40)
    ]
    with lineage.open_store(str(tmp_path / "s.db")) as store:
        store.record(
            {
                "sources": [*shards, {"name": "extra", "license": "MIT"}],
                "datasets": [{"name": "corpus"}],
                "models": [{"name": "big"}],
                "runs": [
                    {
                        "operation": "ingest",
                        "name": "ingest-1",
                        "inputs": [s["name"] for s in shards],
                        "outputs": ["corpus"],
                    },
                    {
                        "operation": "train",
                        "name": "train-1",
                        "inputs": ["corpus", "extra"],
                        "outputs": ["big"],
                    },
                ],
            }
        )
        yield store
