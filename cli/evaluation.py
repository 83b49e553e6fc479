"""Evaluation commands: evaluation add, evaluation import, evaluations, tiers."""

from __future__ import annotations

from typing import Any

import click

import lineage
from cli.main import cli, echo, echo_json, echo_write, json_option, store_from
from cli.record import _fields


def _one_of(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + f" or {values[-1]}"


@cli.group()
def evaluation() -> None:
    """Record evaluation results: pre-deployment tests, bias evaluations."""


@evaluation.command("add")
@click.argument("model")
@click.option("--dataset", required=True, metavar="D", help="The test data (source or dataset).")
@click.option("--metric", required=True, metavar="NAME", help="Metric id (accuracy, f1, ...).")
@click.option("--value", required=True, type=float, metavar="X", help="The measured value.")
@click.option(
    "--slice",
    "slice_",
    metavar="S",
    help="all (default), attr=value[;attr=value], or attr=* for a statistic across groups.",
)
@click.option(
    "--category", metavar="C", help=f"{_one_of(lineage.CATEGORIES)} (default performance)."
)
@click.option("--threshold", type=float, metavar="T", help="The acceptance bar.")
@click.option(
    "--direction", metavar="DIR", help=f"With --threshold: {_one_of(lineage.DIRECTIONS)}."
)
@click.option("--ci", metavar="LOW..HIGH", help="Confidence interval of the value.")
@click.option("--records", type=int, metavar="N", help="Number of examples measured.")
@click.option("--by", metavar="AGENT", help="The evaluator (a recorded agent).")
@click.option("--run", metavar="RUN", help="The evaluation run (default: recorded with it).")
@click.option(
    "--tier", metavar="TIER", help=f"The approval tier it serves: {_one_of(lineage.TIERS)}."
)
@click.option("--date", metavar="D", help="When it was measured (date or ISO 8601 time).")
@click.option("--name", metavar="NAME", help="Name of the record (default: derived).")
@click.option("--description", metavar="TEXT", help="The method, in words.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Other facts.")
@json_option
@click.pass_context
def evaluation_add(
    ctx: click.Context,
    /,
    model: str,
    dataset: str,
    metric: str,
    value: float,
    as_json: bool,
    **options: Any,
) -> None:
    """Record an evaluation result of MODEL on test data.

    Pass or fail is derived from --threshold and --direction. The result is bound to
    the model and the test data as they are now: 'lineage tiers' calls it stale once
    either changes.

    \b
    Example:
        lineage evaluation add support-assistant-v1 --dataset support-heldout-v1 \\
            --metric accuracy --value 0.70 --slice locale=en-NG --records 20 \\
            --threshold 0.8 --direction higher-is-better --by samuel-achebe
    """
    fields = _fields(options)
    if "slice_" in fields:
        fields["slice"] = fields.pop("slice_")
    with store_from(ctx) as store:
        before = store.writes
        name = store.add_evaluation(model, dataset=dataset, metric=metric, value=value, **fields)
        written = store.writes > before
    if as_json:
        echo_json({"evaluation": f"evaluation:{name}", "recorded": written})
    else:
        echo(f"{'recorded' if written else 'unchanged'} evaluation:{name}")


@evaluation.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--model", metavar="MODEL", help="The model in the store (over the file's name).")
@click.option("--dataset", metavar="D", help="The test data in the store (over the file's name).")
@click.option("--by", metavar="AGENT", help="The evaluator (a recorded agent).")
@json_option
@click.pass_context
def evaluation_import(
    ctx: click.Context,
    /,
    file: str,
    model: str | None,
    dataset: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """Record every result in FILE, all or nothing: a Hugging Face model card
    (README.md with model-index), an lm-evaluation-harness results JSON, or a CSV
    whose header names the 'evaluation add' options.

    \b
    Example:
        lineage evaluation import results_2025-06-13T10-31-00.json \\
            --model support-assistant-v1 --by samuel-achebe
    """
    with store_from(ctx) as store:
        names, result = store.import_evaluations(file, model=model, dataset=dataset, by=by)
    if as_json:
        echo_write(result, True, file=file, evaluations=[f"evaluation:{n}" for n in names])
        return
    echo_write(result, False)
    echo(f"{len(names)} evaluation results in {file}")


@cli.command("evaluations")
@click.argument("model")
@click.option("--latest", is_flag=True, help="Only the newest result per test data, metric, slice.")
@json_option
@click.pass_context
def evaluations_(ctx: click.Context, /, model: str, latest: bool, as_json: bool) -> None:
    """List the evaluations of MODEL: metric, slice, value, threshold, pass or fail,
    test data, evaluator and whether it is independent of the model's owner.

    \b
    Example:
        lineage evaluations support-assistant-v1 --json
    """
    with store_from(ctx) as store:
        found = store.evaluations(model, latest_only=latest)
    if as_json:
        echo_json({"model": model, "evaluations": [e.to_data() for e in found]})
        return
    if not found:
        echo(f"no evaluation recorded of {model}")
        return
    for e in found:
        bar = f" (needs {_bar(e)})" if e.threshold is not None else ""
        who = ", ".join(e.by) or "evaluator not recorded"
        echo(
            f"{e.result.upper():<12} {e.metric} [{e.slice}] = {e.value:g}{bar} on {e.dataset}; "
            f"{(e.when or '')[:10]}; by {who}"
            f"{' (independent)' if e.independent else ''}"
            f"{f'; tier {e.tier}' if e.tier else ''}"
        )


def _bar(e: lineage.Evaluation) -> str:
    sign = ">=" if e.direction == "higher-is-better" else "<="
    return f"{sign} {e.threshold:g}"


@cli.command("tiers")
@click.argument("model")
@click.option(
    "--policy",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="A YAML policy whose 'tiers' say what each tier requires (default: the defaults).",
)
@json_option
@click.pass_context
def tiers_(ctx: click.Context, /, model: str, policy: str | None, as_json: bool) -> None:
    """Say for each approval tier whether MODEL is cleared, provisional or blocked,
    with every reason and the records behind it.

    cleared: every requirement holds and a sign-off for the tier is in force;
    provisional: the evidence holds but the sign-off does not, or a sign-off was
    given over failing evidence (approve --override); blocked: evidence the tier
    needs (evaluations, independence, coverage, monitoring) is missing or fails.

    \b
    Example:
        lineage tiers support-assistant-v1
        lineage tiers support-assistant-v1 --policy policy.yaml --json
    """
    chosen = lineage.load_policy(policy) if policy else None
    with store_from(ctx) as store:
        report = lineage.tiers(store, model, policy=chosen)
    if as_json:
        echo_json(report.to_data())
        return
    lines = [f"{report.model} (ledger entry {report.ledger.seq})"]
    for status in report.tiers:
        lines.append(f"{status.tier:<25} {status.status.upper()}")
        if status.approvals:
            lines.append(f"    signed: {', '.join(status.approvals)}")
        if status.evidence:
            shown = ", ".join(status.evidence[:4])
            more = f" and {len(status.evidence) - 4} more" if len(status.evidence) > 4 else ""
            lines.append(f"    evidence: {shown}{more}")
        if status.override is not None:
            lines.append(
                f"    OVERRIDE by {', '.join(status.override.by)} ({status.override.id}): "
                f"{status.override.override}"
            )
        for reason in status.reasons:
            lines.append(f"    - {reason.rule}: {reason.message}")
    echo("\n".join(lines))
