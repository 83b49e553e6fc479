"""Commands that read: show, list, upstream, downstream."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

import lineage
from cli.main import cli, echo, echo_json, json_option, store_from

if TYPE_CHECKING:
    import networkx as nx

# Downstream trees read edges backwards: "dataset X was_generated_by run Y" becomes
# "run Y generated dataset X".
INVERSE = {
    "used": "used by",
    "was_generated_by": "generated",
    "was_derived_from": "derived into",
    "was_attributed_to": "credited with",
    "was_associated_with": "ran",
    "acted_on_behalf_of": "delegated to",
    "was_informed_by": "informed",
    "was_revision_of": "revised into",
    "specialization_of": "has version",
    "was_invalidated_by": "dropped",
}


def _as_of(value: str | None) -> datetime | None:
    return lineage.parse_time(value, "--as-of") if value else None


def _valid_at(value: str | None) -> datetime | None:
    return lineage.parse_time(value, "--valid-at") if value else None


VALID_AT_HELP = (
    "The world as the recorded events describe it at TIME: a dataset's version current "
    "then, runs and versions after it left out (--as-of: what the store knew at TIME)."
)


def _written(facts: dict[str, Any]) -> str:
    """' version=N written=TIME' for a dataset version (lineage.store.versions), else ''."""
    attrs = facts.get("attrs")
    info = attrs.get("dataset_version") if isinstance(attrs, dict) else None
    if not isinstance(info, dict):
        return ""
    return f"  version={info.get('number')}  written={info.get('time')}"


def _fact_line(facts: dict[str, Any]) -> str:
    parts = []
    for key in (
        "operation",
        "license",
        "owner",
        "obtained",
        "personal_data",
        "intended_use",
        "agent_type",
        "decision",
        "tier",
        "expires",
        "tool",
        "digest",
    ):
        if key in facts:
            value = facts[key]
            if key == "digest":
                value = str(value)[:19] + "…"
            if key == "tool" and "tool_version" in facts:
                value = f"{value}=={facts['tool_version']}"
            parts.append(f"{key}={value}")
    return ("  ".join(parts) + _written(facts)).strip()


@cli.command()
@click.argument("name")
@click.option("--as-of", metavar="TIME", help="The version in force at TIME (as recorded then).")
@click.option("--valid-at", metavar="TIME", help=VALID_AT_HELP)
@json_option
@click.pass_context
def show(
    ctx: click.Context, name: str, as_of: str | None, valid_at: str | None, as_json: bool
) -> None:
    """Show NAME's current facts, its other names, the records holding the same content
    (the same digest), its history of amendments and, for a dataset that several runs
    wrote, its dataset versions with their writers. NAME may be any name of the record.

    \b
    Example:
        lineage show reviews-2024
        lineage show model:support-assistant-v1 --json
        lineage show orders --valid-at 2025-10-01T12:00:00Z
    """
    with store_from(ctx) as store:
        record = store.show(name, as_of=_as_of(as_of), valid_at=_valid_at(valid_at))
    if as_json:
        echo_json(record)
        return
    effective = f", effective {record.current.effective}" if record.current.effective else ""
    echo(
        f"{record.id}  (version {record.current.version}, "
        f"recorded {record.current.recorded_at}{effective})"
    )
    for key, value in sorted(record.facts.items()):
        echo(f"  {key}: {value}")
    if record.aliases:
        echo(f"also named: {', '.join(record.aliases)}")
    if record.same_content:
        echo(f"same content as: {', '.join(record.same_content)}")
    attrs = record.facts.get("attrs")
    for mark in (attrs.get("lenient") or []) if isinstance(attrs, dict) else []:
        echo(f"  accepted with --lenient: {mark}")
    if len(record.history) > 1:
        echo("history:")
        for version in record.history:
            why = f": {version.reason}" if version.reason else ""
            eff = f" effective {version.effective}" if version.effective else ""
            echo(f"  v{version.version} recorded {version.recorded_at}{eff}{why}")
    if record.dataset_versions:
        echo("dataset versions:")
        for written in record.dataset_versions:
            when = f"written {written.written}" if written.written else "not written by a run"
            by = f" by activity:{written.writer}" if written.writer else ""
            how = f" ({written.write})" if written.write else ""
            dropped = f", dropped {written.dropped}" if written.dropped else ""
            echo(f"  dataset:{written.name}  {when}{by}{how}{dropped}")
    if record.valid_version is not None:
        echo(f"current at {valid_at}: dataset:{record.valid_version}")
    elif valid_at is not None and record.kind == "dataset":
        echo(f"current at {valid_at}: none (not written yet then)")


@cli.command("list")
@click.option("--kind", type=click.Choice(lineage.KINDS), help="Only records of this kind.")
@json_option
@click.pass_context
def list_(ctx: click.Context, kind: str | None, as_json: bool) -> None:
    """List the records in the store; an OpenLineage run with its job (namespace/name).

    \b
    Example:
        lineage list --kind source
        lineage list --kind activity
    """
    with store_from(ctx) as store:
        rows = store.list(kind)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        version = f"  (v{row.version})" if row.version > 1 else ""
        echo(f"{row.id}{version}{_job_text(row)}")


def _job_text(row: lineage.Summary) -> str:
    if row.job is None:
        return ""
    if row.job == row.name:
        return "  declared job (JobEvent), not a run"
    return f"  job {row.job}"


def node_link(
    graph: nx.DiGraph[str], direction: str, as_of: str | None, valid_at: str | None = None
) -> dict[str, Any]:
    """The JSON document of a closure: nodes with their fields, edges with their relation."""
    nodes = []
    for key, data in sorted(graph.nodes(data=True), key=lambda item: (item[1]["depth"], item[0])):
        fields = {
            k: v for k, v in data.items() if k not in ("kind", "name", "version", "seal", "depth")
        }
        nodes.append(
            {
                "id": key,
                "kind": data["kind"],
                "name": data["name"],
                "version": data["version"],
                "depth": data["depth"],
                "seal": data["seal"],
                "fields": fields,
            }
        )
    edges = [
        {
            "source": s,
            "target": t,
            "relation": d["relation"],
            **({"role": d["role"]} if d["role"] else {}),
        }
        for s, t, d in sorted(graph.edges(data=True))
    ]
    return {
        "root": graph.graph["root"],
        "direction": direction,
        "as_of": as_of,
        "valid_at": valid_at,
        "nodes": nodes,
        "edges": edges,
    }


def tree_lines(graph: nx.DiGraph[str], direction: str) -> list[str]:
    """The closure as an indented tree; a record reached twice is shown once."""
    root = graph.graph["root"]
    lines = [f"{root}  {_fact_line(graph.nodes[root])}".rstrip()]
    shown = {root}

    def named(relation: str, role: str | None) -> str:
        label = relation if direction == "upstream" else INVERSE.get(relation, relation)
        # A tool or a removed part is not content, a declared job's relation not a run's:
        # say so on the branch (PROV's role).
        shown_roles = (*lineage.NON_CONTENT_ROLES, lineage.DECLARED_ROLE)
        return f"{label} ({role})" if role in shown_roles else label

    def children(node: str) -> list[tuple[str, str]]:
        if direction == "upstream":
            edges = [(t, d) for _, t, d in graph.out_edges(node, data=True)]
        else:
            edges = [(s, d) for s, _, d in graph.in_edges(node, data=True)]
        pairs = [(other, named(d["relation"], d.get("role"))) for other, d in edges]
        return sorted(pairs, key=lambda p: (p[0].startswith("agent:"), p[0]))

    stack: list[tuple[str, str, str, bool]] = [
        (child, relation, "", i == len(kids) - 1)
        for kids in [children(root)]
        for i, (child, relation) in enumerate(kids)
    ][::-1]
    while stack:
        node, relation, prefix, last = stack.pop()
        branch = "└── " if last else "├── "
        label = relation
        if node in shown:
            lines.append(f"{prefix}{branch}{label} {node}  (shown above)")
            continue
        shown.add(node)
        facts = _fact_line(graph.nodes[node])
        lines.append(f"{prefix}{branch}{label} {node}  {facts}".rstrip())
        kids = children(node)
        inner = prefix + ("    " if last else "│   ")
        for i, (child, rel) in reversed(list(enumerate(kids))):
            stack.append((child, rel, inner, i == len(kids) - 1))
    return lines


def _closure_command(direction: str) -> Any:
    @click.argument("name")
    @click.option("--depth", type=click.IntRange(min=1), help="At most N relations away.")
    @click.option("--as-of", metavar="TIME", help="The graph as it was recorded at TIME.")
    @click.option("--valid-at", metavar="TIME", help=VALID_AT_HELP)
    @json_option
    @click.pass_context
    def command(
        ctx: click.Context,
        name: str,
        depth: int | None,
        as_of: str | None,
        valid_at: str | None,
        as_json: bool,
    ) -> None:
        with store_from(ctx) as store:
            method = store.upstream if direction == "upstream" else store.downstream
            graph = method(name, depth=depth, as_of=_as_of(as_of), valid_at=_valid_at(valid_at))
        if as_json:
            echo_json(node_link(graph, direction, as_of, valid_at))
        else:
            echo("\n".join(tree_lines(graph, direction)))

    return command


upstream = cli.command(
    "upstream",
    help="""Show everything NAME was built from, as a tree (or node-link JSON).

    \b
    Example:
        lineage upstream support-assistant-v1
        lineage upstream support-assistant-v1 --depth 2 --as-of 2025-07-01T00:00:00Z --json
        lineage upstream orders --valid-at 2025-09-15T00:00:00Z
    """,
)(_closure_command("upstream"))

downstream = cli.command(
    "downstream",
    help="""Show everything built from NAME: which datasets and models a source reached.

    \b
    Example:
        lineage downstream reviews-2024
    """,
)(_closure_command("downstream"))
