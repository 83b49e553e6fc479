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

from lineage.api import Record, RunRecorder, StoreInfo, Store, Summary, Version, open_store
from lineage.digests import Digest, DigestCache, digest_path, digest_paths
from lineage.errors import (
    AmbiguousName,
    Conflict,
    CycleError,
    InvalidLicence,
    InvalidRecord,
    LedgerTampered,
    LineageError,
    ManifestError,
    PathError,
    StoreError,
    UnknownNode,
)
from lineage.graph.closure import NodeRef
from lineage.licences import Licence, parse_licence
from lineage.store.ledger import Problem, VerifyReport
from lineage.store.write import WriteResult
from lineage.validation import parse_time

__version__ = "0.1.0"

__all__ = [
    "AmbiguousName",
    "Conflict",
    "CycleError",
    "Digest",
    "DigestCache",
    "InvalidLicence",
    "InvalidRecord",
    "LedgerTampered",
    "Licence",
    "LineageError",
    "ManifestError",
    "NodeRef",
    "PathError",
    "Problem",
    "Record",
    "RunRecorder",
    "Store",
    "StoreError",
    "StoreInfo",
    "Summary",
    "Version",
    "VerifyReport",
    "WriteResult",
    "__version__",
    "digest_path",
    "digest_paths",
    "open_store",
    "parse_licence",
    "parse_time",
]
