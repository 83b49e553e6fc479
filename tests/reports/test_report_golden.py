"""Every template in every format on the sample model, against golden files.

`pytest --update-golden` rewrites them; review the diff. The ledger's hash and time
change with every ingest and are replaced by placeholders; the produced-at time is
fixed; recorded paths are relative to the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import GOLDEN, PRODUCED_AT, TARGET, normalise, pdf_text

import lineage
from lineage.reports import FORMATS, TEMPLATES, build_report, render_report

SUFFIX = {"md": "md", "html": "html", "json": "json", "pdf": "pdf.txt"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template", list(TEMPLATES))
def test_report_matches_its_golden_file(
    sample_db: str, at_root: Path, template: str, fmt: str, request: pytest.FixtureRequest
) -> None:
    with lineage.open_store(sample_db) as store:
        report = build_report(store, TARGET, template=template, produced_at=PRODUCED_AT)
    assert report.records, "the report cites no record"
    data = render_report(report, fmt)
    text = pdf_text(data) + "\n" if fmt == "pdf" else data.decode("utf-8")
    if fmt == "pdf":
        assert data.startswith(b"%PDF-")
    text = normalise(text, report)
    golden = GOLDEN / f"{template}.{SUFFIX[fmt]}"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8")
