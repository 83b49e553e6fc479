"""The Core tables make the same DDL as the sqlmodel classes that declare the schema.

tests/golden/store/tables.sql was written from those classes (schema version 6) before
the tables became SQLAlchemy Core (issue 17): a store created by either is the same,
column for column, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from lineage.store.tables import (
    DIGEST_INDEX_DDL,
    FACT_COLUMNS,
    METADATA,
    NODE,
    NODE_COLUMNS,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "store" / "tables.sql"


def ddl(metadata: MetaData = METADATA, text_indexes: dict[str, list[str]] | None = None) -> str:
    """The DDL of `metadata`'s tables, each followed by its indexes (and, for a table
    named in `text_indexes`, the index DDL given there as text) in order of name."""
    lines: list[str] = []
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        lines.append(f"-- {dialect.name}")
        for name in sorted(metadata.tables):
            table = metadata.tables[name]
            lines.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
            indexes = [
                (str(index.name), str(CreateIndex(index).compile(dialect=dialect)).strip())
                for index in table.indexes
            ]
            indexes += [(text.split()[2], text) for text in (text_indexes or {}).get(name, [])]
            lines.extend(f"{text};" for _, text in sorted(indexes))
    return "\n".join(line.rstrip() for line in "\n".join(lines).splitlines()) + "\n"


def test_tables_make_the_ddl_of_the_sqlmodel_classes() -> None:
    core = ddl(text_indexes={NODE.name: [DIGEST_INDEX_DDL]})

    assert core == GOLDEN.read_text(encoding="utf-8")


def test_the_sqlmodel_classes_that_create_a_store_make_the_same_ddl() -> None:
    from sqlmodel import SQLModel

    import lineage.store.models  # noqa: F401 - declares the tables

    declared = MetaData()
    for table in SQLModel.metadata.tables.values():
        if table.name in METADATA.tables:
            table.to_metadata(declared)
    assert set(declared.tables) == set(METADATA.tables)
    # Copied tables list their foreign keys in no set order; everything else in order.
    assert _keys_sorted(ddl(declared)) == _keys_sorted(GOLDEN.read_text(encoding="utf-8"))


def _keys_sorted(text: str) -> list[str]:
    lines = [line.rstrip(",") for line in text.splitlines()]
    out: list[str] = []
    keys: list[str] = []
    for line in [*lines, ""]:
        if line.lstrip().startswith("FOREIGN KEY"):
            keys.append(line)
            continue
        out.extend(sorted(keys))
        keys = []
        out.append(line)
    return out


def test_column_names_are_plain_strings() -> None:
    # Row facts are keyed by column name, and orjson takes only plain str keys.
    names = [c.name for table in METADATA.tables.values() for c in table.columns]

    assert len(names) > 80
    assert {type(name) for name in names} == {str}
    assert {type(name) for name in (*NODE_COLUMNS, *FACT_COLUMNS)} == {str}
