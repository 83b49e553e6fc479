"""Commands that judge and document a trail: report, check."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, BinaryIO, TypeVar

import click

import lineage
from cli.main import BadInput, cli, echo, echo_json, json_option, output_option, store_from

_EXTENSIONS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".pdf": "pdf",
}

T = TypeVar("T")


def _as_of(value: str | None) -> datetime | None:
    return lineage.parse_time(value, "--as-of") if value else None


def _write_replacing(output: str, write: Callable[[BinaryIO], T]) -> T:
    """`write(handle)` into a new file beside `output` that then takes its place: a
    failure midway (a full disk, a folder removed, Ctrl-C) leaves no half-written
    report, and a report already there as it was.

    Written in place, as `open` would, wherever replacing the file would do otherwise:
    a path that is not a regular file (a pipe, /dev/stdout), a report with other names
    (hard links, which would keep the old one), a report this user may not write (an
    error, as before), a folder where this user may make no file or replace no one
    else's (a sticky folder such as /tmp).
    """
    path = os.path.realpath(output)  # through a link, as `open` goes
    try:
        existing: os.stat_result | None = os.stat(path)
    except OSError:
        existing = None
    folder, name = os.path.split(path)
    # Hidden, and within the 255 bytes a file system allows a name, however long
    # (in bytes) the report's own name is.
    short = os.fsencode(name)[:180].decode("utf-8", "ignore") or "report"
    temporary = os.path.join(folder, f".{short}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = -1
        if existing is None or (
            stat.S_ISREG(existing.st_mode) and existing.st_nlink == 1 and os.access(path, os.W_OK)
        ):
            try:
                # O_EXCL: never a file someone else made; 0o666 less the umask, as `open`.
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                descriptor = os.open(temporary, flags, 0o666)
            except PermissionError:
                if existing is None:
                    raise
        if descriptor < 0:
            with open(path, "wb") as handle:
                return write(handle)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                result = write(handle)
            if existing is not None:  # the report replaced keeps its permissions
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))
            try:
                os.replace(temporary, path)
            except PermissionError:
                if existing is None:
                    raise
                # A sticky folder lets only a file's owner replace it; writing it is
                # allowed. The report is made again, into the file itself.
                os.unlink(temporary)
                with open(path, "wb") as handle:
                    return write(handle)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from error
    return result


@cli.command()
@click.argument("target")
@click.option(
    "--template",
    type=click.Choice(list(lineage.TEMPLATES)),
    default="paper-trail",
    show_default=True,
    help="What the report asks.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(lineage.FORMATS),
    help="md, html, json or pdf [default: from -o's extension, else md].",
)
@click.option("--as-of", metavar="TIME", help="Report the trail as it was recorded at TIME.")
@click.option(
    "--valid-at",
    metavar="TIME",
    help="Report on the version of a dataset TARGET current at TIME, as the recorded "
    "events describe it (--as-of: what the store knew at TIME).",
)
@output_option("the report")
@click.option(
    "--policy",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="Check the findings under this policy (YAML) instead of the strict defaults.",
)
@click.option(
    "--sign",
    "sign_key",
    metavar="KEY",
    type=click.Path(dir_okay=False),
    help="Sign the report with this Ed25519 private key (lineage keys generate): "
    "writes FILE.sig beside it. Needs -o.",
)
@click.option(
    "--exact-sizes",
    is_flag=True,
    help="eu-ai-act: give exact sizes beside the template's ranges (the default is ranges).",
)
@click.option(
    "--domain-sizes",
    metavar="FILE",
    help="eu-ai-act: a CSV of per-domain sizes (domain,bytes[,records]) for the ranked "
    "domain names of 2.3.h, instead of those recorded on or computed from the crawls.",
)
@json_option
@click.pass_context
def report(
    ctx: click.Context,
    target: str,
    template: str,
    fmt: str | None,
    as_of: str | None,
    valid_at: str | None,
    output: str | None,
    policy: str | None,
    sign_key: str | None,
    exact_sizes: bool,
    domain_sizes: str | None,
    as_json: bool,
) -> None:
    """Write the paper-trail report of TARGET (a model, dataset or source).

    Templates: paper-trail (everything behind TARGET, findings and gaps),
    eu-ai-act (the AI Act Art. 53(1)(d) public summary of training content),
    ca-ab2013 (California AB 2013 training-data documentation), datasheet
    (Datasheets for Datasets). With --json and -o, prints what was written;
    with --json alone, prints the report as JSON.

    With --sign, the report is built from the store alone (digest columns give
    the latest recorded 'lineage verify' instead of hashing files now) and
    FILE.sig holds an Ed25519 signature over its canonical content and the
    ledger head; 'lineage report-verify FILE --key KEY.pub' checks both later.

    \b
    Example:
        lineage report support-assistant-v1 -o trail.html
        lineage report support-assistant-v1 --template eu-ai-act --format md
        lineage report support-assistant-v1 --template eu-ai-act --domain-sizes sizes.csv
        lineage report support-assistant-v1 -o trail.json --sign keys/auditor.key
        lineage report orders --template datasheet --valid-at 2025-09-15T00:00:00Z
    """
    if fmt is None:
        extension = os.path.splitext(output)[1].lower() if output else ""
        fmt = _EXTENSIONS.get(extension, "json" if as_json and not output else "md")
    elif as_json and not output and fmt != "json":
        raise click.UsageError("--json without -o prints the report as JSON; drop --format")
    if fmt == "pdf" and not output and sys.stdout.isatty():
        raise click.UsageError("a PDF goes to a file: add -o FILE")
    if sign_key and not output:
        raise click.UsageError("--sign writes FILE.sig beside the report: add -o FILE")
    if (exact_sizes or domain_sizes) and template != "eu-ai-act":
        raise click.UsageError("--exact-sizes and --domain-sizes apply to --template eu-ai-act")
    chosen = lineage.load_policy(policy) if policy else None
    options = lineage.reports.TemplateOptions(exact_sizes=exact_sizes, domain_sizes=domain_sizes)
    # JSON is written a piece at a time as it is encoded rather than made whole (390 MB
    # for 100,000 records), but for a signed report: it is signed over its bytes.
    streamed = fmt == "json" and not sign_key
    data = b""
    with store_from(ctx) as store:
        if valid_at:
            when = lineage.parse_time(valid_at, "--valid-at")
            target = store.version_at(target, when, as_of=_as_of(as_of))
        how: dict[str, Any] = {
            "template": template,
            "as_of": _as_of(as_of),
            "policy": chosen,
            "verify_digests": sign_key is None,
            "options": options,
        }
        if streamed:
            built, _ = lineage.reports.prepare_report(store, target, fmt, **how)
        else:
            built, data = lineage.reports.produce_report(store, target, fmt, **how)
    if output is None:
        if streamed:
            sys.stdout.flush()  # anything written as text goes first
            lineage.reports.write_json(built, sys.stdout.buffer)
        else:
            click.echo(data if fmt == "pdf" else data.decode("utf-8"), nl=False)
        return
    signature = None
    if streamed:
        size, sha256 = _write_replacing(
            output, lambda handle: lineage.reports.write_json(built, handle)
        )
    else:
        size, sha256 = len(data), hashlib.sha256(data).hexdigest()
        # Signed first, so that a key that cannot be read leaves no unsigned report behind.
        document = (
            lineage.sign_report(built, data, output, sign_key, policy=chosen, options=options)
            if sign_key
            else None
        )
        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise click.ClickException(f"cannot write {output}: {error.strerror}") from error
        if document is not None:
            signature = lineage.signature_path(output)
            try:
                with open(signature, "w", encoding="utf-8") as sig:
                    sig.write(json.dumps(document, indent=2) + "\n")
            except OSError as error:
                raise click.ClickException(f"cannot write {signature}: {error.strerror}") from error
    summary: dict[str, Any] = {
        "wrote": output,
        "signature": signature,
        "format": fmt,
        "template": template,
        "target": built.target,
        "bytes": size,
        "sha256": sha256,
        "ledger": {"seq": built.ledger.seq, "hash": built.ledger.hash},
        "findings": len(built.findings),
        "gaps": len(built.gaps),
    }
    if as_json:
        echo_json(summary)
    else:
        echo(
            f"wrote {output} ({template}, {fmt}, {size:,} bytes, "
            f"sha256:{summary['sha256']}): {len(built.gaps)} gaps"
            + (f", {len(built.findings)} findings" if template == "paper-trail" else "")
        )
        if signature:
            echo(f"signed: {signature} (ledger entry {built.ledger.seq})")


@cli.command("check")
@click.argument("target")
@click.option(
    "--policy",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="A YAML policy: intended use, allowed and forbidden licences, approvals, "
    "rule severities [default: every rule an error].",
)
@click.option("--as-of", metavar="TIME", help="Check the trail as it was recorded at TIME.")
@json_option
@click.pass_context
def check_(
    ctx: click.Context, target: str, policy: str | None, as_of: str | None, as_json: bool
) -> None:
    """Check TARGET and everything upstream of it against the rules and a policy.

    Exit code 0 when nothing is an error, 1 when something is, 2 on bad input
    (an unknown target, a bad policy, no store), so CI can gate a training run.

    \b
    Example:
        lineage check support-assistant-v1
        lineage check support-assistant-v1 --policy policy.yaml --json
    """
    try:
        chosen = lineage.load_policy(policy) if policy else None
        when = _as_of(as_of)
        with store_from(ctx) as store:
            result = lineage.check(store, target, policy=chosen, as_of=when)
    except lineage.LineageError as error:
        raise BadInput(str(error)) from error
    counts = {severity: result.count(severity) for severity in ("error", "warning", "info")}
    if as_json:
        echo_json(
            {
                "target": result.target,
                "ok": result.ok,
                "counts": counts,
                "intended_use": result.intended_use,
                "intended_use_from": result.intended_use_from,
                "policy": result.policy.describe(),
                "ledger": {"seq": result.ledger.seq, "hash": result.ledger.hash},
                "as_of": as_of,
                "findings": [f.to_data() for f in result.findings],
                "references": [
                    {
                        "record": r.entity,
                        "run": r.run,
                        "also_content": r.also_content,
                        "content_of": list(r.content_of),
                    }
                    for r in result.references
                ],
                "excluded": [
                    {
                        "record": x.entity,
                        "run": x.run,
                        "still_reaches": x.still_reaches,
                        "content_of": list(x.content_of),
                    }
                    for x in result.exclusions
                ],
            }
        )
    else:
        lines = []
        for finding in result.findings:
            lines.append(f"{finding.severity.upper():<8} {finding.rule}: {finding.message}")
            if len(finding.path) > 1:
                lines.append(f"         path: {' -> '.join(finding.path)}")
        for reference in result.references:
            used = f"{'TOOL':<8} {reference.entity}: used by {reference.run} as a reference"
            lines.append(
                f"{used}, and as training content of {', '.join(reference.content_of)} "
                "(its terms are carried downstream from there)"
                if reference.also_content
                else f"{used}, not as training content (its terms are not carried downstream)"
            )
        for exclusion in result.exclusions:
            removed = f"{'REMOVED':<8} {exclusion.entity}: removed by {exclusion.run}"
            lines.append(
                f"{removed}, but it still reaches {result.target} as content of "
                f"{', '.join(exclusion.content_of)}"
                if exclusion.still_reaches
                else f"{removed}; its content does not reach {result.target}"
            )
        if lines:  # in one write: click flushes after each echo, 100,000 findings or not
            echo("\n".join(lines))
        origin = {
            "policy": "from the policy",
            "record": "from the model's record",
            "default": "none recorded, checked as commercial",
        }[result.intended_use_from]
        echo(
            f"{result.target}: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info (intended use {result.intended_use}, {origin}; "
            f"policy: {policy or 'strict defaults'})"
        )
    if not result.ok:
        ctx.exit(1)


@cli.command("report-verify")
@click.argument("report_file", metavar="REPORT")
@click.option(
    "--key",
    "public_key",
    required=True,
    metavar="PUB",
    help="The signer's public key (PREFIX.pub of lineage keys generate).",
)
@click.option("--signature", metavar="SIG", help="The detached signature [default: REPORT.sig].")
@json_option
@click.pass_context
def report_verify(
    ctx: click.Context, report_file: str, public_key: str, signature: str | None, as_json: bool
) -> None:
    """Check a signed report: its signature, and that the store still holds what it states.

    The report is rebuilt from the store at the ledger entry it was signed at and
    compared by content; that entry must still be in the chain with the same hash.
    Exit code 0 when both hold, 1 when either does not, 2 on bad input.

    \b
    Example:
        lineage report-verify out/trail.json --key keys/auditor.pub
    """
    try:
        with store_from(ctx) as store:
            result = lineage.verify_report(store, report_file, public_key, signature)
    except lineage.LineageError as error:
        raise BadInput(str(error)) from error
    if as_json:
        echo_json(
            {
                "ok": result.ok,
                "report": result.report,
                "signature_ok": result.signature_ok,
                "store_ok": result.store_ok,
                "key_fingerprint": result.key_fingerprint,
                "ledger": {"seq": result.ledger_seq, "hash": result.ledger_hash},
                "problems": list(result.problems),
            }
        )
    else:
        echo(
            f"signature: {'ok' if result.signature_ok else 'FAILED'} (key {result.key_fingerprint})"
        )
        echo(
            f"store: {'ok' if result.store_ok else 'FAILED'} "
            f"(ledger entry {result.ledger_seq}, {result.ledger_hash})"
        )
        for problem in result.problems:
            echo(f"  {problem}", err=True)
    if not result.ok:
        ctx.exit(1)
