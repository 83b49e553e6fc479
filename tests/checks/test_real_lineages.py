"""Checks on lineages shaped like real ones (tests/real_lineages.py), on SQLite and PostgreSQL.

Each behaviour has a case where the rule fires and one where it must not.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cli_run import invoke, ok
from real_lineages import DIGEST, PILE_REMOVED, catalogue, fineweb, fineweb_edu, the_pile

import lineage
from lineage.checks import CheckResult

NOW = datetime(2025, 7, 1, tzinfo=UTC)


def _check(store: lineage.Store, manifest: dict[str, Any], target: str) -> CheckResult:
    store.record(manifest)
    assert store.info().ledger_entries > 0
    return lineage.check(store, target, now=NOW)


def _rules(result: CheckResult, subject: str) -> set[str]:
    return {f.rule for f in result.findings if f.subject == subject}


def _mentioning(result: CheckResult, name: str) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in result.findings if name in f.message]


# -- references: tools, filters, classifiers, blocklists ------------------------------


def test_a_share_alike_classifier_and_blocklist_used_as_references_raise_nothing(
    store: lineage.Store,
) -> None:
    result = _check(store, fineweb(), "web-lm")
    assert _mentioning(result, "fasttext-lid-176") == []
    assert _mentioning(result, "ut1-blocklist") == []
    assert not result.of_rule("share-alike") and not result.of_rule("licence-conflict")


def test_the_same_classifier_used_as_content_is_share_alike(store: lineage.Store) -> None:
    manifest = fineweb()
    language = manifest["runs"][1]
    language["inputs"] = [*language["inputs"], *language.pop("references")]
    result = _check(store, manifest, "web-lm")
    assert "share-alike" in _rules(result, "model:fasttext-lid-176")


def test_an_llm_annotator_s_terms_do_not_travel_with_the_text_it_scored(
    store: lineage.Store,
) -> None:
    result = _check(store, fineweb_edu(), "edu-lm")
    assert result.of_rule("no-competing-models") == ()
    trail = lineage.checks.load_trail(store, "edu-lm", now=NOW, verify_digests=False)
    assert trail.agents_of("activity:annotate") == ["agent:llama-3-70b-annotator"]
    assert [r.entity for r in trail.references] == ["model:llama-3-70b-instruct"]


def test_text_the_llm_generated_carries_its_terms(store: lineage.Store) -> None:
    manifest = fineweb_edu()
    manifest["sources"].append(
        {
            "name": "synthetic-lessons",
            "owner": "Example Lab",
            "uri": "https://lab.example/lessons",
            "license": "LicenseRef-llama3-community",
            "restrictions": ["no-competing-models"],
            "obtained": "synthetic",
            "generated_by": "llama-3-70b-instruct",
            "personal_data": "no",
        }
    )
    manifest["runs"][1]["inputs"].append("synthetic-lessons")
    result = _check(store, manifest, "edu-lm")
    assert [f.subject for f in result.of_rule("no-competing-models")] == [
        "source:synthetic-lessons"
    ]


def test_personal_data_in_a_reference_is_not_training_content(store: lineage.Store) -> None:
    manifest = fineweb()
    blocklist = manifest["sources"][1]
    blocklist.update(personal_data="yes", personal_data_categories=["names"])
    result = _check(store, manifest, "web-lm")
    assert _rules(result, "source:ut1-blocklist") == set()


def test_personal_data_used_as_content_without_legal_basis_fires(store: lineage.Store) -> None:
    manifest = fineweb()
    blocklist = manifest["sources"][1]
    blocklist.update(personal_data="yes", personal_data_categories=["names"])
    manifest["runs"][2]["inputs"].append(manifest["runs"][2].pop("references")[0])
    result = _check(store, manifest, "web-lm")
    assert {"pii-no-legal-basis", "pii-not-removed"} <= _rules(result, "source:ut1-blocklist")


# -- exclusions: the Pile minus Books3 ---------------------------------------------------


def test_parts_a_run_removed_do_not_reach_the_model(store: lineage.Store) -> None:
    result = _check(store, the_pile(), "pile-lm")
    for part in PILE_REMOVED:
        assert _mentioning(result, part) == [], part
    # The parts it kept still count: Wikipedia is share-alike.
    assert "share-alike" in _rules(result, "source:wikipedia-en")
    trail = lineage.checks.load_trail(store, "pile-lm", now=NOW, verify_digests=False)
    assert [x.entity for x in trail.exclusions] == sorted(f"source:{p}" for p in PILE_REMOVED)
    assert "source:books3" in trail.whole and "source:books3" not in trail.graph


def test_without_the_removal_books3_is_an_unknown_licence_in_the_model(
    store: lineage.Store,
) -> None:
    result = _check(store, the_pile(exclude=False), "pile-lm")
    assert "unknown-provenance" in _rules(result, "source:books3")
    (conflict,) = result.of_rule("licence-conflict")
    assert "no licence (source:bookcorpus2 and 4 more)" in conflict.message


# -- pii-not-removed: what a step says it removed ------------------------------------------


def test_a_step_that_masks_emails_and_ips_leaves_names(store: lineage.Store) -> None:
    result = _check(store, fineweb(), "web-lm")
    (finding,) = result.of_rule("pii-not-removed")
    assert finding.severity == "error"
    assert finding.subject == "source:common-crawl-2024-10"
    assert "with names not removed" in finding.message
    assert "activity:mask-contacts removed emails and ip addresses" in finding.message
    assert finding.path[0] == "source:common-crawl-2024-10" and finding.path[-1] == "model:web-lm"
    assert "activity:mask-contacts" in finding.path


def test_a_step_without_the_magic_word_that_removes_every_category_clears_it(
    store: lineage.Store,
) -> None:
    manifest = fineweb()
    masking = manifest["runs"][3]
    assert masking["operation"] == "format"  # no "pii", "redact" or "anonymise" in it
    masking["removes_personal_data"].append("names")
    result = _check(store, manifest, "web-lm")
    assert result.of_rule("pii-not-removed") == ()


def test_a_category_removed_on_one_branch_only_remains_on_the_other(
    store: lineage.Store,
) -> None:
    manifest = fineweb()
    manifest["runs"][3]["removes_personal_data"].append("names")
    # The non-English branch is mixed back in without masking.
    manifest["runs"][4]["inputs"].append("fineweb-non-english")
    result = _check(store, manifest, "web-lm")
    (finding,) = result.of_rule("pii-not-removed")
    assert "emails, ip addresses and names not removed" in finding.message
    assert "dataset:fineweb-non-english" in finding.path


def test_a_scrub_known_only_by_its_name_is_a_warning(store: lineage.Store) -> None:
    manifest = fineweb()
    masking = manifest["runs"][3]
    del masking["removes_personal_data"], masking["method"]
    masking["operation"] = "scrub-pii"
    result = _check(store, manifest, "web-lm")
    (finding,) = result.of_rule("pii-not-removed")
    assert finding.severity == "warning"
    assert "by its operation's name only" in finding.message


# -- unknown-provenance: only a URL missing ----------------------------------------------


def test_a_known_owner_without_a_url_is_a_warning(store: lineage.Store) -> None:
    manifest = fineweb()
    del manifest["sources"][0]["uri"]
    result = _check(store, manifest, "web-lm")
    (finding,) = result.of_rule("unknown-provenance")
    assert finding.severity == "warning"
    assert "no origin URI" in finding.message and "Common Crawl Foundation" in finding.message


def test_an_unknown_owner_is_still_an_error(store: lineage.Store) -> None:
    manifest = fineweb()
    del manifest["sources"][0]["uri"], manifest["sources"][0]["owner"]
    result = _check(store, manifest, "web-lm")
    (finding,) = result.of_rule("unknown-provenance")
    assert finding.severity == "error"
    assert "provenance is unknown" in finding.message


# -- catalogues are not training mixes ------------------------------------------------------


def test_an_audit_marked_as_a_catalogue_is_not_judged_as_a_mix(store: lineage.Store) -> None:
    result = _check(store, catalogue(marked=True), "dataset:provenance-audit")
    assert not result.of_rule("licence-conflict") and not result.of_rule("share-alike")
    # Facts about each reviewed dataset are still reported.
    assert "unknown-provenance" in _rules(result, "source:scraped-qa")


def test_an_unmarked_audit_is_judged_as_a_mix(store: lineage.Store) -> None:
    result = _check(store, catalogue(marked=False), "dataset:provenance-audit")
    assert result.of_rule("licence-conflict")
    assert result.of_rule("share-alike")


def _pile_with_books3_also_extracted() -> dict[str, Any]:
    """The Pile minus Books3, and a second run that extracts Books3 into the training mix."""
    manifest = the_pile()
    manifest["datasets"].append({"name": "books-extra", "digest": DIGEST})
    manifest["runs"].insert(
        -1,
        {
            "operation": "extract",
            "name": "extract-books",
            "inputs": ["books3"],
            "outputs": ["books-extra"],
        },
    )
    manifest["runs"][-1]["inputs"].append("books-extra")
    return manifest


def test_a_removed_part_that_reaches_the_model_another_way_is_reported(
    store: lineage.Store,
) -> None:
    result = _check(store, _pile_with_books3_also_extracted(), "pile-lm")

    trail = lineage.checks.load_trail(store, "pile-lm", now=NOW, verify_digests=False)
    reaching = {x.entity for x in trail.exclusions if x.still_reaches}
    assert reaching == {"source:books3"}
    assert len(trail.exclusions) == len(PILE_REMOVED)
    # Checked as the content it is: its licence is unknown.
    assert "unknown-provenance" in _rules(result, "source:books3")
    assert [x.entity for x in result.exclusions if x.still_reaches] == ["source:books3"]


def test_check_says_a_removed_part_still_reaches_the_model(store: lineage.Store) -> None:
    store.record(_pile_with_books3_also_extracted())

    out = ok(invoke(store.url, "check pile-lm"), exit_code=1)
    data = json.loads(ok(invoke(store.url, "check pile-lm --json"), exit_code=1))

    lines = [line for line in out.splitlines() if line.startswith("REMOVED")]
    assert (
        "REMOVED  source:books3: removed by activity:remove-books3, but it still reaches "
        "model:pile-lm as content of activity:extract-books" in lines
    )
    assert (
        "REMOVED  source:gutenberg: removed by activity:remove-books3; its content does not "
        "reach model:pile-lm" in lines
    )
    excluded = {x["record"]: x["still_reaches"] for x in data["excluded"]}
    assert excluded == {f"source:{p}": p == "books3" for p in PILE_REMOVED}


def test_the_report_says_which_removed_parts_still_reach_the_model(store: lineage.Store) -> None:
    store.record(_pile_with_books3_also_extracted())
    report = lineage.build_report(store, "pile-lm", verify_digests=False)
    text = lineage.render_report(report, "md").decode()

    section = text[text.index("## Tools and references") :]
    section = section[: section.index("\n## ", 5)]
    assert (
        "| `source:books3` | `activity:remove-books3` | none recorded | no | yes, as content of "
        "activity:extract-books |" in section
    )
    assert "| `source:gutenberg` | `activity:remove-books3` | none recorded | no | no |" in section
    assert "checked as the content it is there" in section
    assert "These parts were removed by the runs named: their content does not reach" not in (
        section
    )


def _fineweb_with_the_blocklist_also_as_content() -> dict[str, Any]:
    """FineWeb, whose URL filter consults the UT1 blocklist, and a second run that turns
    the blocklist itself into training text."""
    manifest = fineweb()
    manifest["datasets"].append({"name": "blocked-urls", "digest": DIGEST})
    manifest["runs"].insert(
        -1,
        {
            "operation": "extract",
            "name": "list-urls",
            "inputs": ["ut1-blocklist"],
            "outputs": ["blocked-urls"],
        },
    )
    manifest["runs"][-1]["inputs"].append("blocked-urls")
    return manifest


def test_a_reference_also_used_as_content_is_content_there(store: lineage.Store) -> None:
    result = _check(store, _fineweb_with_the_blocklist_also_as_content(), "web-lm")

    trail = lineage.checks.load_trail(store, "web-lm", now=NOW, verify_digests=False)
    found = {r.entity: r.content_of for r in trail.references}
    assert found == {
        "model:fasttext-lid-176": (),
        "source:ut1-blocklist": ("activity:list-urls",),
    }
    assert [r.entity for r in result.references if r.also_content] == ["source:ut1-blocklist"]
    assert "source:ut1-blocklist" in trail.graph
    assert not trail.is_reference_only("source:ut1-blocklist")
    # Its share-alike terms now travel with the text made from it; the classifier's do not.
    assert "share-alike" in _rules(result, "source:ut1-blocklist")
    assert _mentioning(result, "fasttext-lid-176") == []


def test_check_says_a_reference_is_also_training_content(store: lineage.Store) -> None:
    store.record(_fineweb_with_the_blocklist_also_as_content())

    out = ok(invoke(store.url, "check web-lm"), exit_code=1)
    data = json.loads(ok(invoke(store.url, "check web-lm --json"), exit_code=1))

    lines = [line for line in out.splitlines() if line.startswith("TOOL")]
    assert lines == [
        "TOOL     model:fasttext-lid-176: used by activity:language-filter as a reference, "
        "not as training content (its terms are not carried downstream)",
        "TOOL     source:ut1-blocklist: used by activity:url-filter as a reference, and as "
        "training content of activity:list-urls (its terms are carried downstream from there)",
    ]
    assert {r["record"]: r["also_content"] for r in data["references"]} == {
        "model:fasttext-lid-176": False,
        "source:ut1-blocklist": True,
    }


def test_the_report_says_which_references_are_also_training_content(
    store: lineage.Store,
) -> None:
    store.record(_fineweb_with_the_blocklist_also_as_content())
    report = lineage.build_report(store, "web-lm", verify_digests=False)
    text = lineage.render_report(report, "md").decode()

    section = text[text.index("## Tools and references") :]
    section = section[: section.index("\n## ", 5)]
    rows = {line.split(" | ")[0]: line for line in section.splitlines() if line.startswith("| `")}
    assert rows["| `model:fasttext-lid-176`"].startswith(
        "| `model:fasttext-lid-176` | `activity:language-filter` | Meta |"
    )
    assert rows["| `source:ut1-blocklist`"].startswith(
        "| `source:ut1-blocklist` | activity:url-filter as a reference; also as training "
        "content by activity:list-urls | Université Toulouse 1 Capitole |"
    )
    assert "not as training content: their terms bind their use" not in section
    # And it is among the sources of the content trail, with its licence in the trail.
    sources = text[text.index("## Sources") :]
    assert "### `source:ut1-blocklist`" in sources[: sources.index("\n## ", 5)]
