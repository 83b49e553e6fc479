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

from lineage.api import Export, Record, RunRecorder, Store, StoreInfo, Summary, Version, open_store
from lineage.checks import (
    RULES,
    CheckResult,
    Finding,
    Policy,
    PolicyError,
    check,
    load_policy,
)
from lineage.diagrams import Diagram, GraphvizNotFound, diagram
from lineage.digests import Digest, DigestCache, digest_path, digest_paths
from lineage.errors import (
    AmbiguousName,
    Conflict,
    CycleError,
    InvalidLicence,
    InvalidRecord,
    LineageError,
    ManifestError,
    PathError,
    StoreError,
    UnknownNode,
)
from lineage.exports import EXPORTERS
from lineage.graph.closure import NodeRef
from lineage.licences import Licence, parse_licence
from lineage.reports import FORMATS, TEMPLATES, Report, build_report, render_report
from lineage.store.ledger import Problem, VerifyReport
from lineage.store.pending import WriteResult
from lineage.validation import parse_time
from lineage.vocabulary import (
    AGENT_TYPES,
    DECISIONS,
    INTENDED_USES,
    MODALITIES,
    OBTAINED,
    OPT_OUTS,
    PERSONAL_DATA,
    RESTRICTIONS,
    RUN_STATUSES,
    TIERS,
)

__version__ = "0.1.0"

# The formats of `Store.export` and `lineage export --format`.
EXPORT_FORMATS: tuple[str, ...] = tuple(EXPORTERS)

__all__ = [
    "AGENT_TYPES",
    "DECISIONS",
    "EXPORT_FORMATS",
    "FORMATS",
    "INTENDED_USES",
    "MODALITIES",
    "OBTAINED",
    "OPT_OUTS",
    "PERSONAL_DATA",
    "RESTRICTIONS",
    "RULES",
    "RUN_STATUSES",
    "TEMPLATES",
    "TIERS",
    "AmbiguousName",
    "CheckResult",
    "Conflict",
    "CycleError",
    "Diagram",
    "Digest",
    "DigestCache",
    "Export",
    "Finding",
    "GraphvizNotFound",
    "InvalidLicence",
    "InvalidRecord",
    "Licence",
    "LineageError",
    "ManifestError",
    "NodeRef",
    "PathError",
    "Policy",
    "PolicyError",
    "Problem",
    "Record",
    "Report",
    "RunRecorder",
    "Store",
    "StoreError",
    "StoreInfo",
    "Summary",
    "UnknownNode",
    "VerifyReport",
    "Version",
    "WriteResult",
    "__version__",
    "build_report",
    "check",
    "diagram",
    "digest_path",
    "digest_paths",
    "load_policy",
    "open_store",
    "parse_licence",
    "parse_time",
    "render_report",
]
