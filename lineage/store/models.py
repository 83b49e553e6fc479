"""The store's schema declared as sqlmodel classes: what creates a new store.

`lineage.store.tables` holds the same tables as SQLAlchemy Core objects, which every
read and write uses: importing sqlmodel (and with it pydantic and the ORM) costs a
command that only opens an existing store about 150 ms, most of its start-up
(issue 17). These classes are imported only to create a store (`migrations._create_v1`),
and tests/store/test_tables_ddl.py holds both to the same DDL, column for column, on
SQLite and PostgreSQL: change one, change the other.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Text, text
from sqlmodel import Field, SQLModel


class SchemaInfo(SQLModel, table=True):
    __tablename__ = "schema_info"

    key: str = Field(primary_key=True, max_length=64)
    value: str


class Ledger(SQLModel, table=True):
    """One entry per write transaction, each chained to the one before."""

    __tablename__ = "ledger"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    recorded_at: str = Field(max_length=40)
    actor: str | None = None
    operation: str
    node_first: int | None = None
    node_last: int | None = None
    edge_first: int | None = None
    edge_last: int | None = None
    record_count: int
    records_digest: str = Field(max_length=64)
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)


class Node(SQLModel, table=True):
    """One version of a source, dataset, model, activity, agent or attestation."""

    __tablename__ = "node"
    __table_args__ = (
        # Unique indexes rather than constraints, so a first bulk load can build them
        # last. Name first: it also serves lookups by bare name.
        Index("uq_node_name_kind_version", "name", "kind", "version", unique=True),
        Index("ix_node_node_id", "node_id", "version"),
        # schema version 6: records with the same content are found by their digest;
        # partial, so rows without one (most runs, agents, sign-offs) cost no index entry
        Index(
            "ix_node_digest",
            "digest",
            sqlite_where=text("digest IS NOT NULL"),
            postgresql_where=text("digest IS NOT NULL"),
        ),
    )

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    node_id: int
    version: int
    kind: str = Field(max_length=16)
    name: str
    tx: int  # the ledger entry that wrote the row; `audit verify` checks it exists
    reason: str | None = None
    effective: str | None = Field(default=None, max_length=40)
    description: str | None = Field(default=None, sa_type=Text)
    # entity facts
    owner: str | None = None
    uri: str | None = None
    license: str | None = None
    restrictions: str | None = None
    obtained: str | None = Field(default=None, max_length=16)
    generated_by: str | None = None
    personal_data: str | None = Field(default=None, max_length=8)
    personal_data_categories: str | None = None
    legal_basis: str | None = None
    copyright: str | None = None
    opt_outs: str | None = Field(default=None, max_length=16)
    collected_start: str | None = Field(default=None, max_length=10)
    collected_end: str | None = Field(default=None, max_length=10)
    first_used: str | None = Field(default=None, max_length=10)
    modality: str | None = None
    data_types: str | None = None
    size_bytes: int | None = Field(default=None, sa_type=BigInteger)
    records: int | None = Field(default=None, sa_type=BigInteger)
    tokens: int | None = Field(default=None, sa_type=BigInteger)
    path: str | None = None
    digest: str | None = Field(default=None, max_length=71)
    intended_use: str | None = Field(default=None, max_length=32)
    # agent facts
    agent_type: str | None = Field(default=None, max_length=16)
    software_version: str | None = None
    # activity facts
    operation: str | None = None
    tool: str | None = None
    tool_version: str | None = None
    code_revision: str | None = None
    params: str | None = Field(default=None, sa_type=Text)
    started: str | None = Field(default=None, max_length=40)
    ended: str | None = Field(default=None, max_length=40)
    records_in: int | None = Field(default=None, sa_type=BigInteger)
    records_out: int | None = Field(default=None, sa_type=BigInteger)
    status: str | None = Field(default=None, max_length=16)
    # attestation facts
    decision: str | None = Field(default=None, max_length=16)
    tier: str | None = Field(default=None, max_length=32)
    scope: str | None = None
    conditions: str | None = Field(default=None, sa_type=Text)
    expires: str | None = Field(default=None, max_length=10)
    attrs: str | None = Field(default=None, sa_type=Text)
    # schema version 3: evaluation facts, and what data covers and lacks
    metric: str | None = None
    metric_value: float | None = None
    slice: str | None = None
    category: str | None = Field(default=None, max_length=16)
    threshold: float | None = None
    direction: str | None = Field(default=None, max_length=20)
    outcome: str | None = Field(default=None, max_length=8)  # 'pass' or 'fail', derived
    ci_lower: float | None = None
    ci_upper: float | None = None
    coverage: str | None = Field(default=None, sa_type=Text)
    known_biases: str | None = Field(default=None, sa_type=Text)
    limitations: str | None = Field(default=None, sa_type=Text)
    # schema version 4: the licence the publisher declares, beside the concluded
    # `license` (SPDX separates the two)
    declared_license: str | None = None
    # Every column after `attrs` was added by a later migration, in the order the
    # migrations add them; they join a row's seal only when set (`SEALED_UNLESS_SET`).
    seal: str = Field(max_length=64)


class Edge(SQLModel, table=True):
    """A PROV relation from the dependent record (`subject`) to what it depends on."""

    __tablename__ = "edge"
    __table_args__ = (
        Index("uq_edge", "subject", "object", "relation", unique=True),
        Index("ix_edge_object", "object"),
    )

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    subject: int = Field(foreign_key="node.id")
    object: int = Field(foreign_key="node.id")
    relation: str = Field(max_length=32)
    role: str | None = None
    tx: int  # the ledger entry that wrote the row; `audit verify` checks it exists
    seal: str = Field(max_length=64)


class ApiToken(SQLModel, table=True):
    """An API token event: created, or revoked by a later row. Only the SHA-256 of the
    token is kept; the token itself is shown once, when it is created."""

    __tablename__ = "api_token"
    __table_args__ = (Index("ix_api_token_hash", "token_hash"),)

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str
    token_hash: str = Field(max_length=64)
    action: str = Field(max_length=8)  # 'create' or 'revoke'
    tx: int  # the ledger entry that wrote the row
    seal: str = Field(max_length=64)


class Alias(SQLModel, table=True):
    """Another name of a record (an OpenLineage symlink, a table's storage path, a name
    recorded before naming changed): looking the name up finds the record. Schema 6."""

    __tablename__ = "alias"
    __table_args__ = (Index("uq_alias_name", "name", unique=True),)

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str
    node_id: int  # the record (its first version's id) the name stands for
    tx: int  # the ledger entry that wrote the row
    seal: str = Field(max_length=64)


class DataRoot(SQLModel, table=True):
    """The store's data root, as set or moved: the newest row is in force. Recorded paths
    below it are stored relative to it, so moving the data is one new row. Schema 6."""

    __tablename__ = "data_root"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    path: str  # an absolute folder
    tx: int  # the ledger entry that wrote the row
    seal: str = Field(max_length=64)
