"""OpenLineage RunEvents in: mapping, merging of a run's events, facets, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ol_events import PARENT_ID, PRODUCER, RUN_ID, run_event, snapshot, write_ndjson
from ol_strategies import openlineage_runs
from samples import table_counts

import lineage
from cli.main import cli

OUT = "dataset:s3://lake/clean.orders"
IN = "dataset:postgres://db:5432/raw.orders"


def _attrs(store: lineage.Store, name: str) -> dict[str, Any]:
    attrs: dict[str, Any] = store.show(name).facts["attrs"]
    return attrs


def test_a_run_maps_to_an_activity_with_its_datasets_job_and_producer(
    store: lineage.Store, tmp_path: Path
) -> None:
    path = write_ndjson(tmp_path / "events.ndjson", [run_event("START"), run_event("COMPLETE")])

    store.ingest([str(path)])

    run = store.show(f"activity:{RUN_ID}")
    assert run.facts["operation"] == "clean_orders"
    assert run.facts["status"] == "completed"
    assert run.facts["started"] == "2025-06-02T08:00:00Z"
    assert run.facts["ended"] == "2025-06-02T09:00:00Z"
    assert run.facts["code_revision"] == "4f9c2e1"
    assert run.facts["records_out"] == 42
    assert run.facts["attrs"]["openlineage"]["job"] == {
        "namespace": "airflow",
        "name": "clean_orders",
    }
    assert len(run.facts["attrs"]["openlineage"]["events"]) == 2
    assert run.facts["attrs"]["data_quality_assertions"] == [
        {
            "dataset": "postgres://db:5432/raw.orders",
            "assertion": "not_null",
            "success": True,
            "column": "id",
            "params": {},
        }
    ]
    out = store.show(OUT)
    assert out.facts["description"] == "orders without test accounts"
    assert out.facts["owner"] == "team:data-eng"
    assert out.facts["records"] == 42 and out.facts["size_bytes"] == 4096
    state = out.facts["attrs"]["openlineage"]
    assert (state["namespace"], state["name"]) == ("s3://lake", "clean.orders")
    assert set(state["facets"]) >= {
        "documentation",
        "ownership",
        "columnLineage",
        "outputStatistics",
    }
    assert (
        store.show(IN).facts["attrs"]["openlineage"]["facets"]["schema"]["fields"][0]["name"]
        == "id"
    )
    producer = store.show(f"agent:{PRODUCER}").facts
    assert (producer["agent_type"], producer["software_version"]) == ("software", "1.54.0")
    graph = store.upstream(OUT)
    assert graph.has_edge(OUT, f"activity:{RUN_ID}")
    assert graph.edges[f"activity:{RUN_ID}", IN]["relation"] == "used"
    # An input named only in the column lineage is an input all the same.
    assert (
        graph.edges[f"activity:{RUN_ID}", "dataset:postgres://db:5432/raw.accounts"]["relation"]
        == "used"
    )
    assert graph.edges[f"activity:{RUN_ID}", f"agent:{PRODUCER}"]["role"] == "producer"


def test_events_in_any_order_twice_or_split_across_ingests_give_the_same_graph(
    db_url: str, tmp_path: Path
) -> None:
    events = [run_event("START", parent=True), run_event("RUNNING"), run_event("COMPLETE")]
    parent = [
        run_event("START", run_id=PARENT_ID, job="orders_dag", inputs=(), outputs=()),
        run_event("COMPLETE", run_id=PARENT_ID, job="orders_dag", inputs=(), outputs=()),
    ]
    one = write_ndjson(tmp_path / "all.ndjson", [*events, *parent])
    with lineage.open_store(f"{db_url}") as store:
        store.ingest([str(one)])
        expected = snapshot(store)
    assert f"activity:{PARENT_ID}" in expected[0]
    assert (f"activity:{RUN_ID}", f"activity:{PARENT_ID}", "was_informed_by", "parent") in expected[
        1
    ]

    # Another store: the child's events backwards, each twice, in separate ingests, the parent last.
    other = tmp_path / "other.db"
    with lineage.open_store(str(other)) as store:
        for i, event in enumerate(reversed(events * 2)):
            store.ingest([str(write_ndjson(tmp_path / f"e{i}.ndjson", [event]))])
        store.ingest([str(write_ndjson(tmp_path / "parent.ndjson", parent[::-1]))])
        assert snapshot(store) == expected
        assert store.show(f"activity:{RUN_ID}").current.version > 1  # merged by amendment
        assert store.verify().ok


def test_a_failed_run_keeps_its_error(store: lineage.Store, tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_text(json.dumps([run_event("START"), run_event("FAIL")]), encoding="utf-8")

    store.ingest([str(path)])

    run = store.show(f"activity:{RUN_ID}")
    assert run.facts["status"] == "failed"
    assert run.facts["attrs"]["error"] == "division by zero"


def test_a_single_event_object_and_custom_facets_are_stored(
    store: lineage.Store, tmp_path: Path
) -> None:
    custom = {
        "_producer": "https://example.com/x",
        "_schemaURL": "https://example.com/x.json",
        "gpu": "A100",
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(run_event("START", extra_run_facets={"acme_hardware": custom})))

    store.ingest([str(path)])

    run = store.show(f"activity:{RUN_ID}")
    assert run.facts["status"] == "running"
    event = run.facts["attrs"]["openlineage"]["events"][0]
    assert event["run"]["facets"]["acme_hardware"]["gpu"] == "A100"


def test_a_manifest_and_events_land_in_one_ingest(store: lineage.Store, tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text("sources:\n  - name: crm-export\n    license: MIT\n", encoding="utf-8")
    events = write_ndjson(tmp_path / "e.ndjson", [run_event("COMPLETE")])

    result = store.ingest([str(manifest), str(events)])

    assert result.ledger_seq == 1
    assert {s.id for s in store.list()} >= {"source:crm-export", OUT}


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda e: e["run"].pop("runId"), "run.runId"),
        (lambda e: e["run"].__setitem__("runId", "not-a-uuid"), "run.runId"),
        (lambda e: e.__setitem__("eventType", "FINISHED"), "eventType"),
        (lambda e: e.__setitem__("eventTime", "yesterday"), "eventTime"),
        (lambda e: e["job"].pop("namespace"), "job.namespace"),
        (lambda e: e["outputs"][0].pop("name"), "outputs[0].name"),
        (
            lambda e: e["outputs"][0]["facets"]["documentation"].pop("_producer"),
            "outputs[0].facets.documentation._producer",
        ),
    ],
)
def test_an_invalid_event_fails_the_file_naming_line_event_and_field_and_writes_nothing(
    tmp_path: Path, mutate: Any, field: str
) -> None:
    db = str(tmp_path / "l.db")
    with lineage.open_store(db) as store:
        store.add_source("keep-me", license="MIT")
    before = table_counts(f"sqlite:///{db}")
    bad = run_event("COMPLETE")
    mutate(bad)
    path = write_ndjson(tmp_path / "events.ndjson", [run_event("START"), bad])

    result = CliRunner().invoke(cli, ["--db", db, "ingest", str(path)])

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {path}:2: event 1: field '{field}'")
    assert table_counts(f"sqlite:///{db}") == before


def test_a_bad_event_in_a_json_array_is_named_by_index(
    store: lineage.Store, tmp_path: Path
) -> None:
    bad = run_event("COMPLETE")
    del bad["producer"]
    path = tmp_path / "events.json"
    path.write_text(json.dumps([run_event("START"), bad]), encoding="utf-8")

    with pytest.raises(lineage.InvalidRecord, match=r"events.json: event 1: field 'producer'"):
        store.ingest([str(path)])
    assert store.list() == []


def test_ndjson_with_a_broken_line_names_the_line(store: lineage.Store, tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_text(json.dumps(run_event("START")) + "\n{not json\n", encoding="utf-8")

    with pytest.raises(lineage.ManifestError, match=r"events.ndjson:2: event 1: not valid JSON"):
        store.ingest([str(path)])
    assert store.list() == []


def test_a_run_reported_for_two_jobs_is_refused(store: lineage.Store, tmp_path: Path) -> None:
    path = write_ndjson(
        tmp_path / "e.ndjson", [run_event("START"), run_event("COMPLETE", job="other_job")]
    )

    with pytest.raises(lineage.InvalidRecord, match="field 'job'"):
        store.ingest([str(path)])
    assert store.list() == []


def test_events_keep_the_facts_recorded_by_hand_on_a_dataset(
    store: lineage.Store, tmp_path: Path
) -> None:
    store.add_dataset(
        "s3://lake/clean.orders", license="CC-BY-4.0", description="by hand", attrs={"team": "x"}
    )

    store.ingest([str(write_ndjson(tmp_path / "e.ndjson", [run_event("COMPLETE")]))])

    facts = store.show(OUT).facts
    assert facts["license"] == "CC-BY-4.0"
    assert facts["attrs"]["team"] == "x"
    assert facts["description"] == "orders without test accounts"  # the event's documentation
    assert facts["records"] == 42
    assert store.show(OUT).current.version == 2


def _facet(**fields: Any) -> dict[str, Any]:
    return {
        "_producer": PRODUCER,
        "_schemaURL": "https://openlineage.io/spec/facets/x.json",
        **fields,
    }


def test_data_source_quality_metrics_lifecycle_and_abort_are_used(
    store: lineage.Store, tmp_path: Path
) -> None:
    event = run_event("START")
    event["eventType"] = "ABORT"
    event["inputs"][0]["facets"]["dataSource"] = _facet(name="orders-db", uri="postgres://db:5432")
    event["inputs"][0]["inputFacets"] = {
        "dataQualityMetrics": _facet(rowCount=1000, columnMetrics={})
    }
    event["outputs"][0]["facets"]["lifecycleStateChange"] = _facet(lifecycleStateChange="OVERWRITE")
    path = tmp_path / "abort.json"
    path.write_text(json.dumps(event), encoding="utf-8")

    store.ingest([str(path)])

    run = store.show(f"activity:{RUN_ID}").facts
    assert run["status"] == "failed" and run["ended"] == "2025-06-02T08:00:00Z"
    assert run["records_in"] == 1000
    assert store.show(IN).facts["uri"] == "postgres://db:5432"
    facets = store.show(OUT).facts["attrs"]["openlineage"]["facets"]
    assert facets["lifecycleStateChange"]["lifecycleStateChange"] == "OVERWRITE"


def test_a_dataset_event_records_the_dataset_and_its_facets(
    store: lineage.Store, tmp_path: Path
) -> None:
    event = {
        "eventTime": "2025-06-01T00:00:00Z",
        "producer": PRODUCER,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
        "dataset": {
            "namespace": "s3://lake",
            "name": "reference.countries",
            "facets": {"documentation": _facet(description="ISO 3166 countries")},
        },
    }
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(event), encoding="utf-8")

    store.ingest([str(path)])

    facts = store.show("dataset:s3://lake/reference.countries").facts
    assert facts["description"] == "ISO 3166 countries"
    assert [s.id for s in store.list()] == ["dataset:s3://lake/reference.countries"]


def test_an_event_with_no_run_job_or_dataset_is_refused_naming_run(
    store: lineage.Store, tmp_path: Path
) -> None:
    event = run_event("START")
    del event["run"], event["job"]
    path = tmp_path / "nothing.json"
    path.write_text(json.dumps(event), encoding="utf-8")

    with pytest.raises(
        lineage.InvalidRecord, match=r"nothing.json: event 0: field 'run': required field"
    ):
        store.ingest([str(path)])
    assert store.list() == []


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(events=openlineage_runs(), data=st.data())
def test_events_shuffled_repeated_and_split_give_the_graph_of_one_ingest(
    events: list[dict[str, Any]], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("split")
    with lineage.open_store(str(folder / "once.db")) as once:
        once.ingest([str(write_ndjson(folder / "all.ndjson", events))])
        expected = snapshot(once)
    assert expected[0]

    again = data.draw(st.lists(st.sampled_from(events), max_size=len(events)))
    shuffled = data.draw(st.permutations(events + again))
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(shuffled) - 1)), max_size=3)))
    pieces = [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(shuffled)], strict=True)]
    with lineage.open_store(str(folder / "split.db")) as split:
        for i, piece in enumerate(p for p in pieces if p):
            split.ingest([str(write_ndjson(folder / f"piece-{i}.ndjson", piece))])
        assert snapshot(split) == expected
        assert split.verify().ok


def test_two_datasets_that_would_share_a_record_name_are_refused(
    store: lineage.Store, tmp_path: Path
) -> None:
    first = run_event("START", outputs=("b/c",))
    second = run_event("COMPLETE", outputs=("c",))
    second["outputs"][0]["namespace"] = "s3://lake/b"

    with pytest.raises(lineage.InvalidRecord, match="would both be recorded as 's3://lake/b/c'"):
        store.ingest([str(write_ndjson(tmp_path / "e.ndjson", [first, second]))])
    store.ingest([str(write_ndjson(tmp_path / "first.ndjson", [first]))])
    with pytest.raises(lineage.InvalidRecord, match="would both be recorded"):
        store.ingest([str(write_ndjson(tmp_path / "second.ndjson", [second]))])


def test_an_event_without_its_time_is_still_read_as_an_event_and_refused(
    store: lineage.Store, tmp_path: Path
) -> None:
    event = run_event("START")
    del event["eventTime"]
    path = tmp_path / "e.json"
    path.write_text(json.dumps(event), encoding="utf-8")

    with pytest.raises(
        lineage.InvalidRecord, match=r"e.json: event 0: field 'eventTime': required"
    ):
        store.ingest([str(path)])


def test_downstream_tree_of_a_parent_run_says_it_informed_its_child(tmp_path: Path) -> None:
    db = str(tmp_path / "lineage.db")
    parent = run_event("COMPLETE", run_id=PARENT_ID, job="orders_dag", inputs=(), outputs=())
    path = write_ndjson(tmp_path / "events.ndjson", [run_event("COMPLETE", parent=True), parent])
    assert CliRunner().invoke(cli, ["--db", db, "ingest", str(path)]).exit_code == 0

    result = CliRunner().invoke(cli, ["--db", db, "downstream", f"activity:{PARENT_ID}"])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        f"└── informed activity:{RUN_ID}  operation=clean_orders"
    )
