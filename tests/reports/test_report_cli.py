"""`lineage report`: writes each format, says what it wrote, refuses bad input in one line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import cli


def _run(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "report", *args])


def test_report_prints_markdown_by_default(sample_db: str, at_root: Path) -> None:
    result = _run(sample_db, "support-assistant-v1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Paper trail of model:support-assistant-v1\n")
    assert "## Findings" in result.stdout and "## Gaps" in result.stdout


@pytest.mark.parametrize(
    ("name", "start"), [("r.html", b"<!DOCTYPE html>"), ("r.json", b"{"), ("r.md", b"# ")]
)
def test_report_takes_the_format_from_the_file_name_and_says_what_it_wrote(
    sample_db: str, at_root: Path, tmp_path: Path, name: str, start: bytes
) -> None:
    out = tmp_path / name
    result = _run(sample_db, "support-assistant-v1", "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(start)
    summary = json.loads(result.stdout)
    assert summary["wrote"] == str(out)
    assert summary["sha256"] == hashlib.sha256(data).hexdigest()
    assert summary["bytes"] == len(data)


def test_report_json_flag_alone_prints_the_json_report(sample_db: str, at_root: Path) -> None:
    result = _run(sample_db, "web-crawl-2025-05", "--template", "datasheet", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["template"] == "datasheet"


def test_report_writes_a_pdf(sample_db: str, at_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    result = _run(sample_db, "support-assistant-v1", "--template", "eu-ai-act", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert result.stdout.startswith(f"wrote {out} (eu-ai-act, pdf, ")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nothing-here"], 1, "'nothing-here' is not recorded"),
        (["support-assistant-v1", "--template", "gdpr"], 2, "Invalid value for '--template'"),
        (["support-assistant-v1", "--format", "md", "--json"], 2, "drop --format"),
        (["support-assistant-v1", "--as-of", "soon"], 1, "is not an ISO 8601 date"),
        (["support-assistant-v1", "-o", "/no/such/folder/r.md"], 1, "cannot write /no/such"),
    ],
)
def test_report_refuses_bad_input_in_one_line(
    sample_db: str, at_root: Path, args: list[str], code: int, message: str
) -> None:
    result = _run(sample_db, *args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
