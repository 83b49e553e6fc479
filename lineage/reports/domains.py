"""How much content a crawl took from each domain, for the EU summary's ranked domain list.

A crawled source can name a CSV of per-domain sizes in `attrs.domain_sizes`
(columns `domain`, `bytes` and optionally `records`; a path relative to the
manifest's folder), and `lineage report --domain-sizes FILE` gives one CSV for
all crawled content. Without either, sizes are computed from the crawled files
under the source's `path`: every JSON Lines record with a `url` counts towards
that URL's host, by the UTF-8 size of its `text` (or of the whole record when it
has no `text`).

The template counts domains "at the top and second-level domain": each host is
reduced to its registrable domain with the Public Suffix List (its ICANN section,
as bundled with `publicsuffixlist`; nothing is fetched), so `www.x.example` and
`support.x.example` both count as `x.example`, and `a.b.co.uk` as `b.co.uk`.
"""

from __future__ import annotations

import csv
import functools
import ipaddress
import json
import logging
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from lineage.digests import digest_path
from lineage.errors import InvalidRecord
from lineage.store.data_root import real_path

logger = logging.getLogger(__name__)

_CRAWL_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass(frozen=True)
class DomainSize:
    """Content taken from one domain."""

    domain: str
    bytes: int
    records: int | None


@dataclass(frozen=True)
class DomainSizes:
    """Per-domain sizes of one crawled source, and how they were obtained."""

    source: str
    domains: tuple[DomainSize, ...]
    method: str
    """'recorded in PATH (sha256:...)' or 'computed from N crawled files'."""


def sizes_of_source(
    node: str, facts: Mapping[str, Any], root: str | None = None
) -> DomainSizes | None:
    """The per-domain sizes of crawled source `node`, or None when they cannot be had.

    A relative recorded path is read below the data root `root`."""
    attrs = facts.get("attrs") or {}
    shown = facts.get("path")
    path = real_path(shown, root) if isinstance(shown, str) else shown
    named = attrs.get("domain_sizes") if isinstance(attrs, dict) else None
    if isinstance(named, str) and named:
        found = _locate(named, path)
        if found is None:
            logger.warning("%s: domain sizes file %r not found", node, named)
            return None
        return read_domain_sizes(found, node, named)
    if not path or not os.path.exists(path):
        return None
    totals: dict[str, list[int]] = {}
    files = 0
    for name in _crawl_files(str(path)):
        files += 1
        for domain, size in _records_of(name):
            entry = totals.setdefault(domain, [0, 0])
            entry[0] += size
            entry[1] += 1
    if not totals:
        return None
    domains = tuple(DomainSize(d, b, r) for d, (b, r) in totals.items())
    return DomainSizes(node, domains, f"computed from {files} crawled files under {shown}")


def read_domain_sizes(path: str, source: str, shown: str | None = None) -> DomainSizes:
    """The per-domain sizes in the CSV at `path` (columns domain, bytes, records).

    Raises InvalidRecord naming the file and line of the first bad row.
    """
    try:
        domains = tuple(_read_csv(path))
        digest = digest_path(path).digest
    except OSError as error:
        raise InvalidRecord(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise InvalidRecord(f"{path}: not UTF-8 text ({error.reason})") from None
    return DomainSizes(source, domains, f"recorded in {shown or path} ({digest})")


@functools.cache
def _suffixes() -> PublicSuffixList:
    # The list bundled with the package, ICANN section only: private suffixes such
    # as github.io are hosting services, not the "top-level domain" of the template.
    return PublicSuffixList(only_icann=True)


def registrable_domain(host: str) -> str:
    """`host` reduced to its top and second-level domain, public-suffix aware.

    An IP address, a bare public suffix or a single label stays as it is.
    """
    name = host.strip().rstrip(".").lower()
    try:
        ipaddress.ip_address(name.strip("[]"))
        return name
    except ValueError:
        pass
    return _suffixes().privatesuffix(name) or name


def ranked(parts: Iterable[DomainSizes]) -> list[DomainSize]:
    """Registrable domains of all parts, sizes added up, largest first (ties by name)."""
    totals: dict[str, list[int | None]] = {}
    for part in parts:
        for entry in part.domains:
            have = totals.setdefault(registrable_domain(entry.domain), [0, 0])
            have[0] = (have[0] or 0) + entry.bytes
            have[1] = (
                None if have[1] is None or entry.records is None else (have[1] + entry.records)
            )
    rows = [DomainSize(domain, int(b or 0), r) for domain, (b, r) in totals.items()]
    return sorted(rows, key=lambda row: (-row.bytes, row.domain))


def top_share(count: int, *, sme: bool) -> int:
    """How many of `count` domains the summary lists.

    The top 10% of all domain names by size of content (at least one); for small
    and medium-sized enterprises the top 5% or 1,000, whichever is lower.
    """
    if count == 0:
        return 0
    if sme:
        return max(1, min(1000, math.ceil(count * 0.05)))
    return max(1, math.ceil(count * 0.10))


def _locate(named: str, source_path: object) -> str | None:
    """Find a file named relative to the manifest, knowing only the source's own path.

    The manifest's folder is not recorded; the source's path was recorded relative
    to the working folder, and the manifest's folder is one of its ancestors.
    """
    if os.path.isabs(named):
        return named if os.path.isfile(named) else None
    candidates = [named]
    if isinstance(source_path, str) and source_path:
        folder = os.path.normpath(source_path)
        while True:
            candidates.append(os.path.join(folder, named))
            parent = os.path.dirname(folder)
            if parent == folder or not parent:
                break
            folder = parent
    return next((c for c in candidates if os.path.isfile(c)), None)


def _read_csv(path: str) -> Iterator[DomainSize]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"domain", "bytes"} <= set(reader.fieldnames):
            raise InvalidRecord(
                f"{path}:1: a domain sizes file needs the columns domain and bytes "
                "(and optionally records)"
            )
        try:
            for row in reader:
                line = reader.line_num
                if None in row:
                    raise InvalidRecord(f"{path}:{line}: more fields than the header names")
                domain = (row.get("domain") or "").strip()
                if not domain:
                    raise InvalidRecord(f"{path}:{line}: field 'domain' is empty")
                yield DomainSize(
                    domain,
                    _count(path, line, "bytes", row.get("bytes")),
                    _count(path, line, "records", row.get("records"))
                    if row.get("records")
                    else None,
                )
        except csv.Error as error:
            raise InvalidRecord(f"{path}:{reader.line_num}: not valid CSV ({error})") from None


def _count(path: str, line: int, field: str, text: str | None) -> int:
    try:
        value = int((text or "").strip())
    except ValueError:
        raise InvalidRecord(
            f"{path}:{line}: field {field!r}: {text!r} is not a whole number"
        ) from None
    if value < 0:
        raise InvalidRecord(f"{path}:{line}: field {field!r}: {value} is negative")
    return value


def _crawl_files(path: str) -> Iterator[str]:
    if os.path.isfile(path):
        yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(_CRAWL_SUFFIXES):
                yield os.path.join(folder, name)


def _records_of(path: str) -> Iterator[tuple[str, int]]:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                url = record.get("url") if isinstance(record, dict) else None
                host = urlsplit(url).hostname if isinstance(url, str) else None
                if not host:
                    continue
                text = record.get("text")
                size = len((text if isinstance(text, str) else line).encode("utf-8"))
                yield host, size
    except (OSError, UnicodeDecodeError) as error:
        logger.warning("cannot read crawled file %s: %s", path, error)
