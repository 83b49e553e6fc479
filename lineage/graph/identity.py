"""Records that hold the same content under different names (a mirror, a re-upload, a
renamed file): sources, datasets and models whose version in force records the same
content digest. Found through the digest index (`ix_node_digest`): one indexed query per
500 digests asked about, and the versions in force read only for digests that more than
one record ever recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from lineage.graph.closure import versions_of
from lineage.store.tables import NODE
from lineage.vocabulary import ENTITY_KINDS

_CHUNK = 500


@dataclass(frozen=True)
class Copy:
    """A record holding some content: its node id, 'kind:name' and digest."""

    node_id: int
    id: str
    digest: str
    row: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Its version in force, as stored."""


def holders(
    connection: Connection, digests: Iterable[str], bound: int | None = None
) -> dict[str, tuple[Copy, ...]]:
    """Each of `digests` that two or more records hold in their version in force (at
    ledger entry `bound`) -> those records, sorted by 'kind:name'."""
    wanted = sorted(set(digests))
    ever: dict[str, set[int]] = {}
    for i in range(0, len(wanted), _CHUNK):
        query = select(NODE.c.node_id, NODE.c.digest).where(
            NODE.c.digest.in_(wanted[i : i + _CHUNK])
        )
        if bound is not None:
            query = query.where(NODE.c.tx <= bound)
        for node_id, digest in connection.execute(query):
            ever.setdefault(str(digest), set()).add(int(node_id))
    shared = {n for ids in ever.values() if len(ids) > 1 for n in ids}
    if not shared:
        return {}
    # A record amended to another digest no longer holds that content.
    current = versions_of(connection, shared, bound)
    found: dict[str, list[Copy]] = {}
    for node_id in sorted(shared):
        row = current.get(node_id)
        if row is None or row["kind"] not in ENTITY_KINDS or not row.get("digest"):
            continue
        digest = str(row["digest"])
        if digest in ever:
            found.setdefault(digest, []).append(
                Copy(node_id, f"{row['kind']}:{row['name']}", digest, row)
            )
    return {
        digest: tuple(sorted(copies, key=lambda c: c.id))
        for digest, copies in found.items()
        if len(copies) > 1
    }


def same_content(
    connection: Connection, node_ids: Iterable[int], bound: int | None = None
) -> dict[int, tuple[Copy, ...]]:
    """Each record of `node_ids` that has copies -> the other records whose version in
    force (at ledger entry `bound`) records its digest, sorted by 'kind:name'."""
    asked = versions_of(connection, set(node_ids), bound)
    digests = {
        node_id: str(row["digest"])
        for node_id, row in asked.items()
        if row["kind"] in ENTITY_KINDS and row.get("digest")
    }
    found = holders(connection, digests.values(), bound)
    out: dict[int, tuple[Copy, ...]] = {}
    for node_id, digest in digests.items():
        others = tuple(c for c in found.get(digest, ()) if c.node_id != node_id)
        if others:
            out[node_id] = others
    return out


def copies_of(
    connection: Connection, digests: Mapping[str, str], bound: int | None = None
) -> dict[str, tuple[Copy, ...]]:
    """Records ('kind:name' -> the digest its version in force records) that have copies
    -> their copies (see `same_content`)."""
    found = holders(connection, digests.values(), bound)
    out: dict[str, tuple[Copy, ...]] = {}
    for record, digest in digests.items():
        others = tuple(c for c in found.get(digest, ()) if c.id != record)
        if others:
            out[record] = others
    return out
