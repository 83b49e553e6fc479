"""Reading the governance records back: revocations, and the results of `lineage verify`.

Both are ordinary records of the graph (kinds `revocation` and `verification`),
written through the one write path and sealed by the ledger. Each points at the
records it is about with a `was_derived_from` relation, as an attestation points
at its subject; these readers follow those relations backwards. Every read takes
`bound`, the last ledger entry to consider (None: the newest), so a report read
at one ledger entry sees the governance records of that moment only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from lineage.errors import InvalidRecord
from lineage.graph.identity import same_content
from lineage.store.engine import fetch_rows
from lineage.store.tables import NODE
from lineage.vocabulary import ENTITY_KINDS

if TYPE_CHECKING:  # the API sits above governance; only its type is needed here
    from lineage.api import Store


def data_record(store: Store, name: str, refusal: str) -> tuple[str, str]:
    """The kind and name of record `name`, which must be data (a source, dataset or
    model); `refusal` completes 'KIND:NAME is not data: ...' otherwise.

    Raises UnknownNode for a name never recorded, InvalidRecord for a record that is not data.
    """
    database = store.database
    with database.read() as connection:
        _, kind, real_name = database.resolve(connection, name)
    if kind not in ENTITY_KINDS:
        raise InvalidRecord(f"{kind}:{real_name} is not data: {refusal}")
    return kind, real_name


@dataclass(frozen=True)
class Revocation:
    """A record that a source, dataset or model must no longer be used, from `effective`."""

    id: str
    """'revocation:NAME'."""
    subject: str
    """The revoked record, 'kind:name'."""
    reason: str
    effective: str
    """The date from which it must no longer be used (the recording date when none given)."""
    recorded_at: str
    by: tuple[str, ...] = ()
    via: str | None = None
    """The record the revocation names, when `subject` is another record with the same
    content (the same digest): revoking Books3 reaches every copy of it."""

    def in_force(self, today: str) -> bool:
        """True when the revocation has taken effect by `today` (an ISO date)."""
        return self.effective <= today


@dataclass(frozen=True)
class RecordedCheck:
    """What the latest `lineage verify` found for one record."""

    verification: str
    """'verification:NAME', the run that found it."""
    at: str
    """When it was recorded (ISO 8601, UTC)."""
    status: str
    """matching, changed, missing or unreadable."""
    recorded: str | None
    found: str | None
    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    files: dict[str, str] | None = None
    """For a folder checked clean: each file's digest, the baseline of later checks."""
    files_in: str | None = None
    """The verification whose record holds `files` (a later run that found the same
    files refers to it rather than storing them again)."""

    @property
    def text(self) -> str:
        """One line for reports: 'matching (lineage verify, 2026-11-29T...)'."""
        day = self.at[:19].replace("T", " ")
        what = {
            "matching": "matches",
            "changed": f"CHANGED (now {self.found})",
            "missing": "MISSING",
            "unreadable": "unreadable",
        }.get(self.status, self.status)
        parts = [f"{label} {', '.join(items)}" for label, items in self.file_changes() if items]
        detail = f"; {'; '.join(parts)}" if parts else ""
        return f"{what}{detail} (lineage verify, {day} UTC)"

    def file_changes(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (("changed", self.changed), ("added", self.added), ("removed", self.removed))


def _tx(bound: int | None, column: str) -> str:
    return f" AND {column} <= {int(bound)}" if bound is not None else ""


def revocations(connection: Connection, bound: int | None = None) -> list[Revocation]:
    """Every revocation recorded up to ledger entry `bound`, oldest first."""
    rows = fetch_rows(
        connection,
        "SELECT r.id, r.name, r.description, r.effective, l.recorded_at, o.kind, o.name, "
        "e.relation, e.object FROM node r JOIN ledger l ON l.seq = r.tx "
        "JOIN edge e ON e.subject = r.id JOIN node o ON o.id = e.object "
        f"WHERE r.kind = 'revocation'{_tx(bound, 'r.tx')} ORDER BY r.id",
        {},
    )
    subject: dict[int, str] = {}
    subject_ids: dict[int, int] = {}
    agents: dict[int, list[str]] = {}
    facts: dict[int, tuple[str, str | None, str | None, str]] = {}
    for rid, name, reason, effective, recorded_at, kind, other, relation, object_id in rows:
        facts[rid] = (name, reason, effective, recorded_at)
        if relation == "was_attributed_to":
            agents.setdefault(rid, []).append(f"{kind}:{other}")
        else:
            subject[rid] = f"{kind}:{other}"
            subject_ids[rid] = object_id
    found = [
        (
            Revocation(
                id=f"revocation:{name}",
                subject=subject[rid],
                reason=reason or "",
                effective=effective or recorded_at[:10],
                recorded_at=recorded_at,
                by=tuple(sorted(agents.get(rid, ()))),
            ),
            subject_ids[rid],
        )
        for rid, (name, reason, effective, recorded_at) in facts.items()
        if rid in subject
    ]
    return [r for r, _ in found] + _copies_revoked(connection, found, bound)


def _copies_revoked(
    connection: Connection, found: list[tuple[Revocation, int]], bound: int | None
) -> list[Revocation]:
    """The revocations reaching the records with the same content (digest) as a revoked one."""
    if not found:
        return []
    copies = same_content(connection, {node_id for _, node_id in found}, bound)
    named = {r.subject for r, _ in found}
    return [
        replace(revocation, subject=copy.id, via=revocation.subject)
        for revocation, node_id in found
        for copy in copies.get(node_id, ())
        if copy.id not in named  # a copy revoked in its own right is listed as such
    ]


def latest_checks(
    connection: Connection, records: Iterable[str] | None = None, bound: int | None = None
) -> dict[str, RecordedCheck]:
    """The latest `lineage verify` result of each record ('kind:name'), up to `bound`.

    With `records`, only those records are returned.
    """
    wanted = set(records) if records is not None else None
    rows = fetch_rows(
        connection,
        # CROSS JOIN keeps SQLite's order (the few verifications, then their relations):
        # without statistics it would scan every relation in the store instead.
        "SELECT o.kind, o.name, v.id FROM node v CROSS JOIN edge e CROSS JOIN node o "
        "WHERE e.subject = v.id AND o.id = e.object "
        f"AND v.kind = 'verification'{_tx(bound, 'v.tx')}",
        {},
    )
    newest: dict[str, int] = {}
    for kind, name, vid in rows:
        key = f"{kind}:{name}"
        if (wanted is None or key in wanted) and vid > newest.get(key, 0):
            newest[key] = vid
    if not newest:
        return {}
    ids = sorted(set(newest.values()))
    runs: dict[int, tuple[str, str, dict[str, Any]]] = {}
    for start in range(0, len(ids), 500):
        marks = ", ".join(str(i) for i in ids[start : start + 500])
        for vid, name, attrs, recorded_at in fetch_rows(
            connection,
            "SELECT v.id, v.name, v.attrs, l.recorded_at FROM node v "
            f"JOIN ledger l ON l.seq = v.tx WHERE v.id IN ({marks})",
            {},
        ):
            runs[vid] = (name, recorded_at, json.loads(attrs) if attrs else {})
    out: dict[str, RecordedCheck] = {}
    elsewhere: dict[str, str] = {}
    for key, vid in newest.items():
        name, recorded_at, attrs = runs[vid]
        result = (attrs.get("results") or {}).get(key)
        if result is None:
            continue  # the verification names this record as its target only
        files_in = None
        if result.get("files") is not None:
            files_in = f"verification:{name}"
        elif result.get("files_in"):
            files_in = str(result["files_in"])
            elsewhere[key] = files_in.removeprefix("verification:")
        out[key] = RecordedCheck(
            verification=f"verification:{name}",
            at=recorded_at,
            status=str(result.get("status")),
            recorded=result.get("recorded"),
            found=result.get("found"),
            changed=tuple(result.get("changed") or ()),
            added=tuple(result.get("added") or ()),
            removed=tuple(result.get("removed") or ()),
            files=result.get("files"),
            files_in=files_in,
        )
    if elsewhere:
        held = _files_held(connection, set(elsewhere.values()))
        for key, name in elsewhere.items():
            out[key] = replace(out[key], files=held.get(name, {}).get(key))
    return out


def full_checks_since(connection: Connection, since: str) -> dict[str, str]:
    """When a full `lineage verify` (every file hashed, the digest cache ignored) last
    hashed each record ('kind:name'), among the runs recorded at or after `since`
    (ISO 8601 UTC). Records no such run hashed are left out."""
    rows = fetch_rows(
        connection,
        "SELECT v.attrs, l.recorded_at FROM node v JOIN ledger l ON l.seq = v.tx "
        "WHERE v.kind = 'verification' AND l.recorded_at >= :since",
        {"since": since},
    )
    out: dict[str, str] = {}
    for attrs, recorded_at in rows:
        data = json.loads(attrs) if attrs else {}
        if data.get("full") is not True:
            continue
        for key in data.get("results") or {}:
            if recorded_at > out.get(key, ""):
                out[key] = recorded_at
    return out


def _files_held(connection: Connection, names: set[str]) -> dict[str, dict[str, Any]]:
    """Verification name -> record -> the per-file digests stored in that verification."""
    held: dict[str, dict[str, Any]] = {}
    query = select(NODE.c.name, NODE.c.attrs).where(
        NODE.c.kind == "verification", NODE.c.name.in_(sorted(names))
    )
    for name, attrs in connection.execute(query):
        results = (json.loads(attrs) if attrs else {}).get("results") or {}
        held[name] = {key: r.get("files") for key, r in results.items() if r.get("files")}
    return held
