"""Reading input files: which format a file holds, told by its content, and how it is recorded.

`load_document` tries each detector of `DETECTORS` in turn; the first that
recognises the content wins, and a file nobody recognises is read as a manifest.
A detector takes the path and the text and returns the parsed document, or None.
`INGESTERS` says how a document of each format (but manifests) is added to the
write transaction. Adding a format is one entry in each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lineage.ingest.manifest import parse_manifest, read_text
from lineage.openlineage.events import parse_json_events, validate_events
from lineage.openlineage.mapping import add_events
from lineage.store.write import Writer

Detector = Callable[[str, str], Any]
Ingester = Callable[[Writer, Any], None]


def _openlineage(path: str, text: str) -> Any:
    raw = parse_json_events(path, text)
    return None if raw is None else validate_events(path, raw)


# (format name, detector), tried in order.
DETECTORS: list[tuple[str, Detector]] = [("openlineage", _openlineage)]
# format name -> what adds a detected document to a write transaction
INGESTERS: dict[str, Ingester] = {"openlineage": add_events}


def load_document(path: str) -> tuple[str, Any]:
    """The format of the file at `path` and its parsed content: ('manifest', data),
    ('openlineage', [Event, ...]), or what another detector returns.

    Raises ManifestError or InvalidRecord naming the file, line or event, and field.
    """
    text = read_text(path)
    for name, detector in DETECTORS:
        found = detector(path, text)
        if found is not None:
            return name, found
    return "manifest", parse_manifest(path, text)
