"""Signed reports: a detached signature over the report's canonical content and ledger head.

Every format is signed the same way, with a detached `REPORT.sig` (JSON) beside
the report file:

    format          "lineage-report-signature-1"
    report_file     the report's file name; report_sha256, the SHA-256 of its bytes
    content_sha256  SHA-256 of the report's canonical content: its JSON data
                    (report.schema.json) as canonical JSON (sorted keys, no spaces)
    template, target, produced_at, as_of, policy   what rebuilds the same report
    ledger          the ledger entry it was read at: seq, hash, recorded_at
    key_fingerprint, signature   Ed25519 over all of the above (lineage.governance.signing)

A signed report is built from the store alone (no file is hashed while it is
written; digest columns give the latest recorded `lineage verify`), so that
`verify_report` can rebuild it from the store at the same ledger entry and
compare the canonical content: if the store still holds exactly what the report
states, the digests are equal.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lineage.checks import Policy
from lineage.errors import LineageError, SignatureError
from lineage.governance.signing import (
    canonical,
    fingerprint,
    ledger_entry,
    load_private_key,
    load_public_key,
    read_file,
    read_signed,
    sign,
    signature_problem,
)
from lineage.reports.build import build_report
from lineage.reports.claims import TemplateOptions
from lineage.reports.model import Report
from lineage.reports.render_json import report_data
from lineage.validation import parse_time

if TYPE_CHECKING:  # the API sits above the reports; only its type is needed here
    from lineage.api import Store

SIGNATURE_FORMAT = "lineage-report-signature-1"
_REQUIRED = ("format", "report_sha256", "content_sha256", "template", "target", "ledger")


def content_digest(report: Report) -> str:
    """SHA-256 of the report's canonical content (its JSON data, canonical JSON)."""
    return hashlib.sha256(canonical(report_data(report))).hexdigest()


def signature_path(report_path: str) -> str:
    """Where the detached signature of `report_path` goes: beside it, with '.sig' added."""
    return f"{report_path}.sig"


def sign_report(
    report: Report,
    rendered: bytes,
    report_path: str,
    private_key: str,
    policy: Policy | None = None,
    options: TemplateOptions | None = None,
) -> dict[str, Any]:
    """The signature document of `report`, rendered as `rendered` to `report_path`.

    Build `report` with `verify_digests=False` so that it can be rebuilt later.
    Raises SignatureError when the key cannot be read.
    """
    key = load_private_key(private_key)
    document = {
        "format": SIGNATURE_FORMAT,
        "report_file": os.path.basename(report_path),
        "report_sha256": hashlib.sha256(rendered).hexdigest(),
        "content_sha256": content_digest(report),
        "template": report.template,
        "target": report.target,
        "produced_at": report.produced_at,
        "as_of": report.as_of,
        "policy": policy.describe() if policy is not None else None,
        **(
            {"options": dataclasses.asdict(options)}
            if options and options != TemplateOptions()
            else {}
        ),
        "ledger": {
            "seq": report.ledger.seq,
            "hash": report.ledger.hash,
            "recorded_at": report.ledger.recorded_at,
        },
    }
    return sign(document, key)


@dataclass(frozen=True)
class ReportVerification:
    """The outcome of `verify_report`: whether the signature and the store both hold."""

    report: str
    signature_ok: bool
    store_ok: bool
    key_fingerprint: str
    ledger_seq: int
    ledger_hash: str
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.signature_ok and self.store_ok


def verify_report(
    store: Store, report_path: str, public_key: str, signature: str | None = None
) -> ReportVerification:
    """Check a signed report: its signature, its file, and that the store still holds
    exactly what it states (rebuilt at the same ledger entry, compared by content).

    `signature` defaults to `report_path`.sig. Raises SignatureError (bad input) when
    a file cannot be read or is malformed.

    Example:
        result = verify_report(store, "trail.md", "auditor.pub")
        assert result.ok, result.problems
    """
    key = load_public_key(public_key)
    sig_path = signature or signature_path(report_path)
    document = read_signed(sig_path, "report signature", _REQUIRED)
    rendered = read_file(report_path, "report")
    ledger = document["ledger"]
    if (
        not isinstance(ledger, dict)
        or not isinstance(ledger.get("seq"), int)
        or not isinstance(ledger.get("hash"), str)
    ):
        raise SignatureError(f"{sig_path}: field 'ledger': needs 'seq' (a number) and 'hash'")
    problems: list[str] = []
    problem = signature_problem(document, key)
    if problem:
        problems.append(problem)
    if document.get("format") != SIGNATURE_FORMAT:
        problems.append(f"not a report signature (format {document.get('format')!r})")
    if hashlib.sha256(rendered).hexdigest() != document["report_sha256"]:
        problems.append(f"{report_path} was changed after it was signed")
    signature_ok = not problems
    with store.snapshot():  # the entry, the chain and the rebuilt report of one state
        store_problems = _store_problems(store, document, sig_path)
    return ReportVerification(
        report=report_path,
        signature_ok=signature_ok,
        store_ok=not store_problems,
        key_fingerprint=fingerprint(key),
        ledger_seq=int(ledger["seq"]),
        ledger_hash=str(ledger["hash"]),
        problems=(*problems, *store_problems),
    )


def _store_problems(store: Store, document: dict[str, Any], sig_path: str) -> list[str]:
    ledger = document["ledger"]
    seq, head = int(ledger["seq"]), str(ledger["hash"])
    found = ledger_entry(store, seq)
    if found is None:
        return [f"ledger entry {seq}, which the report was read at, is gone"]
    if found != head:
        return [f"ledger entry {seq} now hashes to {found}, not {head} as the report states"]
    chain = store.verify(expected_head=head)
    if not chain.ok:
        first = chain.problems[0]
        where = f"transaction {first.tx}: " if first.tx else ""
        return [f"the ledger does not verify: {where}{first.message}"]
    try:
        policy = Policy.model_validate(document["policy"]) if document.get("policy") else None
        rebuilt = build_report(
            store,
            str(document["target"]),
            template=str(document["template"]),
            as_of=_time(document.get("as_of")),
            produced_at=_time(document.get("produced_at")),
            policy=policy,
            verify_digests=False,
            at_ledger=seq,
            options=_options(document.get("options")),
        )
    except (LineageError, ValueError) as error:
        return [f"the report cannot be rebuilt from the store: {error}"]
    if content_digest(rebuilt) == document["content_sha256"]:
        return []
    return [
        "the store no longer holds what the report states: its content, rebuilt at "
        f"ledger entry {seq}, differs (content digest {content_digest(rebuilt)}, "
        f"signed {document['content_sha256']})"
    ]


def _options(value: Any) -> TemplateOptions | None:
    if not isinstance(value, dict):
        return None
    return TemplateOptions(
        exact_sizes=bool(value.get("exact_sizes")),
        domain_sizes=str(value["domain_sizes"]) if value.get("domain_sizes") else None,
    )


def _time(value: Any) -> datetime | None:
    return parse_time(str(value)) if value else None
