"""Render a report as PDF, from its HTML, with WeasyPrint."""

from __future__ import annotations

import warnings

from lineage.errors import LineageError
from lineage.reports.model import Report
from lineage.reports.render_html import render_html


class PdfUnavailable(LineageError):
    """PDF output needs WeasyPrint and the Pango libraries it draws text with."""


def render_pdf(report: Report, *, svg: str | None = None) -> bytes:
    """The report as a PDF document (A4, from the print layout of the HTML report).

    Raises PdfUnavailable, saying what to install, when WeasyPrint or its system
    libraries are missing.
    """
    with warnings.catch_warnings():
        # Without libharfbuzz-subset WeasyPrint warns, when imported, that a future
        # version will need it; this one subsets fonts with fontTools instead.
        warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset", category=DeprecationWarning)
        try:
            # Imported here: WeasyPrint loads Pango through cffi when imported, and only
            # PDF output needs it.
            import weasyprint
        except ImportError:
            raise PdfUnavailable(
                "PDF output needs WeasyPrint: pip install 'lineage[pdf]' (or use --format "
                "html and print it to PDF)"
            ) from None
        except OSError as error:
            raise PdfUnavailable(
                f"WeasyPrint cannot load its system libraries ({error}): install Pango, e.g. "
                "'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0' on Debian or Ubuntu, "
                "'brew install pango' on macOS"
            ) from None
    html = render_html(report, svg=svg)
    pdf = weasyprint.HTML(string=html, base_url=None).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
