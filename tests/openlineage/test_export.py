"""OpenLineage out: events valid under the official schema that read back to the same graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker
from ol_events import PARENT_ID, RUN_ID, run_event, snapshot, write_ndjson
from ol_strategies import manifests

import lineage
from cli.main import cli
from lineage.openlineage.events import schema


def _assert_valid(events: list[dict[str, Any]]) -> None:
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    for event in events:
        errors = list(validator.iter_errors(event))
        assert not errors, errors[0].message


def _events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_the_sample_exports_to_valid_events_that_read_back_to_the_same_graph(
    sample_store: lineage.Store, tmp_path: Path
) -> None:
    text = lineage.export(sample_store, "openlineage")
    events = _events(text)
    _assert_valid(events)
    runs = [e for e in events if "run" in e]
    assert len(runs) == len(sample_store.list(kind="activity")) > 5
    assert {e["eventType"] for e in runs} <= {"COMPLETE", "FAIL", "RUNNING", "OTHER"}
    path = tmp_path / "export.ndjson"
    path.write_text(text, encoding="utf-8")

    with lineage.open_store(str(tmp_path / "copy.db")) as copy:
        copy.ingest([str(path)])
        assert snapshot(copy) == snapshot(sample_store)
        assert len(copy.list()) == len(sample_store.list()) == 79


def test_a_target_exports_only_its_upstream(sample_store: lineage.Store, tmp_path: Path) -> None:
    target = "web-text-en"
    upstream = sample_store.upstream(target)
    path = tmp_path / "up.ndjson"
    path.write_text(lineage.export(sample_store, "openlineage", target), encoding="utf-8")

    with lineage.open_store(str(tmp_path / "copy.db")) as copy:
        copy.ingest([str(path)])
        assert {s.id for s in copy.list()} == set(upstream.nodes)
        assert set(copy.upstream(target).edges) == set(upstream.edges)


def test_events_from_openlineage_export_with_their_run_ids_jobs_and_parent(
    store: lineage.Store, tmp_path: Path
) -> None:
    store.ingest(
        [
            str(
                write_ndjson(
                    tmp_path / "in.ndjson", [run_event("START", parent=True), run_event("COMPLETE")]
                )
            )
        ]
    )

    events = _events(lineage.export(store, "openlineage"))

    _assert_valid(events)
    child = next(e for e in events if e.get("run", {}).get("runId") == RUN_ID)
    assert child["eventType"] == "COMPLETE"
    assert child["job"] == {"namespace": "airflow", "name": "clean_orders"}
    assert child["run"]["facets"]["parent"]["run"]["runId"] == PARENT_ID
    assert {(d["namespace"], d["name"]) for d in child["outputs"]} == {
        ("s3://lake", "clean.orders")
    }
    inputs = {d["name"]: d for d in child["inputs"]}
    assert set(inputs) == {"raw.orders", "raw.accounts"}
    assert "schema" in inputs["raw.orders"]["facets"]


def test_cli_export_writes_the_file_and_reports_it(
    sample_store: lineage.Store, tmp_path: Path
) -> None:
    out = tmp_path / "trail.ndjson"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            sample_store.database.url,
            "export",
            "--format",
            "openlineage",
            "support-assistant-v1",
            "-o",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["output"] == str(out) and summary["bytes"] == out.stat().st_size > 0
    _assert_valid(_events(out.read_text()))


def test_cli_export_of_an_unknown_target_is_one_error_line(sample_store: lineage.Store) -> None:
    result = CliRunner().invoke(
        cli,
        ["--db", sample_store.database.url, "export", "--format", "openlineage", "no-such-thing"],
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no-such-thing" in result.stderr


def test_cli_export_refuses_an_unknown_format(sample_store: lineage.Store) -> None:
    result = CliRunner().invoke(
        cli, ["--db", sample_store.database.url, "export", "--format", "csv"]
    )
    assert result.exit_code == 2
    assert "csv" in result.stderr


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(manifest=manifests())
def test_generated_graphs_round_trip_through_openlineage(
    manifest: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("round-trip")
    with lineage.open_store(str(folder / "a.db")) as original:
        original.record(manifest)
        text = lineage.export(original, "openlineage")
        _assert_valid(_events(text))
        path = folder / "export.ndjson"
        path.write_text(text, encoding="utf-8")
        with lineage.open_store(str(folder / "b.db")) as copy:
            copy.ingest([str(path)])
            assert snapshot(copy) == snapshot(original)
            assert snapshot(original)[0]  # never an empty graph


def test_a_store_filled_from_openlineage_round_trips_through_its_export(
    store: lineage.Store, tmp_path: Path
) -> None:
    events = [run_event("START", parent=True), run_event("FAIL")]
    parent = run_event("START", run_id=PARENT_ID, job="orders_dag", inputs=(), outputs=())
    store.ingest([str(write_ndjson(tmp_path / "in.ndjson", [*events, parent]))])
    path = tmp_path / "out.ndjson"
    path.write_text(lineage.export(store, "openlineage"), encoding="utf-8")

    with lineage.open_store(str(tmp_path / "copy.db")) as copy:
        copy.ingest([str(path)])
        copied = snapshot(copy)
    assert copied == snapshot(store)
    assert copied[0][f"activity:{RUN_ID}"]["status"] == "failed"
    assert (f"activity:{RUN_ID}", f"activity:{PARENT_ID}", "was_informed_by", "parent") in copied[1]


def test_an_export_with_a_tampered_lineage_facet_is_refused_naming_event_and_field(
    sample_store: lineage.Store, tmp_path: Path
) -> None:
    events = _events(lineage.export(sample_store, "openlineage"))
    run = next(i for i, e in enumerate(events) if "run" in e)
    events[run]["run"]["facets"]["lineage"]["records"][0]["facts"]["favourite_colour"] = "red"
    path = write_ndjson(tmp_path / "tampered.ndjson", events)

    with lineage.open_store(str(tmp_path / "copy.db")) as copy:
        with pytest.raises(lineage.InvalidRecord) as raised:
            copy.ingest([str(path)])
        assert copy.list() == []
    assert str(raised.value).startswith(
        f"{path}:{run + 1}: event {run}: run.facets.lineage.records[0]: "
        "field 'facts.favourite_colour': not a recorded fact"
    )
