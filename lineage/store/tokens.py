"""API tokens for `lineage serve`: created and revoked by appending rows, kept hashed.

A token is 32 random bytes from `secrets` (URL-safe text, prefixed `lin_`). Only
its SHA-256 is stored: for a random token of that length a plain hash is as safe
as a slow password hash, and lets every request be checked with one index lookup.
Each write is one ledger transaction whose digest covers the row's seal, so
`audit verify` notices a token row inserted, altered or removed behind our back.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from lineage.characters import hidden_character
from lineage.errors import InvalidRecord, UnknownNode
from lineage.store.engine import write_transaction
from lineage.store.ledger import append_entry, head, records_digest, seal_of
from lineage.store.tables import API_TOKEN, API_TOKEN_COLUMNS, LEDGER

TOKEN_PREFIX = "lin_"


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: its name, when it was created, and whether it was revoked."""

    name: str
    created_at: str
    revoked_at: str | None
    fingerprint: str  # first 12 hex digits of its SHA-256, to tell tokens of one name apart


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _append(engine: Engine, rows: list[tuple[str, str, str]], operation: str) -> None:
    """Append (name, hash, action) rows in one transaction with its ledger entry."""
    with write_transaction(engine) as connection:
        previous = head(connection)
        tx = (previous["seq"] + 1) if previous else 1
        next_id = (connection.execute(select(func.max(API_TOKEN.c.id))).scalar() or 0) + 1
        values: list[dict[str, Any]] = []
        seals: list[str] = []
        for offset, (name, digest, action) in enumerate(rows):
            row = (next_id + offset, name, digest, action, tx)
            seals.append(seal_of("api_token", row))
            values.append({**dict(zip(API_TOKEN_COLUMNS, row, strict=True)), "seal": seals[-1]})
        append_entry(
            connection,
            previous,
            operation=operation,
            node_range=None,
            edge_range=None,
            record_count=len(values),
            digest=records_digest(seals),
        )
        connection.execute(API_TOKEN.insert(), values)


def create_token(engine: Engine, name: str) -> str:
    """Create a token called `name` and return it (the only time it is shown)."""
    name = name.strip()
    if not name:
        raise InvalidRecord("a token name is non-empty text")
    hidden = hidden_character(name)
    if hidden is not None:
        raise InvalidRecord(f"field 'name': {hidden} is not allowed in a token name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    _append(engine, [(name, token_hash(token), "create")], f"token create {name}")
    return token


def revoke_tokens(engine: Engine, name: str) -> int:
    """Revoke every token called `name` that is in force; returns how many."""
    with engine.connect() as connection:
        active = [t for t in _states(connection) if t[0] == name and t[3] is None]
    if not active:
        raise UnknownNode(f"no token called {name!r} is in force (see 'lineage token list')")
    _append(
        engine, [(name, digest, "revoke") for _, digest, _, _ in active], f"token revoke {name}"
    )
    return len(active)


def _states(connection: Connection) -> list[tuple[str, str, str, str | None]]:
    """(name, hash, created at, revoked at) of every token, oldest first."""
    query = (
        select(API_TOKEN.c.name, API_TOKEN.c.token_hash, API_TOKEN.c.action, LEDGER.c.recorded_at)
        .join(LEDGER, LEDGER.c.seq == API_TOKEN.c.tx)
        .order_by(API_TOKEN.c.id)
    )
    created: dict[str, tuple[str, str]] = {}
    revoked: dict[str, str] = {}
    for name, digest, action, at in connection.execute(query):
        if action == "create":
            created.setdefault(digest, (name, at))
        else:
            revoked.setdefault(digest, at)
    return [(name, digest, at, revoked.get(digest)) for digest, (name, at) in created.items()]


def list_tokens(connection: Connection) -> list[TokenInfo]:
    return [TokenInfo(n, at, rev, d[:12]) for n, d, at, rev in _states(connection)]


def token_owner(connection: Connection, token: str) -> str | None:
    """The name of the token in force that `token` is, or None."""
    rows = connection.execute(
        select(API_TOKEN.c.name, API_TOKEN.c.action)
        .where(API_TOKEN.c.token_hash == token_hash(token))
        .order_by(API_TOKEN.c.id)
    ).all()
    if not rows or any(action == "revoke" for _, action in rows):
        return None
    return str(rows[0][0])
