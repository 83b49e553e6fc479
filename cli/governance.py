"""Governance commands: verify, approvals, revoke, impact."""

from __future__ import annotations

import click

import lineage
from cli.main import BadInput, cli, echo, echo_json, json_option, store_from


@cli.command("verify")
@click.argument("target", required=False)
@click.option(
    "--full",
    is_flag=True,
    help="Hash every file again, whatever the digest cache holds (and rewrite the cache).",
)
@click.option(
    "--full-every",
    metavar="INTERVAL",
    envvar="LINEAGE_VERIFY_FULL_EVERY",
    default="7d",
    show_default=True,
    help="Hash in full when a record in scope was not hashed in full within INTERVAL "
    "(7d, 12h, 2w, never) [env: LINEAGE_VERIFY_FULL_EVERY].",
)
@json_option
@click.pass_context
def verify_(
    ctx: click.Context, target: str | None, full: bool, full_every: str, as_json: bool
) -> None:
    """Re-hash every file and folder recorded upstream of TARGET (every one, without
    TARGET) and record the outcome per record in the store.

    Exit code 0 when everything matches, 1 on drift (changed, missing or unreadable
    content), 2 on bad input, so it can run on a schedule. Unchanged files cost a
    stat each (the digest cache, keyed on size, mtime, ctime and inode); --full, and
    any run where a record was not hashed in full within --full-every, hash every
    file instead. The record of the run says which it was. Relative paths are read
    from the current folder, as they were recorded.

    \b
    Example:
        lineage verify support-assistant-v1
        lineage verify --full --json
        lineage verify --full-every 1d
    """
    try:
        interval = lineage.parse_interval(full_every, "--full-every")
        with store_from(ctx) as store:
            result = store.verify_content(target, full=full, full_every=interval)
    except lineage.LineageError as error:
        raise BadInput(str(error)) from error
    if as_json:
        echo_json(result.to_data())
    else:
        for check in result.checks:
            label = {"matching": "ok"}.get(check.status, check.status.upper())
            echo(f"{label:<10} {check.record}  {check.path}")
            if check.status == "changed":
                echo(f"           recorded {check.recorded}, now {check.found}")
                for what, names in (
                    ("changed", check.changed),
                    ("added", check.added),
                    ("removed", check.removed),
                ):
                    for name in names:
                        echo(f"           {what}: {name}")
            elif check.problem and check.status != "missing":
                echo(f"           {check.problem}")
        counts = result.counts()
        found = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing to check"
        how = "every file hashed" if result.full else "unchanged files from the digest cache"
        echo(
            f"{'clean' if result.ok else 'DRIFT'}: {len(result.checks)} recorded paths "
            f"re-hashed ({found}; {how}); {len(result.without_path)} records without a path; "
            f"recorded as {result.record} (ledger entry {result.ledger_seq})"
        )
    if not result.ok:
        ctx.exit(1)


@cli.command("approvals")
@click.argument("target", required=False)
@click.option("--now", metavar="TIME", help="Judge expiry at TIME instead of now.")
@json_option
@click.pass_context
def approvals_(ctx: click.Context, target: str | None, now: str | None, as_json: bool) -> None:
    """List sign-offs (on TARGET) with their status.

    valid; expired; stale (lineage upstream of the subject changed after the
    sign-off: a new run, an amended source); revoked-data (it covers data revoked
    since); not yet effective; superseded, rejected or revoked.

    \b
    Example:
        lineage approvals support-assistant-v1
        lineage approvals --json
    """
    moment = lineage.parse_time(now, "--now") if now else None
    with store_from(ctx) as store:
        found = store.approvals(target, now=moment)
    if as_json:
        echo_json({"target": target, "approvals": [a.to_data() for a in found]})
        return
    if not found:
        echo("no approval recorded" + (f" on {target}" if target else ""))
    for approval in found:
        who = ", ".join(approval.by) + (f" ({approval.role})" if approval.role else "")
        echo(
            f"{approval.status.upper():<17} {approval.id}: {approval.decision} of "
            f"{approval.subject} by {who}; tier {approval.tier or 'none'}; "
            f"scope {approval.scope or 'not stated'}"
            + (f"; until {approval.expires}" if approval.expires else "")
        )
        for problem in approval.problems:
            echo(f"                  {problem}")
        if approval.override:
            echo(f"                  OVERRIDE of failing tier requirements: {approval.override}")


@cli.command("revoke")
@click.argument("name")
@click.option("--reason", required=True, metavar="TEXT", help="Why it must no longer be used.")
@click.option("--effective", metavar="DATE", help="From when [default: today].")
@click.option("--by", metavar="AGENT", help="Who revokes it (a recorded agent).")
@json_option
@click.pass_context
def revoke_(
    ctx: click.Context,
    name: str,
    reason: str,
    effective: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """Record that NAME (a source, dataset or model) must no longer be used.

    Consent withdrawn, licence ended, takedown request, legal hold: the record is
    appended (nothing is deleted); checks then report 'revoked-data' for everything
    built from it, and approvals covering it lose their force.

    \b
    Example:
        lineage revoke chat-transcripts-2025 --reason "consent withdrawn" --effective 2026-01-10
    """
    with store_from(ctx) as store:
        before = store.writes
        record = store.revoke(name, reason=reason, effective=effective, by=by)
        written = store.writes > before
    if as_json:
        echo_json({"revocation": record, "recorded": written})
    else:
        echo(f"{'recorded' if written else 'unchanged'} {record}")


@cli.command("impact")
@click.argument("name")
@json_option
@click.pass_context
def impact_(ctx: click.Context, name: str, as_json: bool) -> None:
    """List every dataset and model built from NAME, and what its revocation means.

    For each: the path from NAME, whether it was produced after the revocation
    took effect, and its files; then each approval that covers them.

    \b
    Example:
        lineage impact support-tickets-2025h1 --json
    """
    with store_from(ctx) as store:
        found = store.impact(name)
    if as_json:
        echo_json(found.to_data())
        return
    if found.revocations:
        for revocation in found.revocations:
            echo(
                f"{found.record} revoked from {revocation.effective}: {revocation.reason} "
                f"({revocation.id})"
            )
    else:
        echo(f"{found.record} is not revoked; this is what a revocation would reach")
    for title, items in (("dataset", found.datasets), ("model", found.models)):
        echo(f"{len(items)} {title}{'' if len(items) == 1 else 's'}:")
        for item in items:
            if item.after_revocation is None:
                when = f"made {item.made_on or 'at an unknown time'}"
            else:
                when = f"made {item.made_on}, " + (
                    "AFTER the revocation" if item.after_revocation else "before the revocation"
                )
            files = f", files {item.local_path}" if item.local_path else ""
            echo(f"  {item.id} ({when}{files})")
            echo(f"    path: {' -> '.join(item.path)}")
    echo(f"{len(found.approvals)} approval{'' if len(found.approvals) == 1 else 's'}:")
    for approval in found.approvals:
        echo(f"  {approval.approval} on {approval.subject}: {approval.meaning}")
