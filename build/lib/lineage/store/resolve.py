"""Finding records by name: in the transaction being written first, then in the store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from lineage.errors import AmbiguousName, UnknownNode
from lineage.store.pending import ENTITIES, ENTITY, Ref
from lineage.store.tables import FACT_COLUMNS, NODE

LOOKUP_CHUNK = 500  # names or ids per IN (...) query


def prefix(where: object) -> str:
    text = str(where)
    return f"{text}: " if text else ""


def label(kind: str | None, name: str) -> str:
    return f"{kind} {name!r}" if kind and kind != ENTITY else repr(name)


class NameResolver:
    """Maps (kind, name) to node ids: new records of the batch first, then the store."""

    def __init__(self, connection: Connection, store_empty: bool) -> None:
        self.connection = connection
        self.store_empty = store_empty
        # Most names are recorded under one kind only; they live in `single`, the
        # others in `several`, so the common lookup is one dict access.
        self.single: dict[str, tuple[str, int]] = {}
        self.several: dict[str, dict[str, int]] = {}
        self.looked_up: set[str] = set()

    def remember(self, kind: str, name: str, node_id: int) -> None:
        if name in self.several:
            self.several[name][kind] = node_id
            return
        known = self.single.get(name)
        if known is None or known[0] == kind:
            self.single[name] = (kind, node_id)
        else:
            del self.single[name]
            self.several[name] = {known[0]: known[1], kind: node_id}

    def load(self, names: Iterable[str]) -> None:
        if self.store_empty:
            return
        wanted = sorted(
            {n for n in names if n not in self.single and n not in self.several} - self.looked_up
        )
        self.looked_up.update(wanted)
        for i in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[i : i + LOOKUP_CHUNK]
            rows = self.connection.execute(
                select(NODE.c.id, NODE.c.kind, NODE.c.name).where(
                    NODE.c.version == 1, NODE.c.name.in_(chunk)
                )
            )
            for node_id, kind, name in rows:
                self.remember(kind, name, node_id)

    def find(self, ref: Ref) -> tuple[str, int] | None:
        kind, name = ref
        hit = self.single.get(name)
        if hit is not None:
            if kind is None or kind == hit[0] or (kind == ENTITY and hit[0] in ENTITIES):
                return hit
            return None
        found = self.several.get(name)
        if not found:
            return None
        if kind == ENTITY:
            found = {k: v for k, v in found.items() if k in ENTITIES}
        elif kind is not None:
            return (kind, found[kind]) if kind in found else None
        if not found:
            return None
        if len(found) > 1:
            kinds = " or ".join(f"{k}:{name}" for k in sorted(found))
            raise AmbiguousName(f"{name!r} names more than one record: write {kinds}")
        ((kind_found, node_id),) = found.items()
        return kind_found, node_id

    def require(self, ref: Ref, where: object, role: str) -> tuple[str, int]:
        found = self.find(ref)
        if found is None:
            kind, name = ref
            of_kind = "" if kind in (None, ENTITY, role) else f" {kind}"
            shown = f"{role}{of_kind} {name!r}"
            raise UnknownNode(f"{prefix(where)}{shown} is not recorded")
        return found


def current_versions(connection: Connection, node_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    current: dict[int, dict[str, Any]] = {}
    for i in range(0, len(node_ids), LOOKUP_CHUNK):
        chunk = list(node_ids[i : i + LOOKUP_CHUNK])
        for row in connection.execute(select(NODE).where(NODE.c.node_id.in_(chunk))).mappings():
            have = current.get(row["node_id"])
            if have is None or row["version"] > have["version"]:
                current[row["node_id"]] = dict(row)
    return current


def facts_equal(stored: dict[str, Any], facts: dict[str, Any]) -> bool:
    return all(stored.get(c) == facts.get(c) for c in FACT_COLUMNS)


def current_by_name(
    connection: Connection, refs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The version in force of each recorded (kind, name) in `refs` (unrecorded ones left out)."""
    wanted = sorted(set(refs))
    names = sorted({name for _, name in wanted})
    ids: dict[tuple[str, str], int] = {}
    for i in range(0, len(names), LOOKUP_CHUNK):
        query = select(NODE.c.kind, NODE.c.name, NODE.c.id).where(
            NODE.c.version == 1, NODE.c.name.in_(names[i : i + LOOKUP_CHUNK])
        )
        for kind, name, node_id in connection.execute(query):
            ids[(kind, name)] = node_id
    found = {ref: ids[ref] for ref in wanted if ref in ids}
    current = current_versions(connection, list(found.values()))
    return {ref: current[node_id] for ref, node_id in found.items()}
