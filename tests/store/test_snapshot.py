"""Reads that take several statements see one state of the store while writers commit.

`audit verify` read the ledger and then the rows; on PostgreSQL each statement saw
its own snapshot, and a commit between them looked like tampering (issue 18).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from typing import Any

import pytest
from cli_run import invoke, ok

import lineage
from cli import diagram as diagram_cli
from lineage.governance import approvals as approvals_module
from lineage.reports import produce

WRITES = 40  # transactions the concurrent writer commits at most
VERIFIES = 40  # `audit verify` runs at most
BOUND_S = 60.0  # and neither loop runs longer than this (a bound, not an assertion)


def _manifest(i: int) -> dict[str, Any]:
    """One transaction of records and relations, so it has node and edge id ranges."""
    return {
        "sources": [{"name": f"s{i}", "license": "MIT"}],
        "datasets": [{"name": f"d{i}"}],
        "runs": [
            {"operation": "copy", "name": f"copy-{i}", "inputs": [f"s{i}"], "outputs": [f"d{i}"]}
        ],
    }


def test_audit_verify_never_reports_tampering_while_a_writer_commits(db_url: str) -> None:
    with lineage.open_store(db_url) as seeded:
        seeded.record(_manifest(0))
    stop = threading.Event()
    committed: list[int] = []
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with lineage.open_store(db_url) as writer:
                for i in range(1, WRITES + 1):
                    if stop.is_set() or time.monotonic() > deadline:
                        return
                    writer.record(_manifest(i))
                    committed.append(i)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    deadline = time.monotonic() + BOUND_S
    thread = threading.Thread(target=write, name="ingest-loop")
    thread.start()
    outcomes: list[tuple[int, dict[str, Any] | str]] = []
    try:
        while thread.is_alive() and len(outcomes) < VERIFIES and time.monotonic() < deadline:
            result = invoke(db_url, "audit verify --json")
            outcomes.append(
                (result.exit_code, json.loads(result.stdout) if result.stdout else result.output)
            )
    finally:
        stop.set()
        thread.join(BOUND_S)

    assert not failures, failures
    assert committed, "the writer committed nothing"
    bad = [outcome for outcome in outcomes if outcome[0] != 0]
    assert not bad, bad
    entries = {data["entries"] for _, data in outcomes if isinstance(data, dict)}
    assert len(outcomes) >= 2 and len(entries) >= 2, "no verify overlapped the writer's commits"
    # And the store the writer left verifies whole.
    with lineage.open_store(db_url) as store:
        final = store.verify()
    assert final.ok and final.entries == 1 + len(committed)


def test_a_snapshot_does_not_see_what_another_writer_commits_inside_it(
    store: lineage.Store,
) -> None:
    store.add_source("before", license="MIT")
    with lineage.open_store(store.database.url) as other, store.snapshot():
        first = store.info()
        other.add_source("during", license="MIT")
        second = store.info()
        names = [s.name for s in store.list()]
        report = store.verify()
    assert first == second and first.ledger_entries == 1
    assert names == ["before"]
    assert report.ok and report.entries == 1
    assert store.info().ledger_entries == 2  # seen once the snapshot has ended


@pytest.fixture
def approved(store: lineage.Store) -> tuple[lineage.Store, str]:
    store.add_agent("maria", type="person")
    store.add_source("raw", license="MIT")
    store.add_model("model")
    store.record_run("train", name="train-1", inputs=["raw"], outputs=["model"])
    name = store.approve("model", by="maria", expires="2099-01-01")
    return store, name


def test_approvals_are_judged_against_the_state_they_were_read_in(
    approved: tuple[lineage.Store, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, name = approved
    real = approvals_module.read_approvals

    def read_then_commit(*args: Any, **kwargs: Any) -> list[approvals_module.Approval]:
        found = real(*args, **kwargs)
        # Another writer changes the model's upstream between two reads of `approvals`.
        with lineage.open_store(store.database.url) as other:
            other.amend("raw", reason="relicensed", license="Apache-2.0")
        return found

    monkeypatch.setattr(approvals_module, "read_approvals", read_then_commit)
    [judged] = store.approvals("model")
    monkeypatch.setattr(approvals_module, "read_approvals", real)

    # In the state it was read in, the sign-off held; read apart, it looked stale.
    assert (judged.id, judged.status) == (f"attestation:{name}", "valid")
    [after] = store.approvals("model")
    assert after.status == "stale"


def test_a_report_diagram_draws_no_sign_off_newer_than_the_head_it_states(
    approved: tuple[lineage.Store, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = approved
    real = produce.build_report_with_trail

    def build_then_commit(*args: Any, **kwargs: Any) -> Any:
        built = real(*args, **kwargs)
        with lineage.open_store(store.database.url) as other:
            other.add_agent("sam", type="person")
            other.approve("model", by="sam", name="late-sign-off", expires="2099-01-01")
        return built

    monkeypatch.setattr(produce, "build_report_with_trail", build_then_commit)
    report, html = produce.produce_report(store, "model", "html", verify_digests=False)

    assert report.ledger.seq == 5
    [embedded] = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html.decode())
    svg = base64.b64decode(embedded).decode()
    assert "maria" in svg  # the sign-off of the state the report read is drawn
    assert "sam" not in svg and "late-sign-off" not in svg
    assert store.info().ledger_entries == 7


def test_a_diagram_with_findings_draws_the_state_its_check_read(
    approved: tuple[lineage.Store, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = approved
    real = diagram_cli.findings_of

    def check_then_commit(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        with lineage.open_store(store.database.url) as other:
            other.add_agent("sam", type="person")
            other.approve("model", by="sam", name="late-sign-off", expires="2099-01-01")
        return found

    monkeypatch.setattr(diagram_cli, "findings_of", check_then_commit)
    svg = ok(invoke(store.url, "diagram model --check --format svg"))

    assert "maria" in svg
    assert "sam" not in svg and "late-sign-off" not in svg
    assert store.info().ledger_entries == 7
