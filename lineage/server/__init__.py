"""`lineage serve`: OpenLineage over HTTP, and reads of the graph (needs `lineage[server]`)."""

from __future__ import annotations

import socket

from lineage.errors import LineageError, SignatureError
from lineage.governance.signing import require_checkpoint

GRACE = 10  # seconds a stop waits for requests in progress before cutting them short


class ServerUnavailable(LineageError):
    """The optional server dependencies (FastAPI, uvicorn) are not installed."""


class CannotListen(LineageError):
    """The server's address cannot be listened on (in use, unknown host, no permission)."""


def _check_address(host: str, port: int) -> None:
    """Raise CannotListen unless `host`:`port` can be bound now.

    uvicorn reports a failed bind as log lines and exit code 3; this says it in
    one line before anything starts.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise CannotListen(f"cannot serve on {host}:{port}: {error.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        # As uvicorn binds: a socket left in TIME_WAIT is no obstacle, a listener is.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise CannotListen(f"cannot serve on {host}:{port}: {error.strerror}") from None


def serve(
    db: str | None,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    checkpoint: str | None = None,
    public_key: str | None = None,
    lenient: bool = False,
) -> None:
    """Run the HTTP server on `host`:`port` until interrupted (SIGINT or SIGTERM).

    A stop finishes the requests in progress (waiting at most GRACE seconds for
    them), closes the store and returns: no traceback, exit status 0. `lenient`
    accepts events as `lineage ingest --lenient` does.

    With `checkpoint` and `public_key` (a signed ledger checkpoint and its signer's
    key), refuse to start unless the store's ledger still holds the checkpoint's entry
    unchanged: a store cut back to before it would bring back revoked API tokens.

    Raises ServerUnavailable when FastAPI or uvicorn is missing, CannotListen when
    the address is in use or unknown, CheckpointNotHeld when the checkpoint does
    not hold, SignatureError when it cannot be read.
    """
    if (checkpoint is None) != (public_key is None):
        raise SignatureError("a checkpoint and its public key go together")
    try:
        import uvicorn

        from lineage.server.app import create_app
    except ImportError as error:
        raise ServerUnavailable(
            f"lineage serve needs the server extra ({error.name} is missing): "
            "pip install 'lineage[server]'"
        ) from None
    if checkpoint is not None and public_key is not None:
        # Before listening, in one line; the app checks again as it starts.
        from lineage.api import open_store

        with open_store(db) as store:
            require_checkpoint(store, checkpoint, public_key)
    _check_address(host, port)
    app = create_app(db, checkpoint=checkpoint, public_key=public_key, lenient=lenient)
    from lineage.server.stopping import StoppableServer

    config = uvicorn.Config(
        app, host=host, port=port, log_level="info", timeout_graceful_shutdown=GRACE
    )
    StoppableServer(config).run()
