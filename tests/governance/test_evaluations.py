"""Evaluation records: derived pass/fail, PROV shape, independence, manifests, coverage facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts

import lineage
import lineage.checks


@pytest.fixture
def modelled(store: lineage.Store) -> lineage.Store:
    """A model owned by Acme, trained on `train-set`; a test set; an in-house and an
    outside evaluator."""
    store.add_agent("acme", type="organization")
    store.add_agent("alice", type="person", acted_on_behalf_of="acme")
    store.add_agent("audit-co", type="organization")
    store.add_agent("bob", type="person", acted_on_behalf_of="audit-co")
    store.add_source("raw", license="MIT", owner="Acme")
    store.add_dataset("train-set")
    store.add_source("test-set", license="MIT", owner="Audit Co")
    store.add_model("m", owner="Acme")
    store.record_run("clean", inputs=["raw"], outputs=["train-set"])
    store.record_run("train", inputs=["train-set"], outputs=["m"])
    return store


def _add(store: lineage.Store, **fields: object) -> str:
    data: dict[str, object] = {
        "dataset": "test-set",
        "metric": "accuracy",
        "value": 0.7,
        "by": "alice",
        "date": "2025-06-13",
    }
    data.update(fields)
    return store.add_evaluation("m", **data)  # type: ignore[arg-type]


def test_pass_or_fail_is_derived_from_threshold_and_direction(modelled: lineage.Store) -> None:
    _add(modelled, threshold=0.8, direction="higher-is-better", slice="locale=en-NG")
    _add(modelled, value=0.9, threshold=0.8, direction="higher-is-better")
    _add(
        modelled,
        metric="accuracy_max_gap",
        value=0.15,
        slice="locale=*",
        category="fairness",
        threshold=0.05,
        direction="lower-is-better",
    )
    _add(modelled, metric="refusal_rate", value=0.02, threshold=0.05, direction="lower-is-better")
    _add(modelled, metric="helpfulness", value=3.9)

    found = {(e.metric, e.slice): e for e in modelled.evaluations("m")}

    assert found["accuracy", "locale=en-NG"].passed is False
    assert found["accuracy", "all"].passed is True
    assert found["accuracy_max_gap", "locale=*"].passed is False
    assert found["accuracy_max_gap", "locale=*"].category == "fairness"
    assert found["refusal_rate", "all"].passed is True
    assert found["helpfulness", "all"].passed is None
    assert found["helpfulness", "all"].result == "no threshold"


def test_an_evaluation_is_an_entity_generated_by_a_run_that_used_model_and_test_data(
    modelled: lineage.Store,
) -> None:
    name = _add(modelled, records=20, ci="0.5..0.85", tier="general-commercial")

    record = modelled.show(f"evaluation:{name}")
    assert record.kind == "evaluation"
    assert record.facts["metric_value"] == 0.7
    assert (record.facts["ci_lower"], record.facts["ci_upper"]) == (0.5, 0.85)
    assert record.facts["records"] == 20
    assert record.facts["tier"] == "general-commercial"
    up = modelled.upstream(f"evaluation:{name}", depth=1)
    roles = {
        (o, d["relation"], d.get("role"))
        for _, o, d in up.out_edges(f"evaluation:{name}", data=True)
    }
    [run] = [o for o, r, _ in roles if r == "was_generated_by"]
    assert ("model:m", "was_derived_from", "model") in roles
    assert ("source:test-set", "was_derived_from", "test-data") in roles
    assert ("agent:alice", "was_attributed_to", None) in roles
    used = modelled.upstream(run, depth=1)
    assert {"model:m", "source:test-set"} <= set(used.successors(run))
    # The evaluation hangs off the model: it is not upstream of it.
    assert f"evaluation:{name}" not in modelled.upstream("m")


def test_an_evaluation_is_bound_to_the_digests_of_model_and_test_data(
    modelled: lineage.Store,
) -> None:
    _add(modelled)

    [found] = modelled.evaluations("m")
    assert found.model_digest == lineage.upstream_digest(modelled.upstream("m"))
    assert found.data_digest == lineage.upstream_digest(modelled.upstream("test-set"))


def test_recording_the_same_result_twice_is_a_no_op(modelled: lineage.Store) -> None:
    first = _add(modelled)
    entries = modelled.info().ledger_entries

    assert _add(modelled) == first
    assert modelled.info().ledger_entries == entries


def test_independence_follows_acted_on_behalf_of(modelled: lineage.Store) -> None:
    _add(modelled, by="alice")
    _add(modelled, by="bob", metric="f1")

    found = {e.metric: e for e in modelled.evaluations("m")}

    assert found["accuracy"].independent is False
    assert found["accuracy"].evaluator_organisations == ("agent:acme",)
    assert found["f1"].independent is True
    assert found["f1"].evaluator_organisations == ("agent:audit-co",)


@pytest.mark.parametrize("order", ["owner-first", "owner-last"])
def test_independence_follows_every_principal_of_an_evaluator(
    modelled: lineage.Store, order: str
) -> None:
    # Dana acts for an outside auditor and, through Acme's own review team, for Acme
    # itself: whichever link was recorded first, she is not independent of Acme.
    modelled.add_agent("review-team", type="organization", acted_on_behalf_of="acme")
    principals = ["review-team", "audit-co"]
    for principal in principals if order == "owner-first" else principals[::-1]:
        modelled.add_agent("dana", type="person", acted_on_behalf_of=principal)
    assert set(modelled.upstream("agent:dana", depth=1).successors("agent:dana")) == {
        "agent:review-team",
        "agent:audit-co",
    }
    _add(modelled, by="dana")

    [found] = modelled.evaluations("m")

    assert found.independent is False
    assert found.evaluator_organisations == ("agent:acme", "agent:audit-co", "agent:review-team")


def test_an_evaluator_acting_only_for_outsiders_through_several_links_is_independent(
    modelled: lineage.Store,
) -> None:
    modelled.add_agent("lab", type="organization", acted_on_behalf_of="audit-co")
    modelled.add_agent("erin", type="person", acted_on_behalf_of="lab")
    modelled.add_agent("erin", type="person", acted_on_behalf_of="audit-co")
    _add(modelled, by="erin")

    [found] = modelled.evaluations("m")

    assert found.independent is True
    assert found.evaluator_organisations == ("agent:audit-co", "agent:lab")


def test_an_evaluator_with_no_organisation_is_not_independent(modelled: lineage.Store) -> None:
    modelled.add_agent("carol", type="person")
    _add(modelled, by="carol")

    [found] = modelled.evaluations("m")
    assert found.independent is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"threshold": 0.8}, "a threshold needs a direction"),
        ({"direction": "higher-is-better"}, "a threshold needs a direction"),
        ({"ci": "0.8..0.9"}, "outside its interval"),
        ({"slice": "locale en-NG"}, "is not a slice"),
        ({"category": "vibes"}, "field 'category'"),
        ({"metric": "acc uracy"}, "is not a metric id"),
        ({"dataset": "m"}, "field 'dataset': model:m is not a dataset or source"),
        ({"dataset": "nowhere"}, "field 'dataset'"),
        ({"by": "nobody"}, "nobody"),
    ],
)
def test_a_bad_evaluation_is_refused_and_nothing_is_written(
    modelled: lineage.Store, db_url: str, fields: dict[str, object], message: str
) -> None:
    before = table_counts(db_url)

    with pytest.raises(lineage.LineageError, match=message):
        _add(modelled, **fields)

    assert table_counts(db_url) == before


def test_evaluations_of_something_that_is_not_a_model_is_refused(
    modelled: lineage.Store,
) -> None:
    with pytest.raises(lineage.InvalidRecord, match="source:test-set is not a model"):
        modelled.evaluations("test-set")


def test_a_manifest_records_evaluations_with_coverage_biases_and_limitations(
    store: lineage.Store, tmp_path: Path
) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        """
agents:
  - {name: alice, type: person}
sources:
  - name: test-set
    coverage:
      - {attribute: locale, group: en-NG, records: 20, share: 0.2, basis: measured}
      - locale=en-US:80:measured
    known_biases: [few Nigerian English speakers]
    limitations: support questions only
models:
  - {name: m, limitations: [English only]}
evaluations:
  - {model: m, dataset: test-set, metric: accuracy, value: 0.7, slice: locale=en-NG,
     threshold: 0.8, direction: higher-is-better, by: alice, tier: general-commercial}
""",
        encoding="utf-8",
    )

    store.ingest([str(manifest)])

    [found] = store.evaluations("m")
    assert (found.metric, found.slice, found.passed) == ("accuracy", "locale=en-NG", False)
    assert found.by == ("agent:alice",)
    assert found.model_digest is None  # judged against the graph its transaction wrote
    facts = store.show("test-set").facts
    assert facts["coverage"] == [
        {"attribute": "locale", "basis": "measured", "group": "en-NG", "records": 20, "share": 0.2},
        {"attribute": "locale", "basis": "measured", "group": "en-US", "records": 80},
    ]
    assert facts["known_biases"] == ["few Nigerian English speakers"]
    assert facts["limitations"] == ["support questions only"]
    assert store.show("m").facts["limitations"] == ["English only"]


def test_a_manifest_evaluation_error_names_file_line_and_field(
    store: lineage.Store, db_url: str, tmp_path: Path
) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "models:\n  - {name: m}\nsources:\n  - {name: t}\nevaluations:\n"
        "  - model: m\n    dataset: t\n    metric: accuracy\n    value: 0.7\n"
        "    threshold: 0.8\n",
        encoding="utf-8",
    )
    before = table_counts(db_url)

    with pytest.raises(lineage.InvalidRecord) as error:
        store.ingest([str(manifest)])

    assert str(error.value).startswith(f"{manifest}:6: evaluations[0]: ")
    assert "a threshold needs a direction" in str(error.value)
    assert table_counts(db_url) == before


@pytest.mark.parametrize(
    ("coverage", "message"),
    [
        (["locale=en-NG:0.7", "locale=en-US:0.6"], "add up to 1.3"),
        (["locale=en-NG"], "is not ATTR=GROUP:VALUE"),
        (["locale=en-NG:lots"], "is not a count, a share or a basis"),
        ([{"attribute": "locale", "group": "en-NG"}], "needs records or share"),
        (["locale=en-NG:20", "locale=en-NG:30"], "given twice"),
    ],
)
def test_bad_coverage_is_refused(
    store: lineage.Store, db_url: str, coverage: list[object], message: str
) -> None:
    before = table_counts(db_url)

    with pytest.raises(lineage.InvalidRecord, match=message):
        store.add_dataset("d", coverage=coverage)

    assert table_counts(db_url) == before


def test_coverage_is_for_data_not_models(store: lineage.Store) -> None:
    with pytest.raises(lineage.InvalidRecord, match="field 'coverage': unknown field"):
        store.add_model("m", coverage=["locale=en-NG:20"])


# -- CLI --------------------------------------------------------------------------------------


def test_cli_evaluation_add_and_evaluations(modelled: lineage.Store, db_url: str) -> None:
    out = ok(
        invoke(
            db_url,
            "evaluation add m --dataset test-set --metric accuracy_max_gap --value 0.15 "
            "--slice 'locale=*' --category fairness --threshold 0.05 --direction lower-is-better "
            "--by bob --records 100 --ci 0.1..0.2 --date 2025-06-13 --tier federal-administrative",
        )
    )
    assert out.startswith("recorded evaluation:eval-m-")

    listed = ok(invoke(db_url, "evaluations m"))
    assert listed == (
        "FAIL         accuracy_max_gap [locale=*] = 0.15 (needs <= 0.05) on source:test-set; "
        "2025-06-13; by agent:bob (independent); tier federal-administrative\n"
    )
    data = json.loads(ok(invoke(db_url, "evaluations m --json")))
    [item] = data["evaluations"]
    assert item["passed"] is False
    assert item["independent"] is True
    assert item["ci"] == [0.1, 0.2]


def test_cli_source_add_takes_coverage_biases_and_limitations(
    store: lineage.Store, db_url: str
) -> None:
    ok(
        invoke(
            db_url,
            "source add s --coverage locale=en-NG:20:20%:measured "
            "--coverage name_gender=female:0.5:estimated --known-bias 'US-centric' "
            "--limitation 'English only'",
        )
    )

    facts = store.show("s").facts
    assert facts["coverage"][0] == {
        "attribute": "locale",
        "group": "en-NG",
        "records": 20,
        "share": 0.2,
        "basis": "measured",
    }
    assert facts["coverage"][1]["basis"] == "estimated"
    assert facts["known_biases"] == ["US-centric"]
    assert facts["limitations"] == ["English only"]


def test_cli_evaluation_add_bad_input_is_one_line_and_writes_nothing(
    modelled: lineage.Store, db_url: str
) -> None:
    before = table_counts(db_url)

    line = one_error_line(
        invoke(
            db_url,
            "evaluation add m --dataset test-set --metric accuracy --value 2 --threshold 0.8",
        ),
        1,
    )

    assert "a threshold needs a direction" in line
    assert table_counts(db_url) == before


def test_the_trail_names_every_principal_of_an_agent(modelled: lineage.Store) -> None:
    modelled.add_agent("review-team", type="organization", acted_on_behalf_of="acme")
    modelled.add_agent("dana", type="person", acted_on_behalf_of="review-team")
    modelled.add_agent("dana", type="person", acted_on_behalf_of="audit-co")
    modelled.add_dataset("mix")
    modelled.record_run("mix", inputs=["train-set"], outputs=["mix"], agent="dana")

    trail = lineage.checks.load_trail(modelled, "mix", verify_digests=False)

    assert trail.on_behalf_of("agent:dana") == [
        "agent:audit-co",
        "agent:review-team",
        "agent:acme",
    ]


@pytest.mark.parametrize(
    ("ci", "message"),
    [
        ("0.9..0.1", "field 'ci': its low end 0.9 is above its high end 0.1"),
        ("0.1..inf", "field 'ci': 0.1..inf: both ends must be finite numbers"),
        ("-inf..0.9", "field 'ci': -inf..0.9: both ends must be finite numbers"),
        ("nan..0.9", "field 'ci': nan..0.9: both ends must be finite numbers"),
        ("0.1..nan", "field 'ci': 0.1..nan: both ends must be finite numbers"),
    ],
)
def test_cli_a_reversed_or_infinite_interval_is_one_line_naming_ci(
    modelled: lineage.Store, db_url: str, ci: str, message: str
) -> None:
    # 0.9..0.1 was "the value is outside its interval", naming no field; 0.1..inf was
    # recorded.
    before = table_counts(db_url)

    line = one_error_line(
        invoke(
            db_url, f"evaluation add m --dataset test-set --metric accuracy --value 0.5 --ci {ci}"
        ),
        1,
    )

    assert line == f"Error: evaluation of 'm': {message}"
    assert table_counts(db_url) == before
