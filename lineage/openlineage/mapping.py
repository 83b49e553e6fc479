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

from lineage.characters import hidden_character
from lineage.errors import InvalidRecord
from lineage.openlineage.events import Event
from lineage.openlineage.jobs import (
    DeclaredJob,
    add_declared_jobs,
    collect_job_event,
    lenient_marks,
)
from lineage.store.pending import PendingEdge, PendingNode
from lineage.store.resolve import current_by_name
from lineage.store.tables import FACT_COLUMNS, JSON_COLUMNS
from lineage.store.write import Writer
from lineage.validation import canonical_json, describe_error, utc_text
from lineage.vocabulary import Kind, Relation

LINEAGE_FACET = "lineage"  # our own facet: records and relations as stored
TERMINAL = {"COMPLETE": "completed", "FAIL": "failed", "ABORT": "failed"}
REASON = "OpenLineage events merged"


def dataset_node_name(namespace: str, name: str) -> str:
    """The record name of an OpenLineage dataset: its namespace and name joined into the
    dataset's URI, as OpenLineage's naming spec writes it.

    `postgres://db:5432` + `analytics.public.orders` -> `postgres://db:5432/analytics.public.orders`;
    `hdfs://nn:8020` + `/user/x` -> `hdfs://nn:8020/user/x`; `file` + `/data/x` ->
    `file:///data/x`. A namespace that is no URI (`bigquery`) is joined with a slash.
    """
    if "://" in namespace:
        base = namespace.rstrip("/")
        return base + name if name.startswith("/") else f"{base}/{name}"
    scheme = namespace.rstrip(":")
    if scheme in _PATH_SCHEMES and name.startswith("/"):
        return f"{scheme}://{name}"
    return f"{namespace}/{name}"


# Namespaces that are a bare scheme for paths (OpenLineage writes local files as `file`).
_PATH_SCHEMES = frozenset({"file", "hdfs", "s3", "s3a", "gs", "abfss", "wasbs", "dbfs"})


def legacy_dataset_name(namespace: str, name: str) -> str:
    """The name releases before schema 6 gave a dataset (`file//data/x`, `hdfs://nn//x`)."""
    return f"{namespace}/{name}"


def _symlinks(held: _Dataset) -> list[tuple[str, str, str]]:
    """(namespace, name, type) of the dataset's OpenLineage `symlinks` facet, sorted."""
    facet = held.facets.get("symlinks")
    value = facet[2] if facet else None
    found: set[tuple[str, str, str]] = set()
    for item in (value or {}).get("identifiers") or () if isinstance(value, dict) else ():
        if isinstance(item, dict):
            namespace, name = item.get("namespace"), item.get("name")
            if isinstance(namespace, str) and isinstance(name, str) and namespace and name:
                _visible(namespace, held.where, "facets.symlinks.namespace")
                _visible(name, held.where, "facets.symlinks.name")
                found.add((namespace, name, str(item.get("type") or "")))
    return sorted(found)


def join_dataset_names(writer: Writer, datasets: dict[tuple[str, str], _Dataset]) -> None:
    """Make each dataset's other names aliases of one record, merging their datasets.

    A dataset and its `symlinks` (Spark's path of a Hive table) are one record: a name
    already recorded stays the record's name; a new record takes the name of its first
    TABLE symlink. A name recorded by an earlier release (`file//data/x`) keeps its
    record, which the URI (`file:///data/x`) becomes another name of.
    """
    groups: list[list[tuple[str, str]]] = []
    wheres = {key: held.where for key, held in datasets.items()}
    for key, held in sorted(datasets.items()):
        links = [(ns, n) for ns, n, kind in _symlinks(held) if kind.upper() == "TABLE"]
        links += [(ns, n) for ns, n, kind in _symlinks(held) if kind.upper() != "TABLE"]
        groups.append([*links, key])
    names = {
        n
        for group in groups
        for k in group
        for n in (dataset_node_name(*k), legacy_dataset_name(*k))
    }
    writer.load_aliases(names)
    writer.resolver.load(names)
    for group in groups:
        own = group[-1]
        recorded = [
            name
            for k in [own, *group[:-1]]
            for name in _both_names(k)
            if writer.resolver.find(("dataset", name)) is not None
        ]
        canonical = recorded[0] if recorded else None
        if canonical is None:
            known = [
                writer.alias_names[n]
                for k in group
                if (n := dataset_node_name(*k)) in writer.alias_names
            ]
            canonical = known[0] if known else dataset_node_name(*group[0])
        for k in group:
            for name in {dataset_node_name(*k), legacy_dataset_name(*k)} - {canonical}:
                if name == legacy_dataset_name(*k) and name != dataset_node_name(*k):
                    continue  # an old form is only ever the name of a record recorded then
                if writer.resolver.find(("dataset", name)) is None:
                    writer.add_alias("dataset", name, canonical, wheres.get(k, wheres[own]))
        rep = _representative(group, canonical)
        merged = datasets.get(rep) or _Dataset(rep[0], rep[1], wheres[own])
        for k in group:
            if k != rep and k in datasets:
                for facet, (time, _, value) in datasets.pop(k).facets.items():
                    merged.offer(facet, time, value)
        datasets[rep] = merged


def _both_names(key: tuple[str, str]) -> tuple[str, str]:
    return dataset_node_name(*key), legacy_dataset_name(*key)


def _representative(group: list[tuple[str, str]], canonical: str) -> tuple[str, str]:
    """The (namespace, name) whose dataset is recorded as the record `canonical`."""
    for key in group:
        if canonical in (dataset_node_name(*key), legacy_dataset_name(*key)):
            return key
    return group[-1]


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
    if event.is_job_event:  # a declared job, as `export` writes it
        facet = (data["job"].get("facets") or {}).get(LINEAGE_FACET)
        return (facet, "job.facets.lineage") if isinstance(facet, dict) else None
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
    roots: dict[str, dict[str, str]] = field(default_factory=dict)  # the parent facet's root


@dataclass
class _Dataset:
    namespace: str
    name: str
    where: str
    facets: dict[str, tuple[str, bytes, Any]] = field(default_factory=dict)  # (time, key, value)
    lenient: set[str] = field(default_factory=set)  # what --lenient let through, per event

    def offer(self, facet: str, time: str, value: Any) -> None:
        """Keep the value of the latest event (ties broken by content, so order never matters)."""
        candidate = (time, _canonical(value), value)
        held = self.facets.get(facet)
        if held is None or candidate[:2] > held[:2]:
            self.facets[facet] = candidate


def _job_of(data: dict[str, Any]) -> dict[str, str]:
    return {"namespace": data["namespace"], "name": data["name"]}


def _collect(
    events: list[Event], jobs: dict[str, DeclaredJob]
) -> tuple[dict[str, _Run], dict[tuple[str, str], _Dataset]]:
    """The runs and datasets of `events`; JobEvents' jobs go to `jobs`."""
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
        if event.is_job_event:
            _collect_declared(event, time, dataset, datasets, jobs)
            continue
        if not event.is_run_event:
            key = dataset(data["dataset"], event.where, "dataset")
            for facet, value in (data["dataset"].get("facets") or {}).items():
                datasets[key].offer(facet, time, value)
            datasets[key].lenient.update(f"DatasetEvent at {time}: {m}" for m in event.lenient)
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
        run.producers.add(data["producer"])
        parent = (data["run"].get("facets") or {}).get("parent")
        if isinstance(parent, dict):
            run.parents[parent["run"]["runId"].lower()] = _job_of(parent["job"])
            run.roots.update(_root_of(parent, run_id))
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
                # An input named only in an output's column lineage is still an input.
                lineage = (item.get("facets") or {}).get("columnLineage")
                if side == "outputs" and isinstance(lineage, dict):
                    for source in _column_inputs(lineage):
                        run.inputs.add(
                            dataset(source, event.where, f"{side}[{index}].facets.columnLineage")
                        )
    return runs, datasets


def _collect_declared(
    event: Event,
    time: str,
    dataset: Any,
    datasets: dict[tuple[str, str], _Dataset],
    jobs: dict[str, DeclaredJob],
) -> None:
    """A JobEvent: its datasets' facets, and the inputs and outputs its job declares."""
    data = event.data
    _visible(data["job"]["namespace"], event.where, "job.namespace")
    _visible(data["job"]["name"], event.where, "job.name")
    sides: dict[str, set[tuple[str, str]]] = {"inputs": set(), "outputs": set()}
    for side, keys in sides.items():
        for index, item in enumerate(data.get(side) or ()):
            key = dataset(item, event.where, f"{side}[{index}]")
            for facet, value in (item.get("facets") or {}).items():
                datasets[key].offer(facet, time, value)
            keys.add(key)
    collect_job_event(jobs, event, sides["inputs"], sides["outputs"])


def _root_of(parent: dict[str, Any], run_id: str) -> dict[str, dict[str, str]]:
    """The root run of a parent facet (ParentRunFacet 1-1-0), unless it is the parent or
    the run itself."""
    root = parent.get("root")
    if not isinstance(root, dict):
        return {}
    root_id = str(root["run"]["runId"]).lower()
    if root_id in (run_id, str(parent["run"]["runId"]).lower()):
        return {}
    return {root_id: _job_of(root["job"])}


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


# Producers are a repository URL at a tag: the OpenLineage integrations and clients
# (.../OpenLineage/tree/1.24.0/integration/spark, .../tree/1.54.0/client/python), Airflow's
# provider, whose tags carry the package's name (.../apache/airflow/tree/providers-openlineage/
# 1.14.0), or a `v` (.../releases/tag/v0.3.1). A branch (.../marquez/blob/main/...) names no
# version, and none is recorded.
_PRODUCER_VERSION = re.compile(
    r"/(?:tree|blob|releases/tag)/"
    r"(?:[A-Za-z][\w-]*/|[A-Za-z][\w-]*?-)?"  # a package's tag prefix: 'providers-openlineage/'
    r"v?(\d+(?:\.\d+)+[\w.+-]*)(?:/|$)"
)


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
    attrs: dict[str, Any] = {"openlineage": state}
    if state.get("lenient"):
        attrs["lenient"] = state["lenient"]
    facts["attrs"] = canonical_json(attrs)
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
    marks = lenient_marks(events)
    if marks:
        attrs["lenient"] = marks
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


def _merge_into_records(
    writer: Writer,
    datasets: dict[tuple[str, str], _Dataset],
    stored: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """Merge a dataset named by another name of a recorded record (a table's path) into
    the dataset the record was made from, so its state keeps the record's own name."""
    for key in sorted(datasets):
        name = dataset_node_name(*key)
        record = writer.canonical(("dataset", name))
        if record[1] == name:
            continue
        state = _stored_state(stored.get(("dataset", record[1])))
        if not isinstance(state.get("namespace"), str) or not isinstance(state.get("name"), str):
            continue
        own = (state["namespace"], state["name"])
        if own == key:
            continue
        held = datasets.pop(key)
        merged = datasets.setdefault(own, _Dataset(own[0], own[1], held.where))
        for facet, (time, _, value) in held.facets.items():
            merged.offer(facet, time, value)


def _by_any_name(
    writer: Writer,
    stored: dict[tuple[str, str], dict[str, Any]],
    datasets: dict[tuple[str, str], _Dataset],
) -> dict[tuple[str, str], dict[str, Any]]:
    """`stored`, with each dataset's record also under the name its events give it."""
    for key in datasets:
        name = dataset_node_name(*key)
        record = ("dataset", writer.canonical(("dataset", name))[1])
        if record in stored:
            stored.setdefault(("dataset", name), stored[record])
    return stored


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
    jobs: dict[str, DeclaredJob] = {}
    runs, datasets = _collect(native, jobs)
    join_dataset_names(writer, datasets)
    parents = {
        p: job
        for _, r in sorted(runs.items())
        for p, job in sorted({**r.roots, **r.parents}.items())
    }
    refs = [("activity", run_id) for run_id in {*runs, *parents}]
    refs += [("dataset", writer.canonical(("dataset", dataset_node_name(*k)))[1]) for k in datasets]
    stored = current_by_name(writer.connection, refs)
    _merge_into_records(writer, datasets, stored)
    stored = _by_any_name(writer, stored, datasets)

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
            **_lenient_state(before, held),
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
        for key in sorted(run.inputs - run.outputs):
            # A dataset a run both reads and rewrites is recorded as its output only:
            # the graph stays acyclic, and the event itself is kept whole.
            target = ("dataset", dataset_node_name(*key))
            writer.add_edge(PendingEdge(me, target, Relation.USED.value, run.where))
        for key in sorted(run.outputs):
            target = ("dataset", dataset_node_name(*key))
            writer.add_edge(PendingEdge(target, me, Relation.WAS_GENERATED_BY.value, run.where))
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
        _add_root_edges(writer, me, run)
    add_declared_jobs(writer, jobs, dataset_node_name, producer_facts)


def _add_root_edges(writer: Writer, me: tuple[str, str], run: _Run) -> None:
    """The run was informed by its root run (the parent facet's `root`: the Airflow DAG run
    above the task that started a Spark job), as well as by its parent."""
    for root_id in sorted(set(run.roots) - set(run.parents)):
        writer.add_edge(
            PendingEdge(
                me,
                ("activity", root_id),
                Relation.WAS_INFORMED_BY.value,
                run.where,
                role="root",
            )
        )


def _lenient_state(before: dict[str, Any], held: _Dataset) -> dict[str, Any]:
    """The marks `--lenient` left on a dataset's events, kept with its state (empty: none)."""
    marks = set(before.get("lenient") or ()) | held.lenient
    return {"lenient": sorted(marks)} if marks else {}
