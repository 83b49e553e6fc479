"""Export formats: each name maps to a function that writes the lineage (upstream of a
target, or everything) as text.

Add a format by adding an entry to `EXPORTS`; `lineage export --format` offers every key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lineage.openlineage.export import export_openlineage

if TYPE_CHECKING:  # the API sits above the exports; only its type is needed here
    from lineage.api import Store

Exporter = Callable[["Store", "str | None"], str]

EXPORTS: dict[str, Exporter] = {
    "openlineage": export_openlineage,  # newline-delimited OpenLineage 2-0-2 events
}


def export(store: Store, format: str, target: str | None = None) -> str:
    """The lineage upstream of `target` (everything when None) in `format` (a key of EXPORTS).

    Raises UnknownNode when `target` is not recorded.

    Example:
        text = lineage.export(store, "openlineage", "support-assistant-v1")
    """
    return EXPORTS[format](store, target)
