"""Manifests: YAML or JSON files that describe agents, sources, datasets, models and runs.

A manifest mirrors the CLI: each item takes the options of the matching `add`
command under the same names. Errors name the file, the line and the field.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
import yaml

from lineage.digests import DigestCache, digest_path
from lineage.errors import InvalidRecord, LineageError, ManifestError
from lineage.recording import (
    add_agent,
    add_amendment,
    add_attestation,
    add_claim,
    add_entity,
    add_evaluation,
    add_run,
)
from lineage.store.pending import Sink
from lineage.validation import (
    INPUT_OF_KIND,
    MAX_DEPTH,
    AgentInput,
    AmendmentInput,
    AttestationInput,
    ClaimInput,
    DatasetInput,
    EntityInput,
    EvaluationInput,
    ModelInput,
    RunInput,
    SourceInput,
    json_problem,
    validate_many,
)

SECTIONS: dict[str, type[Any]] = {
    "agents": AgentInput,
    "sources": SourceInput,
    "datasets": DatasetInput,
    "models": ModelInput,
    "runs": RunInput,
    "attestations": AttestationInput,
    "evaluations": EvaluationInput,
    "claims": ClaimInput,
    # Last: an amendment may change a record given earlier in the same manifest.
    "amendments": AmendmentInput,
}
KIND_OF_SECTION = {"sources": "source", "datasets": "dataset", "models": "model"}


class LineDict(dict[str, Any]):
    """A mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that remembers the line of each item."""

    line: int = 0
    item_lines: list[int]


# YAML aliases repeat a value without writing it out again; nested, a few hundred
# bytes of them expand to gigabytes (issue 18, "billion laughs"). Aliases are
# allowed, but all of a document's aliases together may repeat at most this many
# values (every scalar, list and mapping inside a repeated value counts) and this
# many characters of scalar text.
MAX_ALIAS_VALUES = 10_000
MAX_ALIAS_CHARACTERS = 1_000_000


class _Refused(yaml.YAMLError):
    """A document this loader will not build: too deep, or aliases that repeat too much."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _LineLoader(yaml.SafeLoader):
    """The safe loader, with lines kept; refuses deep nesting and alias bombs while
    composing, before anything is built."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        # (values, characters) of aliased nodes with their own aliases written out.
        self._sizes: dict[int, tuple[int, int]] = {}
        self._repeated = (0, 0)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            anchored: yaml.Node | None = self.anchors.get(event.anchor)
            if anchored is not None:
                self._repeat(anchored, event.start_mark)
        return super().compose_node(parent, index)

    def compose_sequence_node(self, anchor: Any) -> yaml.SequenceNode:
        self._enter()
        node = super().compose_sequence_node(anchor)
        self._depth -= 1
        return node

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        self._enter()
        node = super().compose_mapping_node(anchor)
        self._depth -= 1
        return node

    def _enter(self) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _Refused(mark, f"lists and mappings nested more than {MAX_DEPTH} levels deep")

    def _size(self, node: yaml.Node) -> tuple[int, int]:
        """(values, characters) of a composed node, aliases inside it written out."""
        if isinstance(node, yaml.ScalarNode):
            return 1, len(node.value)
        known = self._sizes.get(id(node))
        if known is None:
            children = (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            sizes = [self._size(child) for child in children]  # at most MAX_DEPTH deep
            known = (1 + sum(v for v, _ in sizes), sum(c for _, c in sizes))
            self._sizes[id(node)] = known
        return known

    def _repeat(self, node: yaml.Node, mark: yaml.Mark) -> None:
        if node.end_mark is None:  # a list or mapping still being composed: it holds itself
            raise _Refused(mark, "an alias inside the value it names (a recursive alias)")
        size = self._size(node)
        values, characters = self._repeated[0] + size[0], self._repeated[1] + size[1]
        if values > MAX_ALIAS_VALUES or characters > MAX_ALIAS_CHARACTERS:
            raise _Refused(
                mark,
                f"YAML aliases repeat more than {MAX_ALIAS_VALUES:,} values or "
                f"{MAX_ALIAS_CHARACTERS:,} characters in all (an alias bomb?); "
                "write the values out instead",
            )
        self._repeated = (values, characters)


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


STDIN = "-"  # the path that means standard input
STDIN_NAME = "<stdin>"  # what errors call it
MAX_STDIN_BYTES = 64 * 1024 * 1024  # larger input belongs in a file

_KIND_OF_FILE = {
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


def source_name(path: str) -> str:
    """What errors call the input at `path`: the path, or <stdin> for '-'."""
    return STDIN_NAME if path == STDIN else path


def read_text(path: str) -> str:
    """The UTF-8 text of a regular file, or of standard input when `path` is '-'.

    Anything else (a device such as /dev/zero, a named pipe, a folder) is refused
    before it is read, and standard input is read to at most MAX_STDIN_BYTES.
    Raises ManifestError.
    """
    name = source_name(path)
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
            if len(data) > MAX_STDIN_BYTES:
                raise ManifestError(
                    f"{name}: more than {MAX_STDIN_BYTES // 2**20} MiB; "
                    "write it to a file and ingest that"
                )
            # Newlines as a file opened in text mode reads them.
            return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
        # Not blocking, so that a named pipe without a writer is refused, not waited on.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), encoding="utf-8") as handle:
            kind = stat.S_IFMT(os.fstat(handle.fileno()).st_mode)
            if kind == stat.S_IFDIR:
                raise ManifestError(f"{name}: is a folder, not a manifest file")
            if kind != stat.S_IFREG:
                what = _KIND_OF_FILE.get(kind, "not a regular file")
                raise ManifestError(
                    f"{name}: is {what}, not a regular file (give '-' to read standard input)"
                )
            return handle.read()
    except FileNotFoundError:
        raise ManifestError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise ManifestError(f"{name}: is a folder, not a manifest file") from None
    except UnicodeDecodeError as error:
        raise ManifestError(f"{name}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise ManifestError(f"{name}: cannot be read ({error.strerror})") from None


def _parse_with_lines(path: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)
    except _Refused as error:
        raise ManifestError(f"{path}:{error.mark.line + 1}: {error.message}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = error.problem or error.context or "syntax error"
        raise ManifestError(f"{path}{line}: not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ManifestError(f"{path}: not valid YAML: {error}") from None


def parse_manifest(path: str, text: str | None = None) -> Any:
    """Read a manifest into plain data; JSON takes a fast path without line numbers.

    A file is read as JSON when it is named `*.json` or its text starts as a JSON
    object or array does (PROV-JSON files are often named `*.provjson`); the
    latter falls back to YAML when it is not JSON after all.
    """
    if text is None:
        text = read_text(path)
    named_json = path.endswith(".json")
    if named_json or text.lstrip()[:1] in ("{", "["):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError as error:
            if named_json:
                raise ManifestError(f"{path}:{error.lineno}: {json_problem(error)}") from None
    return _parse_with_lines(path, text)


def line_of(item: Any, loc: Sequence[str | int]) -> int | None:
    """The line of the field at `loc` in data read with line numbers, if known."""
    line: int | None = getattr(item, "line", None)
    current = item
    for part in loc:
        if isinstance(current, LineDict) and isinstance(part, str) and part in current:
            line = current.key_lines.get(part, line)
            current = current[part]
        elif isinstance(current, LineList) and isinstance(part, int) and part < len(current):
            line = current.item_lines[part]
            current = current[part]
        else:
            break
    return line


@dataclass
class _Locator:
    """Finds lines for errors; JSON manifests are re-read with line tracking on demand."""

    path: str
    data: Any
    with_lines: Any = None

    def lines(self) -> Any:
        if isinstance(self.data, LineDict):
            return self.data
        if self.with_lines is None:
            if not os.path.isfile(self.path):
                return {}
            try:
                self.with_lines = _parse_with_lines(self.path, read_text(self.path))
            except ManifestError:
                self.with_lines = {}
        return self.with_lines

    def where(self, section: str, index: int, loc: Sequence[str | int] = ()) -> str:
        data = self.lines()
        line = None
        items = data.get(section) if isinstance(data, dict) else None
        if isinstance(items, LineList) and index < len(items):
            line = line_of(items[index], loc) if loc else items.item_lines[index]
        return f"{self.path}:{line}" if line else self.path

    def label(self, section: str, index: int, item: Any) -> str:
        name = item.get("name") if isinstance(item, dict) else None
        what = f"{section}[{index}]"
        return f"{what} {name!r}" if isinstance(name, str) else what


class _LazyWhere(NamedTuple):
    """'file:line' of a field, worked out only if an error needs it (cheap to make)."""

    locator: _Locator
    section: str
    position: int
    loc: tuple[str | int, ...] = ()

    def __str__(self) -> str:
        return self.locator.where(self.section, self.position, self.loc)


def warm_digests(data: Any, path: str, cache: DigestCache, base_dir: str | None = None) -> None:
    """Hash every `path` a manifest names, before its transaction starts.

    The digests land in `cache`, so recording them later inside the write
    transaction costs a stat, and the store's write lock is not held while
    large folders are hashed. Unreadable paths are reported by the recording pass.
    """
    if not isinstance(data, dict):
        return
    folder = base_dir if base_dir is not None else os.path.dirname(path)
    for section in KIND_OF_SECTION:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for item in items:
            given = item.get("path") if isinstance(item, dict) else None
            if isinstance(given, str) and given:
                full = given if os.path.isabs(given) else os.path.join(folder, given)
                with contextlib.suppress(LineageError):
                    digest_path(full, cache=cache)


def add_manifest_data(
    sink: Sink,
    data: Any,
    path: str = "<data>",
    *,
    cache: DigestCache | None = None,
    base_dir: str | None = None,
) -> None:
    """Add manifest content already in memory (the bulk path of the Python API).

    `path` names the data in errors; relative paths inside it are resolved
    against `base_dir` (default: the folder of `path`).
    """
    locator = _Locator(path, data)
    if data is None:
        raise ManifestError(f"{path}: the manifest is empty")
    if not isinstance(data, dict):
        raise ManifestError(
            f"{locator.where('', 0)}: a manifest is a mapping with the lists "
            "agents, sources, datasets, models and runs"
        )
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        line = data.key_lines.get(unknown[0]) if isinstance(data, LineDict) else None
        raise ManifestError(
            f"{path}{':' + str(line) if line else ''}: unknown section {unknown[0]!r} "
            f"(expected {', '.join(SECTIONS)})"
        )
    if base_dir is None:
        base_dir = os.path.dirname(path) if path != "<data>" else ""
    for section, model in SECTIONS.items():
        items = data.get(section) or []
        if not isinstance(items, list):
            line = data.key_lines.get(section) if isinstance(data, LineDict) else None
            raise ManifestError(
                f"{path}{':' + str(line) if line else ''}: {section} must be a list"
            )
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ManifestError(
                    f"{locator.where(section, index)}: {section}[{index}] "
                    "must be a mapping of fields"
                )
        try:
            records = validate_many(model, items)
        except InvalidRecord as error:
            index, loc = int(error.loc[0]), error.loc[1:]
            where = locator.where(section, index, loc)
            label = locator.label(section, index, items[index])
            raise InvalidRecord(f"{where}: {label}: {error}", loc) from None
        for index, (item, record) in enumerate(zip(items, records, strict=True)):
            _add(sink, section, record, cache, base_dir, locator, index, item)


def _amend(
    sink: Sink,
    record: AmendmentInput,
    locator: _Locator,
    index: int,
    item: Any,
    cache: DigestCache | None,
    base_dir: str,
) -> None:
    """Add an amendment: the record is 'kind:name', or named in the manifest's own lists."""
    kind, sep, rest = record.name.partition(":")
    name = rest if sep and kind in INPUT_OF_KIND and rest else record.name
    if not (sep and kind in INPUT_OF_KIND and rest):
        data = locator.data if isinstance(locator.data, dict) else {}
        kinds = [
            section_kind
            for section, section_kind in (*KIND_OF_SECTION.items(), ("agents", "agent"))
            if any(
                isinstance(other, dict) and other.get("name") == name
                for other in data.get(section) or ()
            )
        ]
        if len(kinds) != 1:
            raise InvalidRecord(
                f"{locator.where('amendments', index, ('name',))}: "
                f"{locator.label('amendments', index, item)}: field 'name': "
                + (
                    "name the record as KIND:NAME (e.g. source:web-crawl)"
                    if not kinds
                    else f"several records are called {name!r}: name it as KIND:NAME"
                )
            )
        kind = kinds[0]
    changes = record.changes()
    where = _LazyWhere(locator, "amendments", index)
    try:
        add_amendment(
            sink,
            kind,
            name,
            changes,
            reason=record.reason,
            effective=record.effective.isoformat() if record.effective else None,
            clear=record.clear,
            cache=cache,
            base_dir=base_dir,
            where=where,
        )
    except InvalidRecord as error:
        place = locator.where("amendments", index, error.loc)
        raise type(error)(f"{place}: amendments[{index}]: {error}", error.loc) from None


def _add(
    sink: Sink,
    section: str,
    record: Any,
    cache: DigestCache | None,
    base_dir: str,
    locator: _Locator,
    index: int,
    item: Any,
) -> None:
    where = _LazyWhere(locator, section, index)
    if section == "agents":
        add_agent(sink, record, where=where)
    elif section == "attestations":
        add_attestation(sink, record, where=where)
    elif section == "claims":
        add_claim(sink, record, where=where)
    elif section == "amendments":
        _amend(sink, record, locator, index, item, cache, base_dir)
    elif section == "evaluations":
        add_evaluation(sink, record, where=where)
    elif section == "runs":

        def where_of(field: str, i: int) -> _LazyWhere:
            return _LazyWhere(locator, section, index, (field, i))

        add_run(sink, record, where=where, where_of=where_of)
    else:
        assert isinstance(record, EntityInput)

        # Paths are relative to the manifest's folder; a problem with one names the
        # path's line. Other errors (a record given twice) say where they are themselves.
        def path_error(error: LineageError) -> LineageError:
            path_where = locator.where(section, index, ("path",))
            label = locator.label(section, index, item)
            return type(error)(f"{path_where}: {label}: field 'path': {error}")

        add_entity(
            sink,
            KIND_OF_SECTION[section],
            record,
            cache=cache,
            base_dir=base_dir,
            where=where,
            path_error=path_error,
        )
