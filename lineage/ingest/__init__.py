"""What `lineage ingest` reads: manifests, OpenLineage events, W3C PROV-JSON, SPDX 3 and
CycloneDX documents, told apart by content.

`load_document` reads a file once: OpenLineage events are recognised in the text
(a JSON object, a JSON array or newline-delimited JSON of RunEvents), PROV-JSON
in the parsed data (`detect_format`), and anything else is a manifest.
`add_documents` adds loaded documents to a write transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from lineage.digests import DigestCache
from lineage.errors import InvalidRecord
from lineage.ingest.bom import (
    DigestLookup,
    cyclonedx_manifest,
    is_cyclonedx,
    is_spdx3,
    spdx3_manifest,
)
from lineage.ingest.manifest import add_manifest_data, parse_manifest, read_text, source_name
from lineage.ingest.prov import Recorded, add_prov_json, is_prov_json
from lineage.openlineage.events import parse_json_events, validate_events
from lineage.openlineage.mapping import add_events
from lineage.validation import check_depth

if TYPE_CHECKING:
    from lineage.store.write import Writer

MANIFEST = "manifest"
OPENLINEAGE = "openlineage"
PROV_JSON = "prov-json"
SPDX3 = "spdx3"
CYCLONEDX = "cyclonedx"

# Formats recognised in parsed data, asked in order; the first that says yes wins.
DETECTORS: list[tuple[str, Callable[[Any], bool]]] = [
    (PROV_JSON, is_prov_json),
    (SPDX3, is_spdx3),
    (CYCLONEDX, is_cyclonedx),
]
BOM_READERS = {SPDX3: spdx3_manifest, CYCLONEDX: cyclonedx_manifest}


def detect_format(data: Any) -> str:
    """The format of parsed content: the first detector's that claims it, else a manifest."""
    for name, detect in DETECTORS:
        if detect(data):
            return name
    return MANIFEST


@dataclass(frozen=True)
class Document:
    """A parsed input file and the format its content was recognised as."""

    path: str
    format: str
    data: Any


def load_document(path: str, *, lenient: bool = False) -> Document:
    """The file at `path` (standard input for '-'), parsed, with its format: a manifest,
    OpenLineage events ([Event, ...]) or a PROV-JSON document.

    `lenient` accepts OpenLineage events without `schemaURL` or with an `eventTime`
    without a UTC offset, marked as such (see `validate_event`).

    Raises ManifestError or InvalidRecord naming the file, line or event, and field.
    """
    text = read_text(path)
    path = source_name(path)
    whole = None
    if text.lstrip()[:1] in ("{", "["):
        try:  # one JSON document: parsed once, whatever it turns out to be
            whole = orjson.loads(text)
        except orjson.JSONDecodeError:
            whole = None
    raw = parse_json_events(path, text, whole)
    if raw is not None:
        return Document(path, OPENLINEAGE, validate_events(path, raw, lenient=lenient))
    data = whole if whole is not None else parse_manifest(path, text)
    found = detect_format(data)
    if found in (PROV_JSON, SPDX3, CYCLONEDX):
        # Manifests need no walk of their own: YAML's loader refuses deep nesting, orjson
        # stops at 1,024 levels, and their free-form attrs and params are checked as
        # they are validated (a walk of a large manifest costs as much as parsing it).
        check_depth(data, path)
    return Document(path, found, data)


def read_bom(document: Document, lookup: DigestLookup) -> dict[str, Any]:
    """The manifest data an SPDX 3 or CycloneDX document records; a document whose parts
    are not what the standard says (a list where an object belongs, a missing key) is
    refused in one line."""
    what = "SPDX 3" if document.format == SPDX3 else "CycloneDX"
    try:
        return BOM_READERS[document.format](document.data, document.path, lookup)
    except (KeyError, IndexError) as error:
        problem = f"a required field {error.args[0]!r} is missing"
    except (TypeError, AttributeError, ValueError) as error:
        problem = f"a field has the wrong type ({error})"
    raise InvalidRecord(f"{document.path}: not a valid {what} document: {problem}")


def add_documents(
    sink: Writer,
    documents: list[Document],
    *,
    cache: DigestCache | None,
    base_dir: str | None,
    recorded: Recorded | None = None,
    by_digest: DigestLookup | None = None,
) -> None:
    """Add everything `documents` record to `sink` (nothing lands until it commits).

    SPDX 3 and CycloneDX documents are added as the manifests they amount to;
    `by_digest` finds records already stored under a digest (identity merging).

    PROV-JSON documents are read together as one graph, so that an element that
    several of them describe is one record; `recorded` (see `add_prov_json`) lets
    them refer to records already in the store.
    """
    prov_documents = [(d.data, d.path) for d in documents if d.format == PROV_JSON]
    for document in documents:
        if document.format == MANIFEST:
            add_manifest_data(sink, document.data, document.path, cache=cache, base_dir=base_dir)
        elif document.format == OPENLINEAGE:
            add_events(sink, document.data)
        elif document.format in BOM_READERS:
            manifest = read_bom(document, by_digest or (lambda digests: {}))
            add_manifest_data(sink, manifest, document.path, cache=cache, base_dir=base_dir)
    if prov_documents:
        add_prov_json(sink, prov_documents, recorded)
