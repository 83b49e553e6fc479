"""Reading back who claimed which licence, and how records changed over time.

Licence claims are records of kind `claim` (written by `Store.claim` and manifests'
`claims:`), each pointing at the source, dataset or model it is about with
`was_derived_from` and at the agent who makes it with `was_attributed_to`, as a
sign-off does. Amendments are later versions of a record (`Store.amend`), each
with its reason, the time it was recorded and, where known, the date it took
effect in the world. Every read takes `bound`, the last ledger entry to consider.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from lineage.store.engine import fetch_rows
from lineage.store.tables import FACT_COLUMNS, JSON_COLUMNS


@dataclass(frozen=True)
class LicenceClaim:
    """An agent's claim that a record is under a licence."""

    id: str
    """'claim:NAME'."""
    subject: str
    """The record it is about, 'kind:name'."""
    license: str
    by: tuple[str, ...]
    """The agents who make it, 'agent:name'."""
    method: str
    """declared, audited, detected or inferred."""
    date: str | None
    """When the claim was made, if known."""
    recorded_at: str
    evidence: str | None = None
    note: str | None = None
    seal: str = ""
    """The seal of the claim's record (it is never amended: version 1)."""

    @property
    def who(self) -> str:
        """'agent:dpi (audited, 2023-10-25)': who made it, how and when."""
        when = self.date or f"recorded {self.recorded_at[:10]}"
        return f"{', '.join(self.by) or 'an unnamed agent'} ({self.method}, {when})"


@dataclass(frozen=True)
class RecordVersion:
    """One version of a record: its facts, why it was recorded, and from when it holds."""

    version: int
    recorded_at: str
    reason: str | None
    effective: str | None
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def since(self) -> str:
        """When the version holds from: its effective date, else the time it was recorded."""
        return self.effective or self.recorded_at


def _bounded(bound: int | None, column: str) -> str:
    return f" AND {column} <= {int(bound)}" if bound is not None else ""


def licence_claims(connection: Connection, bound: int | None = None) -> list[LicenceClaim]:
    """Every licence claim recorded up to ledger entry `bound`, oldest first."""
    rows = fetch_rows(
        connection,
        "SELECT c.id, c.name, c.license, c.uri, c.description, c.attrs, c.effective, "
        "l.recorded_at, o.kind, o.name, e.relation, c.seal FROM node c "
        "JOIN ledger l ON l.seq = c.tx JOIN edge e ON e.subject = c.id "
        f"JOIN node o ON o.id = e.object WHERE c.kind = 'claim'{_bounded(bound, 'c.tx')} "
        "ORDER BY c.id",
        {},
    )
    facts: dict[int, tuple[Any, ...]] = {}
    subject: dict[int, str] = {}
    agents: dict[int, list[str]] = {}
    for (
        cid,
        name,
        licence,
        uri,
        note,
        attrs,
        effective,
        recorded_at,
        kind,
        other,
        rel,
        seal,
    ) in rows:
        facts[cid] = (name, licence, uri, note, attrs, effective, recorded_at, seal)
        if rel == "was_attributed_to":
            agents.setdefault(cid, []).append(f"{kind}:{other}")
        else:
            subject[cid] = f"{kind}:{other}"
    claims = []
    for cid, (name, licence, uri, note, attrs, effective, recorded_at, seal) in facts.items():
        if cid not in subject:
            continue
        method = (json.loads(attrs) if attrs else {}).get("method") or "audited"
        claims.append(
            LicenceClaim(
                id=f"claim:{name}",
                subject=subject[cid],
                license=str(licence),
                by=tuple(sorted(agents.get(cid, ()))),
                method=str(method),
                date=effective,
                recorded_at=recorded_at,
                evidence=uri,
                note=note,
                seal=str(seal),
            )
        )
    return claims


def amended_histories(
    connection: Connection, records: Iterable[str], bound: int | None = None
) -> dict[str, tuple[RecordVersion, ...]]:
    """Every version, oldest first, of each of `records` ('kind:name') that was amended
    by ledger entry `bound`; records with one version are left out."""
    wanted = set(records)
    amended = fetch_rows(
        connection,
        f"SELECT DISTINCT node_id FROM node WHERE version > 1{_bounded(bound, 'tx')}",
        {},
    )
    ids = sorted(int(row[0]) for row in amended)
    columns = ", ".join(f"n.{c}" for c in FACT_COLUMNS)
    out: dict[str, list[RecordVersion]] = {}
    for start in range(0, len(ids), 500):
        marks = ", ".join(str(i) for i in ids[start : start + 500])
        for row in fetch_rows(
            connection,
            f"SELECT n.kind, n.name, n.version, l.recorded_at, n.reason, n.effective, {columns} "
            f"FROM node n JOIN ledger l ON l.seq = n.tx WHERE n.node_id IN ({marks})"
            f"{_bounded(bound, 'n.tx')} ORDER BY n.node_id, n.version",
            {},
        ):
            key = f"{row[0]}:{row[1]}"
            if key not in wanted:
                continue
            values = {
                column: json.loads(value) if column in JSON_COLUMNS else value
                for column, value in zip(FACT_COLUMNS, row[6:], strict=True)
                if value is not None
            }
            out.setdefault(key, []).append(
                RecordVersion(int(row[2]), str(row[3]), row[4], row[5], values)
            )
    return {key: tuple(versions) for key, versions in out.items() if len(versions) > 1}


def first_recorded(
    connection: Connection, records: Iterable[str], bound: int | None = None
) -> dict[str, str]:
    """When each of `records` ('kind:name') was first recorded (ISO 8601, UTC)."""
    by_name: dict[str, set[str]] = {}
    for record in records:
        kind, _, name = record.partition(":")
        by_name.setdefault(name, set()).add(kind)
    names = sorted(by_name)
    out: dict[str, str] = {}
    for start in range(0, len(names), 500):
        # Parameter names are letters only (the store's :name placeholders): name_aa, ...
        chunk = names[start : start + 500]
        params = {f"name_{_letters(i)}": name for i, name in enumerate(chunk)}
        marks = ", ".join(f":{key}" for key in params)
        for kind, name, recorded_at in fetch_rows(
            connection,
            "SELECT n.kind, n.name, l.recorded_at FROM node n JOIN ledger l ON l.seq = n.tx "
            f"WHERE n.version = 1 AND n.name IN ({marks}){_bounded(bound, 'n.tx')}",
            params,
        ):
            if kind in by_name.get(name, ()):
                out[f"{kind}:{name}"] = str(recorded_at)
    return out


def _letters(number: int) -> str:
    return chr(97 + number // 26) + chr(97 + number % 26)


def in_force_at(versions: tuple[RecordVersion, ...], moment: str) -> RecordVersion:
    """The version in force at `moment` (an ISO date or time): the first version, or the
    latest later one that took effect by then."""
    current = versions[0]
    for version in versions[1:]:
        if not is_later(version.since, moment):
            current = version
    return current


def is_later(first: str, second: str) -> bool:
    """True when ISO date or time `first` is after `second`; a date against a time is
    compared by day, so the same day is not later."""
    if len(first) == 10 or len(second) == 10:
        return first[:10] > second[:10]
    return _utc(first) > _utc(second)


def _utc(moment: str) -> str:
    # Times are stored as UTC with a 'Z' (utc_text, the ledger's TIME_FORMAT), with or
    # without fractions of a second: compare them at a fixed width.
    text = moment.replace("+00:00", "Z").rstrip("Z")
    date_part, _, fraction = text.partition(".")
    return f"{date_part}.{fraction.ljust(6, '0')[:6]}"
