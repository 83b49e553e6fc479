"""Records that hold the same content under different names (a mirror, a re-upload, a
renamed file): sources, datasets and models whose version in force records the same
content digest. Found through the digest index, a few rows per record asked about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from lineage.graph.closure import versions_of
from lineage.store.tables import NODE
from lineage.vocabulary import ENTITY_KINDS

_CHUNK = 500


@dataclass(frozen=True)
class Copy:
    """A record with the same content as another: its node id, 'kind:name' and digest."""

    node_id: int
    id: str
    digest: str
    row: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Its version in force, as stored."""


def same_content(
    connection: Connection, node_ids: Iterable[int], bound: int | None = None
) -> dict[int, tuple[Copy, ...]]:
    """Each record of `node_ids` that has copies -> the other records whose version in
    force (at ledger entry `bound`) records its digest, sorted by 'kind:name'."""
    asked = versions_of(connection, set(node_ids), bound)
    digests: dict[str, list[int]] = {}
    for node_id, row in asked.items():
        if row["kind"] in ENTITY_KINDS and row.get("digest"):
            digests.setdefault(str(row["digest"]), []).append(node_id)
    if not digests:
        return {}
    candidates: set[int] = set()
    wanted = sorted(digests)
    for i in range(0, len(wanted), _CHUNK):
        query = select(NODE.c.node_id).where(NODE.c.digest.in_(wanted[i : i + _CHUNK]))
        if bound is not None:
            query = query.where(NODE.c.tx <= bound)
        candidates.update(connection.execute(query).scalars())
    # A record amended to another digest no longer holds that content.
    current = versions_of(connection, candidates - set(asked), bound) | asked
    holders: dict[str, list[Copy]] = {}
    for node_id in sorted(candidates):
        row = current.get(node_id)
        if row is None or row["kind"] not in ENTITY_KINDS or row.get("digest") not in digests:
            continue
        digest = str(row["digest"])
        holders.setdefault(digest, []).append(
            Copy(node_id, f"{row['kind']}:{row['name']}", digest, row)
        )
    out: dict[int, tuple[Copy, ...]] = {}
    for digest, ids in digests.items():
        for node_id in ids:
            others = sorted(
                (c for c in holders.get(digest, ()) if c.node_id != node_id), key=lambda c: c.id
            )
            if others:
                out[node_id] = tuple(others)
    return out


def content_groups(connection: Connection, bound: int | None = None) -> list[tuple[Copy, ...]]:
    """Every group of two or more records recording one digest (for `lineage check`)."""
    query = select(NODE.c.node_id, NODE.c.digest).where(NODE.c.digest.is_not(None))
    if bound is not None:
        query = query.where(NODE.c.tx <= bound)
    by_digest: dict[str, set[int]] = {}
    for node_id, digest in connection.execute(query):
        by_digest.setdefault(str(digest), set()).add(int(node_id))
    shared = {n for ids in by_digest.values() if len(ids) > 1 for n in ids}
    if not shared:
        return []
    current = versions_of(connection, shared, bound)
    groups: dict[str, list[Copy]] = {}
    for node_id, row in current.items():
        if row["kind"] in ENTITY_KINDS and row.get("digest"):
            copy = Copy(node_id, f"{row['kind']}:{row['name']}", str(row["digest"]), row)
            groups.setdefault(copy.digest, []).append(copy)
    return [tuple(sorted(g, key=lambda c: c.id)) for _, g in sorted(groups.items()) if len(g) > 1]


def copies_by_name(
    connection: Connection, records: Iterable[str], bound: int | None = None
) -> dict[str, tuple[Copy, ...]]:
    """Each of `records` ('kind:name') that has copies -> its copies (see `same_content`)."""
    wanted: dict[str, set[str]] = {}
    for record in records:
        kind, _, name = record.partition(":")
        if kind in ENTITY_KINDS:
            wanted.setdefault(name, set()).add(kind)
    names = sorted(wanted)
    ids: dict[int, str] = {}
    for i in range(0, len(names), _CHUNK):
        query = select(NODE.c.id, NODE.c.kind, NODE.c.name).where(
            NODE.c.version == 1, NODE.c.name.in_(names[i : i + _CHUNK])
        )
        for node_id, kind, name in connection.execute(query):
            if kind in wanted[name]:
                ids[int(node_id)] = f"{kind}:{name}"
    found = same_content(connection, ids, bound)
    return {ids[node_id]: copies for node_id, copies in found.items()}
