"""Hostile input to `lineage ingest` and the Python API (issue 18): alias bombs, deep nesting,
devices and pipes, standard input, and megabyte names echoed in errors.

Inputs that would eat memory before the fix run in a child process whose address
space is capped (RLIMIT_AS), so an unfixed build fails its test instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_run import invoke, ok, one_error_line
from click.testing import CliRunner
from samples import table_counts

import lineage
from cli.main import cli

MEMORY_CAP = 1024 * 1024 * 1024  # bytes of address space for a child `lineage` process


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _lineage_capped(
    db: str, *args: str, stdin: Any = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    """`lineage --db DB ARGS...` in a child with MEMORY_CAP of address space, bounded in time."""
    return subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "--db", db, *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_capped,
        check=False,
    )


def _one_line(done: subprocess.CompletedProcess[str], exit_code: int = 1) -> str:
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == exit_code, done.stderr[-3000:]
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr[-3000:]
    assert lines[0].startswith("Error: ")
    return lines[0]


@pytest.fixture
def holding(db_url: str) -> Iterator[str]:
    """A store URL on each engine holding one record, so 'nothing written' means something."""
    with lineage.open_store(db_url) as store:
        store.add_agent("auditor", type="person")
    assert table_counts(db_url) == {"node": 1, "edge": 0, "ledger": 1}
    yield db_url


def _alias_bomb(levels: int) -> str:
    """A valid manifest whose one source's attrs hold nested aliases: 9**levels strings."""
    anchors = ['      l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        anchors.append(f"      l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]")
    return "sources:\n  - name: laughs\n    license: MIT\n    attrs:\n" + "\n".join(anchors) + "\n"


# -- YAML alias bombs ------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [9, 6])  # 387 million strings (past 2 GB); 531,441 (34 MB)
def test_a_yaml_alias_bomb_is_refused_in_one_line_and_writes_nothing(
    holding: str, tmp_path: Path, levels: int
) -> None:
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(_alias_bomb(levels), encoding="utf-8")
    assert bomb.stat().st_size < 700

    line = _one_line(_lineage_capped(holding, "ingest", str(bomb)))

    assert line.startswith(f"Error: {bomb}:")  # with the line of the alias that went too far
    assert "aliases repeat more than 10,000 values" in line
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


def test_a_few_yaml_aliases_are_still_read(store: lineage.Store, tmp_path: Path) -> None:
    manifest = tmp_path / "shared.yaml"
    manifest.write_text(
        "sources:\n"
        "  - name: a\n    license: &licence CC-BY-4.0\n    attrs: &common {team: data, tier: 2}\n"
        "  - name: b\n    license: *licence\n    attrs: *common\n",
        encoding="utf-8",
    )

    store.ingest([str(manifest)])

    assert store.show("b").facts["license"] == "CC-BY-4.0"
    assert store.show("b").facts["attrs"] == {"team": "data", "tier": 2}


# -- deep nesting ----------------------------------------------------------------------------


def _nested(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = {"k": value}
    return value


def _event(facets: dict[str, Any]) -> dict[str, Any]:
    return {
        "eventType": "COMPLETE",
        "eventTime": "2025-06-02T08:00:00Z",
        "run": {"runId": "01937f2a-5b1c-7d3e-8f40-0000000d0001", "facets": facets},
        "job": {"namespace": "pipelines", "name": "deep"},
        "producer": "https://example.com/producer",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "inputs": [{"namespace": "s3://lake", "name": "in"}],
        "outputs": [],
    }


def _deep_facet(levels: int) -> dict[str, Any]:
    return {
        "deep": {
            "_producer": "https://example.com",
            "_schemaURL": "https://x",
            "v": _nested(levels),
        }
    }


DEEP_INPUTS = {
    "manifest.yaml": (
        "sources:\n  - name: s\n    attrs:\n      a: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "manifest.yaml:4: lists and mappings nested more than 64 levels deep",
    ),
    "manifest.json": (
        '{"sources": [{"name": "s", "attrs": {"a": ' + "[" * 10_000 + "]" * 10_000 + "}}]}",
        "manifest.json:1: lists and mappings nested more than 64 levels deep",
    ),
    "attrs.json": (  # deeper than 64, shallower than the JSON writer's own limit of 255
        json.dumps({"sources": [{"name": "s", "attrs": _nested(100)}]}),
        "attrs.json: sources[0] 's': field 'attrs': attributes nest more than 64 levels deep "
        "(at 'k.k.k.k.k.k…')",
    ),
    "events.json": (
        json.dumps(_event(_deep_facet(300))),
        "events.json: event 0: field 'run.facets.deep.v.k.k…': "
        "lists and mappings nested more than 64 levels deep",
    ),
    "events.ndjson": (
        json.dumps(_event({})) + "\n" + json.dumps(_event(_deep_facet(300))) + "\n",
        "events.ndjson:2: event 1: field 'run.facets.deep.v.k.k…': "
        "lists and mappings nested more than 64 levels deep",
    ),
    "trail.provjson": (
        json.dumps(
            {
                "prefix": {"ex": "https://example.com/"},
                "entity": {"ex:corpus": {"ex:note": [_nested(150)]}},
            }
        ),
        "trail.provjson: field 'entity.ex:corpus.ex:note[0].k.k…': "
        "lists and mappings nested more than 64 levels deep",
    ),
    # JSON inside a string, parsed by Python's recursive parser: a RecursionError before.
    "literal.provjson": (
        json.dumps(
            {
                "prefix": {
                    "ex": "https://example.com/",
                    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                },
                "entity": {
                    "ex:corpus": {"ex:note": {"$": "[" * 20_000 + "]" * 20_000, "type": "rdf:JSON"}}
                },
            }
        ),
        "literal.provjson: entity 'ex:corpus': lists and mappings nested more than 64 levels deep",
    ),
    "column.provjson": (
        json.dumps(
            {
                "prefix": {"lineage": "urn:lineage:ns#"},
                "entity": {"lineage:corpus": {"lineage:modality": "[" * 20_000 + "]" * 20_000}},
            }
        ),
        "column.provjson: entity 'lineage:corpus': attribute 'lineage:modality': "
        "lists and mappings nested more than 64 levels deep",
    ),
}


@pytest.mark.parametrize("name", sorted(DEEP_INPUTS))
def test_deep_nesting_is_refused_in_one_line_naming_file_and_field(
    holding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    text, message = DEEP_INPUTS[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # so that the message names the file as given

    line = one_error_line(invoke(holding, f"ingest {name}"), 1)

    assert line == f"Error: {message}"
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


def test_nesting_up_to_the_limit_is_recorded(store: lineage.Store) -> None:
    store.add_source("deep-enough", attrs=_nested(63))  # attrs itself is the 64th level

    assert store.show("deep-enough").facts["attrs"] == _nested(63)


def test_the_api_refuses_deep_attrs_and_params_and_writes_nothing(store: lineage.Store) -> None:
    store.add_agent("auditor", type="person")
    before = table_counts(store.database.url)

    with pytest.raises(lineage.InvalidRecord, match=r"^source 's': field 'attrs': attributes nest"):
        store.add_source("s", attrs=_nested(600))
    with pytest.raises(
        lineage.InvalidRecord, match=r"field 'params': parameters nest more than 64"
    ):
        store.record_run("train", inputs=["auditor"], outputs=[], params=_nested(300))
    with pytest.raises(lineage.InvalidRecord, match=r"^request: event 0: field 'run.facets.deep"):
        store.ingest_events([_event(_deep_facet(300))])

    assert table_counts(store.database.url) == before


@pytest.mark.parametrize(
    ("command", "option"),
    [("source add s --license MIT --attr", "--attr"), ("run record train --param", "--param")],
)
def test_command_line_json_nested_past_the_parser_is_one_line(
    holding: str, command: str, option: str
) -> None:
    # Python's JSON parser recurses: 20,000 levels ended in a RecursionError traceback.
    deep = "[" * 20_000 + "]" * 20_000
    line = one_error_line(invoke(holding, f"{command} k={deep}"), 2)

    assert line.startswith(f"Error: Invalid value for {option}: 'k': lists and mappings nested")
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


# -- what is not a regular file, and standard input ----------------------------------------


def test_ingest_of_a_device_is_refused_before_reading(holding: str) -> None:
    line = _one_line(_lineage_capped(holding, "ingest", "/dev/zero"))

    assert (
        line
        == "Error: /dev/zero: is a device, not a regular file (give '-' to read standard input)"
    )
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


def test_ingest_of_a_named_pipe_is_refused_without_waiting_for_a_writer(
    holding: str, tmp_path: Path
) -> None:
    pipe = tmp_path / "events.pipe"
    os.mkfifo(pipe)

    line = _one_line(_lineage_capped(holding, "ingest", str(pipe)))

    assert (
        line
        == f"Error: {pipe}: is a named pipe, not a regular file (give '-' to read standard input)"
    )
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


def test_ingest_dash_reads_a_manifest_from_standard_input(holding: str) -> None:
    manifest = "sources:\n  - name: piped-corpus\n    license: MIT\n"

    result = CliRunner().invoke(cli, ["--db", holding, "ingest", "-", "--json"], input=manifest)

    assert json.loads(ok(result))["files"] == ["-"]
    with lineage.open_store(holding) as store:
        assert store.show("piped-corpus").facts["license"] == "MIT"
    assert table_counts(holding) == {"node": 2, "edge": 0, "ledger": 2}


def test_ingest_dash_reads_ndjson_events_from_standard_input(holding: str) -> None:
    events = "".join(json.dumps(_event({})) + "\n" for _ in range(2))

    ok(CliRunner().invoke(cli, ["--db", holding, "ingest", "-"], input=events))

    with lineage.open_store(holding) as store:
        run = store.show("01937f2a-5b1c-7d3e-8f40-0000000d0001")
        assert run.kind == "activity"
        assert store.show("s3://lake/in").kind == "dataset"


def test_errors_in_standard_input_name_it_and_its_line(holding: str) -> None:
    manifest = "sources:\n  - name: x\n    license: not-a-licence\n"

    result = CliRunner().invoke(cli, ["--db", holding, "ingest", "-"], input=manifest)

    assert one_error_line(result, 1).startswith("Error: <stdin>:3: sources[0] 'x': field 'license'")
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


def test_standard_input_is_read_to_a_bound(holding: str) -> None:
    with open("/dev/zero", "rb") as endless:
        line = _one_line(_lineage_capped(holding, "ingest", "-", stdin=endless))

    assert line == "Error: <stdin>: more than 64 MiB; write it to a file and ingest that"
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


def test_standard_input_can_be_given_once(holding: str) -> None:
    result = CliRunner().invoke(cli, ["--db", holding, "ingest", "-", "-"], input="sources: []\n")

    assert one_error_line(result, 1) == "Error: standard input ('-') can be read only once"


# -- megabyte values in error messages -----------------------------------------------------

HUGE = "n" * 1_000_000
CUT = f"'{'n' * 80}…' (1,000,000 characters)"


def test_an_unknown_megabyte_name_is_cut_in_the_error(sample_store: lineage.Store) -> None:
    result = CliRunner().invoke(cli, ["--db", sample_store.database.url, "show", HUGE])

    line = one_error_line(result, 1)
    assert line.startswith(f"Error: {CUT} ")
    assert len(line) < 300


def test_a_megabyte_name_in_a_manifest_is_cut_in_the_error(holding: str, tmp_path: Path) -> None:
    manifest = tmp_path / "huge.yaml"
    manifest.write_text(f"sources:\n  - name: {HUGE}\n    license: MIT\n", encoding="utf-8")

    line = one_error_line(invoke(holding, f"ingest {manifest}"), 1)

    assert line.startswith(f"Error: {manifest}:2: sources[0] {CUT}: field 'name'")
    assert len(line) < 300
    assert table_counts(holding) == {"node": 1, "edge": 0, "ledger": 1}


def test_a_megabyte_value_in_a_usage_error_is_cut(holding: str) -> None:
    result = CliRunner().invoke(cli, ["--db", holding, "list", "--kind", HUGE])

    line = one_error_line(result, 2)
    assert line.startswith(f"Error: Invalid value for '--kind': {CUT} is not one of 'source'")
    assert len(line) < 400
