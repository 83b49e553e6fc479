"""The EU summary field by field and AB 2013 item by item, on the sample, on both engines.

The sample (sample_data/lineage.yaml) holds, for every field of the EU template and
every item of AB 2013, a target where it is answered and one where it is a gap:
support-assistant-v1 (most facts recorded), its German fine-tune
support-assistant-v1-de (few model facts, a data broker, chats with the model, a
source known by name only), and two sources reported on by themselves. Each
field's status and text are compared with tests/golden/reports/*-fields.json
(`pytest --update-golden` rewrites them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_samples import GOLDEN, PRODUCED_AT, ROOT, SAMPLE

import lineage
from lineage.reports import Fields, Report, Section, Table, build_report

EU_TARGETS = (
    "support-assistant-v1",
    "support-assistant-v1-de",
    "source:de-partner-manuals",
    "source:web-crawl-2025-05",
)
AB_TARGETS = (
    "support-assistant-v1",
    "support-assistant-v1-de",
    "source:de-partner-manuals",
    "support-heldout-v1",
)

# The template's fields and labels as REGULATIONS.md gives them, verbatim and in order.
EU_LABELS = [
    ("0.a", "Version of the Summary"),
    ("0.b", "Last update"),
    ("1.1.a", "Provider name and contact details"),
    ("1.1.b", "Authorised representative name and contact details"),
    ("1.2.a", "Versioned model name(s)"),
    ("1.2.b", "Model dependencies"),
    ("1.2.c", "Date of placement of the model on the Union market"),
    ("1.3.a", "Modality"),
    ("1.3.b", "Training data size"),
    ("1.3.c", "Types of content"),
    ("1.3.d", "Latest date of data acquisition/collection for model training"),
    ("1.3.e", "Description of the linguistic characteristics of the overall training data"),
    ("1.3.f", "Other relevant characteristics of the overall training data"),
    ("1.3.g", "Additional comments (optional)"),
    ("2.1.a", "Have you used publicly available datasets to train the model?"),
    ("2.1.b", "Modality(ies) of the content covered"),
    ("2.1.c", "List of large publicly available datasets"),
    ("2.1.d", "General description of other publicly available datasets not listed above"),
    ("2.1.e", "Additional comments (optional)"),
    (
        "2.2.1.a",
        "Have you concluded transactional commercial licensing agreement(s) with "
        "rightsholder(s) or with their representatives?",
    ),
    ("2.2.1.b", "Modality(ies) covered"),
    (
        "2.2.2.a",
        "Have you obtained private datasets from third parties not licensed as in 2.2.1 "
        "(providers of private databases, data intermediaries)?",
    ),
    ("2.2.2.b", "Modality(ies) covered"),
    ("2.2.2.c", "If publicly known, list private datasets obtained from other third parties"),
    (
        "2.2.2.d",
        "General description of non-publicly known private datasets obtained from third parties",
    ),
    ("2.2.2.e", "Additional comments (optional)"),
    ("2.3.a", "Were crawlers used by the provider or on its behalf?"),
    ("2.3.b", "Crawler name(s)/identifier(s)"),
    ("2.3.c", "Purposes of the crawler(s)"),
    ("2.3.d", "General description of crawler behaviour"),
    ("2.3.e", "Period of data collection"),
    ("2.3.f", "Comprehensive description of the type of content and online sources crawled"),
    ("2.3.g", "Type of modality covered"),
    ("2.3.h", "Summary of the most relevant domain names crawled"),
    ("2.3.i", "Additional comments (optional)"),
    (
        "2.4.a",
        "Was data from user interactions with the AI model (e.g. user input and prompts) used "
        "to train the model?",
    ),
    (
        "2.4.b",
        "Was data collected from user interactions with the provider's other services or "
        "products used?",
    ),
    (
        "2.4.c",
        "General description of the provider's services or products used to collect the user data",
    ),
    ("2.4.d", "Type of modality covered"),
    ("2.4.e", "Additional comments (optional)"),
    (
        "2.5.a",
        "Was synthetic AI-generated data created by the provider or on its behalf to train the "
        "model?",
    ),
    ("2.5.b", "Modality of the synthetic data"),
    (
        "2.5.c",
        "General-purpose AI model(s) used to generate the synthetic data, if available on the "
        "market",
    ),
    (
        "2.5.d",
        "Information about other AI models, including the provider's own not on the market",
    ),
    ("2.5.e", "Additional comments (optional)"),
    ("2.6.a", "Have data sources other than those in 2.1 to 2.5 been used?"),
    ("2.6.b", "Narrative description of these data sources and the data"),
    ("2.6.c", "Additional comments (optional)"),
    ("3.1.a", "Are you a Signatory to the Code of Practice ... respecting TDM reservations?"),
    (
        "3.1.b",
        "Describe the measures taken before and during collection to respect TDM reservations, "
        "incl. opt-out protocols honoured by the provider or by the third parties the data "
        "came from",
    ),
    ("3.1.c", "Additional comments (optional)"),
    ("3.2.a", "General description of measures taken (removal of illegal content)"),
    ("3.3.a", "Other relevant information about data processing (optional)"),
]
OPTIONAL = {key for key, label in EU_LABELS if "(optional)" in label}
# Always answered: the summary's version and date are derived from its own content.
ALWAYS_ANSWERED = {"0.a", "0.b"}
AB_ITEMS = [f"ab2013-{letter}" for letter in "abcdefghijkl"]


@pytest.fixture
def summary_store(store: lineage.Store, monkeypatch: pytest.MonkeyPatch) -> lineage.Store:
    """The sample on each engine, recorded from the repository folder (relative paths)."""
    monkeypatch.chdir(ROOT)
    store.set_data_root(str(ROOT))
    store.ingest([str(SAMPLE)])
    return store


def _fields(sections: tuple[Section, ...]) -> Iterator[lineage.reports.Field]:
    for top in sections:
        for section in top.walk():
            for block in section.blocks:
                if isinstance(block, Fields):
                    yield from block.fields


def eu_fields(report: Report) -> dict[str, dict[str, Any]]:
    return {
        f.key: {"label": f.label, "status": f.claim.status, "text": f.claim.text}
        for f in _fields(report.sections)
        if f.key != "template"
    }


def ab_items(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for top in report.sections:
        if not top.id.startswith("ab2013-"):
            continue
        item: dict[str, Any] = {"title": top.title, "fields": {}, "rows": []}
        for block in top.blocks:
            if isinstance(block, Fields):
                for f in block.fields:
                    item["fields"][f.key] = {"status": f.claim.status, "text": f.claim.text}
            elif isinstance(block, Table):
                item["rows"] = [
                    {
                        "dataset": row[0].text,
                        "use": row[1].text,
                        "status": row[2].status,
                        "text": row[2].text,
                    }
                    for row in block.rows
                ]
        out[top.id] = item
    return out


def _reports(store: lineage.Store, template: str, targets: tuple[str, ...]) -> dict[str, Report]:
    return {
        target: build_report(store, target, template=template, produced_at=PRODUCED_AT)
        for target in targets
    }


def _compare(found: dict[str, Any], name: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / name
    text = json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    for target, fields in expected.items():
        for key, value in fields.items():
            assert found[target].get(key) == value, f"{target} {key}"
        assert set(found[target]) == set(fields), target


def test_eu_summary_fields_match_their_golden_answers(
    summary_store: lineage.Store, request: pytest.FixtureRequest
) -> None:
    reports = _reports(summary_store, "eu-ai-act", EU_TARGETS)
    found = {target: eu_fields(report) for target, report in reports.items()}
    assert found["support-assistant-v1"]["1.2.a"]["text"] == "support-assistant-v1 1.0.0"
    _compare(found, "eu-ai-act-fields.json", request)


def test_ab2013_items_match_their_golden_answers(
    summary_store: lineage.Store, request: pytest.FixtureRequest
) -> None:
    reports = _reports(summary_store, "ca-ab2013", AB_TARGETS)
    found = {target: ab_items(report) for target, report in reports.items()}
    # 12 training sources (the help-centre's word blocklist is a reference and its legacy
    # part was removed: neither is training data) and the test sets of its evaluations
    rows = found["support-assistant-v1"]["ab2013-a"]["rows"]
    assert len(rows) == 14
    assert not {r["dataset"] for r in rows} & {
        "source:word-blocklist",
        "source:help-centre-legacy-2019",
    }
    _compare(found, "ca-ab2013-items.json", request)


def _golden(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    return data


def test_every_eu_field_has_its_verbatim_label_in_the_template_order() -> None:
    answers = _golden("eu-ai-act-fields.json")["support-assistant-v1"]
    present = [(key, answers[key]["label"]) for key in answers]
    order = [key for key, _ in EU_LABELS]
    assert sorted(present, key=lambda item: order.index(item[0])) == [
        (key, label) for key, label in EU_LABELS if key in answers
    ]
    assert {key for key, _ in EU_LABELS} - set(answers) == OPTIONAL - {"1.3.g", "2.3.i", "3.3.a"}


def test_the_sample_answers_every_eu_field_somewhere_and_leaves_each_a_gap_somewhere() -> None:
    golden = _golden("eu-ai-act-fields.json")
    for key, _ in EU_LABELS:
        statuses = [fields[key]["status"] for fields in golden.values() if key in fields]
        if key in OPTIONAL:
            # An optional field is printed when recorded and left out otherwise.
            if key in golden["support-assistant-v1"]:
                assert key not in golden["support-assistant-v1-de"], key
            continue
        assert any(s != "gap" for s in statuses), f"{key} is never answered"
        if key not in ALWAYS_ANSWERED:
            assert "gap" in statuses, f"{key} is never a gap"


def test_the_sample_answers_every_ab2013_item_somewhere_and_leaves_each_a_gap_somewhere() -> None:
    golden = _golden("ca-ab2013-items.json")
    for item in AB_ITEMS:
        statuses = [row["status"] for target in golden.values() for row in target[item]["rows"]]
        assert "gap" in statuses and any(s != "gap" for s in statuses), item
    for field in ("ab2013-b", "ab2013-l"):
        statuses = [
            f["status"] for target in golden.values() for f in target[field]["fields"].values()
        ]
        assert "gap" in statuses and any(s != "gap" for s in statuses), field


def test_testing_and_validation_data_is_listed_and_marked(summary_store: lineage.Store) -> None:
    report = build_report(summary_store, "support-assistant-v1", template="ca-ab2013")
    rows = ab_items(report)["ab2013-a"]["rows"]
    # The test data of every evaluation recorded against the model (issue 14's records).
    tested = {e.dataset for e in summary_store.evaluations("support-assistant-v1")}
    assert tested == {"dataset:support-heldout-v1", "source:fairlight-support-bench-2026"}
    testing = [r["dataset"] for r in rows if r["use"] == "testing and validation"]
    assert sorted(testing) == sorted(tested)
    training = [r["dataset"] for r in rows if r["use"] == "training"]
    assert "source:web-crawl-2025-05" in training and not tested & set(training)


def test_ab2013_purpose_is_never_the_description(summary_store: lineage.Store) -> None:
    report = build_report(summary_store, "support-assistant-v1", template="ca-ab2013")
    rows = {r["dataset"]: r for r in ab_items(report)["ab2013-b"]["rows"]}
    # The product reviews have a description and a purpose; the snippets a description only.
    assert rows["source:product-reviews-openshelf"]["text"] == (
        "how customers describe problems with consumer electronics"
    )
    assert rows["source:code-chat-widget-snippets"] == {
        "dataset": "source:code-chat-widget-snippets",
        "use": "training",
        "status": "gap",
        "text": None,
    }
    assert any(
        g.subject == "source:code-chat-widget-snippets" and g.field == "attrs.purpose"
        for g in report.gaps
    )


def test_fine_tuned_summary_covers_its_own_data_and_points_to_the_base_summary(
    summary_store: lineage.Store,
) -> None:
    report = build_report(summary_store, "support-assistant-v1-de", template="eu-ai-act")
    fields = eu_fields(report)
    assert fields["1.2.b"]["text"] == (
        "Modified or fine-tuned from support-assistant-v1 (Northwind Labs), its summary: "
        "https://northwind.example/ai/support-assistant-v1/training-summary"
    )
    cited = {r.id for r in report.records}
    assert "source:de-support-kb-brokered" in cited
    # The base model's sources are its own summary's business, not this one's.
    assert not cited & {"source:web-crawl-2025-05", "source:helpdesk-handbook-meridian"}
    assert fields["2.3.a"]["status"] == "gap"  # a source of unknown category remains
    assert fields["2.2.2.a"]["text"] == "Yes"


def test_version_changes_only_with_the_content(
    summary_store: lineage.Store, tmp_path: Path
) -> None:
    def version() -> tuple[str, str]:
        fields = eu_fields(
            build_report(
                summary_store, "support-assistant-v1", template="eu-ai-act", produced_at=PRODUCED_AT
            )
        )
        return str(fields["0.a"]["text"]), str(fields["0.b"]["text"])

    first, date = version()
    assert first.startswith("2 (content sha256:") and "not yet recorded as published" in first
    assert "earlier versions: 1 (sha256:5d1e8c0c" in first and date.startswith("01/07/2025")
    digest = first.split("content ", 1)[1].split(",", 1)[0]
    earlier = summary_store.show("support-assistant-v1").facts["attrs"]["published_summaries"]
    # Recording the publication changes the model record, not what the summary says.
    summary_store.amend(
        "support-assistant-v1",
        reason="summary version 2 published",
        published_summaries=[*earlier, f"{digest}@2025-08-01"],
    )
    published, date = version()
    assert published.startswith(f"2 (content {digest}, published)")
    assert date == "01/08/2025"
    summary_store.amend("support-assistant-v1", reason="typo", description="Support assistant.")
    assert version()[0] == published
    # New content: a new version, the published ones listed as earlier versions.
    summary_store.amend("support-assistant-v1", reason="more languages", languages=["en", "pl"])
    changed, _ = version()
    assert changed.startswith("3 (content sha256:") and digest not in changed.split(";")[0]
    assert f"2 ({digest}, published 2025-08-01)" in changed


def test_ab2013_processing_of_a_held_out_set_names_the_run_that_made_it(
    summary_store: lineage.Store,
) -> None:
    # Test sets are training data under 3110(f): the held-out set the developer wrote
    # from the Meridian handbook was processed, and (a)(9) said "none recorded".
    made = {
        "status": "recorded",
        "text": "annotate (activity:write-heldout-2025-06-06): a held-out set to test "
        "accuracy and bias",
    }
    model = ab_items(build_report(summary_store, "support-assistant-v1", template="ca-ab2013"))
    rows = {r["dataset"]: r for r in model["ab2013-i"]["rows"]}
    assert rows["dataset:support-heldout-v1"] == {
        "dataset": "dataset:support-heldout-v1",
        "use": "testing and validation",
        **made,
    }
    # A benchmark taken as it was published: nothing was done to it.
    assert rows["source:fairlight-support-bench-2026"]["text"] == "none recorded"

    # Reported on by itself, the held-out set and its source were processed by the same run.
    dataset = ab_items(build_report(summary_store, "support-heldout-v1", template="ca-ab2013"))
    rows = {r["dataset"]: r for r in dataset["ab2013-i"]["rows"]}
    assert {d: {"status": r["status"], "text": r["text"]} for d, r in rows.items()} == {
        "dataset:support-heldout-v1": made,
        "source:helpdesk-handbook-meridian": made,
    }
