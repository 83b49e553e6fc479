"""The diagram command: a record's lineage as SVG, PNG, PDF, DOT or Mermaid."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import click

import lineage
from cli.main import cli, echo_json, json_option, output_option, store_from

BINARY = frozenset({"png", "pdf"})
DIRECTIONS: dict[str, Literal["upstream", "downstream", "both"]] = {
    "upstream": "upstream",
    "downstream": "downstream",
    "both": "both",
}


def findings_of(
    store: lineage.Store, target: str, *, as_of: datetime | None, policy: str | None
) -> Sequence[lineage.Finding]:
    """The findings of `lineage check` on `target`, to mark on the diagram."""
    chosen = lineage.load_policy(policy) if policy else None
    return lineage.check(store, target, policy=chosen, as_of=as_of).findings


def _known_rules() -> list[str]:
    return sorted(lineage.RULES)


def _check_highlight(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value not in _known_rules():
        raise click.BadParameter(
            f"{value!r} is not a rule of lineage check; one of: {', '.join(_known_rules())}"
        )
    return value


@cli.command()
@click.argument("target")
@click.option(
    "--upstream",
    "direction",
    flag_value="upstream",
    default=True,
    help="Draw what TARGET was built from [default].",
)
@click.option(
    "--downstream", "direction", flag_value="downstream", help="Draw what was built from TARGET."
)
@click.option("--both", "direction", flag_value="both", help="Draw both.")
@click.option("--depth", type=click.IntRange(min=1), help="At most N relations away.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(lineage.Diagram.FORMATS),
    help="Output format [default: from -o's suffix, else svg]; dot and mermaid need no Graphviz.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=0),
    default=lineage.Diagram.MAX_NODES,
    show_default=True,
    help="Above N records, fold similar records into groups, then leave out the farthest "
    "(0: draw everything).",
)
@click.option("--as-of", metavar="TIME", help="The lineage as it was recorded at TIME.")
@click.option(
    "--focus",
    multiple=True,
    metavar="NAME",
    help="Keep the path from TARGET to NAME unfolded (repeatable).",
)
@click.option(
    "--highlight",
    metavar="RULE",
    callback=_check_highlight,
    help="Highlight the evidence paths of the findings of this lineage check rule.",
)
@click.option(
    "--check/--no-check",
    "run_check",
    default=True,
    show_default=True,
    help="Mark records with errors or warnings from lineage check.",
)
@click.option(
    "--policy",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Policy for the check, as for lineage check.",
)
@click.option(
    "--agents/--no-agents",
    default=False,
    show_default=True,
    help="Draw agents as houses (otherwise each run names its agents).",
)
@click.option("--legend/--no-legend", default=True, show_default=True, help="Draw a legend.")
@output_option()
@json_option
@click.pass_context
def diagram(
    ctx: click.Context,
    target: str,
    direction: str,
    depth: int | None,
    format_: str | None,
    max_nodes: int,
    as_of: str | None,
    focus: tuple[str, ...],
    highlight: str | None,
    run_check: bool,
    policy: str | None,
    agents: bool,
    legend: bool,
    output: str | None,
    as_json: bool,
) -> None:
    """Draw TARGET's lineage as a W3C PROV diagram (SVG, PNG, PDF, DOT or Mermaid).

    Entities are ellipses (sources yellow, datasets green, models pink), runs
    blue rectangles, agents houses, sign-offs notes; time runs left to right.
    Records with findings of lineage check are outlined red (errors) or orange
    (warnings). Large lineages fold similar records into groups.

    \b
    Example:
        lineage diagram support-assistant-v1 -o lineage.svg
        lineage diagram support-assistant-v1 --highlight non-commercial -o nc.png
        lineage diagram web-crawl-2025-05 --downstream --format mermaid
        lineage diagram model-large --max-nodes 40 --focus raw-7-3 -o big.svg --json
    """
    chosen = format_ or (lineage.Diagram.format_for(output) if output else "svg")
    if output is None and chosen in BINARY and (as_json or sys.stdout.isatty()):
        raise click.UsageError(f"{chosen} is binary: write it to a file with -o FILE")
    when = lineage.parse_time(as_of, "--as-of") if as_of else None
    with store_from(ctx) as store, store.snapshot():  # the findings and the drawing agree
        findings = (
            findings_of(store, target, as_of=when, policy=policy) if run_check or highlight else ()
        )
        drawn = lineage.diagram(
            store,
            target,
            direction=DIRECTIONS[direction],
            depth=depth,
            max_nodes=max_nodes or None,
            as_of=when,
            focus=focus,
            findings=findings,
            highlight=highlight,
            agents=agents,
            legend=legend,
        )
    data = drawn.render(chosen)
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise lineage.PathError(f"cannot write {output}: {error.strerror}") from None
    elif not as_json:
        click.echo(data, nl=False)  # bytes go to the binary stream
    d = drawn.drawing
    if as_json:
        report: dict[str, Any] = {
            "target": d.root,
            "direction": d.direction,
            "format": chosen,
            "output": output,
            "bytes": len(data),
            "records": d.records,
            "boxes": sum(1 for b in d.boxes if not b.is_more),
            "links": len(d.links),
            "folded": d.level,
            "grouped": d.grouped,
            "left_out": d.left_out,
            "marked": {"error": d.marked("error"), "warning": d.marked("warning")},
            "highlight": {"rule": d.highlight, "findings": d.highlighted_findings}
            if d.highlight
            else None,
        }
        if output is None:
            report["content"] = data.decode("utf-8")
        echo_json(report)
    elif output:
        folded = f", {d.grouped:,} in groups" if d.grouped else ""
        left = f", {d.left_out:,} not drawn" if d.left_out else ""
        marks = d.marked("error") + d.marked("warning")
        marked = f"; {marks} findings marked" if marks else ""
        click.echo(
            f"wrote {output} ({chosen}, {len(data):,} bytes): {d.records:,} records{folded}"
            f"{left}{marked}"
        )
