"""`lineage diagram` through CliRunner: files written, JSON, stdout, and one-line errors."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import lineage
from cli.main import cli


@pytest.fixture
def db(tiny: lineage.Store) -> str:
    return tiny.url.removeprefix("sqlite:///")


def _invoke(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "diagram", *args])


def _ok(result: Result) -> str:
    assert result.exception is None, result.output
    assert result.exit_code == 0, result.output
    return result.stdout


def _one_error_line(result: Result, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_diagram_writes_an_svg_and_says_so(db: str, tmp_path: Path) -> None:
    out = tmp_path / "m.svg"

    said = _ok(_invoke(db, "m", "-o", str(out)))

    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert said.startswith(f"wrote {out} (svg, ")
    assert ": 10 records" in said


def test_the_format_follows_the_file_suffix(db: str, tmp_path: Path) -> None:
    png, mmd, dot = tmp_path / "m.png", tmp_path / "m.mmd", tmp_path / "m.gv"

    for path in (png, mmd, dot):
        _ok(_invoke(db, "m", "-o", str(path)))

    assert png.read_bytes().startswith(b"\x89PNG")
    assert mmd.read_text(encoding="utf-8").splitlines()[3] == "flowchart RL"
    assert dot.read_text(encoding="utf-8").startswith("digraph lineage {")


def test_json_reports_what_was_written(db: str, tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"

    report = json.loads(_ok(_invoke(db, "m", "--both", "--agents", "-o", str(out), "--json")))

    assert report == {
        "target": "model:m",
        "direction": "both",
        "format": "pdf",
        "output": str(out),
        "bytes": out.stat().st_size,
        "records": 10,
        "boxes": 10,
        "links": 10,
        "folded": "none",
        "grouped": 0,
        "left_out": 0,
        "marked": {"error": report["marked"]["error"], "warning": 0},
        "highlight": None,
    }
    assert report["marked"]["error"] >= 1  # the check found the non-commercial source


def test_text_formats_go_to_stdout(db: str) -> None:
    out = _ok(_invoke(db, "clean", "--downstream", "--format", "mermaid", "--no-check"))

    assert out.startswith("%% Downstream lineage of dataset:clean\n")
    assert "flowchart RL" in out


def test_json_without_a_file_carries_the_text(db: str) -> None:
    report = json.loads(_ok(_invoke(db, "m", "--format", "dot", "--json", "--no-check")))

    assert report["output"] is None
    assert report["content"].startswith("digraph lineage {")


def test_highlight_runs_the_check_and_draws_the_path(db: str, tmp_path: Path) -> None:
    out = tmp_path / "nc.svg"

    report = json.loads(
        _ok(_invoke(db, "m", "--highlight", "non-commercial", "-o", str(out), "--json"))
    )

    assert report["highlight"] == {"rule": "non-commercial", "findings": 1}
    svg = html.unescape(out.read_text(encoding="utf-8"))
    assert "highlighted: non-commercial (1 finding)" in svg


def test_max_nodes_and_focus_fold_a_large_lineage(sharded: lineage.Store) -> None:
    db = sharded.url.removeprefix("sqlite:///")

    args = ["big", "--max-nodes", "8", "--focus", "shard-03", "--format", "mermaid"]

    report = json.loads(_ok(_invoke(db, *args, "--json", "--no-check")))

    assert report["folded"] == "siblings"
    assert report["grouped"] == 39
    assert "shard-03" in report["content"]


@pytest.mark.parametrize(
    ("args", "exit_code", "says"),
    [
        (["nosuch"], 1, "'nosuch' is not recorded"),
        (["m", "--focus", "nosuch", "--no-check"], 1, "--focus 'nosuch' is not in the lineage"),
        (["m", "--highlight", "no-such-rule"], 2, "'no-such-rule' is not a rule"),
        (["m", "--format", "gif"], 2, "--format"),
        (["m", "--depth", "0"], 2, "--depth"),
        (["m", "--format", "png", "--json"], 2, "png is binary: write it to a file with -o FILE"),
        (["m", "--as-of", "yesterday"], 1, "--as-of 'yesterday'"),
        (["m", "-o", "/nonexistent/dir/m.svg", "--no-check"], 1, "cannot write"),
    ],
)
def test_bad_input_gives_one_error_line(
    db: str, args: list[str], exit_code: int, says: str
) -> None:
    line = _one_error_line(_invoke(db, *args), exit_code)

    assert says in line


def test_missing_graphviz_is_one_line_saying_how_to_install_it(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")

    line = _one_error_line(_invoke(db, "m", "--no-check", "-o", str(tmp_path / "m.svg")), 1)

    assert line == (
        "Error: Graphviz 'dot' not found: install it with 'sudo apt-get install graphviz' "
        "(or 'brew install graphviz'), or ask for --format dot or mermaid, which need no binaries"
    )
    assert _ok(_invoke(db, "m", "--no-check", "--format", "dot")).startswith("digraph")


def test_help_has_an_example_and_json() -> None:
    out = _ok(CliRunner().invoke(cli, ["diagram", "--help"]))

    assert "Example:" in out and "--json" in out and "--max-nodes" in out


def test_binary_formats_go_to_a_piped_stdout(db: str) -> None:
    result = CliRunner().invoke(cli, ["--db", db, "diagram", "m", "--format", "png", "--no-check"])

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\x89PNG")
