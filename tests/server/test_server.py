"""lineage serve end to end: the official OpenLineage client sends, the graph holds it."""

from __future__ import annotations

import gzip
import multiprocessing
from typing import Any

import httpx
import pytest
import requests
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.transport.http import (
    ApiKeyTokenProvider,
    HttpCompression,
    HttpConfig,
    HttpTransport,
)
from samples import table_counts
from serving import Server

import lineage

PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python"


def _client(server: Server, token: str | None, **config: Any) -> OpenLineageClient:
    auth = ApiKeyTokenProvider({"apiKey": token}) if token else None
    http = HttpConfig(url=server.url, **({"auth": auth} if auth else {}), **config)
    return OpenLineageClient(transport=HttpTransport(http))


def _event(
    state: str,
    run_id: str,
    job: str = "train",
    time: str = "2025-06-02T08:00:00Z",
    inputs: tuple[str, ...] = ("corpus",),
    outputs: tuple[str, ...] = ("model",),
) -> RunEvent:
    return RunEvent(
        eventType=RunState[state],
        eventTime=time,
        run=Run(runId=run_id),
        job=Job(namespace="pipelines", name=job),
        producer=PRODUCER,
        inputs=[InputDataset(namespace="s3://lake", name=n) for n in inputs],
        outputs=[OutputDataset(namespace="s3://lake", name=n) for n in outputs],
    )


def _run_id(test: int) -> str:
    """A run id of a test's own: the server and its store serve the whole module."""
    return f"01937f2a-5b1c-7d3e-8f40-00000000c{test:03d}"


def test_the_official_client_records_a_run_through_the_server(server: Server) -> None:
    run_id = _run_id(1)
    client = _client(server, server.token)
    client.emit(_event("START", run_id, inputs=("corpus-1",), outputs=("model-1",)))
    client.emit(
        _event(
            "COMPLETE",
            run_id,
            time="2025-06-02T09:00:00Z",
            inputs=("corpus-1",),
            outputs=("model-1",),
        )
    )

    with lineage.open_store(server.db) as store:
        run = store.show(f"activity:{run_id}")
        assert run.facts["status"] == "completed"
        assert run.facts["operation"] == "train"
        graph = store.upstream("dataset:s3://lake/model-1")
        assert set(graph.nodes) == {
            "dataset:s3://lake/model-1",
            f"activity:{run_id}",
            "dataset:s3://lake/corpus-1",
            f"agent:{PRODUCER}",
        }
        assert store.verify().ok


def test_gzip_bodies_are_accepted(server: Server) -> None:
    run_id = _run_id(2)
    client = _client(server, server.token, compression=HttpCompression.GZIP)
    client.emit(_event("COMPLETE", run_id))

    with lineage.open_store(server.db) as store:
        assert store.show(f"activity:{run_id}").facts["status"] == "completed"


@pytest.mark.parametrize("token", [None, "lin_wrong", "revoked"])
def test_a_request_without_a_valid_token_gets_401_and_writes_nothing(
    server: Server, token: str | None
) -> None:
    if token == "revoked":
        with lineage.open_store(server.db) as store:
            token = store.create_token("leaked")
            store.revoke_token("leaked")
    before = table_counts(server.db)

    with pytest.raises(requests.HTTPError) as raised:
        _client(server, token).emit(_event("START", _run_id(3)))

    assert raised.value.response.status_code == 401
    assert raised.value.response.headers["WWW-Authenticate"] == "Bearer"
    assert table_counts(server.db) == before
    reply = httpx.get(f"{server.url}/api/v1/node", params={"id": "anything"})
    assert reply.status_code == 401


def test_an_invalid_event_gets_422_naming_the_field_and_writes_nothing(server: Server) -> None:
    before = table_counts(server.db)
    body = {
        "eventType": "START",
        "eventTime": "2025-06-02T08:00:00Z",
        "producer": PRODUCER,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "not-a-uuid"},
        "job": {"namespace": "p", "name": "j"},
    }

    reply = httpx.post(
        f"{server.url}/api/v1/lineage",
        json=body,
        headers={"Authorization": f"Bearer {server.token}"},
    )

    assert reply.status_code == 422
    assert "field 'run.runId'" in reply.json()["error"]
    assert table_counts(server.db) == before


def test_a_body_that_is_not_json_gets_400(server: Server) -> None:
    reply = httpx.post(
        f"{server.url}/api/v1/lineage",
        content=gzip.compress(b"{oops"),
        headers={"Authorization": f"Bearer {server.token}", "Content-Encoding": "gzip"},
    )
    assert reply.status_code == 400
    assert "not valid JSON" in reply.json()["error"]


def test_reads_of_a_node_and_its_upstream_and_downstream(server: Server) -> None:
    run_id = _run_id(4)
    _client(server, server.token).emit(
        _event("COMPLETE", run_id, inputs=("raw",), outputs=("clean",))
    )
    headers = {"Authorization": f"Bearer {server.token}"}

    node = httpx.get(
        f"{server.url}/api/v1/node", params={"id": f"activity:{run_id}"}, headers=headers
    )
    up = httpx.get(
        f"{server.url}/api/v1/upstream", params={"id": "dataset:s3://lake/clean"}, headers=headers
    )
    down = httpx.get(
        f"{server.url}/api/v1/downstream",
        params={"id": "s3://lake/raw", "depth": 1},
        headers=headers,
    )
    missing = httpx.get(f"{server.url}/api/v1/node", params={"id": "nothing"}, headers=headers)
    before = httpx.get(
        f"{server.url}/api/v1/upstream",
        params={"id": "s3://lake/clean", "as_of": "2000-01-01T00:00:00Z"},
        headers=headers,
    )

    assert node.status_code == 200 and node.json()["facts"]["status"] == "completed"
    assert node.json()["same_content"] == [] and node.json()["aliases"] == []
    assert {n["id"] for n in up.json()["nodes"]} == {
        "dataset:s3://lake/clean",
        f"activity:{run_id}",
        "dataset:s3://lake/raw",
        f"agent:{PRODUCER}",
    }
    assert {(e["source"], e["relation"]) for e in up.json()["edges"]} >= {
        ("dataset:s3://lake/clean", "was_generated_by")
    }
    assert [n["id"] for n in down.json()["nodes"]] == [
        "dataset:s3://lake/raw",
        f"activity:{run_id}",
    ]
    assert missing.status_code == 404 and "nothing" in missing.json()["error"]
    # Recorded, but not yet at that time: unknown then, so 404 as well.
    assert before.status_code == 404 and "not yet recorded" in before.json()["error"]


def test_the_openapi_document_describes_every_endpoint(server: Server) -> None:
    spec = httpx.get(f"{server.url}/openapi.json").json()

    assert {"/api/v1/lineage", "/api/v1/node", "/api/v1/upstream", "/api/v1/downstream"} <= set(
        spec["paths"]
    )
    assert "post" in spec["paths"]["/api/v1/lineage"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


WORKERS = 4


def _concurrent_event(state: str, owner: int, i: int) -> RunEvent:
    """An event of run `i` of worker `owner`'s job (every worker sends some of them)."""
    return _event(
        state,
        f"01937f2a-5b1c-7d3e-9999-{owner:06d}{i:06d}",
        job=f"job-{owner}",
        time="2025-06-02T08:00:00Z" if state == "START" else "2025-06-02T09:00:00Z",
        inputs=("shared-corpus", f"part-{i}"),
        outputs=(f"out-{owner}-{i}",),
    )


def _send(args: tuple[str, str, int]) -> None:
    """Worker `worker` starts its own runs, completes its neighbour's, and repeats each
    START as a retrying client would: each run's events come from two processes."""
    url, token, worker = args
    client = OpenLineageClient(
        transport=HttpTransport(
            HttpConfig(url=url, auth=ApiKeyTokenProvider({"apiKey": token}), timeout=60)
        )
    )
    neighbour = (worker + 1) % WORKERS
    for i in range(6):
        client.emit(_concurrent_event("START", worker, i))
        client.emit(_concurrent_event("COMPLETE", neighbour, i))
        client.emit(_concurrent_event("START", worker, i))


def test_concurrent_clients_lose_nothing_and_duplicate_nothing(server: Server) -> None:
    workers = WORKERS
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_send, [(server.url, server.token, w) for w in range(workers)])

    with lineage.open_store(server.db) as store:
        runs = [
            r for r in store.list(kind="activity") if r.name.startswith("01937f2a-5b1c-7d3e-9999-")
        ]
        assert len(runs) == workers * 6
        for run in runs:
            facts = store.show(run.id).facts
            assert facts["status"] == "completed"
            assert len(facts["attrs"]["openlineage"]["events"]) == 2  # retries merged away
        datasets = {
            d.name
            for d in store.list(kind="dataset")
            if d.name.startswith(("s3://lake/shared-", "s3://lake/part-", "s3://lake/out-"))
        }
        assert datasets == {
            "s3://lake/shared-corpus",
            *(f"s3://lake/part-{i}" for i in range(6)),
            *(f"s3://lake/out-{w}-{i}" for w in range(workers) for i in range(6)),
        }
        downstream = store.downstream("s3://lake/shared-corpus", depth=1)
        assert len(downstream) == 1 + workers * 6
        assert store.verify().ok


def test_a_compressed_body_that_inflates_past_the_limit_gets_413_and_writes_nothing(
    server: Server,
) -> None:
    before = table_counts(server.db)
    bomb = gzip.compress(b"[" + b" " * (60 * 1024 * 1024) + b"]")  # 60 MiB of spaces, ~60 KiB

    reply = httpx.post(
        f"{server.url}/api/v1/lineage",
        content=bomb,
        headers={"Authorization": f"Bearer {server.token}", "Content-Encoding": "gzip"},
    )

    assert reply.status_code == 413
    assert table_counts(server.db) == before
