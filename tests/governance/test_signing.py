"""Signed reports: keys, the detached signature, and report-verify against the store."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cli_run import invoke, ok, one_error_line
from history import rewrite_history, tamper

import lineage
from lineage.governance.signing import load_private_key, sign


@pytest.fixture
def recorded(store: lineage.Store, tmp_path: Path) -> lineage.Store:
    data = tmp_path / "raw.txt"
    data.write_text("raw data\n", encoding="utf-8")
    store.add_agent("maria", type="person")
    store.add_source("raw", license="MIT", owner="Acme", path=str(data))
    store.add_dataset("clean")
    store.add_model("model", intended_use="commercial")
    store.record_run("clean", name="clean-1", inputs=["raw"], outputs=["clean"], agent="maria")
    store.record_run("train", name="train-1", inputs=["clean"], outputs=["model"], agent="maria")
    store.approve("model", by="maria", role="compliance-officer", tier="general-commercial")
    store.verify_content("model")
    return store


@pytest.fixture
def keys(tmp_path: Path) -> lineage.KeyPair:
    (tmp_path / "keys").mkdir()
    return lineage.generate_keys(str(tmp_path / "keys" / "auditor"))


def _sign(store: lineage.Store, keys: lineage.KeyPair, path: Path, extra: str = "") -> str:
    out = ok(invoke(store.url, f"report model -o {path} --sign {keys.private} {extra}"))
    assert (
        out.splitlines()[-1] == f"signed: {path}.sig (ledger entry {store.info().ledger_entries})"
    )
    return str(path)


def _report_verify(store: lineage.Store, report: str, public: str) -> tuple[int, str]:
    result = invoke(store.url, f"report-verify {report} --key {public} --json")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout


def test_keys_generate_writes_a_private_key_only_its_owner_can_read(
    keys: lineage.KeyPair,
) -> None:
    assert stat.S_IMODE(os.stat(keys.private).st_mode) == 0o600
    assert Path(keys.public).read_text(encoding="ascii").startswith("-----BEGIN PUBLIC KEY-----")
    assert keys.fingerprint.startswith("sha256:") and len(keys.fingerprint) == 71


def test_keys_generate_never_overwrites_a_key(keys: lineage.KeyPair, tmp_path: Path) -> None:
    before = Path(keys.private).read_bytes()
    prefix = keys.private.removesuffix(".key")

    line = one_error_line(invoke(str(tmp_path / "x.db"), f"keys generate {prefix}"), 1)

    assert line == f"Error: {keys.private} exists: keys are never overwritten"
    assert Path(keys.private).read_bytes() == before


@pytest.mark.parametrize("suffix", ["json", "md", "html"])
def test_a_signed_report_verifies_against_the_store(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path, suffix: str
) -> None:
    report = _sign(recorded, keys, tmp_path / f"trail.{suffix}")
    signature = json.loads(Path(f"{report}.sig").read_text(encoding="utf-8"))
    assert signature["ledger"]["seq"] == recorded.info().ledger_entries
    assert signature["key_fingerprint"] == keys.fingerprint

    code, out = _report_verify(recorded, report, keys.public)

    assert code == 0, out
    assert json.loads(out)["signature_ok"] and json.loads(out)["store_ok"]


def test_a_signed_report_states_the_recorded_verification_not_a_fresh_hash(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.json")
    data = json.loads(Path(report).read_text(encoding="utf-8"))
    sources = next(s for s in data["sections"] if s["id"] == "sources")
    [row] = sources["blocks"][0]["rows"]
    assert row[-1]["text"].startswith("matches (lineage verify, ")
    # The file changes later: the report still verifies, since it states the store's record.
    (tmp_path / "raw.txt").write_text("changed\n", encoding="utf-8")
    assert _report_verify(recorded, report, keys.public)[0] == 0


def test_a_signed_report_still_verifies_after_later_writes(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.md")
    recorded.amend("raw", reason="relicensed", license="Apache-2.0")
    recorded.revoke("raw", reason="licence ended")

    assert _report_verify(recorded, report, keys.public)[0] == 0


def test_an_edited_report_fails_its_signature(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = Path(_sign(recorded, keys, tmp_path / "trail.md"))
    report.write_text(report.read_text(encoding="utf-8").replace("MIT", "CC0-1.0"), "utf-8")

    code, out = _report_verify(recorded, str(report), keys.public)

    assert code == 1
    data = json.loads(out)
    assert data["signature_ok"] is False and data["store_ok"] is True
    assert data["problems"] == [f"{report} was changed after it was signed"]


def test_an_edited_signature_file_fails(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.json")
    sig = Path(f"{report}.sig")
    data = json.loads(sig.read_text(encoding="utf-8"))
    data["ledger"]["seq"] = 1
    sig.write_text(json.dumps(data), encoding="utf-8")

    code, out = _report_verify(recorded, report, keys.public)

    assert code == 1
    assert "the signature does not match its content" in json.loads(out)["problems"][0]


def test_a_report_checked_with_another_key_fails(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.json")
    other = lineage.generate_keys(str(tmp_path / "other"))

    code, out = _report_verify(recorded, report, other.public)

    assert code == 1
    assert json.loads(out)["problems"][0].startswith(f"it was signed with key {keys.fingerprint}")


def test_a_row_edited_behind_the_tools_back_fails_the_store_check(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.md")
    tamper(recorded.url, "UPDATE node SET owner = 'Someone else' WHERE name = 'raw'")

    code, out = _report_verify(recorded, report, keys.public)

    assert code == 1
    data = json.loads(out)
    assert data["signature_ok"] is True and data["store_ok"] is False
    assert data["problems"][0].startswith("the ledger does not verify: transaction ")


def test_history_rewritten_with_every_hash_recomputed_fails_the_store_check(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.md")
    rewrite_history(recorded.url, "UPDATE node SET owner = 'Someone else' WHERE name = 'raw'")
    assert recorded.verify().ok  # the chain alone cannot tell

    code, out = _report_verify(recorded, report, keys.public)

    assert code == 1
    seq = json.loads(Path(f"{report}.sig").read_text(encoding="utf-8"))["ledger"]["seq"]
    assert json.loads(out)["problems"][0].startswith(f"ledger entry {seq} now hashes to ")


def test_a_report_whose_rebuild_differs_fails_the_store_check(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    # Signed under a policy, checked against a signature claiming another one: the rebuilt
    # content differs. The signature is made with the real key over the false claim.
    report = _sign(recorded, keys, tmp_path / "trail.json")
    sig = Path(f"{report}.sig")
    document = json.loads(sig.read_text(encoding="utf-8"))
    document.pop("signature")
    document.pop("key_fingerprint")
    document["policy"] = lineage.Policy(intended_use="research").describe()
    forged = sign(document, load_private_key(keys.private))
    sig.write_text(json.dumps(forged), encoding="utf-8")

    code, out = _report_verify(recorded, report, keys.public)

    assert code == 1
    assert json.loads(out)["problems"][0].startswith(
        "the store no longer holds what the report states"
    )


def test_report_sign_without_output_is_a_usage_error(
    recorded: lineage.Store, keys: lineage.KeyPair
) -> None:
    line = one_error_line(invoke(recorded.url, f"report model --sign {keys.private}"), 2)

    assert "--sign writes FILE.sig beside the report: add -o FILE" in line


def test_report_verify_of_a_missing_report_is_bad_input(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.md")
    os.remove(report)

    line = one_error_line(invoke(recorded.url, f"report-verify {report} --key {keys.public}"), 2)

    assert line == f"Error: cannot read report {report}: No such file or directory"


def test_report_verify_with_a_private_key_instead_of_a_public_one_is_bad_input(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.md")

    line = one_error_line(invoke(recorded.url, f"report-verify {report} --key {keys.private}"), 2)

    assert line.startswith(f"Error: {keys.private} is not a PEM public key")


def test_report_verify_without_a_signature_file_is_bad_input(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = tmp_path / "plain.md"
    ok(invoke(recorded.url, f"report model -o {report}"))

    line = one_error_line(invoke(recorded.url, f"report-verify {report} --key {keys.public}"), 2)

    assert line == f"Error: cannot read report signature {report}.sig: No such file or directory"


def test_report_sign_with_an_unreadable_key_writes_no_report(
    recorded: lineage.Store, tmp_path: Path
) -> None:
    report = tmp_path / "trail.md"

    line = one_error_line(
        invoke(recorded.url, f"report model -o {report} --sign {tmp_path}/nosuch.key"), 1
    )

    assert (
        line == f"Error: cannot read private key {tmp_path}/nosuch.key: No such file or directory"
    )
    assert not report.exists()


def test_a_signature_whose_ledger_is_malformed_is_bad_input(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    report = _sign(recorded, keys, tmp_path / "trail.md")
    sig = Path(f"{report}.sig")
    data = json.loads(sig.read_text(encoding="utf-8"))
    data["ledger"]["seq"] = "seven"
    sig.write_text(json.dumps(data), encoding="utf-8")

    line = one_error_line(invoke(recorded.url, f"report-verify {report} --key {keys.public}"), 2)

    assert line == f"Error: {sig}: field 'ledger': needs 'seq' (a number) and 'hash'"


@pytest.mark.parametrize(("mode", "how"), [(0o644, "readable"), (0o640, "readable")])
def test_report_sign_refuses_a_key_others_can_read_and_writes_nothing(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path, mode: int, how: str
) -> None:
    os.chmod(keys.private, mode)
    report = tmp_path / "trail.md"
    entries = recorded.info().ledger_entries

    line = one_error_line(
        invoke(recorded.url, f"report model -o {report} --sign {keys.private}"), 1
    )

    assert line == (
        f"Error: key file {keys.private} is {how} by others (mode {mode:04o}): "
        f"chmod 600 {keys.private}"
    )
    assert not report.exists()
    assert not Path(f"{report}.sig").exists()
    assert recorded.info().ledger_entries == entries


def test_audit_checkpoint_refuses_a_key_others_can_write(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    os.chmod(keys.private, 0o620)
    checkpoint = tmp_path / "checkpoint.json"

    line = one_error_line(
        invoke(recorded.url, f"audit checkpoint --key {keys.private} -o {checkpoint}"), 1
    )

    assert line == (
        f"Error: key file {keys.private} is writable by others (mode 0620): "
        f"chmod 600 {keys.private}"
    )
    assert not checkpoint.exists()


def test_a_key_made_private_again_signs(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    os.chmod(keys.private, 0o644)
    one_error_line(invoke(recorded.url, f"audit checkpoint --key {keys.private}"), 1)
    os.chmod(keys.private, 0o400)

    out = ok(invoke(recorded.url, f"audit checkpoint --key {keys.private} --json"))

    assert json.loads(out)["signature"]


def test_a_signed_summary_with_exact_sizes_is_rebuilt_with_them(
    recorded: lineage.Store, keys: lineage.KeyPair, tmp_path: Path
) -> None:
    recorded.amend("clean", reason="counted", tokens=1234, modality=["text"])
    report = _sign(recorded, keys, tmp_path / "summary.json", "--template eu-ai-act --exact-sizes")
    signature = json.loads(Path(f"{report}.sig").read_text(encoding="utf-8"))
    assert signature["options"] == {"exact_sizes": True, "domain_sizes": None}
    assert "1,234 tokens" in Path(report).read_text(encoding="utf-8")

    code, out = _report_verify(recorded, report, keys.public)

    assert code == 0, out
