"""The sample store, reports built from it, and how they are made stable for golden files."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import lineage
from lineage.reports import Report

ROOT = Path(lineage.__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "lineage.yaml"
GOLDEN = ROOT / "tests" / "golden" / "reports"
PRODUCED_AT = datetime(2025, 7, 1, tzinfo=UTC)
TARGET = "support-assistant-v1"


def normalise(text: str, report: Report) -> str:
    """The text with what changes from one ingest to the next (the ledger) replaced."""
    return text.replace(report.ledger.hash, "<ledger-hash>").replace(
        report.ledger.recorded_at, "<ledger-recorded-at>"
    )


def pdf_text(data: bytes) -> str:
    """The text of a PDF without any whitespace, so line breaks (font metrics) do not matter."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
