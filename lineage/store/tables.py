"""The tables of the store. Rows are only ever inserted, never updated or deleted.

`node` holds one row per version of a record: the first version's `id` is the
record's identity (`node_id`), which edges point at. An amendment is a new row
with the same `node_id` and a higher `version`. Every row belongs to the ledger
transaction (`tx`) that wrote it and carries a `seal`, the SHA-256 of its
canonical form, so that `audit verify` can name a row edited behind our back.

The tables are SQLAlchemy Core: every read and write goes through Core or the DBAPI,
and Core alone keeps a command that opens the store from loading the ORM and pydantic
(issue 17). The DDL is what the sqlmodel classes of earlier releases made, column for
column (tests/store/test_tables_ddl.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

METADATA = MetaData()


ColumnType = TypeEngine[Any] | type[TypeEngine[Any]]


def _column(name: str, type_: ColumnType, *args: Any, **options: Any) -> Column[Any]:
    """A column whose name is a plain `str`, as the sqlmodel classes of earlier releases
    made it: Core's own names are `quoted_name`, a str subclass that orjson refuses as
    a key (row facts are keyed by column name)."""
    column: Column[Any] = Column(type_, *args, **options)
    column.name = column.key = name
    return column


def _required(name: str, type_: ColumnType = String) -> Column[Any]:
    return _column(name, type_, nullable=False)


def _optional(name: str, type_: ColumnType = String) -> Column[Any]:
    return _column(name, type_, nullable=True)


SCHEMA_INFO = Table(
    "schema_info",
    METADATA,
    _column("key", String(64), primary_key=True),
    _required("value"),
)

# One entry per write transaction, each chained to the one before.
LEDGER = Table(
    "ledger",
    METADATA,
    _column("seq", Integer, primary_key=True, autoincrement=False),
    _required("recorded_at", String(40)),
    _optional("actor"),
    _required("operation"),
    _optional("node_first", Integer),
    _optional("node_last", Integer),
    _optional("edge_first", Integer),
    _optional("edge_last", Integer),
    _required("record_count", Integer),
    _required("records_digest", String(64)),
    _required("prev_hash", String(64)),
    _required("entry_hash", String(64)),
)

# One version of a source, dataset, model, activity, agent or attestation.
NODE = Table(
    "node",
    METADATA,
    _column("id", Integer, primary_key=True, autoincrement=False),
    _required("node_id", Integer),
    _required("version", Integer),
    _required("kind", String(16)),
    _required("name"),
    _required("tx", Integer),  # the ledger entry that wrote the row; `audit verify` checks it
    _optional("reason"),
    _optional("effective", String(40)),
    _optional("description", Text),
    # entity facts
    _optional("owner"),
    _optional("uri"),
    _optional("license"),
    _optional("restrictions"),
    _optional("obtained", String(16)),
    _optional("generated_by"),
    _optional("personal_data", String(8)),
    _optional("personal_data_categories"),
    _optional("legal_basis"),
    _optional("copyright"),
    _optional("opt_outs", String(16)),
    _optional("collected_start", String(10)),
    _optional("collected_end", String(10)),
    _optional("first_used", String(10)),
    _optional("modality"),
    _optional("data_types"),
    _optional("size_bytes", BigInteger),  # BIGINT since schema version 5
    _optional("records", BigInteger),  # BIGINT since schema version 5
    _optional("tokens", BigInteger),  # BIGINT since schema version 5
    _optional("path"),
    _optional("digest", String(71)),
    _optional("intended_use", String(32)),
    # agent facts
    _optional("agent_type", String(16)),
    _optional("software_version"),
    # activity facts
    _optional("operation"),
    _optional("tool"),
    _optional("tool_version"),
    _optional("code_revision"),
    _optional("params", Text),
    _optional("started", String(40)),
    _optional("ended", String(40)),
    _optional("records_in", BigInteger),  # BIGINT since schema version 5
    _optional("records_out", BigInteger),  # BIGINT since schema version 5
    _optional("status", String(16)),
    # attestation facts
    _optional("decision", String(16)),
    _optional("tier", String(32)),
    _optional("scope"),
    _optional("conditions", Text),
    _optional("expires", String(10)),
    _optional("attrs", Text),
    # schema version 3: evaluation facts, and what data covers and lacks
    _optional("metric"),
    _optional("metric_value", Float),
    _optional("slice"),
    _optional("category", String(16)),
    _optional("threshold", Float),
    _optional("direction", String(20)),
    _optional("outcome", String(8)),  # 'pass' or 'fail', derived
    _optional("ci_lower", Float),
    _optional("ci_upper", Float),
    _optional("coverage", Text),
    _optional("known_biases", Text),
    _optional("limitations", Text),
    # schema version 4: the licence the publisher declares, beside the concluded
    # `license` (SPDX separates the two)
    _optional("declared_license"),
    # Every column after `attrs` was added by a later migration, in the order the
    # migrations add them; they join a row's seal only when set (`SEALED_UNLESS_SET`).
    _required("seal", String(64)),
    # Unique indexes rather than constraints, so a first bulk load can build them
    # last. Name first: it also serves lookups by bare name.
    Index("uq_node_name_kind_version", "name", "kind", "version", unique=True),
    Index("ix_node_node_id", "node_id", "version"),
    # and DIGEST_INDEX, below
)

# Schema version 6: records with the same content are found by their digest; the index
# is partial, so rows without one (most runs, agents, sign-offs) cost no index entry.
# It is DDL text, the same on both engines, rather than an Index here: a WHERE clause is
# a dialect option, and naming one loads that dialect, which cost every command on a
# SQLite store 35 ms of PostgreSQL dialect (issue 17). The sqlmodel class that creates
# a store declares it as an Index (tests/store/test_tables_ddl.py compares the two).
DIGEST_INDEX = "ix_node_digest"
DIGEST_INDEX_DDL = f"CREATE INDEX {DIGEST_INDEX} ON node (digest) WHERE digest IS NOT NULL"

# A PROV relation from the dependent record (`subject`) to what it depends on.
EDGE = Table(
    "edge",
    METADATA,
    _column("id", Integer, primary_key=True, autoincrement=False),
    _column("subject", Integer, ForeignKey("node.id"), nullable=False),
    _column("object", Integer, ForeignKey("node.id"), nullable=False),
    _required("relation", String(32)),
    _optional("role"),
    _required("tx", Integer),  # the ledger entry that wrote the row; `audit verify` checks it
    _required("seal", String(64)),
    Index("uq_edge", "subject", "object", "relation", unique=True),
    Index("ix_edge_object", "object"),
)

# An API token event: created, or revoked by a later row. Only the SHA-256 of the
# token is kept; the token itself is shown once, when it is created.
API_TOKEN = Table(
    "api_token",
    METADATA,
    _column("id", Integer, primary_key=True, autoincrement=False),
    _required("name"),
    _required("token_hash", String(64)),
    _required("action", String(8)),  # 'create' or 'revoke'
    _required("tx", Integer),  # the ledger entry that wrote the row
    _required("seal", String(64)),
    Index("ix_api_token_hash", "token_hash"),
)

# Another name of a record (an OpenLineage symlink, a table's storage path, a name
# recorded before naming changed): looking the name up finds the record. Schema 6.
ALIAS = Table(
    "alias",
    METADATA,
    _column("id", Integer, primary_key=True, autoincrement=False),
    _required("name"),
    _required("node_id", Integer),  # the record (its first version's id) the name stands for
    _required("tx", Integer),  # the ledger entry that wrote the row
    _required("seal", String(64)),
    Index("uq_alias_name", "name", unique=True),
)

# The store's data root, as set or moved: the newest row is in force. Recorded paths
# below it are stored relative to it, so moving the data is one new row. Schema 6.
DATA_ROOT = Table(
    "data_root",
    METADATA,
    _column("id", Integer, primary_key=True, autoincrement=False),
    _required("path"),  # an absolute folder
    _required("tx", Integer),  # the ledger entry that wrote the row
    _required("seal", String(64)),
)

# Column order is part of the seal's definition: never reorder, only append.
NODE_COLUMNS: tuple[str, ...] = tuple(c.name for c in NODE.columns if c.name != "seal")
EDGE_COLUMNS: tuple[str, ...] = tuple(c.name for c in EDGE.columns if c.name != "seal")
API_TOKEN_COLUMNS: tuple[str, ...] = tuple(c.name for c in API_TOKEN.columns if c.name != "seal")
ALIAS_COLUMNS: tuple[str, ...] = tuple(c.name for c in ALIAS.columns if c.name != "seal")
DATA_ROOT_COLUMNS: tuple[str, ...] = tuple(c.name for c in DATA_ROOT.columns if c.name != "seal")
# Node columns added by later migrations, each step's in the order it adds them.
EVALUATION_COLUMNS = (  # schema version 3
    "metric",
    "metric_value",
    "slice",
    "category",
    "threshold",
    "direction",
    "outcome",
    "ci_lower",
    "ci_upper",
    "coverage",
    "known_biases",
    "limitations",
)
DECLARED_LICENSE_COLUMNS = ("declared_license",)  # schema version 4
# Counts that outgrow 32 bits (a 5 GB crawl, 15T tokens): BIGINT since schema version 5.
COUNT_COLUMNS = ("size_bytes", "records", "tokens", "records_in", "records_out")
# Columns added after schema version 2 join a row's seal only when set, so that rows
# sealed before a column existed still verify (their value there is NULL). They trail
# the node columns (the ledger trims unset ones from the end of a row).
SEALED_UNLESS_SET = frozenset({*EVALUATION_COLUMNS, *DECLARED_LICENSE_COLUMNS})
assert NODE_COLUMNS[-len(SEALED_UNLESS_SET) :] == (
    *EVALUATION_COLUMNS,
    *DECLARED_LICENSE_COLUMNS,
)
IDENTITY_COLUMNS = ("id", "node_id", "version", "kind", "name", "tx", "reason", "effective")
# The write path builds rows as identity columns followed by the facts, in table order.
assert NODE_COLUMNS[: len(IDENTITY_COLUMNS)] == IDENTITY_COLUMNS
FACT_COLUMNS: tuple[str, ...] = NODE_COLUMNS[len(IDENTITY_COLUMNS) :]
# Facts stored as canonical JSON text (lists and mappings); readers decode them.
JSON_COLUMNS = frozenset(
    {
        "restrictions",
        "personal_data_categories",
        "modality",
        "data_types",
        "params",
        "attrs",
        "conditions",
        "coverage",
        "known_biases",
        "limitations",
    }
)
