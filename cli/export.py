"""lineage export: the lineage in the formats other tools read."""

from __future__ import annotations

import hashlib

import click

import lineage
from cli.main import cli, echo_json, json_option, store_from


@cli.command("export")
@click.argument("target", required=False)
@click.option(
    "--format",
    "format_",
    type=click.Choice(sorted(lineage.EXPORTS)),
    required=True,
    help="Output format.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout."
)
@json_option
@click.pass_context
def export_command(
    ctx: click.Context, target: str | None, format_: str, output: str | None, as_json: bool
) -> None:
    """Write the lineage upstream of TARGET (everything without TARGET) in FORMAT.

    \b
    Example:
        lineage export --format openlineage support-assistant-v1 -o trail.ndjson
        lineage ingest trail.ndjson          # reads it back to the same graph
    """
    with store_from(ctx) as store:
        text = lineage.export(store, format_, target)
    if output is None:
        click.echo(text, nl=False)  # the export is the data, with or without --json
        return
    data = text.encode("utf-8")
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}") from error
    summary = {
        "wrote": output,
        "format": format_,
        "target": target,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if as_json:
        echo_json(summary)
    else:
        click.echo(f"wrote {output} ({format_}, {len(data):,} bytes, sha256:{summary['sha256']})")
