"""`lineage serve --checkpoint FILE --key PUB` refuses a store cut back to before the checkpoint.

Deleting the newest ledger entries together with their rows leaves a chain that
verifies on its own, and brings back whatever those entries ended, such as a
revoked API token (issue 18).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from cli_run import invoke, ok, one_error_line
from fastapi.testclient import TestClient
from history import tamper

import lineage
from lineage.server import stopping
from lineage.server.app import create_app


def _no_listening(monkeypatch: pytest.MonkeyPatch, started: list[Any]) -> None:
    """`serve` gets as far as starting its server, which records its address instead.

    Neither a uvicorn Config (which points logging at the stderr of the moment, here the
    test runner's, closed after the command) nor a server is made."""

    class Config:
        def __init__(self, app: Any, **options: Any) -> None:
            self.options = options

    class Server:
        def __init__(self, config: Config) -> None:
            self.config = config

        def run(self) -> None:
            options = self.config.options
            started.append({k: options[k] for k in ("host", "port", "log_level")})

    monkeypatch.setattr(uvicorn, "Config", Config)
    monkeypatch.setattr(stopping, "StoppableServer", Server)


@pytest.fixture
def revoked(store: lineage.Store, tmp_path: Path) -> dict[str, Any]:
    """A token created, records written, the token revoked, and a checkpoint signed then."""
    secret = store.create_token("ci")
    store.add_source("raw", license="MIT")
    assert store.revoke_token("ci") == 1
    assert store.token_owner(secret) is None
    pair = lineage.generate_keys(str(tmp_path / "auditor"))
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(json.dumps(lineage.make_checkpoint(store, pair.private)))
    return {
        "store": store,
        "secret": secret,
        "checkpoint": str(checkpoint),
        "key": pair.public,
        "head": store.verify().entries,
    }


def _cut_back(case: dict[str, Any]) -> None:
    """Delete the newest ledger entry (the revocation) and its row, outside the tool."""
    head = case["head"]
    tamper(
        case["store"].database.url,
        f"DELETE FROM api_token WHERE tx = {head}",
        f"DELETE FROM ledger WHERE seq = {head}",
    )


def test_cutting_back_the_ledger_revives_a_revoked_token_and_verifies_clean(
    revoked: dict[str, Any],
) -> None:
    store = revoked["store"]
    _cut_back(revoked)

    # What the README warns about: on its own, the chain cannot tell.
    assert store.verify().ok
    assert store.token_owner(revoked["secret"]) == "ci"
    # A checkpoint can.
    report = lineage.verify_checkpoint(store, store.verify(), revoked["checkpoint"], revoked["key"])
    assert not report.ok


def test_serve_refuses_a_store_cut_back_to_before_its_checkpoint(
    revoked: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Any] = []
    _no_listening(monkeypatch, started)
    _cut_back(revoked)
    store = revoked["store"]

    line = one_error_line(
        invoke(
            store.url,
            f"serve --port 0 --checkpoint {revoked['checkpoint']} --key {revoked['key']}",
        ),
        1,
    )

    assert line == (
        f"Error: the store at {store.url} does not hold checkpoint {revoked['checkpoint']}: "
        f"ledger entry {revoked['head']} of the checkpoint "
        f"({json.loads(Path(revoked['checkpoint']).read_text())['created_at']}) is gone: "
        "history was cut off after it was signed"
    )
    assert started == []
    with pytest.raises(lineage.CheckpointNotHeld, match="is gone"):
        lineage.serve(
            store.database.url,
            port=0,
            checkpoint=revoked["checkpoint"],
            public_key=revoked["key"],
        )
    assert started == []


def test_serve_reads_the_checkpoint_from_the_environment(
    revoked: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_listening(monkeypatch, [])
    monkeypatch.setenv("LINEAGE_CHECKPOINT", revoked["checkpoint"])
    monkeypatch.setenv("LINEAGE_CHECKPOINT_KEY", revoked["key"])
    _cut_back(revoked)

    line = one_error_line(invoke(revoked["store"].url, "serve --port 0"), 1)

    assert "does not hold checkpoint" in line and "is gone" in line


def test_serve_refuses_a_store_rewritten_up_to_its_checkpoint(
    revoked: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_listening(monkeypatch, [])
    tamper(
        revoked["store"].database.url,
        f"UPDATE ledger SET entry_hash = '{'0' * 64}' WHERE seq = {revoked['head']}",
    )

    line = one_error_line(
        invoke(
            revoked["store"].url,
            f"serve --port 0 --checkpoint {revoked['checkpoint']} --key {revoked['key']}",
        ),
        1,
    )

    assert "history up to it was rewritten" in line


def test_serve_starts_on_a_store_that_holds_its_checkpoint(
    revoked: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Any] = []
    _no_listening(monkeypatch, started)
    store = revoked["store"]
    store.add_dataset("later")  # entries after the checkpoint are expected

    out = ok(
        invoke(
            store.url,
            f"serve --port 0 --checkpoint {revoked['checkpoint']} --key {revoked['key']} --json",
        )
    )

    assert json.loads(out)["url"] == "http://127.0.0.1:0"
    assert started == [{"host": "127.0.0.1", "port": 0, "log_level": "info"}]


def test_serve_wants_a_checkpoint_and_its_key_together(revoked: dict[str, Any]) -> None:
    result = invoke(revoked["store"].url, f"serve --checkpoint {revoked['checkpoint']}")

    assert result.exit_code == 2
    assert "--checkpoint and --key go together" in result.output


def test_the_app_does_not_start_on_a_store_that_does_not_hold_its_checkpoint(
    revoked: dict[str, Any],
) -> None:
    _cut_back(revoked)
    app = create_app(
        revoked["store"].database.url,
        checkpoint=revoked["checkpoint"],
        public_key=revoked["key"],
    )

    with pytest.raises(lineage.CheckpointNotHeld), TestClient(app):
        pass
