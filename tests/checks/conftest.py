"""Fixtures for the rule tests: a SQLite store, and a function that records and checks."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rule_trails import NOW, Checker

import lineage
from lineage.checks import CheckResult, Policy


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[lineage.Store]:
    """An empty store in a SQLite file (the rules are engine-independent; see test_sample)."""
    with lineage.open_store(f"sqlite:///{tmp_path / 'rules.db'}") as opened:
        yield opened


@pytest.fixture
def checked(sqlite_store: lineage.Store) -> Checker:
    """Record a manifest, check its model (or `target`) and return the result."""

    def run(
        manifest: dict[str, Any],
        *,
        policy: Policy | None = None,
        target: str = "model",
        now: datetime = NOW,
    ) -> CheckResult:
        sqlite_store.record(copy.deepcopy(manifest))
        return lineage.check(sqlite_store, target, policy=policy, now=now)

    return run
