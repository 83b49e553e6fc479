"""Render a report as Markdown: readable in a terminal, and on GitHub."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

import jinja2

from lineage.reports.escape import md_block, md_code, md_text, visible
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


def _table(block: Table, level: int, families: Mapping[str, int]) -> str:
    """A table: a grid when narrow, else a heading and a list of fields per row; each
    large family of records alike as one row (see `laid_out`), with a note saying so.

    Laid out here rather than in the template: a report of 100,000 records has a
    million cells, and a loop of plain string formatting is several times faster.
    """
    laid = laid_out(block, families)
    note = f"\n{md_block(fold_note(laid))}\n\n" if laid.folded else ""
    lines: list[str] = []
    title = block.title_column
    cached: dict[tuple[str | None, str], str] = {}

    def cell(claim: Claim, implied: tuple[str, ...], in_table: bool) -> str:
        if claim.refs:
            return _claim(claim, implied, in_table)
        # A claim without refs is laid out by its text and status alone, and most are
        # the same few words ("crawled", "CC-BY-4.0"): lay each out once.
        key = (claim.text, claim.status)
        found = cached.get(key)
        if found is None:
            found = cached[key] = _claim(claim, implied, in_table)
        return found

    if is_wide(block, len(laid.rows)):
        heading = "#" * min(level + 1, 6)
        labels = [f"- **{md_text(column)}:** " for column in block.columns]
        others = [i for i in range(len(block.columns)) if i != title]
        for row in laid.rows:
            implied = row_refs(block, row)
            lines.append(f"\n{heading} {_claim(row[title])}\n")
            for i in others:
                claim = row[i]
                text = None if claim.refs else cached.get((claim.text, claim.status))
                lines.append(
                    labels[i] + (text if text is not None else cell(claim, implied, False))
                )
        return "\n".join(lines) + "\n" + note
    lines.append("")
    lines.append("| " + " | ".join(md_text(c) for c in block.columns) + " |")
    lines.append("|" + " --- |" * len(block.columns))
    for row in laid.rows:
        implied = row_refs(block, row)
        lines.append("| " + " | ".join(cell(c, implied, True) for c in row) + " |")
    # A blank line ends the table: GFM reads a line of text after a table as a row.
    return "\n".join(lines) + "\n\n" + note


def _claim(claim: Claim, implied: tuple[str, ...] = (), in_table: bool = False) -> str:
    if claim.text is None:
        return "_" + MANUAL + "_" if claim.status == "manual" else "**" + UNKNOWN + "**"
    literal = is_literal(claim)
    shown = cut(claim.text)
    text = md_code(shown, in_table=in_table) if literal else md_text(shown)
    refs, more = shown_refs(claim, implied)
    if refs:
        listed = ", ".join(md_code(r, in_table=in_table) for r in refs)
        text += f" ({listed}{f' and {more} more' if more else ''})"
    return text


@functools.cache
def _environment() -> jinja2.Environment:
    # Markdown has no autoescape; every value goes through a filter below instead.
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("lineage.reports", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters.update(
        md=md_text,
        md_block=md_block,
        code=lambda text, in_table=False: md_code(text, in_table=in_table),
        claim=_claim,
        wide=is_wide,
    )
    environment.filters.update(ids=_ids, table=_table)
    environment.globals.update(
        row_refs=row_refs,
        finding_groups=finding_groups,
        gap_groups=gap_groups,
        record_block=_record_block,
    )
    return environment


def _ids(ids: Sequence[str]) -> str:
    """The ids, the first `SHOWN_IDS` of a long list and how many more."""
    shown, more = some(ids)
    listed = ", ".join(md_text(i) for i in shown)
    return listed + (f" and {more:,} more ({JSON_POINTER})" if more else "")


def _record_block(report: Report) -> str:
    """The records cited as a fenced block, one per line: id, version, seal, digest, status.

    The fence is longer than any run of backticks in the ids, so no id can close it.
    """
    records, left = shown_records(report)
    lines = [
        f"{visible(r.id)}  v{r.version}  seal {r.seal}  {r.digest or 'no digest'}"
        + (f" ({r.digest_status})" if r.digest_status else "")
        for r in records
    ]
    body = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=2)
    fence = "`" * (longest + 1)
    block = f"{fence}text\n{body}\n{fence}"
    if left:
        block += (
            f"\n\n{len(records):,} of {len(report.records):,} records shown: those that are "
            f"not one of a family of records alike. The other {left:,} are in families "
            f"laid out as one row above; {JSON_POINTER} with its version, seal and digest."
        )
    return block


def render_markdown(report: Report) -> str:
    """The report as Markdown text."""
    text = _environment().get_template("report.md.j2").render(report=report)
    # Runs of blank lines become one. str.replace, repeated until no run is left, reads
    # 50 MB several times faster than a regular expression does.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
