"""Every JSON report validates against the published schema, lineage/reports/report.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from report_samples import PRODUCED_AT, ROOT

import lineage
from lineage.reports import SCHEMA_ID, TEMPLATES, build_report, render_report

SCHEMA = json.loads((ROOT / "lineage" / "reports" / "report.schema.json").read_text())


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == SCHEMA_ID


@pytest.mark.parametrize(
    "target", ["support-assistant-v1", "training-mixture-v1", "web-crawl-2025-05"]
)
@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_json_report_validates(
    sample_db: str, at_root: Path, template: str, target: str
) -> None:
    with lineage.open_store(sample_db) as store:
        report = build_report(store, target, template=template, produced_at=PRODUCED_AT)
    data = json.loads(render_report(report, "json"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["records"], "the report cites no record"
    cited = {record["id"] for record in data["records"]}
    for finding in data["findings"]:
        assert set(finding["path"]) <= cited | {finding["subject"]}
