"""The child process of a staged bulk load (see `lineage.store.staging`).

Run as a script (the tests import it): `python staging_worker.py STAGING_FILE`. It reads
frames from stdin, each a 4-byte little-endian length and a JSON array:
`["create", table, columns, late]`, `["rows", table, [[value, ...], ...]]` or
`["seals", text]`, and writes the rows into the SQLite file STAGING_FILE (made by
the store, empty; never created here), which holds nothing else and is thrown away
after the store has copied it.

Rows come without their seal (their last column): the child seals each one as it
writes it (`lineage.store.sealing`, the ledger's own function; `late` is how many of
the table's last columns join a seal only when set). At the end of stdin it commits,
prints the SHA-256 over every seal it made, table by table in the order the tables
were created, then the text of the `seals` frame (the seals of rows the store wrote
itself), and exits 0. That is the digest of the transaction's ledger entry. On any
error it prints one line to stderr and exits 1.

It imports only the standard library, orjson and `lineage.store.sealing`, so it starts
in milliseconds.
"""

from __future__ import annotations

import gc
import importlib.util
import sqlite3
import struct
import sys
from pathlib import Path
from typing import BinaryIO

import orjson

if __package__:  # imported (the tests)
    from lineage.store import sealing
else:  # run by path, as the store runs it: the module beside it, the store's own copy,
    # found by its path (whatever sys.path holds: PYTHONSAFEPATH leaves this folder out)
    _spec = importlib.util.spec_from_file_location(
        "sealing", Path(__file__).with_name("sealing.py")
    )
    assert _spec is not None and _spec.loader is not None
    sealing = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sealing)
seal_rows, seals_digest = sealing.seal_rows, sealing.seals_digest

_LENGTH = struct.Struct("<I")


def _frames(stream: BinaryIO) -> list[object] | None:
    header = stream.read(_LENGTH.size)
    if not header:
        return None
    if len(header) != _LENGTH.size:
        raise EOFError("truncated frame header")
    (length,) = _LENGTH.unpack(header)
    payload = stream.read(length)
    if len(payload) != length:
        raise EOFError("truncated frame")
    frame = orjson.loads(payload)
    if not isinstance(frame, list):
        raise ValueError("a frame is not a JSON array")
    return frame


def load(path: str, stream: BinaryIO) -> str:
    """Write every frame of `stream` into the SQLite file `path`; return the digest of
    the seals (see the module)."""
    # A scratch file: no journal, no fsync; the store's own transaction is what counts.
    # The store made it; opened, never created: a child left running by a killed store
    # must not make it again after the next start removed it (`sweep_scratch_files`).
    uri = Path(path).resolve().as_uri() + "?mode=rw"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("BEGIN")
    tables: dict[str, tuple[list[str], int]] = {}
    seals: dict[str, list[str]] = {}  # each table's seals, joined a frame at a time
    tail = ""
    while (frame := _frames(stream)) is not None:
        match frame:
            case ["create", str(table), list(columns), int(late)]:
                names = ", ".join(f'"{column}"' for column in columns)
                connection.execute(f'CREATE TABLE "{table}" ({names})')
                tables[table] = ([str(column) for column in columns], late)
                seals[table] = []
            case ["rows", str(table), list(values)] if values:
                columns, late = tables[table]
                made = seal_rows(table, values, late)
                for row, seal in zip(values, made, strict=True):
                    row.append(seal)
                seals[table].append("".join(made))
                _insert(connection, table, columns, values)
            case ["rows", str(_), list(_)]:
                pass
            case ["seals", str(text)]:
                tail += text
            case _:
                raise ValueError(f"unknown frame {str(frame)[:60]!r}")
    connection.execute("COMMIT")
    connection.close()
    return seals_digest("".join(text for table in tables for text in seals[table]) + tail)


def _insert(
    connection: sqlite3.Connection, table: str, columns: list[str], rows: list[list[object]]
) -> None:
    """Insert `rows`, binding only the columns set in at least one of them.

    A record sets a handful of its ~40 fact columns; binding the empty ones
    costs two thirds of the insert. Transposing and testing runs in C.
    """
    by_column = list(zip(*rows, strict=True))
    count = len(rows)
    kept = [i for i, values in enumerate(by_column) if values.count(None) != count]
    names = ", ".join(f'"{columns[i]}"' for i in kept)
    marks = ", ".join("?" * len(kept))
    connection.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        zip(*(by_column[i] for i in kept), strict=True),
    )


def main() -> int:
    gc.disable()  # millions of short-lived rows and no reference cycles
    try:
        print(load(sys.argv[1], sys.stdin.buffer), flush=True)
    except (OSError, EOFError, ValueError, KeyError, sqlite3.Error) as error:
        print(f"staging load failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
