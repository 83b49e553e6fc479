"""OpenLineage events for tests, built with the official openlineage-python client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    column_lineage_dataset,
    documentation_dataset,
    error_message_run,
    ownership_dataset,
    parent_run,
    schema_dataset,
    source_code_location_job,
)
from openlineage.client.facet_v2 import data_quality_assertions_dataset as quality
from openlineage.client.facet_v2 import output_statistics_output_dataset as statistics
from openlineage.client.serde import Serde

import lineage

RUN_ID = "01937f2a-5b1c-7d3e-8f40-000000000001"
PARENT_ID = "01937f2a-5b1c-7d3e-8f40-0000000000aa"
PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/integration/airflow"
TIMES = {
    "START": "2025-06-02T08:00:00Z",
    "RUNNING": "2025-06-02T08:30:00Z",
    "COMPLETE": "2025-06-02T09:00:00Z",
    "FAIL": "2025-06-02T09:00:00Z",
}


def run_event(
    state: str,
    *,
    run_id: str = RUN_ID,
    job: str = "clean_orders",
    inputs: tuple[str, ...] = ("raw.orders",),
    outputs: tuple[str, ...] = ("clean.orders",),
    parent: bool = False,
    time: str | None = None,
    extra_run_facets: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A RunEvent of job `job` in namespace 'airflow', as the real client serialises it."""
    run_facets: dict[str, Any] = {}
    if parent:
        run_facets["parent"] = parent_run.ParentRunFacet(
            run=parent_run.Run(runId=PARENT_ID),
            job=parent_run.Job(namespace="airflow", name="orders_dag"),
        )
    if state == "FAIL":
        run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message="division by zero", programmingLanguage="python"
        )
    input_datasets = [
        InputDataset(
            namespace="postgres://db:5432",
            name=name,
            facets={
                "schema": schema_dataset.SchemaDatasetFacet(
                    fields=[schema_dataset.SchemaDatasetFacetFields(name="id", type="int")]
                ),
            },
            inputFacets={
                "dataQualityAssertions": quality.DataQualityAssertionsDatasetFacet(
                    assertions=[quality.Assertion(assertion="not_null", success=True, column="id")]
                )
            }
            if state == "COMPLETE"
            else {},
        )
        for name in inputs
    ]
    output_datasets = [
        OutputDataset(
            namespace="s3://lake",
            name=name,
            facets={
                "documentation": documentation_dataset.DocumentationDatasetFacet(
                    description="orders without test accounts"
                ),
                "ownership": ownership_dataset.OwnershipDatasetFacet(
                    owners=[ownership_dataset.Owner(name="team:data-eng", type="MAINTAINER")]
                ),
                "columnLineage": column_lineage_dataset.ColumnLineageDatasetFacet(
                    fields={
                        "id": column_lineage_dataset.Fields(
                            inputFields=[
                                column_lineage_dataset.InputField(
                                    namespace="postgres://db:5432", name="raw.accounts", field="id"
                                )
                            ]
                        )
                    }
                ),
            },
            outputFacets={
                "outputStatistics": statistics.OutputStatisticsOutputDatasetFacet(
                    rowCount=42, size=4096
                )
            }
            if state == "COMPLETE"
            else {},
        )
        for name in outputs
    ]
    event = RunEvent(
        eventType=RunState[state],
        eventTime=time or TIMES[state],
        run=Run(runId=run_id, facets={**run_facets, **(extra_run_facets or {})}),
        job=Job(
            namespace="airflow",
            name=job,
            facets={
                "sourceCodeLocation": source_code_location_job.SourceCodeLocationJobFacet(
                    type="git", url="https://git.example/etl/clean.py", version="4f9c2e1"
                )
            },
        ),
        producer=PRODUCER,
        inputs=input_datasets,
        outputs=output_datasets,
    )
    data: dict[str, Any] = json.loads(Serde.to_json(event))
    return data


def write_ndjson(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def snapshot(store: lineage.Store) -> tuple[dict[str, dict[str, Any]], set[tuple[Any, ...]]]:
    """The graph in force: each record's facts (without version or seal), and the relations."""
    graph = store.graph()
    nodes = {
        node: {k: v for k, v in data.items() if k not in ("version", "seal")}
        for node, data in graph.nodes(data=True)
    }
    edges = {(s, o, d["relation"], d["role"]) for s, o, d in graph.edges(data=True)}
    return nodes, edges
