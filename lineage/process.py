"""Whether this process is one command that ends when it is done (the CLI's commands).

Set by the console entry point, cleared by `lineage serve`; a process that goes on
(the server, a notebook, a service using the Python API) keeps the default, False.
Code that trades memory for speed only in a short-lived process reads it
(`lineage.store.write.collector_paused`).
"""

from __future__ import annotations

ONE_SHOT = False


def one_shot(enabled: bool = True) -> None:
    """Declare that this process ends after its command (True) or goes on (False)."""
    global ONE_SHOT
    ONE_SHOT = enabled
