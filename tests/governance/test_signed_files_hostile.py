"""Keys, checkpoints, signatures and signed reports are read only from regular files.

`lineage audit verify --checkpoint /dev/zero` (or `--key`, or `report-verify
/dev/zero`) read the device whole, until the process died of MemoryError with a
traceback (issue 18, as `ingest /dev/zero` did). /dev/null stands in for any
device here: read whole it ends at once, so without the refusal these commands
fail on its empty content instead, and the tests say which happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import pytest
from cli_run import invoke, one_error_line

import lineage

DEVICE = "/dev/null"


@pytest.fixture
def signed(tmp_path: Path) -> dict[str, str]:
    """A store with one record, a key pair, a checkpoint and a signed report."""
    db = str(tmp_path / "lineage.db")
    with lineage.open_store(db) as store:
        store.add_source("raw", license="MIT")
        pair = lineage.generate_keys(str(tmp_path / "auditor"))
        checkpoint = tmp_path / "checkpoint.json"
        checkpoint.write_text(json.dumps(lineage.make_checkpoint(store, pair.private)))
    report = tmp_path / "trail.json"
    result = invoke(db, f"report raw --format json -o {report} --sign {pair.private}")
    assert result.exit_code == 0, result.output
    return {
        "db": db,
        "public": pair.public,
        "checkpoint": str(checkpoint),
        "report": str(report),
        "signature": str(report) + ".sig",
    }


@pytest.mark.parametrize("option", ["--checkpoint", "--key"])
def test_audit_verify_refuses_a_device_as_checkpoint_or_key(
    signed: dict[str, str], option: str
) -> None:
    given = {"--checkpoint": signed["checkpoint"], "--key": signed["public"], option: DEVICE}
    command = f"audit verify --checkpoint {given['--checkpoint']} --key {given['--key']}"
    line = one_error_line(invoke(signed["db"], command), 2)
    assert DEVICE in line and "not a regular file" in line


def test_report_verify_refuses_a_device_as_report_or_signature(signed: dict[str, str]) -> None:
    report = one_error_line(
        invoke(
            signed["db"],
            f"report-verify {DEVICE} --signature {signed['signature']} --key {signed['public']}",
        ),
        2,
    )
    assert f"cannot read report {DEVICE}: not a regular file" in report
    signature = one_error_line(
        invoke(
            signed["db"],
            f"report-verify {signed['report']} --signature {DEVICE} --key {signed['public']}",
        ),
        2,
    )
    assert DEVICE in signature and "not a regular file" in signature


def test_the_same_files_as_regular_files_still_verify(signed: dict[str, str]) -> None:
    verified = invoke(
        signed["db"], f"audit verify --checkpoint {signed['checkpoint']} --key {signed['public']}"
    )
    assert verified.exit_code == 0, verified.output
    report = invoke(signed["db"], f"report-verify {signed['report']} --key {signed['public']}")
    assert report.exit_code == 0, report.output


def test_a_private_key_that_is_a_named_pipe_is_refused_without_reading_it(
    signed: dict[str, str], tmp_path: Path
) -> None:
    # Mode 0600, so the check for keys others may read lets it through: only the check
    # for regular files stands between the command and a pipe that may never end.
    pipe = tmp_path / "pipe.key"
    os.mkfifo(pipe, 0o600)
    written: list[int] = []

    def writer() -> None:  # feeds the pipe if the command opens it to read
        with contextlib.suppress(BrokenPipeError), open(pipe, "wb") as handle:
            # Released by the test's own open and close below, nobody reads: a broken pipe.
            written.append(handle.write(b"not a key"))
            handle.flush()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        line = one_error_line(invoke(signed["db"], f"audit checkpoint --key {pipe}"), 1)
    finally:
        # Release the writer if the command never opened the pipe.
        os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
        thread.join(10)

    assert line == f"Error: cannot read private key {pipe}: not a regular file"
