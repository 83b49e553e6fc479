"""Turning a trail's facts into claims, and keeping track of the gaps and records cited."""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lineage.checks.trail import Trail
from lineage.openlineage.jobs import job_of
from lineage.reports.model import Claim, ClaimStatus, Gap, RecordRef, new_claim

EMPTY: tuple[object, ...] = (None, "", [], (), {})


def plain(value: Any) -> str:
    """A fact as one line of text: lists joined by commas, mappings as sorted JSON."""
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def run_text(facts: Mapping[str, Any], run: str, unknown: str = "?") -> str:
    """'clean_orders (activity:0193..., job airflow/clean_orders)': a run's operation
    (`unknown` when none is recorded), its id and, for an OpenLineage run, its job,
    which names it better than its UUID."""
    job = job_of(facts.get("attrs"))
    return f"{facts.get('operation') or unknown} ({run}{f', job {job}' if job else ''})"


def size_text(facts: Mapping[str, Any]) -> str | None:
    """'176 records; 46,536 tokens; 1.2 MB (1,234,567 bytes)', or None when nothing is known."""
    parts = []
    if facts.get("records") is not None:
        parts.append(f"{facts['records']:,} records")
    if facts.get("tokens") is not None:
        parts.append(f"{facts['tokens']:,} tokens")
    if facts.get("size_bytes") is not None:
        parts.append(f"{human_bytes(int(facts['size_bytes']))} ({facts['size_bytes']:,} bytes)")
    return "; ".join(parts) or None


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{count} bytes"


def period_text(facts: Mapping[str, Any]) -> str | None:
    """'2025-05-01 to 2025-05-31', 'from 2025-03-01, ongoing', 'until 2023-03-31
    (start not recorded)', or None."""
    start, end = facts.get("collected_start"), facts.get("collected_end")
    if not start:
        return f"until {end} (start not recorded)" if end else None
    return f"{start} to {end}" if end else f"from {start}, ongoing"


@dataclass(frozen=True)
class TemplateOptions:
    """What a person asked of a template beyond the trail itself.

    `exact_sizes`: the EU summary gives exact sizes beside the template's ranges
    (the template asks for ranges; a provider may opt in). `domain_sizes`: a CSV
    of per-domain sizes (domain, bytes, records) for the EU summary's 2.3.h,
    instead of those recorded on or computed from the crawled sources.
    """

    exact_sizes: bool = False
    domain_sizes: str | None = None


class Draft:
    """Collects what a report cites and what it could not answer, while sections are built.

    Builders set `section` to the id of the section they are filling, so each gap
    says where it was met, and start each table row with `title(record)`: claims
    about that record then need not name it (see `Claim`), which keeps reports of
    100,000 records small. Outside a row, claims are about the target.
    """

    def __init__(self, trail: Trail, options: TemplateOptions | None = None) -> None:
        self.trail = trail
        self.options = options or TemplateOptions()
        self._gaps: dict[tuple[str, str], tuple[str, str]] = {}
        self.cited: set[str] = {trail.target}
        self._section = ""
        self._row = trail.target
        # Claims without refs, one object per text, by status: most claims of a large
        # report are the same few words about the row's record (see `_claim`).
        self._shared: dict[str, dict[str | None, Claim]] = {
            status: {} for status in ("recorded", "derived", "gap", "manual")
        }
        self._recorded = self._shared["recorded"]
        self._derived = self._shared["derived"]
        self._unanswered = self._claim(None, (), "gap")
        self._not_recorded = self._claim("not recorded", (), "derived")
        self._facts = trail.facts_lookup()

    @property
    def section(self) -> str:
        return self._section

    @section.setter
    def section(self, value: str) -> None:
        self._section = value
        self._row = self.trail.target

    def _refs(self, refs: Iterable[str]) -> tuple[str, ...]:
        row = self._row
        if type(refs) is not list and type(refs) is not tuple:
            refs = tuple(refs)
        if not refs:
            return ()
        if len(refs) == 1:  # most claims
            ref = refs[0]
            if ref == row:
                return ()
            self.cited.add(ref)
            return (ref,)
        # A run's inputs may be thousands: filter them only when the row is among them.
        kept = tuple(r for r in refs if r != row) if row in refs else tuple(refs)
        if kept:
            self.cited.update(kept)
        return kept

    def _claim(self, text: str | None, refs: tuple[str, ...], status: ClaimStatus) -> Claim:
        if refs:
            return new_claim((text, refs, status))
        # Most claims of a large report are the same few words about the row's record.
        shared = self._shared[status]
        found = shared.get(text)
        if found is None:
            found = shared[text] = new_claim((text, (), status))
        return found

    def leave_row(self) -> None:
        """End the table row: the claims that follow are about the target again.

        A section's fields built after its table call this first: a field citing the
        record of the table's last row must not take it as the row's (and drop it).
        """
        self._row = self.trail.target

    # -- claims -----------------------------------------------------------------------
    def title(self, node: str) -> Claim:
        """The identifying cell of a table row about `node`; the row's claims are about it."""
        self.cited.add(node)
        self._row = node
        return new_claim((node, (node,), "recorded"))

    def fact(
        self,
        node: str,
        key: str,
        question: str,
        *,
        text: str | None = None,
        gap: bool = True,
    ) -> Claim:
        """The fact `key` of `node`: its text (or `text`), else a gap asking `question`.

        With `gap` false a missing fact is not one the report needs: it reads
        'not recorded' and is not listed among the gaps.
        """
        value = self._facts(node).get(key)
        if node == self._row:  # a fact of the row's record: a claim shared by every row
            # Every value in EMPTY is false: most values are true and skip the comparisons.
            if value is None or (not value and value in EMPTY):
                if not gap:
                    return self._not_recorded
                self._gaps.setdefault((node, key), (question, self._section))
                return self._unanswered
            if text is None:
                text = value if type(value) is str else plain(value)
            found = self._recorded.get(text)
            return found if found is not None else self._claim(text, (), "recorded")
        self.cited.add(node)
        if value is None or (not value and value in EMPTY):
            if not gap:
                return new_claim(("not recorded", (node,), "derived"))
            self._gaps.setdefault((node, key), (question, self._section))
            return new_claim((None, (node,), "gap"))
        if text is None:
            text = value if type(value) is str else plain(value)
        return new_claim((text, (node,), "recorded"))

    def recorded(
        self, text: str | None, refs: Iterable[str], *, gap: tuple[str, str, str] | None = None
    ) -> Claim:
        """A claim made of recorded facts of `refs`; when `text` is None, a gap."""
        if text is None:
            if gap is not None:
                self._gaps.setdefault((gap[0], gap[1]), (gap[2], self._section))
            if type(refs) is list and len(refs) == 1 and refs[0] == self._row:  # most claims
                return self._unanswered
            return self._claim(None, self._refs(refs), "gap")
        if type(refs) is list and len(refs) == 1:  # most claims
            ref = refs[0]
            if ref == self._row:
                found = self._recorded.get(text)
                return found if found is not None else self._claim(text, (), "recorded")
            self.cited.add(ref)
            return new_claim((text, (ref,), "recorded"))
        return self._claim(text, self._refs(refs), "recorded")

    def partial(self, text: str | None, refs: Iterable[str]) -> Claim:
        """What is known of an answer that is still incomplete: a gap that says what it can.

        The missing facts are listed among the gaps by the caller.
        """
        return self._claim(text, self._refs(refs), "gap")

    def derived(self, text: str, refs: Iterable[str] = ()) -> Claim:
        """A claim lineage computed from recorded facts (a count, a ranking, a status)."""
        if type(refs) is list and len(refs) == 1:  # most claims
            ref = refs[0]
            if ref == self._row:
                found = self._derived.get(text)
                return found if found is not None else self._claim(text, (), "derived")
            self.cited.add(ref)
            return new_claim((text, (ref,), "derived"))
        return self._claim(text, self._refs(refs), "derived")

    def unknown(self, subject: str, key: str, question: str, refs: Iterable[str] = ()) -> Claim:
        """A fact the store does not hold: recorded as a gap."""
        self._gaps.setdefault((subject, key), (question, self._section))
        if type(refs) is list and len(refs) == 1 and refs[0] == self._row:  # most claims
            return self._unanswered
        return self._claim(None, self._refs(refs), "gap")

    def manual(self) -> Claim:
        """A question outside what a lineage store records, for a person to answer."""
        return self._claim(None, (), "manual")

    def gap(self, subject: str, key: str, question: str) -> None:
        self._gaps.setdefault((subject, key), (question, self._section))

    @property
    def gaps(self) -> list[Gap]:
        """Every gap met so far, in the order met (each fact of each record once)."""
        # (subject, key) + (question, section) is a gap's fields, in order: made in C.
        return list(map(_new_gap, map(operator.add, self._gaps.keys(), self._gaps.values())))

    @property
    def gap_count(self) -> int:
        return len(self._gaps)

    # -- what the report cites ---------------------------------------------------------
    def record_refs(self) -> tuple[RecordRef, ...]:
        """Every cited record with its version, seal, digest and whether the digest verifies."""
        trail = self.trail
        # The records the trail holds (`Trail.has`), sorted. Those of its graph are taken
        # in the graph's order, the order the store read them in: often close to sorted,
        # which sorting takes advantage of, and the order their facts lie in memory.
        cited, whole = self.cited, trail.whole
        nodes = [node for node in whole if node in cited]
        nodes += [node for node in cited.intersection(trail.records) if node not in whole]
        nodes.sort()
        # A large report cites 100,000 records: each field is read for all of them at
        # once, with `map` and `operator`'s getters, whose loops run in C.
        facts = list(map(self._facts, nodes))
        digests = list(map(operator.methodcaller("get", "digest"), facts))
        checks = trail.digests
        statuses = [
            (check.status if (check := checks.get(node)) else None) if digest else None
            for node, digest in zip(nodes, digests, strict=True)
        ]
        return tuple(
            map(
                _new_record_ref,
                zip(
                    nodes,
                    map(str, map(operator.itemgetter("kind"), facts)),
                    map(str, map(operator.itemgetter("name"), facts)),
                    map(int, map(operator.itemgetter("version"), facts)),
                    map(str, map(operator.itemgetter("seal"), facts)),
                    digests,
                    statuses,
                    strict=True,
                ),
            )
        )


_new_gap: Callable[[tuple[str, ...]], Gap] = functools.partial(tuple.__new__, Gap)
_new_record_ref: Callable[[tuple[Any, ...]], RecordRef] = functools.partial(
    tuple.__new__, RecordRef
)
"""A gap, a record cited, made in C from its fields in order (see `new_claim`)."""


def joined_ids(ids: Sequence[str]) -> str:
    return ", ".join(ids)
