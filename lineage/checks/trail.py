"""The paper trail of one target: its upstream graph and what checks and reports ask of it.

`load_trail` reads everything once, in one consistent view of the store (the
ledger entry in force at `as_of`): the upstream graph, the approvals and
evaluations recorded against the target, and, when asked, whether each recorded
content digest still matches the files. Rules and report templates then only
read the `Trail`.
"""

from __future__ import annotations

import heapq
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
from sqlalchemy import Connection, select, text

from lineage.digests import digest_paths
from lineage.errors import InvalidRecord, NotYetRecorded, PathError
from lineage.governance.approvals import Approval, judge, upstream_digest
from lineage.governance.evaluations import Evaluation, evaluations_of
from lineage.governance.history import (
    LicenceClaim,
    RecordVersion,
    amended_histories,
    first_recorded,
    licence_claims,
)
from lineage.governance.records import RecordedCheck, Revocation, latest_checks, revocations
from lineage.graph.closure import closure
from lineage.graph.identity import Copy, copies_of
from lineage.graph.subgraph import other_outputs, read_subgraph
from lineage.licences import Licence, parse_licence
from lineage.store.data_root import current_data_root, real_path
from lineage.store.engine import fetch_rows
from lineage.store.tables import LEDGER
from lineage.store.versions import load_histories, moment, with_versions
from lineage.store.write import GC_PAUSE_ROWS, collector_paused
from lineage.validation import parse_time, utc_text
from lineage.vocabulary import ENTITY_KINDS, EXCLUDED_ROLE, NON_CONTENT_ROLES, REFERENCE_ROLE

if TYPE_CHECKING:  # the API sits above the checks; only its type is needed here
    from lineage.api import Store

logger = logging.getLogger(__name__)

DATA_RELATIONS = ("used", "was_generated_by", "was_derived_from", "was_revision_of")
"""Relations along which data flows; the others tie records to agents."""
_DATA_RELATION_SET = frozenset(DATA_RELATIONS)

DigestStatus = Literal["verified", "mismatch", "missing", "unreadable", "not-checked", "no-digest"]
IntendedUseOrigin = Literal["policy", "record", "default"]


@dataclass(frozen=True)
class LedgerHead:
    """The ledger entry a trail was read at: its sequence number, hash and time."""

    seq: int
    hash: str
    recorded_at: str


@dataclass(frozen=True)
class DigestCheck:
    """Whether a record's content digest still matches the content at its path."""

    status: DigestStatus
    recorded: str | None
    found: str | None = None
    path: str | None = None

    @property
    def text(self) -> str:
        """One line for reports: 'verified', 'MISMATCH: now sha256:...', ..."""
        if self.status == "mismatch":
            return f"MISMATCH: the content now hashes to {self.found}"
        if self.status == "missing":
            return f"cannot verify: {self.path} is gone"
        if self.status == "unreadable":
            return f"cannot verify: {self.path} cannot be read"
        if self.status == "not-checked":
            return "not checked"
        if self.status == "no-digest":
            return "no digest recorded"
        return "verified"


@dataclass(frozen=True)
class Use:
    """A run that used the target (an evaluation, a fine-tune, a training run)."""

    id: str
    operation: str | None
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    agents: tuple[str, ...]

    @property
    def evaluates(self) -> bool:
        """True for a run whose operation names an evaluation ('evaluate', 'eval-bias', ...)."""
        return "eval" in (self.operation or "").lower()


@dataclass(frozen=True, order=True)
class Reference:
    """An entity a run consulted as a tool, filter, classifier, blocklist or
    configuration (PROV `used` with the role `reference`): not training content there."""

    run: str
    entity: str
    content_of: tuple[str, ...] = ()
    """What uses it as content in the trail (another run that trains on the blocklist
    itself): there it is content, and checked as such; empty when it is only a tool."""

    @property
    def also_content(self) -> bool:
        """True when another path takes it into the target as content."""
        return bool(self.content_of)


@dataclass(frozen=True, order=True)
class Exclusion:
    """An upstream part a run deliberately removed (PROV `used`, role `excluded`)."""

    run: str
    entity: str
    content_of: tuple[str, ...] = ()
    """What uses it as content in the trail: a path that no run cut (Books3 removed from
    the Pile, and extracted again by another run); empty when it is removed everywhere."""

    @property
    def still_reaches(self) -> bool:
        """True when its content reaches the target along another path all the same."""
        return bool(self.content_of)


LicenceBasis = Literal["concluded", "declared", "claim", "none"]


@dataclass(frozen=True)
class LicenceHolder:
    """A record whose own licence or restrictions bind everything derived from it."""

    id: str
    licence: Licence | None
    restrictions: frozenset[str]
    """From the licence's SPDX ids and the record's own `restrictions`."""
    basis: LicenceBasis = "concluded"
    """Where `licence` comes from: the concluded licence; when none is concluded, the
    most restrictive of the publisher's declared licence and the claims; or none."""
    basis_text: str = ""
    """How the basis reads in findings: '' for a concluded licence."""

    @property
    def expression(self) -> str | None:
        return self.licence.expression if self.licence else None


@dataclass
class VersionRead:
    """A run that read a version of a dataset it should not have: `problem` is
    'out-of-order' (a write recorded after the run made another version current at
    its time) or 'dropped' (the version was dropped before the run)."""

    run: str
    read: str
    problem: Literal["out-of-order", "dropped"]
    current: str | None
    when: str


@dataclass
class Trail:
    """The upstream graph of `target` and the facts around it, read at one ledger entry.

    Nodes are 'kind:name' ids with the record's facts as attributes (see
    `Store.upstream`); `records` adds the records recorded against the target
    (approvals, evaluations and what they used and made), which are not upstream.
    """

    target: str
    graph: nx.DiGraph[str]
    """What the target's content was built from: references and excluded parts left out."""
    ledger: LedgerHead
    as_of: datetime | None
    moment: datetime
    """The time approvals and expiries are judged at: `as_of`, else the time of reading."""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    digests: dict[str, DigestCheck] = field(default_factory=dict)
    approvals: tuple[Approval, ...] = ()
    """Sign-offs on the target, judged at `moment` against this trail's graph."""
    revocations: tuple[Revocation, ...] = ()
    """Revocations of the target or of records upstream of it, recorded by this ledger entry."""
    verifications: dict[str, RecordedCheck] = field(default_factory=dict)
    """The latest recorded `lineage verify` result of each record with content."""
    uses: tuple[Use, ...] = ()
    """Runs that used the target, with what they used and made."""
    full: nx.DiGraph[str] | None = None
    """Everything upstream, references and excluded parts included (what diagrams draw
    and approvals are bound to); None when it is `graph` itself."""
    references: tuple[Reference, ...] = ()
    """Tools and references used by runs of the content trail, sorted."""
    exclusions: tuple[Exclusion, ...] = ()
    """Parts removed by runs of the content trail, sorted."""
    other_outputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Run -> what it generated besides the trail (FineWeb's non-English branch), sorted;
    their facts are in `records`."""
    claims: dict[str, tuple[LicenceClaim, ...]] = field(default_factory=dict)
    """Licence claims about the target and records upstream, by record, oldest first."""
    histories: dict[str, tuple[RecordVersion, ...]] = field(default_factory=dict)
    """Every version, oldest first, of each amended record in the graph."""
    recorded: dict[str, str] = field(default_factory=dict)
    """When each run in the graph was first recorded (its time when it states none)."""
    evaluation_results: tuple[Evaluation, ...] = ()
    """Every evaluation of the target (a model), oldest first, with independence, each
    bound to the upstream digests of the model and test data it was measured on."""
    test_data: dict[str, nx.DiGraph[str]] = field(default_factory=dict)
    """The upstream graph of each evaluation's test data (of a recorded result, or what a
    run that evaluated the target used), as recorded at this entry."""
    digests_now: dict[str, str] = field(default_factory=dict)
    """The upstream digest of the target and of each test data now ('kind:name' -> digest),
    when the target has evaluations or test data."""
    version_reads: tuple[VersionRead, ...] = ()
    """Runs of the trail that read a dataset version another was current for, or one
    that was dropped before they ran (lineage.store.versions)."""
    data_root: str | None = None
    """The store's data root in force, which relative recorded paths are read below."""
    copies: dict[str, tuple[Copy, ...]] = field(default_factory=dict)
    """Records in the graph -> the records anywhere holding the same content (digest)."""
    _parents: dict[str, str] | None = None
    _attributes: dict[str, Mapping[str, Any]] | None = None
    _by_kind: dict[str, list[str]] | None = None
    _chains: dict[str, list[str]] = field(default_factory=dict)
    _data_succ: dict[str, list[str]] | None = None
    _paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _generator: dict[str, str] | None = None
    _origins: list[str] | None = None
    _origin_lookup: frozenset[str] | None = None
    _order: list[str] | None = None
    _holders: list[LicenceHolder] | None = None
    _source_modalities: list[str] | None = None
    _memo: dict[str, Any] = field(default_factory=dict)
    """Results worked out once per trail by the checks (tier assessments)."""

    # -- records ------------------------------------------------------------------
    def facts(self, node: str) -> Mapping[str, Any]:
        """The attributes of `node` (its facts, kind, name, version and seal)."""
        if self._attributes is None:
            # A plain dict: networkx's node view costs more per lookup than the lookup.
            attributes: dict[str, Mapping[str, Any]] = {**self.records}
            # The graphs' own dicts of attributes: their views cost a step per record.
            if self.full is not None:
                attributes.update(self.full._node)
            attributes.update(self.graph._node)
            self._attributes = attributes
        return self._attributes[node]

    def facts_lookup(self) -> Callable[[str], Mapping[str, Any]]:
        """`facts`, as the lookup of the dict behind it: no Python call per record, for
        loops over a large trail's records (KeyError for a record it does not hold)."""
        self.facts(self.target)
        assert self._attributes is not None
        return self._attributes.__getitem__

    @property
    def whole(self) -> nx.DiGraph[str]:
        """Everything upstream of the target, references and excluded parts included."""
        return self.graph if self.full is None else self.full

    def is_reference_only(self, node: str) -> bool:
        """True for a record upstream only as (or behind) a tool or reference."""
        return node not in self.graph and node in self.whole

    def source_modalities(self) -> list[str]:
        """Every modality recorded on a source upstream, sorted (worked out once)."""
        if self._source_modalities is None:
            self._source_modalities = sorted(
                {m for s in self.of_kind("source") for m in self.facts(s).get("modality") or ()}
            )
        return self._source_modalities

    def has(self, node: str) -> bool:
        return node in self.whole or node in self.records

    def of_kind(self, kind: str) -> list[str]:
        """The upstream records of `kind` (the target included), sorted by id."""
        if self._by_kind is None:
            by_kind: dict[str, list[str]] = {}
            for node, facts in self.graph._node.items():  # the dict: no view per record
                by_kind.setdefault(facts["kind"], []).append(node)
            for nodes in by_kind.values():
                nodes.sort()
            self._by_kind = by_kind
        return list(self._by_kind.get(kind, ()))

    @property
    def evaluations(self) -> tuple[Use, ...]:
        """The runs that evaluated the target."""
        return tuple(use for use in self.uses if use.evaluates)

    @property
    def target_kind(self) -> str:
        return str(self.graph.nodes[self.target]["kind"])

    # -- relations ----------------------------------------------------------------
    def _read_relations(self) -> None:
        """Build `data_successors` and the generator index, in one pass over the edges.

        Only these two are kept: the other relations are looked up in the graph's own
        adjacency dicts at each call (`depends_on`, `depended_on_by`), where an index of
        every relation both ways cost a 100,000-record check a fifth of its time and
        50 MB that stayed alive through the report. Those calls read the graph as it is
        then: nothing changes a trail's graph while rules and report sections read it
        (a diagram takes it over only once the report's sections are built).
        """
        successors: dict[str, list[str]] = {}
        generator: dict[str, str] = {}
        data = _DATA_RELATION_SET
        # The adjacency dicts themselves, in `graph.edges` order: a view makes an object
        # at each lookup.
        for subject, objects in self.graph._succ.items():
            found: list[str] | None = None
            made: str | None = None
            for obj, edge in objects.items():
                relation = edge["relation"]
                if relation in data:
                    if found is None:
                        found = [obj]
                    else:
                        found.append(obj)
                    # The first run by id, when an entity names several.
                    if relation == "was_generated_by" and (made is None or obj < made):
                        made = obj
            if found is not None:
                # Sorted, so that every walk meets a node's inputs in the same order and,
                # among equally short paths, always chooses the same one.
                if len(found) > 1:
                    found.sort()
                successors[subject] = found
                if made is not None:
                    generator[subject] = made
        self._data_succ, self._generator = successors, generator

    def depends_on(self, node: str, relations: Iterable[str] = DATA_RELATIONS) -> list[str]:
        """What `node` directly used, was generated by or derived from (sorted)."""
        if relations is DATA_RELATIONS:
            return list(self.data_successors().get(node, ()))
        return _related(self.graph._succ.get(node), relations)

    def depended_on_by(self, node: str, relations: Iterable[str] = DATA_RELATIONS) -> list[str]:
        """What directly used, was generated by or derived from `node` (sorted)."""
        return _related(self.graph._pred.get(node), relations)

    def generated_by(self, entity: str) -> str | None:
        """The run that produced `entity`, if one is recorded."""
        if self._generator is None:
            self._read_relations()
            assert self._generator is not None
        return self._generator.get(entity)

    def agents_of(self, node: str) -> list[str]:
        """The agents a run is associated with (or an entity is attributed to)."""
        return self.depends_on(node, ("was_associated_with", "was_attributed_to"))

    def on_behalf_of(self, agent: str) -> list[str]:
        """Every agent `agent` acted on behalf of, through every `acted_on_behalf_of` link
        (an agent may act for several), nearest first."""
        known = self._chains.get(agent)
        if known is not None:
            return known
        chain: list[str] = []
        seen = {agent}
        frontier = [agent]
        for current in frontier:  # grows as it goes: breadth first
            for principal in self.depends_on(current, ("acted_on_behalf_of",)):
                if principal not in seen:
                    seen.add(principal)
                    chain.append(principal)
                    frontier.append(principal)
        self._chains[agent] = chain
        return chain

    def is_origin(self, node: str) -> bool:
        """True for an entity whose data comes from outside: no run produced it."""
        return node in self._origin_set()

    def origins(self) -> list[str]:
        """Every entity upstream of the target that no recorded run produced, sorted."""
        if self._origins is None:
            self.generated_by(self.target)  # builds the generator index
            generator = self._generator or {}
            self._origins = sorted(
                node
                for node, facts in self.graph._node.items()  # the dict: no view per record
                if node != self.target
                and (
                    facts["kind"] == "source"
                    or (facts["kind"] in ENTITY_KINDS and node not in generator)
                )
            )
            self._origin_lookup = frozenset(self._origins)
        return self._origins

    def _origin_set(self) -> frozenset[str]:
        if self._origin_lookup is None:
            self.origins()
        assert self._origin_lookup is not None
        return self._origin_lookup

    def path(self, node: str) -> tuple[str, ...]:
        """The evidence path from `node` to the target, in data-flow order.

        The shortest chain of records through which `node`'s data reaches the
        target (source -> run -> dataset -> ... -> target).
        """
        known = self._paths.get(node)
        if known is not None:
            return known
        parents = self._bfs_parents()
        chain: list[str] = []
        rest: tuple[str, ...] = ()
        current: str | None = node
        while current is not None:
            cached = self._paths.get(current)
            if cached is not None:
                rest = cached
                break
            chain.append(current)
            current = None if current == self.target else parents.get(current)
        # Every suffix of a shortest path is the shortest path of its first record.
        for item in reversed(chain):
            rest = (item, *rest)
            self._paths[item] = rest
        return rest

    def data_successors(self) -> dict[str, list[str]]:
        """Node -> what it used, was generated by or derived from, sorted by id (lists
        shared: read only)."""
        if self._data_succ is None:
            self._read_relations()
            assert self._data_succ is not None
        return self._data_succ

    def _bfs_parents(self) -> dict[str, str]:
        if self._parents is None:
            self._parents = breadth_first_parents(self)
        return self._parents

    def data_order(self) -> list[str]:
        """Every upstream record in dependency order (what a record uses comes before it).

        Ties are broken by start time, then id, so the order is the same on every run.
        """
        if self._order is None:
            # Kahn's algorithm with a heap (networkx's lexicographical sort, without its
            # per-node overhead): a record is ready once everything it depends on is out.
            # The heap holds each record's rank in (start time, id) order: comparing two
            # integers is several times cheaper than comparing two pairs of strings.
            # The adjacency dicts themselves: a view makes an object at each lookup.
            successors, predecessors = self.graph._succ, self.graph._pred
            by_rank = [
                node
                for _, node in sorted(
                    (str(facts.get("started") or ""), node)
                    for node, facts in self.graph._node.items()
                )
            ]
            rank = {node: position for position, node in enumerate(by_rank)}
            waiting = {node: len(children) for node, children in successors.items()}
            ready = [rank[node] for node, count in waiting.items() if count == 0]
            heapq.heapify(ready)
            order: list[str] = []
            push, pop, append = heapq.heappush, heapq.heappop, order.append
            while ready:
                node = by_rank[pop(ready)]
                append(node)
                for dependent in predecessors[node]:
                    waiting[dependent] -= 1
                    if not waiting[dependent]:
                        push(ready, rank[dependent])
            self._order = order
        return self._order

    def run_order(self) -> list[str]:
        """Every run upstream of the target in dependency order (inputs before outputs)."""
        runs = set(self.of_kind("activity"))
        return [n for n in self.data_order() if n in runs]

    # -- licences -----------------------------------------------------------------
    def licence_holders(self) -> list[LicenceHolder]:
        """Records upstream (not the target) whose licence terms bind the target.

        Every origin (licensed or not: an unlicensed source is a holder without a
        licence), and any derived record that carries a licence or restrictions of
        its own. Derived datasets without one inherit their inputs' terms.
        """
        if self._holders is None:
            holders: list[LicenceHolder] = []
            entities = [n for kind in sorted(ENTITY_KINDS) for n in self.of_kind(kind)]
            origins = self._origin_set()
            nothing: frozenset[str] = frozenset()
            facts_of = self.facts_lookup()
            for node in sorted(entities):  # sorted runs: a merge, not a sort
                if node == self.target:
                    continue
                facts = facts_of(node)
                own = facts.get("license")
                listed = facts.get("restrictions")
                declared = frozenset(listed) if listed else nothing
                basis: LicenceBasis = "concluded"
                basis_text = ""
                if not own:
                    if "declared_license" in facts or node in self.claims:
                        own, basis, basis_text = self._stated_licence(node)
                    else:
                        basis = "none"
                if not (own or declared or node in origins):
                    continue
                licence = parse_licence(own) if own else None
                restrictions = declared | licence.restrictions if licence else declared
                holders.append(LicenceHolder(node, licence, restrictions, basis, basis_text))
            self._holders = holders
        return self._holders

    def _stated_licence(self, node: str) -> tuple[str | None, LicenceBasis, str]:
        """With no concluded licence: the most restrictive of the declared licence and the
        claims (most restrictions, then not permissive, then the earliest stated)."""
        stated: list[tuple[str, LicenceBasis, str]] = []
        declared = self.graph.nodes[node].get("declared_license")
        if declared:
            stated.append((str(declared), "declared", "declared by its publisher"))
        for claim in self.claims.get(node, ()):
            stated.append((claim.license, "claim", f"claimed by {claim.who}"))
        if not stated:
            return None, "none", ""

        def severity(item: tuple[str, LicenceBasis, str]) -> tuple[int, int]:
            licence = parse_licence(item[0])
            permissive = all(c == "Permissive" for c in licence.categories.values())
            return len(licence.restrictions), 0 if permissive else 1

        chosen = max(stated, key=severity)  # max keeps the first of equals
        how = "the only licence stated" if len(stated) == 1 else "the most restrictive stated"
        return chosen[0], chosen[1], f"{chosen[2]}; {how}, none concluded"

    def intended_use(self, policy_use: str | None) -> tuple[str, IntendedUseOrigin]:
        """The use the target is held to, and where that comes from."""
        if policy_use:
            return policy_use, "policy"
        recorded = self.graph.nodes[self.target].get("intended_use")
        if recorded:
            return str(recorded), "record"
        return "commercial", "default"


def _related(
    neighbours: Mapping[str, Mapping[str, Any]] | None, relations: Iterable[str]
) -> list[str]:
    """The neighbours (a node's adjacency dict) tied to it by one of `relations`, sorted."""
    if not neighbours:
        return []
    found = [
        other
        for relation in relations
        for other, edge in neighbours.items()
        if edge["relation"] == relation
    ]
    return sorted(found) if len(found) > 1 else found


def bulk_work() -> AbstractContextManager[None]:
    """Pause the cyclic garbage collector while a trail's million small objects are made.

    Reading, checking and reporting on a large trail allocate objects by the million
    and free none of them; each full collection would walk them all again (it more
    than doubles the time of a 100,000-record report).
    """
    return collector_paused(GC_PAUSE_ROWS)


def breadth_first_parents(
    trail: Trail, passable: Callable[[str], bool] | None = None
) -> dict[str, str]:
    """Walk the data relations from the target; return each record reached -> its parent.

    A record for which `passable` is false is reached but not walked through, so
    records behind it are reached only along other paths (None: every record passes).
    """
    successors = trail.data_successors().get
    target = trail.target
    parents: dict[str, str] = {}
    queue = [target]
    if passable is None:  # a call per record saved: the path of every finding walks this
        for node in queue:  # grows as it goes: breadth first
            for child in successors(node, ()):
                if child not in parents and child != target:
                    parents[child] = node
                    queue.append(child)
        return parents
    seen = {target}
    for node in queue:
        for child in successors(node, ()):
            if child in seen:
                continue
            seen.add(child)
            if passable(child):
                parents[child] = node
                queue.append(child)
    return parents


def load_trail(
    store: Store,
    target: str,
    *,
    as_of: datetime | None = None,
    now: datetime | None = None,
    verify_digests: bool = True,
    at_ledger: int | None = None,
) -> Trail:
    """Read the paper trail of `target` as recorded at `as_of` (default: now).

    `at_ledger` reads the store as it was at that ledger entry (a signed report's
    rebuild) without changing `as_of`, which the report states.

    `now` is the time approvals are judged at when `as_of` is not given (default:
    the current time). With `verify_digests`, every recorded path is hashed again
    (through the store's digest cache) and compared with its recorded digest;
    relative paths are read below the store's data root (see `lineage data-root`).

    Raises UnknownNode if `target` was never recorded, InvalidRecord if it was not
    yet recorded at `as_of`.

    Example:
        trail = load_trail(store, "support-assistant-v1")
        [trail.path(s) for s in trail.of_kind("source")]
    """
    with bulk_work():
        return _load_trail(store, target, as_of, now, verify_digests, at_ledger)


def _load_trail(
    store: Store,
    target: str,
    as_of: datetime | None,
    now: datetime | None,
    verify_digests: bool,
    at_ledger: int | None,
) -> Trail:
    # One snapshot for every read, and every read bounded by one ledger entry, so the
    # graph, the approvals and the head hash printed in a report describe one state.
    with store.snapshot():
        ledger = ledger_head(store, as_of, at_ledger)
        bound = parse_time(ledger.recorded_at)
        whole, ids = _read_upstream(store, target, ledger.seq)
        root = str(whole.graph["root"])
        moment = as_of or now or datetime.now(UTC)
        graph, references, exclusions = _content_of(store, whole, ledger.seq)
        trail = Trail(target=root, graph=graph, ledger=ledger, as_of=as_of, moment=moment)
        if graph is not whole:
            trail.full, trail.references, trail.exclusions = whole, references, exclusions
        with store.database.read() as connection:
            trail.revocations = tuple(
                r for r in revocations(connection, ledger.seq) if r.subject in graph
            )
            trail.verifications = latest_checks(connection, graph.nodes, ledger.seq)
            trail.data_root = current_data_root(connection)
            trail.copies = copies_of(
                connection,
                {
                    node: str(facts["digest"])
                    for node, facts in graph._node.items()  # the dict: no view per record
                    if facts.get("digest") and facts["kind"] in ENTITY_KINDS
                },
                ledger.seq,
            )
            _read_claims_and_history(connection, trail, ledger.seq)
            trail.version_reads = _read_version_reads(connection, graph, ids)
        _read_downstream(store, trail, bound)
        _read_other_outputs(store, trail, ids)
        if trail.target_kind == "model":
            _read_evaluations(store, trail, bound)
    if verify_digests:
        trail.digests = check_digests(store, _with_content(trail), trail.data_root)
    else:
        trail.digests = {
            node: _unchecked(facts.get("digest"), facts.get("path"))
            for node, facts in _with_content(trail)
        }
    return trail


_NO_DIGEST = DigestCheck("no-digest", None)
"""Shared by every record with neither a digest nor a path: most of a large trail."""


def _unchecked(recorded: str | None, path: str | None) -> DigestCheck:
    """The check of a record whose content is not hashed again."""
    if recorded is None and path is None:
        return _NO_DIGEST
    return DigestCheck("not-checked" if recorded else "no-digest", recorded, path=path)


def _read_version_reads(
    connection: Connection, graph: nx.DiGraph[str], ids: Mapping[str, int]
) -> tuple[VersionRead, ...]:
    """Which runs of `graph` read a version that was not the one current at their start
    (`ids`: the id of each record upstream)."""
    attributes = graph._node  # the dict itself: a view makes an object per lookup
    # Only a run that states when it ran can have read a version out of turn.
    started: dict[str, datetime] = {}
    for node, facts in attributes.items():
        stated = facts.get("started") or facts.get("ended")
        if stated:  # most records state no time: no call for them
            when = moment(stated)
            if when is not None:
                started[node] = when
    reads: list[tuple[str, str, str]] = []  # run node, dataset node, dataset identity name
    for run, objects in graph.adjacency() if started else ():
        if run not in started:
            continue
        for read, edge in objects.items():
            if edge.get("relation") != "used":
                continue
            facts = attributes[read]
            if facts.get("kind") != "dataset":
                continue
            of = (facts.get("attrs") or {}).get("dataset_version", {}).get("of")
            reads.append((run, read, of if isinstance(of, str) else facts["name"]))
    if not reads:
        return ()
    ids_of: dict[str, int] = {}  # dataset name -> id
    elsewhere: list[str] = []  # the names of datasets not in the trail
    for name in sorted({name for _, _, name in reads}):
        identity = ids.get(f"dataset:{name}")
        if identity is None:
            elsewhere.append(name)
        else:
            ids_of[name] = identity
    for i in range(0, len(elsewhere), 500):
        chunk = elsewhere[i : i + 500]
        # fetch_rows' parameter names are letters and underscores only.
        keys = [f"name_{chr(97 + j // 26)}{chr(97 + j % 26)}" for j in range(len(chunk))]
        rows = fetch_rows(
            connection,
            "SELECT n.id, n.name FROM node n WHERE n.kind = 'dataset' AND n.version = 1 "
            f"AND n.name IN ({', '.join(':' + key for key in keys)})",
            dict(zip(keys, chunk, strict=True)),
        )
        ids_of.update((name, node_id) for node_id, name in rows)
    now = datetime.now(UTC)
    # Only a dataset with a later version or a drop can have been read out of turn.
    versioned = with_versions(connection, ids_of.values())
    histories = load_histories(connection, {i: n for n, i in ids_of.items() if i in versioned}, now)
    found: list[VersionRead] = []
    for run, read, name in reads:
        history = histories.get(ids_of.get(name, -1))
        if history is None or (len(history.versions) == 1 and history.versions[0].dropped is None):
            continue
        version = next((v for v in history.versions if v.name == attributes[read]["name"]), None)
        if version is None:
            continue
        when = started[run]
        if version.dropped is not None and version.dropped <= when:
            found.append(VersionRead(run, read, "dropped", None, utc_text(version.dropped)))
            continue
        current = history.current(when, attributes[run]["name"])
        if (
            current.name != version.name
            and version.named is None
            and _recorded_after(connection, attributes[run]["name"], version.name, current.name)
        ):
            found.append(VersionRead(run, read, "out-of-order", current.name, utc_text(when)))
    return tuple(found)


def _recorded_after(connection: Connection, run: str, read: str, current: str) -> bool:
    """Whether version `current` was recorded after the run read `read`: only then did
    the run miss it. A run recorded later that names an older version reads it on purpose."""
    row = connection.execute(
        text(
            "SELECT e.tx, c.tx FROM edge e "
            "JOIN node r ON r.id = e.subject AND r.version = 1 AND r.kind = 'activity' "
            "JOIN node d ON d.id = e.object AND d.version = 1 AND d.kind = 'dataset' "
            "JOIN node c ON c.version = 1 AND c.kind = 'dataset' "
            "WHERE e.relation = 'used' AND r.name = :run AND d.name = :read AND c.name = :current"
        ),
        {"run": run, "read": read, "current": current},
    ).first()
    return row is None or row[1] > row[0]


def _content_of(
    store: Store, whole: nx.DiGraph[str], seq: int
) -> tuple[nx.DiGraph[str], tuple[Reference, ...], tuple[Exclusion, ...]]:
    """The part of `whole` that content flows along, with the references and exclusions
    of its runs. Without either, `whole` itself (and nothing is read again)."""
    # Most trails have neither: the roles of all the edges, gathered in C (no Python
    # step per edge), tell at once.
    edges = chain.from_iterable(map(dict.values, whole._succ.values()))
    if set(map(dict.get, edges, repeat("role"))).isdisjoint(NON_CONTENT_ROLES):
        return whole, (), ()
    marked = [
        (subject, obj, role)
        for subject, objects in whole.adjacency()  # `whole.edges(data="role")`, in its order
        for obj, edge in objects.items()
        if (role := edge.get("role")) in NON_CONTENT_ROLES
    ]
    if not marked:
        return whole, (), ()
    database = store.database
    with database.read() as connection:
        start, _, _ = database.resolve(connection, str(whole.graph["root"]))
        rows = closure(connection, start, "upstream", bound=seq, content=True)
    keep = {f"{row.kind}:{row.name}" for row in rows}
    keep.add(str(whole.graph["root"]))
    graph: nx.DiGraph[str] = nx.DiGraph(**whole.graph)
    graph.add_nodes_from((n, facts) for n, facts in whole.nodes(data=True) if n in keep)
    graph.add_edges_from(
        (s, o, facts)
        for s, o, facts in whole.edges(data=True)
        if s in keep and o in keep and facts.get("role") not in NON_CONTENT_ROLES
    )
    excluders: dict[str, set[str]] = {}
    for s, o, role in marked:
        if role == EXCLUDED_ROLE:
            excluders.setdefault(o, set()).add(s)

    def content_of(node: str) -> tuple[str, ...]:
        """What carries `node` to the target as content: its dependents in `graph` that the
        target reaches without passing a run that removed `node` (the Pile's assembly
        holds Books3, but only behind the run that removed it)."""
        if node not in graph:
            return ()
        cut = excluders.get(node, set())
        root = str(whole.graph["root"])
        seen = {root}
        frontier = [root]
        while frontier:
            for dependency in graph.successors(frontier.pop()):
                if dependency not in seen and dependency not in cut:
                    seen.add(dependency)
                    frontier.append(dependency)
        return tuple(sorted(d for d in graph.predecessors(node) if d in seen))

    references = tuple(
        sorted(
            Reference(s, o, content_of(o))
            for s, o, role in marked
            if role == REFERENCE_ROLE and s in keep
        )
    )
    exclusions = tuple(
        sorted(
            Exclusion(s, o, content_of(o))
            for s, o, role in marked
            if role == EXCLUDED_ROLE and s in keep
        )
    )
    return graph, references, exclusions


def _read_other_outputs(store: Store, trail: Trail, ids: Mapping[str, int]) -> None:
    """What the trail's runs generated that is not upstream of the target (`ids`: the
    id of each record upstream)."""
    runs = {ids[n]: n.removeprefix("activity:") for n in trail.of_kind("activity")}
    if not runs:
        return
    with store.database.read() as connection:
        found = other_outputs(connection, runs, trail.ledger.seq, known=set(ids.values()))
    whole = trail.whole
    for name, outputs in sorted(found.items()):
        others = sorted(o for o in outputs if o not in whole and o != trail.target)
        if others:
            trail.other_outputs[f"activity:{name}"] = tuple(others)
            for output in others:
                trail.records.setdefault(output, outputs[output])


def _read_claims_and_history(connection: Connection, trail: Trail, seq: int) -> None:
    """Add the licence claims about records in the trail, the history of each amended
    record, and when the runs that used changed records were recorded."""
    graph = trail.graph
    claims: dict[str, list[LicenceClaim]] = {}
    for claim in licence_claims(connection, seq):
        if claim.subject in graph:
            claims.setdefault(claim.subject, []).append(claim)
    trail.claims = {node: tuple(found) for node, found in claims.items()}
    for found in claims.values():
        for claim in found:  # so that reports cite each claim with its seal
            trail.records[claim.id] = {
                "kind": "claim",
                "name": claim.id.removeprefix("claim:"),
                "version": 1,
                "seal": claim.seal,
                "license": claim.license,
            }
    trail.histories = amended_histories(connection, graph.nodes, seq)
    # Runs that used a record changed since (amended, revoked, found changed) and
    # state no time of their own: when they were recorded is the time they ran.
    changed = {
        *trail.histories,
        *(r.subject for r in trail.revocations),
        *(n for n, c in trail.verifications.items() if c.status != "matching"),
    }
    runs = {
        run
        for node in changed
        if node in graph
        for run, _, edge in graph.in_edges(node, data=True)
        if edge["relation"] == "used"
        and not (graph.nodes[run].get("ended") or graph.nodes[run].get("started"))
    }
    trail.recorded = first_recorded(connection, runs, seq) if runs else {}


def _read_upstream(store: Store, target: str, seq: int) -> tuple[nx.DiGraph[str], dict[str, int]]:
    """The upstream graph of `target` with every record's facts, as of ledger entry `seq`,
    and each record's id."""
    database = store.database
    ids: dict[str, int] = {}
    with database.read() as connection:
        start, _, _ = database.resolve(connection, target)
        try:
            graph = read_subgraph(connection, start, "upstream", bound=seq, depths=False, ids=ids)
        except NotYetRecorded:
            raise NotYetRecorded(f"{target!r} was not yet recorded at ledger entry {seq}") from None
    return graph, ids


def ledger_head(
    store: Store, as_of: datetime | None = None, at_ledger: int | None = None
) -> LedgerHead:
    """The last ledger entry recorded at or before `as_of` (default: the newest), or
    entry `at_ledger` when given."""
    # The store has no public call for one entry; reading it directly is a single
    # indexed row, where `Store.verify` would recompute the whole chain.
    database = store.database
    with database.read() as connection:
        bound = database.tx_bound(connection, as_of) if at_ledger is None else at_ledger
        query = select(LEDGER.c.seq, LEDGER.c.entry_hash, LEDGER.c.recorded_at)
        if bound is not None:
            query = query.where(LEDGER.c.seq <= bound)
        row = connection.execute(query.order_by(LEDGER.c.seq.desc()).limit(1)).first()
    if row is None:
        when = f" at {as_of.isoformat()}" if as_of else ""
        raise InvalidRecord(f"the store held no records{when}")
    return LedgerHead(int(row.seq), str(row.entry_hash), str(row.recorded_at))


def _read_downstream(store: Store, trail: Trail, bound: datetime) -> None:
    """Add the approvals recorded on the target and the runs that used it."""
    below = store.downstream(trail.target, depth=2, as_of=bound)
    approvals: list[Approval] = []
    uses: list[Use] = []
    for node, facts in below.nodes(data=True):
        if node == trail.target or facts["depth"] != 1:
            continue
        relation = (
            below.edges[node, trail.target]["relation"]
            if below.has_edge(node, trail.target)
            else None
        )
        if facts["kind"] == "attestation" and relation == "was_derived_from":
            approvals.append(_approval(store, trail, node, dict(facts), bound))
        elif facts["kind"] == "evaluation" and relation == "was_derived_from":
            trail.records[node] = dict(facts)  # read with the rest; reports cite it
        elif facts["kind"] == "activity" and relation == "used":
            uses.append(_use(store, trail, node, dict(facts), bound))
    trail.approvals = judge(
        approvals,
        trail.moment,
        now_graph=lambda subject: trail.whole,
        then_graph=lambda approval: store.upstream(
            trail.target, as_of=parse_time(approval.recorded_at)
        ),
        revoked=trail.revocations,
    )
    trail.uses = tuple(sorted(uses, key=lambda use: use.id))


def _read_evaluations(store: Store, trail: Trail, bound: datetime) -> None:
    """Add the evaluations of the target, the upstream of their test data (and of what
    the runs that evaluated it used), and the digests each was measured on and each has now."""
    found = evaluations_of(store, trail.target, bound=trail.ledger.seq)
    tested = {e.dataset for e in found}
    # The data an evaluation run used is test data too, with or without recorded results.
    tested |= {
        node
        for use in trail.evaluations
        for node in use.inputs
        if node != trail.target and node.partition(":")[0] in ("source", "dataset")
    }
    if not found and not tested:
        return  # nothing is judged stale against the digests
    trail.digests_now[trail.target] = upstream_digest(trail.whole)
    for dataset in sorted(tested):
        graph = store.upstream(dataset, as_of=bound)
        trail.test_data[dataset] = graph
        trail.digests_now[dataset] = upstream_digest(graph)
        if dataset not in trail.graph:
            trail.records.setdefault(dataset, dict(graph.nodes[dataset]))
        for node, facts in graph.nodes(data=True):  # the runs that made it, which reports cite
            if facts["kind"] == "activity" and node not in trail.graph:
                trail.records.setdefault(node, dict(facts))
        for agent in {b for e in found if e.dataset == dataset for b in e.by}:
            if agent not in trail.graph and agent not in trail.records:
                agents = store.upstream(agent, depth=0, as_of=bound)
                trail.records[agent] = dict(agents.nodes[agent])
    # Recorded without digests (a manifest): measured on the graphs as its transaction
    # wrote them, as a manifest's sign-off is judged.
    then: dict[tuple[str, int], str] = {}

    def digest_then(name: str, evaluation: Evaluation) -> str:
        key = (name, evaluation.tx)
        if key not in then:
            then[key] = upstream_digest(
                store.upstream(name, as_of=parse_time(evaluation.recorded_at))
            )
        return then[key]

    results: list[Evaluation] = []
    for evaluation in found:
        if evaluation.model_digest is None or evaluation.data_digest is None:
            evaluation = replace(
                evaluation,
                model_digest=evaluation.model_digest or digest_then(trail.target, evaluation),
                data_digest=evaluation.data_digest or digest_then(evaluation.dataset, evaluation),
            )
        results.append(evaluation)
    trail.evaluation_results = tuple(results)


def _approval(
    store: Store, trail: Trail, node: str, facts: dict[str, Any], bound: datetime
) -> Approval:
    record = store.show(node, as_of=bound)
    around = store.upstream(node, depth=1, as_of=bound)
    by = tuple(
        sorted(
            t
            for _, t, e in around.out_edges(node, data=True)
            if e["relation"] == "was_attributed_to"
        )
    )
    for agent in by:
        trail.records.setdefault(agent, dict(around.nodes[agent]))
    trail.records[node] = facts | {
        "effective": record.current.effective,
        "recorded_at": record.current.recorded_at,
    }
    attrs = facts.get("attrs") or {}
    return Approval(
        id=node,
        decision=str(facts.get("decision") or "approved"),
        status="valid",
        by=by,
        tier=facts.get("tier"),
        scope=facts.get("scope"),
        conditions=tuple(facts.get("conditions") or ()),
        effective=record.current.effective,
        expires=facts.get("expires"),
        recorded_at=record.current.recorded_at,
        subject=trail.target,
        role=attrs.get("role"),
        upstream_digest=attrs.get("upstream_digest"),
        override=attrs.get("override_reason"),
        overridden=tuple(attrs.get("overridden") or ()),
    )


def _use(store: Store, trail: Trail, node: str, facts: dict[str, Any], bound: datetime) -> Use:
    around = store.upstream(node, depth=1, as_of=bound)
    below = store.downstream(node, depth=1, as_of=bound)
    trail.records[node] = facts
    inputs: list[str] = []
    agents: list[str] = []
    for _, other, edge in around.out_edges(node, data=True):
        relation = edge["relation"]
        trail.records.setdefault(other, dict(around.nodes[other]))
        (agents if relation == "was_associated_with" else inputs).append(other)
    outputs = sorted(
        s for s, _, e in below.in_edges(node, data=True) if e["relation"] == "was_generated_by"
    )
    for output in outputs:
        trail.records.setdefault(output, dict(below.nodes[output]))
    operation = facts.get("operation")
    return Use(
        node,
        str(operation) if operation else None,
        tuple(sorted(inputs)),
        tuple(outputs),
        tuple(sorted(agents)),
    )


def _with_content(trail: Trail) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Entities in the trail (and its evaluation results) that may carry content."""
    for node, facts in trail.whole._node.items():  # the dict: no view per record
        if facts["kind"] in ENTITY_KINDS:
            yield node, facts
    elsewhere = {o for outputs in trail.other_outputs.values() for o in outputs}
    for node, facts in trail.records.items():
        if facts["kind"] in ENTITY_KINDS and node not in trail.whole and node not in elsewhere:
            yield node, facts


def check_digests(
    store: Store, entities: Iterable[tuple[str, Mapping[str, Any]]], root: str | None = None
) -> dict[str, DigestCheck]:
    """Hash each entity's recorded path again and compare it with its recorded digest.

    A relative recorded path is read below the data root `root` (the current folder
    without one)."""
    checks: dict[str, DigestCheck] = {}
    present: dict[str, tuple[str, str]] = {}
    for node, facts in entities:
        recorded, path = facts.get("digest"), facts.get("path")
        if not recorded:
            checks[node] = _unchecked(None, path)
        elif not path:
            checks[node] = DigestCheck("not-checked", recorded)
        elif not os.path.lexists(real_path(str(path), root)):
            checks[node] = DigestCheck("missing", recorded, path=path)
        else:
            present[node] = (str(recorded), real_path(str(path), root))
    if not present:
        return checks
    nodes = sorted(present)
    try:
        found = {
            node: digest.digest
            for node, digest in zip(
                nodes, digest_paths([present[n][1] for n in nodes], cache=store.cache), strict=True
            )
        }
    except PathError:
        # One unreadable path fails the whole batch; find which, one by one.
        found = {}
        for node in nodes:
            try:
                found[node] = digest_paths([present[node][1]], cache=store.cache)[0].digest
            except PathError as error:
                logger.warning("cannot hash %s: %s", present[node][1], error)
    for node in nodes:
        recorded, path = present[node]
        if node not in found:
            checks[node] = DigestCheck("unreadable", recorded, path=path)
        elif found[node] == recorded:
            checks[node] = DigestCheck("verified", recorded, found[node], path)
        else:
            checks[node] = DigestCheck("mismatch", recorded, found[node], path)
    return checks
