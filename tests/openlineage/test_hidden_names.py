"""OpenLineage events whose dataset or job names hold invisible or reordering
characters are refused with one line naming the event and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import invoke, one_error_line
from ol_events import run_event, write_ndjson
from samples import table_counts

import lineage

RLO = "\u202e"


@pytest.fixture
def filled(store: lineage.Store) -> lineage.Store:
    store.add_source("raw", license="MIT")
    return store


def test_openlineage_refuses_a_dataset_name_with_a_hidden_character(
    filled: lineage.Store, tmp_path: Path
) -> None:
    event = run_event("COMPLETE")
    event["outputs"][0]["name"] = f"clean{RLO}sredro"
    path = write_ndjson(tmp_path / "events.ndjson", [run_event("START"), event])
    before = table_counts(filled.url)

    line = one_error_line(invoke(filled.url, f"ingest {path}"), 1)

    assert line.startswith(f"Error: {path}:2: event 1: field 'outputs[0].name': U+202E ")
    assert table_counts(filled.url) == before


def test_openlineage_refuses_a_job_name_with_a_zero_width_joiner(
    filled: lineage.Store, tmp_path: Path
) -> None:
    path = write_ndjson(tmp_path / "events.ndjson", [run_event("START", job="clean\u200dorders")])
    before = table_counts(filled.url)

    line = one_error_line(invoke(filled.url, f"ingest {path}"), 1)

    assert "field 'job.name': U+200D ZERO WIDTH JOINER is not allowed in a name" in line
    assert table_counts(filled.url) == before
