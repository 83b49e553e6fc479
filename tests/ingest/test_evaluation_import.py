"""`evaluation import`: model cards, lm-evaluation-harness results and CSV, valid and malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from cli_run import invoke, ok, one_error_line
from samples import SAMPLE, table_counts

import lineage

EVALS = SAMPLE / "evaluations"
CARD = EVALS / "model-card" / "README.md"
HARNESS = EVALS / "lm-eval" / "results_2025-06-13T10-31-00.json"
FAIRLIGHT = EVALS / "fairlight" / "results_2026-11-02T14-05-12.json"
CSV = EVALS / "support-assistant-v1.csv"


@pytest.fixture
def bare_sample(store: lineage.Store) -> lineage.Store:
    """The sample without its recorded evaluations, so an import's results stand alone."""
    manifest = yaml.safe_load((SAMPLE / "lineage.yaml").read_text(encoding="utf-8"))
    del manifest["evaluations"]
    store.record(manifest, base_dir=str(SAMPLE))
    assert store.evaluations("support-assistant-v1") == []
    return store


def _by_key(store: lineage.Store) -> dict[tuple[str, str, str], lineage.Evaluation]:
    return {(e.dataset, e.metric, e.slice): e for e in store.evaluations("support-assistant-v1")}


HELDOUT = "dataset:support-heldout-v1"


def test_a_model_card_model_index_becomes_evaluations(bare_sample: lineage.Store) -> None:
    names, result = bare_sample.import_evaluations(str(CARD), by="samuel-achebe")

    assert len(names) == 11
    assert result.ledger_seq is not None
    found = _by_key(bare_sample)
    assert found[HELDOUT, "accuracy", "all"].passed is True
    assert found[HELDOUT, "accuracy", "all"].tier == "general-commercial"
    assert found[HELDOUT, "accuracy", "locale=en-NG"].value == 0.7
    assert found[HELDOUT, "accuracy", "locale=en-NG"].records == 20
    assert found[HELDOUT, "accuracy", "name_gender=female"].value == 0.82
    gap = found[HELDOUT, "accuracy_max_gap", "locale=*"]
    assert (gap.category, gap.passed, gap.threshold) == ("fairness", False, 0.05)
    assert found[HELDOUT, "accuracy_max_gap", "name_gender=*"].passed is True
    assert found[HELDOUT, "refusal_rate", "all"].category == "safety"
    assert gap.by == ("agent:samuel-achebe",)


def test_an_lm_evaluation_harness_results_file_becomes_evaluations(
    bare_sample: lineage.Store,
) -> None:
    names, _ = bare_sample.import_evaluations(str(HARNESS), by="samuel-achebe")

    assert len(names) == 11
    found = _by_key(bare_sample)
    overall = found[HELDOUT, "acc", "all"]
    assert overall.value == 0.81
    assert overall.records == 100
    assert overall.date == "2025-06-13"
    assert overall.passed is True  # metadata threshold 0.8, higher_is_better
    assert overall.ci_lower == pytest.approx(0.81 - 1.96 * 0.0394)
    assert found[HELDOUT, "refusal_rate", "all"].direction == "lower-is-better"
    assert found[HELDOUT, "acc", "locale=en-NG"].value == 0.7
    gap = found[HELDOUT, "acc_max_gap", "locale=*"]
    assert (gap.passed, gap.tier, gap.ci_lower) == (False, "federal-administrative", None)


def test_an_outside_evaluators_harness_file_is_an_independent_evaluation(
    bare_sample: lineage.Store,
) -> None:
    bare_sample.import_evaluations(str(FAIRLIGHT), model="support-assistant-v1", by="amara-nwosu")

    found = _by_key(bare_sample)
    bench = "source:fairlight-support-bench-2026"
    assert found[bench, "acc", "all"].independent is True
    assert found[bench, "acc", "all"].date == "2026-11-02"
    assert found[bench, "unsafe_rate", "all"].passed is True
    assert found[bench, "unsafe_rate", "all"].direction == "lower-is-better"


def test_a_csv_of_evaluation_add_options_becomes_evaluations(bare_sample: lineage.Store) -> None:
    names, _ = bare_sample.import_evaluations(str(CSV))

    assert len(names) == 13
    found = _by_key(bare_sample)
    overall = found[HELDOUT, "accuracy", "all"]
    assert (overall.ci_lower, overall.ci_upper) == (0.73, 0.89)
    assert overall.description == "lm-eval 0.4.3 task nw_support_qa"
    assert found[HELDOUT, "accuracy_max_gap", "locale=*"].passed is False
    outside = found["source:fairlight-support-bench-2026", "accuracy", "all"]
    assert outside.independent is True
    assert outside.by == ("agent:amara-nwosu",)


def test_importing_the_same_file_twice_is_a_no_op(bare_sample: lineage.Store) -> None:
    first, _ = bare_sample.import_evaluations(str(CSV))
    entries = bare_sample.info().ledger_entries

    again, result = bare_sample.import_evaluations(str(CSV))

    assert again == first
    assert result.created == ()
    assert bare_sample.info().ledger_entries == entries


def test_cli_import_reports_what_it_recorded(bare_sample: lineage.Store) -> None:
    out = ok(invoke(bare_sample.url, f"evaluation import {CSV}"))
    assert out.endswith(f"13 evaluation results in {CSV}\n")

    data = json.loads(ok(invoke(bare_sample.url, f"evaluation import {CARD} --json")))
    assert len(data["evaluations"]) == 11
    assert data["file"] == str(CARD)


# -- malformed files: one line, file and line and field, nothing written ------------------

HEADER = "model,dataset,metric,value,slice,threshold,direction\n"
ROW = "support-assistant-v1,support-heldout-v1,accuracy,0.81,all,0.8,higher-is-better\n"
CARD_HEAD = "---\nmodel-index:\n  - name: support-assistant-v1\n    results:\n"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.csv", "model,metric,flavour\n", ":1: field 'flavour': unknown column"),
        (
            "bad.csv",
            HEADER + ROW + ROW.replace("higher-is-better", "up"),
            ":3: field 'direction': Input should be 'higher-is-better' or 'lower-is-better'",
        ),
        ("bad.csv", HEADER + ROW.replace("0.81", "lots"), ":2: field 'value'"),
        ("bad.csv", HEADER + ROW.replace(",all,", ",locale en,"), ":2: field 'slice'"),
        (
            "bad.csv",
            HEADER.replace(",slice,", ",ci,") + ROW.replace(",all,", ",0.9..0.7,"),
            ":2: field 'ci': its low end 0.9 is above its high end 0.7",
        ),
        (
            "bad.csv",
            HEADER.replace(",slice,", ",ci,") + ROW.replace(",all,", ",0.7..inf,"),
            ":2: field 'ci': 0.7..inf: both ends must be finite numbers",
        ),
        (
            "bad.csv",
            HEADER + ROW.replace("support-assistant-v1", "nope"),
            ":2: field 'model': ",
        ),
        ("bad.csv", HEADER + ROW + "a,b,c,d,e,f,g,h\n", ":3: more cells than the header"),
        ("bad.csv", HEADER, ": holds no evaluation results"),
        ("README.md", "# no front matter\n", ":1: no YAML front matter"),
        ("README.md", "---\nlicense: mit\n---\n", ":1: field 'model-index'"),
        (
            "README.md",
            CARD_HEAD
            + "      - dataset: {name: support-heldout-v1}\n"
            + "        metrics:\n          - {type: accuracy, value: high}\n---\n",
            ":7: field 'model-index.0.results.0.metrics.0.value': 'high' is not a number",
        ),
        (
            "README.md",
            CARD_HEAD
            + "      - dataset: {name: support-heldout-v1}\n"
            + "        metrics:\n          - {value: 0.8}\n---\n",
            ":7: field 'model-index.0.results.0.metrics.0.type': required field is missing",
        ),
        ("results.json", '{"results": {"t": {"acc,none": 0.8,}}}', ":1: not valid JSON"),
        (
            "results.json",
            '{\n  "results": {\n    "t": {\n      "acc,none": "high"\n    }\n  }\n}\n',
            ":4: field 'results.t.acc,none': 'high' is not a number",
        ),
        (
            "results.json",
            '{\n  "results": {\n    "t": {"acc,none": 0.8}\n  }\n}\n',
            ": field 'model': not given in the file; name it with --model",
        ),
        ("results.json", '{"versions": {}}', ": field 'results'"),
        ("notes.txt", "accuracy was fine\n", ": not an evaluation file"),
    ],
)
def test_a_malformed_file_is_one_line_with_file_line_and_field_and_writes_nothing(
    bare_sample: lineage.Store,
    db_url: str,
    tmp_path: Path,
    name: str,
    text: str,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = table_counts(db_url)

    line = one_error_line(
        invoke(
            db_url,
            f"evaluation import {path} --dataset support-heldout-v1"
            if name == "results.json" and "model" in message
            else f"evaluation import {path}",
        ),
        1,
    )

    assert line.startswith(f"Error: {path}")
    assert message in line
    assert table_counts(db_url) == before
