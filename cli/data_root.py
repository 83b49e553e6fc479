"""lineage data-root: the folder recorded paths are kept relative to."""

from __future__ import annotations

import click

from cli.main import cli, echo, echo_json, json_option, store_from


@cli.group("data-root")
def data_root() -> None:
    """The store's data root: paths recorded below it are kept relative to it, so
    reports and verify find the files from any folder, and moving the data is one
    command (show, set, move)."""


@data_root.command("show")
@json_option
@click.pass_context
def data_root_show(ctx: click.Context, as_json: bool) -> None:
    """Print the data root in force (nothing when none is set).

    \b
    Example:
        lineage data-root show
    """
    with store_from(ctx) as store:
        root = store.data_root()
    if as_json:
        echo_json({"data_root": root})
    elif root is not None:
        echo(root)
    else:
        echo("no data root is set: recorded paths are absolute", err=True)


@data_root.command("set")
@click.argument("folder", metavar="DIR")
@json_option
@click.pass_context
def data_root_set(ctx: click.Context, folder: str, as_json: bool) -> None:
    """Make DIR (an existing folder) the data root; paths recorded from now on below
    it are stored relative to it, and relative paths recorded before are read there.

    \b
    Example:
        lineage data-root set /srv/training-data
    """
    with store_from(ctx, create=True) as store:
        change = store.set_data_root(folder)
    if as_json:
        echo_json({"data_root": change.path, "ledger_seq": change.ledger_seq})
    elif change.ledger_seq is None:
        echo(f"the data root is already {change.path}")
    else:
        echo(f"data root set to {change.path} (ledger entry {change.ledger_seq})")


@data_root.command("move")
@click.argument("old")
@click.argument("new")
@json_option
@click.pass_context
def data_root_move(ctx: click.Context, old: str, new: str, as_json: bool) -> None:
    """Record that the data under the data root OLD now lies under NEW: every path
    stored relative to the root is read there from now on (nothing is rewritten).

    \b
    Example:
        lineage data-root move /srv/training-data /mnt/archive/training-data
    """
    with store_from(ctx) as store:
        change = store.move_data_root(old, new)
    if as_json:
        echo_json({"data_root": change.path, "ledger_seq": change.ledger_seq})
    elif change.ledger_seq is None:
        echo(f"the data root is already {change.path}")
    else:
        echo(f"data root moved to {change.path} (ledger entry {change.ledger_seq})")
