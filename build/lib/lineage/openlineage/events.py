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

if TYPE_CHECKING:  # imported when first needed: they cost more than the rest of the CLI
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json"
RUN_EVENT_SCHEMA_URL = f"{SCHEMA_URL}#/$defs/RunEvent"
DATASET_EVENT_SCHEMA_URL = f"{SCHEMA_URL}#/$defs/DatasetEvent"
# Keys that mark a JSON object as an OpenLineage event rather than a manifest.
_MARKERS = frozenset({"eventType", "eventTime", "run", "job", "producer", "schemaURL"})


@dataclass(frozen=True)
class Event:
    """One validated OpenLineage event, with where it was read from (for errors)."""

    data: dict[str, Any]
    where: str  # 'file: event 3 (line 4)'

    @property
    def is_run_event(self) -> bool:
        return "run" in self.data

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


def _schema_problem(error: ValidationError) -> str:
    # A missing key is reported at the key, not at the object that lacks it.
    field = _field(error.absolute_path)
    message = error.message
    if error.validator == "required":
        missing = message.split("'")[1] if "'" in message else message
        field = f"{field}.{missing}" if field else missing
        message = "required field is missing"
    return f"field {field!r}: {message}" if field else message


def validate_event(data: Any, where: str) -> Event:
    """Check one event against the official schema and the facts the mapping relies on.

    Raises InvalidRecord naming `where` and the field.
    """
    if not isinstance(data, dict):
        raise InvalidRecord(f"{where}: an OpenLineage event is a JSON object")
    if "run" in data:
        definition = "RunEvent"
    elif "dataset" in data:
        definition = "DatasetEvent"
    elif "job" in data:
        raise InvalidRecord(
            f"{where}: a JobEvent (static job metadata) has no run to record; "
            "send RunEvents or DatasetEvents"
        )
    else:
        raise InvalidRecord(f"{where}: field 'run': required field is missing")
    if not _fast_check(definition)(data):
        from jsonschema.exceptions import best_match

        error = best_match(_validator(definition).iter_errors(data))
        if error is None:  # cannot happen while both read the same schema
            raise InvalidRecord(f"{where}: not a valid OpenLineage {definition}")
        raise InvalidRecord(f"{where}: {_schema_problem(error)}", tuple(error.absolute_path))
    # The schema names formats without enforcing them; these two carry meaning here.
    try:
        parse_event_time(data["eventTime"])
    except ValueError:
        raise InvalidRecord(
            f"{where}: field 'eventTime': {data['eventTime']!r} is not an ISO 8601 date-time"
        ) from None
    if definition == "RunEvent":
        _check_uuid(data["run"]["runId"], where, "run.runId")
        parent = (data["run"].get("facets") or {}).get("parent")
        if isinstance(parent, dict):
            run = parent.get("run")
            job = parent.get("job")
            if not isinstance(run, dict) or not isinstance(run.get("runId"), str):
                raise InvalidRecord(f"{where}: field 'run.facets.parent.run.runId': missing")
            _check_uuid(run["runId"], where, "run.facets.parent.run.runId")
            if not (
                isinstance(job, dict)
                and isinstance(job.get("namespace"), str)
                and isinstance(job.get("name"), str)
            ):
                raise InvalidRecord(
                    f"{where}: field 'run.facets.parent.job': needs a namespace and a name"
                )
    return Event(data, where)


def _check_uuid(value: str, where: str, field: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        raise InvalidRecord(f"{where}: field {field!r}: {value!r} is not a UUID") from None


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
                f"{path}:{number}: event {len(events)}: not valid JSON: {error.msg}"
            ) from None
    return events


@dataclass(frozen=True)
class _Located:
    """An NDJSON event with its line number."""

    value: Any
    line: int


def validate_events(path: str, raw: list[Any]) -> list[Event]:
    """Validate every event of a file; the first bad one fails the whole file."""
    events = []
    for index, item in enumerate(raw):
        if isinstance(item, _Located):
            where = f"{path}:{item.line}: event {index}"
            item = item.value
        else:
            where = f"{path}: event {index}"
        events.append(validate_event(item, where))
    return events
