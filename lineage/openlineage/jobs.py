"""OpenLineage jobs: static lineage (JobEvents), the job a run belongs to, lenient marks.

A JobEvent (spec 2-0-2, proposal 1837) says what a job reads and writes by design,
outside any run. Nothing ran, so no run is invented: the job is recorded as an
activity named by the job (`namespace/name`, never a run's UUID) with status
`declared`, and its inputs and outputs are joined to it by `used` and
`was_generated_by` relations carrying the role `declared`. Reports, trees and
`show` therefore say "declared", and a reader can tell what a scheduler declared
from what a run was seen doing. Like a run, a job's record is a function of the
set of its events: the latest event's facets decide its facts, and every input or
output any JobEvent declared stays declared (relations are never removed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from lineage.openlineage.events import Event
from lineage.store.pending import PendingEdge, PendingNode
from lineage.store.resolve import current_by_name
from lineage.store.write import Writer
from lineage.validation import canonical_json, utc_text
from lineage.vocabulary import DECLARED_ROLE, Relation

DECLARED = DECLARED_ROLE  # the status of a job known from JobEvents, and the role of its relations
_REASON = "OpenLineage job events merged"


def job_record_name(job: dict[str, Any]) -> str:
    """The record name of an OpenLineage job: `namespace/name`, as its datasets are named."""
    return f"{job['namespace']}/{job['name']}"


def job_of(attrs: Any) -> str | None:
    """The OpenLineage job (`namespace/name`) of an activity's attrs, if it has one.

    `attrs` is the parsed JSON (or its text) of an activity recorded from
    OpenLineage events, from `lineage run record --emit`, or from a JobEvent.

    Example:
        job_of(store.show("activity:0193...").facts["attrs"])  # 'airflow/clean_orders'
    """
    if isinstance(attrs, str | bytes):
        if b"openlineage" not in (attrs.encode() if isinstance(attrs, str) else attrs):
            return None
        try:
            attrs = orjson.loads(attrs)
        except orjson.JSONDecodeError:
            return None
    if not isinstance(attrs, dict):
        return None
    state = attrs.get("openlineage")
    job = state.get("job") if isinstance(state, dict) else None
    if (
        isinstance(job, dict)
        and isinstance(job.get("namespace"), str)
        and isinstance(job.get("name"), str)
    ):
        return job_record_name(job)
    return None


def lenient_marks(events: list[dict[str, Any]]) -> list[str]:
    """What `--lenient` let through in `events` (as stored), one line per event and reason.

    Derived from the events themselves, so the marks are the same whichever ingest
    brought each event, and an event's record keeps saying it was let through.
    """
    marks: set[str] = set()
    for event in events:
        label = f"{event.get('eventType') or 'event'} at {event.get('eventTime')}"
        if "schemaURL" not in event:
            marks.add(f"{label}: no schemaURL")
        time = event.get("eventTime")
        if isinstance(time, str) and not _has_offset(time):
            marks.add(f"{label}: eventTime without a UTC offset, read as UTC")
    return sorted(marks)


def _has_offset(text: str) -> bool:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return True  # not a time at all: validation refused it, there is nothing to mark


@dataclass
class DeclaredJob:
    """The JobEvents of one job in a batch, and the datasets they declare."""

    job: dict[str, str]
    where: str
    events: dict[bytes, dict[str, Any]] = field(default_factory=dict)
    inputs: set[tuple[str, str]] = field(default_factory=set)
    outputs: set[tuple[str, str]] = field(default_factory=set)
    producers: set[str] = field(default_factory=set)


def collect_job_event(
    jobs: dict[str, DeclaredJob], event: Event, inputs: set[Any], outputs: set[Any]
) -> None:
    """Add one JobEvent (whose datasets the caller has already keyed) to `jobs`."""
    data = event.data
    job = {"namespace": data["job"]["namespace"], "name": data["job"]["name"]}
    held = jobs.setdefault(job_record_name(job), DeclaredJob(job, event.where))
    held.events[_key(data)] = data
    held.inputs |= inputs
    held.outputs |= outputs
    held.producers.add(data["producer"])


def _key(event: dict[str, Any]) -> bytes:
    return orjson.dumps(event, option=orjson.OPT_SORT_KEYS)


def _time(event: dict[str, Any]) -> Any:
    from lineage.openlineage.events import parse_event_time

    return parse_event_time(event["eventTime"])


def declared_job_facts(state: dict[str, Any]) -> dict[str, Any]:
    """The facts of a declared job's record from its JobEvents (no start, end or counts:
    nothing ran)."""
    events = sorted(
        state["events"],
        key=lambda e: (utc_text(_time(e)), _key(e)),
    )
    facts: dict[str, Any] = {"operation": state["job"]["name"], "status": DECLARED}
    for event in reversed(events):  # the latest event that has each facet decides it
        facets = event["job"].get("facets") or {}
        location = facets.get("sourceCodeLocation")
        if (
            "code_revision" not in facts
            and isinstance(location, dict)
            and isinstance(location.get("version"), str)
        ):
            facts["code_revision"] = location["version"]
        documentation = facets.get("documentation")
        if (
            "description" not in facts
            and isinstance(documentation, dict)
            and isinstance(documentation.get("description"), str)
        ):
            facts["description"] = documentation["description"]
    attrs: dict[str, Any] = {
        "openlineage": {
            "job": state["job"],
            "declared": {"inputs": state["inputs"], "outputs": state["outputs"]},
            "events": events,
        }
    }
    marks = lenient_marks(events)
    if marks:
        attrs["lenient"] = marks
    facts["attrs"] = canonical_json(attrs)
    return facts


_JOB_COLUMNS = ("operation", "status", "code_revision", "description", "attrs")


def add_declared_jobs(
    writer: Writer,
    jobs: dict[str, DeclaredJob],
    dataset_name: Callable[[str, str], str],
    producer_facts: Callable[[str], dict[str, Any]],
) -> None:
    """Record each declared job, merged with what the store holds of it, and its relations:
    the datasets it declares, and the producer that declared it (role `producer`).

    `dataset_name` maps a dataset's (namespace, name) to its record name;
    `producer_facts` gives the agent record of a producer URI.
    """
    if not jobs:
        return
    stored = current_by_name(writer.connection, [("activity", name) for name in jobs])
    for name, held in sorted(jobs.items()):
        row = stored.get(("activity", name))
        before: dict[str, Any] = {}
        if row is not None and row.get("attrs"):
            found = orjson.loads(row["attrs"]).get("openlineage")
            before = found if isinstance(found, dict) else {}
        if row is not None and (before.get("declared") is None or before.get("job") != held.job):
            from lineage.errors import InvalidRecord

            raise InvalidRecord(
                f"{held.where}: field 'job': activity {name!r} is recorded, but not as the "
                "job this JobEvent declares"
            )
        declared = before.get("declared") or {}
        inputs = {tuple(k) for k in declared.get("inputs") or ()} | held.inputs
        outputs = {tuple(k) for k in declared.get("outputs") or ()} | held.outputs
        events = {_key(e): e for e in before.get("events") or ()}
        events.update(held.events)
        state = {
            "job": held.job,
            "inputs": [list(k) for k in sorted(inputs)],
            "outputs": [list(k) for k in sorted(outputs)],
            "events": [events[k] for k in sorted(events)],
        }
        facts = declared_job_facts(state)
        if row is None:
            writer.add_node(PendingNode("activity", name, facts, where=held.where))
        elif any(row.get(c) != facts.get(c) for c in _JOB_COLUMNS):
            writer.add_node(PendingNode("activity", name, facts, where=held.where, reason=_REASON))
        me = ("activity", name)
        for producer in sorted(held.producers):
            writer.add_node(PendingNode("agent", producer, producer_facts(producer)))
            writer.add_edge(
                PendingEdge(
                    me,
                    ("agent", producer),
                    Relation.WAS_ASSOCIATED_WITH.value,
                    held.where,
                    role="producer",
                )
            )
        for key in sorted(held.inputs - held.outputs):
            edge = PendingEdge(
                me, ("dataset", dataset_name(*key)), Relation.USED.value, held.where, role=DECLARED
            )
            writer.add_edge(edge)
        for key in sorted(held.outputs):
            edge = PendingEdge(
                ("dataset", dataset_name(*key)),
                me,
                Relation.WAS_GENERATED_BY.value,
                held.where,
                role=DECLARED,
            )
            writer.add_edge(edge)
