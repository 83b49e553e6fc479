"""The public Python API: a `Store` with the same operations, in the same words, as the CLI."""

from __future__ import annotations

import builtins
import json
import os
import traceback
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from lineage.canonical import utc_text
from lineage.digests import DEFAULT_FULL_EVERY, DigestCache
from lineage.errors import InvalidRecord, LineageError, ManifestError, NotYetRecorded, UnknownNode
from lineage.graph.closure import Direction, NodeRefs, closure, edges_within, versions_of
from lineage.graph.identity import same_content
from lineage.graph.valid_time import DatasetVersion, dataset_versions, history_of, valid_at_graph
from lineage.store import write as store_write
from lineage.store.aliases import aliases_of
from lineage.store.data_root import current_data_root, move_data_root, set_data_root
from lineage.store.database import Database, open_database
from lineage.store.ledger import VerifyReport, verify
from lineage.store.migrations import SCHEMA_VERSION
from lineage.store.pending import Batch, WriteResult
from lineage.store.tables import EDGE, FACT_COLUMNS, JSON_COLUMNS, LEDGER, NODE
from lineage.store.tokens import (
    TokenInfo,
    create_token,
    list_tokens,
    revoke_tokens,
    token_owner,
)
from lineage.store.write import collector_paused

# Everything else is imported where it is used (issue 17): a command that opens the
# store to list or show records does not load networkx, pydantic, the exporters or
# the checks.
if TYPE_CHECKING:
    import networkx as nx

    from lineage.checks.policy import Policy
    from lineage.governance.approvals import Approval
    from lineage.governance.content import ContentVerification
    from lineage.governance.evaluations import Evaluation
    from lineage.governance.revocation import Impact
    from lineage.ingest import Document


def _public_facts(row: dict[str, Any]) -> dict[str, Any]:
    """The recorded facts of a row, JSON-valued ones decoded, unset ones left out."""
    out: dict[str, Any] = {}
    for column in FACT_COLUMNS:
        value = row.get(column)
        if value is None:
            continue
        out[column] = json.loads(value) if column in JSON_COLUMNS else value
    return out


@dataclass(frozen=True)
class Version:
    """One recorded version of a record."""

    version: int
    recorded_at: str
    tx: int
    reason: str | None
    effective: str | None
    facts: dict[str, Any]
    seal: str


@dataclass(frozen=True)
class Record:
    """A record with the version in force and its history (oldest first)."""

    id: str
    kind: str
    name: str
    current: Version
    history: tuple[Version, ...]
    same_content: tuple[str, ...] = ()
    """Other records ('kind:name') whose version in force records the same digest."""
    aliases: tuple[str, ...] = ()
    """Other names the record is found by (OpenLineage symlinks, storage paths)."""
    dataset_versions: tuple[DatasetVersion, ...] = ()
    """For a dataset another run rewrote: each of its versions (`NAME@vN`, not to be
    confused with the amendments in `history`), oldest write first."""
    valid_version: str | None = None
    """With `valid_at`: the name of the dataset version current at that time."""

    @property
    def facts(self) -> dict[str, Any]:
        return self.current.facts


@dataclass(frozen=True)
class Summary:
    """A record in a listing."""

    id: str
    kind: str
    name: str
    version: int
    # An activity's OpenLineage job ('namespace/name'): a run's job, or the job itself
    # when the record is a job declared by JobEvents (see lineage.openlineage.jobs).
    job: str | None = None


@dataclass(frozen=True)
class StoreInfo:
    """What `init` found or made."""

    url: str
    schema_version: int
    records: int
    ledger_entries: int


@dataclass(frozen=True)
class DataRootChange:
    """The data root after `set_data_root` or `move_data_root`, and the ledger entry that
    recorded it (None when it was already so)."""

    path: str
    ledger_seq: int | None


@dataclass(frozen=True)
class Export:
    """An export: its format, its target (None for the whole store), what it holds, its bytes."""

    format: str
    target: str | None
    records: int
    relations: int
    data: bytes


@dataclass
class RunRecorder:
    """A run being recorded by `Store.run`; add outputs and counts before it ends."""

    operation: str
    inputs: list[str]
    outputs: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    records_in: int | None = None
    records_out: int | None = None
    name: str | None = None


def _node_id(kind: str, name: str) -> str:
    return f"{kind}:{name}"


class Store:
    """An open lineage store.

    Example:
        with lineage.open_store("lineage.db") as store:
            store.add_source("web-crawl-2025-05", license="LicenseRef-website-terms",
                             obtained="crawled", path="crawl/")
            store.add_dataset("web-text", path="processed/web_text.jsonl")
            store.record_run("extract-text", inputs=["web-crawl-2025-05"],
                             outputs=["web-text"], tool="trafilatura==1.12.2")
            graph = store.upstream("web-text")
    """

    def __init__(self, database: Database, cache: DigestCache | None = None) -> None:
        self.database = database
        self._cache = cache

    # -- lifetime -------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the store (and the digest cache it opened)."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        self.database.close()

    @property
    def cache(self) -> DigestCache:
        if self._cache is None:
            self._cache = DigestCache.open()
        return self._cache

    @property
    def url(self) -> str:
        return self.database.display_url

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read one state of the store for a whole block, whatever writers commit meanwhile.

        Every read inside the block (on this thread) sees the store as it was when the
        block's first read ran: a verification, a report or a listing that reads
        several times agrees with itself. Writes made inside the block are not seen by
        its reads. Nested blocks share the outer snapshot.

        Example:
            with store.snapshot():
                report = store.verify()
                entries = store.info().ledger_entries  # the same ledger that was verified
        """
        with self.database.snapshot():
            yield

    @property
    def writes(self) -> int:
        """How many ledger entries this Store has written since it was opened.

        A write that found everything already recorded adds none, so comparing it before
        and after a call tells "recorded" from "unchanged", whatever other writers do.
        """
        return self.database.writes

    def info(self) -> StoreInfo:
        """The store's URL, schema version, and how much it holds."""
        with self.database.read() as connection:
            records = connection.execute(
                select(func.count()).select_from(NODE).where(NODE.c.version == 1)
            ).scalar_one()
            entries = connection.execute(select(func.count()).select_from(LEDGER)).scalar_one()
        return StoreInfo(self.url, SCHEMA_VERSION, int(records), int(entries))

    # -- writing --------------------------------------------------------------------
    def _add(self, kind: str, name: str, fields: dict[str, Any]) -> WriteResult:
        # Validated through the schema compiled from the kind's model (INPUT_OF_KIND):
        # the same facts and errors, and a command recording one record does not
        # import pydantic (issue 17).
        from lineage.compiled_validation import validate_input
        from lineage.recording import add_agent, add_entity

        data = {"name": name, **{k: _plain(v) for k, v in _drop_none(fields).items()}}
        record = validate_input(kind, data, f"{kind} {name!r}")
        batch = Batch(f"add {kind} {name}")
        if kind == "agent":
            add_agent(batch, record)
        else:
            try:
                add_entity(batch, kind, record, cache=self.cache)
            except LineageError as error:
                raise type(error)(f"{kind} {name!r}: field 'path': {error}") from None
        return self.database.commit(batch)

    def add_source(self, name: str, **fields: Any) -> WriteResult:
        """Record a source (fields as in `lineage source add`; see SourceInput)."""
        return self._add("source", name, fields)

    def add_dataset(self, name: str, **fields: Any) -> WriteResult:
        """Record a dataset version you produced (see DatasetInput)."""
        return self._add("dataset", name, fields)

    def add_model(self, name: str, **fields: Any) -> WriteResult:
        """Record a model checkpoint (see ModelInput)."""
        return self._add("model", name, fields)

    def add_agent(self, name: str, type: str, **fields: Any) -> WriteResult:
        """Record a person, organization or software agent."""
        return self._add("agent", name, {"type": type, **fields})

    def record_run(
        self, operation: str, *, inputs: Sequence[str], outputs: Sequence[str], **fields: Any
    ) -> str:
        """Record a finished run; returns its name. Recording the same run twice is a no-op.

        Fields: name, agent (a name or a list), tool ('NAME==VERSION'), code_revision,
        params (dict), started, ended (datetimes or ISO text), records_in, records_out,
        status, description, attrs.
        """
        from lineage.recording import add_run
        from lineage.validation import RunInput, validate_input

        data = {"operation": operation, "inputs": list(inputs), "outputs": list(outputs)}
        data.update(_drop_none(fields))
        run = validate_input(RunInput, data, f"run {operation!r}")
        batch = Batch(f"record run {operation}")
        name = add_run(batch, run)
        self.database.commit(batch)
        return name

    def add_evaluation(
        self, model: str, *, dataset: str, metric: str, value: float, **fields: Any
    ) -> str:
        """Record an evaluation result of `model` on test data `dataset`; returns its name.

        Pass or fail is derived from `threshold` and `direction`, never given. The result
        is bound to the upstream digests of the model and the test data: a later change
        to either makes it stale. Without `run`, the evaluation run is recorded too.

        Fields: slice ('all', 'attr=value', 'attr=*'), category (performance, fairness,
        safety, robustness, other), threshold, direction (higher-is-better,
        lower-is-better), ci ((low, high) or 'LOW..HIGH'), records, by, run, tier,
        date, name, description (the method), attrs.

        Example:
            store.add_evaluation("support-assistant-v1", dataset="support-heldout-v1",
                                 metric="accuracy", value=0.70, slice="locale=en-NG",
                                 threshold=0.8, direction="higher-is-better", records=20)
        """
        from lineage.governance.evaluations import record_evaluations
        from lineage.validation import EvaluationInput, validate_input

        data = {"model": model, "dataset": dataset, "metric": metric, "value": value}
        data.update(_drop_none(fields))
        evaluation = validate_input(EvaluationInput, data, f"evaluation of {model!r}")
        names, _ = record_evaluations(self, [(evaluation, "")], f"evaluate {model}")
        return names[0]

    def import_evaluations(
        self,
        path: str,
        *,
        model: str | None = None,
        dataset: str | None = None,
        by: str | None = None,
    ) -> tuple[builtins.list[str], WriteResult]:
        """Record every result in an evaluation file, in one transaction: a Hugging Face
        model card's `model-index` (README.md), an lm-evaluation-harness results JSON, or
        a CSV whose header names the `evaluation add` options. `model`, `dataset` and
        `by` fill in what the file does not say. Returns the evaluations' names.

        Raises ManifestError or InvalidRecord naming the file, line and field; then
        nothing is written.

        Example:
            names, _ = store.import_evaluations("results_2025-06-13.json",
                                                model="support-assistant-v1")
        """
        from lineage.governance.evaluations import record_evaluations
        from lineage.ingest.evaluations import read_evaluation_file

        items = read_evaluation_file(path, model=model, dataset=dataset, by=by)
        return record_evaluations(self, items, f"import evaluations {os.path.basename(path)}")

    def evaluations(
        self, model: str, *, as_of: datetime | None = None, latest_only: bool = False
    ) -> builtins.list[Evaluation]:
        """Every evaluation of `model`, oldest first, each marked independent or not
        (its evaluator acts for an organisation other than the model's owner).

        Example:
            [e.id for e in store.evaluations("support-assistant-v1") if e.passed is False]
        """
        from lineage.governance.evaluations import evaluations_of

        with self.database.read() as connection:
            bound = self.database.tx_bound(connection, as_of)
        return evaluations_of(self, model, bound=bound, latest_only=latest_only)

    def approve(
        self,
        subject: str,
        *,
        by: str,
        override: str | None = None,
        policy: Policy | None = None,
        **fields: Any,
    ) -> str:
        """Record a sign-off on a model or dataset by agent `by`; returns its name.

        The approval records the digest of `subject`'s upstream graph; `approvals`
        reports it as stale once anything upstream changes.

        A sign-off of a model for a `tier` whose requirements fail under `policy`
        (default: the default tiers) is refused with every reason (InvalidRecord),
        unless `override` states why it is given anyway: the reason and the failing
        requirements are then recorded with it (`attrs.override_reason`,
        `attrs.overridden`) and shown in every report.

        Fields: role, decision (approved, conditional, rejected, revoked), tier
        (general-commercial, federal-administrative, critical-infrastructure,
        national-security), scope, conditions (list), expires, effective, name,
        description, attrs.

        Example:
            store.approve("support-assistant-v1", by="maria-lopez", tier="general-commercial",
                          conditions=["human review of refunds"], expires="2026-07-01")
        """
        from lineage.checks.tiers import approval_refusals
        from lineage.governance.approvals import approval_upstream
        from lineage.recording import add_attestation
        from lineage.validation import AttestationInput, validate_input

        data = {"subject": subject, "by": by, **_drop_none(fields)}
        checked = validate_input(AttestationInput, data, f"approval of {subject!r}")
        if override is not None and not override.strip():
            raise InvalidRecord(f"approval of {subject!r}: an override needs a reason")
        if checked.tier and checked.decision in ("approved", "conditional"):
            failing = approval_refusals(self, subject, checked.tier, checked.conditions, policy)
            if failing and override is None:
                raise InvalidRecord(
                    f"approval of {subject!r} for tier {checked.tier} refused: "
                    + "; ".join(f"{r.rule}: {r.message}" for r in failing)
                    + " (record it anyway with --override --reason TEXT)"
                )
            if failing:
                data["attrs"] = {
                    **dict(data.get("attrs") or {}),
                    "override_reason": override.strip() if override else override,
                    "overridden": [f"{r.rule}: {r.message}" for r in failing],
                }
        # Bind the sign-off to the exact upstream graph it was given on (see
        # lineage.governance.approvals): a later change upstream makes it stale.
        digest = approval_upstream(self, subject)
        data["attrs"] = {**dict(data.get("attrs") or {}), "upstream_digest": digest}
        attestation = validate_input(AttestationInput, data, f"approval of {subject!r}")
        batch = Batch(f"approve {subject}")
        name = add_attestation(batch, attestation)
        self.database.commit(batch)
        return name

    def claim(
        self,
        target: str,
        *,
        license: str,
        by: str,
        method: str = "audited",
        evidence: str | None = None,
        date: date | str | None = None,
        note: str | None = None,
        **fields: Any,
    ) -> str:
        """Record agent `by`'s claim that `target` (a source, dataset or model) is under
        `license`; returns the claim's id. The same claim twice is recorded once.

        `method` is how the claim was arrived at: declared (by the publisher),
        audited, detected (by a tool) or inferred. Raises UnknownNode for an
        unrecorded target or agent, InvalidRecord for a bad licence, method or date.

        Example:
            store.claim("alpaca-data", license="CC-BY-NC-4.0", by="data-provenance-initiative",
                        method="audited", evidence="https://example.org/audit", date="2023-10-25")
        """
        from lineage.governance.records import data_record
        from lineage.recording import add_claim
        from lineage.validation import ClaimInput, validate_input

        data = {
            "subject": target,
            "license": license,
            "by": by,
            "method": method,
            "evidence": evidence,
            "date": date,
            "note": note,
            **fields,
        }
        claim = validate_input(ClaimInput, _drop_none(data), f"claim on {target!r}")
        data_record(self, target, "only a source, dataset or model carries a licence")
        batch = Batch(f"claim {claim.license} on {target} by {by}")
        name = add_claim(batch, claim)
        self.database.commit(batch)
        return f"claim:{name}"

    @contextmanager
    def run(
        self,
        operation: str,
        *,
        inputs: Sequence[str],
        versions: Sequence[str] = (),
        emit: Any = None,
        namespace: str = "lineage",
        **fields: Any,
    ) -> Iterator[RunRecorder]:
        """Record a run around a block: start and end time, inputs, outputs, failure.

        The run is recorded when the block ends, as `completed`, or as `failed` with
        the error when the block raises (the error is re-raised). The code revision
        is the git commit of the working folder unless given (uncommitted changes are
        noted in attrs.code_dirty); `versions` names packages whose installed versions
        go to attrs.tool_versions. With `emit`, an `openlineage.client.OpenLineageClient`,
        the run is also sent to that backend as START and COMPLETE/FAIL events (job
        `namespace`/operation). Inside the block, `lineage.current_run()` is the recorder.

        Example:
            with store.run("dedup", inputs=["web-text"], tool="dedup==2.3.1",
                           versions=["datasketch"]) as run:
                n = deduplicate("web_text.jsonl", "web_text_dedup.jsonl")
                store.add_dataset("web-text-dedup", path="web_text_dedup.jsonl")
                run.outputs.append("web-text-dedup")
                run.records_out = n
        """
        from lineage.openlineage.emit import build_run_event, send
        from lineage.tracking import git_revision, package_versions, running
        from lineage.validation import utc_text

        recorder = RunRecorder(
            operation, list(inputs), params=dict(fields.pop("params", None) or {})
        )
        recorder.name = fields.pop("name", None)
        attrs = dict(fields.pop("attrs", None) or {})
        if "code_revision" not in fields:
            revision = git_revision()
            if revision is not None:
                fields["code_revision"] = revision[0]
                if revision[1]:
                    attrs["code_dirty"] = True
        if versions:
            attrs["tool_versions"] = package_versions(versions)
        started = datetime.now(UTC)
        job = {"namespace": namespace, "name": operation}
        run_id = str(uuid.uuid4())
        if emit is not None:
            attrs["openlineage"] = {"runId": run_id, "job": job}
            send(
                emit,
                build_run_event(
                    "START",
                    run_id=run_id,
                    job=job,
                    time=utc_text(started),
                    inputs=self._ids(recorder.inputs),
                ),
            )
        status = "completed"
        error_text: str | None = None
        try:
            with running(recorder):
                yield recorder
        except BaseException as error:
            status = "failed"
            error_text = "".join(traceback.format_exception_only(error)).strip()[:2000]
            attrs["error"] = error_text
            raise
        finally:
            ended = datetime.now(UTC)
            self.record_run(
                recorder.operation,
                inputs=recorder.inputs,
                outputs=recorder.outputs,
                name=recorder.name,
                params=recorder.params,
                records_in=recorder.records_in,
                records_out=recorder.records_out,
                started=started,
                ended=ended,
                status=status,
                attrs=attrs,
                **fields,
            )
            if emit is not None:
                state = "COMPLETE" if status == "completed" else "FAIL"
                send(
                    emit,
                    build_run_event(
                        state,
                        run_id=run_id,
                        job=job,
                        time=utc_text(ended),
                        inputs=self._ids(recorder.inputs),
                        outputs=self._ids(recorder.outputs),
                        error=error_text,
                    ),
                )

    def _ids(self, names: Sequence[str]) -> builtins.list[str]:
        """'kind:name' of each recorded name (as an export names them)."""
        return [self.show(n).id for n in names]

    def amend(
        self,
        name: str,
        *,
        reason: str,
        effective: date | str | None = None,
        clear: Sequence[str] = (),
        **fields: Any,
    ) -> WriteResult:
        """Record a new version of `name` with corrected fields; the old one stays.

        `clear` names fields that no longer hold (a licence withdrawn, an owner
        unknown after all): the new version records them as unknown.

        Example:
            store.amend("reviews-2024", reason="publisher relicensed it",
                        license="CC-BY-4.0", effective="2025-09-01")
            store.amend("forum-scrape", reason="site withdrew its licence", clear=["license"])
        """
        from lineage.recording import add_amendment
        from lineage.validation import INPUT_OF_KIND

        if not reason or not reason.strip():
            raise InvalidRecord("an amendment needs a reason")
        try:
            effective_text = str(date.fromisoformat(str(effective))) if effective else None
        except ValueError as error:
            raise InvalidRecord(
                f"field 'effective': {effective!r} is not a date ({error})"
            ) from None
        with self.database.read() as connection:
            _, kind, real_name = self.database.resolve(connection, name)
        if kind not in INPUT_OF_KIND:
            what = {"activity": "run", "attestation": "sign-off", "claim": "licence claim"}
            raise InvalidRecord(
                f"{name!r} is a {what.get(kind, kind)}: it is recorded once "
                "and not amended (record a new one instead)"
            )
        batch = Batch(f"amend {kind} {real_name}: {reason}")
        add_amendment(
            batch,
            kind,
            real_name,
            _drop_none(fields),
            reason=reason,
            effective=effective_text,
            clear=clear,
            cache=self.cache,
            current_attrs=lambda: self.show(f"{kind}:{real_name}").facts.get("attrs") or {},
        )
        return self.database.commit(batch)

    def ingest(self, paths: Sequence[str], *, lenient: bool = False) -> WriteResult:
        """Record the files at `paths` in one transaction, all or nothing.

        Each file is a manifest (YAML or JSON), OpenLineage events (a JSON object, a
        JSON array or newline-delimited JSON) or a W3C PROV-JSON document, told apart
        by its content. The path '-' reads standard input (once, at most 64 MiB);
        anything but a regular file (a device, a named pipe) is refused. With
        `lenient`, OpenLineage events without `schemaURL` (Marquez-style) or with an
        `eventTime` without a UTC offset are accepted, and their records say so.
        """
        from lineage.ingest import load_document

        if list(paths).count("-") > 1:
            raise ManifestError("standard input ('-') can be read only once")
        # Paused over reading and writing, and the documents dropped before it resumes:
        # their objects would otherwise be walked by the collector between the two and
        # again after the write.
        with collector_paused(sum(os.path.getsize(p) for p in paths if os.path.isfile(p)) // 100):
            documents = [load_document(path, lenient=lenient) for path in paths]
            result = self._record_documents(documents, "ingest " + " ".join(paths), None)
            del documents
        return result

    def _record_documents(
        self, documents: list[Document], operation: str, base_dir: str | None
    ) -> WriteResult:
        from lineage.ingest import add_documents
        from lineage.ingest.manifest import warm_digests

        for document in documents:
            if document.format == "manifest":
                warm_digests(document.data, document.path, self.cache, base_dir)
        expected = sum(_manifest_size(document.data) for document in documents)
        with self.database.writer(operation, expected) as sink:
            add_documents(
                sink,
                documents,
                cache=self.cache,
                base_dir=base_dir,
                recorded=self._recorded,
                by_digest=self._by_digest,
            )
        return sink.result

    def _by_digest(self, identities: builtins.list[str]) -> dict[str, tuple[str, str]]:
        """(kind, name) of the records that have each of `identities`: a digest
        ('sha256:...'), or a package URL ('pkg:...') recorded as their `uri` or as
        `purl` in their attrs (identity merging of ingested bills of materials)."""
        from lineage.validation import canonical_json

        digests = [i for i in identities if not i.startswith("pkg:")]
        purls = sorted({i for i in identities if i.startswith("pkg:")})
        found: dict[str, tuple[str, str]] = {}
        with self.database.read() as connection:
            for purl in purls:
                # attrs are canonical JSON: the purl appears as "purl":"<purl>"
                needle = canonical_json({"purl": purl})[1:-1]
                row = connection.execute(
                    select(NODE.c.kind, NODE.c.name)
                    .where(
                        NODE.c.kind.in_(("source", "dataset", "model")),
                        (NODE.c.uri == purl) | NODE.c.attrs.contains(needle, autoescape=True),
                    )
                    .order_by(NODE.c.id)
                    .limit(1)
                ).first()
                if row is not None:
                    found[purl] = (row.kind, row.name)
            for i in range(0, len(digests), 500):
                rows = connection.execute(
                    select(NODE.c.digest, NODE.c.kind, NODE.c.name)
                    .where(NODE.c.digest.in_(digests[i : i + 500]))
                    .order_by(NODE.c.id)
                )
                for digest, kind, name in rows:
                    found.setdefault(digest, (kind, name))
        return found

    def _recorded(self, names: builtins.list[str]) -> dict[str, set[str]]:
        """The kinds of record the store holds under each of `names`."""
        found: dict[str, set[str]] = {}
        unique = sorted(set(names))
        with self.database.read() as connection:
            for i in range(0, len(unique), 500):
                rows = connection.execute(
                    select(NODE.c.name, NODE.c.kind).where(
                        NODE.c.version == 1, NODE.c.name.in_(unique[i : i + 500])
                    )
                )
                for name, kind in rows:
                    found.setdefault(name, set()).add(kind)
        return found

    def ingest_events(
        self, events: Sequence[dict[str, Any]], *, where: str = "request", lenient: bool = False
    ) -> WriteResult:
        """Record OpenLineage events given as data (what `lineage serve` receives), all or nothing.

        `lenient`: as for `ingest`. Raises InvalidRecord naming the event and field.
        """
        from lineage.ingest import OPENLINEAGE, Document
        from lineage.openlineage.events import validate_events

        validated = validate_events(where, list(events), lenient=lenient)
        document = Document(where, OPENLINEAGE, validated)
        return self._record_documents([document], f"openlineage events from {where}", None)

    def record(self, manifest: dict[str, Any], *, base_dir: str | None = None) -> WriteResult:
        """Record a whole manifest given as data, in one transaction (the bulk path).

        `manifest` has the shape of a manifest file: lists under `agents`, `sources`,
        `datasets`, `models` and `runs`. Relative paths resolve against `base_dir`.

        Example:
            store.record({"sources": [{"name": "s1", "license": "MIT"}],
                          "datasets": [{"name": "d1"}],
                          "runs": [{"operation": "copy", "inputs": ["s1"], "outputs": ["d1"]}]})
        """
        from lineage.ingest import Document

        document = Document("<data>", "manifest", manifest)
        return self._record_documents([document], "record manifest data", base_dir)

    # -- API tokens (for `lineage serve`) ------------------------------------------------
    def create_token(self, name: str) -> str:
        """Create an API token called `name`; returns it. Only its hash is stored.

        Example:
            token = store.create_token("airflow-prod")  # show it once, keep it secret
        """
        return create_token(self.database.engine, name)

    def revoke_token(self, name: str) -> int:
        """Revoke every token called `name` (a new row; nothing is deleted); returns how many."""
        return revoke_tokens(self.database.engine, name)

    def tokens(self) -> builtins.list[TokenInfo]:
        """Every token: name, when created, when revoked (never the token itself)."""
        with self.database.read() as connection:
            return list_tokens(connection)

    def token_owner(self, token: str) -> str | None:
        """The name of the token in force that `token` is, or None."""
        with self.database.read() as connection:
            return token_owner(connection, token)

    # -- the data root ----------------------------------------------------------------
    def data_root(self) -> str | None:
        """The folder relative recorded paths are read below, or None when none is set."""
        with self.database.read() as connection:
            return current_data_root(connection)

    def set_data_root(self, path: str) -> DataRootChange:
        """Make `path` (an existing folder) the data root: paths recorded from now on
        below it are stored relative to it. Raises InvalidRecord when `path` is no
        folder or another data root is set (see `move_data_root`).

        Example:
            store.set_data_root("/srv/training-data")
        """
        root, written = set_data_root(self.database.engine, path)
        return DataRootChange(root, written.ledger_seq if written else None)

    def move_data_root(self, old: str, new: str) -> DataRootChange:
        """Record that the data below the data root `old` now lies below `new`: every
        path recorded relative to the root is read there from now on (one new row,
        nothing rewritten). Raises InvalidRecord when `old` is not the root in force.

        Example:
            store.move_data_root("/srv/training-data", "/mnt/archive/training-data")
        """
        root, written = move_data_root(self.database.engine, old, new)
        return DataRootChange(root, written.ledger_seq if written else None)

    # -- reading --------------------------------------------------------------------
    def show(
        self, name: str, *, as_of: datetime | None = None, valid_at: datetime | None = None
    ) -> Record:
        """The record `name` ('name' or 'kind:name'): its version then in force and history;
        for a dataset, its dataset versions with their writers, and with `valid_at` the
        one current at that time (see `upstream`).

        Example:
            record = store.show("orders", valid_at=datetime(2025, 10, 1, tzinfo=UTC))
            record.valid_version  # 'orders@v2'
        """
        versions: tuple[DatasetVersion, ...] = ()
        valid_version: str | None = None
        with self.database.read() as connection:
            node_id, kind, real_name = self.database.resolve(connection, name)
            bound = self.database.tx_bound(connection, as_of)
            if kind == "dataset":
                written = history_of(connection, node_id, real_name, bound)
                if len(written.versions) > 1:
                    versions = dataset_versions(written)
                if valid_at is not None:
                    chosen = written.current(_aware(valid_at))
                    # None when even the first write came later: nothing was current then.
                    if chosen.time is None or chosen.time <= _aware(valid_at):
                        valid_version = chosen.name
            query = (
                select(NODE, LEDGER.c.recorded_at)
                .join(LEDGER, LEDGER.c.seq == NODE.c.tx)
                .where(NODE.c.node_id == node_id)
                .order_by(NODE.c.version)
            )
            if bound is not None:
                query = query.where(NODE.c.tx <= bound)
            rows = [dict(r._mapping) for r in connection.execute(query)]
            copies = same_content(connection, [node_id], bound).get(node_id, ())
            aliases = aliases_of(connection, node_id, bound)
        if not rows:
            raise NotYetRecorded(f"{name!r} was not yet recorded at {as_of}")
        history = tuple(
            Version(
                version=r["version"],
                recorded_at=r["recorded_at"],
                tx=r["tx"],
                reason=r["reason"],
                effective=r["effective"],
                facts=_public_facts(r),
                seal=r["seal"],
            )
            for r in rows
        )
        return Record(
            _node_id(kind, real_name),
            kind,
            real_name,
            history[-1],
            history,
            tuple(c.id for c in copies),
            aliases,
            dataset_versions=versions,
            valid_version=valid_version,
        )

    def version_at(self, name: str, when: datetime, *, as_of: datetime | None = None) -> str:
        """'dataset:NAME@vN', the version of dataset `name` current at `when` (as the
        events describe it, as recorded at `as_of`); any other record's id as it is.

        Example:
            store.version_at("orders", datetime(2025, 10, 2, tzinfo=UTC))  # 'dataset:orders@v2'
        """
        with self.database.read() as connection:
            node_id, kind, real_name = self.database.resolve(connection, name)
            if kind != "dataset":
                return _node_id(kind, real_name)
            bound = self.database.tx_bound(connection, as_of)
            current = history_of(connection, node_id, real_name, bound).current(_aware(when))
        if current.time is not None and current.time > _aware(when):
            raise UnknownNode(
                f"dataset:{real_name} was not written yet at {utc_text(_aware(when))} "
                f"(first written {utc_text(current.time)})"
            )
        return _node_id(kind, current.name)

    def list(self, kind: str | None = None) -> list[Summary]:
        """Every record (of one kind), by kind then name, with its newest version."""
        query = select(NODE.c.kind, NODE.c.name, func.max(NODE.c.version)).group_by(
            NODE.c.kind, NODE.c.name
        )
        if kind:
            query = query.where(NODE.c.kind == kind)
        query = query.order_by(NODE.c.kind, NODE.c.name)
        with self.database.read() as connection:
            rows = [Summary(_node_id(k, n), k, n, v) for k, n, v in connection.execute(query)]
            if kind in (None, "activity"):
                rows = _with_jobs(connection, rows)
        return rows

    def closure(
        self,
        name: str,
        direction: Direction = "upstream",
        *,
        depth: int | None = None,
        as_of: datetime | None = None,
        content_only: bool = False,
    ) -> NodeRefs:
        """Ids, kinds and names of everything upstream or downstream of `name`.

        The fast path for large graphs: the driver's rows straight from the recursive
        query, a sequence of NodeRef made on access, with the columns `ids`, `kinds`,
        `names` and `depths` as plain lists.
        With `content_only`, only what training content flows along: references
        (tools, filters, classifiers, blocklists) and parts a run excluded are left out.

        Example:
            store.closure("pile-minus-books3-model", content_only=True)
        """
        with self.database.read() as connection:
            start, _, _ = self.database.resolve(connection, name)
            bound = self.database.tx_bound(connection, as_of)
            return closure(
                connection, start, direction, depth=depth, bound=bound, content=content_only
            )

    def _subgraph(
        self,
        name: str,
        direction: Direction,
        depth: int | None,
        as_of: datetime | None,
        valid_at: datetime | None = None,
    ) -> nx.DiGraph[str]:
        from lineage.graph.subgraph import lineage_shape, read_subgraph

        with self.database.read() as connection:
            start, kind, real_name = self.database.resolve(connection, name)
            bound = self.database.tx_bound(connection, as_of)
            if valid_at is not None and kind == "dataset" and direction == "upstream":
                # A dataset's upstream at a time is that of its version current then.
                current = history_of(connection, start, real_name, bound).current(_aware(valid_at))
                start = current.id if current.id is not None else start
            try:
                graph = read_subgraph(
                    connection, start, direction, depth=depth, bound=bound, depths=False
                )
            except NotYetRecorded:
                raise NotYetRecorded(f"{name!r} was not yet recorded at {as_of}") from None
        shaped = lineage_shape(graph, direction)
        if valid_at is not None:
            shaped = valid_at_graph(shaped, valid_at, direction)
        return shaped

    def upstream(
        self,
        name: str,
        *,
        depth: int | None = None,
        as_of: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> nx.DiGraph[str]:
        """Everything `name` was built from, as a DiGraph of 'kind:name' nodes.

        Edges point from the dependent record to what it depends on, as in PROV, with
        the relation as the `relation` attribute. The graph's `root` is `name`.
        `as_of` reads the store as recorded then; `valid_at` the world as the events
        describe it then: a dataset's upstream is that of its version current at
        `valid_at`, and runs and dataset versions after it are left out.

        Example:
            graph = store.upstream("support-assistant-v1")
            sources = [n for n, kind in graph.nodes(data="kind") if kind == "source"]
            store.upstream("orders", valid_at=datetime(2025, 9, 15, tzinfo=UTC))
        """
        return self._subgraph(name, "upstream", depth, as_of, valid_at)

    def downstream(
        self,
        name: str,
        *,
        depth: int | None = None,
        as_of: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> nx.DiGraph[str]:
        """Everything built from `name` (edges as in `upstream`), sign-offs and revocations
        included; the records of `lineage verify` runs are left out. With `valid_at`,
        only runs and dataset versions that had happened by then."""
        return self._subgraph(name, "downstream", depth, as_of, valid_at)

    # -- governance -----------------------------------------------------------------
    def verify_content(
        self,
        target: str | None = None,
        *,
        full: bool = False,
        full_every: timedelta | None = DEFAULT_FULL_EVERY,
    ) -> ContentVerification:
        """Re-hash every recorded path upstream of `target` (all, without one) and record
        the outcome per record in the store; see `lineage verify`.

        Unchanged files are answered by the digest cache unless `full`, or unless some
        record in scope was not hashed by a full run within `full_every` (default 7
        days; None: never scheduled). `result.full` says which it was.

        Example:
            result = store.verify_content("support-assistant-v1")
            if not result.ok:
                print([c.record for c in result.checks if c.status != "matching"])
            store.verify_content(full=True)  # hash every file, whatever the cache holds
        """
        from lineage.governance.content import verify_content

        return verify_content(self, target, full=full, full_every=full_every)

    def approvals(
        self, target: str | None = None, *, now: datetime | None = None
    ) -> builtins.list[Approval]:
        """Every sign-off (on `target`) with its status: valid, expired, stale,
        revoked-data, not yet effective, superseded, rejected or revoked."""
        from lineage.governance.approvals import approvals

        return list(approvals(self, target, now=now))

    def revoke(
        self,
        name: str,
        *,
        reason: str,
        effective: date | str | None = None,
        by: str | None = None,
    ) -> str:
        """Record that `name` (a source, dataset or model) must no longer be used from
        `effective` (default today); returns the revocation's id.

        Example:
            store.revoke("chat-transcripts-2025", reason="consent withdrawn",
                         effective="2026-01-10")
        """
        from lineage.governance.revocation import revoke

        return revoke(self, name, reason=reason, effective=effective, by=by)

    def impact(self, name: str) -> Impact:
        """Every dataset and model built from `name`, when each was made relative to its
        revocation, and what that means for their approvals."""
        from lineage.governance.revocation import impact

        return impact(self, name)

    def graph(self, name: str | None = None, *, as_of: datetime | None = None) -> nx.DiGraph[str]:
        """The whole graph, or `name` and everything upstream of it, with every record's
        facts and `effective` date (the shape of `upstream`, without `depth`).

        Example:
            everything = store.graph()
            len(everything)  # records in force
        """
        from lineage.graph.subgraph import read_graph, read_subgraph

        with self.database.read() as connection:
            bound = self.database.tx_bound(connection, as_of)
            if name is None:
                return read_graph(connection, bound=bound, effective=True)
            start, _, _ = self.database.resolve(connection, name)
            try:
                return read_subgraph(
                    connection, start, "upstream", bound=bound, depths=False, effective=True
                )
            except NotYetRecorded:
                raise NotYetRecorded(f"{name!r} was not yet recorded at {as_of}") from None

    def export_graph(
        self,
        target: str | None = None,
        *,
        as_of: datetime | None = None,
        evaluations: bool = False,
    ) -> nx.DiGraph[str]:
        """What an export writes: `target`, everything upstream of it and the sign-offs
        given on and licence claims made about any of those (with who gave them), or,
        without a target, every record
        of the store, as recorded at `as_of`. With `evaluations` (what the bills of
        materials hold), also the evaluations of any model among them, with their test
        data, run and evaluator, and what is upstream of those.

        Nodes are 'kind:name' with kind, name, version, seal, effective (when known)
        and every recorded fact; edges carry `relation` and `role`.
        """
        import networkx as nx

        from lineage.graph.subgraph import read_graph

        with self.database.read() as connection:
            bound = self.database.tx_bound(connection, as_of)
            head = _ledger_head(connection, bound)
            if target is None:
                whole = read_graph(connection, bound=bound, effective=True)
                whole.graph["ledger_head"] = head
                return whole
            start, _, _ = self.database.resolve(connection, target)
            ids = set(closure(connection, start, "upstream", bound=bound).ids)
            ids.add(start)
            # Sign-offs and licence claims point at what they are about, so they are
            # downstream of it; the paper trail of TARGET still holds them, and who gave them.
            about = _attestations_of(connection, ids, bound)
            tested: list[str] = []
            if evaluations:
                about |= _evaluations_of(connection, ids, bound)
                tested = _models_tested_on(connection, start, bound)
            for attestation in sorted(about):
                if attestation not in ids:
                    ids.add(attestation)
                    ids.update(closure(connection, attestation, "upstream", bound=bound).ids)
            versions = versions_of(connection, ids, bound)
            if start not in versions:
                raise NotYetRecorded(f"{target!r} was not yet recorded at {as_of}")
            root = _node_id(versions[start]["kind"], versions[start]["name"])
            edges = list(edges_within(connection, ids, bound))
        graph: nx.DiGraph[str] = nx.DiGraph(root=root, ledger_head=head)
        if tested:
            graph.graph["tested_models"] = tested  # models evaluated on TARGET
        label: dict[int, str] = {}
        for node_id, row in versions.items():
            key = _node_id(row["kind"], row["name"])
            label[node_id] = key
            extra = {"effective": row["effective"]} if row["effective"] else {}
            graph.add_node(
                key,
                kind=row["kind"],
                name=row["name"],
                version=row["version"],
                seal=row["seal"],
                **extra,
                **_public_facts(row),
            )
        for edge in edges:
            graph.add_edge(
                label[edge.subject], label[edge.object], relation=edge.relation, role=edge.role
            )
        return graph

    def export(
        self,
        format: str,
        target: str | None = None,
        *,
        as_of: datetime | None = None,
        spec_version: str | None = None,
        validate: bool = False,
    ) -> Export:
        """`target`'s lineage (or the whole store) in an exchange format; `.data` is the bytes.

        Formats: prov-json, prov-n, prov-xml, prov-o (Turtle), graphml, openlineage, and
        the AI bills of materials spdx3, cyclonedx, croissant (see `lineage.EXPORT_FORMATS`).
        `spec_version` picks the standard's version (bills of materials only); `validate`
        runs the standard's own validator and lineage's post-checks on the result and
        raises ExportInvalid when either finds a problem.

        Example:
            with open("lineage.provjson", "wb") as out:
                out.write(store.export("prov-json", "support-assistant-v1").data)
        """
        from lineage.exports import EXPORTERS
        from lineage.exports.bom import BOM_FORMATS, validate_bom

        exporter = EXPORTERS.get(format)
        if exporter is None:
            raise InvalidRecord(
                f"{format!r} is not an export format; one of: {', '.join(sorted(EXPORTERS))}"
            )
        if (spec_version is not None or validate) and format not in BOM_FORMATS:
            raise InvalidRecord(
                f"--spec-version and --validate are for {', '.join(BOM_FORMATS)}, not {format}"
            )
        graph = self.export_graph(target, as_of=as_of, evaluations=format in BOM_FORMATS)
        if spec_version is not None:
            graph.graph["spec_version"] = spec_version
        data = exporter(graph)
        if validate:
            validate_bom(format, data)
        return Export(
            format,
            graph.graph["root"],
            graph.number_of_nodes(),
            graph.number_of_edges(),
            data,
        )

    def verify(self, *, expected_head: str | None = None) -> VerifyReport:
        """Recompute the ledger from the rows; see `VerifyReport.problems`.

        With `expected_head` (a head hash printed in an earlier report), also check
        that the chain still contains it, which catches entries cut off at the end.
        """

        with self.database.read() as connection:
            return verify(connection, expected_head)


# Input fields stored in other columns (or with others), and fields an amendment
# cannot clear.


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ledger_head(connection: Connection, bound: int | None) -> dict[str, str] | None:
    """Hash and time of the ledger entry a read at `bound` sees (None: an empty ledger)."""
    query = select(LEDGER.c.entry_hash, LEDGER.c.recorded_at).order_by(LEDGER.c.seq.desc()).limit(1)
    if bound is not None:
        query = query.where(LEDGER.c.seq <= bound)
    row = connection.execute(query).first()
    return {"hash": row.entry_hash, "recorded_at": row.recorded_at} if row else None


def _attestations_of(connection: Connection, ids: set[int], bound: int | None) -> set[int]:
    """The sign-offs given on, and licence claims made about, any of the records `ids`, as
    recorded up to ledger entry `bound`."""
    return _derived_about(connection, ids, bound, NODE.c.kind.in_(("attestation", "claim")))


def _evaluations_of(connection: Connection, ids: set[int], bound: int | None) -> set[int]:
    """The evaluations whose model is one of the records `ids`, as recorded up to ledger
    entry `bound`."""
    return _derived_about(
        connection, ids, bound, NODE.c.kind == "evaluation", EDGE.c.role == "model"
    )


def _derived_about(
    connection: Connection, ids: set[int], bound: int | None, *conditions: Any
) -> set[int]:
    """The records, meeting `conditions`, derived from one of the records `ids`."""
    found: set[int] = set()
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        query = (
            select(EDGE.c.subject)
            .join(NODE, NODE.c.id == EDGE.c.subject)
            .where(
                *conditions,
                EDGE.c.relation == "was_derived_from",
                EDGE.c.object.in_(ordered[i : i + 500]),
            )
        )
        if bound is not None:
            query = query.where(EDGE.c.tx <= bound)
        found.update(connection.execute(query).scalars())
    return found


def _models_tested_on(connection: Connection, data: int, bound: int | None) -> list[str]:
    """The names of the models evaluated on the record `data` (its test-data use)."""
    evaluation = EDGE.alias("evaluation")
    query = (
        select(NODE.c.name)
        .select_from(EDGE)
        .join(evaluation, evaluation.c.subject == EDGE.c.subject)
        .join(NODE, NODE.c.id == evaluation.c.object)
        .where(
            EDGE.c.object == data,
            EDGE.c.relation == "was_derived_from",
            EDGE.c.role == "test-data",
            evaluation.c.relation == "was_derived_from",
            evaluation.c.role == "model",
        )
    )
    if bound is not None:
        query = query.where(EDGE.c.tx <= bound, evaluation.c.tx <= bound)
    return sorted(set(connection.execute(query).scalars()))


def _manifest_size(data: Any) -> int:
    """Roughly how many rows a manifest writes: its items, and the relations of its runs.

    Items enough for the bulk path (`BULK_THRESHOLD`, which also pauses the garbage
    collector) are counted alone: the relations would decide nothing more.
    """
    if not isinstance(data, dict):
        return 0
    sections = [items for items in data.values() if isinstance(items, list)]
    size = sum(len(items) for items in sections)
    if size >= store_write.BULK_THRESHOLD:
        return size
    for items in sections:
        size += sum(
            len(i.get("inputs") or ()) + len(i.get("outputs") or ())
            for i in items
            if isinstance(i, dict)
        )
    return size


def _drop_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _plain(value: Any) -> Any:
    """`value`, with the input models given in it (`coverage=[CoverageInput(...)]`) as the
    fields they were given: the compiled schemas of `Store._add` take plain values, and
    checking for a `model_dump` method imports no pydantic."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(exclude_unset=True)
    if isinstance(value, list | tuple) and any(
        callable(getattr(v, "model_dump", None)) for v in value
    ):
        return type(value)(_plain(v) for v in value)
    return value


def open_store(
    target: str | None = None, *, create: bool = True, lock_timeout: float | None = None
) -> Store:
    """Open the store at `target`: an SQLAlchemy URL or a file path (default $LINEAGE_DB,
    else ./lineage.db).

    With `create`, a missing SQLite file or an empty database is initialised, and an
    older schema is migrated. Raises StoreError when the database cannot be opened.

    A write waits while another process writes, for as long as that takes, or at
    most `lock_timeout` seconds (default: $LINEAGE_LOCK_TIMEOUT when set), then
    raises StoreError and writes nothing.

    Example:
        with lineage.open_store("postgresql+psycopg://postgres@127.0.0.1/test") as store:
            print(store.info())
    """
    return Store(open_database(target, create=create, lock_timeout=lock_timeout))


def _with_jobs(connection: Connection, rows: builtins.list[Summary]) -> builtins.list[Summary]:
    """`rows` with each activity's OpenLineage job, read from its newest version's attrs."""
    newest = {r.name: r.version for r in rows if r.kind == "activity"}
    jobs: dict[str, str] = {}
    names = sorted(newest)
    for i in range(0, len(names), 500):
        found = connection.execute(
            select(NODE.c.name, NODE.c.version, NODE.c.attrs).where(
                NODE.c.kind == "activity", NODE.c.name.in_(names[i : i + 500])
            )
        )
        for name, version, attrs in found:
            # Only activities recorded from OpenLineage have a job (job_of looks for the
            # same text): a listing of others does not load the OpenLineage modules.
            if version != newest[name] or not attrs or "openlineage" not in attrs:
                continue
            from lineage.openlineage.jobs import job_of

            if (job := job_of(attrs)) is not None:
                jobs[name] = job
    if not jobs:
        return rows
    return [
        Summary(r.id, r.kind, r.name, r.version, jobs.get(r.name)) if r.kind == "activity" else r
        for r in rows
    ]
