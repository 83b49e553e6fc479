"""Stopping `lineage serve`: a signal ends it quietly, with exit status 0 (issue 16).

uvicorn, once it has shut down gracefully, raises the signal that stopped it again:
SIGINT then surfaces as a KeyboardInterrupt whose traceback names every task still
open (a request cut short, the app's lifespan), and SIGTERM kills the process with
status 143. Here a stop asked for by a signal is the normal end of the server, and
what uvicorn logs about tasks it had to cancel is said in one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Iterator

import uvicorn

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StoppableServer(uvicorn.Server):
    """A uvicorn server that a signal stops without raising it again afterwards."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        # After Config, which configures uvicorn's loggers.
        logging.getLogger("uvicorn.error").addFilter(_CutShort())

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # As uvicorn's own, without raising the captured signals again on the way out.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in _SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class _CutShort(logging.Filter):
    """One line instead of a traceback for a task cancelled because the server stopped."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, asyncio.CancelledError | KeyboardInterrupt):
            record.msg = "a request still open when the server stopped was cut short"
            record.args = ()
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = None
            record.exc_text = None
            return True
        text = record.getMessage()
        if text.startswith("Traceback") and text.rstrip().endswith("CancelledError"):
            # The app's lifespan, cancelled by a forced stop (a second Ctrl+C).
            record.msg = "the server was stopped before its shutdown finished"
            record.args = ()
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
