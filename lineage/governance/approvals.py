"""Sign-offs bound to the lineage they saw: upstream digests and approval statuses.

An approval records the digest of its subject's upstream graph at the time it
was given: SHA-256 over the canonical JSON of every upstream record's id and seal
(the seal of the version in force) and every relation between them. The same
function over the graph as it is now tells whether anything upstream changed
since — a new run, an amended source, a new input — and the approval is then
*stale*. An approval recorded without a digest (from a manifest), or with one
that is not of this store's graph as its transaction wrote it (imported from
another store's PROV or OpenLineage export, whose seals differ), is compared with
the graph as recorded in the transaction that wrote it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import orjson

from lineage.governance.records import Revocation, data_record, revocations
from lineage.store.engine import fetch_rows
from lineage.validation import parse_time

if TYPE_CHECKING:  # the API sits above; only its type is needed here
    from lineage.api import Store

ApprovalStatus = Literal[
    "valid",
    "expired",
    "stale",
    "revoked-data",
    "not yet effective",
    "superseded",
    "rejected",
    "revoked",
]


def upstream_digest(graph: nx.DiGraph[str]) -> str:
    """The canonical digest of an upstream graph: its records' seals and its relations.

    `graph` is `Store.upstream(...)` (or the checks' bulk read of it): nodes
    'kind:name' carrying `seal`, edges carrying `relation`.
    """
    nodes = sorted((node, str(seal)) for node, seal in graph.nodes(data="seal"))
    edges = sorted(
        (s, o, str(data.get("relation")))  # `graph.edges(data="relation")`, without its view
        for s, objects in graph.adjacency()
        for o, data in objects.items()
    )
    payload = orjson.dumps({"edges": edges, "nodes": nodes})
    return "sha256:" + hashlib.sha256(payload).hexdigest()


def changes_between(then: nx.DiGraph[str], now: nx.DiGraph[str]) -> tuple[str, ...]:
    """Records upstream now that are new, or in another version, since `then`."""
    before = dict(then.nodes(data="seal"))
    changed = [node for node, seal in now.nodes(data="seal") if before.get(node) != seal]
    edges_then = set(then.edges())
    for subject, obj in now.edges():
        if (subject, obj) not in edges_then and subject not in changed:
            changed.append(subject)
    return tuple(sorted(changed))


@dataclass(frozen=True)
class Approval:
    """A sign-off on a model or dataset, and whether it holds at the time it is judged."""

    id: str
    decision: str
    status: ApprovalStatus
    by: tuple[str, ...]
    tier: str | None
    scope: str | None
    conditions: tuple[str, ...]
    effective: str | None
    expires: str | None
    recorded_at: str
    subject: str = ""
    role: str | None = None
    upstream_digest: str | None = None
    """The digest of the upstream graph the approval was given on (recorded, or as of
    the transaction that wrote it)."""
    current_digest: str | None = None
    changed: tuple[str, ...] = ()
    """Upstream records new or changed since the approval (when stale)."""
    revoked: tuple[str, ...] = ()
    """Upstream records revoked by the time it is judged."""
    problems: tuple[str, ...] = ()
    """Every reason it does not hold, in words."""
    override: str | None = None
    """Given over failing tier requirements (`approve --override`): the reason stated."""
    overridden: tuple[str, ...] = ()
    """The requirements that failed when it was given, in words."""

    @property
    def grants(self) -> bool:
        """True when this approval lets the subject be used now."""
        return self.status == "valid" and self.decision in ("approved", "conditional")

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "status": self.status,
            "decision": self.decision,
            "by": list(self.by),
            "role": self.role,
            "tier": self.tier,
            "scope": self.scope,
            "conditions": list(self.conditions),
            "effective": self.effective,
            "expires": self.expires,
            "recorded_at": self.recorded_at,
            "upstream_digest": self.upstream_digest,
            "current_digest": self.current_digest,
            "changed": list(self.changed),
            "revoked": list(self.revoked),
            "problems": list(self.problems),
            "override": self.override,
            "overridden": list(self.overridden),
        }


def judge(
    approvals: Sequence[Approval],
    moment: datetime,
    *,
    now_graph: Callable[[str], nx.DiGraph[str]],
    then_graph: Callable[[Approval], nx.DiGraph[str]],
    revoked: Iterable[Revocation] = (),
) -> tuple[Approval, ...]:
    """Set each approval's status at `moment`, oldest first.

    `now_graph(subject)` is the subject's upstream graph as it is judged;
    `then_graph(approval)` the graph as recorded when the approval was written.
    A later rejection or revocation of the same subject supersedes earlier sign-offs.
    """
    today = moment.astimezone(UTC).date()
    in_force = [r for r in revoked if r.in_force(today.isoformat())]
    ordered = sorted(approvals, key=lambda a: (a.effective or a.recorded_at[:10], a.recorded_at))
    digests: dict[str, tuple[str, nx.DiGraph[str]]] = {}
    judged: list[Approval] = []
    for index, approval in enumerate(ordered):
        if approval.subject not in digests:
            graph = now_graph(approval.subject)
            digests[approval.subject] = (upstream_digest(graph), graph)
        current, graph = digests[approval.subject]
        baseline = approval.upstream_digest
        then: nx.DiGraph[str] | None = None
        if baseline is None or baseline != current:
            then = then_graph(approval)
            # A digest over another store's seals (a sign-off that came in through a
            # PROV or OpenLineage document) never matches this store's graph, not even
            # as recorded with it: like a manifest's sign-off, it is judged against the
            # graph its own transaction wrote.
            recorded = upstream_digest(then)
            if baseline is None or baseline != recorded:
                baseline = recorded
        changed: tuple[str, ...] = ()
        if baseline != current:
            changed = changes_between(then if then is not None else graph, graph)
        hit = tuple(sorted({r.subject for r in in_force if r.subject in graph}))
        problems: list[str] = []
        statuses: list[ApprovalStatus] = []
        if approval.decision in ("revoked", "rejected"):
            statuses.append("revoked" if approval.decision == "revoked" else "rejected")
            problems.append(f"the decision is {approval.decision}")
        later = [
            a
            for a in ordered[index + 1 :]
            if a.subject == approval.subject and a.decision in ("revoked", "rejected")
        ]
        if later:
            statuses.append("superseded")
            problems.append(f"superseded by {later[0].id} ({later[0].decision})")
        if hit:
            statuses.append("revoked-data")
            problems.append(f"it covers revoked data: {', '.join(hit)}")
        if approval.effective and date.fromisoformat(approval.effective) > today:
            statuses.append("not yet effective")
            problems.append(f"it takes effect on {approval.effective}")
        if approval.expires and date.fromisoformat(approval.expires) < today:
            statuses.append("expired")
            problems.append(f"it expired on {approval.expires}")
        if baseline != current:
            shown = ", ".join(changed[:5]) + (
                f" and {len(changed) - 5} more" if len(changed) > 5 else ""
            )
            statuses.append("stale")
            problems.append(
                "its upstream changed after it was given"
                + (f" ({shown} new or changed)" if changed else "")
            )
        status: ApprovalStatus = next((s for s in _PRECEDENCE if s in statuses), "valid")
        judged.append(
            replace(
                approval,
                status=status,
                upstream_digest=baseline,
                current_digest=current,
                changed=changed,
                revoked=hit,
                problems=tuple(problems),
            )
        )
    return tuple(judged)


# When several apply, the status shown is the first of these.
_PRECEDENCE: tuple[ApprovalStatus, ...] = (
    "revoked",
    "rejected",
    "superseded",
    "revoked-data",
    "not yet effective",
    "expired",
    "stale",
)


def read_approvals(
    store: Store, subject: str | None = None, bound: int | None = None
) -> list[Approval]:
    """Every attestation (on `subject`, a 'kind:name'), not yet judged (status 'valid')."""
    tx = f" AND a.tx <= {int(bound)}" if bound is not None else ""
    with store.database.read() as connection:
        rows = fetch_rows(
            connection,
            "SELECT a.id, a.name, a.decision, a.tier, a.scope, a.conditions, a.expires, "
            "a.effective, a.attrs, l.recorded_at, e.relation, o.kind, o.name "
            "FROM node a JOIN ledger l ON l.seq = a.tx JOIN edge e ON e.subject = a.id "
            f"JOIN node o ON o.id = e.object WHERE a.kind = 'attestation'{tx} ORDER BY a.id",
            {},
        )
    facts: dict[int, dict[str, Any]] = {}
    for (
        aid,
        name,
        decision,
        tier,
        scope,
        conditions,
        expires,
        effective,
        attrs,
        at,
        rel,
        k,
        n,
    ) in rows:
        item = facts.setdefault(
            aid,
            {
                "id": f"attestation:{name}",
                "decision": decision or "approved",
                "tier": tier,
                "scope": scope,
                "conditions": tuple(json.loads(conditions)) if conditions else (),
                "expires": expires,
                "effective": effective,
                "attrs": json.loads(attrs) if attrs else {},
                "recorded_at": at,
                "by": [],
                "subject": "",
            },
        )
        if rel == "was_attributed_to":
            item["by"].append(f"{k}:{n}")
        elif rel == "was_derived_from":
            item["subject"] = f"{k}:{n}"
    out = []
    for item in facts.values():
        if subject is not None and item["subject"] != subject:
            continue
        attrs = item["attrs"]
        out.append(
            Approval(
                id=item["id"],
                decision=item["decision"],
                status="valid",
                by=tuple(sorted(item["by"])),
                tier=item["tier"],
                scope=item["scope"],
                conditions=item["conditions"],
                effective=item["effective"],
                expires=item["expires"],
                recorded_at=item["recorded_at"],
                subject=item["subject"],
                role=attrs.get("role"),
                upstream_digest=attrs.get("upstream_digest"),
                override=attrs.get("override_reason"),
                overridden=tuple(attrs.get("overridden") or ()),
            )
        )
    return out


def approvals(
    store: Store, target: str | None = None, *, now: datetime | None = None
) -> tuple[Approval, ...]:
    """Every sign-off (on `target`, when given) with its status now: valid, expired,
    stale, revoked-data, not yet effective, superseded, rejected or revoked.

    Raises UnknownNode if `target` was never recorded.

    Example:
        [a.id for a in approvals(store, "support-assistant-v1") if a.status == "stale"]
    """
    # One snapshot: sign-offs, revocations and the graphs they are judged against
    # must be read from the same state, or a commit between them mixes two.
    with store.snapshot():
        subject = None
        if target is not None:
            with store.database.read() as connection:
                _, kind, name = store.database.resolve(connection, target)
            subject = f"{kind}:{name}"
        found = read_approvals(store, subject)
        with store.database.read() as connection:
            revoked = revocations(connection)
        return judge(
            found,
            now or datetime.now(UTC),
            now_graph=lambda s: store.upstream(s),
            then_graph=lambda a: store.upstream(a.subject, as_of=parse_time(a.recorded_at)),
            revoked=revoked,
        )


def approval_upstream(store: Store, subject: str) -> str:
    """The digest of `subject`'s upstream graph as it is now (what a sign-off is bound to).

    Raises UnknownNode for an unknown subject, InvalidRecord for one that is not data.
    """
    with store.snapshot():
        data_record(store, subject, "a sign-off is given on a source, dataset or model")
        return upstream_digest(store.upstream(subject))
