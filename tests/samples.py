"""What several test folders share: where the sample data is, and how to count rows."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def table_counts(url: str) -> dict[str, int]:
    """Row counts of every store table, to show a failed write left nothing behind."""
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one()
                for table in ("node", "edge", "ledger")
            }
    finally:
        engine.dispose()
