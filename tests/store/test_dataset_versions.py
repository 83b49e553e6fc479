"""Dataset versions (issue 16): each write by another run is a version, reads resolve by time.

Events are written here in the shapes the integrations emit (Airflow's provider,
Spark's listener), as small dicts, and ingested through the public API and CLI.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage

AIRFLOW = "https://github.com/apache/airflow/tree/providers-openlineage/1.14.0"
SPARK = "https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/spark"
SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"
NS = "postgres://warehouse:5432"


def _dataset(name: str, **facets: Any) -> dict[str, Any]:
    return {"namespace": NS, "name": name, "facets": facets}


def _lifecycle(state: str, previous: str | None = None) -> dict[str, Any]:
    facet: dict[str, Any] = {
        "_producer": AIRFLOW,
        "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json",
        "lifecycleStateChange": state,
    }
    if previous is not None:
        facet["previousIdentifier"] = {"namespace": NS, "name": previous}
    return facet


def _events(
    run_id: str,
    job: str,
    start: str,
    end: str,
    inputs: list[dict[str, Any]],
    outputs: list[dict[str, Any]],
    producer: str = AIRFLOW,
) -> list[dict[str, Any]]:
    """START and COMPLETE of one run, both listing its datasets (as Airflow sends them)."""
    return [
        {
            "eventType": state,
            "eventTime": when,
            "producer": producer,
            "schemaURL": SCHEMA,
            "run": {"runId": run_id, "facets": {}},
            "job": {"namespace": "airflow", "name": job, "facets": {}},
            "inputs": inputs,
            "outputs": outputs,
        }
        for state, when in (("START", start), ("COMPLETE", end))
    ]


def _run_id(n: int) -> str:
    return f"01937f2a-5b1c-7d3e-8f40-{n:012d}"


def _names(graph: Any, kind: str) -> set[str]:
    return {data["name"] for _, data in graph.nodes(data=True) if data["kind"] == kind}


def _bake(n: int, apples: str, day: str, write: str | None = "OVERWRITE") -> list[dict[str, Any]]:
    pie = (
        _dataset("bakery.pie", lifecycleStateChange=_lifecycle(write))
        if write
        else _dataset("bakery.pie")
    )
    return _events(
        _run_id(n),
        "bake_pie",
        f"{day}T06:00:00Z",
        f"{day}T07:00:00Z",
        [_dataset(f"orchard.{apples}")],
        [pie],
    )


def _eat(n: int, day: str, out: str) -> list[dict[str, Any]]:
    return _events(
        _run_id(n),
        "eat_pie",
        f"{day}T12:00:00Z",
        f"{day}T13:00:00Z",
        [_dataset("bakery.pie")],
        [_dataset(f"diner.{out}")],
    )


PIE = f"{NS}/bakery.pie"


def test_each_reader_of_a_rewritten_table_traces_only_its_version(store: lineage.Store) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    store.ingest_events(_eat(2, "2025-09-15", "september_lunch"))
    store.ingest_events(_bake(3, "october_apples", "2025-10-01"))
    store.ingest_events(_eat(4, "2025-10-15", "october_lunch"))

    september = store.upstream(f"{NS}/diner.september_lunch")
    october = store.upstream(f"{NS}/diner.october_lunch")
    assert _names(september, "dataset") == {
        f"{NS}/diner.september_lunch",
        PIE,
        f"{NS}/orchard.september_apples",
    }
    assert _names(october, "dataset") == {
        f"{NS}/diner.october_lunch",
        f"{PIE}@v2",
        f"{NS}/orchard.october_apples",
    }
    # The dataset as a whole still reaches both lunches.
    assert {f"{NS}/diner.september_lunch", f"{NS}/diner.october_lunch"} <= _names(
        store.downstream(PIE), "dataset"
    )
    version = store.show(f"{PIE}@v2").current
    assert version.effective == "2025-10-01T07:00:00Z"
    assert version.facts["attrs"]["dataset_version"]["of"] == PIE
    assert version.facts["attrs"]["dataset_version"]["run"] == _run_id(3)


def test_a_version_that_keeps_the_content_is_a_revision_of_the_one_before(
    store: lineage.Store,
) -> None:
    # Spark's append (no lifecycle facet): the new version keeps the old content.
    store.ingest_events(_bake(1, "september_apples", "2025-09-01", write=None))
    store.ingest_events(_bake(3, "october_apples", "2025-10-01", write=None))
    store.ingest_events(_eat(4, "2025-10-15", "october_lunch"))

    october = store.upstream(f"{NS}/diner.october_lunch")
    assert {f"{NS}/orchard.september_apples", f"{NS}/orchard.october_apples"} <= _names(
        october, "dataset"
    )
    assert october.edges[f"dataset:{PIE}@v2", f"dataset:{PIE}"]["relation"] == "was_revision_of"


def test_the_same_events_twice_write_nothing_new(store: lineage.Store) -> None:
    events = _bake(1, "a", "2025-09-01") + _eat(2, "2025-09-15", "l") + _bake(3, "b", "2025-10-01")
    store.ingest_events(events)
    before = table_counts(store.database.url)
    store.ingest_events(list(reversed(events)))
    assert table_counts(store.database.url) == before
    assert {s.name for s in store.list("dataset")} >= {PIE, f"{PIE}@v2"}


def test_one_batch_with_both_writers_numbers_versions_by_time(store: lineage.Store) -> None:
    store.ingest_events(
        _eat(4, "2025-10-15", "october_lunch")
        + _bake(3, "october_apples", "2025-10-01")
        + _eat(2, "2025-09-15", "september_lunch")
        + _bake(1, "september_apples", "2025-09-01")
    )
    assert f"{NS}/orchard.september_apples" in _names(
        store.upstream(f"{NS}/diner.september_lunch"), "dataset"
    )
    assert f"{NS}/orchard.september_apples" not in _names(
        store.upstream(f"{NS}/diner.october_lunch"), "dataset"
    )


def test_a_write_that_arrives_after_its_reader_is_recorded_and_flagged(
    store: lineage.Store,
) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    store.ingest_events(_eat(4, "2025-10-15", "october_lunch"))
    store.ingest_events(_bake(3, "october_apples", "2025-10-01"))  # late

    # Append-only: the lunch keeps the version it was recorded with ...
    assert PIE in _names(store.upstream(f"{NS}/diner.october_lunch"), "dataset")
    # ... and check says which version was current at its time.
    result = lineage.check(store, f"{NS}/diner.october_lunch")
    found = [f for f in result.findings if f.rule == "version-out-of-order"]
    assert len(found) == 1
    assert f"dataset:{PIE}@v2 was current" in found[0].message


def test_drop_ends_the_history_and_a_later_reader_is_flagged(store: lineage.Store) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    drop = _events(
        _run_id(5),
        "drop_pie",
        "2025-09-20T00:00:00Z",
        "2025-09-20T00:01:00Z",
        [],
        [_dataset("bakery.pie", lifecycleStateChange=_lifecycle("DROP"))],
    )
    store.ingest_events(drop)
    store.ingest_events(_eat(2, "2025-09-25", "late_lunch"))

    graph = store.graph()
    assert graph.edges[f"dataset:{PIE}", f"activity:{_run_id(5)}"]["relation"] == (
        "was_invalidated_by"
    )
    assert not any(n.endswith("@v2") for n in graph)  # a drop generates no version
    # Upstream of the pie does not run into the dropping run.
    assert f"activity:{_run_id(5)}" not in store.upstream(PIE)
    found = lineage.check(store, f"{NS}/diner.late_lunch").findings
    assert [f.rule for f in found if f.rule == "read-after-drop"] == ["read-after-drop"]


def test_rename_links_the_new_name_to_the_old_names_version(store: lineage.Store) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    rename = _events(
        _run_id(6),
        "rename_pie",
        "2025-09-10T00:00:00Z",
        "2025-09-10T00:01:00Z",
        [],
        [_dataset("bakery.tart", lifecycleStateChange=_lifecycle("RENAME", "bakery.pie"))],
    )
    store.ingest_events(rename)
    upstream = store.upstream(f"{NS}/bakery.tart")
    assert f"{NS}/orchard.september_apples" in _names(upstream, "dataset")
    edge = upstream.edges[f"dataset:{NS}/bakery.tart", f"dataset:{PIE}"]
    assert (edge["relation"], edge["role"]) == ("was_revision_of", "renamed")


def test_an_input_naming_a_dataset_version_reads_that_version(store: lineage.Store) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    store.ingest_events(_bake(3, "october_apples", "2025-10-01"))
    reader = _events(
        _run_id(7),
        "eat_old_pie",
        "2025-10-20T12:00:00Z",
        "2025-10-20T13:00:00Z",
        [
            _dataset(
                "bakery.pie",
                version={"_producer": SPARK, "_schemaURL": SCHEMA, "datasetVersion": "v1"},
            )
        ],
        [_dataset("diner.old_lunch")],
        producer=SPARK,
    )
    store.ingest_events(reader)
    assert f"{NS}/orchard.september_apples" in _names(
        store.upstream(f"{NS}/diner.old_lunch"), "dataset"
    )


def test_a_run_recorded_later_that_names_version_1_reads_it_and_is_not_flagged(
    store: lineage.Store,
) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    store.ingest_events(_bake(3, "october_apples", "2025-10-01"))
    store.add_dataset("old-tart")
    ok(
        invoke(
            store.database.url,
            f"run record bake --name bake-old-tart --input '{PIE}@v1' --output old-tart "
            "--started 2025-10-20T12:00:00Z",
        )
    )

    upstream = _names(store.upstream("old-tart"), "dataset")
    assert PIE in upstream and f"{PIE}@v2" not in upstream
    assert f"{NS}/orchard.september_apples" in upstream
    assert f"{NS}/orchard.october_apples" not in upstream
    # Version 2 was recorded before this run, which chose version 1: no false alarm.
    found = lineage.check(store, "old-tart").findings
    assert [f for f in found if f.rule == "version-out-of-order"] == []


def test_an_unknown_dataset_version_is_one_line_and_writes_nothing(store: lineage.Store) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    before = table_counts(store.database.url)
    reader = _events(
        _run_id(7),
        "eat",
        "2025-10-20T12:00:00Z",
        "2025-10-20T13:00:00Z",
        [
            _dataset(
                "bakery.pie",
                version={"_producer": SPARK, "_schemaURL": SCHEMA, "datasetVersion": "v9"},
            )
        ],
        [_dataset("diner.lunch")],
    )
    with pytest.raises(lineage.UnknownNode) as raised:
        store.ingest_events(reader, where="events.json")
    message = str(raised.value)
    assert "\n" not in message and "has no version 'v9'" in message, message
    assert table_counts(store.database.url) == before


def test_run_record_versions_outputs_and_resolves_inputs(store: lineage.Store) -> None:
    db = store.database.url
    ok(invoke(db, "source add apples-sep --license MIT"))
    ok(invoke(db, "source add apples-oct --license MIT"))
    ok(invoke(db, "dataset add pie"))
    for operation, apples, day in (("bake", "apples-sep", "09"), ("bake", "apples-oct", "10")):
        ok(
            invoke(
                db,
                f"run record {operation} --name bake-{day} --input {apples} --output pie "
                f"--overwrite --started 2025-{day}-01T06:00:00Z --ended 2025-{day}-01T07:00:00Z",
            )
        )
    ok(invoke(db, "dataset add lunch-sep"))
    ok(invoke(db, "dataset add lunch-oct"))
    ok(
        invoke(
            db,
            "run record eat --name eat-sep --input pie --output lunch-sep "
            "--started 2025-09-15T12:00:00Z",
        )
    )
    ok(invoke(db, "run record eat --name eat-oct --input pie --output lunch-oct"))  # now
    assert "apples-oct" not in _names(store.upstream("lunch-sep"), "source")
    assert _names(store.upstream("lunch-oct"), "source") == {"apples-oct"}
    # A version named outright is read as named; an unknown one is one line.
    ok(invoke(db, "dataset add lunch-old"))
    ok(invoke(db, "run record eat --name eat-old --input pie --output lunch-old"))
    before = table_counts(db)
    message = one_error_line(
        invoke(db, "run record eat --name eat-bad --input pie@v9 --output lunch-old"), 1
    )
    assert "pie@v9" in message
    assert table_counts(db) == before


def test_a_manifest_run_rewriting_a_dataset_makes_a_version(
    store: lineage.Store, tmp_path: Path
) -> None:
    manifest = {
        "sources": [{"name": "s1", "license": "MIT"}, {"name": "s2", "license": "CC-BY-4.0"}],
        "datasets": [{"name": "d"}, {"name": "r1"}, {"name": "r2"}],
        "runs": [
            {
                "name": "w1",
                "operation": "w",
                "inputs": ["s1"],
                "outputs": ["d"],
                "started": "2025-01-01T00:00:00Z",
                "ended": "2025-01-01T01:00:00Z",
            },
            {
                "name": "read1",
                "operation": "r",
                "inputs": ["d"],
                "outputs": ["r1"],
                "started": "2025-01-02T00:00:00Z",
            },
            {
                "name": "w2",
                "operation": "w",
                "inputs": ["s2"],
                "outputs": ["d"],
                "write": "overwrite",
                "started": "2025-01-03T00:00:00Z",
                "ended": "2025-01-03T01:00:00Z",
            },
            {
                "name": "read2",
                "operation": "r",
                "inputs": ["d"],
                "outputs": ["r2"],
                "started": "2025-01-04T00:00:00Z",
            },
        ],
    }
    path = tmp_path / "runs.json"
    path.write_text(json.dumps(manifest))
    store.ingest([str(path)])
    assert _names(store.upstream("r1"), "source") == {"s1"}
    assert _names(store.upstream("r2"), "source") == {"s2"}
    assert "d@v2" in _names(store.upstream("r2"), "dataset")


def test_versions_round_trip_through_prov_json(store: lineage.Store, tmp_path: Path) -> None:
    store.ingest_events(_bake(1, "september_apples", "2025-09-01", write=None))
    store.ingest_events(_bake(3, "october_apples", "2025-10-01", write=None))
    store.ingest_events(_eat(4, "2025-10-15", "october_lunch"))
    path = tmp_path / "out.provjson"
    path.write_bytes(store.export("prov-json").data)
    with lineage.open_store(str(tmp_path / "copy.db")) as copy:
        copy.ingest([str(path)])
        relations = {(u, v, d["relation"]) for u, v, d in copy.graph().edges(data=True)}
        # (v2 is both a revision and a specialization of the pie record: the export's
        # graph holds one relation per pair, the revision.)
        assert (f"dataset:{PIE}@v2", f"dataset:{PIE}", "was_revision_of") in relations
        original = {(u, v, d["relation"]) for u, v, d in store.graph().edges(data=True)}
        assert relations == original
        assert copy.show(f"{PIE}@v2").current.effective == "2025-10-01T07:00:00Z"


# -- reading versions: show, --valid-at against --as-of, impact, graphml -----------------------


def _pie_store(store: lineage.Store) -> str:
    """Pie baked in September and rewritten in October, a lunch in each month; returns the
    ledger time between the two bakes' recordings."""
    store.ingest_events(_bake(1, "september_apples", "2025-09-01"))
    store.ingest_events(_eat(2, "2025-09-15", "september_lunch"))
    between = store.show(f"{NS}/diner.september_lunch").current.recorded_at
    store.ingest_events(_bake(3, "october_apples", "2025-10-01"))
    store.ingest_events(_eat(4, "2025-10-15", "october_lunch"))
    return between


def test_show_lists_a_datasets_versions_with_their_writers(store: lineage.Store) -> None:
    _pie_store(store)
    out = ok(invoke(store.database.url, f"show {PIE} --valid-at 2025-09-20T00:00:00Z"))
    assert "dataset versions:" in out
    assert f"dataset:{PIE}  written 2025-09-01T07:00:00Z by activity:{_run_id(1)}" in out
    assert (
        f"dataset:{PIE}@v2  written 2025-10-01T07:00:00Z by activity:{_run_id(3)} (overwrite)"
        in out
    )
    assert f"current at 2025-09-20T00:00:00Z: dataset:{PIE}\n" in out
    record = json.loads(ok(invoke(store.database.url, f"show {PIE} --json")))
    assert [v["name"] for v in record["dataset_versions"]] == [PIE, f"{PIE}@v2"]


def test_before_its_first_write_no_version_of_a_dataset_is_current(
    store: lineage.Store,
) -> None:
    _pie_store(store)
    out = ok(invoke(store.database.url, f"show {PIE} --valid-at 2025-01-01T00:00:00Z"))
    assert "current at 2025-01-01T00:00:00Z: none (not written yet then)" in out
    assert f"current at 2025-01-01T00:00:00Z: dataset:{PIE}" not in out
    with pytest.raises(lineage.UnknownNode, match="not written yet at 2025-01-01"):
        store.version_at(PIE, datetime(2025, 1, 1, tzinfo=UTC))
    assert store.version_at(PIE, datetime(2025, 9, 20, tzinfo=UTC)) == f"dataset:{PIE}"


def test_valid_at_and_as_of_answer_different_questions(store: lineage.Store) -> None:
    between = _pie_store(store)
    db = store.database.url
    # --valid-at: the world on 20 September, as the events (all known now) describe it.
    september = json.loads(ok(invoke(db, f"upstream {PIE} --valid-at 2025-09-20T00:00:00Z --json")))
    assert f"dataset:{NS}/orchard.september_apples" in {n["id"] for n in september["nodes"]}
    october = json.loads(ok(invoke(db, f"upstream {PIE} --valid-at 2025-10-20T00:00:00Z --json")))
    assert october["root"] == f"dataset:{PIE}@v2"
    assert f"dataset:{NS}/orchard.october_apples" in {n["id"] for n in october["nodes"]}
    # Downstream of the pie on 20 September: the October version and lunch had not happened.
    down = json.loads(ok(invoke(db, f"downstream {PIE} --valid-at 2025-09-20T00:00:00Z --json")))
    ids = {n["id"] for n in down["nodes"]}
    assert f"dataset:{NS}/diner.september_lunch" in ids
    assert f"dataset:{PIE}@v2" not in ids and f"dataset:{NS}/diner.october_lunch" not in ids
    # --as-of: what the store knew when only September was recorded: no version 2 at all.
    known = json.loads(ok(invoke(db, f"downstream {PIE} --as-of {between} --json")))
    assert f"dataset:{PIE}@v2" not in {n["id"] for n in known["nodes"]}
    assert f"dataset:{PIE}@v2" in {
        n["id"] for n in json.loads(ok(invoke(db, f"downstream {PIE} --json")))["nodes"]
    }


def test_a_bad_valid_at_time_is_one_line(store: lineage.Store) -> None:
    _pie_store(store)
    message = one_error_line(invoke(store.database.url, f"upstream {PIE} --valid-at soon"), 1)
    assert "--valid-at 'soon'" in message


def test_impact_of_a_dataset_reaches_every_version_and_its_readers(store: lineage.Store) -> None:
    _pie_store(store)
    affected = {a.id for a in store.impact(PIE).datasets}
    assert {f"dataset:{PIE}@v2", f"dataset:{NS}/diner.october_lunch"} <= affected
    # A source reaches only what its version fed.
    from_october = {a.id for a in store.impact(f"{NS}/orchard.october_apples").datasets}
    assert f"dataset:{NS}/diner.september_lunch" not in from_october
    assert f"dataset:{NS}/diner.october_lunch" in from_october


def test_graphml_carries_the_version_relations(store: lineage.Store) -> None:
    _pie_store(store)
    data = store.export("graphml").data.decode()
    assert "specialization_of" in data


def test_a_first_write_after_a_reader_is_a_version_not_what_the_reader_read(
    store: lineage.Store,
) -> None:
    # The pie existed before the trail began: a lunch read it, then October's bake rewrote it.
    store.ingest_events(_eat(2, "2025-09-15", "september_lunch"))
    store.ingest_events(_bake(3, "october_apples", "2025-10-01"))
    store.ingest_events(_eat(4, "2025-10-15", "october_lunch"))
    assert f"{NS}/orchard.october_apples" not in _names(
        store.upstream(f"{NS}/diner.september_lunch"), "dataset"
    )
    assert f"{NS}/orchard.october_apples" in _names(
        store.upstream(f"{NS}/diner.october_lunch"), "dataset"
    )
    assert f"{PIE}@v2" in _names(store.upstream(f"{NS}/diner.october_lunch"), "dataset")


def test_the_marquez_style_bakery_in_one_file(store: lineage.Store, tmp_path: Path) -> None:
    # Marquez's example chain, every event in one NDJSON file, in the order they were
    # exported (not the order things happened).
    events = (
        _bake(3, "october_apples", "2025-10-01")
        + _eat(4, "2025-10-15", "october_lunch")
        + _bake(1, "september_apples", "2025-09-01")
        + _eat(2, "2025-09-15", "september_lunch")
    )
    path = tmp_path / "marquez.ndjson"
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    store.ingest([str(path)])
    september = _names(store.upstream(f"{NS}/diner.september_lunch"), "dataset")
    assert f"{NS}/orchard.october_apples" not in september
    assert f"{NS}/orchard.september_apples" in september
    assert f"{NS}/orchard.october_apples" in _names(
        store.upstream(f"{NS}/diner.october_lunch"), "dataset"
    )


def _read_then_write(read_at: str) -> dict[str, Any]:
    """One manifest: run `read0` reads `d` at `read_at`, `w` writes it (its only writer,
    ending 2025-01-02) from `s1`, `read1` reads it after that."""
    return {
        "sources": [{"name": "s1", "license": "MIT"}],
        "datasets": [{"name": "d"}, {"name": "r0"}, {"name": "r1"}],
        "runs": [
            {"name": "read0", "operation": "r", "inputs": ["d"], "outputs": ["r0"],
             "started": read_at},
            {"name": "w", "operation": "w", "inputs": ["s1"], "outputs": ["d"],
             "started": "2025-01-02T00:00:00Z", "ended": "2025-01-02T01:00:00Z"},
            {"name": "read1", "operation": "r", "inputs": ["d"], "outputs": ["r1"],
             "started": "2025-01-03T00:00:00Z"},
        ],
    }  # fmt: skip


def test_one_batch_reading_a_new_dataset_before_its_only_write_makes_a_version(
    store: lineage.Store,
) -> None:
    store.record(_read_then_write("2025-01-01T00:00:00Z"))
    assert "s1" not in _names(store.upstream("r0"), "source")
    assert _names(store.upstream("r1"), "source") == {"s1"}
    assert "d@v2" in _names(store.upstream("r1"), "dataset")


def test_one_batch_reading_a_new_dataset_after_its_only_write_makes_no_version(
    store: lineage.Store,
) -> None:
    store.record(_read_then_write("2025-01-02T02:00:00Z"))
    assert _names(store.upstream("r0"), "source") == {"s1"}
    assert _names(store.upstream("r1"), "dataset") == {"d", "r1"}
    assert "d@v2" not in {row.name for row in store.list(kind="dataset")}
