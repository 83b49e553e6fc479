"""`lineage serve`: OpenLineage over HTTP, and reads of the graph (needs `lineage[server]`)."""

from __future__ import annotations

import socket

from lineage.errors import LineageError


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


def serve(db: str | None, host: str = "127.0.0.1", port: int = 5000) -> None:
    """Run the HTTP server on `host`:`port` until interrupted.

    Raises ServerUnavailable when FastAPI or uvicorn is missing, CannotListen when
    the address is in use or unknown.
    """
    try:
        import uvicorn

        from lineage.server.app import create_app
    except ImportError as error:
        raise ServerUnavailable(
            f"lineage serve needs the server extra ({error.name} is missing): "
            "pip install 'lineage[server]'"
        ) from None
    _check_address(host, port)
    uvicorn.run(create_app(db), host=host, port=port, log_level="info")
