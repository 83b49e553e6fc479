"""The root group, the options every command shares, and the one place errors become lines."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any, TypeVar

import click

import lineage

F = TypeVar("F", bound=Callable[..., Any])


class BadInput(click.ClickException):
    """Bad input to a command that gates CI, where exit code 1 means 'problems found'."""

    exit_code = 2


class LineageGroup(click.Group):
    """Turns every `LineageError` into one line on stderr and exit code 1."""

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
    cli()


from cli import (  # noqa: E402, F401 - registers the commands
    audit,
    data_root,
    diagram,
    evaluation,
    export,
    governance,
    query,
    record,
    report,
    server,
)
