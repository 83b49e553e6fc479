"""`lineage serve`: OpenLineage over HTTP, and reads of the graph (needs `lineage[server]`)."""

from __future__ import annotations

from lineage.errors import LineageError


class ServerUnavailable(LineageError):
    """The optional server dependencies (FastAPI, uvicorn) are not installed."""


def serve(db: str | None, host: str = "127.0.0.1", port: int = 5000) -> None:
    """Run the HTTP server on `host`:`port` until interrupted.

    Raises ServerUnavailable when FastAPI or uvicorn is missing.
    """
    try:
        import uvicorn

        from lineage.server.app import create_app
    except ImportError as error:
        raise ServerUnavailable(
            f"lineage serve needs the server extra ({error.name} is missing): "
            "pip install 'lineage[server]'"
        ) from None
    uvicorn.run(create_app(db), host=host, port=port, log_level="info")
