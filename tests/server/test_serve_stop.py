"""Stopping a real `lineage serve` with a signal after real requests: no traceback, status 0
(issue 16); and `serve --lenient` takes Marquez-style events, marked as such."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from openlineage.client.event_v2 import InputDataset, Job, JobEvent, OutputDataset
from openlineage.client.serde import Serde

import lineage

MARQUEZ_RUN = "6f0c13a5-f29b-46a5-90c1-0ffbebbbd1aa"
EVENT = {  # as Marquez's examples write events: no schemaURL
    "eventType": "COMPLETE",
    "eventTime": "2020-02-22T22:44:52.000Z",
    "run": {"runId": MARQUEZ_RUN},
    "job": {"namespace": "food_delivery", "name": "etl_categories"},
    "outputs": [{"namespace": "food_delivery", "name": "public.categories"}],
    "producer": "https://github.com/MarquezProject/marquez/blob/main/docker/metadata.json",
}


JOB_EVENT = json.loads(  # static lineage: a job declaring what it reads and writes
    Serde.to_json(
        JobEvent(
            eventTime="2020-02-21T09:00:00Z",
            producer="https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python",
            job=Job(namespace="food_delivery", name="etl_categories"),
            inputs=[InputDataset(namespace="food_delivery", name="public.menus")],
            outputs=[OutputDataset(namespace="food_delivery", name="public.categories")],
        )
    )
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _serving(db_url: str, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], str, str]]:
    with lineage.open_store(db_url) as store:
        token = store.create_token("marquez-client")
    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-c", "from cli.main import main; main()", "--db", db_url),
            *("serve", "--port", str(port), *options),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode() if process.stderr else "")
            try:
                httpx.get(f"{url}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("lineage serve did not start")
        yield process, url, token
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=20)
        if process.stderr:
            process.stderr.close()


def _stop(process: subprocess.Popen[bytes], sig: signal.Signals) -> str:
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    return stderr.decode()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_stopped_by_a_signal_after_requests_exits_0_without_a_traceback(
    db_url: str, sig: signal.Signals
) -> None:
    with (
        _serving(db_url, "--lenient") as (process, url, token),
        httpx.Client(headers={"Authorization": f"Bearer {token}"}) as client,
    ):
        posted = client.post(f"{url}/api/v1/lineage", json=EVENT)
        declared = client.post(f"{url}/api/v1/lineage", json=JOB_EVENT)
        job = client.get(f"{url}/api/v1/node", params={"id": "food_delivery/etl_categories"})
        shown = client.get(f"{url}/api/v1/node", params={"id": f"activity:{MARQUEZ_RUN}"})
        missing = client.get(f"{url}/api/v1/node", params={"id": "nothing"})

        stderr = _stop(process, sig)

    assert posted.status_code == 201, posted.text
    assert declared.status_code == 201, declared.text
    assert job.json()["facts"]["status"] == "declared"
    assert shown.status_code == 200 and missing.status_code == 404
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr and "ERROR" not in stderr, stderr
    assert stderr.splitlines()[-1].startswith("INFO:     Finished server process")
    # --lenient let the event in, and its record says so.
    assert shown.json()["facts"]["attrs"]["lenient"] == [
        "COMPLETE at 2020-02-22T22:44:52.000Z: no schemaURL"
    ]


def test_serve_stopped_with_a_request_still_open_cuts_it_short_in_one_line(
    db_url: str,
) -> None:
    with _serving(db_url) as (process, url, token):
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as stalled:
            # A client that sends half a body and then nothing.
            stalled.sendall(
                b"POST /api/v1/lineage HTTP/1.1\r\nHost: x\r\n"
                + f"Authorization: Bearer {token}\r\n".encode()
                + b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"
            )
            time.sleep(0.5)

            stderr = _stop(process, signal.SIGTERM)

    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert (
        "WARNING:  a request still open when the server stopped was cut short"
        in stderr.splitlines()
    )
    assert stderr.splitlines()[-1].startswith("INFO:     Finished server process")


def test_serve_without_lenient_refuses_an_event_without_schema_url(db_url: str) -> None:
    with _serving(db_url) as (process, url, token):
        reply = httpx.post(
            f"{url}/api/v1/lineage",
            content=json.dumps(EVENT),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        stderr = _stop(process, signal.SIGINT)

    assert reply.status_code == 422
    assert reply.json() == {
        "error": "request from 'marquez-client': event 0: field 'schemaURL': "
        "required field is missing"
    }
    assert process.returncode == 0 and "Traceback" not in stderr
    with lineage.open_store(db_url) as store:
        assert [t.name for t in store.tokens()] == ["marquez-client"]
        assert store.list() == []
