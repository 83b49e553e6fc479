"""`run record --reference / --excludes / --removes-personal-data`, `dataset add
--not-training-mix`, `--collected ..END`, and the reports that show them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from real_lineages import PILE_REMOVED, fineweb, the_pile
from samples import table_counts

import lineage


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite store with a crawl, a language classifier, a blocklist and two datasets."""
    path = str(tmp_path / "lineage.db")
    with lineage.open_store(path) as store:
        store.add_source("crawl", owner="Crawl Org", license="MIT", personal_data="yes")
        store.add_model("lid-176", owner="Meta", license="CC-BY-SA-3.0")
        store.add_source("blocklist", owner="UT1", license="CC-BY-SA-4.0")
        store.add_agent("annotator-llm", type="software", version="70B-Instruct")
        store.add_dataset("english")
        store.add_dataset("other-languages")
    return path


def _edges(db: str, run: str) -> set[tuple[str, str, str | None]]:
    with lineage.open_store(db, create=False) as store:
        graph = store.upstream(run, depth=1)
    return {(target, edge["relation"], edge["role"]) for _, target, edge in graph.edges(data=True)}


def test_run_record_takes_references_exclusions_removals_and_an_llm_agent(db: str) -> None:
    out = ok(
        invoke(
            db,
            "run record filter --name f1 --input crawl --reference lid-176 "
            "--reference blocklist --excludes english --output other-languages "
            "--agent annotator-llm --removes-personal-data emails "
            "--removes-personal-data 'ip addresses' --method masking --json",
        )
    )
    assert json.loads(out) == {"run": "activity:f1", "recorded": True}
    assert _edges(db, "f1") == {
        ("source:crawl", "used", None),
        ("model:lid-176", "used", "reference"),
        ("source:blocklist", "used", "reference"),
        ("dataset:english", "used", "excluded"),
        ("agent:annotator-llm", "was_associated_with", None),
    }
    with lineage.open_store(db, create=False) as store:
        attrs = store.show("f1").current.facts["attrs"]
    assert attrs == {
        "removes_personal_data": ["emails", "ip addresses"],
        "removal_method": "masking",
    }


def test_a_name_both_input_and_reference_is_refused_and_nothing_is_written(db: str) -> None:
    before = table_counts(f"sqlite:///{db}")
    line = one_error_line(
        invoke(db, "run record filter --input crawl --reference crawl --output english"), 1
    )
    assert line == "Error: run 'filter': 'crawl' is in both inputs and references of the run"
    assert table_counts(f"sqlite:///{db}") == before


def test_a_method_without_categories_is_refused(db: str) -> None:
    before = table_counts(f"sqlite:///{db}")
    line = one_error_line(
        invoke(db, "run record mask --input crawl --output english --method masking"), 1
    )
    assert "'method' says how personal data was removed: give the categories" in line
    assert table_counts(f"sqlite:///{db}") == before


@pytest.mark.parametrize(
    ("option", "named"), [("--reference", "reference"), ("--excludes", "excluded part")]
)
def test_an_unknown_reference_or_removed_part_is_one_line_and_nothing_is_written(
    store: lineage.Store, option: str, named: str
) -> None:
    # The line said "input 'no-such-model' is not recorded": the wrong option.
    store.add_source("crawl", license="MIT")
    store.add_dataset("english")
    before = table_counts(store.database.url)
    assert before["node"] == 2

    line = one_error_line(
        invoke(
            store.url, f"run record filter --input crawl {option} no-such-model --output english"
        ),
        1,
    )

    assert line == f"Error: {named} 'no-such-model' is not recorded"
    assert table_counts(store.database.url) == before


@pytest.mark.parametrize(
    ("field", "named"), [("references", "reference"), ("excludes", "excluded part")]
)
def test_an_unknown_reference_or_removed_part_in_a_manifest_names_its_line(
    store: lineage.Store, tmp_path: Path, field: str, named: str
) -> None:
    manifest = tmp_path / "runs.yaml"
    manifest.write_text(
        "sources:\n"
        "  - {name: crawl, license: MIT}\n"
        "datasets:\n"
        "  - name: english\n"
        "runs:\n"
        "  - operation: filter\n"
        "    inputs: [crawl]\n"
        "    outputs: [english]\n"
        f"    {field}:\n"
        "      - other\n"
        "      - no-such-model\n",
        encoding="utf-8",
    )
    store.add_source("other", license="MIT")
    before = table_counts(store.database.url)

    line = one_error_line(invoke(store.url, f"ingest {manifest}"), 1)

    assert line == f"Error: {manifest}:11: {named} 'no-such-model' is not recorded"
    assert table_counts(store.database.url) == before


def test_dataset_add_not_training_mix_and_collected_with_an_unknown_start(db: str) -> None:
    ok(invoke(db, "dataset add audit --not-training-mix"))
    ok(invoke(db, "source add cut-off --collected ..2023-03-31"))
    with lineage.open_store(db, create=False) as store:
        assert store.show("audit").current.facts["attrs"] == {"not_training_mix": True}
        facts = store.show("cut-off").current.facts
    assert facts["collected_end"] == "2023-03-31" and "collected_start" not in facts


def test_a_collection_period_with_neither_end_is_refused(db: str) -> None:
    before = table_counts(f"sqlite:///{db}")
    line = one_error_line(invoke(db, "source add nowhen --collected .."), 1)
    assert "field 'collected': a collection period needs a start or an end date" in line
    assert table_counts(f"sqlite:///{db}") == before


def test_runs_named_from_their_facts_keep_their_names(db: str) -> None:
    # Names derived before these options existed must not change (this is the name the
    # previous version gave this run).
    out = ok(invoke(db, "run record filter --input crawl --output english --json"))
    assert json.loads(out)["run"] == "activity:filter-6e58fb8952"


# -- reports ---------------------------------------------------------------------------------


def _report(store: lineage.Store, target: str, template: str = "paper-trail") -> str:
    report = lineage.build_report(store, target, template=template, verify_digests=False)
    return lineage.render_report(report, "md").decode()


def test_the_report_lists_tools_and_references_with_their_own_terms(
    store: lineage.Store,
) -> None:
    store.record(fineweb())
    text = _report(store, "web-lm")
    section = text[text.index("## Tools and references") :]
    section = section[: section.index("\n## ", 5)]
    assert "`model:fasttext-lid-176` | `activity:language-filter` | Meta | CC-BY-SA-3.0" in section
    assert "`source:ut1-blocklist` | `activity:url-filter`" in section
    assert "not as training content" in section
    # Not among the licences of the trail's content.
    licences = text[text.index("## Licences in the trail") :]
    assert "CC-BY-SA" not in licences[: licences.index("\n## ", 5)]


def test_the_report_shows_other_outputs_removals_and_recorded_attrs(
    store: lineage.Store,
) -> None:
    manifest = fineweb()
    manifest["datasets"][0]["attrs"] = {"title": "Extracted text", "warc_files": 90000}
    store.record(manifest)
    report = lineage.build_report(store, "web-lm", verify_digests=False)
    text = lineage.render_report(report, "md").decode()
    assert "**Other outputs (not in this trail):** `dataset:fineweb-non-english`" in text
    assert "**Personal data removed:** emails, ip addresses (replaced with placeholder" in text
    details = text[text.index("## Other recorded facts") :]
    assert "`dataset:fineweb-extracted` | Extracted text | none recorded | warc_files: 90,000" in (
        details
    )
    # The other output is cited with its seal, like every record the report names.
    cited = {r.id for r in report.records}
    assert "dataset:fineweb-non-english" in cited


def test_the_report_shows_parts_removed_by_a_run(store: lineage.Store) -> None:
    store.record(the_pile())
    text = _report(store, "pile-lm")
    assert "**Parts removed:** " + ", ".join(f"source:{p}" for p in sorted(PILE_REMOVED)) in text
    assert "| `source:books3` | `activity:remove-books3` | none recorded | no |" in text
    sources = text[text.index("## Sources") :]
    assert "source:books3" not in sources[: sources.index("\n## ", 5)]


def test_no_latest_collection_date_from_one_dated_source_among_undated_ones(
    store: lineage.Store,
) -> None:
    store.record(the_pile())
    text = _report(store, "pile-lm", "eu-ai-act")
    line = next(x for x in text.splitlines() if "Latest date of data acquisition" in x)
    assert line.startswith(
        "- **Latest date of data acquisition/collection for model training:** "
        "not known: 5 of 6 sources record no collection period"
    ), line
    assert "the latest recorded is 12/2002 (end of collection of source:enron-emails)" in line
    assert "from 1 of 6 sources" in line


def test_the_latest_collection_date_when_every_source_is_dated(store: lineage.Store) -> None:
    manifest = fineweb()
    store.record(manifest)
    text = _report(store, "web-lm", "eu-ai-act")
    line = next(x for x in text.splitlines() if "Latest date of data acquisition" in x)
    assert line.endswith(":** 03/2024 (end of collection of source:common-crawl-2024-10)"), line
    paper = _report(store, "web-lm")
    assert "until 2024-03-31 (start not recorded)" in paper
