"""OpenLineage events onto the store: dataset -> entity, job -> operation, run -> activity.

Every fact derived here is a function of the *set* of events seen so far for a
run or dataset, never of their order: a run's record keeps its events whole
(deduplicated and sorted), a dataset's record keeps, per facet, the value of the
latest event that carried it. An ingest reads that state inside its write
transaction, joins the new events into it and, when the derived facts change,
records a new version. So START, RUNNING and COMPLETE arriving in one file or
three, in any order, twice or once, leave the same graph (only the version
history differs), and concurrent writers cannot lose each other's events.

Events written by `lineage export --format openlineage` carry a `lineage` facet
holding the records and relations exactly as stored; those are restored as they
are, so an export reads back to the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lineage.errors import InvalidRecord
from lineage.openlineage.events import Event
from lineage.store.pending import PendingEdge, PendingNode, VersionHint
from lineage.store.resolve import current_by_name
from lineage.store.tables import FACT_COLUMNS, JSON_COLUMNS
from lineage.store.write import Writer
from lineage.validation import canonical_json, describe_error, hidden_character, utc_text
from lineage.vocabulary import RENAMED_ROLE, Kind, Relation

LINEAGE_FACET = "lineage"  # our own facet: records and relations as stored
TERMINAL = {"COMPLETE": "completed", "FAIL": "failed", "ABORT": "failed"}
REASON = "OpenLineage events merged"


def dataset_node_name(namespace: str, name: str) -> str:
    """The record name of an OpenLineage dataset: its namespace and name, as OpenLineage
    writes a dataset's URI (`postgres://db:5432/analytics.public.orders`)."""
    return f"{namespace}/{name}"


def _visible(value: str, where: str, field: str) -> str:
    """`value`, a name; InvalidRecord when it holds an invisible or reordering character."""
    hidden = hidden_character(value)
    if hidden is not None:
        raise InvalidRecord(
            f"{where}: field {field!r}: {hidden} is not allowed in a name: invisible and "
            "reordering characters make different names look alike"
        )
    return value


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


# -- restoring what `export` wrote --------------------------------------------------------
class _RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    name: str = Field(min_length=1)
    effective: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)


class _RelationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: tuple[str, str]
    object: tuple[str, str]
    relation: Relation
    role: str | None = None


class _LineageFacet(BaseModel):
    model_config = ConfigDict(extra="allow")

    records: list[_RecordIn] = Field(default_factory=list)
    relations: list[_RelationIn] = Field(default_factory=list)


def _lineage_facet(event: Event) -> tuple[dict[str, Any], str] | None:
    data = event.data
    if event.is_run_event:
        facet = (data["run"].get("facets") or {}).get(LINEAGE_FACET)
        return (facet, "run.facets.lineage") if isinstance(facet, dict) else None
    facet = (data["dataset"].get("facets") or {}).get(LINEAGE_FACET)
    return (facet, "dataset.facets.lineage") if isinstance(facet, dict) else None


def _stored_facts(record: _RecordIn, where: str) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for key, value in record.facts.items():
        if key not in FACT_COLUMNS:
            raise InvalidRecord(f"{where}: field 'facts.{key}': not a recorded fact")
        if value is None:
            continue
        if key in JSON_COLUMNS:
            value = canonical_json(value)
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            raise InvalidRecord(f"{where}: field 'facts.{key}': {value!r} is not text or a number")
        facts[key] = value
    return facts


def _restore(writer: Writer, events: list[tuple[Event, dict[str, Any], str]]) -> None:
    nodes: dict[tuple[str, str], PendingNode] = {}
    edges: dict[tuple[Any, ...], PendingEdge] = {}
    for event, raw, path in events:
        try:
            facet = _LineageFacet.model_validate(raw)
        except ValidationError as error:
            message, _ = describe_error(error)
            raise InvalidRecord(f"{event.where}: {path}: {message}") from None
        for index, record in enumerate(facet.records):
            where = f"{event.where}: {path}.records[{index}]"
            _visible(record.name, event.where, f"{path}.records[{index}].name")
            node = PendingNode(
                record.kind,
                record.name,
                _stored_facts(record, where),
                where=where,
                effective=record.effective,
            )
            key = (record.kind, record.name)
            earlier = nodes.get(key)
            if earlier is None:
                nodes[key] = node
            elif earlier.facts != node.facts or earlier.effective != node.effective:
                raise InvalidRecord(f"{where}: {record.kind} {record.name!r} is given twice")
        for index, relation in enumerate(facet.relations):
            where = f"{event.where}: {path}.relations[{index}]"
            edge = PendingEdge(
                (relation.subject[0], relation.subject[1]),
                (relation.object[0], relation.object[1]),
                relation.relation.value,
                where=where,
                role=relation.role,
            )
            edges.setdefault((edge.subject, edge.object, edge.relation), edge)
    for node in nodes.values():
        writer.add_node(node)
    for edge in edges.values():
        writer.add_edge(edge)


# -- native OpenLineage events --------------------------------------------------------------
@dataclass
class _Run:
    run_id: str
    job: dict[str, str]
    where: str
    events: dict[bytes, dict[str, Any]] = field(default_factory=dict)
    inputs: set[tuple[str, str]] = field(default_factory=set)
    outputs: set[tuple[str, str]] = field(default_factory=set)
    producers: set[str] = field(default_factory=set)
    parents: dict[str, dict[str, str]] = field(default_factory=dict)  # runId -> job
    first_time: str = ""  # the earliest eventTime seen, for a run with no START or end
    # Per dataset, what the events say of this run's read or write of it: the version
    # named (datasetVersion facet), and for outputs the lifecycle state change and the
    # name it was renamed from (lineage.store.versions).
    named: dict[tuple[str, str], str] = field(default_factory=dict)
    lifecycle: dict[tuple[str, str], str] = field(default_factory=dict)
    renamed_from: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


@dataclass
class _Dataset:
    namespace: str
    name: str
    where: str
    facets: dict[str, tuple[str, bytes, Any]] = field(default_factory=dict)  # (time, key, value)

    def offer(self, facet: str, time: str, value: Any) -> None:
        """Keep the value of the latest event (ties broken by content, so order never matters)."""
        candidate = (time, _canonical(value), value)
        held = self.facets.get(facet)
        if held is None or candidate[:2] > held[:2]:
            self.facets[facet] = candidate


def _job_of(data: dict[str, Any]) -> dict[str, str]:
    return {"namespace": data["namespace"], "name": data["name"]}


def _collect(
    events: list[Event],
) -> tuple[dict[str, _Run], dict[tuple[str, str], _Dataset]]:
    runs: dict[str, _Run] = {}
    datasets: dict[tuple[str, str], _Dataset] = {}

    def dataset(data: dict[str, Any], where: str, field: str) -> tuple[str, str]:
        key = (
            _visible(data["namespace"], where, f"{field}.namespace"),
            _visible(data["name"], where, f"{field}.name"),
        )
        if key not in datasets:
            datasets[key] = _Dataset(key[0], key[1], where)
        return key

    for event in events:
        data = event.data
        time = utc_text(event.time)
        if not event.is_run_event:
            key = dataset(data["dataset"], event.where, "dataset")
            for facet, value in (data["dataset"].get("facets") or {}).items():
                datasets[key].offer(facet, time, value)
            continue
        run_id = data["run"]["runId"].lower()
        job = _job_of(data["job"])
        _visible(job["namespace"], event.where, "job.namespace")
        _visible(job["name"], event.where, "job.name")
        _visible(data["producer"], event.where, "producer")
        run = runs.setdefault(run_id, _Run(run_id, job, event.where))
        if run.job != job:
            raise InvalidRecord(
                f"{event.where}: field 'job': run {run_id} was reported for job "
                f"{run.job['namespace']}/{run.job['name']} before, now for "
                f"{job['namespace']}/{job['name']}"
            )
        run.events[_canonical(data)] = data
        run.first_time = min(run.first_time or time, time)
        run.producers.add(data["producer"])
        parent = (data["run"].get("facets") or {}).get("parent")
        if isinstance(parent, dict):
            run.parents[parent["run"]["runId"].lower()] = _job_of(parent["job"])
        for side, facets_key in (("inputs", "inputFacets"), ("outputs", "outputFacets")):
            for index, item in enumerate(data.get(side) or ()):
                key = dataset(item, event.where, f"{side}[{index}]")
                for facet, value in (item.get("facets") or {}).items():
                    datasets[key].offer(facet, time, value)
                if side == "outputs":
                    stats = (item.get(facets_key) or {}).get("outputStatistics")
                    if stats is not None:
                        datasets[key].offer("outputStatistics", time, stats)
                (run.inputs if side == "inputs" else run.outputs).add(key)
                _version_facets(run, key, item, side, event.where, f"{side}[{index}]")
                # An input named only in an output's column lineage is still an input.
                lineage = (item.get("facets") or {}).get("columnLineage")
                if side == "outputs" and isinstance(lineage, dict):
                    for source in _column_inputs(lineage):
                        run.inputs.add(
                            dataset(source, event.where, f"{side}[{index}].facets.columnLineage")
                        )
    return runs, datasets


# lifecycleStateChange values that start a version without the previous content.
_REPLACING = frozenset({"OVERWRITE", "TRUNCATE", "CREATE"})


def _version_facets(
    run: _Run, key: tuple[str, str], item: dict[str, Any], side: str, where: str, field: str
) -> None:
    """Note what an input or output says of the version read or written."""
    facets = item.get("facets") or {}
    version = facets.get("version")
    if isinstance(version, dict) and isinstance(version.get("datasetVersion"), str):
        run.named[key] = version["datasetVersion"]
    change = facets.get("lifecycleStateChange")
    if side != "outputs" or not isinstance(change, dict):
        return
    state = change.get("lifecycleStateChange")
    if isinstance(state, str):
        run.lifecycle[key] = state.upper()
    previous = change.get("previousIdentifier")
    if isinstance(previous, dict):
        old = (previous.get("namespace"), previous.get("name"))
        if not all(isinstance(part, str) and part for part in old):
            raise InvalidRecord(
                f"{where}: field '{field}.facets.lifecycleStateChange.previousIdentifier': "
                "needs a namespace and a name"
            )
        run.renamed_from[key] = (str(old[0]), str(old[1]))


def _write_mode(state: str | None) -> str:
    if state == "DROP":
        return "drop"
    return "overwrite" if state in _REPLACING else "append"


def _column_inputs(facet: dict[str, Any]) -> Iterable[dict[str, str]]:
    fields = facet.get("fields")
    groups: list[Any] = list(fields.values()) if isinstance(fields, dict) else []
    groups.append({"inputFields": facet.get("dataset") or []})  # dataset-level lineage
    for group in groups:
        for source in (group or {}).get("inputFields") or ():
            if (
                isinstance(source, dict)
                and isinstance(source.get("namespace"), str)
                and isinstance(source.get("name"), str)
            ):
                yield {"namespace": source["namespace"], "name": source["name"]}


# Producers are usually a repository URL at a tag: .../OpenLineage/tree/1.54.0/integration/dbt
_PRODUCER_VERSION = re.compile(r"/(?:tree|blob|releases/tag)/v?(\d+(?:\.\d+)+[\w.+-]*)(?:/|$)")


def producer_facts(producer: str) -> dict[str, Any]:
    """The software agent of a producer URI, with its version when the URI names one."""
    facts: dict[str, Any] = {"agent_type": "software", "attrs": canonical_json({"uri": producer})}
    found = _PRODUCER_VERSION.search(producer)
    if found:
        facts["software_version"] = found.group(1)
    return facts


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def dataset_facts(state: dict[str, Any]) -> dict[str, Any]:
    """The facts of a dataset record from its merged OpenLineage state."""
    facets: dict[str, Any] = state.get("facets") or {}
    facts: dict[str, Any] = {}
    documentation = facets.get("documentation")
    if isinstance(documentation, dict) and isinstance(documentation.get("description"), str):
        facts["description"] = documentation["description"]
    ownership = facets.get("ownership")
    if isinstance(ownership, dict) and isinstance(ownership.get("owners"), list):
        names = [o["name"] for o in ownership["owners"] if isinstance(o, dict) and "name" in o]
        if names:
            facts["owner"] = ", ".join(str(n) for n in names)
    source = facets.get("dataSource")
    if isinstance(source, dict) and isinstance(source.get("uri"), str):
        facts["uri"] = source["uri"]
    stats = facets.get("outputStatistics")
    if isinstance(stats, dict):
        if (rows := _count(stats.get("rowCount"))) is not None:
            facts["records"] = rows
        if (size := _count(stats.get("size"))) is not None:
            facts["size_bytes"] = size
    facts["attrs"] = canonical_json({"openlineage": state})
    return facts


def _latest(events: list[dict[str, Any]], pick: Any) -> Any:
    """The value `pick` finds in the latest event that has one."""
    for event in reversed(events):
        value = pick(event)
        if value is not None:
            return value
    return None


def _facet(event: dict[str, Any], where: str, name: str) -> dict[str, Any] | None:
    holder = event["run"] if where == "run" else event["job"]
    value = (holder.get("facets") or {}).get(name)
    return value if isinstance(value, dict) else None


def run_facts(state: dict[str, Any]) -> dict[str, Any]:
    """The facts of an activity record from its OpenLineage state (job and events)."""
    events = sorted(state["events"], key=lambda e: (utc_text(_time(e)), _canonical(e)))
    facts: dict[str, Any] = {"operation": state["job"]["name"]}
    starts = [e for e in events if e.get("eventType") == "START"]
    if starts:
        facts["started"] = utc_text(_time(starts[0]))
    terminal = [e for e in events if e.get("eventType") in TERMINAL]
    if terminal:
        facts["status"] = TERMINAL[terminal[-1]["eventType"]]
        facts["ended"] = utc_text(_time(terminal[-1]))
    elif events:
        facts["status"] = "running"
    location = _latest(events, lambda e: _facet(e, "job", "sourceCodeLocation"))
    if location and isinstance(location.get("version"), str):
        facts["code_revision"] = location["version"]
    engine = _latest(events, lambda e: _facet(e, "run", "processing_engine"))
    if engine and isinstance(engine.get("name"), str):
        facts["tool"] = engine["name"]
        if isinstance(engine.get("version"), str):
            facts["tool_version"] = engine["version"]
    documentation = _latest(events, lambda e: _facet(e, "job", "documentation"))
    if documentation and isinstance(documentation.get("description"), str):
        facts["description"] = documentation["description"]
    for column, side, names in (
        ("records_in", "inputs", ("inputStatistics", "dataQualityMetrics")),
        ("records_out", "outputs", ("outputStatistics",)),
    ):
        counts: dict[tuple[str, str], int] = {}
        facets_key = "inputFacets" if side == "inputs" else "outputFacets"
        for event in events:  # later events overwrite earlier counts of the same dataset
            for item in event.get(side) or ():
                for name in names:
                    facet = (item.get(facets_key) or {}).get(name)
                    if isinstance(facet, dict) and (n := _count(facet.get("rowCount"))) is not None:
                        counts[(item["namespace"], item["name"])] = n
        if counts:
            facts[column] = sum(counts.values())
    attrs: dict[str, Any] = {"openlineage": {**state, "events": events}}
    error = _latest(events, lambda e: _facet(e, "run", "errorMessage"))
    if error and isinstance(error.get("message"), str):
        attrs["error"] = error["message"]
    assertions = _assertions(events)
    if assertions:
        attrs["data_quality_assertions"] = assertions
    facts["attrs"] = canonical_json(attrs)
    return facts


def _assertions(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[bytes, dict[str, Any]] = {}
    for event in events:
        for item in event.get("inputs") or ():
            for holder in (item.get("inputFacets") or {}, item.get("facets") or {}):
                facet = holder.get("dataQualityAssertions")
                if not isinstance(facet, dict):
                    continue
                for assertion in facet.get("assertions") or ():
                    if isinstance(assertion, dict):
                        entry = {"dataset": dataset_node_name(item["namespace"], item["name"])}
                        entry.update(assertion)
                        found[_canonical(entry)] = entry
    return [found[k] for k in sorted(found)]


def _time(event: dict[str, Any]) -> Any:
    from lineage.openlineage.events import parse_event_time

    return parse_event_time(event["eventTime"])


# The columns OpenLineage events decide; others (a licence recorded by hand) are kept.
_DATASET_COLUMNS = ("description", "owner", "uri", "records", "size_bytes", "attrs")
_RUN_COLUMNS = (
    "operation",
    "started",
    "ended",
    "status",
    "code_revision",
    "tool",
    "tool_version",
    "description",
    "records_in",
    "records_out",
    "attrs",
)


def _merged_node(
    writer: Writer,
    kind: str,
    name: str,
    facts: dict[str, Any],
    stored: dict[str, Any] | None,
    where: str,
) -> None:
    """Add a record, or a new version of it when the facts its events decide changed.

    Facts recorded otherwise (a licence, attributes of its own) stay as they are.
    """
    if stored is None:
        writer.add_node(PendingNode(kind, name, facts, where=where))
        return
    own = orjson.loads(stored["attrs"]) if stored.get("attrs") else {}
    if isinstance(own, dict) and set(own) - {"openlineage"}:
        merged = {k: v for k, v in own.items() if k != "openlineage"}
        merged.update(orjson.loads(facts["attrs"]))
        facts = {**facts, "attrs": canonical_json(merged)}
    columns = _RUN_COLUMNS if kind == "activity" else _DATASET_COLUMNS
    if all(stored.get(c) == facts.get(c) for c in columns):
        return
    cleared = tuple(c for c in columns if stored.get(c) is not None and facts.get(c) is None)
    writer.add_node(PendingNode(kind, name, facts, where=where, reason=REASON, clear=cleared))


def _stored_state(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None or not row.get("attrs"):
        return {}
    state = orjson.loads(row["attrs"]).get("openlineage")
    return state if isinstance(state, dict) else {}


def add_events(writer: Writer, events: list[Event]) -> None:
    """Add validated OpenLineage events to the transaction of `writer`.

    Raises InvalidRecord naming the event and field.
    """
    restored: list[tuple[Event, dict[str, Any], str]] = []
    native: list[Event] = []
    for event in events:
        found = _lineage_facet(event)
        if found is None:
            native.append(event)
        else:
            restored.append((event, *found))
    _restore(writer, restored)
    if not native:
        return
    runs, datasets = _collect(native)
    parents = {p: job for _, r in sorted(runs.items()) for p, job in sorted(r.parents.items())}
    refs = [("activity", run_id) for run_id in {*runs, *parents}]
    refs += [("dataset", dataset_node_name(*key)) for key in datasets]
    stored = current_by_name(writer.connection, refs)

    named: dict[str, tuple[str, str]] = {}
    for key, held in sorted(datasets.items()):
        name = dataset_node_name(*key)
        before = _stored_state(stored.get(("dataset", name)))
        other = named.setdefault(name, key)
        if before.get("namespace") is not None:
            other = (str(before["namespace"]), str(before.get("name")))
        if other != key:
            raise InvalidRecord(
                f"{held.where}: datasets {other[0]!r}/{other[1]!r} and {key[0]!r}/{key[1]!r} "
                f"would both be recorded as {name!r}"
            )
        merged = _Dataset(key[0], key[1], held.where)
        times: dict[str, str] = before.get("facet_times") or {}
        for facet, value in (before.get("facets") or {}).items():
            merged.offer(facet, times.get(facet, ""), value)
        for facet, (time, _, value) in held.facets.items():
            merged.offer(facet, time, value)
        state = {
            "namespace": key[0],
            "name": key[1],
            "facets": {f: v for f, (_, _, v) in sorted(merged.facets.items())},
            "facet_times": {f: t for f, (t, _, _) in sorted(merged.facets.items())},
        }
        _merged_node(
            writer, "dataset", name, dataset_facts(state), stored.get(("dataset", name)), held.where
        )

    for run_id, run in sorted(runs.items()):
        before = _stored_state(stored.get(("activity", run_id)))
        if before and before.get("job") != run.job:
            raise InvalidRecord(
                f"{run.where}: field 'job': run {run_id} is recorded for job "
                f"{before['job']['namespace']}/{before['job']['name']}, not "
                f"{run.job['namespace']}/{run.job['name']}"
            )
        merged_events = {_canonical(e): e for e in before.get("events") or ()}
        merged_events.update(run.events)
        state = {
            "runId": run_id,
            "job": run.job,
            "events": [merged_events[k] for k in sorted(merged_events)],
        }
        _merged_node(
            writer,
            "activity",
            run_id,
            run_facts(state),
            stored.get(("activity", run_id)),
            run.where,
        )
    for parent_id, job in sorted(parents.items()):
        if parent_id not in runs and ("activity", parent_id) not in stored:
            # A parent known only from its children: recorded with no events yet, so
            # its own events later merge into it exactly as if they had come first.
            state = {"runId": parent_id, "job": job, "events": []}
            writer.add_node(PendingNode("activity", parent_id, run_facts(state), where="parent"))

    for producer in sorted({p for r in runs.values() for p in r.producers}):
        writer.add_node(PendingNode("agent", producer, producer_facts(producer)))
    for run_id, run in sorted(runs.items()):
        me = ("activity", run_id)
        # Each read and write is of a version of the dataset (lineage.store.versions):
        # the run's own times decide which, this batch's first eventTime when it has none.
        for key in sorted(run.inputs - run.outputs):
            # A dataset a run both reads and rewrites is recorded as its output only:
            # the graph stays acyclic, and the event itself is kept whole.
            target = ("dataset", dataset_node_name(*key))
            hint = VersionHint(time=run.first_time, named=run.named.get(key))
            writer.add_edge(PendingEdge(me, target, Relation.USED.value, run.where, version=hint))
        for key in sorted(run.outputs):
            target = ("dataset", dataset_node_name(*key))
            change = run.lifecycle.get(key)
            hint = VersionHint(
                time=run.first_time, write=_write_mode(change), named=run.named.get(key)
            )
            # A drop generates nothing: it ends the history of the version it finds.
            relation = (
                Relation.WAS_INVALIDATED_BY if change == "DROP" else Relation.WAS_GENERATED_BY
            )
            writer.add_edge(PendingEdge(target, me, relation.value, run.where, version=hint))
            old = run.renamed_from.get(key)
            if change == "RENAME" and old is not None:
                renamed = VersionHint(time=run.first_time, run=run_id)
                writer.add_edge(
                    PendingEdge(
                        target,
                        ("dataset", dataset_node_name(*old)),
                        Relation.WAS_REVISION_OF.value,
                        run.where,
                        role=RENAMED_ROLE,
                        version=renamed,
                        optional=True,
                    )
                )
        for producer in sorted(run.producers):
            writer.add_edge(
                PendingEdge(
                    me,
                    ("agent", producer),
                    Relation.WAS_ASSOCIATED_WITH.value,
                    run.where,
                    role="producer",
                )
            )
        for parent_id in sorted(run.parents):
            writer.add_edge(
                PendingEdge(
                    me,
                    ("activity", parent_id),
                    Relation.WAS_INFORMED_BY.value,
                    run.where,
                    role="parent",
                )
            )
