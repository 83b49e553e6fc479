"""Markdown reports parse as intended with a CommonMark + GFM-tables parser (as GitHub reads them).

A line of text right after a table is read as one more row of it: every table must
end with a blank line. These tests parse the Markdown with markdown-it-py (tables
enabled) and compare what it reads with the report as built: each paragraph is a
paragraph, each table has its header and exactly its rows, and no row is a stray
line of text (a row with empty cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from report_samples import PRODUCED_AT, TARGET

import lineage
from lineage.reports import TEMPLATES, Report, build_report, render_report
from lineage.reports.layout import is_wide, laid_out
from lineage.reports.model import Paragraph, Table

PARSER = MarkdownIt("commonmark").enable("table")


@dataclass
class ParsedTable:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Parsed:
    tables: list[ParsedTable] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def _inline_text(token: Token) -> str:
    """The text a reader sees: escapes resolved, code spans as their content."""
    return "".join(
        "\n" if child.type in ("softbreak", "hardbreak") else child.content
        for child in token.children or ()
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    )


def parse(text: str) -> Parsed:
    parsed = Parsed()
    tokens = PARSER.parse(text)
    table: ParsedTable | None = None
    row: list[str] | None = None
    in_head = in_paragraph = in_table = False
    for token in tokens:
        if token.type == "table_open":
            table, in_table = ParsedTable([]), True
            parsed.tables.append(table)
        elif token.type == "table_close":
            in_table = False
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open" and not in_head:
            row = []
            assert table is not None
            table.rows.append(row)
        elif token.type == "paragraph_open":
            in_paragraph = True
        elif token.type == "paragraph_close":
            in_paragraph = False
        elif token.type == "inline" and in_table:
            assert table is not None
            if in_head:
                table.header.append(_inline_text(token))
            else:
                assert row is not None
                row.append(_inline_text(token))
        elif token.type == "inline" and in_paragraph:
            parsed.paragraphs.append(_inline_text(token))
    return parsed


def _blocks(report: Report) -> tuple[list[Paragraph], list[Table]]:
    paragraphs: list[Paragraph] = []
    tables: list[Table] = []
    for top in report.sections:
        for section in top.walk():
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    paragraphs.append(block)
                elif isinstance(block, Table):
                    tables.append(block)
    return paragraphs, tables


def assert_reads_as_built(report: Report, text: str) -> None:
    parsed = parse(text)
    # No line of text was taken for a row: every claim prints something in its cell.
    for table in parsed.tables:
        for row in table.rows:
            assert len(row) == len(table.header), (table.header, row)
            assert all(cell.strip() for cell in row), f"a stray row in {table.header}: {row}"
    # Each paragraph of the report is a paragraph, with exactly its text.
    for paragraph in _blocks(report)[0]:
        assert paragraph.text in parsed.paragraphs, paragraph.text
    # Each table laid out as a grid is a table with its columns and exactly its rows.
    by_header = {tuple(t.header): t for t in parsed.tables}
    for table in _blocks(report)[1]:
        rows = laid_out(table, report.families).rows  # a family of records alike is one row
        if is_wide(table, len(rows)):
            continue
        found = by_header.get(table.columns)
        assert found is not None, f"no table with the columns {table.columns}"
        same = [t for t in parsed.tables if tuple(t.header) == table.columns]
        assert any(len(t.rows) == len(rows) for t in same), (
            table.columns,
            [len(t.rows) for t in same],
            len(rows),
        )
    # The report's own header is a table of five rows.
    assert parsed.tables[0].header == ["Report", ""]
    assert [row[0] for row in parsed.tables[0].rows] == [
        "Target",
        "Template",
        "Produced at",
        "As of",
        "Ledger entry",
    ]


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_markdown_reads_as_built_on_the_sample(
    sample_db: str, at_root: Path, template: str
) -> None:
    with lineage.open_store(sample_db) as store:
        report = build_report(store, TARGET, template=template, produced_at=PRODUCED_AT)
    paragraphs, tables = _blocks(report)
    assert paragraphs and tables, "the sample report has paragraphs and tables"
    assert_reads_as_built(report, render_report(report, "md").decode("utf-8"))


def test_a_folded_report_reads_as_built(store: lineage.Store) -> None:
    from test_report_folding import family_manifest

    store.record(family_manifest())
    for template in TEMPLATES:
        report = build_report(store, "m", template=template, produced_at=PRODUCED_AT)
        text = render_report(report, "md").decode("utf-8")
        assert "records alike" in text
        assert_reads_as_built(report, text)


def test_markdown_reads_as_built_on_each_engine(sample_store: lineage.Store) -> None:
    for template in TEMPLATES:
        report = build_report(sample_store, TARGET, template=template, produced_at=PRODUCED_AT)
        assert_reads_as_built(report, render_report(report, "md").decode("utf-8"))


def test_a_paragraph_after_a_table_is_not_a_row(sample_db: str, at_root: Path) -> None:
    """The paper trail's licence table is followed by a note: GitHub once read it as a row."""
    with lineage.open_store(sample_db) as store:
        report = build_report(store, TARGET, produced_at=PRODUCED_AT)
    parsed = parse(render_report(report, "md").decode("utf-8"))
    licences = next(t for t in parsed.tables if t.header[:1] == ["Licence"])
    note = report.section("licences").blocks[1]
    assert isinstance(note, Paragraph)
    assert note.text in parsed.paragraphs
    assert all(note.text not in row[0] for row in licences.rows)


HOSTILE = "a | b\nsecond line | c\n\n| x | y |\n- item"


def test_pipes_and_line_breaks_in_cells_and_paragraphs_keep_the_structure(tmp_path: Path) -> None:
    path = str(tmp_path / "lineage.db")
    manifest = {
        "sources": [
            {
                "name": f"src-{i}",
                "owner": HOSTILE,
                "license": "MIT",
                "obtained": "crawled",
                "description": HOSTILE,
                "data_types": ["a|b", "c\nd"],
            }
            for i in range(3)
        ],
        "models": [{"name": "m | x", "owner": HOSTILE, "description": HOSTILE}],
        "runs": [
            {
                "operation": "train",
                "name": "run | `x`",
                "inputs": ["src-0", "src-1", "src-2"],
                "outputs": ["m | x"],
                "params": {"k": HOSTILE},
            }
        ],
    }
    with lineage.open_store(path) as store:
        store.record(manifest)
        for template in TEMPLATES:
            report = build_report(
                store, "m | x", template=template, produced_at=datetime(2025, 7, 1, tzinfo=UTC)
            )
            text = render_report(report, "md").decode("utf-8")
            assert_reads_as_built(report, text)
            parsed = parse(text)
            cells = [c for t in parsed.tables for row in t.rows for c in row]
            shown = [c for c in [*cells, *parsed.paragraphs] if "second line" in c]
            assert shown, f"{template}: the owner or description is printed"
            # Each value stays on its line, its pipes text: no table or list item of its own.
            assert all("\n" not in c for c in shown), shown
            assert any("a | b second line | c  | x | y | - item" in c for c in shown), shown
            assert all(t.header != ["x", "y"] for t in parsed.tables)
            assert "item" not in parsed.paragraphs
