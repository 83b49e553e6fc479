"""Whether two licences can be combined, from the OSADL licence compatibility matrix.

The matrix is maintained by the Open Source Automation Development Lab
(https://www.osadl.org/Access-to-raw-data.oss-compliance-raw-data-access.0.html,
data under CC BY 4.0). A copy of the matrix (its timestamp says when OSADL
published it) ships with lineage as `data/osadl-matrix.json.gz`, with the
attribution and how to refresh it in `data/NOTICE.md`.

For a leading licence L (the licence of the combined work) and a licence C of a
part, the matrix says whether C's material may be used in a work under L:
"Yes", "Same", "No", "Check dependency" or "Unknown", with an explanation.
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

MATRIX = Path(__file__).with_name("data") / "osadl-matrix.json.gz"

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
    """The OSADL matrix that ships with lineage."""
    with gzip.open(MATRIX, "rt", encoding="utf-8") as handle:
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


STEWARDS = Path(__file__).with_name("data") / "steward-compatibility.json"


@dataclass(frozen=True)
class StewardStatement:
    """A licence steward's published word that `part` material may be adapted under
    `leading` (one-way), with the page that says so."""

    part: str
    leading: str
    statement: str
    source: str


@functools.cache
def _steward_statements() -> dict[tuple[str, str], StewardStatement]:
    data: dict[str, Any] = json.loads(STEWARDS.read_text(encoding="utf-8"))
    return {
        (entry["part"], entry["leading"]): StewardStatement(
            entry["part"], entry["leading"], entry["statement"], entry["source"]
        )
        for entry in data["entries"]
    }


def steward_allows(part: str, leading: str) -> StewardStatement | None:
    """The steward's statement that `part` material may be adapted under `leading`, if any.

    Example:
        >>> steward_allows("CC-BY-SA-3.0", "CC-BY-SA-4.0").source
        'https://creativecommons.org/licenses/by-sa/3.0/legalcode'
        >>> steward_allows("CC-BY-SA-4.0", "CC-BY-SA-3.0") is None
        True
    """
    return _steward_statements().get((part, leading))
