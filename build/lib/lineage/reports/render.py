"""Lay out a built report in one of the formats `lineage report --format` offers."""

from __future__ import annotations

from lineage.checks.trail import bulk_work
from lineage.errors import InvalidRecord
from lineage.reports.model import Report
from lineage.reports.render_html import render_html
from lineage.reports.render_json import json_bytes
from lineage.reports.render_md import render_markdown
from lineage.reports.render_pdf import render_pdf

FORMATS = ("md", "html", "json", "pdf")
"""Markdown, self-contained HTML, JSON (see report.schema.json) and PDF."""


def render_report(report: Report, fmt: str = "md", *, svg: str | None = None) -> bytes:
    """The report laid out as `fmt`, as bytes (UTF-8 text, or a PDF document).

    `svg` is the lineage diagram to embed in HTML and PDF (see `upstream_svg`).
    Raises InvalidRecord for an unknown format, PdfUnavailable when PDF output
    cannot be made here.

    Example:
        report = build_report(store, "support-assistant-v1")
        Path("trail.html").write_bytes(render_report(report, "html"))
    """
    with bulk_work():
        return _render(report, fmt, svg)


def _render(report: Report, fmt: str, svg: str | None) -> bytes:
    if fmt == "md":
        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        return render_html(report, svg=svg).encode("utf-8")
    if fmt == "json":
        return json_bytes(report)
    if fmt == "pdf":
        return render_pdf(report, svg=svg)
    raise unknown_format(fmt)


def unknown_format(fmt: str) -> InvalidRecord:
    """The error for a report format that is not one of FORMATS."""
    return InvalidRecord(f"unknown report format {fmt!r}; the formats are: {', '.join(FORMATS)}")
