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
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lineage.input_rules import (
    DataDisclosureFacts,
    DisclosureFacts,
    SourceDisclosureFacts,
    labels_need_labelling,
    language_tags,
    public_domain_alone,
)

# The enumerations live in lineage.vocabulary, for the CLI's options to offer them
# without loading pydantic; re-exported here.
from lineage.vocabulary import COMMENT_FIELDS as COMMENT_FIELDS
from lineage.vocabulary import IP_PROTECTIONS as IP_PROTECTIONS
from lineage.vocabulary import SUPPLIERS as SUPPLIERS
from lineage.vocabulary import USER_DATA_FROM as USER_DATA_FROM
from lineage.vocabulary import ConsumerInfo, IpProtection, Supplier, UserDataFrom

_PUBLISHED = re.compile(r"^(sha256:[0-9a-f]{64})(@(\d{4}-\d{2}-\d{2}))?$")
_URL = re.compile(r"^https?://\S+$")

Text = Field(default=None, min_length=1, max_length=10_000)


class _Disclosure(BaseModel, DisclosureFacts):
    """Base of the disclosure mixins: fields listed in `IN_ATTRS` live in `attrs`
    (lineage.input_rules.DisclosureFacts, shared with the compiled validators)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )
    IN_ATTRS: ClassVar[frozenset[str]] = frozenset()

    _lift_from_attrs = model_validator(mode="before")(  # type: ignore[assignment]
        vars(DisclosureFacts)["_lift_from_attrs"]
    )


class DataDisclosure(_Disclosure, DataDisclosureFacts):
    """On sources and datasets: what AB 2013 and the EU summary ask of the data itself."""

    purpose: str | None = Text
    """How the data furthers the intended purpose of the system (AB 2013 (a)(2)); for a
    crawl, the purpose of the crawler (EU 2.3.c)."""
    labelled: bool | None = None
    label_types: tuple[str, ...] = ()
    ip_protection: tuple[IpProtection, ...] = ()
    aggregate_consumer_information: ConsumerInfo | None = None
    languages: tuple[str, ...] = ()

    _languages = field_validator("languages")(language_tags)
    _public_domain_alone = field_validator("ip_protection")(public_domain_alone)
    _labels_need_labelling = model_validator(mode="after")(labels_need_labelling)


class SourceDisclosure(DataDisclosure, SourceDisclosureFacts):
    """On sources: who a bought or licensed source came from; where user data comes from."""

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

    _languages = field_validator("languages")(language_tags)

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
