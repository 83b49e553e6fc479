"""Reports on a target's paper trail: built as data (`build_report`), then rendered.

report = build_report(store, "support-assistant-v1", template="eu-ai-act")
render_report(report, "html")
"""

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
from lineage.reports.produce import produce_report
from lineage.reports.render import FORMATS, render_report
from lineage.reports.render_html import upstream_svg
from lineage.reports.render_json import SCHEMA_ID, report_data
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
    "produce_report",
    "render_report",
    "report_data",
    "report_from_trail",
    "upstream_svg",
]
