"""What the `server` fixture hands a test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Server:
    """A running `lineage serve`: its base URL, its store, and a valid token."""

    url: str
    db: str
    token: str
