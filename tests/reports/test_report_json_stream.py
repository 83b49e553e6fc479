"""The JSON report written a piece at a time: the same bytes as encoded whole, and a
`lineage report -o FILE.json` that fails midway leaves no part of a report behind."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import shutil
import stat
import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import orjson
import pytest
from click.testing import CliRunner, Result
from report_samples import PRODUCED_AT, TARGET
from test_report_folding import family_manifest

import lineage
import lineage.reports
from cli.main import cli
from lineage.checks.findings import Finding
from lineage.reports import (
    TEMPLATES,
    build_report,
    prepare_report,
    produce_report,
    render_json,
    report_data,
    write_json,
)
from lineage.reports.model import (
    Claim,
    Field,
    Fields,
    Gap,
    Ledger,
    Listing,
    Paragraph,
    RecordRef,
    Report,
    Section,
    Table,
)
from lineage.reports.render_json import json_bytes
from lineage.reports.render_json import render_json as render_json_text


def _whole(report: Report) -> bytes:
    """The report's JSON as orjson encodes its data in one call: what `json_bytes` was."""
    return orjson.dumps(report_data(report), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def _streamed(report: Report) -> bytes:
    sink = io.BytesIO()
    size, sha256 = write_json(report, sink)
    data = sink.getvalue()
    assert size == len(data)
    assert sha256 == hashlib.sha256(data).hexdigest()
    return data


def _assert_same_bytes(report: Report) -> None:
    whole = _whole(report)
    assert _streamed(report) == whole
    assert json_bytes(report) == whole
    assert render_json_text(report) == whole.decode("utf-8")


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_the_streamed_report_is_the_report_encoded_whole(
    sample_store: lineage.Store, template: str
) -> None:
    target = "web-crawl-2025-05" if template == "datasheet" else TARGET
    report = build_report(
        sample_store, target, template=template, produced_at=PRODUCED_AT, verify_digests=False
    )
    _assert_same_bytes(report)


@pytest.mark.parametrize("chunk", [1, 7, 600, render_json._CHUNK])
def test_long_lists_in_chunks_of_any_size_make_the_same_bytes(
    store: lineage.Store, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # 600 files: tables of 600 and more rows, hundreds of gaps and records cited, split
    # into chunks that end exactly at the end of a list (1, 600) or not (7).
    store.record(family_manifest())
    report = build_report(store, "m", produced_at=PRODUCED_AT, verify_digests=False)
    assert len(report.records) > 600 and len(report.gaps) > 600
    monkeypatch.setattr(render_json, "_CHUNK", chunk)
    _assert_same_bytes(report)


def test_the_report_is_never_held_whole_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with lineage.open_store(str(tmp_path / "lineage.db")) as store:
        store.record(family_manifest())
        report = build_report(store, "m", produced_at=PRODUCED_AT, verify_digests=False)
    monkeypatch.setattr(render_json, "_CHUNK", 50)

    class Sink:
        def write(self, piece: bytes) -> int:
            return len(piece)

    tracemalloc.start()
    try:
        size, _ = write_json(report, Sink())  # type: ignore[arg-type]
        _, streamed = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        whole = len(json_bytes(report))
        _, encoded_whole = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size == whole > 1_000_000
    # A chunk of 50 rows and its text at a time, where the whole document (and the data
    # of every row, to encode it) is more than its size.
    assert encoded_whole > whole
    assert streamed < whole / 5, (streamed, whole)


def _awkward_report() -> Report:
    """Strings orjson must escape (newlines, quotes, control and non-ASCII characters),
    empty lists and tables, and sections nested deeply."""
    text = 'line one\nline two\r\n\t"quoted" \\ back\x00\x1f \u2028 é 漢字 😀'
    claim = Claim(text, ("source:a\nb", "dataset:ü"), "derived")
    empty = Claim(None, (), "gap")
    table = Table(
        keys=("name", "note\n"),
        columns=("Name", text),
        rows=tuple((claim, empty if i % 2 else Claim(f"row {i}\n")) for i in range(25)),
        title_column=1,
    )
    blocks = (
        Fields((Field("k\n", text, claim), Field("empty", "", empty))),
        table,
        Table(keys=(), columns=(), rows=()),
        Paragraph(text),
        Listing("gaps"),
    )
    nested = Section("deepest", text, blocks)
    for depth in range(12):
        nested = Section(f"s{depth}", f"level {depth}\n", blocks if depth % 3 else (), (nested,))
    return Report(
        template="paper-trail",
        title=text,
        target="model:m\n",
        produced_at="2025-07-01T00:00:00Z",
        as_of=None,
        ledger=Ledger(7, "ab" * 32, "2025-07-01T00:00:00Z"),
        sections=(nested, Section("empty", "")),
        findings=tuple(
            Finding("rule\n", "error", text, f"source:{i}", ("a\n", "b") if i % 2 else ())
            for i in range(9)
        ),
        gaps=tuple(Gap(f"source:{i}", "f\n", text, "s") for i in range(11)),
        records=tuple(
            RecordRef(f"source:{i}", "source", text, i, "seal", None if i % 2 else "d", None)
            for i in range(13)
        ),
        notes=(text, ""),
    )


@pytest.mark.parametrize("chunk", [1, 4, render_json._CHUNK])
def test_escaped_strings_empty_lists_and_deep_sections_make_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(render_json, "_CHUNK", chunk)
    report = _awkward_report()
    _assert_same_bytes(report)


def test_an_empty_report_makes_the_same_bytes() -> None:
    report = Report(
        template="datasheet",
        title="",
        target="dataset:d",
        produced_at="2025-07-01T00:00:00Z",
        as_of="2025-06-01T00:00:00Z",
        ledger=Ledger(0, "", ""),
        sections=(),
    )
    _assert_same_bytes(report)


def test_prepare_report_is_what_produce_report_lays_out(sample_store: lineage.Store) -> None:
    how: dict[str, Any] = {"produced_at": PRODUCED_AT, "verify_digests": False}
    report, svg = prepare_report(sample_store, TARGET, "json", **how)
    assert svg is None
    _, data = produce_report(sample_store, TARGET, "json", **how)
    assert _streamed(report) == data
    with pytest.raises(lineage.InvalidRecord, match="unknown report format 'docx'"):
        prepare_report(sample_store, TARGET, "docx")


# The command line.


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder for the reports (tmp_path holds the digest cache)."""
    made = tmp_path / "reports"
    made.mkdir()
    return made


def _run(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "report", *args])


def _without_time(data: bytes) -> bytes:
    return re.sub(rb'\n  "produced_at": "[^"]*",', b"", data, count=1)


def test_the_command_writes_the_report_and_says_what_it_wrote(
    sample_db: str, at_root: Path, folder: Path
) -> None:
    out = folder / "trail.json"
    out.write_bytes(b"an older report, longer than nothing at all" * 10_000)
    result = _run(sample_db, TARGET, "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    with lineage.open_store(sample_db) as store:
        report = build_report(store, TARGET)
    assert _without_time(data) == _without_time(json_bytes(report))
    assert result.stdout == (
        f"wrote {out} (paper-trail, json, {len(data):,} bytes, "
        f"sha256:{hashlib.sha256(data).hexdigest()}): {len(report.gaps)} gaps, "
        f"{len(report.findings)} findings\n"
    )
    assert os.listdir(folder) == ["trail.json"]
    # Printed rather than written: the same report.
    printed = _run(sample_db, TARGET, "--format", "json")
    assert printed.exit_code == 0, printed.output
    assert _without_time(printed.stdout_bytes) == _without_time(data)


def test_a_report_written_over_keeps_its_permissions_and_a_new_one_gets_the_usual(
    sample_db: str, at_root: Path, folder: Path
) -> None:
    usual = folder / "usual"
    usual.write_bytes(b"")  # as `open` makes a file, under this process's umask
    new = folder / "new.json"
    assert _run(sample_db, TARGET, "-o", str(new)).exit_code == 0
    assert stat.S_IMODE(new.stat().st_mode) == stat.S_IMODE(usual.stat().st_mode)
    kept = folder / "kept.json"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    assert _run(sample_db, TARGET, "-o", str(kept)).exit_code == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert kept.read_bytes().startswith(b"{")


def test_a_link_is_followed_and_a_pipe_written_in_place(
    sample_db: str, at_root: Path, folder: Path
) -> None:
    real = folder / "real.json"
    real.write_bytes(b"old")
    link = folder / "link.json"
    link.symlink_to(real)
    result = _run(sample_db, TARGET, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_bytes().startswith(b"{")
    assert sorted(os.listdir(folder)) == ["link.json", "real.json"]

    pipe = folder / "pipe.json"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = _run(sample_db, TARGET, "-o", str(pipe))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert _without_time(received[0]) == _without_time(real.read_bytes())


def _failing_after(
    monkeypatch: pytest.MonkeyPatch, fail: Callable[[IO[bytes]], None]
) -> list[IO[bytes]]:
    """Make the command's `write_json` write part of the report, then call `fail`."""
    handles: list[IO[bytes]] = []

    def partly(report: Report, handle: IO[bytes]) -> tuple[int, str]:
        handles.append(handle)
        handle.write(json_bytes(report)[:100_000])
        handle.flush()
        fail(handle)
        return write_json(report, handle)

    monkeypatch.setattr(lineage.reports, "write_json", partly)
    return handles


def _no_space(handle: IO[bytes]) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_write_that_fails_midway_leaves_the_old_report_and_no_part_of_the_new(
    sample_db: str, at_root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = folder / "trail.json"
    out.write_bytes(b"the report of yesterday")
    handles = _failing_after(monkeypatch, _no_space)
    result = _run(sample_db, TARGET, "-o", str(out))
    assert handles, "the report was written through write_json"
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert result.stderr == f"Error: cannot write {out}: No space left on device\n"
    assert out.read_bytes() == b"the report of yesterday"
    assert os.listdir(folder) == ["trail.json"]
    # A new report: nothing at all is left.
    result = _run(sample_db, TARGET, "-o", str(folder / "new.json"))
    assert result.exit_code == 1, result.output
    assert os.listdir(folder) == ["trail.json"]


def test_an_interrupted_write_leaves_the_old_report_and_no_part_of_the_new(
    sample_db: str, at_root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = folder / "trail.json"
    out.write_bytes(b"the report of yesterday")

    def interrupt(handle: IO[bytes]) -> None:
        raise KeyboardInterrupt

    _failing_after(monkeypatch, interrupt)
    result = _run(sample_db, TARGET, "-o", str(out))
    assert result.exit_code == 1, result.output  # click: "Aborted!"
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"the report of yesterday"
    assert os.listdir(folder) == ["trail.json"]


def test_a_folder_removed_while_the_report_is_written_is_one_error_line(
    sample_db: str, at_root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = folder / "trail.json"
    _failing_after(monkeypatch, lambda handle: shutil.rmtree(folder))
    result = _run(sample_db, TARGET, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert result.stderr == f"Error: cannot write {out}: No such file or directory\n"
    assert not folder.exists()


def test_a_report_into_a_missing_folder_is_one_error_line(
    sample_db: str, at_root: Path, folder: Path
) -> None:
    out = folder / "no" / "such" / "trail.json"
    result = _run(sample_db, TARGET, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: cannot write {out}: No such file or directory\n"
    assert not (folder / "no").exists()


def test_a_report_in_a_folder_that_takes_no_new_file_is_written_over_in_place(
    sample_db: str, at_root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a folder this user may read and write files in but not add to (which root,
    # running these tests, could add to all the same).
    real_open = os.open

    def no_new_files(path: str, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_CREAT and Path(path).name.startswith("."):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", no_new_files)
    out = folder / "trail.json"
    out.write_bytes(b"old")
    result = _run(sample_db, TARGET, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"{")
    result = _run(sample_db, TARGET, "-o", str(folder / "new.json"))
    assert result.stderr == f"Error: cannot write {folder / 'new.json'}: Permission denied\n"
    assert os.listdir(folder) == ["trail.json"]


def test_a_report_with_another_name_is_written_in_place_and_a_long_name_is_written(
    sample_db: str, at_root: Path, folder: Path
) -> None:
    # A hard link would keep the old report were the file replaced: it is written over.
    report = folder / "trail.json"
    report.write_bytes(b"old")
    other = folder / "other-name.json"
    os.link(report, other)
    result = _run(sample_db, TARGET, "-o", str(report))
    assert result.exit_code == 0, result.output
    assert other.read_bytes() == report.read_bytes() and report.read_bytes().startswith(b"{")
    assert report.stat().st_nlink == 2
    # A name of 252 bytes (83 three-byte characters): the file beside it must fit in 255.
    long = folder / ("\u5831" * 83 + ".js")
    result = _run(sample_db, TARGET, "-o", str(long), "--format", "json")
    assert result.exit_code == 0, result.output
    assert long.read_bytes().startswith(b"{") and long.read_bytes().endswith(b"}\n")
    assert sorted(os.listdir(folder)) == sorted([report.name, other.name, long.name])


def test_a_report_the_folder_lets_no_one_replace_is_written_over_in_place(
    sample_db: str, at_root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in a sticky folder (/tmp) holding another user's report this user may write:
    # replacing it is refused, writing it is not.
    report = folder / "theirs.json"
    report.write_bytes(b"old")

    def refused(source: str, destination: str) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "replace", refused)
    result = _run(sample_db, TARGET, "-o", str(report))
    assert result.exit_code == 0, result.output
    assert report.read_bytes().startswith(b"{") and report.read_bytes().endswith(b"}\n")
    assert os.listdir(folder) == [report.name]  # no file left beside it
