"""`lineage check`: exit codes for CI, the text and JSON output, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import lineage
from cli.main import cli

ROOT = Path(lineage.__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "lineage.yaml"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite store holding the sample, with the repository as the working folder."""
    monkeypatch.chdir(ROOT)
    path = str(tmp_path / "lineage.db")
    with lineage.open_store(path) as store:
        store.set_data_root(str(ROOT))
        store.ingest([str(SAMPLE)])
    return path


def _run(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "check", *args])


def test_check_exits_1_and_lists_the_planted_problems(db: str) -> None:
    result = _run(db, "support-assistant-v1")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ERROR    unknown-provenance: source:code-chat-widget-snippets")
    assert lines[1].startswith("         path: source:code-chat-widget-snippets -> ")
    assert lines[-1].startswith("model:support-assistant-v1: ")
    # The two warnings: the sample's disputed licence and its licence switch after use.
    assert (
        "errors, 3 warnings, 0 info (intended use commercial, from the model's record" in lines[-1]
    )
    # The help-centre block: a tool and a removed part are listed, not judged as content.
    assert lines[-3] == (
        "TOOL     source:word-blocklist: used by activity:select-help-articles-2025-06-02 as a "
        "reference, not as training content (its terms are not carried downstream)"
    )
    assert lines[-2] == (
        "REMOVED  source:help-centre-legacy-2019: removed by "
        "activity:select-help-articles-2025-06-02; its content does not reach "
        "model:support-assistant-v1"
    )


def test_check_json_has_stable_keys_and_every_finding(db: str) -> None:
    result = _run(db, "support-assistant-v1", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == [
        "target",
        "ok",
        "counts",
        "intended_use",
        "intended_use_from",
        "policy",
        "ledger",
        "as_of",
        "findings",
        "references",
        "excluded",
    ]
    assert data["references"] == [
        {
            "record": "source:word-blocklist",
            "run": "activity:select-help-articles-2025-06-02",
            "also_content": False,
            "content_of": [],
        }
    ]
    assert data["excluded"] == [
        {
            "record": "source:help-centre-legacy-2019",
            "run": "activity:select-help-articles-2025-06-02",
            "still_reaches": False,
            "content_of": [],
        }
    ]
    assert data["ok"] is False
    rules = {f["rule"] for f in data["findings"]}
    assert {"non-commercial", "pii-not-removed", "licence-conflict"} <= rules
    assert all(
        f["path"][-1] == "model:support-assistant-v1"
        for f in data["findings"]
        if f["rule"] != "approval-missing"
    )


def test_check_exits_0_when_the_policy_makes_nothing_an_error(db: str, tmp_path: Path) -> None:
    from lineage.checks import RULES

    policy = tmp_path / "lenient.yaml"
    policy.write_text("rules:\n" + "".join(f"  {rule}: warning\n" for rule in RULES))
    result = _run(db, "support-assistant-v1", "--policy", str(policy))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("WARNING  ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-model"], "'no-such-model' is not recorded"),
        (["support-assistant-v1", "--as-of", "yesterday"], "is not an ISO 8601 date"),
        (["support-assistant-v1", "--policy", "absent.yaml"], "absent.yaml: no such file"),
    ],
)
def test_check_exits_2_on_bad_input_with_one_line(
    db: str,
    args: list[str],
    message: str,
) -> None:
    result = _run(db, *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_exits_2_for_a_bad_policy_naming_its_line(db: str, tmp_path: Path) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text("intended_use: commercial\nrules: {digest-missing: sometimes}\n")
    result = _run(db, "support-assistant-v1", "--policy", str(policy))
    assert result.exit_code == 2
    assert f"{policy}:2: field 'rules.digest-missing'" in result.stderr


def test_check_exits_2_without_a_store(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "none.db"), "support-assistant-v1")
    assert result.exit_code == 2
    assert "lineage init" in result.stderr
