"""The store's data root: the folder recorded paths below it are stored relative to.

A path is recorded absolute (a relative `--path` or manifest path is first made
absolute against the folder it was given in), except below the data root, where
it is stored relative to the root. Reading joins a relative path to the root in
force, so moving the data is one new `data_root` row (`lineage data-root move`),
never a rewrite of recorded rows. A store without a data root reads relative
paths recorded by earlier releases from the current folder, as they always were.
"""

from __future__ import annotations

import os

from sqlalchemy import Connection, Engine, func, select

from lineage.errors import InvalidRecord
from lineage.store.engine import write_transaction
from lineage.store.ledger import append_entry, head, records_digest, seal_of
from lineage.store.pending import WriteResult
from lineage.store.tables import DATA_ROOT, DATA_ROOT_COLUMNS


def current_data_root(connection: Connection, bound: int | None = None) -> str | None:
    """The data root in force (as recorded at ledger transaction `bound`), or None."""
    query = select(DATA_ROOT.c.path).order_by(DATA_ROOT.c.id.desc()).limit(1)
    if bound is not None:
        query = query.where(DATA_ROOT.c.tx <= bound)
    found = connection.execute(query).scalar()
    return str(found) if found is not None else None


def stored_path(path: str, root: str | None) -> str:
    """How `path` (absolute, or relative to the current folder) is recorded."""
    full = os.path.abspath(path)
    if root is not None:
        relative = os.path.relpath(full, root)
        if relative == os.curdir:
            return relative
        if not relative.startswith(os.pardir + os.sep) and relative != os.pardir:
            return relative
    return full


def real_path(recorded: str, root: str | None) -> str:
    """Where a recorded path is now: below the data root when it was stored relative."""
    if os.path.isabs(recorded) or root is None:
        return recorded
    return os.path.normpath(os.path.join(root, recorded))


def record_data_root(engine: Engine, path: str, operation: str) -> WriteResult:
    """Append a data root row (the newest is in force) in a transaction of its own."""
    with write_transaction(engine) as connection:
        previous = head(connection)
        tx = (previous["seq"] + 1) if previous else 1
        next_id = (connection.execute(select(func.max(DATA_ROOT.c.id))).scalar() or 0) + 1
        values = (next_id, path, tx)
        seal = seal_of(DATA_ROOT.name, values)
        entry = append_entry(
            connection,
            previous,
            operation=operation,
            node_range=None,
            edge_range=None,
            record_count=1,
            digest=records_digest([seal]),
        )
        row = dict(zip(DATA_ROOT_COLUMNS, values, strict=True))
        connection.execute(DATA_ROOT.insert(), {**row, "seal": seal})
    return WriteResult((), (), 0, entry["seq"], entry["entry_hash"])


def _folder(path: str, role: str) -> str:
    """`path` as an absolute, existing folder; InvalidRecord naming it otherwise."""
    if not path.strip():
        raise InvalidRecord(f"data root {role}: an empty path is not a folder")
    full = os.path.abspath(os.path.expanduser(path))
    if not os.path.isdir(full):
        what = "is not a folder" if os.path.exists(full) else "does not exist"
        raise InvalidRecord(f"data root {role} {full!r} {what}")
    return full


def set_data_root(engine: Engine, path: str) -> tuple[str, WriteResult | None]:
    """Record `path` (an existing folder) as the data root; a no-op when it already is.

    Raises InvalidRecord when `path` is not a folder, or when another data root is set
    (moving it is `move_data_root`, which says where the data went).
    """
    full = _folder(path, "DIR")
    with engine.connect() as connection:
        root = current_data_root(connection)
    if root == full:
        return full, None
    if root is not None:
        raise InvalidRecord(
            f"the data root is already {root!r}: to move the data use "
            f"'lineage data-root move {root} {full}'"
        )
    return full, record_data_root(engine, full, f"data-root set {full}")


def move_data_root(engine: Engine, old: str, new: str) -> tuple[str, WriteResult | None]:
    """Record that the data under the data root `old` is now under `new` (a folder).

    Raises InvalidRecord when `old` is not the data root in force or `new` is no folder.
    """
    with engine.connect() as connection:
        root = current_data_root(connection)
    if root is None:
        raise InvalidRecord("no data root is set: use 'lineage data-root set DIR' first")
    if os.path.abspath(os.path.expanduser(old)) != root:
        raise InvalidRecord(f"data root {old!r} is not the data root in force ({root!r})")
    full = _folder(new, "NEW")
    if full == root:
        return full, None
    return full, record_data_root(engine, full, f"data-root move {root} {full}")
