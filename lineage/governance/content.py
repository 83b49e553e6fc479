"""`lineage verify`: hash every recorded file and folder again, and record what was found.

Each run re-hashes the paths recorded on sources, datasets and models (upstream of
a target, or all of them), through the digest cache so that an unchanged tree
costs a `stat` per file, and compares them with the recorded digests. The result
is itself a record (kind `verification`) written through the one write path: when
it ran, what it checked, and the outcome per record. A folder found intact keeps
the digest of each of its files in that record, so a later run can name the files
inside it that changed, appeared or disappeared.

The digest cache is local and writable by whoever runs `lineage`: a run that
trusts it trusts that file. A full run hashes every file and ignores the cache
(`full`); a cached run becomes a full one when some record in its scope has not
been hashed by a full run within `full_every` (default 7 days). The record of each
run says which it was (`attrs.full`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from lineage.digests import DEFAULT_FULL_EVERY, Digest, digest_paths
from lineage.errors import InvalidRecord, PathError
from lineage.governance.records import RecordedCheck, full_checks_since, latest_checks
from lineage.graph.closure import closure, versions_of
from lineage.store.data_root import current_data_root, real_path
from lineage.store.engine import fetch_rows
from lineage.store.ledger import ledger_time
from lineage.store.pending import Batch, PendingEdge, PendingNode
from lineage.validation import canonical_json, utc_text
from lineage.vocabulary import ENTITY_KINDS, Relation

if TYPE_CHECKING:  # the API sits above; only its type is needed here
    from lineage.api import Store

logger = logging.getLogger(__name__)

ContentStatus = Literal["matching", "changed", "missing", "unreadable"]
MAX_LISTED_FILES = 10_000
"""Folders with more files keep no per-file digests: a change is reported for the folder."""

MAX_INTERVAL = timedelta(days=36500)
"""The longest interval parse_interval accepts (100 years); 'never' turns scheduling off."""

_INTERVAL = re.compile(r"(\d+)\s*([smhdw])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def parse_interval(text: str, what: str = "interval") -> timedelta | None:
    """'7d', '12h', '2w', '30m', '90s' (or a sum such as '1d12h') as a timedelta;
    'never' as None. Raises InvalidRecord naming `what` otherwise, and for an interval
    longer than MAX_INTERVAL.

    Example:
        parse_interval("7d")  # timedelta(days=7)
    """
    cleaned = text.strip().lower()
    if cleaned == "never":
        return None
    parts = _INTERVAL.findall(cleaned)
    if not parts or _INTERVAL.sub("", cleaned).strip():
        raise InvalidRecord(
            f"{what} {text[:100]!r} is not an interval: write e.g. 7d, 12h, 2w, 30m or never"
        )
    # Whole seconds as a Python int: timedelta and datetime arithmetic overflow (and
    # int() refuses thousands of digits) long before a text this short runs out.
    limit = int(MAX_INTERVAL.total_seconds())
    seconds = 0
    for amount, unit in parts:
        digits = amount.lstrip("0") or "0"
        seconds += int(digits) * _SECONDS[unit] if len(digits) <= 12 else limit + 1
    if seconds <= 0:
        raise InvalidRecord(f"{what} {text[:100]!r}: an interval longer than 0 is needed")
    if seconds > limit:
        raise InvalidRecord(
            f"{what} {text[:100]!r} is too long: an interval is at most 100 years "
            f"({MAX_INTERVAL.days}d), or never"
        )
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class ContentCheck:
    """One record's recorded content, hashed again."""

    record: str
    path: str
    recorded: str
    status: ContentStatus
    found: str | None = None
    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    problem: str | None = None
    files: dict[str, str] | None = field(default=None, repr=False, compare=False)
    files_in: str | None = None
    """The earlier verification that already holds the same `files` (not stored again)."""

    def to_data(self) -> dict[str, Any]:
        """The check as JSON data (without the per-file baseline)."""
        return {
            "record": self.record,
            "path": self.path,
            "status": self.status,
            "recorded": self.recorded,
            "found": self.found,
            "changed": list(self.changed),
            "added": list(self.added),
            "removed": list(self.removed),
            "problem": self.problem,
        }


@dataclass(frozen=True)
class ContentVerification:
    """The outcome of one `lineage verify`, as recorded in the store."""

    target: str | None
    record: str
    """'verification:NAME', the record of this run."""
    started: str
    ended: str
    checks: tuple[ContentCheck, ...]
    without_path: tuple[str, ...]
    """Records in scope that have no recorded path, so nothing to re-hash."""
    ledger_seq: int | None
    ledger_hash: str | None
    full: bool = False
    """True when every file was hashed, the digest cache ignored (see `verify_content`)."""

    @property
    def ok(self) -> bool:
        """True when every recorded path still hashes to its recorded digest."""
        return all(check.status == "matching" for check in self.checks)

    def counts(self) -> dict[str, int]:
        statuses = ("matching", "changed", "missing", "unreadable")
        return {s: sum(1 for c in self.checks if c.status == s) for s in statuses}

    def to_data(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "ok": self.ok,
            "record": self.record,
            "started": self.started,
            "ended": self.ended,
            "counts": self.counts(),
            "full": self.full,
            "checks": [c.to_data() for c in self.checks],
            "without_path": list(self.without_path),
            "ledger": {"seq": self.ledger_seq, "hash": self.ledger_hash},
        }


def _refuse_wrong_folder(checks: tuple[ContentCheck, ...]) -> None:
    """Refuse to record a run in which no relative path can even begin to be found.

    Relative paths recorded without a data root are read from the folder lineage runs
    in (releases before schema 6 recorded them so). When every one is
    missing and not even the first folder of any of them exists here, lineage is
    running somewhere else, not looking at deleted data: recording that as drift
    would stay in the append-only store for good.
    """
    relative = [c for c in checks if not os.path.isabs(c.path)]
    if not relative or any(c.status != "missing" for c in checks):
        return
    if any(os.path.lexists(c.path.split(os.sep, 1)[0]) for c in relative):
        return
    raise PathError(
        f"none of the {len(checks)} recorded paths exists from {os.getcwd()}: relative "
        f"paths such as {relative[0].path!r} are read from the folder they were recorded "
        "in; run lineage verify there (nothing was recorded)"
    )


def verify_content(
    store: Store,
    target: str | None = None,
    *,
    full: bool = False,
    full_every: timedelta | None = DEFAULT_FULL_EVERY,
) -> ContentVerification:
    """Re-hash every recorded path upstream of `target` (all, without one) and record it.

    Unchanged files are answered by the digest cache, unless `full` (every file is
    hashed, and the cache rewritten) or unless some record in scope has not been
    hashed by a full run within `full_every` (None: only when `full`). Relative
    paths are read below the store's data root (without one, from the current
    folder, where releases before schema 6 recorded them). Raises
    UnknownNode when `target` was never recorded.

    Example:
        result = verify_content(store, "support-assistant-v1")
        [c.record for c in result.checks if c.status != "matching"]
        verify_content(store, full_every=timedelta(days=1))  # a full pass daily
    """
    started = datetime.now(UTC)
    database = store.database
    with database.read() as connection:
        if target is not None:
            start, kind, name = database.resolve(connection, target)
            ids = {start, *closure(connection, start, "upstream").ids}
            versions = versions_of(connection, ids)
            target_key: str | None = f"{kind}:{name}"
        else:
            versions = _all_entities(connection)
            target_key = None
        entities = {
            f"{row['kind']}:{row['name']}": row
            for row in versions.values()
            if row["kind"] in ENTITY_KINDS
        }
        baselines = latest_checks(connection, entities)
        with_path = {key: row for key, row in entities.items() if row.get("path") and row["digest"]}
        root = current_data_root(connection)
        if not full and full_every is not None and with_path:
            # An interval reaching before year 1 (the API takes any timedelta) counts
            # every full pass ever recorded.
            reach = started - _EARLIEST
            since = ledger_time(started - full_every if full_every < reach else _EARLIEST)
            hashed = full_checks_since(connection, since)
            full = any(key not in hashed for key in with_path)
    checks = tuple(
        sorted(_check_all(store, with_path, baselines, full, root), key=lambda c: c.record)
    )
    _refuse_wrong_folder(checks)
    ended = datetime.now(UTC)
    without = tuple(sorted(key for key in entities if key not in with_path))
    name = (
        f"verify-{(target_key or 'all').replace(':', '-')}-{started.strftime('%Y%m%dT%H%M%S%fZ')}"
    )
    batch = Batch(f"verify {target_key or 'all records'}")
    outcome = "clean" if all(c.status == "matching" for c in checks) else "drift"
    counts: dict[str, int] = {s: sum(1 for c in checks if c.status == s) for s in _STATUSES}
    attrs = {
        "target": target_key,
        "full": full,
        "counts": counts,
        "without_path": len(without),
        "results": {c.record: _result_data(c) for c in checks},
    }
    batch.add_node(
        PendingNode(
            "verification",
            name,
            {
                "status": outcome,
                "started": utc_text(started),
                "ended": utc_text(ended),
                "description": _describe(target_key, counts),
                "attrs": canonical_json(attrs),
            },
        )
    )
    about = {c.record for c in checks} | ({target_key} if target_key else set())
    for key in sorted(about):
        kind, _, record_name = key.partition(":")
        batch.add_edge(
            PendingEdge(("verification", name), (kind, record_name), Relation.WAS_DERIVED_FROM)
        )
    written = database.commit(batch)
    return ContentVerification(
        target=target_key,
        record=f"verification:{name}",
        started=utc_text(started),
        ended=utc_text(ended),
        checks=checks,
        without_path=without,
        ledger_seq=written.ledger_seq,
        ledger_hash=written.ledger_hash,
        full=full,
    )


_STATUSES: tuple[ContentStatus, ...] = ("matching", "changed", "missing", "unreadable")


def _describe(target: str | None, counts: dict[str, int]) -> str:
    scope = f"upstream of {target}" if target else "of every record"
    found = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing to check"
    return f"recorded contents {scope} re-hashed: {found}"


def _result_data(check: ContentCheck) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": check.status,
        "path": check.path,
        "recorded": check.recorded,
        "found": check.found,
    }
    for key in ("changed", "added", "removed"):
        if getattr(check, key):
            data[key] = list(getattr(check, key))
    if check.problem:
        data["problem"] = check.problem
    if check.files_in is not None:
        data["files_in"] = check.files_in
    elif check.files is not None:
        data["files"] = check.files
    return data


def _all_entities(connection: Any) -> dict[int, dict[str, Any]]:
    """The version in force of every source, dataset and model."""
    rows = fetch_rows(
        connection,
        "SELECT node_id FROM node WHERE version = 1 AND kind IN ('source', 'dataset', 'model')",
        {},
    )
    return versions_of(connection, {row[0] for row in rows})


def _check_all(
    store: Store,
    records: dict[str, dict[str, Any]],
    baselines: dict[str, RecordedCheck],
    full: bool,
    root: str | None,
) -> Iterator[ContentCheck]:
    present: dict[str, str] = {}
    for key in sorted(records):
        row = records[key]
        path = real_path(str(row["path"]), root)
        if not os.path.lexists(path):
            yield ContentCheck(key, path, row["digest"], "missing", problem=f"{path} is gone")
        else:
            present[key] = path
    found: dict[str, Digest] = {}
    keys = sorted(present)
    try:
        found = dict(
            zip(
                keys,
                digest_paths([present[k] for k in keys], cache=store.cache, rehash=full),
                strict=True,
            )
        )
    except PathError:
        # One unreadable path fails the whole batch; find which, one by one.
        for key in keys:
            try:
                found[key] = digest_paths([present[key]], cache=store.cache, rehash=full)[0]
            except PathError as error:
                logger.warning("cannot hash %s: %s", present[key], error)
                yield ContentCheck(
                    key, present[key], records[key]["digest"], "unreadable", problem=str(error)
                )
    for key in keys:
        if key not in found:
            continue
        digest = found[key]
        recorded = str(records[key]["digest"])
        files = _file_digests(store, digest) if digest.kind == "directory" else None
        baseline = baselines.get(key)
        if digest.digest == recorded:
            # The same files as the baseline: refer to the run that stored them, so that a
            # daily verification of a large folder does not store its listing every day.
            same = (
                baseline is not None
                and baseline.files == files
                and baseline.recorded == recorded
                and baseline.files_in is not None
            )
            yield ContentCheck(
                key,
                present[key],
                recorded,
                "matching",
                digest.digest,
                files=files,
                files_in=baseline.files_in if same and baseline else None,
            )
            continue
        changed: tuple[str, ...] = ()
        added: tuple[str, ...] = ()
        removed: tuple[str, ...] = ()
        if (
            files is not None
            and baseline is not None
            and baseline.files is not None
            and baseline.recorded == recorded
        ):
            before = baseline.files
            changed = tuple(sorted(f for f in files if f in before and files[f] != before[f]))
            added = tuple(sorted(f for f in files if f not in before))
            removed = tuple(sorted(f for f in before if f not in files))
        yield ContentCheck(
            key, present[key], recorded, "changed", digest.digest, changed, added, removed
        )


def _file_digests(store: Store, folder: Digest) -> dict[str, str] | None:
    """Each file's digest under `folder` (relative '/'-separated names), or None if too many."""
    if folder.files > MAX_LISTED_FILES:
        return None
    names: list[str] = []
    paths: list[str] = []
    for path in _walk(folder.path):
        names.append(os.path.relpath(path, folder.path).replace(os.sep, "/"))
        paths.append(path)
    if not paths:
        return {}
    try:
        digests = digest_paths(paths, cache=store.cache)
    except PathError as error:
        logger.warning("cannot list the files of %s: %s", folder.path, error)
        return None
    return {name: digest.digest for name, digest in zip(names, digests, strict=True)}


def _walk(top: str) -> Iterator[str]:
    """Files and symbolic links under `top`, never following links (as the digest does)."""
    with os.scandir(top) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_symlink() or entry.is_file(follow_symlinks=False):
                yield entry.path
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
