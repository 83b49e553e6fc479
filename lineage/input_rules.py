"""The checks and facts of typed input, without pydantic.

The input models of `lineage.validation` and `lineage.disclosure` (pydantic) are the
one definition of what may be recorded. Their checks and their `facts()` live here,
in plain functions and mixins, so that the same code also runs behind the validators
compiled from those models (`lineage.compiled_inputs`, written by
`python -m lineage.input_compiler --write`): `lineage source add` then validates its
input with pydantic_core alone, without importing pydantic (issue 17: ~100 ms of a
command's start-up). Nothing here imports pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from lineage.canonical import canonical_json, utc_text
from lineage.characters import NAME_FORBIDDEN, hidden_character
from lineage.errors import LineageError
from lineage.licences import parse_licence, validate_restrictions
from lineage.vocabulary import COMMENT_FIELDS, COVERAGE_BASES

if TYPE_CHECKING:
    from pydantic_core import ValidationError

DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

# How deep lists and mappings may nest in any input: a manifest (from the top of the
# file), an OpenLineage event, a PROV-JSON document, attrs and params (issue 18:
# deeper input crashed parsers and the JSON writer, whose own limit is 255).
MAX_DEPTH = 64

_CONTAINERS = (dict, list, tuple)


def _nests_deeper(value: Any, limit: int) -> bool:
    """Whether lists and mappings nest more than `limit` levels in `value` (itself level 1).

    Walks level by level without recursion, so that any depth is safe to ask about
    (and a flat mapping, the common case, costs one pass over its values).
    """
    level = [value] if isinstance(value, _CONTAINERS) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for item in level:
            children = item.values() if isinstance(item, dict) else item
            below.extend([child for child in children if isinstance(child, _CONTAINERS)])
        level = below
    return False


def too_deep(value: Any, limit: int = MAX_DEPTH) -> tuple[str | int, ...] | None:
    """The keys and indexes down to the first list or mapping of `value` nested more than
    `limit` levels deep (`value` itself is level 1), or None when there is none."""
    if not _nests_deeper(value, limit):
        return None
    path: list[str | int] = []
    for remaining in range(limit - 1, -1, -1):
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        key, value = next((k, c) for k, c in pairs if _nests_deeper(c, remaining))
        path.append(key)
    return tuple(path)


def describe_path(path: Sequence[str | int], shown: int = 6) -> str:
    """'run.facets.deep[0].k…' : a field path, its first `shown` parts only."""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[:shown])
    return text.lstrip(".") + ("…" if len(path) > shown else "")


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


# Field checks: each is a pydantic validator of the models (`field_validator(...)(f)`,
# `AfterValidator(f)`) and, through them, of the compiled validators.


def visible_name(value: str) -> str:
    if value.isascii() and NAME_FORBIDDEN.search(value) is None:  # most names, in C
        return value
    problem = hidden_character(value)
    if problem is not None:
        raise ValueError(
            f"{problem} is not allowed in a name: invisible and reordering characters "
            "make different names look alike"
        )
    return value


def json_value(value: dict[str, Any], what: str) -> dict[str, Any]:
    """`value` if it is JSON that nests at most MAX_DEPTH levels, else ValueError."""
    path = too_deep(value)
    if path is not None:
        at = f" (at {describe_path(path)!r})" if path else ""
        raise ValueError(f"{what} nest more than {MAX_DEPTH} levels deep{at}")
    try:
        canonical_json(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be JSON values ({error})") from None
    return value


def attrs_are_json(value: dict[str, Any]) -> dict[str, Any]:
    return json_value(value, "attributes")


def spdx_expression(value: str | None) -> str | None:
    """The normalised SPDX expression of `value` (None for none), or a ValueError."""
    if value is None or value == "":
        return None
    try:
        return parse_licence(value).expression
    except LineageError as error:
        raise ValueError(str(error)) from None


def known_restrictions(value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return validate_restrictions(value)
    except LineageError as error:
        raise ValueError(str(error)) from None


def sha256_digest(value: str | None) -> str | None:
    if value is not None and not DIGEST_RE.match(value):
        raise ValueError(f"{value!r} is not a digest of the form sha256:<64 hex digits>")
    return value


def one_or_many(value: Any) -> Any:
    """A lone text as a one-item list (before the field's own check)."""
    return (value,) if isinstance(value, str) else value


def language_tags(value: tuple[str, ...]) -> tuple[str, ...]:
    for tag in value:
        if not _LANGUAGE.match(tag):
            raise ValueError(f"{tag!r} is not a language tag (BCP 47, e.g. en, de, pt-BR)")
    return tuple(dict.fromkeys(value))


def public_domain_alone(value: tuple[str, ...]) -> tuple[str, ...]:
    if "public-domain" in value and len(set(value)) > 1:
        raise ValueError("data that is entirely public domain is not also protected")
    return tuple(dict.fromkeys(value))


_PUBLISHED = re.compile(r"^(sha256:[0-9a-f]{64})(@(\d{4}-\d{2}-\d{2}))?$")
_URL = re.compile(r"^https?://\S+$")


def http_url(value: str | None) -> str | None:
    if value is not None and not _URL.match(value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def summary_digests(value: tuple[str, ...]) -> tuple[str, ...]:
    for item in value:
        match = _PUBLISHED.match(item)
        if match is None:
            raise ValueError(
                f"{item!r} is not a summary digest: sha256:<64 hex digits>, "
                "optionally @YYYY-MM-DD (the date it was published)"
            )
        if match.group(3):
            try:
                date.fromisoformat(match.group(3))
            except ValueError as error:
                raise ValueError(f"{item!r}: {error}") from None
    return value


def published(entry: str) -> tuple[str, str | None]:
    """A recorded published summary as (digest, date or None)."""
    match = _PUBLISHED.match(entry)
    assert match is not None, "validated when recorded"
    return match.group(1), match.group(3)


def comment_ids(value: dict[str, str]) -> dict[str, str]:
    for key, text in value.items():
        if key not in COMMENT_FIELDS:
            raise ValueError(
                f"{key!r} is not an optional comment field of the EU summary "
                f"({', '.join(COMMENT_FIELDS)})"
            )
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"the comment for {key!r} must be non-empty text")
    return value


def labels_need_labelling(record: Any) -> Any:
    if record.label_types and record.labelled is False:
        raise ValueError("label types are given for data recorded as not labelled")
    return record


def parse_coverage(text: str) -> dict[str, Any]:
    """'ATTR=GROUP:VALUE[:VALUE][:BASIS]' as coverage data: VALUE is a count of records
    (20), or a share (0.2 or 20%); BASIS is measured, estimated, declared or unknown.

    Example:
        parse_coverage("locale=en-NG:20:20%:measured")
    """
    head, _, rest = text.partition(":")
    attribute, sep, group = head.partition("=")
    if not sep or not attribute.strip() or not group.strip() or not rest:
        raise ValueError(
            f"{text!r} is not ATTR=GROUP:VALUE[:BASIS] (e.g. locale=en-NG:20:measured or "
            "name_gender=female:48%)"
        )
    out: dict[str, Any] = {"attribute": attribute.strip(), "group": group.strip()}
    for part in (p.strip() for p in rest.split(":")):
        if part in COVERAGE_BASES:
            out["basis"] = part
        elif part.isdigit():
            out["records"] = int(part)
        else:
            try:
                out["share"] = float(part[:-1]) / 100 if part.endswith("%") else float(part)
            except ValueError:
                raise ValueError(
                    f"{part!r} in {text!r} is not a count, a share or a basis "
                    f"({', '.join(COVERAGE_BASES)})"
                ) from None
    return out


def coverage_has_a_figure(record: Any) -> Any:
    if record.records is None and record.share is None:
        raise ValueError("coverage needs records or share (or both)")
    return record


def coverage_items(value: Any) -> Any:
    """Coverage given as text, one mapping or a list of either, as a list (before its check)."""
    if isinstance(value, str | dict):
        value = [value]
    if isinstance(value, list | tuple):
        return [parse_coverage(item) if isinstance(item, str) else item for item in value]
    return value


def shares_fit(value: tuple[Any, ...]) -> tuple[Any, ...]:
    totals: dict[str, float] = {}
    seen: set[tuple[str, str]] = set()
    for item in value:
        key = (item.attribute, item.group)
        if key in seen:
            raise ValueError(f"{item.attribute}={item.group} is given twice")
        seen.add(key)
        totals[item.attribute] = totals.get(item.attribute, 0.0) + (item.share or 0.0)
    for attribute, total in totals.items():
        if total > 1 + 1e-6:
            raise ValueError(f"the shares of {attribute!r} add up to {total:g}, more than 1")
    return value


def parse_period(value: Any) -> tuple[date | None, date | None]:
    """A collection period: START..END, START.. (ongoing) or ..END (start unknown, as
    real cut-off dates often are)."""
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
    else:
        text = str(value)
        if ".." not in text:
            raise ValueError(
                "a collection period is START..END (END empty if ongoing, START empty if unknown)"
            )
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
    if parsed[0] is None and parsed[1] is None:
        raise ValueError("a collection period needs a start or an end date (START..END, ..END)")
    if parsed[0] is not None and parsed[1] is not None and parsed[0] > parsed[1]:
        raise ValueError(f"the period ends ({parsed[1]}) before it starts ({parsed[0]})")
    return parsed[0], parsed[1]


def collection_period(value: Any) -> str | None:
    """A collection period as 'START..END' text (either end may be empty), before its check."""
    if value is None or value == "":
        return None
    start, end = parse_period(value)
    return f"{start or ''}..{end or ''}"


# Facts: what a validated input records, shared by the models and the compiled classes.

# Input fields that are not columns of the record itself: names, relations, or
# fields stored in another form (see `_special_facts`).
NOT_FACTS = frozenset(
    {
        "name",
        "inputs",
        "outputs",
        "write",
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
        "references",
        "excludes",
        "removes_personal_data",
        "method",
        "not_training_mix",
        "coverage",
    }
)


_PLAIN = frozenset({str, int, float, bool})  # values that are their own column value


_SKIPPED: dict[type, tuple[frozenset[str], frozenset[str]]] = {}


def _skipped_fields(cls: type) -> tuple[frozenset[str], frozenset[str]]:
    """The fields of `cls` kept in attrs (disclosure facts, lineage.disclosure), and
    those and NOT_FACTS: the fields that are not a column of their own (cached)."""
    found = _SKIPPED.get(cls)
    if found is None:
        attr_fields = getattr(cls, "_attr_fields", None)
        in_attrs = attr_fields() if attr_fields is not None else frozenset()
        found = _SKIPPED[cls] = (in_attrs, NOT_FACTS | in_attrs)
    return found


class InputFacts:
    """`facts()` of every input: its given fields as the column values they record."""

    __slots__ = ()
    _DEFAULTED: ClassVar[frozenset[str]] = frozenset()  # fields whose default is a fact
    if TYPE_CHECKING:
        attrs: dict[str, Any]
        __pydantic_fields_set__: set[str]

    def facts(self) -> dict[str, Any]:
        """The column values this input records: lists and mappings as canonical JSON
        text, dates as ISO 8601, times in UTC; unset fields are left out."""
        out: dict[str, Any] = {}
        values = self.__dict__
        in_attrs, not_facts = _skipped_fields(type(self))
        # Only fields given (or with a non-empty default) can hold a fact: on bulk
        # loads this skips the dozens of unset fields of every record.
        given = self.__pydantic_fields_set__ | self._DEFAULTED
        for key in given - not_facts:
            value = values[key]
            if value is None:
                continue
            if type(value) in _PLAIN:  # most values: str and int, one test
                pass
            elif isinstance(value, tuple | list | dict):
                if not value:
                    continue
                value = canonical_json(list(value) if isinstance(value, tuple) else value)
            elif isinstance(value, datetime):
                value = utc_text(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[key] = value
        # Every disclosure field defaults to empty: one not given discloses nothing.
        if in_attrs and not in_attrs.isdisjoint(given):
            disclosed = self.disclosure_attrs()  # type: ignore[attr-defined]
            if disclosed:
                out["attrs"] = canonical_json({**self.attrs, **disclosed})
        out.update(self._special_facts())
        return out

    def _special_facts(self) -> dict[str, Any]:
        return {}


_ATTR_FIELDS: dict[type, frozenset[str]] = {}  # each class's disclosure keys


class DisclosureFacts:
    """Disclosure fields (`lineage.disclosure`): those of `_OWN_ATTRS` live in `attrs`."""

    __slots__ = ()

    @classmethod
    def _lift_from_attrs(cls, data: Any) -> Any:
        """Move disclosure keys given in free `attrs` into their fields, to be validated."""
        if not isinstance(data, dict):
            return data
        attrs = data.get("attrs")
        if not isinstance(attrs, dict) or attrs.keys().isdisjoint(cls._attr_fields()):
            return data
        lifted = {k: attrs[k] for k in cls._attr_fields() if k in attrs}
        if not lifted:
            return data
        out = dict(data)
        out["attrs"] = {k: v for k, v in attrs.items() if k not in lifted}
        for key, value in lifted.items():
            given = out.get(key)
            if given in (None, (), []):
                out[key] = value
            elif given != value:
                raise ValueError(f"{key!r} is given both as a field and in attrs, differently")
        return out

    @classmethod
    def _attr_fields(cls) -> frozenset[str]:
        # Asked once or twice per record: walking the MRO through pydantic's class
        # __getattr__ each time cost a fifth of a bulk ingest.
        found = _ATTR_FIELDS.get(cls)
        if found is None:
            keys: set[str] = set()
            for klass in cls.__mro__:
                keys.update(getattr(klass, "_OWN_ATTRS", ()))
            found = _ATTR_FIELDS[cls] = frozenset(keys)
        return found

    def disclosure_attrs(self) -> dict[str, Any]:
        """The disclosure facts given, as JSON values keyed as they are kept in `attrs`."""
        out: dict[str, Any] = {}
        values = self.__dict__
        for key in self._attr_fields():
            value = values.get(key)
            if value is None or value == () or value == {}:
                continue
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[key] = value
        return out


class DataDisclosureFacts(DisclosureFacts):
    __slots__ = ()
    _OWN_ATTRS: ClassVar[tuple[str, ...]] = (
        "purpose",
        "labelled",
        "label_types",
        "ip_protection",
        "aggregate_consumer_information",
        "languages",
    )


class SourceDisclosureFacts(DataDisclosureFacts):
    __slots__ = ()
    _OWN_ATTRS: ClassVar[tuple[str, ...]] = ("supplier", "user_data_from", "product_or_service")


class ModelDisclosureFacts(DisclosureFacts):
    __slots__ = ()
    _OWN_ATTRS: ClassVar[tuple[str, ...]] = (
        "purpose",
        "on_market",
        "release_version",
        "placed_on_market",
        "summary_url",
        "languages",
        "other_characteristics",
        "continuously_trained",
        "synthetic_data_continuous",
        "provider_contact",
        "authorised_representative",
        "code_of_practice_signatory",
        "illegal_content_measures",
        "published_summaries",
        "summary_comments",
    )


class AgentDisclosureFacts(DisclosureFacts):
    __slots__ = ()
    _OWN_ATTRS: ClassVar[tuple[str, ...]] = ("sme", "contact")


class PersonalDataFacts(InputFacts):
    """Sources and datasets: coverage is kept as a JSON list of its figures."""

    __slots__ = ()
    if TYPE_CHECKING:
        coverage: tuple[Any, ...]

    def _special_facts(self) -> dict[str, Any]:
        out = super()._special_facts()
        if self.coverage:
            # Each item's given figures, in field order (a model's dump without None).
            out["coverage"] = canonical_json(
                [
                    {k: v for k, v in item.__dict__.items() if v is not None}
                    for item in self.coverage
                ]
            )
        return out


class SourceFacts(PersonalDataFacts, SourceDisclosureFacts):
    """Sources: the collection period is kept as its two ends."""

    __slots__ = ()
    if TYPE_CHECKING:
        collected: str | None

    def _special_facts(self) -> dict[str, Any]:
        out = super()._special_facts()
        if self.collected:
            start, end = self.collected.split("..")
            out.update({"collected_start": start or None, "collected_end": end or None})
        return out


class DatasetFacts(PersonalDataFacts, DataDisclosureFacts):
    """Datasets: one kept out of training mixes says so in attrs."""

    __slots__ = ()
    if TYPE_CHECKING:
        not_training_mix: bool

    def _special_facts(self) -> dict[str, Any]:
        out = super()._special_facts()
        if self.not_training_mix:
            # Beside, not instead of, the disclosure facts that `facts` keeps in attrs.
            disclosed = self.disclosure_attrs()
            out["attrs"] = canonical_json({**self.attrs, **disclosed, "not_training_mix": True})
        return out


class ModelFacts(InputFacts, ModelDisclosureFacts):
    __slots__ = ()


class AgentFacts(InputFacts, AgentDisclosureFacts):
    """Agents: the type and the software version are columns of their own."""

    __slots__ = ()
    if TYPE_CHECKING:
        type: str
        version: str | None

    def _special_facts(self) -> dict[str, Any]:
        return {"agent_type": self.type, "software_version": self.version}


class CompiledInput:
    """Base of the classes whose instances a compiled validator builds: pydantic_core
    fills the same slots as in a pydantic model; frozen as the models are."""

    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )

    def __setattr__(self, name: str, value: Any) -> None:
        from pydantic_core import ValidationError

        error: Any = {"type": "frozen_instance", "loc": (name,), "input": value}
        raise ValidationError.from_exception_data(type(self).__name__, [error])

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"
