"""A first bulk import stopped from outside leaves no scratch file behind for long.

Each test runs `lineage ingest` in a real process, paused just after its staging
child started and its scratch file was made, and stops it the way an operator or
the system would. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from samples import table_counts

import lineage
import lineage.store.staging
from lineage.store.staging import sweep_scratch_files

WAIT_S = 60

# Runs the CLI with a bulk threshold small enough for a test manifest, and stops at the
# first chunk sent to the staging child until a line "go" comes on stdin.
SCRIPT = """
import signal
import sys
import lineage.store.staging as staging
import lineage.store.write as write

write.BULK_THRESHOLD = 3
staging.spare_core = lambda: True  # stage whatever the machine's load
real = staging.StagedLoader.load
paused = []

def load(self, table, rows):
    real(self, table, rows)
    if not paused:
        paused.append(True)
        print(self.path, self.process.pid, flush=True)
        if sys.stdin.readline().strip() != "go":
            sys.exit(3)

staging.StagedLoader.load = load
# As a command started from a terminal: a suite run under `nohup` or in a background
# job would hand its import SIGHUP and SIGINT ignored, and the import would not stop.
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.default_int_handler)
from cli.main import cli
cli(["--db", sys.argv[1], "ingest", sys.argv[2]])
"""


def _manifest(count: int) -> dict[str, object]:
    return {
        "sources": [{"name": f"crawl-{i}", "license": "MIT"} for i in range(count)],
        "datasets": [{"name": f"clean-{i}"} for i in range(count)],
        "runs": [
            {"name": f"run-{i}", "operation": "dedup", "inputs": [f"crawl-{i}"],
             "outputs": [f"clean-{i}"]}
            for i in range(count)
        ],
    }  # fmt: skip


class Import:
    """A `lineage ingest` process paused with its scratch file made."""

    def __init__(self, tmp_path: Path, scratch: Path, name: str) -> None:
        self.db = str(tmp_path / f"{name}.db")
        with lineage.open_store(self.db):
            pass
        self.before = table_counts(f"sqlite:///{self.db}")
        manifest = tmp_path / f"{name}.yaml"
        manifest.write_text(json.dumps(_manifest(200)), encoding="utf-8")
        script = tmp_path / "paused_import.py"
        script.write_text(SCRIPT, encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, str(script), self.db, str(manifest)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "TMPDIR": str(scratch)},
            text=True,
        )
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            assert selector.select(WAIT_S), "the import never reached its staging step"
        line = self.process.stdout.readline().split()
        assert len(line) == 2, self.process.communicate(timeout=WAIT_S)
        self.scratch_file = Path(line[0])
        self.child = int(line[1])
        assert self.scratch_file.parent == scratch and self.scratch_file.exists()

    def wait(self) -> int:
        return self.process.wait(timeout=WAIT_S)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT_S)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder of the imports, and of this process's sweep."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def imports(tmp_path: Path, scratch: Path) -> Iterator[list[Import]]:
    started: list[Import] = []
    yield started
    for running in started:
        running.stop()


def _start(imports: list[Import], tmp_path: Path, scratch: Path, name: str = "store") -> Import:
    running = Import(tmp_path, scratch, name)
    imports.append(running)
    return running


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_sigterm_removes_the_scratch_file_and_the_child_and_writes_nothing(
    tmp_path: Path, scratch: Path, imports: list[Import]
) -> None:
    running = _start(imports, tmp_path, scratch)

    running.process.send_signal(signal.SIGTERM)

    assert running.wait() == 128 + signal.SIGTERM
    assert not running.scratch_file.exists()
    assert list(scratch.iterdir()) == []
    assert _gone(running.child), "the staging child outlived its parent"
    assert table_counts(f"sqlite:///{running.db}") == running.before
    with lineage.open_store(running.db) as store:
        assert store.verify().ok


def test_sighup_removes_the_scratch_file_too(
    tmp_path: Path, scratch: Path, imports: list[Import]
) -> None:
    running = _start(imports, tmp_path, scratch)

    running.process.send_signal(signal.SIGHUP)

    assert running.wait() == 128 + signal.SIGHUP
    assert list(scratch.iterdir()) == []


def test_sigkill_leaves_a_scratch_file_that_the_next_start_removes(
    tmp_path: Path, scratch: Path, imports: list[Import]
) -> None:
    running = _start(imports, tmp_path, scratch)

    running.process.send_signal(signal.SIGKILL)
    assert running.wait() == -signal.SIGKILL
    assert running.scratch_file.exists()  # nothing can run on SIGKILL

    with lineage.open_store(running.db) as store:  # the next start
        assert not running.scratch_file.exists()
        assert table_counts(store.database.url) == running.before
        assert store.verify().ok


def test_a_live_import_keeps_its_scratch_file_and_then_completes(
    tmp_path: Path, scratch: Path, imports: list[Import]
) -> None:
    running = _start(imports, tmp_path, scratch)

    assert sweep_scratch_files() == []
    with lineage.open_store(str(tmp_path / "other.db")):
        pass

    assert running.scratch_file.exists()
    assert running.process.stdin is not None
    running.process.stdin.write("go\n")
    running.process.stdin.flush()
    assert running.wait() == 0, running.process.stderr.read() if running.process.stderr else ""
    assert list(scratch.iterdir()) == []
    with lineage.open_store(running.db) as store:
        assert len(store.list()) == 600
        assert store.verify().ok


def _exited_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True, timeout=WAIT_S)  # fmt: skip
    return int(done.stdout)


def test_the_sweep_tells_a_live_owner_from_a_dead_one_and_from_a_reused_pid(
    scratch: Path,
) -> None:
    started = lineage.store.staging._start_time(os.getpid())
    assert started is not None  # Linux: /proc gives the start time
    live = scratch / f"lineage-staging-{os.getpid()}-{started}-abc.db"
    reused = scratch / f"lineage-staging-{os.getpid()}-{started + 1}-abc.db"
    dead = scratch / f"lineage-staging-{_exited_pid()}-{started}-abc.db"
    unrelated = scratch / "lineage-staging-notes.txt"
    for path in (live, reused, dead, unrelated):
        path.write_bytes(b"x" * 1024)

    removed = sweep_scratch_files()

    assert sorted(removed) == sorted([str(reused), str(dead)])
    assert sorted(scratch.iterdir()) == sorted([live, unrelated])


def test_the_sweep_removes_unowned_files_of_older_versions_only_when_old(scratch: Path) -> None:
    fresh = scratch / "lineage-staging-k3j4h5.db"
    old = scratch / "lineage-staging-a8b9c0.db"
    for path in (fresh, old):
        path.write_bytes(b"x")
    day_ago = time.time() - lineage.store.staging.LEGACY_AGE_S - 60
    os.utime(old, (day_ago, day_ago))

    assert sweep_scratch_files() == [str(old)]
    assert list(scratch.iterdir()) == [fresh]


def test_an_interrupt_removes_the_scratch_file_and_writes_nothing(
    tmp_path: Path, scratch: Path, imports: list[Import]
) -> None:
    running = _start(imports, tmp_path, scratch)

    running.process.send_signal(signal.SIGINT)

    assert running.wait() == 1  # click's "Aborted."
    assert list(scratch.iterdir()) == []
    assert _gone(running.child)
    assert table_counts(f"sqlite:///{running.db}") == running.before
