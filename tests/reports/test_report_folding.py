"""Large families of similar records are laid out as one row in Markdown and HTML, honestly.

A report of 100,000 upstream records was 51 MB of Markdown and 108 MB of HTML. The
person-facing forms now lay out each family of records alike (the same place in the
lineage, as the diagrams fold them) as one row, when its records agree on what the
row shows; the JSON form keeps every record's own row.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest

import lineage
from lineage.reports import TEMPLATES, Report, build_report, render_report
from lineage.reports.layout import (
    ALWAYS_SPLIT,
    FOLD_MIN,
    FOLD_ROWS,
    RECORDS_SHOWN,
    laid_out,
    shown_records,
)
from lineage.reports.model import Claim, Table

PRODUCED = datetime(2025, 7, 1, tzinfo=UTC)
FILES = 600
MIT = 40  # files of the family under another licence
PERSONAL = 30  # files of the family whose personal data is unknown


def family_manifest(
    files: int = FILES, licences: tuple[str, ...] = (), **facts: object
) -> dict[str, object]:
    """`files` crawled files, each cleaned by its own run, mixed and trained into model:m.

    The files differ in size (a column with many values), MIT_FILES of them in licence
    and PERSONAL of them in whether they hold personal data: columns a folded row must
    never summarise. With `licences`, file i is under licences[i % len(licences)].
    `facts` are given to every file (and replace the defaults: `obtained`).
    """
    sources = []
    runs = []
    for i in range(files):
        sources.append(
            {
                "name": f"file-{i:04d}",
                "owner": "Example Crawl Ltd",
                "license": licences[i % len(licences)]
                if licences
                else "MIT"
                if i % (files // MIT) == 1
                else "CC-BY-4.0",
                "obtained": "crawled",
                "personal_data": "unknown" if i % (files // PERSONAL) == 2 else "no",
                "records": 100 + i,
                **facts,
            }
        )
        runs.append(
            {
                "operation": "clean",
                "name": f"clean-{i:04d}",
                "inputs": [f"file-{i:04d}"],
                "outputs": [f"clean-{i:04d}"],
            }
        )
    datasets = [{"name": f"clean-{i:04d}", "records": 90} for i in range(files)]
    datasets.append({"name": "mix"})
    runs.append(
        {
            "operation": "mix",
            "name": "mix-run",
            "inputs": [f"clean-{i:04d}" for i in range(files)],
            "outputs": ["mix"],
        }
    )
    runs.append({"operation": "train", "name": "train-m", "inputs": ["mix"], "outputs": ["m"]})
    return {
        "sources": sources,
        "datasets": datasets,
        "models": [{"name": "m", "owner": "Example AI", "license": "Apache-2.0"}],
        "runs": runs,
    }


def _tables(report: Report) -> list[Table]:
    return [
        block
        for top in report.sections
        for section in top.walk()
        for block in section.blocks
        if isinstance(block, Table)
    ]


def _value(claim: Claim) -> tuple[str | None, str]:
    return (claim.text, claim.status)


def assert_folded_honestly(report: Report) -> int:
    """Every folded row agrees with each record it stands for, or says how many values
    they hold; every record is in exactly one row. Returns the folded rows seen."""
    seen = 0
    for table in _tables(report):
        laid = laid_out(table, report.families)
        title = table.title_column
        rows_of = {row[title].refs[0]: row for row in table.rows if len(row[title].refs) == 1}
        shown = Counter(
            ref
            for row, members in zip(laid.rows, laid.members, strict=True)
            for ref in (members or row[title].refs)
        )
        assert sum(len(m) or 1 for m in laid.members) == len(table.rows)
        assert all(count == 1 for count in shown.values()), "a record in two rows"
        for row, members in zip(laid.rows, laid.members, strict=True):
            if not members:
                continue
            seen += 1
            assert len(members) >= FOLD_MIN
            assert row[title].text is not None
            assert row[title].text.startswith(f"{len(members):,} records alike: ")
            originals = [rows_of[m] for m in members]
            for column, key in enumerate(table.keys):
                if column == title:
                    continue
                values = Counter(_value(o[column]) for o in originals)
                if key in ALWAYS_SPLIT:
                    assert len(values) == 1, (key, values)
                if len(values) == 1:
                    assert _value(row[column]) == next(iter(values)), (key, row[column])
                else:
                    text = row[column].text or ""
                    assert f"{len(values) - (1 if (None, 'gap') in values else 0):,}" in text or (
                        "(" in text
                    ), (key, text)
    return seen


@pytest.fixture
def family_store(store: lineage.Store) -> lineage.Store:
    store.record(family_manifest())
    return store


def test_a_large_family_is_one_row_per_licence_and_personal_data_status(
    family_store: lineage.Store,
) -> None:
    report = build_report(family_store, "m", produced_at=PRODUCED)
    sources = report.section("sources").blocks[0]
    assert isinstance(sources, Table) and len(sources.rows) == FILES
    laid = laid_out(sources, report.families)
    # CC-BY-4.0 with no personal data, CC-BY-4.0 unknown, MIT no, MIT unknown (if any):
    # each folded row's records share their licence and personal data status.
    assert laid.folded >= 3
    assert laid.records + (len(laid.rows) - laid.folded) == FILES
    licences = {row[4].text for row, m in zip(laid.rows, laid.members, strict=True) if m}
    assert licences == {"CC-BY-4.0", "MIT"}
    sizes = [row[12].text for row, m in zip(laid.rows, laid.members, strict=True) if m]
    assert all(re.fullmatch(r"[\d,]+ different values, such as .+", s or "") for s in sizes)
    assert assert_folded_honestly(report) >= laid.folded


def test_a_family_under_many_licences_is_one_row_per_licence(store: lineage.Store) -> None:
    licences = ("MIT", "Apache-2.0", "CC-BY-4.0", "CC0-1.0", "BSD-3-Clause")
    store.record(family_manifest(200, licences))
    for template in ("paper-trail", "ca-ab2013"):
        report = build_report(store, "m", template=template, produced_at=PRODUCED)
        assert assert_folded_honestly(report) >= len(licences)
    report = build_report(store, "m", produced_at=PRODUCED)
    sources = report.section("sources").blocks[0]
    assert isinstance(sources, Table)
    laid = laid_out(sources, report.families)
    shown = Counter(row[4].text for row, m in zip(laid.rows, laid.members, strict=True) if m)
    # More licences than a column may hold and still split: they split all the same.
    assert set(shown) == set(licences)


# What each template lists file by file: the EU summary answers crawled data in fields
# (naming 20 and counting the rest) and lists publicly available datasets one per row.
LISTED_BY = {"eu-ai-act": {"obtained": "public"}}


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_template_folds_honestly_and_json_keeps_every_record(
    store: lineage.Store, template: str
) -> None:
    store.record(family_manifest(**LISTED_BY.get(template, {})))
    report = build_report(store, "m", template=template, produced_at=PRODUCED)
    assert report.families, "a trail this large has families"
    text = render_report(report, "md").decode("utf-8")
    page = render_report(report, "html").decode("utf-8")
    if template == "approval":
        # The approval report lists evaluations, sign-offs and the records that record
        # coverage, never a row per upstream source: it counts the rest in one line.
        assert assert_folded_honestly(report) == 0
        for laid_text in (text, page):
            assert re.search(
                r"\d+ other sources and datasets upstream record no coverage", laid_text
            )
            # Findings name a few subjects by rule, as in every template.
            assert len(set(re.findall(r"source:file-\d{4}", laid_text))) < FILES // 4
        return
    assert assert_folded_honestly(report) > 0, f"{template}: nothing was folded"
    data = json.loads(render_report(report, "json"))
    cited = {r["id"] for r in data["records"]}
    assert {f"source:file-{i:04d}" for i in range(FILES)} <= cited
    for laid_text in (text, page):
        assert "records alike" in laid_text
        assert "JSON report (lineage report --format json) lists every record" in laid_text
        # Not one row per record: the files named are examples, not all of them.
        assert len(set(re.findall(r"source:file-\d{4}", laid_text))) < FILES // 4


def test_markdown_and_html_stay_small_as_the_family_grows(tmp_path: object) -> None:
    sizes = {}
    for files in (FOLD_ROWS * 4, FOLD_ROWS * 40):
        path = f"{tmp_path}/lineage-{files}.db"
        with lineage.open_store(path) as store:
            store.record(family_manifest(files))
            report = build_report(store, "m", produced_at=PRODUCED)
        sizes[files] = {fmt: len(render_report(report, fmt)) for fmt in ("md", "html", "json")}
    small, large = sizes[FOLD_ROWS * 4], sizes[FOLD_ROWS * 40]
    # Ten times the records: the JSON grows with them, the folded forms barely.
    assert large["json"] > 8 * small["json"]
    for fmt in ("md", "html"):
        assert large[fmt] < 1.5 * small[fmt], (fmt, small[fmt], large[fmt])
        assert large[fmt] < 5_000_000


def test_records_cited_lists_the_records_met_once_and_leaves_families_to_the_json(
    family_store: lineage.Store,
) -> None:
    report = build_report(family_store, "m", produced_at=PRODUCED)
    assert len(report.records) > RECORDS_SHOWN
    shown, left = shown_records(report)
    ids = {r.id for r in shown}
    assert {"model:m", "dataset:mix", "activity:mix-run", "activity:train-m"} <= ids
    assert "source:file-0000" not in ids
    assert len(shown) + left == len(report.records)
    text = render_report(report, "md").decode("utf-8")
    assert f"{len(shown):,} of {len(report.records):,} records shown" in text
    page = render_report(report, "html").decode("utf-8")
    # Every link to a record cited leads to a row that is there.
    anchors = set(re.findall(r'id="(r-\d+)"', page))
    links = set(re.findall(r'href="#(r-\d+)"', page))
    assert links and links <= anchors


def test_a_small_table_is_laid_out_row_by_row(sample_store: lineage.Store) -> None:
    report = build_report(sample_store, "support-assistant-v1", produced_at=PRODUCED)
    tables = _tables(report)
    assert tables
    for table in tables:
        assert len(table.rows) <= FOLD_ROWS
        assert laid_out(table, report.families).rows == table.rows
    assert shown_records(report) == (report.records, 0)


def test_rows_titled_by_something_else_than_their_record_are_never_folded() -> None:
    """A row titled by a licence that one record holds is about the licence, not the record."""
    rows = tuple(
        (Claim(f"LicenseRef-terms-{i}", (f"source:s{i}",), "derived"), Claim("same", (), "derived"))
        for i in range(FOLD_ROWS * 2)
    )
    table = Table(("license", "category"), ("Licence", "Category"), rows)
    families = {f"source:s{i}": 0 for i in range(FOLD_ROWS * 2)}
    assert laid_out(table, families).rows == rows
    titled = tuple(
        (Claim(f"source:s{i}", (f"source:s{i}",), "recorded"), row[1]) for i, row in enumerate(rows)
    )
    assert len(laid_out(Table(table.keys, table.columns, titled), families).rows) == 1
