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

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lineage.input_rules import (
    AgentDisclosureFacts,
    DataDisclosureFacts,
    DisclosureFacts,
    ModelDisclosureFacts,
    SourceDisclosureFacts,
    comment_ids,
    http_url,
    labels_need_labelling,
    language_tags,
    one_or_many,
    public_domain_alone,
    summary_digests,
)
from lineage.input_rules import published as published  # re-exported

# The enumerations live in lineage.vocabulary, for the CLI's options to offer them
# without loading pydantic; re-exported here.
from lineage.vocabulary import COMMENT_FIELDS as COMMENT_FIELDS
from lineage.vocabulary import IP_PROTECTIONS as IP_PROTECTIONS
from lineage.vocabulary import SUPPLIERS as SUPPLIERS
from lineage.vocabulary import USER_DATA_FROM as USER_DATA_FROM
from lineage.vocabulary import ConsumerInfo, IpProtection, Supplier, UserDataFrom

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


class ModelDisclosure(_Disclosure, ModelDisclosureFacts):
    """On models: what the EU summary and AB 2013 ask about the model and its provider."""

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

    _url = field_validator("summary_url")(http_url)
    _one_or_many = field_validator("published_summaries", mode="before")(one_or_many)
    _digests = field_validator("published_summaries")(summary_digests)
    _comment_ids = field_validator("summary_comments")(comment_ids)


class AgentDisclosure(_Disclosure, AgentDisclosureFacts):
    """On agents: a provider being a small or medium-sized enterprise (EU 2.3.h)."""

    sme: bool | None = None
    contact: str | None = Text


class RunDisclosure(_Disclosure):
    """On runs: the intended purpose of a processing step (AB 2013 (a)(9))."""

    _OWN_ATTRS: ClassVar[tuple[str, ...]] = ("purpose",)
    purpose: str | None = Text


ATTR_KEYS: frozenset[str] = frozenset(
    key
    for model in (SourceDisclosure, ModelDisclosure, AgentDisclosure, RunDisclosure)
    for key in model._attr_fields()
)
"""Every key of `attrs` that holds a disclosure fact, and is validated as one."""
