"""The root group, the options every command shares, and the one place errors become lines."""

from __future__ import annotations

import gc
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any, TypeVar

import click

import lineage
import lineage.process

F = TypeVar("F", bound=Callable[..., Any])


# Every command of the root group: the module that defines it (cli/MODULE.py) and the
# first sentence of its help, which `lineage --help` shortens. A test checks both
# against the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "agent": ("record", "Record people, organizations and software."),
    "amend": (
        "record",
        "Record a corrected version of NAME; the old version stays in the history.",
    ),
    "approvals": ("governance", "List sign-offs (on TARGET) with their status."),
    "approve": ("record", "Record a sign-off on SUBJECT (a model or dataset) by an agent."),
    "audit": ("audit", "Check that the record was not altered behind the tool's back."),
    "check": (
        "report",
        "Check TARGET and everything upstream of it against the rules and a policy.",
    ),
    "claim": (
        "record",
        "Record an agent's claim about the licence of TARGET (a source, dataset or model).",
    ),
    "data-root": (
        "data_root",
        "The store's data root: paths recorded below it are kept relative to it, so "
        "reports and verify find the files from any folder, and moving the data is one "
        "command (show, set, move).",
    ),
    "dataset": ("record", "Record dataset versions you produced."),
    "diagram": (
        "diagram",
        "Draw TARGET's lineage as a W3C PROV diagram (SVG, PNG, PDF, DOT or Mermaid).",
    ),
    "downstream": (
        "query",
        "Show everything built from NAME: which datasets and models a source reached.",
    ),
    "evaluation": (
        "evaluation",
        "Record evaluation results: pre-deployment tests, bias evaluations.",
    ),
    "evaluations": (
        "evaluation",
        "List the evaluations of MODEL: metric, slice, value, threshold, pass or fail, "
        "test data, evaluator and whether it is independent of the model's owner.",
    ),
    "export": ("export", "Export TARGET's paper trail (or, without TARGET, the whole store)."),
    "hash": ("audit", "Print the SHA-256 digest of files and the Merkle digest of folders."),
    "impact": (
        "governance",
        "List every dataset and model built from NAME, and what its revocation means.",
    ),
    "ingest": (
        "record",
        "Record FILE...: manifests (YAML or JSON), OpenLineage events (a JSON object, a "
        "JSON array or newline-delimited JSON: RunEvents, JobEvents, DatasetEvents), W3C "
        "PROV-JSON documents and SPDX 3 or CycloneDX bills of materials, told apart by "
        "content; all in one transaction.",
    ),
    "init": ("record", "Create the store (or migrate it to this version's schema)."),
    "keys": ("audit", "Make the Ed25519 keys that sign reports and ledger checkpoints."),
    "list": (
        "query",
        "List the records in the store; an OpenLineage run with its job (namespace/name).",
    ),
    "model": ("record", "Record models."),
    "report": ("report", "Write the paper-trail report of TARGET (a model, dataset or source)."),
    "report-verify": (
        "report",
        "Check a signed report: its signature, and that the store still holds what it states.",
    ),
    "revoke": (
        "governance",
        "Record that NAME (a source, dataset or model) must no longer be used.",
    ),
    "run": ("record", "Record runs (transformations: extract, filter, dedup, train, ...)."),
    "serve": (
        "server",
        "Serve OpenLineage's HTTP API (POST /api/v1/lineage) and reads of the graph.",
    ),
    "show": (
        "query",
        "Show NAME's current facts, its other names, the records holding the same content "
        "(the same digest), its history of amendments and, for a dataset that several runs "
        "wrote, its dataset versions with their writers.",
    ),
    "source": ("record", "Record sources: data whose origin is outside your control."),
    "tiers": (
        "evaluation",
        "Say for each approval tier whether MODEL is cleared, provisional or blocked, "
        "with every reason and the records behind it.",
    ),
    "token": ("server", "API tokens for 'lineage serve': create, list, revoke."),
    "upstream": ("query", "Show everything NAME was built from, as a tree (or node-link JSON)."),
    "verify": (
        "governance",
        "Re-hash every file and folder recorded upstream of TARGET (every one, without "
        "TARGET) and record the outcome per record in the store.",
    ),
}


class BadInput(click.ClickException):
    """Bad input to a command that gates CI, where exit code 1 means 'problems found'."""

    exit_code = 2


class LineageGroup(click.Group):
    """Turns every `LineageError` into one line on stderr and exit code 1.

    The root group loads a command's module only when that command runs (issue 17:
    start-up was 0.8 s for every command); `--help` lists them all from `COMMANDS`.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"cli.{COMMANDS[cmd_name][0]}")
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Click shortens each command's first paragraph; a stand-in with the same
        # paragraph gives the same line without importing the command's module.
        stand_ins = {
            name: click.Command(name, help=summary) for name, (_, summary) in COMMANDS.items()
        }
        listed = click.Group(self.name, commands={**stand_ins, **self.commands})
        listed.format_commands(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except lineage.LineageError as error:
            raise click.ClickException(lineage.terminal_text(error)) from error

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            # One line, like every other error, with a pointer to the help.
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            message = lineage.shorten(error.format_message())  # it may quote a pasted megabyte
            echo(f"Error: {message}{hint}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            # Messages may quote user input: hidden characters are shown, not obeyed.
            echo(f"Error: {lineage.shorten(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=LineageGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="LINEAGE_DB",
    default=None,
    metavar="URL",
    help="SQLAlchemy URL or SQLite file of the store [env LINEAGE_DB; default ./lineage.db].",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what the library does to stderr.")
@click.version_option(lineage.__version__, prog_name="lineage")
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: bool) -> None:
    """Keep the provenance paper trail of AI training data.

    \b
    Example:
        lineage init
        lineage ingest sample_data/lineage.yaml
        lineage upstream support-assistant-v1
    """
    ctx.obj = db
    if verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")


def json_option(function: F) -> F:
    """The `--json` flag: machine-readable output, nothing else on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(
        function
    )


def output_option(what: str = "") -> Callable[[F], F]:
    """The `-o/--output FILE` option of commands that write a file (stdout without it)."""
    text = f"Write {what} to FILE" if what else "Write to FILE"
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help=f"{text} [default: stdout].",
    )


def store_from(ctx: click.Context, *, create: bool = False) -> lineage.Store:
    """Open the store named by the root `--db` option."""
    return lineage.open_store(ctx.find_root().obj, create=create)


def to_data(value: Any) -> Any:
    """Dataclasses, tuples and sets as plain JSON data."""
    if is_dataclass(value) and not isinstance(value, type):
        return to_data(asdict(value))
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_data(v) for v in value]
    return value


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a line of text whose user-given parts (names, descriptions, attributes)
    may hold characters a terminal would hide or reorder: they show as <U+XXXX>."""
    click.echo(lineage.terminal_text(message), err=err, nl=nl)


def echo_json(value: Any) -> None:
    """Print `value` as indented JSON (invisible characters as \\u escapes)."""
    click.echo(
        lineage.json_text(json.dumps(to_data(value), indent=2, ensure_ascii=False, default=str))
    )


def write_summary(result: lineage.WriteResult) -> dict[str, Any]:
    """The JSON form of what a write did."""
    return {
        "created": [{"id": f"{k}:{n}", "version": v} for k, n, v in result.created],
        "unchanged": [f"{k}:{n}" for k, n in result.unchanged],
        "edges": result.edges,
        "ledger": {"seq": result.ledger_seq, "hash": result.ledger_hash},
    }


def echo_write(result: lineage.WriteResult, as_json: bool, **extra: Any) -> None:
    """Report a write: JSON, or a line per record."""
    if as_json:
        echo_json({**extra, **write_summary(result)})
        return
    for kind, name, version in result.created:
        what = "recorded" if version == 1 else f"amended (version {version})"
        echo(f"{what} {kind}:{name}")
    for kind, name in result.unchanged:
        echo(f"unchanged {kind}:{name} (already recorded)")
    if result.edges:
        echo(f"{result.edges} relation{'s' if result.edges != 1 else ''} recorded")
    if result.ledger_seq is not None:
        echo(f"ledger entry {result.ledger_seq}: {result.ledger_hash}")


def main() -> None:
    """Console entry point."""
    # One command, then the process ends (`lineage serve` says otherwise when it starts).
    lineage.process.one_shot()
    try:
        cli()
    finally:
        # The process ends here. The interpreter's shutdown would run full collections
        # over every object the command made: SQLAlchemy's and pydantic's (60-100 ms, a
        # quarter of `lineage source add`) and, for a large report, the millions in
        # reference cycles of its networkx graph and Jinja's render context (a second
        # of a 100,000-record report). Frozen, they are neither walked nor freed; the
        # system takes the memory back with the process. Files and the store are
        # closed by their own `with` blocks before this point.
        gc.freeze()
