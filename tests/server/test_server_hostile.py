"""lineage serve under hostile clients (issue 18): endless uploads, deep facets, megabyte
values, clients that hang up mid-body, and a shutdown after requests; real HTTP on loopback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from samples import table_counts
from serving import Server

import lineage
from lineage.server.app import MAX_BODY

RUN_ID = "01937f2a-5b1c-7d3e-8f40-00000000e{:03d}"


def _event(number: int, **changes: Any) -> dict[str, Any]:
    event = {
        "eventType": "COMPLETE",
        "eventTime": "2025-06-02T08:00:00Z",
        "run": {"runId": RUN_ID.format(number), "facets": {}},
        "job": {"namespace": "pipelines", "name": "hostile"},
        "producer": "https://example.com/producer",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "inputs": [{"namespace": "s3://lake", "name": f"hostile-in-{number}"}],
        "outputs": [],
    }
    event.update(changes)
    return event


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def _response(connection: socket.socket) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of the one response a raw connection gets."""
    received = b""
    while b"\r\n\r\n" not in received:
        part = connection.recv(65536)
        assert part, f"the server closed the connection without answering: {received!r}"
        received += part
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(h.split(":")[1]) for h in lines if h.lower().startswith("content-length:"))
    while len(body) < length:
        part = connection.recv(65536)
        assert part, "the server closed the connection in the middle of its answer"
        body += part
    return int(lines[0].split()[1]), json.loads(body)


def _start_upload(server_url: str, token: str, framing: str) -> socket.socket:
    host, port = server_url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=120)
    connection.sendall(
        f"POST /api/v1/lineage HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\n\r\n".encode()
    )
    return connection


def _send_quietly(connection: socket.socket, chunks: Iterator[bytes]) -> threading.Thread:
    """Send `chunks` in the background; the server may stop reading (and close) at any point."""

    def send() -> None:
        try:
            for chunk in chunks:
                connection.sendall(chunk)
        except OSError:
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    return sender


def test_a_chunked_body_past_the_limit_gets_413_before_it_ends(server: Server) -> None:
    before = table_counts(server.db)
    piece = 1024 * 1024
    connection = _start_upload(server.url, server.token, "Transfer-Encoding: chunked")
    # One MiB more than the limit, and never the chunk that ends the body: a server that
    # buffers the whole body before counting it waits for the end and never answers.
    chunks = (
        f"{piece:x}\r\n".encode() + b" " * piece + b"\r\n" for _ in range(MAX_BODY // piece + 1)
    )
    with connection:
        sender = _send_quietly(connection, chunks)
        status, answer = _response(connection)
        sender.join(timeout=120)

    assert status == 413
    assert answer == {"error": f"the body is larger than {MAX_BODY} bytes"}
    assert table_counts(server.db) == before


def test_a_declared_length_past_the_limit_gets_413_before_the_body(server: Server) -> None:
    connection = _start_upload(server.url, server.token, f"Content-Length: {MAX_BODY + 1}")
    with connection:
        connection.sendall(b"[")
        status, answer = _response(connection)

    assert status == 413
    assert answer == {"error": f"the body is larger than {MAX_BODY} bytes"}


def test_a_facet_nested_300_levels_deep_gets_422_naming_the_field(server: Server) -> None:
    before = table_counts(server.db)
    value: Any = "bottom"
    for _ in range(300):
        value = {"k": value}
    facets = {"deep": {"_producer": "https://example.com", "_schemaURL": "https://x", "v": value}}
    event = _event(1, run={"runId": RUN_ID.format(1), "facets": facets})

    reply = httpx.post(
        f"{server.url}/api/v1/lineage", content=json.dumps(event), headers=_headers(server.token)
    )

    assert reply.status_code == 422
    assert reply.json() == {
        "error": "request from 'test-client': event 0: field 'run.facets.deep.v.k.k…': "
        "lists and mappings nested more than 64 levels deep"
    }
    assert table_counts(server.db) == before


def test_a_megabyte_value_is_cut_in_the_error(server: Server) -> None:
    event = _event(2, run={"runId": "r" * 1_000_000})

    reply = httpx.post(
        f"{server.url}/api/v1/lineage", content=json.dumps(event), headers=_headers(server.token)
    )

    assert reply.status_code == 422
    assert reply.json() == {
        "error": "request from 'test-client': event 0: field 'run.runId': "
        f"'{'r' * 80}…' (1,000,000 characters) is not a UUID"
    }


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[Server, subprocess.Popen[bytes], Path]]:
    """A `lineage serve` of this test's own on SQLite, its stderr kept in a file."""
    db = f"sqlite:///{tmp_path / 'lineage.db'}"
    with lineage.open_store(db) as store:
        token = store.create_token("test-client")
    port = _free_port()
    log = tmp_path / "serve.log"
    command = [sys.executable, "-c", "from cli.main import main; main()", "--db", db]
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it answers, or it died
            assert process.poll() is None, log.read_text()
            try:
                httpx.get(f"{url}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                threading.Event().wait(0.1)
        else:
            raise AssertionError("lineage serve did not start")
        yield Server(url, db, token), process, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)


def _stop(process: subprocess.Popen[bytes], log: Path) -> str:
    """Stop the server as Ctrl+C does; what it printed, from start to end."""
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    return log.read_text()


def test_shutdown_after_a_recorded_request_prints_no_traceback(
    own_server: tuple[Server, subprocess.Popen[bytes], Path],
) -> None:
    server, process, log = own_server
    reply = httpx.post(
        f"{server.url}/api/v1/lineage",
        content=json.dumps(_event(3)),
        headers=_headers(server.token),
    )
    assert reply.status_code == 201, reply.text

    printed = _stop(process, log)

    assert "Traceback" not in printed
    assert "ERROR" not in printed
    assert "Application shutdown complete." in printed
    assert table_counts(server.db)["node"] > 0


def test_a_client_that_hangs_up_mid_body_leaves_no_traceback_and_no_record(
    own_server: tuple[Server, subprocess.Popen[bytes], Path],
) -> None:
    server, process, log = own_server
    before = table_counts(server.db)
    for framing in ("Transfer-Encoding: chunked", "Content-Length: 100000"):
        connection = _start_upload(server.url, server.token, framing)
        body = b"1000\r\n" + b" " * 4096 + b"\r\n" if "chunked" in framing else b" " * 4096
        connection.sendall(body)
        connection.close()
    # The server still answers, and still records.
    reply = httpx.post(
        f"{server.url}/api/v1/lineage",
        content=json.dumps(_event(4)),
        headers=_headers(server.token),
    )
    assert reply.status_code == 201, reply.text

    printed = _stop(process, log)

    assert "Traceback" not in printed
    assert "ERROR" not in printed
    assert table_counts(server.db)["ledger"] == before["ledger"] + 1
