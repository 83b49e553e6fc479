"""Content digests of files and directory trees, with a SQLite cache of file digests.

Every digest is SHA-256, written ``"sha256:<64 hex digits>"``:

- a regular file: SHA-256 of its bytes;
- a symbolic link, never followed: SHA-256 of its target text, the bytes
  ``os.readlink`` returns;
- a directory: SHA-256 of the concatenation, over its entries sorted by name as
  bytes, of::

      tag     1 byte: b"f" file, b"d" directory, b"l" symbolic link
      name    the entry's name as the file system stores it (a str name is
              encoded as UTF-8 with surrogateescape)
      b"\\x00"
      digest  the entry's raw 32-byte digest

  A name holds neither NUL nor "/", so the encoding is unambiguous. An empty
  directory's digest is SHA-256 of no bytes. Sockets, FIFOs and device files are
  skipped: they add nothing to their directory's digest.

A digest depends on names and contents only, never on permissions, owners, times
or where the tree lives.

File digests are cached in SQLite, keyed on (absolute path, size, mtime_ns,
ctime_ns, inode), at ``$LINEAGE_CACHE`` or ``~/.cache/lineage/digests.sqlite``.
Anyone who can write a file can set its mtime back (``touch -m -r``), but not its
ctime: the kernel sets that on every change, to the current time, so a file edited
in place with its size and mtime restored is still hashed again. A file changed
(mtime or ctime) less than two seconds before hashing started is hashed but not
cached: a file system with coarse timestamps could otherwise give a rewrite of the
same size the same key. `digest_paths(..., rehash=True)` ignores what the cache
holds, hashes every file and writes what it found back (`lineage verify --full`).

Each directory also gets one cache row, keyed on a signature of what the walk saw
in it (every file's name, size, mtime_ns, ctime_ns and inode, every subdirectory's
name, every link's name and target): when the signature still matches, its files'
digests come from that row, and its own digest too when every subdirectory also
matched. Re-hashing an unchanged tree then reads one row per directory instead of
one per file; the `lstat` of every file, which the key needs, is what remains.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sqlite3
import stat
import time
from array import array
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timedelta
from types import TracebackType
from typing import Protocol

from lineage.errors import PathError

__all__ = ["Digest", "DigestCache", "DigestProgress", "digest_path", "digest_paths"]

logger = logging.getLogger(__name__)

DEFAULT_FULL_EVERY = timedelta(days=7)
"""How old the last full verification of a record may be before a run hashes in full
(`lineage verify`; here so that opening a store does not import the verification)."""

_PREFIX = "sha256:"
_BUFFER_SIZE = 1 << 20
# A file this large is a task of its own; smaller ones are hashed in batches so
# that they do not pay the thread pool's per-task cost one by one.
_LARGE_FILE = 8 << 20
_BATCH_BYTES = 32 << 20
_BATCH_FILES = (16, 1024)
_MAX_WORKERS = 32
# Below this mean file size one thread is faster than several (measured on 2 cores:
# 4 KiB files 152,000/s on one thread, 104,000/s on two; even at 8 KiB; 16 KiB 69,000/s
# on one, 104,000/s on two).
_PARALLEL_MEAN = 8 << 10
# Timestamps on FAT are 2 s apart and on ext3 or HFS+ 1 s: a file changed within
# this window of the scan could be rewritten later under the same cache key.
_RACY_NS = 2_000_000_000
# O_NONBLOCK: a file swapped for a FIFO after the walk must not hang the open.
_OPEN_FLAGS: int = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
)
_FILE, _DIRECTORY, _SYMLINK = 0, 1, 2
_KINDS = ("file", "directory", "symlink")

_CACHE_APPLICATION_ID = 0x4C4E4447  # "LNDG"
# 2 added the folders table; 3 keys files and folders on ctime too (issue 18: an
# edit with its mtime set back was answered from the cache). Rows of 1 and 2 cannot
# vouch for a ctime and are dropped.
_CACHE_SCHEMA_VERSION = 3
_INODE_MASK = (1 << 64) - 1
_RAW = 32  # bytes of a raw SHA-256 digest

# A cache row: path, size, mtime_ns, ctime_ns, inode (signed, as SQLite keeps it), raw digest.
_Row = tuple[bytes, int, int, int, int, bytes]
_DIGEST_TABLE = (
    "CREATE TABLE digests (path BLOB PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
    "ctime_ns INTEGER, inode INTEGER, digest BLOB) WITHOUT ROWID"
)
# A folder row: path, signature, its files' raw digests in walk order (concatenated),
# its own raw digest, bytes and files under it.
_FolderRow = tuple[bytes, bytes, bytes, bytes, int, int]
_FOLDER_TABLE = (
    "CREATE TABLE IF NOT EXISTS folders (path BLOB PRIMARY KEY, signature BLOB, "
    "digests BLOB, digest BLOB, size INTEGER, files INTEGER) WITHOUT ROWID"
)


@dataclass(frozen=True)
class Digest:
    """The digest of one path, as `digest_paths` returns it.

    Example:
        digest_path("data/train").digest  # 'sha256:9f86d08...'
    """

    path: str
    """The absolute path, with its parent directories resolved (the path itself is
    not followed if it is a symbolic link)."""
    kind: str
    """"file", "directory" or "symlink"."""
    digest: str
    """``"sha256:"`` and 64 hex digits."""
    size: int
    """Bytes hashed: the file's size, or the total of every file under a directory."""
    files: int
    """Files hashed: 1 for a file, every file under a directory, 0 for a symlink."""


class DigestProgress(Protocol):
    """Receives progress from `digest_paths`, always on the calling thread.

    Example:
        class Bar:
            def started(self, total_files: int, total_bytes: int) -> None:
                self.bar = tqdm(total=total_bytes, unit="B")
            def advanced(self, files: int, nbytes: int) -> None:
                self.bar.update(nbytes)
    """

    def started(self, total_files: int, total_bytes: int) -> None:
        """Called once, after the walk and before any file is hashed."""

    def advanced(self, files: int, nbytes: int) -> None:
        """Called as files finish (a batch of small files, or cache hits, at once).

        Over one call of `digest_paths` the arguments add up to the totals.
        """


class DigestCache:
    """File digests kept between runs, in SQLite; a context manager.

    A cache that cannot be opened, read or written logs a warning and is not used
    again; hashing goes on without it.

    Example:
        with DigestCache.open() as cache:
            digest_paths(["data/"], cache=cache)
    """

    def __init__(self, connection: sqlite3.Connection | None, path: str | None) -> None:
        """Wrap `connection`; use `DigestCache.open` or `DigestCache.disabled` instead."""
        self._connection = connection
        self.path = path

    @classmethod
    def open(cls, path: str | None = None) -> DigestCache:
        """Open (creating it and its folder if needed) the cache at `path`.

        `path` defaults to ``$LINEAGE_CACHE``, then ``~/.cache/lineage/digests.sqlite``.

        Example:
            with DigestCache.open("/tmp/digests.sqlite") as cache: ...
        """
        location = path or os.environ.get("LINEAGE_CACHE") or _default_cache_path()
        try:
            folder = os.path.dirname(os.path.abspath(location))
            os.makedirs(folder, exist_ok=True)
            connection = sqlite3.connect(location, timeout=5.0)
        except (OSError, sqlite3.Error) as error:
            _warn(location, error)
            return cls(None, location)
        try:
            problem = _prepare(connection)
        except sqlite3.Error as error:
            problem = str(error)
        if problem is not None:
            connection.close()
            _warn(location, problem)
            return cls(None, location)
        return cls(connection, location)

    @classmethod
    def disabled(cls) -> DigestCache:
        """A cache that remembers nothing: every file is hashed.

        Example:
            digest_paths(["data/"], cache=DigestCache.disabled())
        """
        return cls(None, None)

    @property
    def enabled(self) -> bool:
        """Whether digests are read from and written to a database."""
        return self._connection is not None

    def close(self) -> None:
        """Close the database; the cache is disabled afterwards."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> DigestCache:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _load(self, roots: Sequence[_Root]) -> dict[bytes, _Row]:
        """Every entry for a file root or under a directory root, one query per root."""
        if self._connection is None:
            return {}
        query = "SELECT path, size, mtime_ns, ctime_ns, inode, digest FROM digests WHERE "
        known: dict[bytes, _Row] = {}
        try:
            for root in roots:
                if root.kind == _DIRECTORY:
                    prefix = root.raw.rstrip(b"/") + b"/"
                    # Every path under the root sorts between "root/" and "root0".
                    bounds: tuple[bytes, ...] = (prefix, prefix[:-1] + b"0")
                    rows = self._connection.execute(query + "path >= ? AND path < ?", bounds)
                elif root.kind == _FILE:
                    rows = self._connection.execute(query + "path = ?", (root.raw,))
                else:
                    continue
                known.update({row[0]: row for row in rows})
        except sqlite3.Error as error:
            self._fail(error)
            return {}
        return known

    def _load_folders(self, roots: Sequence[_Root]) -> dict[bytes, _FolderRow]:
        """The folder rows of every directory root and everything under it."""
        if self._connection is None:
            return {}
        query = (
            "SELECT path, signature, digests, digest, size, files FROM folders "
            "WHERE path = ? OR (path >= ? AND path < ?)"
        )
        known: dict[bytes, _FolderRow] = {}
        try:
            for root in roots:
                if root.kind == _DIRECTORY:
                    top = root.raw.rstrip(b"/")
                    rows = self._connection.execute(query, (top, top + b"/", top + b"0"))
                    known.update({row[0]: row for row in rows})
        except sqlite3.Error as error:
            self._fail(error)
            return {}
        return known

    def _save(
        self,
        rows: list[_Row],
        stale: list[bytes],
        folders: Sequence[_FolderRow] = (),
        stale_folders: Sequence[bytes] = (),
    ) -> None:
        """Drop `stale` paths and folders, write `rows` and `folders`, in one transaction."""
        if self._connection is None or not (rows or stale or folders or stale_folders):
            return
        try:
            with self._connection:
                self._connection.executemany(
                    "DELETE FROM digests WHERE path = ?", [(path,) for path in stale]
                )
                self._connection.executemany(
                    "INSERT OR REPLACE INTO digests (path, size, mtime_ns, ctime_ns, inode, "
                    "digest) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
                self._connection.executemany(
                    "DELETE FROM folders WHERE path = ?", [(path,) for path in stale_folders]
                )
                self._connection.executemany(
                    "INSERT OR REPLACE INTO folders (path, signature, digests, digest, size, "
                    "files) VALUES (?, ?, ?, ?, ?, ?)",
                    folders,
                )
        except sqlite3.Error as error:
            self._fail(error)

    def _fail(self, error: sqlite3.Error) -> None:
        _warn(self.path or "", error)
        self.close()


def digest_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    cache: DigestCache | None = None,
    workers: int | None = None,
    progress: DigestProgress | None = None,
    rehash: bool = False,
) -> list[Digest]:
    """Return the digest of each of `paths`, in order.

    Files are hashed on `workers` threads (default: one per CPU, or one thread when the
    files to hash average under 8 KiB, where threads only slow it down). `cache` defaults to
    `DigestCache.open()`; pass `DigestCache.disabled()` to hash everything. `rehash`
    hashes every file too, but writes what it found to the cache, replacing any row
    that said otherwise.

    Raises PathError if a path does not exist or something under it cannot be read.

    Example:
        [d.digest for d in digest_paths(["data/train", "model.bin"])]
    """
    if isinstance(paths, str | bytes | os.PathLike):
        raise TypeError("digest_paths takes a sequence of paths; use digest_path for one")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if cache is None:
        with DigestCache.open() as default:
            return _digest_paths(paths, default, workers, progress, rehash)
    return _digest_paths(paths, cache, workers, progress, rehash)


def digest_path(
    path: str | os.PathLike[str],
    *,
    cache: DigestCache | None = None,
    workers: int | None = None,
    progress: DigestProgress | None = None,
    rehash: bool = False,
) -> Digest:
    """Return the digest of one file, directory or symbolic link; see `digest_paths`.

    Example:
        digest_path("data/train.jsonl").digest  # 'sha256:2cf24db...'
    """
    return digest_paths([path], cache=cache, workers=workers, progress=progress, rehash=rehash)[0]


@dataclass(frozen=True)
class _Root:
    given: str  # as the caller wrote it, for messages
    path: str
    raw: bytes
    kind: int
    index: int  # into _Tree.paths, _Tree.directories or _Tree.links


@dataclass
class _Tree:
    """Everything found under the roots, in parallel lists.

    A directory is listed before its children, and the files, subdirectories and
    links of one directory are contiguous: `spans[d]` holds their three ranges.
    """

    paths: list[bytes] = field(default_factory=list)
    names: list[bytes] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    ctimes: list[int] = field(default_factory=list)
    inodes: list[int] = field(default_factory=list)
    directories: list[bytes] = field(default_factory=list)
    directory_names: list[bytes] = field(default_factory=list)
    spans: list[tuple[int, int, int, int, int, int]] = field(default_factory=list)
    links: list[bytes] = field(default_factory=list)
    link_names: list[bytes] = field(default_factory=list)


class _Folders:
    """The folder rows of one scan: which directories still match, and what to save."""

    def __init__(
        self,
        tree: _Tree,
        roots: Sequence[_Root],
        rows: dict[bytes, _FolderRow],
        trusted: bool = True,
    ) -> None:
        self.tree = tree
        self.rows = rows
        self.file_roots = [root.index for root in roots if root.kind == _FILE]
        self.signatures = [_signature(tree, i) for i in range(len(tree.directories))]
        self.matched: list[_FolderRow | None] = []
        for index, path in enumerate(tree.directories):
            row = rows.get(path)
            f0, f1 = tree.spans[index][:2]
            same = (
                trusted
                and row is not None
                and row[1] == self.signatures[index]
                and len(row[2]) == _RAW * (f1 - f0)
            )
            self.matched.append(row if same else None)
        self.hits = self.hit_bytes = 0
        # Set by `_root_digests`: each directory's raw digest, bytes and files.
        self.directories: tuple[list[bytes], list[int], list[int]] = ([], [], [])

    def fill(self, digests: list[bytes]) -> list[int]:
        """Put the digests of matched folders' files into `digests`; return the others."""
        spans, sizes = self.tree.spans, self.tree.sizes
        rest: list[int] = []
        for index, row in enumerate(self.matched):
            f0, f1 = spans[index][:2]
            if row is None:
                rest.extend(range(f0, f1))
            elif f1 > f0:
                blob = row[2]
                digests[f0:f1] = [blob[k : k + _RAW] for k in range(0, len(blob), _RAW)]
                self.hits += f1 - f0
                self.hit_bytes += sum(sizes[f0:f1])
        return rest + self.file_roots

    def matched_paths(self) -> list[bytes]:
        """The paths of every file in a matched folder."""
        paths, spans = self.tree.paths, self.tree.spans
        found: list[bytes] = []
        for index, row in enumerate(self.matched):
            if row is not None:
                found.extend(paths[spans[index][0] : spans[index][1]])
        return found

    def changes(
        self, tree: _Tree, digests: list[bytes], hashed: list[int], recent: int
    ) -> tuple[list[_FolderRow], list[bytes]]:
        """Folder rows to write (new or changed, and none with a file too recent to
        cache) and the paths of folders that are gone."""
        own_digests, own_sizes, own_files = self.directories
        save: list[_FolderRow] = []
        for index, path in enumerate(tree.directories):
            row = self.matched[index]
            mine = (own_digests[index], own_sizes[index], own_files[index])
            if row is not None and (row[3], row[4], row[5]) == mine:
                continue
            f0, f1 = tree.spans[index][:2]
            if all(_settled(tree, i, recent) and hashed[i] == tree.sizes[i] for i in range(f0, f1)):
                blob = b"".join(digests[f0:f1])
                save.append((path, self.signatures[index], blob, *mine))
        seen = set(tree.directories)
        return save, [path for path in self.rows if path not in seen]


def _signature(tree: _Tree, index: int) -> bytes:
    """What the walk saw in directory `index`: equal signatures, equal listings and stats."""
    f0, f1, d0, d1, l0, l1 = tree.spans[index]
    parts = (
        b"\0".join(tree.names[f0:f1]),
        array("q", tree.sizes[f0:f1]).tobytes(),
        array("q", tree.mtimes[f0:f1]).tobytes(),
        array("q", tree.ctimes[f0:f1]).tobytes(),
        array("Q", tree.inodes[f0:f1]).tobytes(),
        b"\0".join(tree.directory_names[d0:d1]),
        b"\0".join(tree.link_names[l0:l1]),
        b"".join(tree.links[l0:l1]),
    )
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


class _Unreadable(Exception):
    """An OSError at `path`, turned into a PathError where the roots are known."""

    def __init__(self, path: bytes, error: OSError) -> None:
        super().__init__(path, error)
        self.path = path
        self.error = error


def _digest_paths(
    paths: Sequence[str | os.PathLike[str]],
    cache: DigestCache,
    workers: int | None,
    progress: DigestProgress | None,
    rehash: bool = False,
) -> list[Digest]:
    scan_started = _clock()
    tree = _Tree()
    roots: list[_Root] = []
    named: list[tuple[str, bytes]] = []  # what the caller wrote, for messages
    try:
        for path in paths:
            given = os.fspath(path)
            resolved = _resolve(given)
            named.append((given, os.fsencode(resolved)))
            roots.append(_add_root(tree, given, resolved))
        if progress is not None:
            progress.started(len(tree.paths), sum(tree.sizes))
        folders = (
            _Folders(tree, roots, cache._load_folders(roots), trusted=not rehash)
            if cache.enabled
            else None
        )
        digests, sizes = _file_digests(
            tree, roots, cache, folders, workers, progress, scan_started, rehash
        )
    except _Unreadable as failure:
        raise _path_error(_display(failure.path, named), failure.error) from None
    results = _root_digests(tree, roots, digests, sizes, folders)
    if folders is not None:
        recent = scan_started - _RACY_NS
        cache._save([], [], *folders.changes(tree, digests, sizes, recent))
    return results


def _resolve(given: str) -> str:
    """The absolute path, parents resolved; a symbolic link itself is not followed."""
    absolute = os.path.abspath(given)
    parent, name = os.path.split(absolute)
    return os.path.join(os.path.realpath(parent), name) if name else absolute


def _add_root(tree: _Tree, given: str, path: str) -> _Root:
    raw = os.fsencode(path)
    try:
        info = os.lstat(raw)
    except OSError as error:
        raise _path_error(given, error) from None
    if stat.S_ISDIR(info.st_mode):
        return _Root(given, path, raw, _DIRECTORY, _walk(tree, raw))
    if stat.S_ISREG(info.st_mode):
        tree.paths.append(raw)
        tree.names.append(b"")
        tree.sizes.append(info.st_size)
        tree.mtimes.append(info.st_mtime_ns)
        tree.ctimes.append(info.st_ctime_ns)
        tree.inodes.append(info.st_ino)
        return _Root(given, path, raw, _FILE, len(tree.paths) - 1)
    if stat.S_ISLNK(info.st_mode):
        tree.links.append(_link_digest(raw))
        tree.link_names.append(b"")
        return _Root(given, path, raw, _SYMLINK, len(tree.links) - 1)
    raise PathError(f"path '{_printable(given)}': is not a file, directory or symlink")


def _walk(tree: _Tree, top: bytes) -> int:
    """Add the directory `top` and everything under it; return its index.

    Iterative, so that no tree is too deep for it.
    """
    paths, names, sizes, mtimes, ctimes, inodes = (
        tree.paths,
        tree.names,
        tree.sizes,
        tree.mtimes,
        tree.ctimes,
        tree.inodes,
    )
    directories, directory_names, spans = tree.directories, tree.directory_names, tree.spans
    links, link_names = tree.links, tree.link_names
    first = len(directories)
    directories.append(top)
    directory_names.append(b"")
    spans.append((0, 0, 0, 0, 0, 0))
    pending = [first]
    while pending:
        index = pending.pop()
        starts = len(paths), len(directories), len(links)
        try:
            with os.scandir(directories[index]) as scan:
                for entry in scan:
                    if entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        paths.append(entry.path)
                        names.append(entry.name)
                        sizes.append(info.st_size)
                        mtimes.append(info.st_mtime_ns)
                        ctimes.append(info.st_ctime_ns)
                        inodes.append(info.st_ino)
                    elif entry.is_dir(follow_symlinks=False):
                        pending.append(len(directories))
                        directories.append(entry.path)
                        directory_names.append(entry.name)
                        spans.append((0, 0, 0, 0, 0, 0))
                    elif entry.is_symlink():
                        links.append(_link_digest(entry.path))
                        link_names.append(entry.name)
        except OSError as error:
            failed = error.filename if isinstance(error.filename, bytes) else None
            raise _Unreadable(failed or directories[index], error) from None
        spans[index] = (starts[0], len(paths), starts[1], len(directories), starts[2], len(links))
    return first


def _link_digest(path: bytes) -> bytes:
    try:
        return hashlib.sha256(os.readlink(path)).digest()
    except OSError as error:
        raise _Unreadable(path, error) from None


def _file_digests(
    tree: _Tree,
    roots: Sequence[_Root],
    cache: DigestCache,
    folders: _Folders | None,
    workers: int | None,
    progress: DigestProgress | None,
    scan_started: int,
    rehash: bool = False,
) -> tuple[list[bytes], list[int]]:
    """Return each file's raw digest and bytes hashed, from the cache or by hashing
    (every file with `rehash`)."""
    paths, sizes, mtimes, ctimes, inodes = (
        tree.paths,
        tree.sizes,
        tree.mtimes,
        tree.ctimes,
        tree.inodes,
    )
    digests = [b""] * len(paths)
    hashed = list(sizes)
    looked_up: Sequence[int] = range(len(paths))
    if folders is not None:
        looked_up = folders.fill(digests)
        if progress is not None and folders.hits:
            progress.advanced(folders.hits, folders.hit_bytes)
    # Files of matched folders need no row of their own: read rows only for the rest.
    known = cache._load(roots) if looked_up else {}
    stale: list[bytes] = []
    if known:
        if folders is not None:
            for path in folders.matched_paths():
                known.pop(path, None)
        todo: list[int] = []
        hits = hit_bytes = 0
        lookup = known.pop
        for i in looked_up:
            path = paths[i]
            row = lookup(path, None)
            if row is None:
                todo.append(i)
            elif (
                not rehash
                and row[1] == sizes[i]
                and row[2] == mtimes[i]
                and row[3] == ctimes[i]
                and row[4] & _INODE_MASK == inodes[i]
            ):
                digests[i] = row[5]
                hits += 1
                hit_bytes += sizes[i]
            else:
                todo.append(i)
                stale.append(path)
        stale.extend(known)  # under a root, but no longer a file there
        if progress is not None and hits:
            progress.advanced(hits, hit_bytes)
    else:
        todo = list(looked_up)
    _hash_all(paths, sizes, todo, digests, hashed, workers or _workers_for(sizes, todo), progress)
    if cache.enabled:
        recent = scan_started - _RACY_NS
        rows = [
            (paths[i], sizes[i], mtimes[i], ctimes[i], _signed(inodes[i]), digests[i])
            for i in todo
            if _settled(tree, i, recent) and hashed[i] == sizes[i]
        ]
        cache._save(rows, stale)
    return digests, hashed


def _settled(tree: _Tree, index: int, recent: int) -> bool:
    """True when file `index` last changed (content or metadata) before `recent`."""
    return tree.mtimes[index] < recent and tree.ctimes[index] < recent


def _clock() -> int:
    """Now, in ns since the epoch: when a scan starts (what `_RACY_NS` is measured from)."""
    return time.time_ns()


def _workers_for(sizes: list[int], todo: list[int]) -> int:
    """One thread per CPU, unless the files are small on average: each file then costs
    more in Python (under the GIL) than in hashing, and threads only take turns."""
    if todo and sum(sizes[i] for i in todo) < _PARALLEL_MEAN * len(todo):
        return 1
    return _default_workers()


def _hash_all(
    paths: list[bytes],
    sizes: list[int],
    todo: list[int],
    digests: list[bytes],
    hashed: list[int],
    workers: int,
    progress: DigestProgress | None,
) -> None:
    """Hash the files numbered in `todo` into `digests` and `hashed`."""
    tasks = _plan(sizes, todo, workers)

    def finish(task: list[int], results: list[tuple[bytes, int]]) -> None:
        nbytes = 0
        for i, (digest, size) in zip(task, results, strict=True):
            digests[i] = digest
            hashed[i] = size
            nbytes += sizes[i]
        if progress is not None:
            progress.advanced(len(task), nbytes)

    workers = min(workers, _MAX_WORKERS, len(tasks))
    if workers <= 1:
        for task in tasks:
            finish(task, _hash_batch([paths[i] for i in task], [sizes[i] for i in task]))
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="lineage-digest") as pool:
        try:
            running = {
                pool.submit(_hash_batch, [paths[i] for i in task], [sizes[i] for i in task]): task
                for task in tasks
            }
            for done in as_completed(running):
                finish(running[done], done.result())
        finally:
            pool.shutdown(cancel_futures=True)


def _plan(sizes: list[int], todo: list[int], workers: int) -> list[list[int]]:
    """Split `todo` into tasks: each large file alone, largest first, then batches."""
    large = sorted((i for i in todo if sizes[i] >= _LARGE_FILE), key=sizes.__getitem__)
    tasks = [[i] for i in reversed(large)]
    small = [i for i in todo if sizes[i] < _LARGE_FILE] if large else todo
    least, most = _BATCH_FILES
    # Four batches a worker balance the load; more would only add overhead.
    limit = max(least, min(most, math.ceil(len(small) / (4 * workers))))
    batch: list[int] = []
    nbytes = 0
    for i in small:
        batch.append(i)
        nbytes += sizes[i]
        if len(batch) >= limit or nbytes >= _BATCH_BYTES:
            tasks.append(batch)
            batch, nbytes = [], 0
    if batch:
        tasks.append(batch)
    return tasks


def _hash_batch(paths: list[bytes], sizes: list[int]) -> list[tuple[bytes, int]]:
    """Hash files one after the other; return each raw digest and its bytes read."""
    # Small files dominate trees of many files, so their loop avoids calls and lookups.
    results: list[tuple[bytes, int]] = []
    append = results.append
    open_, read, close, sha256, flags = os.open, os.read, os.close, hashlib.sha256, _OPEN_FLAGS
    buffer: memoryview | None = None
    for path, size in zip(paths, sizes, strict=True):
        if size >= _BUFFER_SIZE:
            if buffer is None:
                buffer = memoryview(bytearray(_BUFFER_SIZE))
            append(_hash_large(path, buffer))
            continue
        try:
            descriptor = open_(path, flags)
            try:
                data = read(descriptor, size + 1)
                # A read that stops at exactly the size the walk saw is the end of file.
                if len(data) == size:
                    append((sha256(data).digest(), size))
                else:
                    append(_hash_rest(descriptor, data))
            finally:
                close(descriptor)
        except OSError as error:
            raise _Unreadable(path, error) from None
    return results


def _hash_rest(descriptor: int, data: bytes) -> tuple[bytes, int]:
    """Finish a file that was not the size the walk saw."""
    digest = hashlib.sha256(data)
    total = len(data)
    while data := os.read(descriptor, _BUFFER_SIZE):
        digest.update(data)
        total += len(data)
    return digest.digest(), total


def _hash_large(path: bytes, buffer: memoryview) -> tuple[bytes, int]:
    """Stream a file through one reused buffer, in constant memory."""
    # hashlib.file_digest measured no faster here: it reads through a 256 KiB buffer.
    digest, total = hashlib.sha256(), 0
    try:
        with open(path, "rb", buffering=0, opener=_opener) as reader:
            while count := reader.readinto(buffer):
                digest.update(buffer[:count])
                total += count
    except OSError as error:
        raise _Unreadable(path, error) from None
    return digest.digest(), total


def _opener(path: str | bytes, flags: int) -> int:
    return os.open(path, _OPEN_FLAGS)


def _root_digests(
    tree: _Tree,
    roots: Sequence[_Root],
    digests: list[bytes],
    hashed: list[int],
    folders: _Folders | None = None,
) -> list[Digest]:
    """Build directory digests bottom-up and return one Digest per root.

    A directory whose folder row matched, and all of whose subdirectories did,
    takes its digest from that row.
    """
    count = len(tree.directories)
    directory_digests = [b""] * count
    directory_sizes = [0] * count
    directory_files = [0] * count
    reused = [False] * count
    matched = folders.matched if folders is not None else [None] * count
    names, directory_names, links, link_names = (
        tree.names,
        tree.directory_names,
        tree.links,
        tree.link_names,
    )
    # Children were found after their parents, so walking backwards meets them first.
    for index in range(count - 1, -1, -1):
        f0, f1, d0, d1, l0, l1 = tree.spans[index]
        row = matched[index]
        if row is not None and all(reused[d0:d1]):
            reused[index] = True
            directory_digests[index], directory_sizes[index], directory_files[index] = row[3:]
            continue
        entries = [(n, b"f", d) for n, d in zip(names[f0:f1], digests[f0:f1], strict=True)]
        entries += [
            (n, b"d", d)
            for n, d in zip(directory_names[d0:d1], directory_digests[d0:d1], strict=True)
        ]
        entries += [(n, b"l", d) for n, d in zip(link_names[l0:l1], links[l0:l1], strict=True)]
        entries.sort()
        body = b"".join([tag + name + b"\x00" + raw for name, tag, raw in entries])
        directory_digests[index] = hashlib.sha256(body).digest()
        directory_sizes[index] = sum(hashed[f0:f1]) + sum(directory_sizes[d0:d1])
        directory_files[index] = f1 - f0 + sum(directory_files[d0:d1])
    if folders is not None:
        folders.directories = (directory_digests, directory_sizes, directory_files)
    results = []
    for root in roots:
        if root.kind == _FILE:
            raw, size, files = digests[root.index], hashed[root.index], 1
        elif root.kind == _DIRECTORY:
            raw = directory_digests[root.index]
            size, files = directory_sizes[root.index], directory_files[root.index]
        else:
            raw, size, files = tree.links[root.index], 0, 0
        results.append(Digest(root.path, _KINDS[root.kind], _PREFIX + raw.hex(), size, files))
    return results


def _path_error(shown: str, error: OSError) -> PathError:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return PathError(f"path '{_printable(shown)}': does not exist")
    reason = error.strerror or str(error)
    return PathError(f"path '{_printable(shown)}': cannot be read ({reason})")


def _display(path: bytes, named: Sequence[tuple[str, bytes]]) -> str:
    """`path` as the caller would write it: under the root they gave, if any."""
    for given, raw in named:
        if path == raw:
            return given
        prefix = raw.rstrip(b"/") + b"/"
        if path.startswith(prefix):
            return os.path.join(given, os.fsdecode(path[len(prefix) :]))
    return os.fsdecode(path)


def _printable(text: str) -> str:
    """`text` on one line: control characters and undecodable bytes escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _signed(inode: int) -> int:
    """Inode numbers can use all 64 bits; SQLite integers are signed."""
    return inode - (1 << 64) if inode >= 1 << 63 else inode


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows
        return os.cpu_count() or 1


def _default_cache_path() -> str:
    return os.path.join(os.path.expanduser("~"), ".cache", "lineage", "digests.sqlite")


def _prepare(connection: sqlite3.Connection) -> str | None:
    """Create the tables in a new database, bring an older cache up to date; return
    why an existing database is unusable."""
    # Immediate: two processes may find the same new file and both set it up.
    connection.execute("BEGIN IMMEDIATE")
    with connection:
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        (tables,) = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if application_id == 0 and version == 0 and tables == 0:
            connection.execute(_DIGEST_TABLE)
            connection.execute(_FOLDER_TABLE)
            connection.execute(f"PRAGMA application_id = {_CACHE_APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {_CACHE_SCHEMA_VERSION}")
        elif application_id != _CACHE_APPLICATION_ID:
            return "not a lineage digest cache"
        elif version in (1, 2):
            # Rows keyed without ctime would still answer for a file edited with its
            # mtime set back: they are dropped, and the next run hashes once more.
            logger.info("digest cache version %d: dropping its rows (no ctime)", version)
            connection.execute("DROP TABLE IF EXISTS digests")
            connection.execute("DROP TABLE IF EXISTS folders")
            connection.execute(_DIGEST_TABLE)
            connection.execute(_FOLDER_TABLE)
            connection.execute(f"PRAGMA user_version = {_CACHE_SCHEMA_VERSION}")
        elif version != _CACHE_SCHEMA_VERSION:
            return f"unknown cache version {version}"
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return None


def _warn(path: str, problem: object) -> None:
    logger.warning("digest cache %s: %s; hashing without it", path, problem)
