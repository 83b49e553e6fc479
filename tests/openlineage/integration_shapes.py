"""Small OpenLineage events in the shapes the integrations emit, built with openlineage-python.

Written for these tests (not copied from any fixture): an Airflow task run (the
provider's producer URI), a Spark application run under that task (parent and root
run facets), a dbt model run, a JobEvent and a DatasetEvent from the Python
client, and a Marquez-style event (no schemaURL, as Marquez's own examples).
"""

from __future__ import annotations

import json
from typing import Any

from openlineage.client.event_v2 import (
    DatasetEvent,
    InputDataset,
    Job,
    JobEvent,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
    StaticDataset,
)
from openlineage.client.facet_v2 import (
    documentation_dataset,
    documentation_job,
    ownership_dataset,
    parent_run,
    schema_dataset,
    source_code_location_job,
)
from openlineage.client.serde import Serde

AIRFLOW = "https://github.com/apache/airflow/tree/providers-openlineage/1.14.0"
SPARK = "https://github.com/OpenLineage/OpenLineage/tree/1.24.0/integration/spark"
DBT = "https://github.com/OpenLineage/OpenLineage/tree/0.3.1/integration/dbt"
PYTHON = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python"
MARQUEZ = "https://github.com/MarquezProject/marquez/blob/main/docker/metadata.json"

DAG_RUN = "0193a000-0000-7000-8000-000000000001"  # the Airflow DAG run (the root)
TASK_RUN = "0193a000-0000-7000-8000-000000000002"  # the Airflow task (the parent)
SPARK_RUN = "0193a000-0000-7000-8000-000000000003"  # the Spark application under it
DBT_RUN = "0193a000-0000-7000-8000-000000000004"
MARQUEZ_RUN = "d46e465b-d358-4d32-83d4-df660ff614dd"


def _json(event: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Serde.to_json(event))
    return data


def airflow_task(state: str = "COMPLETE", time: str = "2025-07-01T02:00:00Z") -> dict[str, Any]:
    """An Airflow task run (`dag_id.task_id`) of the DAG run DAG_RUN."""
    return _json(
        RunEvent(
            eventType=RunState[state],
            eventTime=time,
            run=Run(
                runId=TASK_RUN,
                facets={
                    "parent": parent_run.ParentRunFacet(
                        run=parent_run.Run(runId=DAG_RUN),
                        job=parent_run.Job(namespace="airflow-prod", name="nightly_orders"),
                    )
                },
            ),
            job=Job(namespace="airflow-prod", name="nightly_orders.submit_spark"),
            producer=AIRFLOW,
            inputs=[],
            outputs=[],
        )
    )


def spark_run(state: str = "COMPLETE", time: str = "2025-07-01T02:10:00Z") -> dict[str, Any]:
    """A Spark application started by the Airflow task, whose root is the DAG run."""
    return _json(
        RunEvent(
            eventType=RunState[state],
            eventTime=time,
            run=Run(
                runId=SPARK_RUN,
                facets={
                    "parent": parent_run.ParentRunFacet(
                        run=parent_run.Run(runId=TASK_RUN),
                        job=parent_run.Job(
                            namespace="airflow-prod", name="nightly_orders.submit_spark"
                        ),
                        root=parent_run.Root(
                            run=parent_run.RootRun(runId=DAG_RUN),
                            job=parent_run.RootJob(namespace="airflow-prod", name="nightly_orders"),
                        ),
                    )
                },
            ),
            job=Job(namespace="spark-prod", name="orders_etl.execute_insert_into_hive_table"),
            producer=SPARK,
            inputs=[InputDataset(namespace="hdfs://namenode:8020", name="/raw/orders")],
            outputs=[OutputDataset(namespace="hive://metastore:9083", name="default.orders")],
        )
    )


def dbt_run(state: str = "COMPLETE", time: str = "2025-07-01T03:00:00Z") -> dict[str, Any]:
    """A dbt model run: a Postgres table built from another."""
    return _json(
        RunEvent(
            eventType=RunState[state],
            eventTime=time,
            run=Run(runId=DBT_RUN),
            job=Job(namespace="dbt-analytics", name="analytics.jaffle.orders_daily"),
            producer=DBT,
            inputs=[InputDataset(namespace="postgres://warehouse:5432", name="jaffle.raw.orders")],
            outputs=[
                OutputDataset(namespace="postgres://warehouse:5432", name="jaffle.orders_daily")
            ],
        )
    )


def job_event(
    *,
    inputs: tuple[str, ...] = ("jaffle.raw.orders",),
    outputs: tuple[str, ...] = ("jaffle.orders_weekly",),
    time: str = "2025-06-30T12:00:00Z",
    description: str = "Weekly order totals, built each Monday.",
) -> dict[str, Any]:
    """Static lineage from the Python client: a job declaring what it reads and writes."""
    return _json(
        JobEvent(
            eventTime=time,
            producer=PYTHON,
            job=Job(
                namespace="dbt-analytics",
                name="analytics.jaffle.orders_weekly",
                facets={
                    "documentation": documentation_job.DocumentationJobFacet(
                        description=description
                    ),
                    "sourceCodeLocation": source_code_location_job.SourceCodeLocationJobFacet(
                        type="git", url="https://git.example/jaffle.git", version="9d1e0aa"
                    ),
                },
            ),
            inputs=[
                InputDataset(
                    namespace="postgres://warehouse:5432",
                    name=name,
                    facets={
                        "schema": schema_dataset.SchemaDatasetFacet(
                            fields=[schema_dataset.SchemaDatasetFacetFields(name="id", type="int")]
                        )
                    },
                )
                for name in inputs
            ],
            outputs=[
                OutputDataset(namespace="postgres://warehouse:5432", name=name) for name in outputs
            ],
        )
    )


def dataset_event(time: str = "2025-06-29T09:00:00Z") -> dict[str, Any]:
    """Static metadata of a dataset from the Python client: its documentation and owner."""
    return _json(
        DatasetEvent(
            eventTime=time,
            producer=PYTHON,
            dataset=StaticDataset(
                namespace="postgres://warehouse:5432",
                name="jaffle.raw.orders",
                facets={
                    "documentation": documentation_dataset.DocumentationDatasetFacet(
                        description="Orders as the shop exports them."
                    ),
                    "ownership": ownership_dataset.OwnershipDatasetFacet(
                        owners=[ownership_dataset.Owner(name="team:shop-data")]
                    ),
                },
            ),
        )
    )


def marquez_events() -> list[dict[str, Any]]:
    """A run as Marquez's examples write it: no schemaURL on the events."""
    common = {
        "run": {"runId": MARQUEZ_RUN},
        "job": {"namespace": "food_delivery", "name": "etl_menus"},
        "producer": MARQUEZ,
    }
    return [
        {
            **common,
            "eventType": "START",
            "eventTime": "2020-02-22T22:42:42.000Z",
            "outputs": [{"namespace": "food_delivery", "name": "public.menus"}],
        },
        {**common, "eventType": "COMPLETE", "eventTime": "2020-02-22T22:45:52.000Z"},
    ]
