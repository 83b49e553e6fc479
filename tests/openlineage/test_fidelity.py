"""OpenLineage fidelity (issue 16): static lineage, --lenient, naive times, producer
versions, root runs, job names beside run ids; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from integration_shapes import (
    AIRFLOW,
    DAG_RUN,
    DBT,
    DBT_RUN,
    MARQUEZ,
    MARQUEZ_RUN,
    PYTHON,
    SPARK,
    SPARK_RUN,
    TASK_RUN,
    airflow_task,
    dataset_event,
    dbt_run,
    job_event,
    marquez_events,
    spark_run,
)
from ol_events import snapshot, write_ndjson
from samples import table_counts

import lineage
from cli.main import cli
from lineage.openlineage.mapping import producer_facts

JOB = "activity:dbt-analytics/analytics.jaffle.orders_weekly"
RAW = "dataset:postgres://warehouse:5432/jaffle.raw.orders"
WEEKLY = "dataset:postgres://warehouse:5432/jaffle.orders_weekly"


def _cli(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, *args])


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# -- static lineage ------------------------------------------------------------------------
def test_a_job_event_records_a_declared_job_and_no_run(db_url: str, tmp_path: Path) -> None:
    path = write_ndjson(tmp_path / "static.ndjson", [job_event()])

    _ok(_cli(db_url, "ingest", str(path)))

    with lineage.open_store(db_url) as store:
        job = store.show(JOB).facts
        activities = store.list("activity")
        graph = store.upstream(WEEKLY)
        raw = store.show(RAW).facts
    assert job["status"] == "declared"
    assert job["operation"] == "analytics.jaffle.orders_weekly"
    assert job["description"] == "Weekly order totals, built each Monday."
    assert job["code_revision"] == "9d1e0aa"
    assert "started" not in job and "ended" not in job  # nothing ran
    # The only activity is the job itself: no run was invented.
    assert [(a.id, a.job) for a in activities] == [
        (JOB, "dbt-analytics/analytics.jaffle.orders_weekly")
    ]
    assert graph.edges[WEEKLY, JOB]["relation"] == "was_generated_by"
    assert graph.edges[WEEKLY, JOB]["role"] == "declared"
    assert graph.edges[JOB, RAW]["relation"] == "used"
    assert graph.edges[JOB, RAW]["role"] == "declared"
    assert raw["attrs"]["openlineage"]["facets"]["schema"]["fields"][0]["name"] == "id"
    listing = _ok(_cli(db_url, "list", "--kind", "activity"))
    assert listing == f"{JOB}  declared job (JobEvent), not a run\n"


def test_a_declared_job_says_so_in_trees_and_reports_and_names_its_producer(
    db_url: str, tmp_path: Path
) -> None:
    _ok(_cli(db_url, "ingest", str(write_ndjson(tmp_path / "s.ndjson", [job_event()]))))

    tree = _ok(_cli(db_url, "upstream", WEEKLY)).splitlines()
    report = _ok(_cli(db_url, "report", WEEKLY, "--format", "md")).splitlines()

    assert tree[1].startswith(f"└── was_generated_by (declared) {JOB}  ")
    assert tree[2].startswith(f"    ├── used (declared) {RAW}")
    section = report.index(f"### `{JOB}`")
    lines = report[section : section + 16]
    not_run = "not applicable: a declared job (JobEvent), not a run"
    assert f"- **Started:** {not_run}" in lines
    assert f"- **Records out:** {not_run}" in lines
    assert "- **Status:** declared" in lines
    assert f"- **Agent:** `agent:{PYTHON}`" in lines
    with lineage.open_store(db_url) as store:
        assert store.show(f"agent:{PYTHON}").facts["software_version"] == "1.54.0"


def test_job_events_in_any_order_declare_the_union_and_the_latest_facets(
    db_url: str, tmp_path: Path
) -> None:
    first = job_event(time="2025-06-30T12:00:00Z", description="old text")
    later = job_event(
        inputs=("jaffle.raw.orders", "jaffle.raw.refunds"),
        time="2025-07-07T12:00:00Z",
        description="Weekly order totals net of refunds.",
    )
    _ok(_cli(db_url, "ingest", str(write_ndjson(tmp_path / "b.ndjson", [later]))))
    _ok(_cli(db_url, "ingest", str(write_ndjson(tmp_path / "a.ndjson", [first]))))

    with lineage.open_store(db_url) as store:
        job = store.show(JOB)
        graph = store.upstream(WEEKLY)
    assert job.facts["description"] == "Weekly order totals net of refunds."
    assert len(job.facts["attrs"]["openlineage"]["events"]) == 2
    assert job.current.version == 2
    assert set(graph.successors(JOB)) == {
        RAW,
        "dataset:postgres://warehouse:5432/jaffle.raw.refunds",
        f"agent:{PYTHON}",
    }


def test_a_dataset_event_puts_its_facets_on_the_dataset_record(db_url: str, tmp_path: Path) -> None:
    path = write_ndjson(tmp_path / "dataset.ndjson", [dataset_event()])

    _ok(_cli(db_url, "ingest", str(path)))

    with lineage.open_store(db_url) as store:
        facts = store.show(RAW).facts
        assert [s.id for s in store.list()] == [RAW]
    assert facts["description"] == "Orders as the shop exports them."
    assert facts["owner"] == "team:shop-data"


def test_a_job_event_with_a_bad_facet_is_refused_naming_the_field(
    store: lineage.Store, tmp_path: Path
) -> None:
    store.ingest([str(write_ndjson(tmp_path / "ok.ndjson", [dataset_event()]))])
    event = job_event()
    bad = dict(event)
    bad["job"] = {**event["job"], "facets": {"sql": "select 1"}}
    before = store.list()

    with pytest.raises(lineage.InvalidRecord) as raised:
        store.ingest([str(write_ndjson(tmp_path / "bad.ndjson", [bad]))])

    assert str(raised.value) == (
        f"{tmp_path / 'bad.ndjson'}: event 0: field 'job.facets.sql': "
        "must be a JSON object, not 'select 1'"
    )
    assert store.list() == before


# -- errors name the field, never print a facet ----------------------------------------------
@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda e: e.pop("producer"), "field 'producer': required field is missing"),
        (lambda e: e.pop("schemaURL"), "field 'schemaURL': required field is missing"),
        (lambda e: e["run"].pop("runId"), "field 'run.runId': required field is missing"),
        (
            lambda e: e["run"]["facets"]["parent"]["root"]["run"].pop("runId"),
            "field 'run.facets.parent.root.run.runId': required field is missing",
        ),
        (
            lambda e: e["run"]["facets"].__setitem__("spark_properties", ["a", "b"]),
            "field 'run.facets.spark_properties': must be a JSON object, not a list",
        ),
        (
            lambda e: e["run"]["facets"]["parent"].pop("_producer"),
            "field 'run.facets.parent._producer': required field is missing",
        ),
        (
            lambda e: e.__setitem__("eventTime", "2025-07-01T02:10:00"),
            "field 'eventTime': '2025-07-01T02:10:00' has no UTC offset",
        ),
    ],
    ids=[
        "producer",
        "schemaURL",
        "runId",
        "root runId",
        "facet a list",
        "facet _producer",
        "naive",
    ],
)
def test_a_bad_event_is_one_line_naming_the_field_and_nothing_is_written(
    db_url: str, tmp_path: Path, mutate: Any, expected: str
) -> None:
    _ok(_cli(db_url, "ingest", str(write_ndjson(tmp_path / "ok.ndjson", [dbt_run()]))))
    before = table_counts(db_url)
    bad = spark_run()
    mutate(bad)
    path = write_ndjson(tmp_path / "spark.ndjson", [spark_run("START"), bad])

    line = _one_line_error(_cli(db_url, "ingest", str(path)))

    assert line.startswith(f"Error: {path}:2: event 1: {expected}")
    assert "_schemaURL" not in line and "https://" not in line  # no facet printed
    assert table_counts(db_url) == before


# -- --lenient -------------------------------------------------------------------------------
def test_marquez_events_without_schema_url_need_lenient_and_are_marked(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "metadata.json"
    path.write_text(json.dumps(marquez_events()), encoding="utf-8")

    refused = _one_line_error(_cli(db_url, "ingest", str(path)))
    assert refused == f"Error: {path}: event 0: field 'schemaURL': required field is missing"
    with lineage.open_store(db_url) as store:
        assert store.list() == []

    _ok(_cli(db_url, "ingest", "--lenient", str(path)))

    shown = _ok(_cli(db_url, "show", f"activity:{MARQUEZ_RUN}")).splitlines()
    assert "  accepted with --lenient: START at 2020-02-22T22:42:42.000Z: no schemaURL" in shown
    assert "  accepted with --lenient: COMPLETE at 2020-02-22T22:45:52.000Z: no schemaURL" in shown
    with lineage.open_store(db_url) as store:
        run = store.show(f"activity:{MARQUEZ_RUN}").facts
        agent = store.show(f"agent:{MARQUEZ}").facts
    assert run["status"] == "completed"
    assert "software_version" not in agent  # 'main' is a branch, not a version


def test_a_naive_event_time_with_lenient_is_read_as_utc_and_marked(
    db_url: str, tmp_path: Path
) -> None:
    naive = dbt_run("START", time="2025-07-01T03:00:00")
    done = dbt_run("COMPLETE")
    path = write_ndjson(tmp_path / "dbt.ndjson", [naive, done])

    _ok(_cli(db_url, "ingest", "--lenient", str(path)))

    with lineage.open_store(db_url) as store:
        run = store.show(f"activity:{DBT_RUN}").facts
    assert run["started"] == "2025-07-01T03:00:00Z"
    assert run["attrs"]["lenient"] == [
        "START at 2025-07-01T03:00:00: eventTime without a UTC offset, read as UTC"
    ]


def test_a_dataset_event_let_through_by_lenient_marks_the_dataset(
    store: lineage.Store, tmp_path: Path
) -> None:
    event = dataset_event()
    del event["schemaURL"]

    store.ingest([str(write_ndjson(tmp_path / "d.ndjson", [event]))], lenient=True)

    assert store.show(RAW).facts["attrs"]["lenient"] == [
        "DatasetEvent at 2025-06-29T09:00:00Z: no schemaURL"
    ]


# -- producers, roots, job names --------------------------------------------------------------
@pytest.mark.parametrize(
    ("producer", "version"),
    [
        (SPARK, "1.24.0"),
        (AIRFLOW, "1.14.0"),
        (DBT, "0.3.1"),
        (PYTHON, "1.54.0"),
        ("https://github.com/OpenLineage/OpenLineage/tree/1.25.0rc1/client/python", "1.25.0rc1"),
        ("https://github.com/OpenLineage/OpenLineage/releases/tag/v1.2.0", "1.2.0"),
        (MARQUEZ, None),
        ("https://github.com/OpenLineage/OpenLineage/tree/$VERSION/integration/airflow", None),
    ],
)
def test_the_producer_version_is_read_from_each_uri_form(
    producer: str, version: str | None
) -> None:
    assert producer_facts(producer).get("software_version") == version


def test_a_spark_run_links_to_its_parent_task_and_root_dag_run(db_url: str, tmp_path: Path) -> None:
    path = write_ndjson(
        tmp_path / "chain.ndjson", [spark_run("START"), spark_run(), airflow_task()]
    )

    _ok(_cli(db_url, "ingest", str(path)))

    with lineage.open_store(db_url) as store:
        graph = store.upstream(f"activity:{SPARK_RUN}")
        agent = store.show(f"agent:{AIRFLOW}").facts
        dag = store.show(f"activity:{DAG_RUN}").facts
    spark, task, root = (f"activity:{r}" for r in (SPARK_RUN, TASK_RUN, DAG_RUN))
    assert graph.edges[spark, task]["role"] == "parent"
    assert graph.edges[spark, root]["role"] == "root"
    assert graph.edges[task, root]["role"] == "parent"
    assert graph.edges[spark, root]["relation"] == "was_informed_by"
    assert agent["software_version"] == "1.14.0"
    assert dag["attrs"]["openlineage"]["job"] == {
        "namespace": "airflow-prod",
        "name": "nightly_orders",
    }


def test_list_and_reports_show_a_run_job_beside_its_run_id(db_url: str, tmp_path: Path) -> None:
    path = write_ndjson(tmp_path / "runs.ndjson", [spark_run(), airflow_task(), dbt_run()])
    _ok(_cli(db_url, "ingest", str(path)))

    listing = _ok(_cli(db_url, "list", "--kind", "activity")).splitlines()
    report = _ok(_cli(db_url, "report", "hive://metastore:9083/default.orders", "--format", "md"))
    as_json = json.loads(_ok(_cli(db_url, "list", "--kind", "activity", "--json")))

    assert f"activity:{SPARK_RUN}  job spark-prod/orders_etl.execute_insert_into_hive_table" in (
        listing
    )
    assert f"activity:{DBT_RUN}  job dbt-analytics/analytics.jaffle.orders_daily" in listing
    assert f"activity:{DAG_RUN}  job airflow-prod/nightly_orders" in listing
    assert {r["id"]: r["job"] for r in as_json}[f"activity:{TASK_RUN}"] == (
        "airflow-prod/nightly_orders.submit_spark"
    )
    lines = report.splitlines()
    section = lines.index(f"### `activity:{SPARK_RUN}`")
    assert lines[section + 2] == (
        "- **Operation:** orders_etl.execute_insert_into_hive_table "
        "(job spark-prod/orders_etl.execute_insert_into_hive_table)"
    )


def test_an_export_writes_a_declared_job_as_a_job_event_and_reads_back_the_same(
    db_url: str, tmp_path: Path
) -> None:
    events = [job_event(), dataset_event(), dbt_run("START"), dbt_run()]
    _ok(_cli(db_url, "ingest", str(write_ndjson(tmp_path / "in.ndjson", events))))
    exported = tmp_path / "out.ndjson"

    _ok(_cli(db_url, "export", "--format", "openlineage", "-o", str(exported)))

    written = [json.loads(line) for line in exported.read_text().splitlines()]
    kinds = sorted(e["schemaURL"].rsplit("/", 1)[1] for e in written)
    assert kinds == ["DatasetEvent", "JobEvent", "RunEvent"]  # no run made up for the job
    job = next(e for e in written if e["schemaURL"].endswith("JobEvent"))
    assert "run" not in job and job["eventTime"] == "2025-06-30T12:00:00Z"
    again = tmp_path / "again.db"
    with lineage.open_store(db_url) as first, lineage.open_store(str(again)) as second:
        second.ingest([str(exported)])
        assert snapshot(second) == snapshot(first)
        assert second.show(JOB).facts["status"] == "declared"
