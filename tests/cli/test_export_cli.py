"""`lineage export` and `lineage ingest` of PROV-JSON, end to end through CliRunner."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from graph_compare import assert_same_graph
from samples import SAMPLE, table_counts

import lineage
from cli.main import cli


def _invoke(db: str, command: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, *shlex.split(command)])


def _one_error_line(result: Result, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ")
    return line


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample store, made once: these tests only read it (or fail to write to it)."""
    db = str(tmp_path_factory.mktemp("export-cli") / "lineage.db")
    with lineage.open_store(db) as store:
        store.ingest([str(SAMPLE / "lineage.yaml")])
    return db


def test_export_writes_prov_n_to_stdout(sample_db: str) -> None:
    result = _invoke(sample_db, "export --format prov-n web-text-en")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("document\n")
    assert result.stdout.rstrip().endswith("endDocument")
    assert "entity(dataset:web-text-en, [" in result.stdout
    assert "prov:type='lineage:Dataset'" in result.stdout


def test_export_writes_prov_json_when_no_format_is_given(sample_db: str) -> None:
    result = _invoke(sample_db, "export web-text-en")

    assert result.exit_code == 0, result.output
    assert "dataset:web-text-en" in json.loads(result.stdout)["entity"]


def test_export_to_a_file_says_what_it_wrote(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "trail.ttl"

    result = _invoke(sample_db, f"export --format prov-o support-assistant-v1 -o {out}")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out} (prov-o, ")
    assert "records" in result.stdout and "relations" in result.stdout
    assert "prov:wasGeneratedBy" in out.read_text(encoding="utf-8")


def test_export_json_reports_the_file_or_carries_the_content(
    sample_db: str, tmp_path: Path
) -> None:
    out = tmp_path / "store.graphml"

    to_file = json.loads(_invoke(sample_db, f"export --format graphml -o {out} --json").stdout)
    inline = json.loads(_invoke(sample_db, "export --format prov-json web-text-en --json").stdout)

    assert to_file["target"] is None
    assert to_file["output"] == str(out)
    assert to_file["bytes"] == out.stat().st_size
    assert to_file["records"] == 79 and to_file["relations"] == 136
    assert "content" not in to_file
    assert inline["target"] == "dataset:web-text-en"
    assert "dataset:web-text-en" in json.loads(inline["content"])["entity"]


def test_export_then_ingest_on_the_command_line_gives_the_same_graph(
    sample_db: str, tmp_path: Path
) -> None:
    document = tmp_path / "store.provjson"
    copy = str(tmp_path / "copy.db")
    assert _invoke(sample_db, f"export --format prov-json -o {document}").exit_code == 0

    result = _invoke(copy, f"ingest {document}")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("79 records, 136 relations recorded")
    assert_same_graph(f"sqlite:///{sample_db}", f"sqlite:///{copy}")


BAD = {
    "unknown target": ("export --format prov-json nosuch", 1, "'nosuch' is not recorded"),
    "unknown format": ("export --format prov-yaml", 2, "'prov-yaml' is not one of"),
    "missing format value": ("export web-text-en --format", 2, "'--format' requires an argument"),
    "bad --as-of": ("export --format prov-n --as-of soon", 1, "--as-of 'soon'"),
    "unwritable output": ("export --format prov-n -o /nonexistent/x.provn", 1, "cannot write"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_export_bad_input_gives_one_error_line(sample_db: str, case: str) -> None:
    command, exit_code, says = BAD[case]

    assert says in _one_error_line(_invoke(sample_db, command), exit_code)


def test_ingest_of_invalid_prov_gives_one_line_and_leaves_the_store_unchanged(
    sample_db: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"prefix": {"ex": "http://e/", "lineage": "urn:lineage:ns#"},'
        ' "entity": {"ex:ok": {}, "ex:e": {"lineage:personal_data": "maybe"}}}',
        encoding="utf-8",
    )
    before = table_counts(f"sqlite:///{sample_db}")

    line = _one_error_line(_invoke(sample_db, f"ingest {bad}"), 1)

    assert f"{bad}: entity 'ex:e': field 'personal_data'" in line
    assert table_counts(f"sqlite:///{sample_db}") == before
