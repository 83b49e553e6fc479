"""Tampering: edit, delete, reorder rows, rewrite the whole chain; each caught where it should."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from history import rewrite_history, tamper

import lineage


@pytest.fixture
def recorded(store: lineage.Store) -> lineage.Store:
    """Four transactions: raw, clean, a run between them, an amendment of raw."""
    store.add_source("raw", license="MIT", obtained="public")
    store.add_dataset("clean")
    store.record_run("clean-text", name="clean-1", inputs=["raw"], outputs=["clean"])
    store.amend("raw", reason="relicensed", license="Apache-2.0")
    return store


@pytest.fixture
def keys(tmp_path: Path) -> tuple[str, str]:
    pair = lineage.generate_keys(str(tmp_path / "auditor"))
    return pair.private, pair.public


@pytest.fixture
def checkpoint(recorded: lineage.Store, keys: tuple[str, str], tmp_path: Path) -> str:
    path = str(tmp_path / "checkpoint.json")
    out = ok(invoke(recorded.url, f"audit checkpoint --key {keys[0]} -o {path}"))
    assert out.startswith("wrote ")
    return path


def _verify(store: lineage.Store, options: str = "") -> tuple[int, str]:
    result = invoke(store.url, f"audit verify {options}")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_an_edited_row_is_caught_by_audit_verify(recorded: lineage.Store) -> None:
    assert _verify(recorded)[0] == 0
    tamper(
        recorded.url, "UPDATE node SET license = 'GPL-3.0-only' WHERE name = 'raw' AND version = 1"
    )

    code, out = _verify(recorded)

    assert code == 1
    assert "TAMPERED: transaction 1: source 'raw' version 1 (node row 1) was altered" in out


def test_a_deleted_row_is_caught_by_audit_verify(recorded: lineage.Store) -> None:
    tamper(recorded.url, "DELETE FROM edge WHERE relation = 'used'")

    code, out = _verify(recorded)

    assert code == 1
    assert "recorded in transaction 3 was removed" in out


def test_reordered_ledger_entries_are_caught_by_audit_verify(recorded: lineage.Store) -> None:
    tamper(
        recorded.url,
        "UPDATE ledger SET seq = 100 WHERE seq = 2",
        "UPDATE ledger SET seq = 2 WHERE seq = 3",
        "UPDATE ledger SET seq = 3 WHERE seq = 100",
    )

    code, out = _verify(recorded)

    assert code == 1
    assert "TAMPERED: transaction 2: ledger entry does not chain to the one before" in out


def test_reordered_rows_are_caught_by_audit_verify(recorded: lineage.Store) -> None:
    # The run's two relations swap places: each row now sits under the other's id.
    tamper(
        recorded.url,
        "UPDATE edge SET id = 100 WHERE id = 1",
        "UPDATE edge SET id = 1 WHERE id = 2",
        "UPDATE edge SET id = 2 WHERE id = 100",
    )

    code, out = _verify(recorded, "--json")

    assert code == 1
    messages = [p["message"] for p in json.loads(out)["problems"]]
    assert "the seals of transaction 3 were rewritten" in messages
    assert any(
        m.startswith("edge row 1 (") and m.endswith("was altered after it was recorded")
        for m in messages
    )


def test_a_rewritten_chain_passes_audit_verify_but_not_a_checkpoint(
    recorded: lineage.Store, checkpoint: str, keys: tuple[str, str]
) -> None:
    assert _verify(recorded, f"--checkpoint {checkpoint} --key {keys[1]}")[0] == 0
    rewrite_history(
        recorded.url, "UPDATE node SET license = 'GPL-3.0-only' WHERE name = 'raw' AND version = 1"
    )

    plain, _ = _verify(recorded)
    code, out = _verify(recorded, f"--checkpoint {checkpoint} --key {keys[1]}")

    assert plain == 0  # every seal and hash was recomputed: the chain alone cannot tell
    assert code == 1
    assert "ledger entry 4 now hashes to" in out
    assert "history up to it was rewritten" in out


def test_a_checkpoint_still_verifies_after_later_writes(
    recorded: lineage.Store, checkpoint: str, keys: tuple[str, str]
) -> None:
    recorded.add_source("later", license="MIT")

    code, out = _verify(recorded, f"--checkpoint {checkpoint} --key {keys[1]} --json")

    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True and data["entries"] == 5


def test_history_cut_off_after_a_checkpoint_is_caught(
    recorded: lineage.Store, checkpoint: str, keys: tuple[str, str]
) -> None:
    tamper(recorded.url, "DELETE FROM node WHERE tx = 4", "DELETE FROM ledger WHERE seq = 4")

    plain, _ = _verify(recorded)
    code, out = _verify(recorded, f"--checkpoint {checkpoint} --key {keys[1]}")

    assert plain == 0  # the newest entry went with its rows
    assert code == 1
    assert "ledger entry 4 of the checkpoint" in out and "is gone" in out


def test_a_forged_checkpoint_is_not_trusted(
    recorded: lineage.Store, checkpoint: str, keys: tuple[str, str]
) -> None:
    data = json.loads(Path(checkpoint).read_text(encoding="utf-8"))
    data["head"] = "0" * 64
    Path(checkpoint).write_text(json.dumps(data), encoding="utf-8")

    code, out = _verify(recorded, f"--checkpoint {checkpoint} --key {keys[1]}")

    assert code == 1
    assert "the checkpoint cannot be trusted: the signature does not match its content" in out


def test_a_checkpoint_checked_with_another_key_is_not_trusted(
    recorded: lineage.Store, checkpoint: str, tmp_path: Path
) -> None:
    other = lineage.generate_keys(str(tmp_path / "other"))

    code, out = _verify(recorded, f"--checkpoint {checkpoint} --key {other.public}")

    assert code == 1
    assert f"not with the key given ({other.fingerprint})" in out


def test_checkpoint_without_key_is_bad_input(recorded: lineage.Store, checkpoint: str) -> None:
    line = one_error_line(invoke(recorded.url, f"audit verify --checkpoint {checkpoint}"), 2)

    assert line == "Error: --checkpoint and --key go together"


def test_a_checkpoint_that_is_not_json_is_bad_input(
    recorded: lineage.Store, keys: tuple[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")

    line = one_error_line(
        invoke(recorded.url, f"audit verify --checkpoint {bad} --key {keys[1]}"), 2
    )

    assert line.startswith(f"Error: {bad}: not a ledger checkpoint (invalid JSON")


def test_a_checkpoint_missing_a_field_is_bad_input(
    recorded: lineage.Store, keys: tuple[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "lineage-ledger-checkpoint-1", "seq": 1}', encoding="utf-8")

    line = one_error_line(
        invoke(recorded.url, f"audit verify --checkpoint {bad} --key {keys[1]}"), 2
    )

    assert line == f"Error: {bad}: field 'head': required field is missing"


# SQLite lets any column hold any type: an edit behind the tool's back can leave a value
# lineage never writes (PostgreSQL's typed columns refuse these).
@pytest.mark.parametrize("value", ["X'0102'", "9e999", "1.5", "123456789012345678901234"])
def test_a_value_of_a_foreign_type_is_caught_by_verify_and_reads_say_so_in_one_line(
    tmp_path: Path, value: str
) -> None:
    db = tmp_path / "store.db"
    with lineage.open_store(str(db)) as store:
        store.add_source("raw", license="MIT", records=10)
        store.add_dataset("clean")
        store.record_run("dedup", name="dedup-1", inputs=["raw"], outputs=["clean"])
    url = f"sqlite:///{db}"
    tamper(url, f"UPDATE node SET records = {value} WHERE name = 'raw'")

    code, out = _verify(lineage.open_store(str(db)))

    assert code == 1
    assert "TAMPERED: transaction 1: source 'raw' version 1 (node row 1) was altered" in out
    for command in ("upstream clean", "check clean", "report clean -o " + str(tmp_path / "r.md")):
        result = invoke(url, command)
        if value in ("X'0102'", "9e999"):  # what the read cannot carry: one line, naming verify
            line = one_error_line(result, result.exit_code)
            assert result.exit_code != 0
            assert "holds a value lineage never writes" in line
            assert "lineage audit verify" in line
        else:  # what it carries as it is (a REAL, a long integer as a REAL)
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert "Traceback" not in result.output and "Error:" not in result.output
