"""Reports on a target's paper trail: built as data (`build_report`), then rendered.

report = build_report(store, "support-assistant-v1", template="eu-ai-act")
render_report(report, "html")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lineage.reports.build import (
        TEMPLATES,
        build_report,
        build_report_with_trail,
        report_from_trail,
    )
    from lineage.reports.claims import TemplateOptions
    from lineage.reports.model import (
        Claim,
        Field,
        Fields,
        Gap,
        Ledger,
        Paragraph,
        RecordRef,
        Report,
        Section,
        Table,
    )
    from lineage.reports.produce import prepare_report, produce_report
    from lineage.reports.render import FORMATS, render_report
    from lineage.reports.render_html import upstream_svg
    from lineage.reports.render_json import SCHEMA_ID, report_data, write_json
    from lineage.reports.render_pdf import PdfUnavailable

__all__ = [
    "FORMATS",
    "SCHEMA_ID",
    "TEMPLATES",
    "Claim",
    "Field",
    "Fields",
    "Gap",
    "Ledger",
    "Paragraph",
    "PdfUnavailable",
    "RecordRef",
    "Report",
    "Section",
    "Table",
    "TemplateOptions",
    "build_report",
    "build_report_with_trail",
    "prepare_report",
    "produce_report",
    "render_report",
    "report_data",
    "report_from_trail",
    "upstream_svg",
    "write_json",
]

# Loaded on first use (PEP 562): `lineage.reports.escape`, which every command prints
# through, must not load the report builders and renderers (issue 17).
_MODULES: dict[str, tuple[str, ...]] = {
    "lineage.reports.build": (
        "TEMPLATES",
        "build_report",
        "build_report_with_trail",
        "report_from_trail",
    ),
    "lineage.reports.claims": ("TemplateOptions",),
    "lineage.reports.model": (
        "Claim",
        "Field",
        "Fields",
        "Gap",
        "Ledger",
        "Paragraph",
        "RecordRef",
        "Report",
        "Section",
        "Table",
    ),
    "lineage.reports.produce": ("prepare_report", "produce_report"),
    "lineage.reports.render": ("FORMATS", "render_report"),
    "lineage.reports.render_html": ("upstream_svg",),
    "lineage.reports.render_json": ("SCHEMA_ID", "report_data", "write_json"),
    "lineage.reports.render_pdf": ("PdfUnavailable",),
}
_ORIGIN = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _ORIGIN:
        raise AttributeError(f"module 'lineage.reports' has no attribute {name!r}")
    value = getattr(importlib.import_module(_ORIGIN[name]), name)
    globals()[name] = value
    return value
