"""The store as OpenLineage events: one RunEvent per run, a JobEvent per declared job, a
DatasetEvent for the rest.

Every event validates against the official 2-0-2 schema and reads naturally in any
OpenLineage consumer (runs with their job, inputs and outputs; parent runs; errors;
documentation and ownership facets). Besides, each event carries a `lineage` facet
with the records it stands for and their relations exactly as stored, so that
`lineage ingest` reads an export back to the same graph: sources, models, agents,
sign-offs and relations that OpenLineage has no words for travel there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import networkx as nx
import orjson

from lineage.openlineage.events import (
    DATASET_EVENT_SCHEMA_URL,
    JOB_EVENT_SCHEMA_URL,
    RUN_EVENT_SCHEMA_URL,
)
from lineage.openlineage.mapping import LINEAGE_FACET
from lineage.validation import utc_text
from lineage.vocabulary import DECLARED_ROLE

if TYPE_CHECKING:  # the API sits above the exports; only its type is needed here
    from lineage.api import Store

PRODUCER = "https://pypi.org/project/lineage/"
LINEAGE_FACET_SCHEMA_URL = "urn:lineage:facets:LineageRecordsFacet:1-0-0"
NAMESPACE = "lineage"
_STATUS_EVENT = {"completed": "COMPLETE", "failed": "FAIL", "running": "RUNNING"}
_NOT_FACTS = frozenset({"kind", "name", "version", "seal", "effective", "depth"})


def _facet(**fields: Any) -> dict[str, Any]:
    return {"_producer": PRODUCER, "_schemaURL": LINEAGE_FACET_SCHEMA_URL, **fields}


def _standard_facet(schema: str, **fields: Any) -> dict[str, Any]:
    url = f"https://openlineage.io/spec/facets/1-0-1/{schema}.json#/$defs/{schema}"
    return {"_producer": PRODUCER, "_schemaURL": url, **fields}


def _openlineage_state(data: dict[str, Any]) -> dict[str, Any]:
    attrs = data.get("attrs")
    state = attrs.get("openlineage") if isinstance(attrs, dict) else None
    return state if isinstance(state, dict) else {}


def _record(node: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "name": data["name"],
        "effective": data.get("effective"),
        "facts": {k: v for k, v in data.items() if k not in _NOT_FACTS},
    }


def _dataset(graph: nx.DiGraph[str], node: str) -> dict[str, Any]:
    """An entity as an OpenLineage dataset: its own namespace and name when it came from
    OpenLineage, else namespace 'lineage' and 'kind:name'."""
    data = graph.nodes[node]
    state = _openlineage_state(data)
    if isinstance(state.get("namespace"), str) and isinstance(state.get("name"), str):
        out: dict[str, Any] = {"namespace": state["namespace"], "name": state["name"]}
        facets = dict(state.get("facets") or {})
    else:
        out = {"namespace": NAMESPACE, "name": node}
        facets = {}
    facets.pop("outputStatistics", None)  # an output facet, not a dataset facet
    if data.get("description") and "documentation" not in facets:
        facets["documentation"] = _standard_facet(
            "DocumentationDatasetFacet", description=data["description"]
        )
    if data.get("owner") and "ownership" not in facets:
        facets["ownership"] = _standard_facet(
            "OwnershipDatasetFacet", owners=[{"name": data["owner"]}]
        )
    out["facets"] = facets
    return out


def _owners(graph: nx.DiGraph[str]) -> dict[str, str]:
    """Which event carries each record: a run its own; what a run generated, that run's;
    an agent, the event of a record that names it; anything else, a DatasetEvent."""
    owner: dict[str, str] = {}
    for node, kind in sorted(graph.nodes(data="kind")):
        if kind == "activity":
            owner[node] = node
    for node in sorted(graph):
        if node in owner or graph.nodes[node]["kind"] == "agent":
            continue
        makers = sorted(
            o
            for o in graph.successors(node)
            if graph.edges[node, o]["relation"] == "was_generated_by"
        )
        owner[node] = makers[0] if makers else node
    changed = True
    while changed:  # agents named by agents: follow acted_on_behalf_of
        changed = False
        for node in sorted(graph):
            if node in owner:
                continue
            named_by = sorted(s for s in graph.predecessors(node) if s in owner)
            if named_by:
                owner[node] = owner[named_by[0]]
                changed = True
    for node in sorted(graph):
        owner.setdefault(node, node)
    return owner


def _run_id(node: str, data: dict[str, Any]) -> str:
    state = _openlineage_state(data)
    run_id = state.get("runId")
    if isinstance(run_id, str):
        return run_id
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lineage:{node}"))


def _job(data: dict[str, Any]) -> dict[str, Any]:
    job = _openlineage_state(data).get("job")
    if isinstance(job, dict):
        out = {"namespace": job["namespace"], "name": job["name"]}
    else:
        out = {"namespace": NAMESPACE, "name": data.get("operation") or data["name"]}
    if data.get("description"):
        out["facets"] = {
            "documentation": _standard_facet(
                "DocumentationJobFacet", description=data["description"]
            )
        }
    return out


def openlineage_events(store: Store, target: str | None = None) -> list[dict[str, Any]]:
    """The lineage (the trail of `target`, or everything) as OpenLineage 2-0-2 events.

    Example:
        events = openlineage_events(store, "support-assistant-v1")
    """
    return events_of(store.export_graph(target))


def events_of(graph: nx.DiGraph[str]) -> list[dict[str, Any]]:
    """The records and relations of `graph` (see `Store.export_graph`) as events."""
    now = utc_text(datetime.now(UTC))
    owner = _owners(graph)
    carried: dict[str, list[str]] = {}
    for node in sorted(graph):
        carried.setdefault(owner[node], []).append(node)
    events: list[dict[str, Any]] = []
    for event_node, nodes in sorted(carried.items()):
        facet = _facet(
            records=[_record(n, graph.nodes[n]) for n in nodes],
            relations=[
                {"subject": _ref(graph, s), "object": _ref(graph, o), **_edge(graph, s, o)}
                for s in nodes
                for o in sorted(graph.successors(s))
            ],
        )
        data = graph.nodes[event_node]
        if data["kind"] == "activity" and data.get("status") == DECLARED_ROLE:
            events.append(_job_event(graph, event_node, facet, now))
        elif data["kind"] == "activity":
            events.append(_run_event(graph, event_node, facet, now))
        else:
            dataset = _dataset(graph, event_node)
            dataset["facets"][LINEAGE_FACET] = facet
            events.append(
                {
                    "eventTime": now,
                    "producer": PRODUCER,
                    "schemaURL": DATASET_EVENT_SCHEMA_URL,
                    "dataset": dataset,
                }
            )
    return events


def _ref(graph: nx.DiGraph[str], node: str) -> list[str]:
    return [graph.nodes[node]["kind"], graph.nodes[node]["name"]]


def _edge(graph: nx.DiGraph[str], subject: str, obj: str) -> dict[str, Any]:
    edge = graph.edges[subject, obj]
    return {"relation": edge["relation"], "role": edge.get("role")}


def _run_event(
    graph: nx.DiGraph[str], node: str, facet: dict[str, Any], now: str
) -> dict[str, Any]:
    data = graph.nodes[node]
    used = sorted(o for o in graph.successors(node) if graph.edges[node, o]["relation"] == "used")
    made = sorted(
        s
        for s in graph.predecessors(node)
        if graph.edges[s, node]["relation"] == "was_generated_by"
    )
    run_facets: dict[str, Any] = {LINEAGE_FACET: facet}
    for parent in sorted(graph.successors(node)):
        edge = graph.edges[node, parent]
        if edge["relation"] == "was_informed_by" and edge.get("role") == "parent":
            run_facets["parent"] = _standard_facet(
                "ParentRunFacet",
                run={"runId": _run_id(parent, graph.nodes[parent])},
                job={k: v for k, v in _job(graph.nodes[parent]).items() if k != "facets"},
            )
            break
    attrs = data.get("attrs")
    if data.get("status") == "failed" and isinstance(attrs, dict) and attrs.get("error"):
        run_facets["errorMessage"] = _standard_facet(
            "ErrorMessageRunFacet", message=str(attrs["error"]), programmingLanguage="unknown"
        )
    outputs = []
    for entity in made:
        dataset = _dataset(graph, entity)
        records = graph.nodes[entity].get("records")
        if isinstance(records, int):
            dataset["outputFacets"] = {
                "outputStatistics": _standard_facet(
                    "OutputStatisticsOutputDatasetFacet", rowCount=records
                )
            }
        outputs.append(dataset)
    return {
        "eventType": _STATUS_EVENT.get(data.get("status") or "", "OTHER"),
        "eventTime": data.get("ended") or data.get("started") or now,
        "producer": PRODUCER,
        "schemaURL": RUN_EVENT_SCHEMA_URL,
        "run": {"runId": _run_id(node, data), "facets": run_facets},
        "job": _job(data),
        "inputs": [_dataset(graph, e) for e in used],
        "outputs": outputs,
    }


def _job_event(
    graph: nx.DiGraph[str], node: str, facet: dict[str, Any], now: str
) -> dict[str, Any]:
    """A job declared by JobEvents goes out as a JobEvent again: no run is invented for it
    (the `lineage` facet rides on the job)."""
    data = graph.nodes[node]
    used = sorted(o for o in graph.successors(node) if graph.edges[node, o]["relation"] == "used")
    made = sorted(
        s
        for s in graph.predecessors(node)
        if graph.edges[s, node]["relation"] == "was_generated_by"
    )
    job = _job(data)
    job["facets"] = {**(job.get("facets") or {}), LINEAGE_FACET: facet}
    times = [e["eventTime"] for e in _openlineage_state(data).get("events") or ()]
    return {
        "eventTime": max(times) if times else now,
        "producer": PRODUCER,
        "schemaURL": JOB_EVENT_SCHEMA_URL,
        "job": job,
        "inputs": [_dataset(graph, e) for e in used],
        "outputs": [_dataset(graph, e) for e in made],
    }


def iter_ndjson(events: list[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        yield orjson.dumps(event, option=orjson.OPT_SORT_KEYS) + b"\n"


def openlineage_ndjson(graph: nx.DiGraph[str]) -> bytes:
    """`graph` as newline-delimited OpenLineage events (what `lineage ingest` reads)."""
    return b"".join(iter_ndjson(events_of(graph)))
