"""What `lineage ingest` reads: manifests and PROV-JSON documents, told apart by content.

`load_document` parses a file once and asks each detector in turn whether the
content is its format; anything no detector claims is a manifest. `add_document`
adds a loaded document to a write transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lineage.digests import DigestCache
from lineage.ingest.manifest import add_manifest_data, parse_manifest
from lineage.ingest.prov import Recorded, add_prov_json, is_prov_json
from lineage.store.pending import Sink

MANIFEST = "manifest"

# (format, detector) in the order they are asked; the first that says yes wins.
DETECTORS: list[tuple[str, Callable[[Any], bool]]] = [
    ("prov-json", is_prov_json),
]


@dataclass(frozen=True)
class Document:
    """A parsed input file and the format its content was recognised as."""

    path: str
    format: str
    data: Any


def detect_format(data: Any) -> str:
    """The format of parsed content: the first detector's that claims it, else a manifest."""
    for format_, detect in DETECTORS:
        if detect(data):
            return format_
    return MANIFEST


def load_document(path: str) -> Document:
    """Read the file at `path` (YAML or JSON) and recognise its format by its content.

    Raises ManifestError when the file cannot be read or parsed.
    """
    data = parse_manifest(path)
    return Document(path, detect_format(data), data)


def add_documents(
    sink: Sink,
    documents: list[Document],
    *,
    cache: DigestCache | None,
    base_dir: str | None,
    recorded: Recorded | None = None,
) -> None:
    """Add everything `documents` record to `sink` (nothing lands until it commits).

    PROV-JSON documents are read together as one graph, so that an element that
    several of them describe is one record; `recorded` (see `add_prov_json`) lets
    them refer to records already in the store.
    """
    prov_documents = [(d.data, d.path) for d in documents if d.format == "prov-json"]
    for document in documents:
        if document.format == MANIFEST:
            add_manifest_data(sink, document.data, document.path, cache=cache, base_dir=base_dir)
    if prov_documents:
        add_prov_json(sink, prov_documents, recorded)
