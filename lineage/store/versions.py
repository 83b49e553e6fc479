"""Dataset versions: each write of a dataset by another run is a record of its own.

A table that several runs write is not one thing: the pie baked in September was
made from September's apples, October's pie from October's. So the write path
turns every `was_generated_by` of a dataset that carries a `VersionHint` into a
write of a *version* (not to be confused with a record's amendments, the rows
`node.version` counts):

- the first write of a dataset is the dataset record itself (version 1), unless
  runs read the record before it (they read older content: the write is version 2);
- each write by another run is a new dataset record `NAME@vN` (N counts the
  versions in the order they were recorded), with `effective` the write's event
  time and `attrs.dataset_version` what it is a version of, and relations:
  `was_generated_by` the run, `specialization_of` the dataset (PROV
  specializationOf: the dataset as a whole, which upstream closures do not
  follow) and, when the write keeps the previous content (an append),
  `was_revision_of` the version current before it (PROV wasRevisionOf; a
  revision of the dataset record itself is only that, one relation per pair);
- a `used` of a dataset resolves to the version current at the run's event time
  (the latest version whose time is at or before it), or to the version the
  event names;
- a drop (OpenLineage's lifecycleStateChange DROP) is `was_invalidated_by` from
  the current version to the dropping run: no new version is generated.

The time of a version is its `effective` (the write's event time); version 1
has the time of its writing run (its end, else its start). A read's time is the
run's start (else its end); a run with no times is taken to happen when it is
recorded. Nothing is ever rewritten: a write that arrives after a reader it
preceded becomes a version like any other, and the reader keeps the version it
was resolved to; `lineage check` reports it (`version-order`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import Connection

from lineage.canonical import canonical_json, utc_text
from lineage.errors import UnknownNode
from lineage.store.engine import fetch_rows
from lineage.store.pending import PendingEdge, PendingNode, Ref
from lineage.store.resolve import NameResolver, current_versions, prefix
from lineage.store.tables import NODE_COLUMNS

# A version's name: the dataset's name, '@v' and its number. Reserved by convention
# (README): a dataset named so is taken as a version named outright.
VERSION_NAME = re.compile(r"^(?P<dataset>.+)@v(?P<number>[1-9][0-9]*)$")
_EARLIEST = datetime.min.replace(tzinfo=UTC)

GENERATED, USED = "was_generated_by", "used"
REVISION, SPECIALIZATION, INVALIDATED = "was_revision_of", "specialization_of", "was_invalidated_by"


def version_name(dataset: str, number: int) -> str:
    """The record name of version `number` of `dataset` (`orders@v2`); 1 is `dataset`."""
    return dataset if number == 1 else f"{dataset}@v{number}"


def moment(text: str | None) -> datetime | None:
    """A stored time or date as an aware datetime (None stays None)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class Version:
    """A version of a dataset as the write path sees it."""

    id: int | None  # None: made in this transaction
    name: str
    number: int
    time: datetime | None
    writer: str | None = None  # the run that generated it
    named: str | None = None  # the version the events called it (datasetVersion)
    dropped: datetime | None = None
    write: str | None = None  # 'append' or 'overwrite' (None: version 1)


@dataclass
class History:
    """Every version of one dataset, recorded or made in this transaction."""

    dataset: str
    id: int
    versions: list[Version] = field(default_factory=list)
    first_read: datetime | None = None
    """The earliest time a run read the dataset record while no run had written it: a
    write after that is a new version, not the content those runs read."""

    def read_at(self, at: datetime) -> None:
        if self.versions[0].writer is None and (self.first_read is None or at < self.first_read):
            self.first_read = at

    def current(self, at: datetime | None, reader: str | None = None) -> Version:
        """The version in force at `at` (None: the latest), leaving out what `reader`
        wrote itself (a run that reads and rewrites a table reads the version before)."""
        chosen = self.versions[0]
        for version in self.versions:
            if reader is not None and version.writer == reader and version.number > 1:
                continue
            when = version.time or _EARLIEST
            if (at is None or when <= at) and (when, version.number) >= (
                chosen.time or _EARLIEST,
                chosen.number,
            ):
                chosen = version
        return chosen

    def written_by(self, run: str) -> Version | None:
        return next((v for v in self.versions if v.writer == run), None)


class VersionSink(Protocol):
    """What the planner needs of the writer (lineage.store.write.Writer)."""

    connection: Connection
    resolver: NameResolver
    max_node: int  # the last record id written before this transaction

    def add_version_record(self, pending: PendingNode) -> None: ...

    def transaction_rows(self) -> Iterable[tuple[Any, ...]]: ...


def _chunks(ids: Iterable[int]) -> Iterable[str]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), 500):
        yield ", ".join(str(int(n)) for n in ordered[i : i + 500])


class VersionPlanner:
    """Rewrites the dataset ends of hinted relations to versions (see the module)."""

    def __init__(self, sink: VersionSink) -> None:
        self.sink = sink
        self.histories: dict[int, History] = {}
        self.times: dict[str, tuple[datetime | None, datetime | None]] = {}
        self.now = datetime.now(UTC).replace(microsecond=0)

    # -- what the store holds -------------------------------------------------------------
    def _load(self, datasets: dict[int, str]) -> None:
        wanted = {i: n for i, n in datasets.items() if i not in self.histories}
        if not self.sink.max_node:  # an empty store: every history starts here
            for node_id, name in wanted.items():
                self.histories[node_id] = History(name, node_id, [Version(node_id, name, 1, None)])
        elif wanted:
            self.histories.update(load_histories(self.sink.connection, wanted, self.now))

    def _prefetch_times(self, runs: Iterable[str]) -> None:
        """Read the start and end of every run named, from this transaction or the store,
        in bulk (a first import resolves hundreds of thousands of them)."""
        find = self.sink.resolver.find
        ids: dict[int, str] = {}
        for run in set(runs) - set(self.times):
            found = find(("activity", run))
            if found is None:
                self.times[run] = (None, None)
            else:
                ids[found[1]] = run
        if not ids:
            return
        node_id, started, ended = (NODE_COLUMNS.index(c) for c in ("node_id", "started", "ended"))
        # In order, so that a later amendment wins; the rows of other records skipped
        # in one comprehension (a first import holds hundreds of thousands).
        rows = [row for row in self.sink.transaction_rows() if row[node_id] in ids]
        for written in rows:
            self.times[ids[written[node_id]]] = (moment(written[started]), moment(written[ended]))
        stored = [i for i, run in ids.items() if run not in self.times]
        if stored and self.sink.max_node:
            for found_id, row in current_versions(self.sink.connection, stored).items():
                self.times[ids[found_id]] = (moment(row.get("started")), moment(row.get("ended")))
        for run in ids.values():
            self.times.setdefault(run, (None, None))

    def _run_times(self, run: str) -> tuple[datetime | None, datetime | None]:
        """(start, end) of a run, from this transaction or the store."""
        if run not in self.times:
            self._prefetch_times([run])
        return self.times.get(run, (None, None))

    def _known_time(self, edge: PendingEdge, run: str, write: bool) -> datetime | None:
        """A write happens when its run ends, a read when it starts; the hint's time
        when the run has neither (None: no time is known)."""
        assert edge.version is not None
        started, ended = self._run_times(run)
        first, second = (ended, started) if write else (started, ended)
        return first or second or moment(edge.version.time)

    def _time(self, edge: PendingEdge, run: str, write: bool) -> datetime:
        """`_known_time`, else the time of recording."""
        return self._known_time(edge, run, write) or self.now

    # -- planning -------------------------------------------------------------------------
    def plan(self, edges: list[PendingEdge]) -> list[PendingEdge]:
        """`edges` with each hinted dataset end replaced by the version it means, and the
        relations of the versions made for them; version records are added to the sink."""
        resolver = self.sink.resolver
        resolver.load(r[1] for e in edges if e.version is not None for r in (e.subject, e.object))
        # Each edge is replaced in place, and the relations of datasets go after the
        # others, as on the bulk path (which writes the others as they come): the order
        # decides which relation an error names (the one that closes a cycle is the last
        # given), and both paths write the same rows.
        out: list[list[PendingEdge]] = [[edge] for edge in edges]
        hinted: list[tuple[int, PendingEdge, int, str]] = []  # place, edge, dataset id, run
        datasets: dict[int, str] = {}
        for place, edge in enumerate(edges):
            if edge.version is None:
                continue
            if edge.relation == USED:
                dataset_ref, run = edge.object, edge.subject[1]
            elif edge.relation == REVISION:  # a rename: the old name is read
                dataset_ref, run = edge.object, edge.version.run or ""
            else:
                dataset_ref, run = edge.subject, edge.object[1]
            named = VERSION_NAME.match(dataset_ref[1])
            if named and named["number"] == "1" and edge.relation == USED:
                # Version 1 is the dataset record itself: `--input orders@v1` reads it.
                out[place] = [_plain(edge, obj=(dataset_ref[0], named["dataset"]))]
                continue
            found = resolver.find(dataset_ref)
            if found is None or found[0] != "dataset" or named:
                # Not a dataset, not recorded (the normal path says so), or a version named
                # outright (`run record --input orders@v2`): as given (the hint is not read
                # after planning).
                continue
            datasets[found[1]] = dataset_ref[1]
            hinted.append((place, edge, found[1], run))
        if not hinted:
            return [edge for group in out for edge in group]
        last = {place for place, _, _, _ in hinted}
        hinted = self._with_versions(hinted)
        if hinted:
            self._load({d: datasets[d] for _, _, d, _ in hinted})
            self._plan(hinted, out)
        first = [e for place, group in enumerate(out) if place not in last for e in group]
        return first + [e for place, group in enumerate(out) if place in last for e in group]

    def versioned(self, hinted: list[tuple[int, PendingEdge, int, str]]) -> bool:
        """Whether any dataset of `hinted` (place, edge, dataset id, run), reads and
        writes of datasets, may have versions: if not, `plan` leaves them as given."""
        return bool(self._with_versions(hinted))

    def _with_versions(
        self, hinted: list[tuple[int, PendingEdge, int, str]]
    ) -> list[tuple[int, PendingEdge, int, str]]:
        """The hinted relations of the datasets that may have versions; the others' relations
        mean the dataset record itself and stay as given.

        A dataset first recorded in this transaction (or any, in an empty store) has no
        version yet: when one run at most writes it, and no reader's time comes before
        that write's, every read and the write are of the record, as `_plan` would find.
        Deciding that takes one pass and no history, which is what a first import of
        hundreds of thousands of datasets needs.
        """
        stored = self.sink.max_node
        writer: dict[int, str] = {}
        readers: dict[int, list[str]] = {}
        versioned: set[int] = set()
        for _, edge, dataset, run in hinted:
            hint = edge.version
            assert hint is not None
            if dataset <= stored or hint.named is not None or hint.time is not None:
                versioned.add(dataset)
            elif edge.relation == GENERATED:
                if writer.setdefault(dataset, run) != run:
                    versioned.add(dataset)
            elif edge.relation == USED:
                readers.setdefault(dataset, []).append(run)
            else:  # a drop, a rename (both names, see _written_version)
                versioned.add(dataset)
                if edge.relation == REVISION:
                    found = self.sink.resolver.find(edge.subject)
                    if found is not None:
                        versioned.add(found[1])
        read_and_written = [d for d in writer if d in readers and d not in versioned]
        self._prefetch_times(writer[d] for d in read_and_written)
        timed: list[tuple[int, datetime]] = []
        for dataset in read_and_written:
            started, ended = self.times[writer[dataset]]
            written = ended or started
            if written is not None:  # a write of unknown time is the record (see _write)
                timed.append((dataset, written))
        self._prefetch_times(r for d, _ in timed for r in readers[d])
        for dataset, written in timed:
            for run in readers[dataset]:
                started, ended = self.times[run]
                read = started or ended
                if read is not None and read < written:
                    versioned.add(dataset)
                    break
        return [h for h in hinted if h[2] in versioned]

    def _plan(
        self, hinted: list[tuple[int, PendingEdge, int, str]], out: list[list[PendingEdge]]
    ) -> None:
        self._prefetch_times(run for _, _, _, run in hinted)
        writes = [h for h in hinted if h[1].relation == GENERATED]
        drops = [h for h in hinted if h[1].relation == INVALIDATED]
        reads = [h for h in hinted if h[1].relation not in (GENERATED, INVALIDATED)]
        for _, edge, dataset, run in reads:
            if edge.relation == USED and edge.version is not None and edge.version.named is None:
                read = self._known_time(edge, run, False)
                if read is not None:
                    self.histories[dataset].read_at(read)
        # Writes in the order of their times, so that numbers follow time within a batch.
        timed = sorted(
            ((self._time(e, r, True), r, p, e, d) for p, e, d, r in writes),
            key=lambda w: (w[0], w[1], w[2]),
        )
        for when, run, place, edge, dataset in timed:
            known = self._known_time(edge, run, True) is not None
            out[place] = self._write(edge, self.histories[dataset], run, when, known)
        for place, edge, dataset, run in drops:
            history = self.histories[dataset]
            when = self._time(edge, run, True)
            version = history.current(when)
            version.dropped = version.dropped or when
            out[place] = [_plain(edge, subject=("dataset", version.name))]
        read_versions = self._recorded_reads([(e, d, r) for _, e, d, r in reads])
        for place, edge, dataset, run in reads:
            history = self.histories[dataset]
            assert edge.version is not None
            if edge.version.named is not None:
                version = self._named(history, edge.version.named, edge)
            elif (run, dataset) in read_versions:
                version = read_versions[(run, dataset)]  # recorded before: the same fact again
            else:
                version = history.current(self._time(edge, run, False), run)
            if edge.relation == USED:
                out[place] = [_plain(edge, obj=("dataset", version.name))]
            else:  # a rename: the new name's version from the old name's version
                written = self._written_version(edge)
                out[place] = [_plain(edge, subject=written, obj=("dataset", version.name))]

    def _written_version(self, edge: PendingEdge) -> Ref:
        """The version of the renamed dataset (the subject) that the rename's run wrote."""
        found = self.sink.resolver.find(edge.subject)
        assert edge.version is not None
        if found is None or found[1] not in self.histories:
            return edge.subject
        version = self.histories[found[1]].written_by(edge.version.run or "")
        return ("dataset", version.name) if version else edge.subject

    def _recorded_reads(self, reads: list[tuple[PendingEdge, int, str]]) -> dict[Any, Version]:
        """For runs that already read a version of a dataset: that version, by (run, dataset)."""
        runs: dict[int, str] = {}
        for edge, _, run in reads:
            found = self.sink.resolver.find(edge.subject) if edge.relation == USED else None
            if found is not None and found[1] <= self.sink.max_node:
                runs[found[1]] = run
        if not runs:
            return {}
        by_id = {
            v.id: (h.id, v) for h in self.histories.values() for v in h.versions if v.id is not None
        }
        found_reads: dict[Any, Version] = {}
        for marks in _chunks(runs):
            rows = fetch_rows(
                self.sink.connection,
                "SELECT subject, object FROM edge "
                f"WHERE relation = 'used' AND subject IN ({marks})",
                {},
            )
            for subject, obj in rows:
                if obj in by_id:
                    dataset, version = by_id[obj]
                    found_reads[(runs[subject], dataset)] = version
        return found_reads

    def _named(self, history: History, named: str, edge: PendingEdge) -> Version:
        for version in history.versions:
            if named in (version.named, f"v{version.number}", version.name):
                return version
        raise UnknownNode(
            f"{prefix(edge.where)}dataset {history.dataset!r} has no version {named!r} recorded"
        )

    def _write(
        self, edge: PendingEdge, history: History, run: str, when: datetime, known: bool = True
    ) -> list[PendingEdge]:
        assert edge.version is not None
        hint = edge.version
        done = history.written_by(run)
        if done is not None:
            return [_plain(edge, subject=("dataset", done.name))]
        first = history.versions[0]
        # A write of unknown time cannot be placed after a read: it is the record.
        unread = history.first_read is None or not known or history.first_read >= when
        if first.writer is None and len(history.versions) == 1 and unread:
            # The first write of a dataset is the dataset record itself (unless runs read
            # the record before it: what they read was not this write).
            first.writer, first.time, first.named = run, when, hint.named
            return [_plain(edge)]
        previous = history.current(when)
        number = max(v.number for v in history.versions) + 1
        while self.sink.resolver.find(("dataset", version_name(history.dataset, number))):
            number += 1
        name = version_name(history.dataset, number)
        info: dict[str, Any] = {
            "of": history.dataset,
            "number": number,
            "run": run,
            "time": utc_text(when),
            "write": hint.write,
        }
        if hint.named is not None:
            info["named"] = hint.named
        self.sink.add_version_record(
            PendingNode(
                "dataset",
                name,
                {"attrs": canonical_json({"dataset_version": info})},
                where=edge.where,
                effective=utc_text(when),
            )
        )
        history.versions.append(Version(None, name, number, when, run, hint.named))
        me = ("dataset", name)
        made = [_plain(edge, subject=me)]
        revises = hint.write == "append" and previous.dropped is None
        if not revises or previous.number != 1:
            # A revision of the dataset record itself says it is a version of it too:
            # one relation per pair, as graph exports hold them.
            made.append(PendingEdge(me, ("dataset", history.dataset), SPECIALIZATION, edge.where))
        if revises:
            made.append(PendingEdge(me, ("dataset", previous.name), REVISION, edge.where))
        return made


def with_versions(connection: Connection, ids: Iterable[int]) -> set[int]:
    """Those of the dataset records `ids` whose history is more than their first
    version: revised (a later version names them) or dropped. `load_histories` of the
    others gives one version, never dropped, and need not read anything."""
    found: set[int] = set()
    for marks in _chunks(ids):
        found.update(
            row[0]
            for row in fetch_rows(
                connection,
                "SELECT DISTINCT e.object FROM edge e WHERE e.relation IN "
                f"('was_revision_of', 'specialization_of') AND e.object IN ({marks}) "
                "UNION SELECT DISTINCT e.subject FROM edge e "
                f"WHERE e.relation = 'was_invalidated_by' AND e.subject IN ({marks})",
                {},
            )
        )
    return found


def load_histories(
    connection: Connection, wanted: dict[int, str], now: datetime, bound: int | None = None
) -> dict[int, History]:
    """The recorded versions of the datasets `wanted` (id -> name), with their writers,
    times and drops (a drop with no time is taken at `now`), as recorded up to ledger
    transaction `bound` (None: everything)."""
    node_tx = f" AND n.tx <= {int(bound)}" if bound is not None else ""
    edge_tx = f" AND e.tx <= {int(bound)}" if bound is not None else ""
    histories: dict[int, History] = {}
    for node_id, name in wanted.items():
        histories[node_id] = History(name, node_id, [Version(node_id, name, 1, None)])
    by_id: dict[int, Version] = {i: histories[i].versions[0] for i in wanted}
    found_rows: list[tuple[int, int, str, str | None, str | None]] = []
    for marks in _chunks(wanted):
        found_rows += fetch_rows(
            connection,
            "SELECT e.object, n.id, n.name, n.effective, n.attrs FROM edge e "
            "JOIN node n ON n.id = e.subject "
            f"WHERE e.relation = 'specialization_of' AND e.object IN ({marks}){node_tx}{edge_tx}",
            {},
        )
    # A version is also found by its reserved name (`NAME@vN`, the names from 'NAME@v'
    # up to 'NAME@w', an index range) and the dataset its attrs name: a graph export
    # holds one relation per pair, so version 2 of an append comes back from PROV with
    # its `was_revision_of` the dataset record but not its `specialization_of`.
    revised: set[int] = set()
    for marks in _chunks(wanted):
        revised.update(
            row[0]
            for row in fetch_rows(
                connection,
                "SELECT DISTINCT e.object FROM edge e WHERE e.relation IN "
                f"('was_revision_of', 'specialization_of') AND e.object IN ({marks}){edge_tx}",
                {},
            )
        )
    for node_id, name in wanted.items():
        if node_id not in revised:
            continue
        found_rows += [
            (node_id, *row)
            for row in fetch_rows(
                connection,
                "SELECT n.id, n.name, n.effective, n.attrs FROM node n WHERE n.kind = 'dataset' "
                f"AND n.version = 1 AND n.name >= :low AND n.name < :high{node_tx}",
                {"low": f"{name}@v", "high": f"{name}@w"},
            )
        ]
    for dataset, node_id, name, effective, attrs in found_rows:
        found = VERSION_NAME.match(name)
        info = (orjson.loads(attrs) if attrs else {}).get("dataset_version") or {}
        if node_id in by_id or not found or info.get("of") != histories[dataset].dataset:
            continue
        number = int(found.group("number"))
        version = Version(node_id, name, number, moment(effective), named=info.get("named"))
        version.write = info.get("write")
        histories[dataset].versions.append(version)
        by_id[node_id] = version
    runs: dict[int, list[Version]] = {}
    for marks in _chunks(by_id):
        rows = fetch_rows(
            connection,
            "SELECT e.subject, e.object, e.relation, a.name FROM edge e "
            "JOIN node a ON a.id = e.object "
            "WHERE e.relation IN ('was_generated_by', 'was_invalidated_by') "
            f"AND e.subject IN ({marks}){edge_tx}",
            {},
        )
        for subject, run_id, relation, run_name in rows:
            version = by_id[subject]
            if relation == GENERATED:
                version.writer = version.writer or run_name
                if version.number == 1:
                    runs.setdefault(run_id, []).append(version)
            else:
                runs.setdefault(-run_id, []).append(version)
    # Runs that read a dataset record no run has written (yet): when the first did.
    unwritten = [i for i in wanted if histories[i].versions[0].writer is None]
    readers: dict[int, list[int]] = {}
    for marks in _chunks(unwritten):
        for dataset, run_id in fetch_rows(
            connection,
            "SELECT e.object, e.subject FROM edge e "
            f"WHERE e.relation = 'used' AND e.object IN ({marks}){edge_tx}",
            {},
        ):
            readers.setdefault(run_id, []).append(dataset)
    if readers:
        for run_id, row in current_versions(connection, list(readers)).items():
            at = moment(row.get("started") or row.get("ended"))
            if at is not None:
                for dataset in readers[run_id]:
                    histories[dataset].read_at(at)
    times = current_versions(connection, [abs(r) for r in runs]) if runs else {}
    for run_id, versions in runs.items():
        row = times.get(abs(run_id)) or {}
        for version in versions:
            if run_id > 0:
                version.time = version.time or moment(row.get("ended") or row.get("started"))
            else:
                version.dropped = moment(row.get("ended") or row.get("started")) or now
    return histories


def _plain(edge: PendingEdge, *, subject: Ref | None = None, obj: Ref | None = None) -> PendingEdge:
    return PendingEdge(
        subject or edge.subject,
        obj or edge.object,
        edge.relation,
        edge.where,
        role=edge.role,
        optional=edge.optional,
    )
