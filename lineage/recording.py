"""Turning validated input into the pending records and relations of a write batch.

Shared by the Python API, the CLI and manifest ingestion, so all three record
the same facts in the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lineage.canonical import canonical_json
from lineage.digests import DigestCache, digest_path
from lineage.errors import InvalidRecord, LineageError
from lineage.store.pending import ENTITY, PendingEdge, PendingNode, Sink, VersionHint
from lineage.vocabulary import EXCLUDED_ROLE, REFERENCE_ROLE, Relation

if TYPE_CHECKING:
    # Imported where used: `lineage source add` records a source validated without
    # pydantic (lineage.compiled_inputs), and loads none of the models.
    from lineage.validation import (
        AgentInput,
        AttestationInput,
        ClaimInput,
        EntityInput,
        EvaluationInput,
        RunInput,
    )


def display_path(path: str) -> str:
    """How a path is handed to the store: absolute, so that it means the same from any
    folder (the store keeps paths below its data root relative to the root)."""
    return os.path.abspath(path)


def with_content_digest(
    facts: dict[str, Any], path: str | None, cache: DigestCache | None
) -> dict[str, Any]:
    """Fill `digest` and `size_bytes` from the file or folder at `path`."""
    if not path:
        return facts
    found = digest_path(path, cache=cache)
    given = facts.get("digest")
    if given and given != found.digest:
        raise InvalidRecord(
            f"{given} does not match the content at {path!r} ({found.digest})", ("digest",)
        )
    out = dict(facts)
    out["digest"] = found.digest
    out["path"] = display_path(path)
    if out.get("size_bytes") is None:
        out["size_bytes"] = found.size
    return out


def add_entity(
    sink: Sink,
    kind: str,
    entity: EntityInput,
    *,
    where: object = "",
    cache: DigestCache | None = None,
    base_dir: str | None = None,
    path_error: Callable[[LineageError], LineageError] | None = None,
) -> None:
    """Add a source, dataset or model (and its derivation from a generating model).

    `path_error`, when given, says where a problem with the entity's path (one that does
    not exist, cannot be read) is: the error it returns is raised instead.
    """
    path = entity.path
    if path and base_dir and not os.path.isabs(path):
        path = os.path.join(base_dir, path)
    try:
        facts = with_content_digest(entity.facts(), path, cache)
    except LineageError as error:
        if path_error is None:
            raise
        raise path_error(error) from None
    effective = entity.effective.isoformat() if entity.effective else None
    sink.add_node(PendingNode(kind, entity.name, facts, where=where, effective=effective))
    for origin in entity.derived_from:
        sink.add_edge(
            PendingEdge(
                (kind, entity.name), _entity_ref(origin), Relation.WAS_DERIVED_FROM, where=where
            )
        )
    for agent in entity.attributed_to:
        sink.add_edge(
            PendingEdge(
                (kind, entity.name), ("agent", agent), Relation.WAS_ATTRIBUTED_TO, where=where
            )
        )
    generated_by = entity.__dict__.get("generated_by")  # sources only
    if generated_by:
        # Synthetic data derives from the model that generated it, when that model
        # is recorded: its terms (e.g. no training of competing models) then travel
        # downstream with the data. An unrecorded model stays a name in the facts.
        sink.add_edge(
            PendingEdge(
                ("source", entity.name),
                ("model", generated_by),
                Relation.WAS_DERIVED_FROM,
                where=where,
                optional=True,
            )
        )


# Input fields stored in other (or several) columns.
_COLUMNS_OF = {
    "collected": ("collected_start", "collected_end"),
    "version": ("software_version",),
    "type": ("agent_type",),
    "path": ("path", "digest", "size_bytes"),
}
_NOT_CLEARABLE = frozenset({"name", "type", "derived_from", "attributed_to", "effective"})


def add_amendment(
    sink: Sink,
    kind: str,
    name: str,
    given: dict[str, Any],
    *,
    reason: str,
    effective: str | None = None,
    clear: Sequence[str] = (),
    cache: DigestCache | None = None,
    base_dir: str | None = None,
    where: object = "",
    current_attrs: Callable[[], Mapping[str, Any]] | None = None,
) -> None:
    """Add a new version of record `name` (of `kind`) with the fields in `given` changed
    and those in `clear` recorded as unknown; the fields not named are kept.

    A disclosure fact (`lineage.disclosure`) lives in attrs: amending or clearing one
    keeps the record's other attrs, read with `current_attrs`.

    Raises InvalidRecord for an invalid field or one that cannot be cleared.
    """
    from lineage.validation import INPUT_OF_KIND, AgentInput, EntityInput, validate_input

    model = INPUT_OF_KIND[kind]
    given = dict(given)
    placeholder = kind == "agent" and "type" not in given
    if placeholder:
        given["type"] = "person"  # placeholder for validation only
    label = f"{kind} {name!r}"
    record = validate_input(model, {"name": name, **given}, label)
    facts = record.facts()
    keep = {k for k in given if k != "name"}
    if placeholder:
        keep.discard("type")
    if isinstance(record, EntityInput) and record.path:
        path = record.path
        if base_dir and not os.path.isabs(path):
            path = os.path.join(base_dir, path)
        facts = with_content_digest(facts, path, cache)
    wanted = {column for key in keep for column in _COLUMNS_OF.get(key, (key,))}
    pending_facts = {k: v for k, v in facts.items() if k in wanted}
    in_attrs = model._attr_fields() if hasattr(model, "_attr_fields") else frozenset()
    disclosed = keep & in_attrs
    dropped = {k.replace("-", "_") for k in clear} & in_attrs - set(given)
    if (disclosed or dropped) and "attrs" not in keep:
        if current_attrs is None:
            raise InvalidRecord(
                f"{label}: fields {sorted(disclosed | dropped)} are kept in attrs: "
                "amend them with 'lineage amend' (or Store.amend)",
                ("attrs",),
            )
        current = dict(current_attrs())
        new_attrs = json.loads(facts["attrs"]) if facts.get("attrs") else {}
        current.update({k: v for k, v in new_attrs.items() if k in disclosed})
        for key in dropped:
            current.pop(key, None)
        pending_facts.pop("attrs", None)
        if current:
            pending_facts["attrs"] = canonical_json(current)
    cleared: set[str] = set() if not dropped or pending_facts.get("attrs") else {"attrs"}
    for key in (k.replace("-", "_") for k in clear):
        if key in dropped:
            continue
        columns = _COLUMNS_OF.get(key, (key,))
        if key not in model.model_fields or key in _NOT_CLEARABLE or key in given:
            raise InvalidRecord(
                f"{label}: field {key!r} cannot be cleared"
                + (" and set at once" if key in given else ""),
                ("clear",),
            )
        cleared.update(columns)
    if "collected" in given and pending_facts.get("collected_end") is None:
        cleared.add("collected_end")  # the period is now ongoing
    sink.add_node(
        PendingNode(
            kind,
            name,
            pending_facts,
            where=where,
            reason=reason,
            effective=effective,
            clear=tuple(sorted(cleared)),
        )
    )
    if isinstance(record, AgentInput) and record.acted_on_behalf_of:
        # Delegation is a relation, not a fact: amending adds it beside the old ones.
        _delegate(sink, record, where)


def _delegate(sink: Sink, agent: AgentInput, where: object) -> None:
    assert agent.acted_on_behalf_of
    sink.add_edge(
        PendingEdge(
            ("agent", agent.name),
            ("agent", agent.acted_on_behalf_of),
            Relation.ACTED_ON_BEHALF_OF,
            where=where,
        )
    )


def add_agent(sink: Sink, agent: AgentInput, *, where: object = "") -> None:
    """Add a person, organisation or software agent."""
    sink.add_node(PendingNode("agent", agent.name, agent.facts(), where=where))
    if agent.acted_on_behalf_of:
        _delegate(sink, agent, where)


_LATER_FIELDS = ("references", "excludes", "removes_personal_data", "method")


def _derived_name(
    stem: str, record: RunInput | AttestationInput | ClaimInput | EvaluationInput
) -> str:
    """`stem`-<hash of the record's facts>: the same record gets the same name, so
    recording it twice is a no-op."""
    # Disclosure facts (lineage.disclosure) count as the attrs they are kept in, so a
    # run's name is the same whether its purpose came as a field or in attrs, and
    # the same as before those fields existed.
    from lineage.validation import RunInput

    in_attrs = record._attr_fields() if isinstance(record, RunInput) else frozenset()
    identity = record.model_dump(mode="json", exclude={"name", *in_attrs})
    if isinstance(record, RunInput):
        identity["attrs"] = {**identity["attrs"], **record.disclosure_attrs()}
    # Fields added later count only when given, so names derived before stay the same.
    for key in _LATER_FIELDS:
        if identity.get(key) in ((), [], None, False):
            identity.pop(key, None)
    if identity.get("write") == "append":  # the default of a field added later
        identity.pop("write")
    return f"{stem}-{hashlib.sha256(canonical_json(identity).encode()).hexdigest()[:10]}"


def attestation_name(attestation: AttestationInput) -> str:
    """The attestation's name: given, or derived from its facts."""
    return attestation.name or _derived_name(
        f"{attestation.decision}-{attestation.subject}", attestation
    )


def add_attestation(sink: Sink, attestation: AttestationInput, *, where: object = "") -> str:
    """Add a sign-off on a model or dataset, attributed to the agent who gave it."""
    name = attestation_name(attestation)
    effective = attestation.effective.isoformat() if attestation.effective else None
    sink.add_node(
        PendingNode("attestation", name, attestation.facts(), where=where, effective=effective)
    )
    sink.add_edge(
        PendingEdge(
            ("attestation", name),
            _entity_ref(attestation.subject),
            Relation.WAS_DERIVED_FROM,
            where=where,
        )
    )
    sink.add_edge(
        PendingEdge(
            ("attestation", name),
            ("agent", attestation.by),
            Relation.WAS_ATTRIBUTED_TO,
            where=where,
        )
    )
    return name


def claim_name(claim: ClaimInput) -> str:
    """The claim's name: given, or derived from its facts (the same claim twice is one)."""
    return claim.name or _derived_name(f"claim-{claim.subject}", claim)


def add_claim(sink: Sink, claim: ClaimInput, *, where: object = "") -> str:
    """Add a licence claim: an entity about `claim.subject` (was_derived_from, as a
    sign-off is) attributed to the agent who makes it (was_attributed_to)."""
    name = claim_name(claim)
    effective = claim.date.isoformat() if claim.date else None
    sink.add_node(PendingNode("claim", name, claim.facts(), where=where, effective=effective))
    sink.add_edge(
        PendingEdge(
            ("claim", name), _entity_ref(claim.subject), Relation.WAS_DERIVED_FROM, where=where
        )
    )
    sink.add_edge(
        PendingEdge(("claim", name), ("agent", claim.by), Relation.WAS_ATTRIBUTED_TO, where=where)
    )
    return name


def evaluation_name(evaluation: EvaluationInput) -> str:
    """The evaluation's name: given, or derived from its facts (the same result twice is
    recorded once)."""
    return evaluation.name or _derived_name(f"eval-{evaluation.model}", evaluation)


def evaluation_run_name(evaluation: EvaluationInput) -> str:
    """The run an evaluation without `run` is generated by: one per model, test data,
    evaluator and date, so the results of one evaluation share it."""
    key = canonical_json(
        [evaluation.model, evaluation.dataset, evaluation.by, str(evaluation.date or "")]
    )
    return f"evaluate-{evaluation.model}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def add_evaluation(sink: Sink, evaluation: EvaluationInput, *, where: object = "") -> str:
    """Add an evaluation result: a PROV entity generated by a run that used the model and
    its test data, derived from both, attributed to its evaluator. Returns its name.

    Without `run`, the run is recorded too (operation 'evaluate'); with it, the run is
    recorded as having used the model and the test data.
    """
    name = evaluation_name(evaluation)
    me = ("evaluation", name)
    effective = evaluation.date.isoformat() if evaluation.date else None
    sink.add_node(PendingNode("evaluation", name, evaluation.facts(), where, effective=effective))
    model, data = (
        ("model", evaluation.model.removeprefix("model:")),
        _entity_ref(evaluation.dataset),
    )
    derived = Relation.WAS_DERIVED_FROM.value
    sink.add_edge(PendingEdge(me, model, derived, where, role="model"))
    sink.add_edge(PendingEdge(me, data, derived, where, role="test-data"))
    run = evaluation.run
    if run is None:
        run = evaluation_run_name(evaluation)
        facts: dict[str, Any] = {"operation": "evaluate", "status": "completed"}
        if evaluation.date:
            facts["ended"] = f"{evaluation.date.isoformat()}T00:00:00Z"
        sink.add_node(PendingNode("activity", run, facts, where))
        if evaluation.by:
            sink.add_edge(
                PendingEdge(
                    ("activity", run),
                    ("agent", evaluation.by),
                    Relation.WAS_ASSOCIATED_WITH.value,
                    where,
                )
            )
    used = Relation.USED.value
    sink.add_edge(PendingEdge(("activity", run), model, used, where))
    sink.add_edge(PendingEdge(("activity", run), data, used, where))
    sink.add_edge(PendingEdge(me, ("activity", run), Relation.WAS_GENERATED_BY.value, where))
    if evaluation.by:
        sink.add_edge(
            PendingEdge(me, ("agent", evaluation.by), Relation.WAS_ATTRIBUTED_TO.value, where)
        )
    return name


def run_name(run: RunInput) -> str:
    """The run's name: given, or derived from its facts so recording it twice is a no-op."""
    return run.name or _derived_name(run.operation, run)


_READ = VersionHint()  # how every read of a dataset picks its version (one, immutable)
_WRITE = {write: VersionHint(write=write) for write in ("append", "overwrite")}
_USED, _GENERATED = Relation.USED.value, Relation.WAS_GENERATED_BY.value
_ASSOCIATED = Relation.WAS_ASSOCIATED_WITH.value


def add_run(
    sink: Sink,
    run: RunInput,
    *,
    where: object = "",
    where_of: Callable[[str, int], object] | None = None,
) -> str:
    """Add an activity with its inputs (used), outputs (was_generated_by) and agents.

    `where_of(field, i)` names where the i-th item of `inputs`, `outputs`,
    `references` or `excludes` was given (a manifest's line), for errors; `where`
    otherwise."""
    name = run_name(run)
    me = ("activity", name)
    add_edge = sink.add_edge
    sink.add_node(PendingNode("activity", name, run.facts(), where))
    # A dataset read or written resolves to one of its versions (lineage.store.versions).
    writes = _WRITE[run.write]
    for i, entity in enumerate(run.inputs):
        at = where_of("inputs", i) if where_of else where
        add_edge(PendingEdge(me, _entity_ref(entity), _USED, at, version=_READ))
    for i, entity in enumerate(run.outputs):
        at = where_of("outputs", i) if where_of else where
        add_edge(PendingEdge(_entity_ref(entity), me, _GENERATED, at, version=writes))
    # Tools and removed parts are PROV `used` too, told apart by their role: closures
    # that follow content leave these edges out (lineage.graph.closure).
    for i, entity in enumerate(run.references):
        at = where_of("references", i) if where_of else where
        add_edge(PendingEdge(me, _entity_ref(entity), _USED, at, role=REFERENCE_ROLE))
    for i, entity in enumerate(run.excludes):
        at = where_of("excludes", i) if where_of else where
        add_edge(PendingEdge(me, _entity_ref(entity), _USED, at, role=EXCLUDED_ROLE))
    for agent in run.agent:
        add_edge(PendingEdge(me, ("agent", agent), _ASSOCIATED, where))
    return name


def _entity_ref(text: str) -> tuple[str | None, str]:
    if ":" not in text:
        return ENTITY, text
    prefix, sep, rest = text.partition(":")
    if sep and prefix in ("source", "dataset", "model") and rest:
        return prefix, rest
    return ENTITY, text
