"""Facts the regulators' training-data summaries ask for, validated, and kept in `attrs`.

The EU AI Act's public summary (Art. 53(1)(d)) and California's AB 2013 ask
questions the core columns cannot answer: who a bought dataset came from, which
interactions user data comes from, whether a model is on the market, the
languages of the data, the purpose of each processing step. Each is a typed
field here, on the CLI, in manifests and in the Python API alike, and is stored
under the same key in the record's `attrs` rather than as a new column: a new
column would change the seal (SHA-256 over every column) of every row already
recorded, which `audit verify` would then report as altered.

The same key given through free `attrs` (`--attr sme=true`) is validated exactly
as the field is, so a summary never reads an unchecked value.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Who a licensed or purchased source came from: the template's 2.2.1 (commercial
# licence from the rightsholders or their representatives) versus 2.2.2 (another
# third party: a data broker, a private database, a data intermediary).
Supplier = Literal["rightsholder", "third-party"]
# Which interactions user data comes from (template 2.4.a versus 2.4.b).
UserDataFrom = Literal["model", "other-services"]
# AB 2013 (a)(5): the rights protecting the data, or that it is entirely public domain.
IpProtection = Literal["copyright", "trademark", "patent", "public-domain"]
ConsumerInfo = Literal["yes", "no", "unknown"]

SUPPLIERS: tuple[str, ...] = get_args(Supplier)
USER_DATA_FROM: tuple[str, ...] = get_args(UserDataFrom)
IP_PROTECTIONS: tuple[str, ...] = get_args(IpProtection)

# The template's optional comment fields, by the ids REGULATIONS.md gives them.
COMMENT_FIELDS: tuple[str, ...] = (
    "1.3.g",
    "2.1.e",
    "2.2.2.e",
    "2.3.i",
    "2.4.e",
    "2.5.e",
    "2.6.c",
    "3.1.c",
    "3.3.a",
)

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PUBLISHED = re.compile(r"^(sha256:[0-9a-f]{64})(@(\d{4}-\d{2}-\d{2}))?$")
_URL = re.compile(r"^https?://\S+$")

Text = Field(default=None, min_length=1, max_length=10_000)
_ATTR_FIELDS: dict[type, frozenset[str]] = {}  # each class's disclosure keys


class _Disclosure(BaseModel):
    """Base of the disclosure mixins: fields listed in `IN_ATTRS` live in `attrs`."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )
    IN_ATTRS: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _lift_from_attrs(cls, data: Any) -> Any:
        """Move disclosure keys given in free `attrs` into their fields, to be validated."""
        if not isinstance(data, dict):
            return data
        attrs = data.get("attrs")
        if not isinstance(attrs, dict):
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


class DataDisclosure(_Disclosure):
    """On sources and datasets: what AB 2013 and the EU summary ask of the data itself."""

    _OWN_ATTRS: ClassVar[tuple[str, ...]] = (
        "purpose",
        "labelled",
        "label_types",
        "ip_protection",
        "aggregate_consumer_information",
        "languages",
    )
    purpose: str | None = Text
    """How the data furthers the intended purpose of the system (AB 2013 (a)(2)); for a
    crawl, the purpose of the crawler (EU 2.3.c)."""
    labelled: bool | None = None
    label_types: tuple[str, ...] = ()
    ip_protection: tuple[IpProtection, ...] = ()
    aggregate_consumer_information: ConsumerInfo | None = None
    languages: tuple[str, ...] = ()

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _language_tags(value)

    @field_validator("ip_protection")
    @classmethod
    def _public_domain_alone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if "public-domain" in value and len(set(value)) > 1:
            raise ValueError("data that is entirely public domain is not also protected")
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _labels_need_labelling(self) -> DataDisclosure:
        if self.label_types and self.labelled is False:
            raise ValueError("label types are given for data recorded as not labelled")
        return self


class SourceDisclosure(DataDisclosure):
    """On sources: who a bought or licensed source came from; where user data comes from."""

    _OWN_ATTRS: ClassVar[tuple[str, ...]] = ("supplier", "user_data_from", "product_or_service")
    supplier: Supplier | None = None
    user_data_from: tuple[UserDataFrom, ...] = ()
    product_or_service: str | None = Text


class ModelDisclosure(_Disclosure):
    """On models: what the EU summary and AB 2013 ask about the model and its provider."""

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
    purpose: str | None = Text
    on_market: bool | None = None
    release_version: str | None = Field(default=None, min_length=1, max_length=200)
    placed_on_market: date | None = None
    summary_url: str | None = None
    languages: tuple[str, ...] = ()
    other_characteristics: str | None = Text
    continuously_trained: bool | None = None
    synthetic_data_continuous: bool | None = None
    provider_contact: str | None = Text
    authorised_representative: str | None = Text
    code_of_practice_signatory: bool | None = None
    illegal_content_measures: str | None = Text
    published_summaries: tuple[str, ...] = ()
    """Digests of the EU summaries published so far, oldest first ('sha256:HEX@DATE')."""
    summary_comments: dict[str, str] = Field(default_factory=dict)
    """The template's optional comment fields, by id ('2.3.i': 'text')."""

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _language_tags(value)

    @field_validator("summary_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("published_summaries", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("published_summaries")
    @classmethod
    def _digests(cls, value: tuple[str, ...]) -> tuple[str, ...]:
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

    @field_validator("summary_comments")
    @classmethod
    def _comment_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            if key not in COMMENT_FIELDS:
                raise ValueError(
                    f"{key!r} is not an optional comment field of the EU summary "
                    f"({', '.join(COMMENT_FIELDS)})"
                )
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"the comment for {key!r} must be non-empty text")
        return value


class AgentDisclosure(_Disclosure):
    """On agents: a provider being a small or medium-sized enterprise (EU 2.3.h)."""

    _OWN_ATTRS: ClassVar[tuple[str, ...]] = ("sme", "contact")
    sme: bool | None = None
    contact: str | None = Text


class RunDisclosure(_Disclosure):
    """On runs: the intended purpose of a processing step (AB 2013 (a)(9))."""

    _OWN_ATTRS: ClassVar[tuple[str, ...]] = ("purpose",)
    purpose: str | None = Text


def _language_tags(value: tuple[str, ...]) -> tuple[str, ...]:
    for tag in value:
        if not _LANGUAGE.match(tag):
            raise ValueError(f"{tag!r} is not a language tag (BCP 47, e.g. en, de, pt-BR)")
    return tuple(dict.fromkeys(value))


def published(entry: str) -> tuple[str, str | None]:
    """A recorded published summary as (digest, date or None)."""
    match = _PUBLISHED.match(entry)
    assert match is not None, "validated when recorded"
    return match.group(1), match.group(3)


ATTR_KEYS: frozenset[str] = frozenset(
    key
    for model in (SourceDisclosure, ModelDisclosure, AgentDisclosure, RunDisclosure)
    for key in model._attr_fields()
)
"""Every key of `attrs` that holds a disclosure fact, and is validated as one."""
