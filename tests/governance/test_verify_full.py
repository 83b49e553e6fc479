"""`lineage verify` against a digest cache that lies: mtimes set back, rows rewritten.

An edit in place with its size kept and its mtime set back (`touch -m -r`) was
answered from the cache and recorded as clean (issue 18). The cache now keys on
ctime too; `--full` hashes everything; `--full-every` schedules a full pass.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage
import lineage.digests

HOUR_AGO_NS = time.time_ns() - 3600 * 10**9


@pytest.fixture(autouse=True)
def scan_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashing starts a few seconds after the test changed its files, as it would in use:
    the files are then old enough for the digest cache to keep them."""
    monkeypatch.setattr(lineage.digests, "_clock", lambda: time.time_ns() + 3 * 10**9)


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    return Path(os.environ["LINEAGE_CACHE"])


@pytest.fixture
def recorded(store: lineage.Store, tmp_path: Path) -> tuple[lineage.Store, Path]:
    """A source whose file is in the digest cache, and a clean full verification of it."""
    data = tmp_path / "train.jsonl"
    data.write_bytes(b'{"text": "good"}\n' * 10)
    os.utime(data, ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    store.add_source("train", license="MIT", path=str(data))
    first = store.verify_content()
    assert first.ok and first.full  # never hashed in full before: a full pass
    return store, data


def _edit_and_set_the_mtime_back(path: Path, scratch: Path) -> None:
    """Same size, same inode, same mtime: only the ctime shows the change."""
    before = path.stat()
    while True:  # a kernel with coarse timestamps: wait for the next ctime tick
        scratch.write_bytes(b"tick")
        if scratch.stat().st_ctime_ns > before.st_ctime_ns:
            break
    content = path.read_bytes()
    with path.open("r+b") as handle:
        handle.write(content.replace(b"good", b"evil"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def test_an_edit_with_its_mtime_set_back_is_caught_without_a_full_pass(
    recorded: tuple[lineage.Store, Path], tmp_path: Path
) -> None:
    store, data = recorded
    assert store.verify_content(full_every=None).ok  # answered from the cache
    _edit_and_set_the_mtime_back(data, tmp_path / "tick")

    result = store.verify_content(full_every=None)

    assert not result.full
    [check] = result.checks
    assert check.status == "changed"
    stored = store.show(result.record).facts
    assert stored["status"] == "drift"
    assert stored["attrs"]["full"] is False
    assert stored["attrs"]["results"]["source:train"]["status"] == "changed"


def _poison(cache_file: Path, path: Path, digest: bytes) -> None:
    """What someone who can write the cache does: the row for `path` as it is now says
    `digest`, the digest of what the file held before."""
    info = path.stat()
    with closing(sqlite3.connect(cache_file)) as connection, connection:
        updated = connection.execute(
            "UPDATE digests SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, digest = ? "
            "WHERE path = ?",
            (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, digest, bytes(path)),
        ).rowcount
    assert updated == 1


def test_full_catches_what_a_poisoned_cache_hides(
    recorded: tuple[lineage.Store, Path], cache_file: Path, tmp_path: Path
) -> None:
    store, data = recorded
    recorded_digest = bytes.fromhex(store.show("train").facts["digest"].removeprefix("sha256:"))
    data.write_bytes(b'{"text": "evil"}\n' * 10)
    _poison(cache_file, data, recorded_digest)
    hidden = store.verify_content(full_every=None)
    assert hidden.ok and not hidden.full  # the cache was trusted, and lied

    result = store.verify_content(full=True, full_every=None)

    assert result.full
    assert [c.status for c in result.checks] == ["changed"]
    assert store.show(result.record).facts["attrs"]["full"] is True
    # The full pass rewrote the row: a cached run now sees the change too.
    assert not store.verify_content(full_every=None).ok


def test_verify_full_on_the_command_line_says_every_file_was_hashed(
    recorded: tuple[lineage.Store, Path], cache_file: Path
) -> None:
    store, data = recorded
    recorded_digest = bytes.fromhex(store.show("train").facts["digest"].removeprefix("sha256:"))
    data.write_bytes(b'{"text": "evil"}\n' * 10)
    _poison(cache_file, data, recorded_digest)

    cached = ok(invoke(store.url, "verify --full-every never"))
    out = ok(invoke(store.url, "verify --full"), exit_code=1)
    data_out = json.loads(ok(invoke(store.url, "verify --full --json"), exit_code=1))

    assert "unchanged files from the digest cache" in cached.splitlines()[-1]
    assert out.splitlines()[-1].startswith("DRIFT: 1 recorded paths re-hashed (1 changed; every")
    assert data_out["full"] is True and data_out["ok"] is False


def test_a_scheduled_verify_hashes_in_full_once_the_last_full_pass_is_too_old(
    recorded: tuple[lineage.Store, Path],
) -> None:
    store, _ = recorded

    within = store.verify_content(full_every=timedelta(days=7))
    too_old = store.verify_content(full_every=timedelta(microseconds=1))
    after_it = store.verify_content(full_every=timedelta(days=7))

    assert (within.full, too_old.full, after_it.full) == (False, True, False)


def test_a_record_never_hashed_in_full_makes_the_next_run_full(
    recorded: tuple[lineage.Store, Path], tmp_path: Path
) -> None:
    store, _ = recorded
    assert not store.verify_content().full
    extra = tmp_path / "extra.txt"
    extra.write_bytes(b"extra")
    store.add_source("extra", license="MIT", path=str(extra))

    assert store.verify_content().full  # `extra` was never hashed in full
    assert not store.verify_content().full
    # A run scoped to one record asks only about that record.
    store.add_dataset("made", path=str(extra))
    assert not store.verify_content("train").full


def test_the_interval_comes_from_the_environment(
    recorded: tuple[lineage.Store, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store, _ = recorded
    extra = tmp_path / "extra.txt"
    extra.write_bytes(b"extra")
    store.add_source("extra", license="MIT", path=str(extra))  # never hashed in full

    monkeypatch.setenv("LINEAGE_VERIFY_FULL_EVERY", "never")
    assert json.loads(ok(invoke(store.url, "verify --json")))["full"] is False
    monkeypatch.setenv("LINEAGE_VERIFY_FULL_EVERY", "1h")
    assert json.loads(ok(invoke(store.url, "verify --json")))["full"] is True
    assert json.loads(ok(invoke(store.url, "verify --json")))["full"] is False


@pytest.mark.parametrize("interval", ["soon", "7x", "0d", "7d and more", ""])
def test_a_bad_interval_is_one_line_exit_2_and_writes_nothing(
    recorded: tuple[lineage.Store, Path], interval: str
) -> None:
    store, _ = recorded
    before = table_counts(store.database.url)

    line = one_error_line(invoke(store.url, f"verify --full-every '{interval}'"), 2)

    assert line.startswith(f"Error: --full-every {interval!r}")
    assert table_counts(store.database.url) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("12h", timedelta(hours=12)),
        ("2w", timedelta(weeks=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("90s", timedelta(seconds=90)),
        (" 30M ", timedelta(minutes=30)),
        ("never", None),
    ],
)
def test_intervals_are_read_as_written(text: str, expected: timedelta | None) -> None:
    assert lineage.parse_interval(text) == expected


@pytest.mark.parametrize(
    "interval", ["1000000d", "36501d", "5300w", "9999999999d", "9" * 5000 + "d"]
)
def test_an_interval_over_100_years_is_one_line_exit_2_and_writes_nothing(
    recorded: tuple[lineage.Store, Path], interval: str
) -> None:
    # 1000000d put the cut-off before year 1 (OverflowError); 9999999999d overflowed
    # timedelta itself; 5000 digits overflowed int(): each was a traceback.
    store, _ = recorded
    before = table_counts(store.database.url)

    line = one_error_line(invoke(store.url, f"verify --full-every {interval}"), 2)

    assert line.startswith(f"Error: --full-every {interval[:100]!r}")
    assert line.endswith("is too long: an interval is at most 100 years (36500d), or never")
    assert table_counts(store.database.url) == before


def test_an_interval_over_100_years_from_the_environment_is_one_line_exit_2(
    recorded: tuple[lineage.Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = recorded
    before = table_counts(store.database.url)
    monkeypatch.setenv("LINEAGE_VERIFY_FULL_EVERY", "1000000d")

    line = one_error_line(invoke(store.url, "verify"), 2)

    assert line.startswith("Error: --full-every '1000000d'")
    assert table_counts(store.database.url) == before


def test_100_years_is_accepted(recorded: tuple[lineage.Store, Path]) -> None:
    store, _ = recorded
    assert lineage.parse_interval("36500d") == timedelta(days=36500)
    assert json.loads(ok(invoke(store.url, "verify --full-every 36500d --json")))["full"] is False


@pytest.mark.parametrize("years", [1500, 2100, 10**6])
def test_a_cut_off_before_year_1000_still_finds_the_last_full_pass(
    recorded: tuple[lineage.Store, Path], years: int
) -> None:
    # The cut-off was written '526-...' (not zero-padded), which sorts after every
    # '2026-...' ledger time, so the full pass just made looked too old; one before
    # year 1 overflowed. Through the API any timedelta is taken as it is.
    store, _ = recorded  # one full pass recorded
    interval = min(timedelta(days=365 * years), timedelta.max)

    result = store.verify_content(full_every=interval)

    assert result.ok
    assert not result.full
    assert store.show(result.record).facts["attrs"]["full"] is False
