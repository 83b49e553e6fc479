"""Small trails built for one rule at a time: a clean one, and variations that break a rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from lineage.checks import CheckResult

NOW = datetime(2025, 7, 1, tzinfo=UTC)
DIGEST = "sha256:" + "ab" * 32


def clean_manifest() -> dict[str, Any]:
    """A trail that passes every rule: source -> clean -> dataset -> train -> model, approved."""
    return {
        "agents": [
            {"name": "acme", "type": "organization"},
            {"name": "alice", "type": "person", "acted_on_behalf_of": "acme"},
        ],
        "sources": [
            {
                "name": "src",
                "owner": "Acme Data",
                "uri": "https://data.example/src",
                "license": "MIT",
                "obtained": "public",
                "personal_data": "no",
                "opt_outs": "honoured",
                "digest": DIGEST,
                "records": 10,
            },
        ],
        # One content per record: records sharing a digest are copies (see same-content).
        "datasets": [{"name": "clean", "digest": "sha256:" + "ac" * 32, "records": 9}],
        "models": [
            {
                "name": "model",
                "owner": "Acme",
                "license": "MIT",
                "intended_use": "commercial",
                "digest": "sha256:" + "ad" * 32,
            }
        ],
        "runs": [
            {
                "operation": "filter",
                "name": "filter-run",
                "inputs": ["src"],
                "outputs": ["clean"],
                "agent": "alice",
            },
            {
                "operation": "train",
                "name": "train-run",
                "inputs": ["clean"],
                "outputs": ["model"],
                "agent": "alice",
            },
        ],
        "attestations": [
            {
                "name": "ok",
                "subject": "model",
                "by": "alice",
                "decision": "approved",
                "tier": "general-commercial",
                "effective": "2025-06-01",
                "expires": "2099-01-01",
            },
        ],
    }


def source(manifest: dict[str, Any], name: str = "src") -> dict[str, Any]:
    """The source called `name` in `manifest`, to change in place."""
    found: dict[str, Any] = next(s for s in manifest["sources"] if s["name"] == name)
    return found


Checker = Callable[..., CheckResult]


def fired(result: CheckResult, rule: str) -> list[str]:
    """The subjects of the findings of `rule`."""
    return [f.subject for f in result.findings if f.rule == rule]
