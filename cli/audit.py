"""Commands that check integrity: audit verify, hash."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

import lineage
from cli.main import BadInput, cli, echo, echo_json, json_option, output_option, store_from

if TYPE_CHECKING:
    from tqdm import tqdm


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
@click.option(
    "--checkpoint",
    metavar="FILE",
    help="A signed checkpoint (lineage audit checkpoint): its entry must be unchanged.",
)
@click.option("--key", "public_key", metavar="PUB", help="The checkpoint signer's public key.")
@json_option
@click.pass_context
def verify(
    ctx: click.Context,
    expected_head: str | None,
    checkpoint: str | None,
    public_key: str | None,
    as_json: bool,
) -> None:
    """Recompute the hash-chained ledger and name the first record that differs.

    With --checkpoint and --key, also check a signed checkpoint: the ledger entry
    it names must still carry the hash it states, which catches history rewritten
    by someone who recomputed every hash. Exit code 0 when everything verifies,
    1 when something was altered, inserted or removed, 2 on bad input.

    \b
    Example:
        lineage audit verify --json
        lineage audit verify --head 5128062b3aaa72d24abac82ea7150aafad6e5e753ec206dc01bbe5aa536a737e
        lineage audit verify --checkpoint audit/2026-11-29.json --key keys/auditor.pub
    """
    if (checkpoint is None) != (public_key is None):
        raise BadInput("--checkpoint and --key go together")
    try:
        with store_from(ctx) as store, store.snapshot():
            report = store.verify(expected_head=expected_head)
            if checkpoint is not None and public_key is not None:
                report = lineage.verify_checkpoint(store, report, checkpoint, public_key)
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
        echo(
            f"ok: {report.entries} ledger entries, {report.records} records verified; "
            f"head {report.head_hash}"
        )
    else:
        first = report.problems[0]
        more = len(report.problems) - 1
        echo(
            ("TAMPERED: " + (f"transaction {first.tx}: " if first.tx else "") + first.message)
            + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""),
            err=True,
        )
    if not report.ok:
        ctx.exit(1)


@audit.command("checkpoint")
@click.option(
    "--key",
    "private_key",
    required=True,
    metavar="KEY",
    help="The auditor's Ed25519 private key (lineage keys generate).",
)
@output_option("the checkpoint")
@json_option
@click.pass_context
def checkpoint_(ctx: click.Context, private_key: str, output: str | None, as_json: bool) -> None:
    """Sign the ledger's current position and head hash; keep it away from the store.

    'lineage audit verify --checkpoint FILE --key PUB' later shows whether the
    history up to it was rewritten, even with every hash recomputed.

    \b
    Example:
        lineage audit checkpoint --key keys/auditor.key -o audit/2026-11-29.json
    """
    with store_from(ctx) as store:
        document = lineage.make_checkpoint(store, private_key)
    text = json.dumps(document, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}") from error
    if as_json:
        echo_json({"wrote": output, "seq": document["seq"], "head": document["head"]})
    else:
        echo(f"wrote {output}: ledger entry {document['seq']}, head {document['head']}")


@cli.group()
def keys() -> None:
    """Make the Ed25519 keys that sign reports and ledger checkpoints."""


@keys.command("generate")
@click.argument("prefix")
@json_option
def keys_generate(prefix: str, as_json: bool) -> None:
    """Write a new key pair: PREFIX.key (private, mode 0600) and PREFIX.pub.

    \b
    Example:
        lineage keys generate keys/auditor
    """
    pair = lineage.generate_keys(prefix)
    if as_json:
        echo_json(pair)
    else:
        echo(f"wrote {pair.private} (private, owner only) and {pair.public}")
        echo(f"fingerprint {pair.fingerprint}")


class _Bar:
    """A tqdm progress bar, shown only when hashing takes a while."""

    def __init__(self) -> None:
        self.bar: tqdm[Any] | None = None

    def started(self, total_files: int, total_bytes: int) -> None:
        from tqdm import tqdm

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
        echo(f"{digest.digest}  {digest.path}  ({files}{digest.size} bytes)")
