"""Shared fixtures: a store on SQLite (a real file) and on PostgreSQL (a fresh schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from samples import PG_URL, SAMPLE, fresh_pg_schema, table_counts  # noqa: F401 - re-exported for older imports

import lineage

_pg_reason: str | None = None


def _postgres_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when the server answers."""
    global _pg_reason
    if _pg_reason is None:
        try:
            engine = sqlalchemy.create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            engine.dispose()
            _pg_reason = ""
        except Exception as error:  # any failure means "no server here"
            first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            _pg_reason = f"no PostgreSQL server at {PG_URL} ({first}); set LINEAGE_TEST_PG"
    return _pg_reason or None


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the digest cache and the working folder inside the test's own folder."""
    monkeypatch.setenv("LINEAGE_CACHE", str(tmp_path / "digest-cache.sqlite"))
    monkeypatch.delenv("LINEAGE_DB", raising=False)
    monkeypatch.setenv("LINEAGE_ACTOR", "pytest")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to a fresh, empty PostgreSQL schema, dropped afterwards."""
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL on each engine: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lineage.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[lineage.Store]:
    """An empty, initialised store on each engine."""
    with lineage.open_store(db_url) as opened:
        yield opened


@pytest.fixture
def sample_store(store: lineage.Store) -> lineage.Store:
    """A store holding the lineage of sample_data/, its paths kept relative to the
    repository (the data root), as the golden files show them."""
    store.set_data_root(str(SAMPLE.parent))
    store.ingest([str(SAMPLE / "lineage.yaml")])
    return store


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden`: rewrite the golden files in tests/golden/ instead of comparing."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files (tests/golden/) from the current output; review the diff",
    )
