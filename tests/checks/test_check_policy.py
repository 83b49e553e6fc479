"""Policies: read from YAML, validated with file:line errors, applied to rule severities."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_trails import Checker, clean_manifest

from lineage.checks import STRICT, Policy, PolicyError, load_policy

EXAMPLE = """\
intended_use: commercial          # commercial | non-commercial | research | internal
forbidden_licenses: [AGPL-3.0-only]
allowed_licenses: []              # empty: any licence whose terms fit intended_use
require_approval: true
rules: {unknown-provenance: error, pii-no-legal-basis: error, digest-missing: warning}
"""


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return str(path)


def test_load_policy_reads_the_documented_example(tmp_path: Path) -> None:
    policy = load_policy(_write(tmp_path, EXAMPLE))
    assert policy.intended_use == "commercial"
    assert policy.forbidden_licenses == ("AGPL-3.0-only",)
    assert policy.severity("digest-missing") == "warning"
    assert policy.severity("share-alike") == "error"


def test_load_policy_normalises_licence_ids(tmp_path: Path) -> None:
    policy = load_policy(_write(tmp_path, "forbidden_licenses: [gpl-3.0]\n"))
    assert policy.forbidden_licenses == ("GPL-3.0-only",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rules:\n  unknown-provenance: error\n  no-such-rule: warning\n",
            ":3: field 'rules.no-such-rule': unknown rule",
        ),
        (
            "forbidden_licenses:\n  - MIT\n  - MIT-ish\n",
            ":3: field 'forbidden_licenses.1': 'MIT-ish' is not a known SPDX licence id",
        ),
        ("intended_use: sometimes\n", ":1: field 'intended_use': Input should be"),
        (
            "require_approval: true\nrules: {digest-missing: fatal}\n",
            ":2: field 'rules.digest-missing': Input should be",
        ),
        ("colour: blue\n", ":1: field 'colour': unknown field"),
        ("rules: [a, b\n", ": not valid YAML"),
    ],
)
def test_load_policy_rejects_bad_input_naming_file_and_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert str(error.value).startswith(path)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_load_policy_of_an_empty_file_is_the_strict_default(tmp_path: Path) -> None:
    assert load_policy(_write(tmp_path, "# nothing\n")) == STRICT


def test_load_policy_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no such file"):
        load_policy(str(tmp_path / "absent.yaml"))


def test_severity_from_the_policy_is_applied(checked: Checker) -> None:
    manifest = clean_manifest()
    del manifest["datasets"][0]["digest"]
    result = checked(manifest, policy=Policy(rules={"digest-missing": "warning"}))
    assert [(f.rule, f.severity) for f in result.findings] == [("digest-missing", "warning")]
    assert result.ok


def test_a_rule_switched_off_finds_nothing(checked: Checker) -> None:
    manifest = clean_manifest()
    del manifest["datasets"][0]["digest"]
    result = checked(manifest, policy=Policy(rules={"digest-missing": "off"}))
    assert result.findings == ()


def test_intended_use_without_policy_or_record_is_commercial(checked: Checker) -> None:
    manifest = clean_manifest()
    del manifest["models"][0]["intended_use"]
    result = checked(manifest)
    assert (result.intended_use, result.intended_use_from) == ("commercial", "default")


def test_intended_use_comes_from_the_record(checked: Checker) -> None:
    manifest = clean_manifest()
    manifest["models"][0]["intended_use"] = "internal"
    result = checked(manifest)
    assert (result.intended_use, result.intended_use_from) == ("internal", "record")


def test_intended_use_from_the_policy_wins(checked: Checker) -> None:
    result = checked(clean_manifest(), policy=Policy(intended_use="research"))
    assert (result.intended_use, result.intended_use_from) == ("research", "policy")
