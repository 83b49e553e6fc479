"""The export command: lineage in W3C PROV (JSON, N, XML, PROV-O), OpenLineage, GraphML,
or an AI bill of materials (SPDX 3, CycloneDX, Croissant)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click

import lineage
from cli.main import cli, echo_json, json_option, output_option, store_from


@cli.command()
@click.argument("target", required=False)
@click.option(
    "--format",
    "format_",
    type=click.Choice(lineage.EXPORT_FORMATS),
    default="prov-json",
    show_default=True,
    help="prov-json, prov-n, prov-xml, prov-o (PROV-O as Turtle), openlineage (NDJSON "
    "RunEvents), graphml, or an AI bill of materials: spdx3 (SPDX 3.0.1), cyclonedx "
    "(CycloneDX ML-BOM), croissant (Croissant + RAI).",
)
@click.option("--as-of", metavar="TIME", help="The lineage as it was recorded at TIME.")
@click.option(
    "--spec-version",
    metavar="VERSION",
    help="Version of the standard: cyclonedx 1.6 (default) or 1.7; croissant 1.0 (default) "
    "or 1.1; spdx3 3.0.1.",
)
@click.option(
    "--validate",
    is_flag=True,
    help="Check the bill of materials with its standard's own validator, offline, and "
    "lineage's post-checks (needs pip install 'lineage[validate]').",
)
@output_option()
@json_option
@click.pass_context
def export(
    ctx: click.Context,
    target: str | None,
    format_: str,
    as_of: str | None,
    spec_version: str | None,
    validate: bool,
    output: str | None,
    as_json: bool,
) -> None:
    """Export TARGET's paper trail (or, without TARGET, the whole store).

    The trail is TARGET, everything upstream of it, and the sign-offs given on
    any of those, with who gave them.

    W3C PROV documents and OpenLineage events keep every record, fact and
    relation, and `lineage ingest` reads PROV-JSON and OpenLineage back; GraphML
    is for graph tools (Gephi, yEd, Cytoscape). The AI bills of materials (spdx3,
    cyclonedx, croissant) describe a model or dataset TARGET; each carries the
    ledger head and lists, in the document, the facts its standard could not hold.

    \b
    Example:
        lineage export --format prov-json support-assistant-v1 -o trail.provjson
        lineage export --format prov-o -o store.ttl
        lineage export --format openlineage support-assistant-v1 -o trail.ndjson
        lineage export --format graphml support-assistant-v1 -o trail.graphml --json
        lineage export --format cyclonedx --spec-version 1.7 support-assistant-v1 --validate
    """
    when = lineage.parse_time(as_of, "--as-of") if as_of else None
    with store_from(ctx) as store:
        exported = store.export(
            format_, target, as_of=when, spec_version=spec_version, validate=validate
        )
    if output:
        try:
            Path(output).write_bytes(exported.data)
        except OSError as error:
            raise lineage.PathError(f"cannot write {output}: {error.strerror}") from None
    elif not as_json:
        click.echo(exported.data, nl=False)  # bytes go to the binary stream
    if as_json:
        report = {
            "target": exported.target,
            "format": exported.format,
            "output": output,
            "bytes": len(exported.data),
            "sha256": hashlib.sha256(exported.data).hexdigest(),
            "records": exported.records,
            "relations": exported.relations,
        }
        if output is None:
            report["content"] = exported.data.decode("utf-8")
        echo_json(report)
    elif output:
        click.echo(
            f"wrote {output} ({format_}, {len(exported.data):,} bytes): "
            f"{exported.records:,} records, {exported.relations:,} relations"
        )
