"""Ed25519 keys, signatures over canonical JSON, and signed checkpoints of the ledger.

Keys are PEM files made with the `cryptography` package: `PREFIX.key` (PKCS#8,
readable by its owner only) and `PREFIX.pub` (SubjectPublicKeyInfo). A key's
fingerprint is `sha256:` and the SHA-256 of its raw 32-byte public key.

A signed document is JSON: its fields, plus `key_fingerprint` and `signature`
(base64 Ed25519 signature over the canonical JSON of every other field: sorted
keys, no spaces, UTF-8).

A ledger checkpoint states the ledger position and head hash at a moment, signed
by an auditor. The chain beside the data can be rewritten by someone who
recomputes every seal and hash; a checkpoint kept elsewhere cannot: its entry
must still carry the same hash (`verify_checkpoint`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from lineage.errors import LineageError, SignatureError
from lineage.store.ledger import Problem, VerifyReport
from lineage.store.tables import LEDGER
from lineage.validation import utc_text

if TYPE_CHECKING:  # the API sits above; only its type is needed here
    from lineage.api import Store

CHECKPOINT_FORMAT = "lineage-ledger-checkpoint-1"


class CheckpointNotHeld(LineageError):
    """The store's ledger no longer holds a signed checkpoint's entry as it was signed."""


@dataclass(frozen=True)
class KeyPair:
    """Where `generate_keys` wrote the keys, and the public key's fingerprint."""

    private: str
    public: str
    fingerprint: str


def canonical(document: dict[str, Any]) -> bytes:
    """The bytes a signature covers: JSON with sorted keys and no spaces."""
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def generate_keys(prefix: str) -> KeyPair:
    """Write a new Ed25519 key pair to `prefix`.key (mode 0600) and `prefix`.pub.

    Raises SignatureError when either file exists (keys are never overwritten) or
    cannot be written.

    Example:
        generate_keys("keys/auditor")  # keys/auditor.key, keys/auditor.pub
    """
    private_path, public_path = f"{prefix}.key", f"{prefix}.pub"
    for path in (private_path, public_path):
        if os.path.lexists(path):
            raise SignatureError(f"{path} exists: keys are never overwritten")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        # Created with mode 0600 from the start: never readable by others, not even briefly.
        descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_pem)
        with open(public_path, "xb") as handle:
            handle.write(public_pem)
    except OSError as error:
        raise SignatureError(f"cannot write {error.filename}: {error.strerror}") from None
    return KeyPair(private_path, public_path, fingerprint(key.public_key()))


def _read(path: str, what: str, *, private: bool = False) -> bytes:
    """The bytes of the regular file at `path`; SignatureError otherwise.

    A device (/dev/zero) or a named pipe is refused before it is read: read whole,
    one never ends (issue 18). Opened without blocking, so a pipe without a writer
    is refused rather than waited on. A `private` key is refused, as ssh does, when
    group or others may open it: it may already be someone else's, and a signature
    made with it proves nothing. The mode is taken from the open file, so the file
    checked is the file read.
    """
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SignatureError(f"cannot read {what} {path}: not a regular file")
            mode = stat.S_IMODE(info.st_mode)
            if private and os.name == "posix" and mode & 0o077:
                how = "readable" if mode & 0o044 else "writable" if mode & 0o022 else "open"
                raise SignatureError(
                    f"key file {path} is {how} by others (mode {mode:04o}): chmod 600 {path}"
                )
            return handle.read()
    except OSError as error:
        raise SignatureError(f"cannot read {what} {path}: {error.strerror}") from None


def load_private_key(path: str) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file at `path`.

    Raises SignatureError if it is not one, or if group or others may read or
    write it (mode bits beyond 0600).
    """
    try:
        key = serialization.load_pem_private_key(
            _read(path, "private key", private=True), password=None
        )
    except (ValueError, TypeError) as error:
        raise SignatureError(f"{path} is not a PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: str) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM file at `path`; SignatureError if it is not one."""
    try:
        key = serialization.load_pem_public_key(_read(path, "public key"))
    except (ValueError, TypeError) as error:
        raise SignatureError(f"{path} is not a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SignatureError(f"{path} is not an Ed25519 public key")
    return key


def sign(document: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """`document` with its signer's `key_fingerprint` and a `signature` over both."""
    signed = {**document, "key_fingerprint": fingerprint(key.public_key())}
    signature = key.sign(canonical(signed))
    return {**signed, "signature": base64.b64encode(signature).decode("ascii")}


def signature_problem(document: dict[str, Any], key: Ed25519PublicKey) -> str | None:
    """Why `document`'s signature does not verify with `key`, or None when it does."""
    body = {k: v for k, v in document.items() if k != "signature"}
    if body.get("key_fingerprint") != fingerprint(key):
        return (
            f"it was signed with key {body.get('key_fingerprint')}, not with the key given "
            f"({fingerprint(key)})"
        )
    try:
        key.verify(base64.b64decode(str(document.get("signature")), validate=True), canonical(body))
    except (InvalidSignature, binascii.Error, ValueError):
        return "the signature does not match its content: the file was altered or forged"
    return None


read_file = _read  # for the reports that signatures cover


def read_signed(path: str, what: str, required: tuple[str, ...]) -> dict[str, Any]:
    """A signed JSON document; SignatureError naming the file and field if malformed."""
    try:
        data = orjson.loads(_read(path, what))
    except orjson.JSONDecodeError as error:
        raise SignatureError(f"{path}: not a {what} (invalid JSON: {error})") from None
    if not isinstance(data, dict):
        raise SignatureError(f"{path}: not a {what} (a JSON object is expected)")
    for field in (*required, "key_fingerprint", "signature"):
        if field not in data:
            raise SignatureError(f"{path}: field {field!r}: required field is missing")
    return data


def ledger_entry(store: Store, seq: int) -> str | None:
    """The hash of ledger entry `seq`, or None when there is no such entry."""
    with store.database.read() as connection:
        value = connection.execute(
            select(LEDGER.c.entry_hash).where(LEDGER.c.seq == seq)
        ).scalar_one_or_none()
    return str(value) if value is not None else None


def head_entry(store: Store) -> dict[str, Any]:
    """The newest ledger entry's position, hash and time; SignatureError on an empty ledger."""
    with store.database.read() as connection:
        row = connection.execute(
            select(LEDGER.c.seq, LEDGER.c.entry_hash, LEDGER.c.recorded_at)
            .order_by(LEDGER.c.seq.desc())
            .limit(1)
        ).first()
    if row is None:
        raise SignatureError("the store holds no ledger entry to sign")
    return {"seq": int(row.seq), "head": str(row.entry_hash), "recorded_at": str(row.recorded_at)}


def make_checkpoint(store: Store, private_key: str) -> dict[str, Any]:
    """A signed checkpoint of the ledger's head now (write it somewhere the store is not).

    Example:
        checkpoint = make_checkpoint(store, "auditor.key")
    """
    key = load_private_key(private_key)
    document = {
        "format": CHECKPOINT_FORMAT,
        **head_entry(store),
        "created_at": utc_text(datetime.now(UTC)),
    }
    return sign(document, key)


def checkpoint_problems(
    store: Store, checkpoint: dict[str, Any], public_key: Ed25519PublicKey
) -> list[str]:
    """What no longer holds of a signed checkpoint: its signature, or its ledger entry."""
    problem = signature_problem(checkpoint, public_key)
    if problem:
        return [f"the checkpoint cannot be trusted: {problem}"]
    if checkpoint.get("format") != CHECKPOINT_FORMAT:
        return [f"not a ledger checkpoint (format {checkpoint.get('format')!r})"]
    seq, head = checkpoint["seq"], checkpoint["head"]
    found = ledger_entry(store, int(seq))
    if found is None:
        return [
            f"ledger entry {seq} of the checkpoint ({checkpoint.get('created_at')}) is gone: "
            "history was cut off after it was signed"
        ]
    if found != head:
        return [
            f"ledger entry {seq} now hashes to {found}, not {head} as checkpointed at "
            f"{checkpoint.get('created_at')}: history up to it was rewritten"
        ]
    return []


def read_checkpoint(checkpoint: str, public_key: str) -> tuple[dict[str, Any], Ed25519PublicKey]:
    """A signed checkpoint file and the key to check it with; SignatureError when either
    cannot be read or the checkpoint is malformed."""
    key = load_public_key(public_key)
    document = read_signed(checkpoint, "ledger checkpoint", ("format", "seq", "head"))
    if not isinstance(document["seq"], int) or document["seq"] < 1:
        raise SignatureError(f"{checkpoint}: field 'seq': not a ledger position")
    return document, key


def require_checkpoint(store: Store, checkpoint: str, public_key: str) -> None:
    """Refuse a store whose ledger no longer holds a signed checkpoint's entry unchanged.

    A store cut back to before the checkpoint (its newest entries deleted with their
    rows) verifies clean on its own, and would bring back whatever those entries
    recorded as gone, such as a revoked API token. Raises SignatureError when the
    files cannot be read, CheckpointNotHeld when the checkpoint does not hold.

    Example:
        require_checkpoint(store, "audit/cp.json", "keys/auditor.pub")  # before serving
    """
    document, key = read_checkpoint(checkpoint, public_key)
    problems = checkpoint_problems(store, document, key)
    if problems:
        raise CheckpointNotHeld(
            f"the store at {store.url} does not hold checkpoint {checkpoint}: {problems[0]}"
        )


def verify_checkpoint(
    store: Store, report: VerifyReport, checkpoint: str, public_key: str
) -> VerifyReport:
    """`report` (of `Store.verify`) with what no longer holds of a signed checkpoint added.

    Raises SignatureError when the checkpoint or the key cannot be read.

    Example:
        report = verify_checkpoint(store, store.verify(), "audit/cp.json", "auditor.pub")
    """
    document, key = read_checkpoint(checkpoint, public_key)
    found = tuple(
        Problem(None, "ledger", None, f"checkpoint {checkpoint}: {message}")
        for message in checkpoint_problems(store, document, key)
    )
    return replace(report, problems=(*found, *report.problems))
