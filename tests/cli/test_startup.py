"""What each command loads (issue 17): run in a fresh interpreter, then read sys.modules.

A command pays at start-up for every module it imports, so `--version` and `--help`
load no part of the library, and the store commands load the store and nothing that
reports, exports, checks or serves. A positive control (`export`) shows that a command
still loads what it needs. No timing here: bench/bench_cli.py measures it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pydantic_core
import pytest
from click.testing import CliRunner

import lineage
from cli.main import COMMANDS, cli
from lineage import compiled_inputs

# Run COMMAND as `lineage` does, then write which of the watched modules are loaded.
_PROBE = """
import gc, json, sys
watched, out, args = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3:]
sys.argv = ["lineage", *args]
from cli.main import main
try:
    main()
except SystemExit as exit:
    code = exit.code
loaded = [m for m in watched if m in sys.modules]
with open(out, "w") as file:
    json.dump({"code": code, "loaded": loaded, "frozen": gc.get_freeze_count()}, file)
"""

WATCHED = [
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.sqlite",
    "sqlmodel",
    "pydantic",
    "pydantic_core",
    "networkx",
    "license_expression",
    "yaml",
    "jinja2",
    "prov",
    "rdflib",
    "graphviz",
    "openlineage",
    "jsonschema",
    "fastjsonschema",
    "cryptography",
    "tqdm",
    "weasyprint",
    "pyshacl",
    "fastapi",
    "uvicorn",
    "lineage.api",
    "lineage.validation",
    "lineage.compiled_inputs",
    "lineage.checks",
    "lineage.reports.build",
    "lineage.diagrams",
    "lineage.exports",
    "lineage.ingest",
    "lineage.governance.signing",
    "lineage.server",
    "cli.report",
    "cli.export",
    "cli.record",
]
# Loaded by no command that reads or records a single record.
FEATURES = [m for m in WATCHED if m not in ("sqlalchemy", "lineage.api") and ".dialects." not in m]
# A store's own dialect, and no other (the digest index once loaded PostgreSQL's on SQLite).
DIALECTS = {"sqlite": "sqlalchemy.dialects.sqlite", "postgresql": "sqlalchemy.dialects.postgresql"}


def dialects_loaded(loaded: set[str]) -> set[str]:
    return {name for name, module in DIALECTS.items() if module in loaded}


def engine_of(db_url: str) -> str:
    return "postgresql" if db_url.startswith("postgresql") else "sqlite"


def probe(tmp_path: Path, *args: str, db: str | None = None) -> dict[str, Any]:
    """Run `lineage ARGS...` in a new interpreter: its exit code, the watched modules it
    loaded and how many objects it left frozen for the interpreter's exit."""
    out = tmp_path / "loaded.json"
    env = {**os.environ, **({"LINEAGE_DB": db} if db else {})}
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(WATCHED), str(out), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(out.read_text())
    assert result["code"] in (0, None), (result, run.stderr)
    return result


def loaded_by(tmp_path: Path, *args: str, db: str | None = None) -> set[str]:
    """The watched modules loaded by `lineage ARGS...` in a new interpreter."""
    return set(probe(tmp_path, *args, db=db)["loaded"])


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_no_part_of_the_library(tmp_path: Path, option: str) -> None:
    loaded = loaded_by(tmp_path, option)

    assert loaded == set()


@pytest.mark.parametrize("command", [["list"], ["show", "web-crawl-2025-05"]])
def test_reading_commands_load_the_store_and_nothing_else(
    sample_store: lineage.Store, db_url: str, tmp_path: Path, command: list[str]
) -> None:
    assert sample_store.list("source")  # the store holds the sample

    loaded = loaded_by(tmp_path, *command, db=db_url)

    assert {"sqlalchemy", "lineage.api"} <= loaded
    assert loaded.isdisjoint(FEATURES), loaded & set(FEATURES)
    assert dialects_loaded(loaded) == {engine_of(db_url)}


ADD_COMMANDS = {
    "source": ["--license", "MIT", "--obtained", "public", "--collected", "2024-01-01.."],
    "dataset": ["--records", "3", "--not-training-mix"],
    "model": ["--intended-use", "research", "--on-market"],
    "agent": ["--type", "software", "--version", "1.2"],
}


@pytest.mark.skipif(
    pydantic_core.__version__ != compiled_inputs.PYDANTIC_CORE,
    reason=f"lineage/compiled_inputs.py is compiled for pydantic-core "
    f"{compiled_inputs.PYDANTIC_CORE}, {pydantic_core.__version__} is installed (the models "
    "validate instead): run python -m lineage.input_compiler --write",
)
@pytest.mark.parametrize("kind", ADD_COMMANDS)
def test_adding_a_record_validates_without_pydantic_and_loads_no_feature(
    sample_store: lineage.Store, db_url: str, tmp_path: Path, kind: str
) -> None:
    name = f"new-{kind}"
    loaded = loaded_by(tmp_path, kind, "add", name, *ADD_COMMANDS[kind], db=db_url)

    facts = sample_store.show(name).facts
    assert facts and all(value is not None for value in facts.values()), facts
    # Validated by the schema compiled from the kind's model: pydantic-core, not pydantic.
    needed = {"sqlalchemy", "pydantic_core", "lineage.compiled_inputs", "cli.record"}
    assert needed <= loaded
    assert "pydantic" not in loaded and "lineage.validation" not in loaded
    unused = set(FEATURES) - needed - {"license_expression"}  # for --license
    assert loaded.isdisjoint(unused), loaded & unused
    assert dialects_loaded(loaded) == {engine_of(db_url)}


def test_a_source_added_by_the_command_has_its_facts(
    sample_store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    loaded = loaded_by(tmp_path, "source", "add", "new-source", *ADD_COMMANDS["source"], db=db_url)

    facts = sample_store.show("new-source").facts
    assert (facts["license"], facts["obtained"], facts["collected_start"]) == (
        "MIT",
        "public",
        "2024-01-01",
    )
    assert "license_expression" in loaded  # the licence was checked


def test_recording_a_run_still_validates_with_its_model(
    sample_store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    # A positive control: a record without a compiled validator loads its pydantic model.
    args = ["run", "record", "recount", "--input", "web-crawl-2025-05", "--output", "web-text-raw"]
    args += ["--name", "recount-1"]
    loaded = loaded_by(tmp_path, *args, db=db_url)

    assert sample_store.show("recount-1").kind == "activity"
    assert {"pydantic", "lineage.validation"} <= loaded


def test_a_command_leaves_what_it_built_frozen_for_the_interpreters_exit(
    sample_store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    # The shutdown's full collections skip frozen objects (issue 17: they cost `source
    # add` 60-100 ms); garbage is collected before the freeze.
    result = probe(tmp_path, "show", "web-crawl-2025-05", db=db_url)

    assert "lineage.api" in result["loaded"]
    assert result["frozen"] > 10_000


def test_export_loads_what_it_uses(
    sample_store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    output = tmp_path / "trail.provjson"
    loaded = loaded_by(
        tmp_path,
        "export",
        "--format",
        "prov-json",
        "support-assistant-v1",
        "-o",
        str(output),
        db=db_url,
    )

    assert json.loads(output.read_text())["entity"]  # a real export was written
    assert {"networkx", "prov", "lineage.exports", "cli.export"} <= loaded
    assert loaded.isdisjoint({"weasyprint", "pyshacl", "fastapi", "uvicorn", "lineage.server"})


def test_import_lineage_loads_no_feature(tmp_path: Path) -> None:
    probe = (
        "import json, sys, lineage\n"
        "print(json.dumps([m for m in sys.argv[1:] if m in sys.modules]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, *WATCHED], capture_output=True, text=True, check=True
    )

    assert json.loads(run.stdout) == []


def test_every_public_name_still_resolves() -> None:
    missing = [name for name in lineage.__all__ if getattr(lineage, name, None) is None]

    assert missing == []
    assert "prov-json" in lineage.EXPORT_FORMATS
    assert callable(lineage.tiers) and callable(lineage.diagram)  # not the same-named modules


def test_the_command_table_matches_the_commands() -> None:
    # Load every command module, as a run of each command would.
    context = click.Context(cli)
    commands = {name: cli.get_command(context, name) for name in COMMANDS}

    assert set(cli.commands) == set(COMMANDS)
    for name, command in commands.items():
        assert command is not None, name
        module, summary = COMMANDS[name]
        assert command.callback is not None
        assert command.callback.__module__ == f"cli.{module}", name
        stand_in = click.Command(name, help=summary)
        assert stand_in.get_short_help_str(10**6) == command.get_short_help_str(10**6), name


def test_help_lists_every_command_as_the_commands_themselves_would() -> None:
    # In a new interpreter, where no command module is loaded...
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cli.main import cli\n"
        "sys.stdout.write(CliRunner().invoke(cli, ['--help'], prog_name='lineage').output)\n"
        "print(sorted(m for m in sys.modules if m.startswith('cli.')), file=sys.stderr)\n"
    )
    lazy = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    # ...and here, with every command loaded.
    context = click.Context(cli)
    for name in COMMANDS:
        cli.get_command(context, name)
    loaded = CliRunner().invoke(cli, ["--help"], prog_name="lineage")

    assert lazy.returncode == 0, lazy.stderr
    assert lazy.stderr.strip() == "['cli.main']"
    assert "report-verify" in lazy.stdout
    assert lazy.stdout == loaded.output
