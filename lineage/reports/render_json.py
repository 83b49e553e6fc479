"""Render a report as JSON, stable for machines; its shape is `report.schema.json`."""

from __future__ import annotations

from typing import Any

import orjson

from lineage.reports.model import Block, Claim, Fields, Listing, Paragraph, Report, Section, Table

SCHEMA_ID = "https://lineage.example/schemas/report-1.json"
"""The `$schema` every JSON report names: `lineage/reports/report.schema.json`."""


def _claim(claim: Claim) -> dict[str, Any]:
    return {"text": claim.text, "status": claim.status, "refs": list(claim.refs)}


def _rows(rows: tuple[tuple[Claim, ...], ...]) -> list[list[dict[str, Any]]]:
    # Claims without refs are shared between rows (see Draft); orjson writes a shared
    # dict as often as it is referenced, so each is converted once. It writes refs, a
    # tuple, as an array.
    cached: dict[int, dict[str, Any]] = {}
    out = []
    for row in rows:
        cells = []
        for cell in row:
            text, refs, status = cell
            if refs:
                cells.append({"text": text, "status": status, "refs": refs})
                continue
            found = cached.get(id(cell))
            if found is None:
                found = cached[id(cell)] = {"text": text, "status": status, "refs": refs}
            cells.append(found)
        out.append(cells)
    return out


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Fields):
        return {
            "kind": "fields",
            "fields": [{"key": f.key, "label": f.label, **_claim(f.claim)} for f in block.fields],
        }
    if isinstance(block, Table):
        return {
            "kind": "table",
            "keys": list(block.keys),
            "columns": list(block.columns),
            "title_column": block.title_column,
            "rows": _rows(block.rows),
        }
    if isinstance(block, Listing):
        return {"kind": "listing", "of": block.of}
    assert isinstance(block, Paragraph)
    return {"kind": "paragraph", "text": block.text}


def _section(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "blocks": [_block(b) for b in section.blocks],
        "sections": [_section(s) for s in section.sections],
    }


def report_data(report: Report) -> dict[str, Any]:
    """The report as plain JSON data, keys in a fixed order."""
    return {
        "$schema": SCHEMA_ID,
        "template": report.template,
        "title": report.title,
        "target": report.target,
        "produced_at": report.produced_at,
        "as_of": report.as_of,
        "ledger": {
            "seq": report.ledger.seq,
            "hash": report.ledger.hash,
            "recorded_at": report.ledger.recorded_at,
        },
        "notes": list(report.notes),
        "sections": [_section(s) for s in report.sections],
        "findings": [f.to_data() for f in report.findings],
        # Unpacked: a gap and a record cited are named tuples, half a million of them.
        "gaps": [
            {"subject": subject, "field": field, "question": question, "section": section}
            for subject, field, question, section in report.gaps
        ],
        "records": [
            {
                "id": id,
                "kind": kind,
                "name": name,
                "version": version,
                "seal": seal,
                "digest": digest,
                "digest_status": status,
            }
            for id, kind, name, version, seal, digest, status in report.records
        ],
    }


def render_json(report: Report) -> str:
    """The report as indented JSON text (UTF-8, keys in a fixed order)."""
    return json_bytes(report).decode()


def json_bytes(report: Report) -> bytes:
    """`render_json` encoded as UTF-8, without decoding the text and encoding it again
    (a JSON report of 100,000 records is 350 MB)."""
    # orjson: the standard library's encoder falls back to pure Python when indenting,
    # about 20 times slower on a report of 100,000 records.
    return orjson.dumps(report_data(report), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
