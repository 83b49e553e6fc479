"""Typed input: what may be recorded about a source, dataset, model, agent or run.

Every value that reaches the store passes through one of these pydantic models,
so the CLI, the Python API and manifests validate in exactly the same way.
Errors become `InvalidRecord` with the field's path in `loc`.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, TypeVar

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from lineage.errors import InvalidRecord, LineageError
from lineage.licences import parse_licence, validate_restrictions
from lineage.vocabulary import (
    AgentType,
    Decision,
    IntendedUse,
    Modality,
    Obtained,
    OptOuts,
    PersonalData,
    RunStatus,
    Tier,
)

Count = Annotated[StrictInt, Field(ge=0)]
Name = Annotated[str, Field(min_length=1, max_length=1000)]

DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
NAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")

T = TypeVar("T", bound=BaseModel)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the one text form of attributes and params.

    Dates and times become ISO 8601 text. Raises TypeError for values JSON cannot hold.
    """
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


def utc_text(moment: datetime) -> str:
    """A time as ISO 8601 in UTC ('2025-06-01T08:00:00Z'); times without a zone are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def parse_time(text: str, what: str = "time") -> datetime:
    """Parse an ISO 8601 date or date-time given on the command line or in a query."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRecord(
            f"{what} {text!r} is not an ISO 8601 date or time (e.g. 2025-06-01T08:00:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Input fields that are not columns of the record itself: names, relations, or
# fields stored in another form (see `_special_facts`).
_NOT_FACTS = frozenset(
    {
        "name",
        "inputs",
        "outputs",
        "agent",
        "subject",
        "by",
        "derived_from",
        "attributed_to",
        "effective",
        "collected",
        "tool",
        "type",
        "version",
        "acted_on_behalf_of",
        "role",
    }
)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    description: str | None = None
    attrs: dict[str, Any] = Field(default_factory=dict)
    _DEFAULTED: ClassVar[frozenset[str]] = frozenset()  # fields whose default is a fact

    @field_validator("attrs")
    @classmethod
    def _attrs_are_json(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            canonical_json(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"attributes must be JSON values ({error})") from None
        return value

    def facts(self) -> dict[str, Any]:
        """The column values this input records: lists and mappings as canonical JSON
        text, dates as ISO 8601, times in UTC; unset fields are left out."""
        out: dict[str, Any] = {}
        values = self.__dict__
        # Only fields given (or with a non-empty default) can hold a fact: on bulk
        # loads this skips the dozens of unset fields of every record.
        for key in self.model_fields_set | self._DEFAULTED:
            value = values[key]
            if value is None or key in _NOT_FACTS:
                continue
            if isinstance(value, tuple | list | dict):
                if not value:
                    continue
                value = canonical_json(list(value) if isinstance(value, tuple) else value)
            elif isinstance(value, datetime):
                value = utc_text(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[key] = value
        out.update(self._special_facts())
        return out

    def _special_facts(self) -> dict[str, Any]:
        return {}


class _Named(_Input):
    name: Name

    @field_validator("name")
    @classmethod
    def _printable_name(cls, value: str) -> str:
        if NAME_FORBIDDEN.search(value):
            raise ValueError("names cannot contain control characters or newlines")
        return value


class EntityInput(_Named):
    """Facts every entity (source, dataset, model) can carry."""

    owner: str | None = None
    uri: str | None = None
    license: str | None = None
    restrictions: tuple[str, ...] = ()
    path: str | None = None
    digest: str | None = None
    size_bytes: Count | None = None
    records: Count | None = None
    tokens: Count | None = None
    modality: tuple[Modality, ...] = ()
    data_types: tuple[str, ...] = ()
    copyright: str | None = None
    effective: date | None = None
    derived_from: tuple[Name, ...] = ()
    attributed_to: tuple[Name, ...] = ()

    @field_validator("license")
    @classmethod
    def _spdx(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            return parse_licence(value).expression
        except LineageError as error:
            raise ValueError(str(error)) from None

    @field_validator("restrictions")
    @classmethod
    def _restrictions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        try:
            return validate_restrictions(value)
        except LineageError as error:
            raise ValueError(str(error)) from None

    @field_validator("digest")
    @classmethod
    def _digest(cls, value: str | None) -> str | None:
        if value is not None and not DIGEST_RE.match(value):
            raise ValueError(f"{value!r} is not a digest of the form sha256:<64 hex digits>")
        return value


class _PersonalDataFields(EntityInput):
    personal_data: PersonalData | None = None
    personal_data_categories: tuple[str, ...] = ()
    legal_basis: str | None = None
    first_used: date | None = None


def _parse_period(value: Any) -> tuple[date | None, date | None]:
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
    else:
        text = str(value)
        if ".." not in text:
            raise ValueError("a collection period is START..END (END may be empty if ongoing)")
        start, end = (part.strip() or None for part in text.split("..", 1))
    parsed: list[date | None] = []
    for part in (start, end):
        if part is None or isinstance(part, date):
            parsed.append(part)
            continue
        try:
            parsed.append(date.fromisoformat(str(part)))
        except ValueError as error:
            raise ValueError(f"{part!r} is not a valid date ({error})") from None
    if parsed[0] is None:
        raise ValueError("a collection period needs a start date")
    if parsed[1] is not None and parsed[0] > parsed[1]:
        raise ValueError(f"the period ends ({parsed[1]}) before it starts ({parsed[0]})")
    return parsed[0], parsed[1]


class SourceInput(_PersonalDataFields):
    """A source: data whose origin is outside your control."""

    obtained: Obtained | None = None
    generated_by: str | None = None
    opt_outs: OptOuts | None = None
    collected: str | None = None

    @field_validator("collected", mode="before")
    @classmethod
    def _period(cls, value: Any) -> str | None:
        if value is None or value == "":
            return None
        start, end = _parse_period(value)
        return f"{start}..{end or ''}"

    def _special_facts(self) -> dict[str, Any]:
        if not self.collected:
            return {}
        start, end = self.collected.split("..")
        return {"collected_start": start, "collected_end": end or None}


class DatasetInput(_PersonalDataFields):
    """A dataset version you produced."""


class ModelInput(EntityInput):
    """A model checkpoint."""

    intended_use: IntendedUse | None = None


class AgentInput(_Named):
    """A person, organisation or piece of software responsible for something."""

    type: AgentType
    version: str | None = None
    acted_on_behalf_of: str | None = None

    def _special_facts(self) -> dict[str, Any]:
        return {"agent_type": self.type, "software_version": self.version}


class RunInput(_Input):
    """One execution of a transformation: what it used, what it made, who ran it."""

    operation: Name
    name: Name | None = None
    inputs: tuple[Name, ...] = Field(min_length=1)
    outputs: tuple[Name, ...] = ()
    agent: tuple[Name, ...] = ()
    tool: str | None = None
    code_revision: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    started: datetime | None = None
    ended: datetime | None = None
    records_in: Count | None = None
    records_out: Count | None = None
    status: RunStatus = "completed"
    _DEFAULTED: ClassVar[frozenset[str]] = frozenset({"status"})

    @field_validator("agent", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("tool")
    @classmethod
    def _tool(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^=\s]+==\S+", value):
            raise ValueError(f"{value!r} is not NAME==VERSION (e.g. trafilatura==1.12.2)")
        return value

    def _special_facts(self) -> dict[str, Any]:
        if not self.tool:
            return {}
        tool, version = self.tool.split("==", 1)
        return {"tool": tool, "tool_version": version}

    @model_validator(mode="after")
    def _times_in_order(self) -> RunInput:
        if self.started and self.ended:
            started = self.started if self.started.tzinfo else self.started.replace(tzinfo=UTC)
            ended = self.ended if self.ended.tzinfo else self.ended.replace(tzinfo=UTC)
            if ended < started:
                raise ValueError(f"the run ends ({self.ended}) before it starts ({self.started})")
        if not self.outputs and self.status != "failed":
            raise ValueError("a run needs at least one output (only a failed run may have none)")
        overlap = set(self.inputs) & set(self.outputs)
        if overlap:
            raise ValueError(f"{sorted(overlap)[0]!r} is both an input and an output of the run")
        return self


class AttestationInput(_Input):
    """A person's sign-off (or refusal, or revocation) on a model or dataset."""

    subject: Name
    by: Name
    role: str | None = None
    """The signer's role in the sign-off (compliance officer, system owner); kept in attrs."""
    name: Name | None = None
    decision: Decision = "approved"
    _DEFAULTED: ClassVar[frozenset[str]] = frozenset({"decision"})
    tier: Tier | None = None
    scope: str | None = None
    conditions: tuple[str, ...] = ()
    expires: date | None = None
    effective: date | None = None

    @model_validator(mode="after")
    def _expires_after_effective(self) -> AttestationInput:
        if self.expires and self.effective and self.expires < self.effective:
            raise ValueError(
                f"it expires ({self.expires}) before it takes effect ({self.effective})"
            )
        return self

    def _special_facts(self) -> dict[str, Any]:
        if not self.role:
            return {}
        return {"attrs": canonical_json({**self.attrs, "role": self.role})}


INPUT_OF_KIND: dict[str, type[_Named]] = {
    "source": SourceInput,
    "dataset": DatasetInput,
    "model": ModelInput,
    "agent": AgentInput,
}


def describe_error(error: ValidationError, skip: int = 0) -> tuple[str, tuple[str | int, ...]]:
    """The first problem of a pydantic error as ('field 'x': message', location).

    `skip` leading parts of the location are left out of the field's name (the
    index of the item when a whole list was validated) but kept in the location.
    """
    first = error.errors()[0]
    full = tuple(first["loc"])
    loc = full[skip:]
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "missing":
        message = "required field is missing"
    field = ".".join(str(part) for part in loc)
    return (f"field {field!r}: {message}" if field else message), full


@functools.cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def validate_many(model: type[T], items: list[dict[str, Any]]) -> list[T]:
    """Validate a whole list of inputs in one call (about twice as fast as one by one).

    Raises InvalidRecord whose `loc` starts with the index of the first bad item.
    """
    try:
        return _list_adapter(model).validate_python(items)
    except ValidationError as error:
        message, loc = describe_error(error, skip=1)
        raise InvalidRecord(message, loc) from None


def validate_input(model: type[T], data: dict[str, Any], where: str = "") -> T:
    """Validate `data` as `model`, raising InvalidRecord that names `where` and the field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        message, loc = describe_error(error)
        raise InvalidRecord(f"{where}: {message}" if where else message, loc) from None
