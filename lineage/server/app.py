"""The HTTP server: OpenLineage events in (as Marquez takes them), lineage reads out.

`POST /api/v1/lineage` takes what the official OpenLineage clients' HTTP transport
sends: one event as JSON (optionally gzip-compressed), with the API key as a
Bearer token. Every endpoint under /api needs a token made by
`lineage token create`; the OpenAPI document is at /openapi.json and /docs.
"""

# No `from __future__ import annotations` here: FastAPI reads the annotations of the
# endpoints defined inside `create_app`, whose names only exist in its scope.
import functools
import logging
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

import networkx as nx
import orjson
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from lineage import __version__, process
from lineage.api import Store
from lineage.digests import DigestCache
from lineage.errors import InvalidRecord, LineageError, StoreError, UnknownNode
from lineage.governance.signing import require_checkpoint
from lineage.openlineage.events import (
    DATASET_EVENT_SCHEMA_URL,
    JOB_EVENT_SCHEMA_URL,
    RUN_EVENT_SCHEMA_URL,
)
from lineage.store.database import open_database
from lineage.validation import json_problem, parse_time

log = logging.getLogger(__name__)
MAX_BODY = 50 * 1024 * 1024  # bytes of a request body, after decompression


class Accepted(BaseModel):
    """What a POST recorded."""

    events: int
    created: list[str]
    unchanged: int
    relations: int
    ledger_seq: int | None


class Version(BaseModel):
    version: int
    recorded_at: str
    reason: str | None
    effective: str | None
    seal: str


class NodeOut(BaseModel):
    """A record: its facts in force and its history of versions."""

    id: str
    kind: str
    name: str
    version: int
    facts: dict[str, Any]
    history: list[Version]
    same_content: list[str] = []
    """Other records ('kind:name') holding the same content (the same digest)."""
    aliases: list[str] = []
    """Other names the record is found by."""


class GraphNode(BaseModel):
    id: str
    kind: str
    name: str
    version: int
    depth: int
    seal: str
    fields: dict[str, Any]


class GraphEdge(BaseModel):
    source: str
    target: str
    relation: str
    role: str | None = None


class Closure(BaseModel):
    """Everything upstream or downstream of a record (as `lineage upstream --json`)."""

    root: str
    direction: str
    as_of: str | None
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class Problem(BaseModel):
    error: str


_bearer = HTTPBearer(auto_error=False, description="A token made by `lineage token create`.")


def create_app(
    db: str | None = None,
    *,
    checkpoint: str | None = None,
    public_key: str | None = None,
    lenient: bool = False,
) -> FastAPI:
    """The ASGI app over the store at `db` (an SQLAlchemy URL or SQLite path).

    With `checkpoint` and `public_key`, the app does not start on a store whose
    ledger no longer holds that signed checkpoint (see `lineage.serve`). With
    `lenient`, events are read as `lineage ingest --lenient` reads them.
    """
    state: dict[str, Store] = {}
    # A server goes on: what its reads leave must be collected as usual.
    process.one_shot(False)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Events name no files, so nothing is hashed here; and the digest cache's SQLite
        # connection would belong to whichever worker thread opened it, failing the
        # shutdown that closes it from another (issue 18).
        state["store"] = Store(open_database(db), DigestCache.disabled())
        if checkpoint is not None and public_key is not None:
            try:
                require_checkpoint(state["store"], checkpoint, public_key)
            except LineageError:
                state.pop("store").close()
                raise
        try:
            yield
        finally:
            state.pop("store").close()

    app = FastAPI(
        title="lineage",
        version=__version__,
        summary="The provenance paper trail of AI training data: OpenLineage in, lineage out.",
        lifespan=lifespan,
    )

    def store() -> Store:
        return state["store"]

    def authorised(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> str:
        owner = store().token_owner(credentials.credentials) if credentials else None
        if owner is None:
            raise HTTPException(
                401, "a valid API token is required", headers={"WWW-Authenticate": "Bearer"}
            )
        return owner

    @app.exception_handler(HTTPException)
    async def _http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": error.detail}, status_code=error.status_code, headers=error.headers
        )

    errors: dict[int | str, dict[str, Any]] = {
        401: {"model": Problem},
        404: {"model": Problem},
        422: {"model": Problem},
    }

    @app.post(
        "/api/v1/lineage",
        status_code=201,
        response_model=Accepted,
        responses={
            **errors,
            400: {"model": Problem},
            413: {"model": Problem},
            503: {"model": Problem},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "One OpenLineage RunEvent, JobEvent or DatasetEvent (or a "
                "JSON array of them); "
                "gzip or deflate Content-Encoding accepted.",
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                {"$ref": url}
                                for url in (
                                    RUN_EVENT_SCHEMA_URL,
                                    JOB_EVENT_SCHEMA_URL,
                                    DATASET_EVENT_SCHEMA_URL,
                                )
                            ]
                        }
                    }
                },
            }
        },
        summary="Record OpenLineage events",
    )
    async def post_lineage(request: Request, who: Annotated[str, Depends(authorised)]) -> Accepted:
        """Record OpenLineage events, all or nothing, as `lineage ingest` does."""
        try:
            body = await _read_body(request)
        except ClientDisconnect:  # nobody is left to answer: say it in the log, in one line
            log.info("a request from %s was abandoned before its body ended", who)
            raise HTTPException(400, "the client disconnected before the body ended") from None
        events = _decode(body, request.headers.get("content-encoding", ""))
        where = f"request from {who!r}"
        try:
            result = await run_in_threadpool(
                functools.partial(store().ingest_events, events, where=where, lenient=lenient)
            )
        except StoreError as error:
            raise HTTPException(503, str(error)) from None
        except LineageError as error:
            raise HTTPException(422, str(error)) from None
        log.info("recorded %d events from %s", len(events), who)
        return Accepted(
            events=len(events),
            created=[f"{k}:{n}" for k, n, _ in result.created],
            unchanged=len(result.unchanged),
            relations=result.edges,
            ledger_seq=result.ledger_seq,
        )

    Id = Annotated[str, Query(description="A record: 'name' or 'kind:name'.")]
    AsOf = Annotated[str | None, Query(alias="as_of", description="ISO 8601 time.")]
    Depth = Annotated[int | None, Query(ge=1, description="At most N relations away.")]

    @app.get("/api/v1/node", response_model=NodeOut, responses=errors, summary="A record")
    def get_node(_: Annotated[str, Depends(authorised)], id: Id, as_of: AsOf = None) -> NodeOut:
        """A record's facts in force (at `as_of`) and its history of versions."""
        with _answers():
            record = store().show(id, as_of=_time(as_of))
        return NodeOut(
            id=record.id,
            kind=record.kind,
            name=record.name,
            version=record.current.version,
            facts=record.facts,
            history=[
                Version(
                    version=v.version,
                    recorded_at=v.recorded_at,
                    reason=v.reason,
                    effective=v.effective,
                    seal=v.seal,
                )
                for v in record.history
            ],
            same_content=list(record.same_content),
            aliases=list(record.aliases),
        )

    @app.get("/api/v1/upstream", response_model=Closure, responses=errors, summary="Upstream")
    def get_upstream(
        _: Annotated[str, Depends(authorised)], id: Id, depth: Depth = None, as_of: AsOf = None
    ) -> Closure:
        """Everything the record was built from."""
        with _answers():
            graph = store().upstream(id, depth=depth, as_of=_time(as_of))
        return _closure(graph, "upstream", as_of)

    @app.get("/api/v1/downstream", response_model=Closure, responses=errors, summary="Downstream")
    def get_downstream(
        _: Annotated[str, Depends(authorised)], id: Id, depth: Depth = None, as_of: AsOf = None
    ) -> Closure:
        """Everything built from the record."""
        with _answers():
            graph = store().downstream(id, depth=depth, as_of=_time(as_of))
        return _closure(graph, "downstream", as_of)

    return app


async def _read_body(request: Request) -> bytearray:
    """The request body, refused with 413 as soon as it passes MAX_BODY bytes.

    Counted as it streams in, chunked or not, so that an endless upload costs at most
    MAX_BODY of memory (issue 18). FastAPI's own `max_body_size` would answer in plain
    text, and replaces every answer to a request that declares too long a body.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413, f"the body is larger than {MAX_BODY} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, f"the body is larger than {MAX_BODY} bytes")
    return body


def _decode(body: bytes | bytearray, encoding: str) -> list[Any]:
    """The events of a request body; compressed bodies are inflated at most to MAX_BODY."""
    encoding = encoding.strip().lower()
    wbits = {"gzip": 31, "deflate": 15}.get(encoding)
    if wbits is None and encoding not in ("", "identity"):
        raise HTTPException(400, f"Content-Encoding {encoding!r} is not supported")
    if wbits is not None:
        inflater = zlib.decompressobj(wbits)
        try:
            body = inflater.decompress(body, MAX_BODY + 1)
        except zlib.error:
            raise HTTPException(400, f"the body is not valid {encoding} data") from None
        if not inflater.eof and not inflater.unconsumed_tail:
            raise HTTPException(400, f"the body is not valid {encoding} data (cut short)")
    if len(body) > MAX_BODY:
        raise HTTPException(413, f"the body is larger than {MAX_BODY} bytes")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise HTTPException(400, f"the body: {json_problem(error)}") from None
    return data if isinstance(data, list) else [data]


def _time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_time(text, "as_of")
    except InvalidRecord as error:
        raise HTTPException(422, str(error)) from None


class _answers:
    """Turn the store's errors into HTTP answers: unknown records 404, bad input 422."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, trace: Any) -> None:
        if isinstance(error, UnknownNode):
            raise HTTPException(404, str(error)) from None
        if isinstance(error, StoreError):
            raise HTTPException(503, str(error)) from None
        if isinstance(error, LineageError):
            raise HTTPException(422, str(error)) from None


def _closure(graph: "nx.DiGraph[str]", direction: str, as_of: str | None) -> Closure:
    nodes = [
        GraphNode(
            id=key,
            kind=data["kind"],
            name=data["name"],
            version=data["version"],
            depth=data["depth"],
            seal=data["seal"],
            fields={
                k: v
                for k, v in data.items()
                if k not in ("kind", "name", "version", "seal", "depth")
            },
        )
        for key, data in sorted(
            graph.nodes(data=True), key=lambda item: (item[1]["depth"], item[0])
        )
    ]
    edges = [
        GraphEdge(source=s, target=t, relation=d["relation"], role=d["role"])
        for s, t, d in sorted(graph.edges(data=True))
    ]
    return Closure(
        root=graph.graph["root"], direction=direction, as_of=as_of, nodes=nodes, edges=edges
    )
