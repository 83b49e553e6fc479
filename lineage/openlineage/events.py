"""OpenLineage events: reading them from files, and validating them against the official schema.

The schema is the OpenLineage core spec 2-0-2 (`OpenLineage-2-0-2.json` beside this
file, vendored from the OpenLineage project under the Apache License 2.0; see
`NOTICE` beside it). The `openlineage-python` client does not ship the JSON
schema itself, so it is kept here and never fetched at run time.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

import orjson

from lineage.errors import InvalidRecord, ManifestError
from lineage.validation import check_depth, json_problem

if TYPE_CHECKING:  # imported when first needed: they cost more than the rest of the CLI
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json"
RUN_EVENT_SCHEMA_URL = f"{SCHEMA_URL}#/$defs/RunEvent"
DATASET_EVENT_SCHEMA_URL = f"{SCHEMA_URL}#/$defs/DatasetEvent"
JOB_EVENT_SCHEMA_URL = f"{SCHEMA_URL}#/$defs/JobEvent"
# Keys that mark a JSON object as an OpenLineage event rather than a manifest.
_MARKERS = frozenset({"eventType", "eventTime", "run", "job", "producer", "schemaURL"})


@dataclass(frozen=True)
class Event:
    """One validated OpenLineage event, with where it was read from (for errors)."""

    data: dict[str, Any]
    where: str  # 'file: event 3 (line 4)'
    # What `--lenient` let through: 'no schemaURL', 'eventTime without a UTC offset'.
    lenient: tuple[str, ...] = ()

    @property
    def is_run_event(self) -> bool:
        return "run" in self.data

    @property
    def is_job_event(self) -> bool:
        """A JobEvent: static lineage, a job and the datasets it declares, with no run."""
        return "run" not in self.data and "dataset" not in self.data and "job" in self.data

    @property
    def time(self) -> datetime:
        return parse_event_time(self.data["eventTime"])


@functools.cache
def schema() -> dict[str, Any]:
    """The official OpenLineage 2-0-2 JSON Schema (vendored; see the module doc)."""
    text = resources.files("lineage.openlineage").joinpath("OpenLineage-2-0-2.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _validator(definition: str) -> Draft202012Validator:
    """The reference validator, which explains what is wrong (slow: ~3 ms an event)."""
    from jsonschema import Draft202012Validator

    root = schema()
    return Draft202012Validator({**root, "oneOf": [{"$ref": f"#/$defs/{definition}"}]})


@functools.cache
def _fast_check(definition: str) -> Callable[[Any], bool]:
    """The same schema compiled to Python (~15x faster), for the events that are valid.

    The schema uses nothing beyond draft 7 but `$defs`, which a JSON pointer reaches
    all the same. Formats are not checked and defaults never filled in, as in
    `_validator`, so both accept exactly the same events.
    """
    root = schema()
    draft7 = {
        **root,
        "$schema": "http://json-schema.org/draft-07/schema#",
        "oneOf": [{"$ref": f"#/$defs/{definition}"}],
    }
    import fastjsonschema

    compiled = fastjsonschema.compile(draft7, use_default=False, use_formats=False)

    def check(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return check


def looks_like_event(value: Any) -> bool:
    """True for a JSON object with (at least two of) the keys of an OpenLineage event, so that
    an event missing a required key is reported as such rather than read as a manifest."""
    return isinstance(value, dict) and len(_MARKERS & value.keys()) >= 2


def parse_event_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _field(path: Any) -> str:
    parts = [str(p) if not isinstance(p, int) else f"[{p}]" for p in path]
    return ".".join(parts).replace(".[", "[")


def _deepest(error: ValidationError) -> ValidationError:
    """The most specific of an error's causes: `anyOf` (facets) and `allOf` (datasets)
    report their whole value, where the cause names the field that is wrong."""
    from jsonschema.exceptions import best_match

    while error.context:
        found = best_match(error.context)
        if found is None or len(found.absolute_path) < len(error.absolute_path):
            break
        error = found
    return error


_TYPES = {
    "object": "a JSON object",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}


def _shown(value: Any) -> str:
    """A scalar as written (InvalidRecord cuts a long one); a facet or a list only by its
    kind, never whole."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str | int | float | bool) else "a value"


def _schema_problem(error: ValidationError) -> str:
    """One line naming the field and what is wrong with it (never a whole facet)."""
    error = _deepest(error)
    field = _field(error.absolute_path)
    if error.validator == "required":
        missing = next(
            (k for k in error.validator_value if k not in error.instance),
            str(error.validator_value[0]),
        )
        field = f"{field}.{missing}" if field else missing
        message = "required field is missing"
    elif error.validator == "type":
        wanted = error.validator_value
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        message = f"must be {' or '.join(_TYPES.get(n, n) for n in names)}, not " + _shown(
            error.instance
        )
    elif error.validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        message = f"{_shown(error.instance)} is not one of {choices}"
    elif error.validator == "not":
        message = "is not allowed in this kind of event"
    else:
        message = f"{_shown(error.instance)} does not match the schema ({error.validator})"
    return f"field {field!r}: {message}" if field else message


def _definition(data: dict[str, Any], where: str) -> str:
    """Which event of the spec `data` is: RunEvent, DatasetEvent or JobEvent."""
    if "run" in data:
        return "RunEvent"
    if "dataset" in data:
        return "DatasetEvent"
    if "job" in data:
        return "JobEvent"
    raise InvalidRecord(
        f"{where}: field 'run': required field is missing "
        "(a RunEvent has 'run', a JobEvent 'job', a DatasetEvent 'dataset')"
    )


def _lenient_schema_url(data: dict[str, Any], definition: str) -> dict[str, Any]:
    """`data` with the schemaURL a Marquez-style event leaves out (a copy; never stored)."""
    return {**data, "schemaURL": f"{SCHEMA_URL}#/$defs/{definition}"}


def _check_event_time(data: dict[str, Any], where: str, lenient: bool) -> tuple[str, ...]:
    """Refuse an eventTime that is not a date-time, or (unless lenient) has no UTC offset.

    A time without an offset could be any zone's; reading it as UTC would move the
    event by hours without a word, so it is refused, or with --lenient read as UTC
    and marked on the record.
    """
    text = data["eventTime"]
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRecord(
            f"{where}: field 'eventTime': {_shown(text)} is not an ISO 8601 date-time"
        ) from None
    if moment.tzinfo is not None:
        return ()
    if not lenient:
        raise InvalidRecord(
            f"{where}: field 'eventTime': {_shown(text)} has no UTC offset (add 'Z' or "
            "'+HH:MM'; --lenient reads it as UTC and marks the record)"
        )
    return ("eventTime without a UTC offset, read as UTC",)


def validate_event(data: Any, where: str, *, lenient: bool = False) -> Event:
    """Check one event against the official schema and the facts the mapping relies on.

    RunEvents, and the static lineage of spec 2-0-2 (JobEvents, DatasetEvents), are
    accepted. With `lenient`, an event without `schemaURL` (as Marquez's examples are
    written) or with an `eventTime` without a UTC offset is accepted, and what was
    let through is kept on the Event (`lenient`) so the record can say so.

    Raises InvalidRecord naming `where` and the field.
    """
    if not isinstance(data, dict):
        raise InvalidRecord(f"{where}: an OpenLineage event is a JSON object")
    check_depth(data, where)  # before the schema's validators recurse into it
    definition = _definition(data, where)
    let_through: tuple[str, ...] = ()
    checked = data
    if lenient and "schemaURL" not in data:
        checked = _lenient_schema_url(data, definition)
        let_through = ("no schemaURL",)
    if not _fast_check(definition)(checked):
        from jsonschema.exceptions import best_match

        error = best_match(_validator(definition).iter_errors(checked))
        if error is None:  # cannot happen while both read the same schema
            raise InvalidRecord(f"{where}: not a valid OpenLineage {definition}")
        raise InvalidRecord(f"{where}: {_schema_problem(error)}", tuple(error.absolute_path))
    # The schema names formats without enforcing them; these carry meaning here.
    let_through += _check_event_time(data, where, lenient)
    if definition == "RunEvent":
        _check_uuid(data["run"]["runId"], where, "run.runId")
        parent = (data["run"].get("facets") or {}).get("parent")
        if isinstance(parent, dict):
            _check_run_reference(parent, where, "run.facets.parent")
            root = parent.get("root")
            if root is not None:
                _check_run_reference(root, where, "run.facets.parent.root")
    return Event(data, where, let_through)


def _check_run_reference(facet: Any, where: str, field: str) -> None:
    """A parent (or root) run: a run with a UUID runId, and a job with namespace and name."""
    if not isinstance(facet, dict):
        raise InvalidRecord(f"{where}: field {field!r}: must be a JSON object")
    run = facet.get("run")
    job = facet.get("job")
    if not isinstance(run, dict) or not isinstance(run.get("runId"), str):
        raise InvalidRecord(f"{where}: field '{field}.run.runId': required field is missing")
    _check_uuid(run["runId"], where, f"{field}.run.runId")
    for key in ("namespace", "name"):
        if not isinstance(job, dict) or not isinstance(job.get(key), str):
            raise InvalidRecord(f"{where}: field '{field}.job.{key}': required field is missing")


def _check_uuid(value: str, where: str, field: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        raise InvalidRecord(f"{where}: field {field!r}: {_shown(value)} is not a UUID") from None


def parse_json_events(path: str, text: str, whole: Any = None) -> list[Any] | None:
    """The raw events of a JSON object, JSON array or NDJSON text, or None if it holds none.

    `whole` is the text already parsed as one JSON document, when the caller has it.
    Raises ManifestError for NDJSON whose later lines are not JSON (naming the line).
    """
    stripped = text.lstrip()
    if not stripped or stripped[0] not in "[{":
        return None
    if whole is None:
        try:
            whole = orjson.loads(text)
        except orjson.JSONDecodeError:
            whole = None
    if whole is not None:
        if looks_like_event(whole):
            return [whole]
        if isinstance(whole, list) and whole and looks_like_event(whole[0]):
            return list(whole)
        return None
    # Not one JSON document: newline-delimited JSON, if its first line is an event.
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    try:
        head = orjson.loads(lines[first])
    except orjson.JSONDecodeError:
        return None
    if not looks_like_event(head):
        return None
    events: list[Any] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(_Located(orjson.loads(line), number))
        except orjson.JSONDecodeError as error:
            raise ManifestError(
                f"{path}:{number}: event {len(events)}: {json_problem(error)}"
            ) from None
    return events


@dataclass(frozen=True)
class _Located:
    """An NDJSON event with its line number."""

    value: Any
    line: int


def validate_events(path: str, raw: list[Any], *, lenient: bool = False) -> list[Event]:
    """Validate every event of a file; the first bad one fails the whole file.

    `lenient`: see `validate_event`."""
    events = []
    for index, item in enumerate(raw):
        if isinstance(item, _Located):
            where = f"{path}:{item.line}: event {index}"
            item = item.value
        else:
            where = f"{path}: event {index}"
        events.append(validate_event(item, where, lenient=lenient))
    return events
