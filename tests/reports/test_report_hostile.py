"""Names and facts that try to break out of a report come out as plain text in every format."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from report_samples import ROOT

import lineage
from lineage.reports import TEMPLATES, build_report, render_report

SCRIPT = "<script>alert(1)</script>"
BIDI = "invoice\u202egpj.exe"
LONG = "x" * 990
NAMES = {
    "html": f"src-{SCRIPT}",
    "markdown": "src | **bold** [link](javascript:alert(1)) `code` _em_ # heading ~~x~~ $x$",
    "bidi": "src-bidi",  # names cannot hold BIDI (validation refuses it); its facts do
    "long": f"src-{LONG}",
    "unicode": "src-données-数据-🚀",
}
MODEL = f"model {SCRIPT} | x"
DESCRIPTION = f"line one\nline two\r\n| a | b |\n- item\n{SCRIPT}\u200b"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = str(tmp_path_factory.mktemp("hostile") / "lineage.db")
    sources = [
        {
            "name": name,
            "owner": f"Owner {SCRIPT} {BIDI}",
            "uri": "javascript:alert(1)",
            "license": "MIT",
            "obtained": "crawled",
            "opt_outs": "unknown",
            "personal_data": "yes",
            "description": DESCRIPTION,
            "data_types": [SCRIPT, "a|b"],
            "attrs": {"crawler": SCRIPT, "purpose": BIDI},
        }
        for name in NAMES.values()
    ]
    manifest = {
        "agents": [{"name": f"agent {SCRIPT}", "type": "person"}],
        "sources": sources,
        "models": [
            {
                "name": MODEL,
                "owner": f"{SCRIPT} {BIDI}",
                "license": "LicenseRef-x",
                "description": DESCRIPTION,
            }
        ],
        "runs": [
            {
                "operation": f"op {SCRIPT}",
                "name": "run |`*",
                "inputs": list(NAMES.values()),
                "outputs": [MODEL],
                "agent": f"agent {SCRIPT}",
                "params": {SCRIPT: "| pipe"},
            }
        ],
    }
    with lineage.open_store(path) as store:
        store.record(manifest)
    yield path


def _render(db: str, template: str, fmt: str) -> tuple[lineage.Report, str]:
    with lineage.open_store(db) as store:
        report = build_report(
            store,
            MODEL,
            template=template,
            produced_at=datetime(2025, 7, 1, tzinfo=UTC),
        )
    return report, render_report(report, fmt).decode("utf-8")


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_html_escapes_everything_it_prints(hostile_db: str, template: str) -> None:
    _, page = _render(hostile_db, template, "html")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page and "\u200b" not in page
    assert "&lt;U+202E&gt;" in page
    assert 'href="javascript' not in page
    assert LONG in page  # long values are kept whole (CSS wraps them)
    assert "数据-🚀" in page


def _outside_code_spans(text: str) -> str:
    """Markdown text without its fenced blocks and code spans (shown literally)."""
    text = re.sub(r"^(`{3,})text\n.*?\n\1$", "", text, flags=re.S | re.M)
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", text)


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_markdown_escapes_everything_it_prints(hostile_db: str, template: str) -> None:
    _, text = _render(hostile_db, template, "md")
    prose = _outside_code_spans(text)
    assert not re.search(r"(?<!\\)<", prose), "an unescaped < could open HTML"
    assert not re.search(r"(?<!\\)\[", prose), "an unescaped [ could open a link"
    assert "\\<script>" in text
    assert "\u202e" not in text and "\u200b" not in text
    # A description's line breaks do not start new blocks: no stray list item or table row.
    assert "\n- item" not in text and "\n| a | b |" not in text


def test_markdown_tables_keep_their_column_count(hostile_db: str) -> None:
    _, text = _render(hostile_db, "paper-trail", "md")
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("| ---"):
            width = line.count("|")
            row = index + 1
            while row < len(lines) and lines[row].startswith("|"):
                unescaped = lines[row].replace("\\|", "")
                assert unescaped.count("|") == width, lines[row]
                row += 1


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_json_keeps_the_exact_text_and_validates(hostile_db: str, template: str) -> None:
    report, text = _render(hostile_db, template, "json")
    data = json.loads(text)
    schema = json.loads((ROOT / "lineage" / "reports" / "report.schema.json").read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["target"] == f"model:{MODEL}"
    assert BIDI in text  # JSON keeps the exact text: its reader decides how to show it
    assert f"source:{NAMES['long']}" in {r["id"] for r in data["records"]}
    assert report.target == data["target"]


def test_pdf_renders_hostile_names(hostile_db: str, tmp_path: Path) -> None:
    with lineage.open_store(hostile_db) as store:
        report = build_report(store, MODEL, template="eu-ai-act")
    assert render_report(report, "pdf").startswith(b"%PDF-")
