"""Fixtures for report tests: the sample store on SQLite, read from the repository folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from report_samples import ROOT, SAMPLE

import lineage


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite store of sample_data/, ingested once per module from the repository folder.

    Recorded paths are relative to the working folder, so reports read from the same
    folder name the same paths on every machine.
    """
    folder = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("LINEAGE_CACHE", str(folder / "digest-cache.sqlite"))
        path = str(folder / "lineage.db")
        with lineage.open_store(path) as store:
            store.set_data_root(str(ROOT))
            store.ingest([str(SAMPLE)])
        yield path


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT
