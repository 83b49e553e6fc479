"""Render a report as one self-contained, print-friendly HTML page."""

from __future__ import annotations

import base64
import functools
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import jinja2
import networkx as nx
from markupsafe import Markup

from lineage.checks import Finding
from lineage.errors import LineageError
from lineage.reports.escape import html_text
from lineage.reports.layout import (
    JSON_POINTER,
    MANUAL,
    UNKNOWN,
    cut,
    finding_groups,
    fold_note,
    gap_groups,
    is_literal,
    is_wide,
    laid_out,
    row_refs,
    shown_records,
    shown_refs,
    some,
)
from lineage.reports.model import Claim, Report, Table

if TYPE_CHECKING:  # the API sits above the reports; only its type is needed here
    from lineage.api import Store
    from lineage.diagrams import Diagram

logger = logging.getLogger(__name__)


_MANUAL = f'<span class="manual">{MANUAL}</span>'
_UNKNOWN = f'<span class="gap">{UNKNOWN}</span>'


_esc = functools.lru_cache(maxsize=1 << 16)(html_text)


def _text(value: object) -> Markup:
    return Markup(_esc(value))


class _Page:
    """Lays out the parts of one report. Every method returns HTML built only from
    `_esc`-escaped text and fixed markup; the template marks it safe once."""

    def __init__(self, report: Report) -> None:
        self.report = report
        # Only the records listed under 'Records cited' have an anchor to link to.
        self.shown, self.left = shown_records(report)
        self.anchors = {record.id: f"r-{index}" for index, record in enumerate(self.shown)}
        self._links: dict[str, str] = {}

    def link(self, ref: str) -> str:
        # A record is linked from every claim that cites it: lay each link out once.
        found = self._links.get(ref)
        if found is None:
            anchor = self.anchors.get(ref)
            code = f"<code>{_esc(ref)}</code>"
            found = f'<a class="ref" href="#{anchor}">{code}</a>' if anchor else code
            self._links[ref] = found
        return found

    def links(self, ids: Sequence[str], separator: str = " -> ") -> str:
        return _esc(separator).join(self.link(ref) for ref in ids)

    def some_links(self, ids: Sequence[str]) -> str:
        """The first `SHOWN_IDS` of a long list of records, linked, and how many more."""
        shown, more = some(ids)
        tail = f" and {more:,} more ({_esc(JSON_POINTER)})" if more else ""
        return self.links(shown, ", ") + tail

    def claim(self, value: Claim, implied: tuple[str, ...] = ()) -> str:
        if value.text is None:
            return _MANUAL if value.status == "manual" else _UNKNOWN
        text = _esc(cut(value.text))
        if is_literal(value):
            text = f"<code>{text}</code>"
        if value.status == "derived" and value.text in ("error", "warning", "info"):
            text = f'<span class="sev-{value.text}">{text}</span>'
        refs, more = shown_refs(value, implied)
        if refs:
            tail = f" and {more} more" if more else ""
            text = f'{text} <span class="refs">({self.links(refs, ", ")}{tail})</span>'
        return text

    def table(self, block: Table, level: int) -> str:
        """A table: a grid when narrow, else one card per row (a million cells is
        common in a large report, so this is plain string formatting, not a template)."""
        parts: list[str] = []
        title = block.title_column
        cached: dict[tuple[str | None, str], str] = {}
        laid = laid_out(block, self.report.families)

        def cell(value: Claim, implied: tuple[str, ...]) -> str:
            if value.refs:
                return self.claim(value, implied)
            # A claim without refs is laid out by its text and status alone, and most
            # are the same few words ("crawled", "CC-BY-4.0"): lay each out once.
            key = (value.text, value.status)
            found = cached.get(key)
            if found is None:
                found = cached[key] = self.claim(value, implied)
            return found

        if is_wide(block, len(laid.rows)):
            tag = f"h{min(level + 1, 6)}"
            labels = [f'<tr><th scope="row">{_esc(c)}</th><td>' for c in block.columns]
            parts.append('<div class="records">')
            for row in laid.rows:
                implied = row_refs(block, row)
                parts.append(
                    f'<section class="record"><{tag} class="record-title">'
                    f'{self.claim(row[title])}</{tag}>\n<table class="fields">'
                )
                parts.extend(
                    f"{labels[i]}{cell(c, implied)}</td></tr>"
                    for i, c in enumerate(row)
                    if i != title
                )
                parts.append("</table></section>")
            parts.append("</div>")
        else:
            header = "".join(f'<th scope="col">{_esc(c)}</th>' for c in block.columns)
            parts.append(f"<table>\n<thead><tr>{header}</tr></thead>\n<tbody>")
            for row in laid.rows:
                implied = row_refs(block, row)
                cells = "".join(f"<td>{cell(c, implied)}</td>" for c in row)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</tbody>\n</table>")
        if laid.folded:
            parts.append(f'<p class="folded">{_esc(fold_note(laid))}</p>')
        return "\n".join(parts)

    def records(self) -> str:
        """The records cited, each row the anchor its references link to."""
        rows = []
        for index, record in enumerate(self.shown):
            digest = f"<code>{_esc(record.digest)}</code>" if record.digest else "none"
            rows.append(
                f'<tr id="r-{index}"><td><code>{_esc(record.id)}</code></td>'
                f"<td>{record.version}</td><td><code>{_esc(record.seal)}</code></td>"
                f"<td>{digest}</td><td>{_esc(record.digest_status or '-')}</td></tr>"
            )
        return "\n".join(rows)

    def records_left(self) -> str:
        """What 'Records cited' leaves to the JSON report, if anything."""
        if not self.left:
            return ""
        return _esc(
            f"{len(self.shown):,} of {len(self.report.records):,} records shown: those that "
            f"are not one of a family of records alike. The other {self.left:,} are in "
            f"families laid out as one row above; {JSON_POINTER} with its version, seal "
            "and digest."
        )


def render_html(report: Report, *, svg: str | None = None) -> str:
    """The report as HTML; `svg` (an SVG document) is embedded as the lineage diagram.

    Everything printed is escaped; the SVG is embedded as an image (a data: URI), so
    nothing in it can run or restyle the page.
    """
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            svg_data=base64.b64encode(svg.encode("utf-8")).decode("ascii") if svg else None,
            page=_Page(report),
        )
    )
    return page if page.endswith("\n") else page + "\n"


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("lineage.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )

    def page_of(context: jinja2.runtime.Context) -> _Page:
        page = context["page"]
        assert isinstance(page, _Page)
        return page

    @jinja2.pass_context
    def claim_filter(
        context: jinja2.runtime.Context, value: Claim, implied: tuple[str, ...] = ()
    ) -> Markup:
        return Markup(page_of(context).claim(value, implied))

    @jinja2.pass_context
    def links_filter(
        context: jinja2.runtime.Context, ids: Sequence[str], separator: str = " -> "
    ) -> Markup:
        return Markup(page_of(context).links(ids, separator))

    @jinja2.pass_context
    def table_filter(context: jinja2.runtime.Context, block: Table, level: int) -> Markup:
        return Markup(page_of(context).table(block, level))

    @jinja2.pass_context
    def records_filter(context: jinja2.runtime.Context, report: Report) -> Markup:
        return Markup(page_of(context).records())

    @jinja2.pass_context
    def records_left_filter(context: jinja2.runtime.Context, report: Report) -> Markup:
        return Markup(page_of(context).records_left())

    @jinja2.pass_context
    def some_links_filter(context: jinja2.runtime.Context, ids: Sequence[str]) -> Markup:
        return Markup(page_of(context).some_links(ids))

    environment.filters.update(
        text=_text,
        claim=claim_filter,
        wide=is_wide,
        links=links_filter,
        table=table_filter,
        records=records_filter,
        records_left=records_left_filter,
        some_links=some_links_filter,
    )
    environment.globals.update(
        row_refs=row_refs, finding_groups=finding_groups, gap_groups=gap_groups
    )
    return environment


def upstream_svg(
    store: Store,
    target: str,
    *,
    as_of: datetime | None = None,
    findings: Sequence[Finding] = (),
    upstream: nx.DiGraph[str] | None = None,
    reuse_upstream: bool = False,
) -> str | None:
    """The upstream lineage diagram of `target` as SVG, with `findings` marked on it.

    Drawn by `lineage.diagrams`; None (and a warning in the log) when it cannot be
    drawn here, for example without the Graphviz binaries: the report is then made
    without a diagram rather than not at all. `upstream` is the upstream graph of
    `target` at `as_of` already read (the report's `Trail.graph`, which is not
    changed unless `reuse_upstream` hands it over); without it, the store is read again.
    """
    # Imported here: the diagrams sit beside the reports, and only HTML and PDF need one.
    from lineage.diagrams import diagram

    return svg_or_none(
        target,
        lambda: diagram(
            store,
            target,
            as_of=as_of,
            findings=findings,
            upstream=upstream,
            reuse_upstream=reuse_upstream,
        ),
    )


def svg_or_none(target: str, draw: Callable[[], Diagram]) -> str | None:
    """The SVG of the diagram `draw()` makes, or None (and a warning in the log) when it
    cannot be drawn here (see `upstream_svg`)."""
    try:
        return draw().to_svg()
    except (LineageError, OSError) as error:
        logger.warning("cannot draw the lineage of %s: %s", target, error)
        return None
