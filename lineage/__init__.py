"""lineage: the provenance paper trail of AI training data.

Sources, datasets, models, runs and agents are recorded as a W3C PROV graph in
SQLite or PostgreSQL, append-only and hash-chained, and queried back as
networkx graphs.

Example:
    import lineage

    with lineage.open_store("lineage.db") as store:
        store.add_source("reviews-2024", license="CC-BY-NC-4.0", obtained="public")
        store.add_dataset("reviews-clean")
        store.record_run("clean", inputs=["reviews-2024"], outputs=["reviews-clean"])
        print(store.upstream("reviews-clean").nodes)
"""

# The names below load on first use (PEP 562), so that `import lineage` and a command
# that only reads the store do not pay for networkx, the exporters, reports or the server.

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lineage.api import (
        DataRootChange,
        Export,
        Record,
        RunRecorder,
        Store,
        StoreInfo,
        Summary,
        Version,
        open_store,
    )
    from lineage.characters import json_text, terminal_text
    from lineage.checks import (
        RULES,
        CheckResult,
        Finding,
        Policy,
        PolicyError,
        TierReport,
        TierRequirement,
        TierStatus,
        check,
        load_policy,
    )
    from lineage.checks.tiers import tiers
    from lineage.diagrams import Diagram, GraphvizNotFound
    from lineage.diagrams.diagram import diagram
    from lineage.digests import Digest, DigestCache, digest_path, digest_paths
    from lineage.errors import (
        AmbiguousName,
        Conflict,
        CycleError,
        ExportInvalid,
        InvalidLicence,
        InvalidRecord,
        LineageError,
        ManifestError,
        MissingDependency,
        NotYetRecorded,
        PathError,
        SignatureError,
        StoreError,
        UnknownNode,
        shorten,
    )
    from lineage.exports import EXPORTERS as EXPORTERS
    from lineage.exports import export
    from lineage.governance.approvals import Approval, upstream_digest
    from lineage.governance.content import ContentCheck, ContentVerification, parse_interval
    from lineage.governance.evaluations import Evaluation
    from lineage.governance.records import RecordedCheck, Revocation
    from lineage.governance.revocation import Affected, ApprovalImpact, Impact
    from lineage.governance.signing import (
        CheckpointNotHeld,
        KeyPair,
        generate_keys,
        make_checkpoint,
        require_checkpoint,
        verify_checkpoint,
    )
    from lineage.graph.closure import NodeRef, NodeRefs
    from lineage.graph.valid_time import DatasetVersion
    from lineage.licences import Licence, parse_licence
    from lineage.reports import (
        FORMATS,
        TEMPLATES,
        Report,
        TemplateOptions,
        build_report,
        render_report,
    )
    from lineage.reports.signed import (
        ReportVerification,
        sign_report,
        signature_path,
        verify_report,
    )
    from lineage.server import ServerUnavailable, serve
    from lineage.store.ledger import Problem, VerifyReport
    from lineage.store.pending import WriteResult
    from lineage.store.tokens import TokenInfo
    from lineage.tracking import current_run, track
    from lineage.validation import parse_time
    from lineage.vocabulary import (
        AGENT_TYPES,
        CATEGORIES,
        CLAIM_METHODS,
        COMMENT_FIELDS,
        COVERAGE_BASES,
        DECISIONS,
        DECLARED_ROLE,
        DIRECTIONS,
        INTENDED_USES,
        IP_PROTECTIONS,
        KINDS,
        MODALITIES,
        NON_CONTENT_ROLES,
        OBTAINED,
        OPT_OUTS,
        PERSONAL_DATA,
        RESTRICTIONS,
        RUN_STATUSES,
        SUPPLIERS,
        TIERS,
        USER_DATA_FROM,
    )

    # The formats of `Store.export` and `lineage export --format`.
    EXPORT_FORMATS: tuple[str, ...]

__version__ = "0.1.0"

__all__ = [
    "AGENT_TYPES",
    "CATEGORIES",
    "CLAIM_METHODS",
    "COMMENT_FIELDS",
    "COVERAGE_BASES",
    "DECISIONS",
    "DECLARED_ROLE",
    "DIRECTIONS",
    "EXPORT_FORMATS",
    "FORMATS",
    "INTENDED_USES",
    "IP_PROTECTIONS",
    "KINDS",
    "MODALITIES",
    "NON_CONTENT_ROLES",
    "OBTAINED",
    "OPT_OUTS",
    "PERSONAL_DATA",
    "RESTRICTIONS",
    "RULES",
    "RUN_STATUSES",
    "SUPPLIERS",
    "TEMPLATES",
    "TIERS",
    "USER_DATA_FROM",
    "Affected",
    "AmbiguousName",
    "Approval",
    "ApprovalImpact",
    "CheckResult",
    "CheckpointNotHeld",
    "Conflict",
    "ContentCheck",
    "ContentVerification",
    "CycleError",
    "DataRootChange",
    "DatasetVersion",
    "Diagram",
    "Digest",
    "DigestCache",
    "Evaluation",
    "Export",
    "ExportInvalid",
    "Finding",
    "GraphvizNotFound",
    "Impact",
    "InvalidLicence",
    "InvalidRecord",
    "KeyPair",
    "Licence",
    "LineageError",
    "ManifestError",
    "MissingDependency",
    "NodeRef",
    "NodeRefs",
    "NotYetRecorded",
    "PathError",
    "Policy",
    "PolicyError",
    "Problem",
    "Record",
    "RecordedCheck",
    "Report",
    "ReportVerification",
    "Revocation",
    "RunRecorder",
    "ServerUnavailable",
    "SignatureError",
    "Store",
    "StoreError",
    "StoreInfo",
    "Summary",
    "TemplateOptions",
    "TierReport",
    "TierRequirement",
    "TierStatus",
    "TokenInfo",
    "UnknownNode",
    "VerifyReport",
    "Version",
    "WriteResult",
    "__version__",
    "build_report",
    "check",
    "current_run",
    "diagram",
    "digest_path",
    "digest_paths",
    "export",
    "generate_keys",
    "json_text",
    "load_policy",
    "make_checkpoint",
    "open_store",
    "parse_interval",
    "parse_licence",
    "parse_time",
    "render_report",
    "require_checkpoint",
    "serve",
    "shorten",
    "sign_report",
    "signature_path",
    "terminal_text",
    "tiers",
    "track",
    "upstream_digest",
    "verify_checkpoint",
    "verify_report",
]

# Where each public name is defined.
_MODULES: dict[str, tuple[str, ...]] = {
    "lineage.api": (
        "DataRootChange",
        "Export",
        "Record",
        "RunRecorder",
        "Store",
        "StoreInfo",
        "Summary",
        "Version",
        "open_store",
    ),
    "lineage.checks": (
        "RULES",
        "CheckResult",
        "Finding",
        "Policy",
        "PolicyError",
        "TierReport",
        "TierRequirement",
        "TierStatus",
        "check",
        "load_policy",
        "tiers",
    ),
    "lineage.diagrams": ("Diagram", "GraphvizNotFound", "diagram"),
    "lineage.digests": ("Digest", "DigestCache", "digest_path", "digest_paths"),
    "lineage.errors": (
        "AmbiguousName",
        "Conflict",
        "CycleError",
        "ExportInvalid",
        "InvalidLicence",
        "InvalidRecord",
        "LineageError",
        "ManifestError",
        "MissingDependency",
        "NotYetRecorded",
        "PathError",
        "SignatureError",
        "StoreError",
        "UnknownNode",
        "shorten",
    ),
    "lineage.exports": ("EXPORTERS", "export"),
    "lineage.governance.approvals": ("Approval", "upstream_digest"),
    "lineage.governance.content": ("ContentCheck", "ContentVerification", "parse_interval"),
    "lineage.governance.evaluations": ("Evaluation",),
    "lineage.governance.records": ("RecordedCheck", "Revocation"),
    "lineage.governance.revocation": ("Affected", "ApprovalImpact", "Impact"),
    "lineage.governance.signing": (
        "CheckpointNotHeld",
        "KeyPair",
        "generate_keys",
        "make_checkpoint",
        "require_checkpoint",
        "verify_checkpoint",
    ),
    "lineage.graph.closure": ("NodeRef", "NodeRefs"),
    "lineage.graph.valid_time": ("DatasetVersion",),
    "lineage.licences": ("Licence", "parse_licence"),
    "lineage.reports": (
        "FORMATS",
        "TEMPLATES",
        "Report",
        "TemplateOptions",
        "build_report",
        "render_report",
    ),
    "lineage.characters": ("json_text", "terminal_text"),
    "lineage.reports.signed": (
        "ReportVerification",
        "sign_report",
        "signature_path",
        "verify_report",
    ),
    "lineage.server": ("ServerUnavailable", "serve"),
    "lineage.store.ledger": ("Problem", "VerifyReport"),
    "lineage.store.pending": ("WriteResult",),
    "lineage.store.tokens": ("TokenInfo",),
    "lineage.tracking": ("current_run", "track"),
    "lineage.validation": ("parse_time",),
    "lineage.vocabulary": (
        "AGENT_TYPES",
        "CATEGORIES",
        "CLAIM_METHODS",
        "COMMENT_FIELDS",
        "COVERAGE_BASES",
        "DECISIONS",
        "DECLARED_ROLE",
        "DIRECTIONS",
        "INTENDED_USES",
        "IP_PROTECTIONS",
        "KINDS",
        "MODALITIES",
        "NON_CONTENT_ROLES",
        "OBTAINED",
        "OPT_OUTS",
        "PERSONAL_DATA",
        "RESTRICTIONS",
        "RUN_STATUSES",
        "SUPPLIERS",
        "TIERS",
        "USER_DATA_FROM",
    ),
}
_ORIGIN = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name == "EXPORT_FORMATS":
        value: Any = tuple(__getattr__("EXPORTERS"))
    elif name in _ORIGIN:
        value = getattr(importlib.import_module(_ORIGIN[name]), name)
    else:
        raise AttributeError(f"module 'lineage' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
