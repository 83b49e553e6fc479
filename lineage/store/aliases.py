"""Other names of records: looking a record up by an alias finds the record itself."""

from __future__ import annotations

import re

from sqlalchemy import Connection, select

from lineage.store.tables import ALIAS, NODE


def aliases_of(connection: Connection, node_id: int, bound: int | None = None) -> tuple[str, ...]:
    """The other names of the record `node_id` (as recorded at ledger entry `bound`), sorted."""
    query = select(ALIAS.c.name).where(ALIAS.c.node_id == node_id)
    if bound is not None:
        query = query.where(ALIAS.c.tx <= bound)
    return tuple(sorted(str(name) for name in connection.execute(query).scalars()))


def record_of_alias(
    connection: Connection, name: str, kind: str | None = None
) -> tuple[int, str, str] | None:
    """(node id, kind, name) of the record `name` is another name of, or None."""
    query = (
        select(NODE.c.id, NODE.c.kind, NODE.c.name)
        .join(ALIAS, ALIAS.c.node_id == NODE.c.id)
        .where(ALIAS.c.name == name)
    )
    if kind:
        query = query.where(NODE.c.kind == kind)
    row = connection.execute(query).first()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


# scheme://authority/path, as OpenLineage dataset URIs are written since schema 6.
_URI = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<authority>[^/]*)(?P<path>/.+)$")


def earlier_names(name: str) -> tuple[str, ...]:
    """The names releases before schema 6 gave the OpenLineage dataset `name` (a URI):
    namespace and name joined by a slash, so `file:///data/x` was `file//data/x` and
    `hdfs://nn:8020/user/x` was `hdfs://nn:8020//user/x`."""
    found = _URI.match(name)
    if found is None:
        return ()
    scheme, authority, path = found.group("scheme", "authority", "path")
    if not authority:
        return (f"{scheme}/{path}",)
    return (f"{scheme}://{authority}/{path}",)
