"""Commands that check integrity: audit verify, hash."""

from __future__ import annotations

from typing import Any

import click
from tqdm import tqdm

import lineage
from cli.main import BadInput, cli, echo_json, json_option, store_from


@cli.group()
def audit() -> None:
    """Check that the record was not altered behind the tool's back."""


@audit.command("verify")
@click.option(
    "--head",
    "expected_head",
    metavar="HASH",
    help="A head hash published earlier (e.g. in a report) that must still be in the chain.",
)
@json_option
@click.pass_context
def verify(ctx: click.Context, expected_head: str | None, as_json: bool) -> None:
    """Recompute the hash-chained ledger and name the first record that differs.

    Exit code 0 when everything verifies, 1 when something was altered, inserted
    or removed, 2 when the store cannot be read.

    \b
    Example:
        lineage audit verify --json
        lineage audit verify --head 5128062b3aaa72d24abac82ea7150aafad6e5e753ec206dc01bbe5aa536a737e
    """
    try:
        with store_from(ctx) as store:
            report = store.verify(expected_head=expected_head)
    except lineage.LineageError as error:
        raise BadInput(str(error)) from error
    if as_json:
        echo_json(
            {
                "ok": report.ok,
                "head": report.head_hash,
                "entries": report.entries,
                "records": report.records,
                "problems": report.problems,
            }
        )
    elif report.ok:
        click.echo(
            f"ok: {report.entries} ledger entries, {report.records} records verified; "
            f"head {report.head_hash}"
        )
    else:
        first = report.problems[0]
        more = len(report.problems) - 1
        click.echo(
            ("TAMPERED: " + (f"transaction {first.tx}: " if first.tx else "") + first.message)
            + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""),
            err=True,
        )
    if not report.ok:
        ctx.exit(1)


class _Bar:
    """A tqdm progress bar, shown only when hashing takes a while."""

    def __init__(self) -> None:
        self.bar: tqdm[Any] | None = None

    def started(self, total_files: int, total_bytes: int) -> None:
        self.bar = tqdm(
            total=total_bytes,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc="hashing",
            delay=1.0,
            leave=False,
        )

    def advanced(self, files: int, nbytes: int) -> None:
        if self.bar is not None:
            self.bar.update(nbytes)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@cli.command("hash")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--no-cache", is_flag=True, help="Hash every file again, ignoring the digest cache.")
@json_option
def hash_(paths: tuple[str, ...], no_cache: bool, as_json: bool) -> None:
    """Print the SHA-256 digest of files and the Merkle digest of folders.

    \b
    Example:
        lineage hash sample_data/web_crawl sample_data/code/manifest.csv
    """
    bar = _Bar()
    cache = lineage.DigestCache.disabled() if no_cache else lineage.DigestCache.open()
    try:
        with cache:
            digests = lineage.digest_paths(list(paths), cache=cache, progress=bar)
    finally:
        bar.close()
    if as_json:
        echo_json(digests)
        return
    for digest in digests:
        files = f"{digest.files} files, " if digest.kind == "directory" else ""
        click.echo(f"{digest.digest}  {digest.path}  ({files}{digest.size} bytes)")
