"""Decisions every renderer shares: which tables are too wide for a grid, which refs to show."""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from lineage.checks.findings import Finding
from lineage.reports.model import Claim, Gap, RecordRef, Report, Table

WIDE_TABLE = 6
"""Tables with more columns than this are laid out as one block per row..."""
LONG_TABLE = 2000
"""...unless they have more rows than this: a grid is then both faster to write and
easier to search than tens of thousands of blocks."""
MAX_REFS = 5
"""A claim shows at most this many of its records inline; JSON and 'Records cited' have all."""
UNKNOWN = "unknown"
MANUAL = "to be completed by a person"


FOLD_ROWS = 50
"""A table with more rows than this lays out each large family of similar records
(see `Report.families`) as one row: Markdown and HTML are read by a person, and the
JSON report keeps every record's own row."""
FOLD_MIN = 5
"""...a family of at least this many rows that agree."""
SPLIT_VALUES = 3
"""A column with at most this many values in a family splits it, so that each folded
row states one value; a column with more (digests, names, sizes) is summarised."""
ALWAYS_SPLIT = frozenset(
    {
        "license",
        "personal_data",
        "restrictions",
        "legal_basis",
        "obtained",
        "copyright",
        # AB 2013 (a)(5) copyright, (a)(6) purchased or licensed, (a)(7) personal information
        "item_e",
        "item_f",
        "item_g",
    }
)
"""Columns a folded row never summarises: its records must agree on their licence,
copyright and personal data facts, however many values the family holds."""
SHOWN_IDS = 20
"""Records named in a list of a gap's or a rule's subjects; the JSON report has all."""
RECORDS_SHOWN = 500
"""Records listed under 'Records cited' when a report cites more (see `shown_records`)."""
MAX_TEXT = 2000
"""Characters of one claim printed in Markdown and HTML; the JSON report has it whole."""
JSON_POINTER = "the JSON report (lineage report --format json) lists every record"


def is_wide(table: Table, rows: int | None = None) -> bool:
    """True for a table laid out as one block per row rather than as a grid.

    `rows` is the number of rows laid out, when families were folded.
    """
    count = len(table.rows) if rows is None else rows
    return len(table.columns) > WIDE_TABLE and count <= LONG_TABLE


@dataclass(frozen=True)
class LaidOut:
    """The rows of a table as a person reads them: some stand for a family of records."""

    rows: tuple[tuple[Claim, ...], ...]
    members: tuple[tuple[str, ...], ...] = ()
    """For each row, the records it stands for when it stands for a family, else ()."""

    @property
    def folded(self) -> int:
        """How many of the rows stand for a family."""
        return sum(1 for m in self.members if m)

    @property
    def records(self) -> int:
        """How many records those rows stand for."""
        return sum(len(m) for m in self.members)


def laid_out(table: Table, families: Mapping[str, int]) -> LaidOut:
    """`table`'s rows, each large family of similar records that agree folded into one.

    A family (records in the same place in the lineage, `Report.families`) is first
    split by every column in which it has at most `SPLIT_VALUES` values, and by the
    licence and personal data columns: the records of a folded row agree on those.
    Its other columns hold many values (names, digests, sizes); the folded row says
    how many, and how many are unknown. Tables of up to `FOLD_ROWS` rows, and
    families of fewer than `FOLD_MIN` rows, are laid out as they are.
    """
    rows = table.rows
    if len(rows) <= FOLD_ROWS or not families:
        return LaidOut(rows, ((),) * len(rows))
    title = table.title_column
    titles = list(map(operator.itemgetter(title), rows))
    by_family: dict[int, list[int]] = {}
    # A row is looked up by its title's text, then kept only if titled by its record
    # (see `Draft.title`): a row titled by a licence or a modality is about many records
    # and is never folded into their family.
    texts = list(map(_text, titles))
    # (text,) for each title: `zip` of one sequence makes those tuples in C.
    titled = map(operator.eq, map(_refs, titles), zip(texts))
    numbers = map(families.get, texts)
    for index, number, own in zip(itertools.count(), numbers, titled):
        if number is not None and own:
            found = by_family.get(number)
            if found is None:
                by_family[number] = [index]
            else:
                found.append(index)
    folded: dict[int, tuple[Claim, ...]] = {}
    members: dict[int, tuple[str, ...]] = {}
    left_out: set[int] = set()
    for indexes in by_family.values():
        if len(indexes) < FOLD_MIN:
            continue
        family = _Family(table, indexes)
        for part in family.split():
            if len(part) < FOLD_MIN:
                continue
            first = indexes[part[0]]
            folded[first] = family.fold(part)
            members[first] = tuple(family.names(part))
            left_out.update(map(indexes.__getitem__, part[1:]))
    if not folded:
        return LaidOut(rows, ((),) * len(rows))
    kept = list(itertools.filterfalse(left_out.__contains__, range(len(rows))))
    return LaidOut(
        tuple(folded.get(index, rows[index]) for index in kept),
        tuple(members.get(index, ()) for index in kept),
    )


_value: Callable[[Claim], tuple[str | None, str]] = operator.attrgetter("text", "status")
"""A claim's (text, status): what tells cells apart when rows are folded."""
_refs = operator.attrgetter("refs")
_text = operator.attrgetter("text")
_first = operator.itemgetter(0)
_id = operator.attrgetter("id")

# A family's cells are compared column by column, a million of them in a large report:
# with `zip`, `map` and `operator`'s getters the loops run in C.


class _Family:
    """The rows of one family, column by column."""

    def __init__(self, table: Table, indexes: list[int]) -> None:
        self.title = table.title_column
        self.keys = table.keys
        self.size = len(indexes)
        self.claims: list[tuple[Claim, ...]] = list(
            zip(*map(table.rows.__getitem__, indexes), strict=True)
        )
        self.counts: list[dict[tuple[str | None, str], int]] = []
        self.shared: set[int] = set()
        """The columns whose cells are all one claim, shared by every row (see `Draft`)."""
        for column, claims in enumerate(self.claims):
            if column == self.title:
                self.counts.append({})
                continue
            ids = list(map(id, claims))
            by_object = Counter(ids)
            if len(by_object) == 1:
                self.shared.add(column)
            self.counts.append(_counts(claims, ids, by_object))

    def split(self) -> list[list[int]]:
        """The family's rows (positions in it) split by the columns with few values."""
        splitting = [
            self.claims[column]
            for column, counts in enumerate(self.counts)
            if column != self.title
            and len(counts) > 1  # a column of one value splits nothing
            and (self.keys[column] in ALWAYS_SPLIT or len(counts) <= SPLIT_VALUES)
        ]
        if not splitting:  # most families agree on every such column
            return [list(range(self.size))]
        parts: dict[tuple[tuple[str | None, str], ...], list[int]] = {}
        keys = zip(*(map(_value, claims) for claims in splitting), strict=True)
        for position, key in enumerate(keys):
            found = parts.get(key)
            if found is None:
                parts[key] = [position]
            else:
                found.append(position)
        return list(parts.values())

    def names(self, part: list[int]) -> list[str]:
        """The records of the rows at `part`."""
        titles = self.claims[self.title]
        return list(map(_first, map(_refs, map(titles.__getitem__, part))))

    def fold(self, part: list[int]) -> tuple[Claim, ...]:
        """One row standing for the rows at `part`: the cells they agree on, and a
        summary of the rest."""
        whole = len(part) == self.size
        cells: list[Claim] = []
        for column, (claims, counts) in enumerate(zip(self.claims, self.counts, strict=True)):
            if column == self.title:
                names = self.names([part[0], part[-1]])
                cells.append(
                    Claim(f"{len(part):,} records alike: {names[0]} … {names[-1]}", (), "derived")
                )
                continue
            shared = column in self.shared
            if not whole and not shared:
                claims = tuple(map(claims.__getitem__, part))
                counts = _counts(claims)
            cells.append(_summary(claims, counts, shared))
        return tuple(cells)


def _counts(
    claims: Sequence[Claim], ids: list[int] | None = None, by_object: Counter[int] | None = None
) -> dict[tuple[str | None, str], int]:
    """How many of `claims` hold each value (text and status), in the order first met.

    `ids` and `by_object`, when given, are each claim's `id` and how many times each
    object occurs (as worked out here), made by the caller for its own use too.
    """
    # Most cells of a column are a few shared claims (see `Draft`): count the objects,
    # then their values, unless most claims are their own.
    if ids is None or by_object is None:
        ids = list(map(id, claims))
        by_object = Counter(ids)
    if len(by_object) > len(claims) // 2:
        return Counter(map(_value, claims))
    objects = dict(zip(ids, claims, strict=True))
    counts: dict[tuple[str | None, str], int] = {}
    for key, n in by_object.items():
        value = _value(objects[key])
        counts[value] = counts.get(value, 0) + n
    return counts


def _summary(
    claims: Sequence[Claim], counts: Mapping[tuple[str | None, str], int], shared: bool = False
) -> Claim:
    """The cell of a folded row: the claim its rows agree on, or how many values they hold.

    `shared`: the claims are known to be one object (`_Family.shared`)."""
    first = claims[0]
    if len(counts) == 1:
        # A claim shared by the rows needs no comparing (and most are).
        same_refs = shared or len(set(map(id, claims))) == 1 or len(set(map(_refs, claims))) == 1
        return Claim(first.text, first.refs if same_refs else (), first.status)
    unknown = sum(n for (text, _), n in counts.items() if text is None)
    known = [(text, n) for (text, _), n in counts.items() if text is not None]
    if len(counts) <= SPLIT_VALUES:
        parts = [f"{text} ({n:,})" for text, n in known]
        if unknown:
            parts.append(f"unknown ({unknown:,})")
        return Claim("; ".join(parts), (), "derived")
    text = f"{len(known):,} different values, such as {known[0][0]}"
    if unknown:
        text += f"; unknown for {unknown:,}"
    return Claim(text, (), "derived")


def fold_note(laid: LaidOut) -> str:
    """What the folded rows of a table stand for, and where each record's own row is."""
    return (
        f"Each entry titled 'records alike' ({laid.folded:,} here, for {laid.records:,} "
        "records) stands for records in the same place in the lineage that agree on every "
        "column, except where a column says how many values they hold; "
        f"{JSON_POINTER} with its own row."
    )


def some(ids: Sequence[str]) -> tuple[Sequence[str], int]:
    """The first `SHOWN_IDS` of `ids`, and how many more there are."""
    return ids[:SHOWN_IDS], max(0, len(ids) - SHOWN_IDS)


def shown_records(report: Report) -> tuple[tuple[RecordRef, ...], int]:
    """The records cited to list in Markdown and HTML, and how many are left to the JSON.

    All of them, up to `RECORDS_SHOWN`; beyond, those not in a family of `FOLD_MIN`
    or more (the target, models, the records a pipeline meets once), in order.
    """
    records = report.records
    if len(records) <= RECORDS_SHOWN:
        return records, 0
    sizes = Counter(report.families.values())
    # A large report cites 100,000 records: each one's family size is looked up in C,
    # and the records are read only until `RECORDS_SHOWN` are found.
    ids = list(map(_id, records))
    small = map(
        FOLD_MIN.__gt__,
        map(sizes.get, map(report.families.get, ids, itertools.repeat(-1)), itertools.repeat(0)),
    )
    target = map(operator.eq, ids, itertools.repeat(report.target))
    alone = tuple(
        itertools.islice(
            itertools.compress(records, map(operator.or_, target, small)), RECORDS_SHOWN
        )
    )
    return alone, len(records) - len(alone)


def cut(text: str) -> str:
    """`text`, cut at `MAX_TEXT` characters with a note saying so."""
    if len(text) <= MAX_TEXT:
        return text
    return (
        f"{text[:MAX_TEXT]} … (cut at {MAX_TEXT:,} of {len(text):,} characters; "
        "the JSON report has the whole text)"
    )


def shown_refs(claim: Claim, implied: tuple[str, ...] = ()) -> tuple[list[str], int]:
    """The refs to print after a claim, and how many more there are beyond `MAX_REFS`.

    Refs the claim's own text names, and refs implied by where it is printed (the
    record a row or a report is about), go without saying.
    """
    if not claim.refs:
        return [], 0
    text = claim.text or ""
    if len(claim.refs) == 1:  # the common case, in a large report a million times
        ref = claim.refs[0]
        return ([], 0) if ref in implied or ref in text else ([ref], 0)
    # A claim often lists its refs in its text ("inputs: a, b, ..."), a run's inputs by
    # the ten thousand: a ref that is one of the listed items is in the text without
    # searching it, which would take time quadratic in the list's length.
    # A row may be about many records (a licence's holders): look them up in a set.
    about: Collection[str] = implied if len(implied) <= MAX_REFS else set(implied)
    if len(claim.refs) > MAX_REFS:
        named = _named_in(text, claim.refs)
        refs = [r for r in claim.refs if r not in about and r not in named]
    else:
        refs = [r for r in claim.refs if r not in about and r not in text]
    return refs[:MAX_REFS], max(0, len(refs) - MAX_REFS)


def _named_in(text: str, refs: Sequence[str]) -> set[str]:
    """The refs that occur in `text`, found in time linear in both.

    A ref is a record id, 'kind:name': any occurrence of it starts where its
    'kind:' does. So the text is cut, at every such start, into one piece per
    length of ref, and each ref is looked up among the pieces of its length.
    """
    by_length: dict[int, set[str]] = {}
    starts: set[int] = set()
    for prefix in {r[: r.find(":") + 1] for r in refs if ":" in r}:
        position = text.find(prefix)
        while position >= 0:
            starts.add(position)
            position = text.find(prefix, position + 1)
    for length in {len(r) for r in refs}:
        by_length[length] = {text[p : p + length] for p in starts}
    return {r for r in refs if (r in by_length[len(r)] if ":" in r else r in text)}


def is_literal(claim: Claim) -> bool:
    """True for a claim best shown verbatim: a record id, a digest, a JSON value."""
    text = claim.text
    if text is None:
        return False
    if claim.refs == (text,) or text.startswith("sha256:"):
        return True
    return (text[:1], text[-1:]) in (("{", "}"), ("[", "]"))


def row_refs(table: Table, row: tuple[Claim, ...]) -> tuple[str, ...]:
    """The refs of a row's identifying cell: every cell of the row is implicitly about them."""
    return row[table.title_column].refs if row else ()


FINDINGS_SHOWN = 25
"""Findings of one rule shown with their evidence paths; the rest are listed by subject."""


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one rule, as a report lays them out."""

    rule: str
    severity: str
    count: int
    shown: tuple[Finding, ...]
    others: tuple[str, ...]
    """The subjects of the findings not shown with their paths."""


@dataclass(frozen=True)
class GapGroup:
    """The records that miss the same fact."""

    field: str
    question: str
    section: str
    subjects: tuple[str, ...]


def finding_groups(findings: Sequence[Finding]) -> list[FindingGroup]:
    """Findings grouped by rule and severity, in the order they come."""
    order: dict[tuple[str, str], list[Finding]] = {}
    # A large trail has tens of thousands of findings: the getter makes their keys in C.
    for key, finding in zip(map(_rule_severity, findings), findings, strict=True):
        found = order.get(key)
        if found is None:
            order[key] = [finding]
        else:
            found.append(finding)
    return [
        FindingGroup(
            rule,
            severity,
            len(items),
            tuple(items[:FINDINGS_SHOWN]),
            tuple(map(_subject, items[FINDINGS_SHOWN:])),
        )
        for (rule, severity), items in order.items()
    ]


_rule_severity = operator.attrgetter("rule", "severity")
_subject = operator.attrgetter("subject")


def gap_groups(gaps: Sequence[Gap]) -> list[GapGroup]:
    """Gaps grouped by the fact missing, in the order first met."""
    order: dict[tuple[str, str, str], list[str]] = {}
    # A large report has half a million gaps: the getters make their keys in C.
    keys = map(operator.attrgetter("field", "question", "section"), gaps)
    for key, subject in zip(keys, map(operator.attrgetter("subject"), gaps), strict=True):
        found = order.get(key)
        if found is None:
            order[key] = [subject]
        else:
            found.append(subject)
    return [GapGroup(f, q, s, tuple(subjects)) for (f, q, s), subjects in order.items()]
