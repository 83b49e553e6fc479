"""The words on each box and in the caption, shared by the DOT and Mermaid writers.

A box says what it is (a short type label), its name, and the few facts an
auditor looks for first: licence and restrictions, personal data, size, the tool
and date of a run, the decision of a sign-off, and the findings on it. Everything
else is in the SVG tooltip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any, Literal

from lineage.diagrams.drawing import Box, Drawing
from lineage.diagrams.style import relation_label, style_of

Role = Literal["type", "name", "fact", "error", "warning"]

_DIGITS = re.compile(r"(\d+)")
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0000000000")
WRAP = 32  # characters per fact line before it is split
OBTAINED_WORDS = {"user": "user data"}
PLURALS = {"activity": "activities", "more": "more"}
# Facts listed in the tooltip, in this order; the rest follow alphabetically.
TOOLTIP_FIRST = (
    "license",
    "restrictions",
    "owner",
    "obtained",
    "personal_data",
    "legal_basis",
    "intended_use",
    "operation",
    "tool",
    "tool_version",
    "started",
    "ended",
    "records",
    "size_bytes",
    "digest",
)
TOOLTIP_SKIP = frozenset({"description", "attrs", "params", "by"})


@dataclass(frozen=True)
class Line:
    """One line of a box's label, and what kind of text it is (for its font)."""

    text: str
    role: Role


def plural(word: str, count: int) -> str:
    """`word` for `count` things ("1 source", "3 activities")."""
    if count == 1:
        return word
    return PLURALS.get(word, word + "s")


def size_text(size: int) -> str:
    """A byte count as people read it: 950 B, 34.8 kB, 12.3 GB (SI units)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if value < 1000 or unit == "PB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def _amount(box: Box) -> str | None:
    parts = []
    if box.records is not None:
        parts.append(f"{box.records:,} {plural('record', box.records)}")
    if box.size_bytes is not None:
        parts.append(size_text(box.size_bytes))
    if not parts:
        return None
    return " · ".join(parts) + (" in all" if box.is_group else "")


def _licence(box: Box) -> str | None:
    if box.kind not in ("source", "dataset", "model"):
        return None
    if not box.licences:
        # A missing licence is a gap to show, but datasets usually inherit theirs.
        return None if box.kind == "dataset" else "no licence recorded"
    shown = ", ".join(box.licences[:2])
    if len(box.licences) > 2:
        shown = f"{len(box.licences)} licences: {shown}, …"
    if box.unlicensed and box.is_group:
        shown += f" ({box.unlicensed:,} without)"
    restrictions = box.facts.get("restrictions")
    if restrictions:
        shown += " · " + ", ".join(str(r) for r in restrictions)
    return shown


def _type_line(box: Box) -> str:
    facts = box.facts
    word = style_of(box.kind).type_label
    if box.is_group:
        word = f"{len(box.members):,} {plural(word, len(box.members))}"
    detail = {
        "source": OBTAINED_WORDS.get(str(facts.get("obtained")), facts.get("obtained")),
        "activity": facts.get("operation"),
        "agent": " ".join(
            str(v) for v in (facts.get("agent_type"), facts.get("software_version")) if v
        ),
        "attestation": facts.get("decision"),
        "evaluation": facts.get("category"),
    }.get(box.kind)
    return f"{word} · {detail}" if detail else word


def _natural(name: str) -> list[tuple[int, str]]:
    """A sort key that puts shard-2 before shard-10."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in _DIGITS.split(name)]


def _name_line(box: Box) -> str:
    if not box.is_group:
        return box.name
    names = list(map(itemgetter(-1), map(methodcaller("split", ":", 1), box.members)))
    first, last = _first_and_last(names)
    return f"{names[first]} … {names[last]}"


def _first_and_last(names: list[str]) -> tuple[int, int]:
    """Where the first and last of `names` in natural order are (the first and last of
    equals, as a stable sort gives them), without a natural key for each of 10,000 names.

    Names of one shape (the same letters, and runs of digits of the same lengths:
    shard-17-a and shard-42-b, not shard-170-a) are in natural order as strings are:
    only the first and last of each shape need their natural keys compared.
    """
    lowest: dict[bytes, int] = {}
    highest: dict[bytes, int] = {}
    encoded = map(methodcaller("encode", "utf-8", "surrogatepass"), names)
    shapes = map(bytes.translate, encoded, repeat(_DIGITS_AS_ZERO))  # each digit 0-9 made 0
    for at, (shape, name) in enumerate(zip(shapes, names, strict=True)):
        low = lowest.get(shape)
        if low is None:
            lowest[shape] = highest[shape] = at
        elif name < names[low]:
            lowest[shape] = at
        elif name >= names[highest[shape]]:
            highest[shape] = at
    first = min(lowest.values(), key=lambda at: (_natural(names[at]), at))
    last = max(highest.values(), key=lambda at: (_natural(names[at]), at))
    return first, last


def _fact_lines(box: Box) -> list[str]:
    facts = box.facts
    lines: list[str] = []
    licence = _licence(box)
    if licence:
        lines.append(licence)
    attrs = facts.get("attrs")
    written = attrs.get("dataset_version") if isinstance(attrs, dict) else None
    if box.kind == "dataset" and isinstance(written, dict):
        # A dataset version (lineage.store.versions): which, and when it was written.
        lines.append(f"version {written.get('number')} · written {written.get('time')}")
    if box.kind in ("source", "dataset") and facts.get("personal_data") in ("yes", "unknown"):
        lines.append(f"personal data: {facts['personal_data']}")
    if box.kind == "model" and facts.get("intended_use"):
        lines.append(f"intended use: {facts['intended_use']}")
    if box.kind == "activity":
        tool = facts.get("tool")
        version = facts.get("tool_version")
        when = str(facts.get("started", ""))[:10]
        run = " ".join(str(v) for v in (tool, version) if v)
        lines.append(" · ".join(p for p in (run, when) if p))
        if facts.get("status") in ("failed", "running"):
            lines.append(f"status: {facts['status']}")
    if box.kind == "evaluation" and facts.get("metric"):
        value = facts.get("metric_value")
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        lines.append(f"{facts['metric']} [{facts.get('slice', 'all')}] = {shown}")
        if facts.get("outcome"):
            lines.append(f"{facts['outcome']} ({facts.get('threshold')})")
    if box.kind == "attestation":
        scope = " · ".join(
            str(v)
            for v in (
                facts.get("tier"),
                f"until {facts['expires']}" if facts.get("expires") else None,
            )
            if v
        )
        lines.append(scope)
    if facts.get("by"):
        lines.append("by " + ", ".join(sorted(str(b) for b in facts["by"])))
    amount = _amount(box) if box.kind in ("source", "dataset", "model") else None
    if amount:
        lines.append(amount)
    return [part for line in lines if line for part in _wrap(line)]


def _wrap(line: str, width: int = WRAP) -> list[str]:
    """A long line split at its " · " separators, so that boxes stay narrow."""
    if len(line) <= width or " · " not in line:
        return [line]
    parts = line.split(" · ")
    out = [parts[0]]
    for part in parts[1:]:
        if len(out[-1]) + 3 + len(part) <= width:
            out[-1] += " · " + part
        else:
            out.append(part)
    return out


def _finding_line(box: Box, severity: Literal["error", "warning"]) -> Line | None:
    found = box.count(severity)
    if not found:
        return None
    rules = box.rules(severity)
    shown = ", ".join(rules[:2]) + (f" +{len(rules) - 2}" if len(rules) > 2 else "")
    mark = "✖" if severity == "error" else "▲"
    return Line(f"{mark} {found} {plural(severity, found)}: {shown}", severity)


def box_lines(box: Box) -> list[Line]:
    """The label of `box`, line by line, from type to findings."""
    if box.is_more:
        return [Line(f"+{box.more:,} more", "name"), Line("not drawn", "type")]
    lines = [Line(_type_line(box), "type"), Line(_name_line(box), "name")]
    lines += [Line(text, "fact") for text in _fact_lines(box)]
    severities: tuple[Literal["error", "warning"], ...] = ("error", "warning")
    for severity in severities:
        line = _finding_line(box, severity)
        if line:
            lines.append(line)
    return lines


def _fact_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def tooltip(box: Box, limit: int = 12) -> str:
    """The hover text of `box`: its id, its facts, its findings (groups: their members)."""
    if box.is_more:
        return (
            f"{box.more:,} related records are not drawn; raise --max-nodes or "
            "--focus on one of them"
        )
    lines = [box.id if not box.is_group else f"{len(box.members):,} records:"]
    if box.is_group:
        lines += [f"  {m}" for m in box.members[:limit]]
        if len(box.members) > limit:
            lines.append(f"  … and {len(box.members) - limit:,} more")
    keys = [k for k in TOOLTIP_FIRST if k in box.facts]
    keys += sorted(k for k in box.facts if k not in keys and k not in TOOLTIP_SKIP)
    lines += [f"{k}: {_fact_text(box.facts[k])}" for k in keys]
    lines += [f"{f.severity} {f.rule}: {f.message}" for f in box.findings[:limit]]
    if len(box.findings) > limit:
        lines.append(f"… and {len(box.findings) - limit} more findings")
    return "\n".join(lines)


def link_label(relation: str, count: int) -> str:
    """An edge's label: the PROV relation, and how many relations a grouped edge stands for."""
    label = relation_label(relation)
    return f"{label} \u00d7{count:,}" if count > 1 and label else label


def caption(drawing: Drawing) -> list[str]:
    """The diagram's title and what it folded, marked or left out, one line each."""
    where = {
        "upstream": "Upstream lineage of",
        "downstream": "Downstream lineage of",
        "both": "Lineage around",
    }[drawing.direction]
    title = f"{where} {drawing.root}"
    if drawing.as_of:
        title += f", as recorded at {drawing.as_of}"
    lines = [title]
    counts = f"{drawing.records:,} {plural('record', drawing.records)}"
    if drawing.level != "none":
        counts += f"; {drawing.grouped:,} drawn in groups of similar records ({drawing.level})"
    if drawing.left_out:
        counts += f"; {drawing.left_out:,} not drawn (--max-nodes {drawing.max_nodes})"
    if not drawing.agents:
        counts += "; agents not drawn"
    lines.append(counts)
    marks = [f"{n:,} {plural(s, n)}" for s in ("error", "warning") if (n := drawing.marked(s))]
    if marks:
        lines.append("findings of lineage check: " + ", ".join(marks))
    if drawing.highlight:
        n = drawing.highlighted_findings
        lines.append(
            f"highlighted: {drawing.highlight} ({n} {plural('finding', n)})"
            if n
            else f"highlighted: {drawing.highlight} (no findings of this rule)"
        )
    return lines
