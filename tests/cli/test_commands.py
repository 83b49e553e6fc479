"""The command line, end to end through CliRunner on a SQLite file."""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from cli_run import invoke as _invoke
from cli_run import ok as _ok
from cli_run import one_error_line as _one_error_line
from click.testing import CliRunner
from samples import SAMPLE, table_counts

import lineage
from cli.main import cli
from lineage.store.migrations import SCHEMA_VERSION


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Path of a SQLite store file that does not exist yet."""
    return str(tmp_path / "lineage.db")


@pytest.fixture
def url(db: str) -> str:
    return f"sqlite:///{db}"


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.jsonl"
    path.write_text('{"text": "works"}\n', encoding="utf-8")
    return path


@pytest.fixture
def pipeline(db: str, url: str) -> Iterator[str]:
    """A store with raw (source) -> dedup-1 (run, by ann) -> clean (dataset), and a model m."""
    with lineage.open_store(db) as store:
        store.add_source("raw", license="MIT", obtained="public")
        store.add_agent("ann", type="person")
        store.add_dataset("clean")
        store.add_model("m", license="Apache-2.0")
        store.record_run(
            "dedup",
            name="dedup-1",
            inputs=["raw"],
            outputs=["clean"],
            agent="ann",
            tool="dedup==2.3.1",
        )
    assert table_counts(url) == {"node": 5, "edge": 3, "ledger": 5}
    yield db


def _show(db: str, name: str) -> lineage.Record:
    with lineage.open_store(db, create=False) as store:
        return store.show(name)


# -- every command, end to end ---------------------------------------------------------


def test_init_creates_an_empty_store(db: str, url: str) -> None:
    out = _ok(_invoke(db, "init"))

    assert out == (
        f"store ready: sqlite:///{db} (schema {SCHEMA_VERSION}, 0 records, 0 ledger entries)\n"
    )
    assert table_counts(url) == {"node": 0, "edge": 0, "ledger": 0}


def test_init_on_an_existing_store_keeps_its_records(pipeline: str) -> None:
    out = _ok(_invoke(pipeline, "init --json"))

    assert json.loads(out) == {
        "url": f"sqlite:///{pipeline}",
        "schema_version": SCHEMA_VERSION,
        "records": 5,
        "ledger_entries": 5,
    }


def test_source_add_records_every_option(pipeline: str, data_file: Path) -> None:
    out = _ok(
        _invoke(
            pipeline,
            "source add reviews --owner 'Shopwise Inc.' --uri https://shopwise.example/reviews"
            " --license CC-BY-NC-4.0 --restriction non-commercial"
            " --copyright 'reviews (c) their authors'"
            f" --path {shlex.quote(str(data_file))} --records 1 --tokens 2"
            " --modality text --data-type 'product reviews' --description 'customer reviews'"
            " --derived-from raw --attributed-to ann --attr batch=7 --attr 'note=first delivery'"
            " --personal-data yes --personal-data-category names"
            " --personal-data-category emails --legal-basis consent --first-used 2025-06-10"
            " --obtained licensed --generated-by m --opt-outs honoured"
            " --collected 2024-01-01..2024-12-31",
        )
    )

    lines = out.splitlines()
    assert lines[:2] == ["recorded source:reviews", "3 relations recorded"]
    assert lines[2].startswith("ledger entry 6: ")
    digest = "sha256:" + hashlib.sha256(data_file.read_bytes()).hexdigest()
    facts = _show(pipeline, "reviews").facts
    assert facts.pop("path").endswith("reviews.jsonl")
    assert facts == {
        "owner": "Shopwise Inc.",
        "uri": "https://shopwise.example/reviews",
        "license": "CC-BY-NC-4.0",
        "restrictions": ["non-commercial"],
        "copyright": "reviews (c) their authors",
        "digest": digest,
        "size_bytes": data_file.stat().st_size,
        "records": 1,
        "tokens": 2,
        "modality": ["text"],
        "data_types": ["product reviews"],
        "description": "customer reviews",
        "attrs": {"batch": 7, "note": "first delivery"},
        "personal_data": "yes",
        "personal_data_categories": ["names", "emails"],
        "legal_basis": "consent",
        "first_used": "2025-06-10",
        "obtained": "licensed",
        "generated_by": "m",
        "opt_outs": "honoured",
        "collected_start": "2024-01-01",
        "collected_end": "2024-12-31",
    }


def test_source_add_records_attributed_to_and_generated_by_relations(pipeline: str) -> None:
    _ok(
        _invoke(
            pipeline,
            "source add synthetic --obtained synthetic --generated-by m --attributed-to ann",
        )
    )

    graph = json.loads(_ok(_invoke(pipeline, "upstream synthetic --json")))
    assert graph["edges"] == [
        {"source": "source:synthetic", "target": "agent:ann", "relation": "was_attributed_to"},
        {"source": "source:synthetic", "target": "model:m", "relation": "was_derived_from"},
    ]


def test_dataset_add_records_a_dataset(pipeline: str, url: str) -> None:
    out = _ok(_invoke(pipeline, "dataset add mixture --owner Northwind --records 9"))

    assert out.splitlines()[0] == "recorded dataset:mixture"
    assert _show(pipeline, "mixture").facts == {"owner": "Northwind", "records": 9}
    assert table_counts(url)["node"] == 6


def test_model_add_records_a_model(pipeline: str) -> None:
    out = _ok(
        _invoke(pipeline, "model add assistant --license Apache-2.0 --intended-use commercial")
    )

    assert out.splitlines()[0] == "recorded model:assistant"
    assert _show(pipeline, "assistant").facts == {
        "license": "Apache-2.0",
        "intended_use": "commercial",
    }


def test_agent_add_records_an_agent_acting_on_behalf_of_another(pipeline: str) -> None:
    out = _ok(
        _invoke(pipeline, "agent add crawler --type software --version 1.4.0 --on-behalf-of ann")
    )

    assert out.splitlines()[:2] == ["recorded agent:crawler", "1 relation recorded"]
    assert _show(pipeline, "crawler").facts == {
        "agent_type": "software",
        "software_version": "1.4.0",
    }
    graph = json.loads(_ok(_invoke(pipeline, "upstream crawler --json")))
    assert graph["edges"] == [
        {"source": "agent:crawler", "target": "agent:ann", "relation": "acted_on_behalf_of"}
    ]


def test_run_record_records_params_tool_and_times(pipeline: str) -> None:
    out = _ok(
        _invoke(
            pipeline,
            "run record train --name train-1 --input clean --output m --agent ann"
            " --tool transformers==4.44.2 --code-revision c17e85d"
            " --param epochs=2 --param lr=2e-5 --param base=larkspur"
            " --started 2025-06-10T06:00:00Z --ended 2025-06-12T17:41:00+02:00"
            " --records-in 621",
        )
    )

    assert out == "recorded activity:train-1\n"
    assert _show(pipeline, "train-1").facts == {
        "operation": "train",
        "tool": "transformers",
        "tool_version": "4.44.2",
        "code_revision": "c17e85d",
        "params": {"epochs": 2, "lr": 2e-5, "base": "larkspur"},
        "started": "2025-06-10T06:00:00Z",
        "ended": "2025-06-12T15:41:00Z",
        "records_in": 621,
        "status": "completed",
    }
    graph = json.loads(_ok(_invoke(pipeline, "upstream m --depth 2 --json")))
    assert sorted((e["source"], e["target"], e["relation"]) for e in graph["edges"]) == [
        ("activity:train-1", "agent:ann", "was_associated_with"),
        ("activity:train-1", "dataset:clean", "used"),
        ("model:m", "activity:train-1", "was_generated_by"),
    ]


def test_run_record_twice_says_unchanged(pipeline: str, url: str) -> None:
    command = "run record copy --input clean --output m"
    first = _ok(_invoke(pipeline, command))
    before = table_counts(url)

    second = _ok(_invoke(pipeline, command))

    assert first.startswith("recorded activity:copy-")
    assert second == first.replace("recorded", "unchanged")
    assert table_counts(url) == before


def test_amend_records_a_new_version_with_reason_and_effective_date(pipeline: str) -> None:
    out = _ok(
        _invoke(
            pipeline,
            "amend raw --license Apache-2.0 --effective 2025-09-01"
            " --reason 'publisher relicensed it'",
        )
    )

    assert out.splitlines()[0] == "amended (version 2) source:raw"
    record = _show(pipeline, "raw")
    assert [v.version for v in record.history] == [1, 2]
    assert record.current.reason == "publisher relicensed it"
    assert record.current.effective == "2025-09-01"
    assert record.facts == {"license": "Apache-2.0", "obtained": "public"}


def test_amend_on_behalf_of_records_the_delegation_once(pipeline: str, url: str) -> None:
    _ok(_invoke(pipeline, "agent add northwind --type organization"))
    before = table_counts(url)

    out = _ok(_invoke(pipeline, "amend ann --on-behalf-of northwind --reason 'hired'"))

    assert "1 relation recorded" in out
    with lineage.open_store(pipeline) as store:
        graph = store.graph("agent:ann")
    assert graph.edges["agent:ann", "agent:northwind"]["relation"] == "acted_on_behalf_of"
    after = table_counts(url)
    assert after["edge"] == before["edge"] + 1
    # Said again, it is already recorded; a principal never recorded is refused.
    _ok(_invoke(pipeline, "amend ann --on-behalf-of northwind --reason 'hired'"))
    line = _one_error_line(_invoke(pipeline, "amend ann --on-behalf-of nobody --reason 'x'"), 1)
    assert "'nobody'" in line
    assert table_counts(url) == after


def test_ingest_records_a_manifest_then_reports_it_unchanged(
    db: str, url: str, tmp_path: Path
) -> None:
    manifest = tmp_path / "lineage.yaml"
    manifest.write_text(
        "sources:\n  - {name: raw, license: MIT}\ndatasets:\n  - name: clean\n"
        "runs:\n  - {operation: copy, name: copy-1, inputs: [raw], outputs: [clean]}\n",
        encoding="utf-8",
    )

    first = _ok(_invoke(db, f"ingest {shlex.quote(str(manifest))}"))
    second = _ok(_invoke(db, f"ingest {shlex.quote(str(manifest))}"))

    assert first == "3 records, 2 relations recorded (ledger entry 1)\n"
    assert second == "0 records, 0 relations recorded, 3 already recorded\n"
    assert table_counts(url) == {"node": 3, "edge": 2, "ledger": 1}


def test_ingest_json_of_the_sample_manifest_reports_what_it_wrote(db: str, url: str) -> None:
    manifest = str(SAMPLE / "lineage.yaml")

    report = json.loads(_ok(_invoke(db, f"ingest {shlex.quote(manifest)} --json")))

    counts = table_counts(url)
    assert counts["node"] > 30
    assert report["files"] == [manifest]
    assert len(report["created"]) == counts["node"]
    assert report["edges"] == counts["edge"]
    assert report["ledger"]["seq"] == 1
    assert _ok(_invoke(db, "audit verify")).startswith("ok: 1 ledger entries")


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLE / "bad").glob("*.yaml")))
def test_ingest_of_a_broken_sample_manifest_gives_one_error_line_naming_it(
    pipeline: str, url: str, name: str
) -> None:
    path = str(SAMPLE / "bad" / name)
    before = table_counts(url)

    line = _one_error_line(_invoke(pipeline, f"ingest {shlex.quote(path)}"), 1)

    assert line.startswith(f"Error: {path}:")
    assert table_counts(url) == before


def test_show_prints_the_facts_and_the_history(pipeline: str) -> None:
    _ok(_invoke(pipeline, "amend raw --owner Shopwise --reason 'owner found'"))
    record = _show(pipeline, "raw")
    v1, v2 = record.history

    out = _ok(_invoke(pipeline, "show raw"))

    assert out.splitlines() == [
        f"source:raw  (version 2, recorded {v2.recorded_at})",
        "  license: MIT",
        "  obtained: public",
        "  owner: Shopwise",
        "history:",
        f"  v1 recorded {v1.recorded_at}",
        f"  v2 recorded {v2.recorded_at}: owner found",
    ]


def test_show_as_of_prints_the_version_then_in_force(pipeline: str) -> None:
    before = _show(pipeline, "raw").current.recorded_at
    _ok(_invoke(pipeline, "amend raw --license Apache-2.0 --reason relicensed"))

    record = json.loads(_ok(_invoke(pipeline, f"show raw --as-of {before} --json")))

    assert record["current"]["version"] == 1
    assert record["current"]["facts"]["license"] == "MIT"


def test_list_with_kind_prints_only_that_kind(pipeline: str) -> None:
    _ok(_invoke(pipeline, "source add other --license MIT"))
    _ok(_invoke(pipeline, "amend other --owner X --reason 'owner found'"))

    out = _ok(_invoke(pipeline, "list --kind source"))

    assert out == "source:other  (v2)\nsource:raw\n"


def test_list_prints_every_record(pipeline: str) -> None:
    out = _ok(_invoke(pipeline, "list"))

    assert out.splitlines() == [
        "activity:dedup-1",
        "agent:ann",
        "dataset:clean",
        "model:m",
        "source:raw",
    ]


def test_upstream_prints_a_tree(pipeline: str) -> None:
    out = _ok(_invoke(pipeline, "upstream clean"))

    assert out.splitlines() == [
        "dataset:clean",
        "└── was_generated_by activity:dedup-1  operation=dedup  tool=dedup==2.3.1",
        "    ├── used source:raw  license=MIT  obtained=public",
        "    └── was_associated_with agent:ann  agent_type=person",
    ]


def test_downstream_prints_a_tree(pipeline: str) -> None:
    out = _ok(_invoke(pipeline, "downstream raw"))

    assert out.splitlines() == [
        "source:raw  license=MIT  obtained=public",
        "└── used by activity:dedup-1  operation=dedup  tool=dedup==2.3.1",
        "    └── generated dataset:clean",
    ]


def test_upstream_json_is_node_link_with_fields_and_relations(pipeline: str) -> None:
    graph = json.loads(_ok(_invoke(pipeline, "upstream clean --json")))

    assert graph["root"] == "dataset:clean"
    assert {n["id"]: (n["kind"], n["name"], n["fields"]) for n in graph["nodes"]} == {
        "dataset:clean": ("dataset", "clean", {}),
        "activity:dedup-1": (
            "activity",
            "dedup-1",
            {"operation": "dedup", "tool": "dedup", "tool_version": "2.3.1", "status": "completed"},
        ),
        "source:raw": ("source", "raw", {"license": "MIT", "obtained": "public"}),
        "agent:ann": ("agent", "ann", {"agent_type": "person"}),
    }
    assert graph["edges"] == [
        {"source": "activity:dedup-1", "target": "agent:ann", "relation": "was_associated_with"},
        {"source": "activity:dedup-1", "target": "source:raw", "relation": "used"},
        {"source": "dataset:clean", "target": "activity:dedup-1", "relation": "was_generated_by"},
    ]


def test_downstream_json_with_depth_stops_there(pipeline: str) -> None:
    graph = json.loads(_ok(_invoke(pipeline, "downstream raw --depth 1 --json")))

    assert graph["root"] == "source:raw"
    assert sorted(n["id"] for n in graph["nodes"]) == ["activity:dedup-1", "source:raw"]
    assert graph["edges"] == [
        {"source": "activity:dedup-1", "target": "source:raw", "relation": "used"}
    ]


def test_hash_prints_the_sha256_of_a_file(data_file: Path) -> None:
    result = CliRunner().invoke(cli, ["hash", str(data_file)])

    expected = hashlib.sha256(data_file.read_bytes()).hexdigest()
    size = data_file.stat().st_size
    assert _ok(result) == f"sha256:{expected}  {data_file}  ({size} bytes)\n"


def test_hash_json_reports_a_folder_with_its_file_count(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("a", encoding="utf-8")
    (folder / "b.txt").write_text("bb", encoding="utf-8")

    digests = json.loads(_ok(CliRunner().invoke(cli, ["hash", str(folder), "--json"])))

    assert len(digests) == 1
    assert digests[0]["kind"] == "directory"
    assert digests[0]["files"] == 2
    assert digests[0]["size"] == 3
    assert digests[0]["digest"].startswith("sha256:")


def test_audit_verify_says_ok(pipeline: str) -> None:
    out = _ok(_invoke(pipeline, "audit verify"))

    assert out.startswith("ok: 5 ledger entries, 8 records verified; head ")


def test_approve_records_an_attestation_by_an_agent(pipeline: str) -> None:
    out = _ok(_invoke(pipeline, "approve m --by ann --name ok-m"))

    assert out == "recorded attestation:ok-m\n"
    graph = json.loads(_ok(_invoke(pipeline, "downstream m --json")))
    assert "attestation:ok-m" in {n["id"] for n in graph["nodes"]}


# -- every command has help and speaks JSON --------------------------------------------


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    context = click.Context(group)
    for name in group.list_commands(context):  # the root group loads its commands lazily
        command = group.get_command(context, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


COMMANDS = _command_paths(cli)

# A valid invocation of every command, run with --json against the `pipeline` store.
JSON_COMMANDS: dict[tuple[str, ...], str] = {
    ("agent", "add"): "agent add bob --type person",
    ("amend",): "amend raw --owner Shopwise --reason 'owner found'",
    ("approve",): "approve m --by ann --role reviewer --scope 'internal demo'",
    ("approvals",): "approvals m",
    ("claim",): "claim raw --license 'CC BY 4.0' --by ann --method audited --date 2025-01-02",
    ("impact",): "impact raw",
    ("revoke",): "revoke raw --reason 'licence ended' --effective 2025-06-01",
    ("verify",): "verify clean",
    ("audit", "verify"): "audit verify --checkpoint {tmp}/checkpoint.json --key {tmp}/auditor.pub",
    ("audit", "checkpoint"): "audit checkpoint --key {tmp}/auditor.key -o {tmp}/cp2.json",
    ("keys", "generate"): "keys generate {tmp}/new",
    ("report-verify",): "report-verify {tmp}/signed.json --key {tmp}/auditor.pub",
    ("check",): "check raw --policy {policy}",
    ("diagram",): "diagram clean --format mermaid",
    ("evaluation", "add"): "evaluation add m --dataset clean --metric accuracy --value 0.9 "
    "--threshold 0.8 --direction higher-is-better --by ann",
    ("evaluation", "import"): "evaluation import {evals} --model m --dataset clean",
    ("evaluations",): "evaluations m",
    ("tiers",): "tiers m",
    ("export",): "export clean --format openlineage -o {out}",
    ("data-root", "move"): "data-root move {tmp} {tmp}/moved",
    ("data-root", "set"): "data-root set {tmp}",
    ("data-root", "show"): "data-root show",
    ("dataset", "add"): "dataset add d2",
    ("downstream",): "downstream raw",
    ("hash",): "hash {file}",
    ("ingest",): "ingest {manifest}",
    ("init",): "init",
    ("list",): "list",
    ("model", "add"): "model add m2",
    ("report",): "report clean --format json",
    ("run", "record"): "run record train --input clean --output m",
    ("show",): "show raw",
    ("source", "add"): "source add s2 --license MIT",
    ("token", "create"): "token create ci",
    ("token", "list"): "token list",
    ("token", "revoke"): "token revoke ci",
    ("upstream",): "upstream clean",
}


def test_every_command_has_a_json_invocation_here() -> None:
    # `serve` runs until it is stopped: tests/server/ starts it for real.
    assert sorted(JSON_COMMANDS) == sorted(p for p in COMMANDS if p != ("serve",))


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_help_works_and_has_an_example(path: tuple[str, ...]) -> None:
    out = _ok(CliRunner().invoke(cli, [*path, "--help"]))

    assert out.startswith("Usage: ")
    assert f"{' '.join(path)} " in out.splitlines()[0]
    assert "Example:" in out
    assert "--json" in out


@pytest.mark.parametrize("path", sorted(JSON_COMMANDS), ids=" ".join)
def test_command_json_output_parses(
    path: tuple[str, ...], pipeline: str, data_file: Path, tmp_path: Path
) -> None:
    manifest = tmp_path / "more.yaml"
    manifest.write_text("datasets:\n  - {name: more}\n", encoding="utf-8")
    # A policy under which the pipeline store has no errors, so `check` exits 0.
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "intended_use: research\nrules: {unknown-provenance: warning, digest-missing: info}\n",
        encoding="utf-8",
    )
    # An auditor's keys, a signed report and a checkpoint, for the commands that read them.
    lineage.generate_keys(str(tmp_path / "auditor"))
    _ok(
        _invoke(
            pipeline, f"report clean -o {tmp_path / 'signed.json'} --sign {tmp_path}/auditor.key"
        )
    )
    _ok(
        _invoke(
            pipeline, f"audit checkpoint --key {tmp_path}/auditor.key -o {tmp_path}/checkpoint.json"
        )
    )
    evals = tmp_path / "evals.csv"
    evals.write_text("metric,value,slice\naccuracy,0.9,all\naccuracy,0.8,locale=en-NG\n")
    command = JSON_COMMANDS[path].format(
        evals=shlex.quote(str(evals)),
        file=shlex.quote(str(data_file)),
        manifest=shlex.quote(str(manifest)),
        policy=shlex.quote(str(policy)),
        tmp=shlex.quote(str(tmp_path)),
        out=shlex.quote(str(tmp_path / "export.out")),
    )
    if path in (("token", "revoke"), ("token", "list")):
        _ok(_invoke(pipeline, "token create ci"))
    if path == ("data-root", "move"):
        _ok(_invoke(pipeline, f"data-root set {shlex.quote(str(tmp_path))}"))
        (tmp_path / "moved").mkdir()

    result = _invoke(pipeline, f"{command} --json")

    assert json.loads(_ok(result))
    assert result.stderr == ""


# -- bad input: one line, the right exit code, the store unchanged ---------------------

BAD_INPUT: dict[str, tuple[str, int, str]] = {
    "unknown name": ("show nosuch", 1, "'nosuch' is not recorded"),
    "unknown run input": (
        "run record copy --input nosuch --output clean",
        1,
        "'nosuch' is not recorded",
    ),
    "unknown amend target": (
        "amend nosuch --owner X --reason typo",
        1,
        "'nosuch' is not recorded",
    ),
    "invalid licence": ("source add s2 --license MIT-ish", 1, "field 'license': 'MIT-ish'"),
    "impossible date": (
        "source add s2 --collected 2025-02-30..2025-03-01",
        1,
        "field 'collected': '2025-02-30' is not a valid date",
    ),
    "ended before started": (
        "run record copy --input clean --output m"
        " --started 2025-06-02T09:00:00Z --ended 2025-06-02T08:00:00Z",
        1,
        "ends (2025-06-02 08:00:00+00:00) before it starts",
    ),
    "path that does not exist": (
        "source add s2 --path /nonexistent/reviews.jsonl",
        1,
        "source 's2': field 'path'",
    ),
    "conflicting facts": (
        "source add raw --license Apache-2.0",
        1,
        "source 'raw' is already recorded with another license",
    ),
    "cycle": ("run record restore --input clean --output raw", 1, "cyclic"),
    "ambiguous name": ("show raw-or-model", 1, "names more than one record"),
    "bad --as-of": ("upstream clean --as-of yesterday", 1, "--as-of 'yesterday'"),
    "missing argument": ("source add", 2, "Missing argument 'NAME'"),
    "bad --param": (
        "run record copy --input clean --output m --param nokv",
        2,
        "'nokv' is not KEY=VALUE",
    ),
    "agent without --type": ("agent add bob", 2, "--type"),
    "bad --depth": ("upstream clean --depth 0", 2, "--depth"),
    "bad --kind": ("list --kind planet", 2, "--kind"),
    "revoke without a reason": ("revoke raw", 2, "--reason"),
    "revoke with an empty reason": ("revoke raw --reason ' '", 1, "needs a reason"),
    "revoke on an impossible date": (
        "revoke raw --reason x --effective 2025-02-30",
        1,
        "field 'effective': '2025-02-30' is not a date",
    ),
    "revoke an agent": ("revoke ann --reason x", 1, "agent:ann is not data"),
    "revoke by an unknown agent": ("revoke raw --reason x --by nobody", 1, "'nobody'"),
    "impact of an unknown record": ("impact nosuch", 1, "'nosuch' is not recorded"),
    "verify an unknown target": ("verify nosuch", 2, "'nosuch' is not recorded"),
    "approvals of an unknown target": ("approvals nosuch", 1, "'nosuch' is not recorded"),
    "approvals at a bad time": ("approvals --now soon", 1, "--now 'soon'"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_gives_one_error_line_and_leaves_the_store_unchanged(
    pipeline: str, url: str, case: str
) -> None:
    if case == "ambiguous name":
        with lineage.open_store(pipeline) as store:
            store.add_dataset("raw-or-model")
            store.add_model("raw-or-model")
    command, exit_code, says = BAD_INPUT[case]
    before = table_counts(url)
    assert before["node"] >= 5

    line = _one_error_line(_invoke(pipeline, command), exit_code)

    assert says in line
    assert table_counts(url) == before


def test_a_db_in_a_folder_that_does_not_exist_gives_one_error_line() -> None:
    line = _one_error_line(_invoke("/nonexistent/dir/x.db", "list"), 1)

    assert "/nonexistent/dir/x.db" in line


def test_init_in_a_folder_that_does_not_exist_gives_one_error_line() -> None:
    line = _one_error_line(_invoke("/nonexistent/dir/x.db", "init"), 1)

    assert "folder '/nonexistent/dir' does not exist" in line


def test_a_db_url_with_an_unknown_driver_gives_one_error_line() -> None:
    line = _one_error_line(_invoke("nosuchdriver://x", "list"), 1)

    assert "cannot open database 'nosuchdriver://x'" in line


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://user:s3cret@db.example/lineage", "no driver for mysql: MySQLdb is not installed"),
        ("oracle://db.example/lineage", "no driver for oracle: oracledb is not installed"),
        (
            "mssql+pyodbc://db.example/lineage",
            "no driver for mssql+pyodbc: pyodbc is not installed",
        ),
        ("nosuchdriver://x", "no driver for nosuchdriver: unknown dialect"),
    ],
)
def test_a_db_url_whose_driver_is_not_installed_gives_one_line_naming_what_is_supported(
    url: str, reason: str
) -> None:
    line = _one_error_line(_invoke(url, "init"), 1)

    assert reason in line
    assert line.endswith("; lineage supports sqlite and postgresql+psycopg")
    assert "s3cret" not in line


def test_a_postgresql_url_to_a_closed_port_gives_one_error_line() -> None:
    line = _one_error_line(
        _invoke("postgresql+psycopg://postgres@127.0.0.1:1/test", "source add s"), 1
    )

    assert line.startswith("Error: cannot open database postgresql+psycopg://postgres@127.0.0.1:1/")


def test_a_password_in_the_db_url_is_not_printed() -> None:
    line = _one_error_line(
        _invoke("postgresql+psycopg://postgres:s3cret@127.0.0.1:1/test", "list"), 1
    )

    assert "s3cret" not in line


def test_approve_by_an_unknown_agent_names_it_once_and_writes_nothing(
    pipeline: str, url: str
) -> None:
    before = table_counts(url)

    result = _invoke(pipeline, "approve m --by nobody")

    assert result.exit_code == 1
    assert result.stderr == "Error: agent 'nobody' is not recorded\n"
    assert table_counts(url) == before


@pytest.mark.parametrize("subject", ["agent:ann", "activity:dedup-1"])
def test_approve_of_a_record_that_is_not_data_says_so_and_writes_nothing(
    pipeline: str, url: str, subject: str
) -> None:
    before = table_counts(url)

    line = _one_error_line(_invoke(pipeline, f"approve {subject} --by ann"), 1)

    assert (
        line == f"Error: {subject} is not data: a sign-off is given on a source, dataset or model"
    )
    assert table_counts(url) == before
