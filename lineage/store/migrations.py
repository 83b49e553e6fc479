"""Schema versions and the steps between them.

A database records its schema version in `schema_info`. Opening it runs every
step from that version up to `SCHEMA_VERSION` in one transaction, so a store
made by any release opens with every later one. A database newer than this
code is refused rather than misread. Steps are append-only: once released, a
step never changes; a new table or column is a new step.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, text

from lineage.errors import StoreError
from lineage.store.tables import (
    ALIAS,
    API_TOKEN,
    COUNT_COLUMNS,
    DATA_ROOT,
    DIGEST_INDEX,
    DIGEST_INDEX_DDL,
    EVALUATION_COLUMNS,
    NODE,
    SCHEMA_INFO,
)


def _create_v1(connection: Connection) -> None:
    # A new store is made from the declared schema, the sqlmodel classes; reads and
    # writes use the Core tables, which make the same DDL (tests/store/test_tables_ddl.py).
    from sqlmodel import SQLModel

    import lineage.store.models  # noqa: F401 - declares the tables on SQLModel.metadata

    SQLModel.metadata.create_all(connection)


def _add_api_tokens(connection: Connection) -> None:
    # `_create_v1` creates every table defined now, so a new store has it already.
    API_TOKEN.create(connection, checkfirst=True)


def _add_evaluation_columns(connection: Connection) -> None:
    # `_create_v1` creates the table as defined now, so a new store has them already.
    present = {column["name"] for column in inspect(connection).get_columns("node")}
    for name in EVALUATION_COLUMNS:
        if name in present:
            continue
        kind = NODE.c[name].type.compile(dialect=connection.dialect)
        connection.exec_driver_sql(f"ALTER TABLE node ADD COLUMN {name} {kind}")


def _add_declared_license(connection: Connection) -> None:
    # A new store's `_create_v1` made the column already; an older one gains it empty,
    # which leaves every existing seal valid (see SEALED_UNLESS_SET).
    if "declared_license" not in {c["name"] for c in inspect(connection).get_columns(NODE.name)}:
        connection.execute(text("ALTER TABLE node ADD COLUMN declared_license VARCHAR"))


def _widen_counts(connection: Connection) -> None:
    # PostgreSQL made the counts INTEGER (32 bits), refusing a 5 GB size or 15T tokens.
    # SQLite's INTEGER is 64 bits already. Values are unchanged, and so are seals.
    if connection.dialect.name != "postgresql":
        return
    for name in COUNT_COLUMNS:
        connection.exec_driver_sql(f"ALTER TABLE node ALTER COLUMN {name} TYPE BIGINT")


def _add_identity(connection: Connection) -> None:
    # Schema 6: aliases, the data root and the digest index (issue 16); a new store
    # has them already.
    ALIAS.create(connection, checkfirst=True)
    DATA_ROOT.create(connection, checkfirst=True)
    if DIGEST_INDEX not in {i["name"] for i in inspect(connection).get_indexes(NODE.name)}:
        connection.execute(text(DIGEST_INDEX_DDL))


# MIGRATIONS[i] takes a database from version i to version i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _create_v1,
    _add_api_tokens,
    _add_evaluation_columns,
    _add_declared_license,
    _widen_counts,
    _add_identity,
]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(connection: Connection) -> int:
    """The schema version of the database behind `connection` (0 when empty)."""
    if not inspect(connection).has_table("schema_info"):
        return 0
    value = connection.execute(
        select(SCHEMA_INFO.c.value).where(SCHEMA_INFO.c.key == "schema_version")
    ).scalar_one_or_none()
    if value is None:
        return 0
    try:
        version = int(value)
    except ValueError:
        version = -1
    if version < 1:
        raise StoreError(
            f"table schema_info: schema version {str(value)[:40]!r} is not a version number "
            "(the store was altered outside lineage)"
        )
    return version


def migrate(connection: Connection) -> tuple[int, int]:
    """Bring the schema up to date; returns (version before, version after)."""
    before = current_version(connection)
    if before > SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {before}, newer than this lineage "
            f"(version {SCHEMA_VERSION}): upgrade lineage to open it"
        )
    for step in MIGRATIONS[before:]:
        step(connection)
    if before != SCHEMA_VERSION:
        table = SCHEMA_INFO
        if before == 0:
            connection.execute(
                table.insert().values(key="schema_version", value=str(SCHEMA_VERSION))
            )
        else:
            connection.execute(
                table.update()
                .where(table.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )
    return before, SCHEMA_VERSION
