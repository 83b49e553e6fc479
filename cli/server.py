"""lineage serve, and the API tokens it accepts."""

from __future__ import annotations

import click

import lineage
from cli.main import cli, echo, echo_json, json_option, store_from


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--checkpoint",
    metavar="FILE",
    envvar="LINEAGE_CHECKPOINT",
    help="A signed ledger checkpoint (lineage audit checkpoint): refuse to start unless "
    "the ledger still holds it [env: LINEAGE_CHECKPOINT].",
)
@click.option(
    "--key",
    "public_key",
    metavar="PUB",
    envvar="LINEAGE_CHECKPOINT_KEY",
    help="The checkpoint signer's public key [env: LINEAGE_CHECKPOINT_KEY].",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept OpenLineage events without 'schemaURL' (as Marquez writes them) or with "
    "an eventTime without a UTC offset (read as UTC); each record says so in 'show'.",
)
@json_option
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    checkpoint: str | None,
    public_key: str | None,
    lenient: bool,
    as_json: bool,
) -> None:
    """Serve OpenLineage's HTTP API (POST /api/v1/lineage) and reads of the graph.

    Every request needs a token made by 'lineage token create' (Bearer). The
    OpenAPI document is at /openapi.json, its pages at /docs. With --checkpoint
    and --key, the server does not start on a store whose ledger was cut back to
    before that signed checkpoint (which would bring back revoked tokens) or
    rewritten up to it.

    \b
    Example:
        lineage token create airflow-prod
        lineage serve --port 5000
        lineage serve --checkpoint audit/latest.json --key keys/auditor.pub
        lineage serve --lenient   # Marquez-style events without schemaURL
        # in Airflow: OPENLINEAGE_URL=http://127.0.0.1:5000 OPENLINEAGE_API_KEY=<token>
    """
    if (checkpoint is None) != (public_key is None):
        raise click.UsageError("--checkpoint and --key go together")
    with store_from(ctx, create=True) as store:  # create or migrate the store before serving
        if checkpoint is not None and public_key is not None:
            lineage.require_checkpoint(store, checkpoint, public_key)
        if not any(t.revoked_at is None for t in store.tokens()):
            echo(
                "warning: no API token is in force, so every request will get 401: "
                "create one with 'lineage token create NAME'",
                err=True,
            )
    if as_json:
        echo_json({"url": f"http://{host}:{port}", "openapi": f"http://{host}:{port}/openapi.json"})
    lineage.serve(
        ctx.find_root().obj,
        host,
        port,
        checkpoint=checkpoint,
        public_key=public_key,
        lenient=lenient,
    )


@cli.group()
def token() -> None:
    """API tokens for 'lineage serve': create, list, revoke."""


@token.command("create")
@click.argument("name")
@json_option
@click.pass_context
def token_create(ctx: click.Context, name: str, as_json: bool) -> None:
    """Create a token called NAME and print it; it is shown only this once.

    \b
    Example:
        lineage token create airflow-prod --json
    """
    with store_from(ctx, create=True) as store:
        secret = store.create_token(name)
    if as_json:
        echo_json({"name": name, "token": secret})
    else:
        echo(secret)


@token.command("list")
@json_option
@click.pass_context
def token_list(ctx: click.Context, as_json: bool) -> None:
    """List tokens: name, when created, when revoked (never the tokens themselves).

    \b
    Example:
        lineage token list
    """
    with store_from(ctx) as store:
        tokens = store.tokens()
    if as_json:
        echo_json(tokens)
        return
    for t in tokens:
        revoked = f"  revoked {t.revoked_at}" if t.revoked_at else ""
        echo(f"{t.name}  {t.fingerprint}  created {t.created_at}{revoked}")


@token.command("revoke")
@click.argument("name")
@json_option
@click.pass_context
def token_revoke(ctx: click.Context, name: str, as_json: bool) -> None:
    """Revoke every token called NAME (recorded as a new row; nothing is deleted).

    \b
    Example:
        lineage token revoke airflow-prod
    """
    with store_from(ctx) as store:
        count = store.revoke_token(name)
    if as_json:
        echo_json({"name": name, "revoked": count})
    else:
        echo(f"revoked {count} token{'s' if count != 1 else ''} called {name}")
