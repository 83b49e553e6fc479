"""The public summary of training content that AI Act Art. 53(1)(d) requires.

Section headings and size ranges follow the Commission's "Template for the Public
Summary of Training Content for general-purpose AI models", annexed to its
Explanatory Notice of 24 July 2025 (C(2025) 5235; re-issued as C(2025) 8311):
https://digital-strategy.ec.europa.eu/en/library/explanatory-notice-and-template-public-summary-training-content-general-purpose-ai-models

Every field of the template is answered, with its label verbatim and in the
template's order (the labels of REGULATIONS.md, which agree word for word across
published summaries); each field's `key` is its id there ('2.2.1.a'). A field the
store cannot answer is a gap, never a guessed "No": a category is "No" only when
every source in scope records how it was obtained. The optional comment fields
appear only when recorded (`--summary-comment ID=TEXT`).

The summary covers the target's own training data: the walk upstream stops at
other models, and a fine-tuned model points to its base model's summary (see
`lineage.reports.scope`). The facts beyond the core columns are the disclosure
facts of `lineage.disclosure`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from lineage.checks import CheckResult, Trail
from lineage.disclosure import published
from lineage.reports import domains
from lineage.reports.claims import Draft, human_bytes, plain
from lineage.reports.model import Claim, Field, Fields, Paragraph, Section, Table
from lineage.reports.scope import Scope, own_scope, providers

TEMPLATE_NAME = (
    "Template for the Public Summary of Training Content for general-purpose AI models "
    "(European Commission, 24 July 2025), Article 53(1)(d) of Regulation (EU) 2024/1689"
)
MODALITIES = ("text", "image", "audio", "video", "other")
# Section 1.3: the ranges a provider selects the training data size of each modality from.
SIZE_RANGES: dict[str, tuple[tuple[float, str], ...]] = {
    "text": (
        (1e9, "Less than 1 billion tokens"),
        (1e13, "1 billion to 10 trillion tokens"),
        (float("inf"), "More than 10 trillion tokens"),
    ),
    "image": (
        (1e6, "Less than 1 million images"),
        (1e9, "1 million to 1 billion images"),
        (float("inf"), "More than 1 billion images"),
    ),
    "audio": (
        (1e4, "Less than 10,000 hours"),
        (1e6, "10,000 to 1 million hours"),
        (float("inf"), "More than 1 million hours"),
    ),
    "video": (
        (1e4, "Less than 10,000 hours"),
        (1e6, "10,000 to 1 million hours"),
        (float("inf"), "More than 1 million hours"),
    ),
}
UNITS = {"text": "tokens", "image": "images", "audio": "hours", "video": "hours"}

# The template's labels, verbatim (REGULATIONS.md), by field id.
LABELS: dict[str, str] = {
    "0.a": "Version of the Summary",
    "0.b": "Last update",
    "1.1.a": "Provider name and contact details",
    "1.1.b": "Authorised representative name and contact details",
    "1.2.a": "Versioned model name(s)",
    "1.2.b": "Model dependencies",
    "1.2.c": "Date of placement of the model on the Union market",
    "1.3.a": "Modality",
    "1.3.b": "Training data size",
    "1.3.c": "Types of content",
    "1.3.d": "Latest date of data acquisition/collection for model training",
    "1.3.e": "Description of the linguistic characteristics of the overall training data",
    "1.3.f": "Other relevant characteristics of the overall training data",
    "1.3.g": "Additional comments (optional)",
    "2.1.a": "Have you used publicly available datasets to train the model?",
    "2.1.b": "Modality(ies) of the content covered",
    "2.1.c": "List of large publicly available datasets",
    "2.1.d": "General description of other publicly available datasets not listed above",
    "2.1.e": "Additional comments (optional)",
    "2.2.1.a": "Have you concluded transactional commercial licensing agreement(s) with "
    "rightsholder(s) or with their representatives?",
    "2.2.1.b": "Modality(ies) covered",
    "2.2.2.a": "Have you obtained private datasets from third parties not licensed as in 2.2.1 "
    "(providers of private databases, data intermediaries)?",
    "2.2.2.b": "Modality(ies) covered",
    "2.2.2.c": "If publicly known, list private datasets obtained from other third parties",
    "2.2.2.d": "General description of non-publicly known private datasets obtained from third "
    "parties",
    "2.2.2.e": "Additional comments (optional)",
    "2.3.a": "Were crawlers used by the provider or on its behalf?",
    "2.3.b": "Crawler name(s)/identifier(s)",
    "2.3.c": "Purposes of the crawler(s)",
    "2.3.d": "General description of crawler behaviour",
    "2.3.e": "Period of data collection",
    "2.3.f": "Comprehensive description of the type of content and online sources crawled",
    "2.3.g": "Type of modality covered",
    "2.3.h": "Summary of the most relevant domain names crawled",
    "2.3.i": "Additional comments (optional)",
    "2.4.a": "Was data from user interactions with the AI model (e.g. user input and prompts) "
    "used to train the model?",
    "2.4.b": "Was data collected from user interactions with the provider's other services or "
    "products used?",
    "2.4.c": "General description of the provider's services or products used to collect the "
    "user data",
    "2.4.d": "Type of modality covered",
    "2.4.e": "Additional comments (optional)",
    "2.5.a": "Was synthetic AI-generated data created by the provider or on its behalf to train "
    "the model?",
    "2.5.b": "Modality of the synthetic data",
    "2.5.c": "General-purpose AI model(s) used to generate the synthetic data, if available on "
    "the market",
    "2.5.d": "Information about other AI models, including the provider's own not on the market",
    "2.5.e": "Additional comments (optional)",
    "2.6.a": "Have data sources other than those in 2.1 to 2.5 been used?",
    "2.6.b": "Narrative description of these data sources and the data",
    "2.6.c": "Additional comments (optional)",
    "3.1.a": "Are you a Signatory to the Code of Practice ... respecting TDM reservations?",
    "3.1.b": "Describe the measures taken before and during collection to respect TDM "
    "reservations, incl. opt-out protocols honoured by the provider or by the third parties "
    "the data came from",
    "3.1.c": "Additional comments (optional)",
    "3.2.a": "General description of measures taken (removal of illegal content)",
    "3.3.a": "Other relevant information about data processing (optional)",
}
OPTIONAL = frozenset(key for key, label in LABELS.items() if label.endswith("(optional)"))


def size_range(modality: str, amount: float) -> str:
    """The template's range for `amount` tokens, images or hours of `modality`."""
    for upper, label in SIZE_RANGES[modality]:
        if amount < upper:
            return label
    raise AssertionError("the last range is unbounded")


def template_modality(recorded: str) -> str:
    """The template's modality for a recorded one: source code is text."""
    return "text" if recorded == "code" else recorded


def modalities_of(trail: Trail, node: str) -> list[str]:
    """The template modalities recorded on a record, sorted."""
    return sorted({template_modality(m) for m in trail.facts(node).get("modality") or ()})


def attrs_of(trail: Trail, node: str) -> Mapping[str, Any]:
    attrs = trail.facts(node).get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def training_inputs(trail: Trail, scope: Scope) -> list[str]:
    """The data the target was trained on: its generating run's inputs, models aside.

    For a dataset or source, or a model without a recorded run, the target itself
    or its sources.
    """
    target = trail.target
    if trail.target_kind != "model":
        return [target]
    run = trail.generated_by(target)
    if run is None:
        return list(scope.sources)
    return [n for n in trail.depends_on(run, ("used",)) if trail.facts(n)["kind"] != "model"]


SHOWN = 20
"""How many records or descriptions a field's text names before it counts the rest: the
claim's records (and the JSON report) hold every one."""


def some(items: Sequence[str], sep: str = "; ") -> str:
    """`items` joined, the first SHOWN of them, and how many more there are."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= SHOWN:
        return sep.join(unique)
    return sep.join(unique[:SHOWN]) + f"{sep}and {len(unique) - SHOWN:,} more"


def lacking(known: str, missing: Sequence[str]) -> str:
    """A partial answer: what the records that say it say, then the records that do not."""
    return f"{known}; not recorded for {some(missing, ', ')}"


def month(day: str) -> str:
    """'2025-05-31' as the template's MM/YYYY."""
    return f"{day[5:7]}/{day[:4]}"


class _Summary:
    """Fills the template field by field from one trail."""

    def __init__(self, draft: Draft, trail: Trail) -> None:
        self.draft = draft
        self.trail = trail
        self.scope = own_scope(trail)
        self.target = trail.target
        self.model = attrs_of(trail, trail.target)
        self.sources = list(self.scope.sources)
        self.unknown = [s for s in self.sources if not trail.facts(s).get("obtained")]
        for source in self.unknown:
            draft.gap(source, "obtained", "how it was obtained (the summary's category)")

    # -- helpers ----------------------------------------------------------------------
    def field(self, key: str, claim: Claim) -> Field:
        return Field(key, LABELS[key], claim)

    def comment(self, key: str) -> tuple[Field, ...]:
        """An optional comment field, only when recorded."""
        comments = self.model.get("summary_comments")
        text = comments.get(key) if isinstance(comments, dict) else None
        if not text:
            return ()
        return (self.field(key, self.draft.recorded(str(text), [self.target])),)

    def model_fact(self, key: str, question: str) -> Claim:
        value = self.model.get(key)
        if value in (None, "", [], {}):
            return self.draft.unknown(self.target, f"attrs.{key}", question, [self.target])
        return self.draft.recorded(plain(value), [self.target])

    def by_obtained(self, *ways: str) -> list[str]:
        return [s for s in self.sources if self.trail.facts(s).get("obtained") in ways]

    def yes_no(
        self, yes: Sequence[str], unknown: Sequence[str], considered: Sequence[str]
    ) -> Claim:
        """'Yes' citing `yes`; a gap while any of `unknown` could still be one; else 'No'."""
        if yes:
            return self.draft.derived("Yes", yes)
        if unknown:
            return self.draft.recorded(None, unknown)
        return self.draft.derived("No", considered)

    def none(self, unknown: Sequence[str]) -> Claim:
        """'not applicable' for an empty category, unless sources of unknown category remain."""
        if unknown:
            return self.draft.partial(None, unknown)
        return self.draft.derived("not applicable")

    def modalities(self, nodes: Sequence[str], unknown: Sequence[str]) -> Claim:
        """The modalities of a category's sources; incomplete while `unknown` may belong to it."""
        if not nodes:
            return self.none(unknown)
        missing = [n for n in nodes if not self.trail.facts(n).get("modality")]
        for node in missing:
            self.draft.gap(node, "modality", "its modality")
        found = sorted({m for n in nodes for m in modalities_of(self.trail, n)})
        if missing:
            return self.draft.partial(lacking(", ".join(found), missing) if found else None, nodes)
        if unknown:
            return self.draft.partial(", ".join(found), [*nodes, *unknown])
        return self.draft.derived(", ".join(found), nodes)

    def listing(self, nodes: Sequence[str], *, description: bool = True) -> Table:
        rows = []
        exact = self.draft.options.exact_sizes
        for node in nodes:
            facts = self.trail.facts(node)
            row = [
                self.draft.title(node),
                self.draft.fact(node, "uri", "a link to it"),
                self.draft.fact(node, "owner", "who publishes or supplies it", gap=False),
                self.draft.derived(", ".join(modalities_of(self.trail, node)) or "-", [node]),
                self.draft.recorded(
                    _period(facts), [node], gap=(node, "collected", "when it was collected")
                ),
            ]
            if description:
                row.append(self.draft.fact(node, "description", "what it is and how it was chosen"))
            if exact:
                row.append(self.draft.derived(_size_text(facts) or "not recorded", [node]))
            rows.append(tuple(row))
        self.draft.leave_row()  # fields may follow the table: they are about the target
        keys = ["dataset", "link", "owner", "modality", "collection_period"]
        columns = ["Dataset", "Link", "Owner or supplier", "Modality", "Collection period"]
        if description:
            keys.append("description")
            columns.append("Description and selection")
        if exact:
            keys.append("size")
            columns.append("Size")
        return Table(tuple(keys), tuple(columns), tuple(rows))

    # -- 0. About the summary ---------------------------------------------------------
    def version(self, digest: str) -> tuple[Field, Field]:
        entries = [published(e) for e in self.model.get("published_summaries") or ()]
        digests = [d for d, _ in entries]
        if digest in digests:
            number = digests.index(digest) + 1
            earlier = entries[: number - 1]
            state = "published"
            when = entries[number - 1][1]
        else:
            # A content digest not recorded as published: the next version, once it is.
            distinct = list(dict.fromkeys(digests))
            number = len(distinct) + 1
            earlier = [e for e in entries if e[0] in distinct]
            state = "not yet recorded as published"
            when = None
        text = f"{number} (content {digest}, {state})"
        if earlier:
            text += "; earlier versions: " + "; ".join(
                f"{i} ({d}{f', published {w}' if w else ''})"
                for i, (d, w) in enumerate(earlier, start=1)
            )
        draft = self.draft
        version = draft.derived(text, [self.target])
        if when:
            last = draft.recorded(f"{when[8:10]}/{when[5:7]}/{when[:4]}", [self.target])
        else:
            last = draft.derived(
                self.trail.moment.strftime("%d/%m/%Y") + " (this version, not yet published)"
            )
        return self.field("0.a", version), self.field("0.b", last)

    # -- 1. General information -------------------------------------------------------
    def provider(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-1.1"
        owner = trail.facts(self.target).get("owner")
        agents = providers(trail)
        contact = self.model.get("provider_contact") or next(
            (
                attrs_of(trail, a).get("contact")
                for a in agents
                if attrs_of(trail, a).get("contact")
            ),
            None,
        )
        refs = [self.target, *agents]
        if owner and contact:
            provider = draft.recorded(f"{owner}; {contact}", refs)
        else:
            if not owner:
                draft.gap(self.target, "owner", "the provider's name")
            if not contact:
                draft.gap(self.target, "attrs.provider_contact", "the provider's contact details")
            provider = draft.partial(
                f"{owner}; contact details not recorded" if owner else None, refs
            )
        fields = (
            self.field("1.1.a", provider),
            self.field(
                "1.1.b",
                self.model_fact(
                    "authorised_representative",
                    "the authorised representative (providers established outside the "
                    "Union), or 'not applicable'",
                ),
            ),
        )
        return Section("eu-1.1", "1.1. Provider identification", (Fields(fields),))

    def identification(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-1.2"
        facts = trail.facts(self.target)
        release = self.model.get("release_version")
        if trail.target_kind != "model":
            name = draft.derived(f"{facts['name']} (a {trail.target_kind}, not a model)")
        elif release:
            name = draft.recorded(f"{facts['name']} {release}", [self.target])
        else:
            name = draft.partial(f"{facts['name']} (release version not recorded)", [self.target])
            draft.gap(self.target, "attrs.release_version", "the model's release version")
        run = trail.generated_by(self.target) if trail.target_kind == "model" else None
        bases = list(self.scope.bases)
        if bases:
            parts, missing = [], []
            for base in bases:
                link = attrs_of(trail, base).get("summary_url")
                owner = trail.facts(base).get("owner")
                text = str(trail.facts(base)["name"]) + (f" ({owner})" if owner else "")
                if link:
                    text += f", its summary: {link}"
                else:
                    missing.append(base)
                    draft.gap(base, "attrs.summary_url", "a link to the base model's summary")
                    text += ", its summary: not recorded"
                parts.append(text)
            dependencies = (draft.partial if missing else draft.recorded)(
                "Modified or fine-tuned from " + "; ".join(parts), [*([run] if run else []), *bases]
            )
        elif run:
            dependencies = draft.derived(
                f"None: {run} made the model from data alone, using no other model", [run]
            )
        else:
            dependencies = draft.unknown(
                self.target,
                "generated_by",
                "which run made the model, and whether it was modified from another model",
                [self.target],
            )
        on_market = self.model.get("on_market")
        placed = self.model.get("placed_on_market")
        if placed:
            placement = draft.recorded(str(placed), [self.target])
        elif on_market is False:
            placement = draft.recorded("Not placed on the Union market", [self.target])
        else:
            placement = draft.unknown(
                self.target,
                "attrs.placed_on_market",
                "the date the model was placed on the Union market",
                [self.target],
            )
        fields = (
            self.field("1.2.a", name),
            self.field("1.2.b", dependencies),
            self.field("1.2.c", placement),
        )
        blocks: list[Any] = [Fields(fields)]
        if bases:
            blocks.append(
                Paragraph(
                    "This summary covers the data of the modification only: the training data "
                    "of the model(s) it was modified or fine-tuned from is described in their "
                    "own summaries, linked above."
                )
            )
        return Section("eu-1.2", "1.2. Model identification", tuple(blocks))

    def characteristics(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-1.3"
        inputs = training_inputs(trail, self.scope)
        present = [m for m in MODALITIES if any(m in modalities_of(trail, n) for n in inputs)]
        unmarked = [n for n in inputs if not trail.facts(n).get("modality")]
        for node in unmarked:
            draft.gap(node, "modality", "its modality")
        if unmarked:
            modality = draft.partial(
                lacking(", ".join(present), unmarked) if present else None, inputs
            )
        else:
            modality = draft.derived(", ".join(present) or "none recorded", inputs)
        sizes: list[str] = []
        unsized: dict[str, None] = {}  # the inputs whose size of some modality is missing
        for m in present:
            holders = [n for n in inputs if m in modalities_of(trail, n)]
            text, missing = self._size(m, holders)
            if text is None:
                unsized.update(dict.fromkeys(missing))
            else:
                sizes.append(f"{m}: {text}")
        if sizes and not unsized:
            size = draft.derived("; ".join(sizes), inputs)
        else:
            size = draft.partial(
                lacking("; ".join(sizes), list(unsized)) if sizes else None, inputs
            )
        kinds = []
        for m in present:
            holders = [s for s in self.sources if m in modalities_of(trail, s)]
            types = sorted({t for s in holders for t in trail.facts(s).get("data_types") or ()})
            for s in holders:
                if not trail.facts(s).get("data_types"):
                    draft.gap(s, "data_types", "the types of content it holds")
            kinds.append(f"{m}: {', '.join(types) or 'not recorded'}")
        untyped = [s for s in self.sources if not trail.facts(s).get("data_types")]
        if kinds and not untyped:
            content = draft.recorded("; ".join(kinds), self.sources)
        else:
            content = draft.partial(
                lacking("; ".join(kinds), untyped) if kinds else None, self.sources
            )
        fields = [
            self.field("1.3.a", modality),
            self.field("1.3.b", size),
            self.field("1.3.c", content),
            self.field("1.3.d", self._latest()),
            self.field("1.3.e", self._languages()),
            self.field(
                "1.3.f",
                self.model_fact(
                    "other_characteristics",
                    "other relevant characteristics of the training data (national, regional, "
                    "demographic)",
                ),
            ),
            *self.comment("1.3.g"),
        ]
        basis = Paragraph(
            "Sizes are those of the data the model was trained on, after pre-processing: the "
            f"inputs of its training run ({', '.join(inputs) or 'none recorded'}); "
            + (
                "exact figures are given beside the template's ranges, as the provider chose."
                if draft.options.exact_sizes
                else "as the template's ranges."
            )
        )
        return Section(
            "eu-1.3",
            "1.3. Modalities, overall training data size and other characteristics",
            (Fields(tuple(fields)), basis),
        )

    def _size(self, modality: str, holders: list[str]) -> tuple[str | None, list[str]]:
        """The size range of `modality` over `holders`, or None and the holders without one."""
        unit = UNITS.get(modality)
        amounts: list[Any] = []
        for node in holders:
            facts = self.trail.facts(node)
            if unit == "tokens":
                amounts.append(facts.get("tokens"))
            elif unit == "images":
                amounts.append(facts.get("records"))
            elif unit == "hours":
                amounts.append(attrs_of(self.trail, node).get("hours"))
            else:
                amounts.append(None)
        missing = [n for n, a in zip(holders, amounts, strict=True) if a is None]
        if missing:
            what = unit or "size"
            for node in missing:
                self.draft.gap(node, f"size.{modality}", f"the {what} of its {modality} data")
            return None, missing
        total = sum(float(a) for a in amounts)
        text = size_range(modality, total)
        if self.draft.options.exact_sizes:
            text += f" ({total:,.0f} {unit})" if unit != "hours" else f" ({total:,.1f} hours)"
        return text, []

    def _latest(self) -> Claim:
        draft, trail = self.draft, self.trail
        ends = sorted(
            (str(trail.facts(s)["collected_end"]), s)
            for s in self.sources
            if trail.facts(s).get("collected_end")
        )
        ongoing = [
            s
            for s in self.sources
            if trail.facts(s).get("collected_start") and not trail.facts(s).get("collected_end")
        ]
        # A period with an unknown start ('..2023-03-31') still dates the source's end.
        undated = [
            s
            for s in self.sources
            if not trail.facts(s).get("collected_start") and not trail.facts(s).get("collected_end")
        ]
        for source in undated:
            draft.gap(source, "collected", "when it was collected")
        continuous = self.model.get("continuously_trained")
        if continuous is None:
            draft.gap(
                self.target,
                "attrs.continuously_trained",
                "whether the model keeps being trained on newer data",
            )
        parts = []
        last: list[str] = []
        total = len(self.sources)
        if ends:
            end = ends[-1][0]
            last = [s for e, s in ends if e == end]  # every source that ended that day
            latest = f"{month(end)} (end of collection of {', '.join(last)})"
            if undated:
                # One dated source among undated ones says nothing about the others: the
                # Pile's "12/2002" came from its Enron e-mails alone, with 21 parts undated.
                parts.append(
                    f"not known: {len(undated)} of {total} sources record no collection "
                    f"period ({some(undated, ', ')}); the latest recorded is {latest}, "
                    f"from {len(ends)} of {total} sources"
                )
            else:
                parts.append(latest)
        elif undated:
            parts.append(f"no collection period recorded for {len(undated)} of {total}")
        if ongoing:
            parts.append("collection is ongoing for " + some(ongoing, ", "))
        if continuous is not None:
            parts.append(
                "the model is continuously trained on newer data"
                if continuous
                else "the model is not trained further on newer data"
            )
        refs = [*last, *ongoing, *undated, self.target]
        if not ends or undated or continuous is None:
            return draft.partial("; ".join(parts) or None, refs)
        return draft.derived("; ".join(parts), refs)

    def _languages(self) -> Claim:
        draft, trail = self.draft, self.trail
        recorded = self.model.get("languages")
        if recorded:
            return draft.recorded(plain(recorded), [self.target])
        having = [s for s in self.sources if attrs_of(trail, s).get("languages")]
        missing = [s for s in self.sources if s not in having]
        if not having or missing:
            draft.gap(self.target, "attrs.languages", "the languages of the training data")
            for source in missing:
                draft.gap(source, "attrs.languages", "the languages of its data")
        found = sorted({lang for s in having for lang in attrs_of(trail, s)["languages"]})
        if missing or not found:
            return draft.partial(
                lacking(", ".join(found), missing) if found else None, [*having, *missing]
            )
        return draft.derived(", ".join(found), having)

    # -- 2. List of data sources ------------------------------------------------------
    def public(self) -> Section:
        draft = self.draft
        draft.section = "eu-2.1"
        public = self.by_obtained("public")
        fields: list[Field] = [
            self.field("2.1.a", self.yes_no(public, self.unknown, self.sources)),
            self.field("2.1.b", self.modalities(public, self.unknown)),
            self.field(
                "2.1.c",
                draft.derived(f"{len(public)} datasets, listed below", public)
                if public
                else self.none(self.unknown),
            ),
            self.field(
                "2.1.d",
                draft.derived("None: every publicly available dataset is listed in 2.1.c", public)
                if public
                else self.none(self.unknown),
            ),
            *self.comment("2.1.e"),
        ]
        blocks: list[Any] = [Fields(tuple(fields))]
        if public:
            blocks.append(self.listing(public))
        return Section("eu-2.1", "2.1. Publicly available datasets", tuple(blocks))

    def private(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-2.2"
        bought = self.by_obtained("licensed", "purchased")
        unattributed = [s for s in bought if not attrs_of(trail, s).get("supplier")]
        for source in unattributed:
            draft.gap(
                source,
                "attrs.supplier",
                "whether it came from the rightsholder (or its representative) or another "
                "third party (2.2.1 or 2.2.2)",
            )
        rightsholders = [s for s in bought if attrs_of(trail, s).get("supplier") == "rightsholder"]
        others = [s for s in bought if attrs_of(trail, s).get("supplier") == "third-party"]
        unknown = [*self.unknown, *unattributed]
        s221 = Section(
            "eu-2.2.1",
            "2.2.1. Datasets commercially licensed by rightsholders or their representatives",
            (
                Fields(
                    (
                        self.field("2.2.1.a", self.yes_no(rightsholders, unknown, self.sources)),
                        self.field("2.2.1.b", self.modalities(rightsholders, unknown)),
                    )
                ),
            ),
        )
        known = [s for s in others if trail.facts(s).get("uri")]
        private = [s for s in others if not trail.facts(s).get("uri")]
        draft.section = "eu-2.2.2"
        listed = (
            draft.derived(f"{len(known)} datasets, listed below", known)
            if known
            else draft.derived("None publicly known", others)
            if others
            else self.none(unknown)
        )
        undescribed = [s for s in private if not trail.facts(s).get("description")]
        described = (
            (draft.partial if undescribed else draft.recorded)(
                some(
                    [
                        f"{s}: {trail.facts(s).get('description') or 'no description recorded'}"
                        for s in private
                    ]
                ),
                private,
            )
            if private
            else draft.derived("None", others)
            if others
            else self.none(unknown)
        )
        for source in private:
            if not trail.facts(source).get("description"):
                draft.gap(source, "description", "a general description of it")
        s222_blocks: list[Any] = [
            Fields(
                (
                    self.field("2.2.2.a", self.yes_no(others, unknown, self.sources)),
                    self.field("2.2.2.b", self.modalities(others, unknown)),
                    self.field("2.2.2.c", listed),
                    self.field("2.2.2.d", described),
                    *self.comment("2.2.2.e"),
                )
            )
        ]
        if known:
            s222_blocks.append(self.listing(known))
        s222 = Section(
            "eu-2.2.2",
            "2.2.2. Private datasets obtained from other third parties",
            tuple(s222_blocks),
        )
        return Section(
            "eu-2.2",
            "2.2. Private non-publicly available datasets obtained from third parties",
            (),
            (s221, s222),
        )

    def crawled(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-2.3"
        crawled = self.by_obtained("crawled")
        names, purposes, behaviours, content = [], [], [], []
        # The crawled sources that do not say, per field: a partial answer names them.
        unnamed, unexplained, undescribed = [], [], []
        for node in crawled:
            attrs = attrs_of(trail, node)
            facts = trail.facts(node)
            crawler = attrs.get("crawler") or attrs.get("scraper")
            if crawler:
                names.append(str(crawler))
            else:
                unnamed.append(node)
                draft.gap(node, "attrs.crawler", "the name of the crawler")
            if attrs.get("purpose"):
                purposes.append(f"{node}: {attrs['purpose']}")
            else:
                unexplained.append(node)
                draft.gap(node, "attrs.purpose", "the purpose of the crawl")
            behaviour = [f"text-and-data-mining opt-outs {facts.get('opt_outs') or 'not recorded'}"]
            behaviour += [
                f"{key.replace('_', ' ')}: {plain(attrs[key])}"
                for key in ("robots_log", "paywalls", "logins", "captchas")
                if attrs.get(key)
            ]
            if facts.get("opt_outs") in (None, "unknown"):
                draft.gap(node, "opt_outs", "whether text-and-data-mining opt-outs were honoured")
            behaviours.append(f"{node}: {', '.join(behaviour)}")
            parts = [plain(facts["data_types"])] if facts.get("data_types") else []
            if attrs.get("languages"):
                parts.append("languages " + plain(attrs["languages"]))
            if facts.get("description"):
                parts.append(str(facts["description"]))
            if parts:
                content.append(f"{node}: {'; '.join(parts)}")
            else:
                undescribed.append(node)
                draft.gap(node, "data_types", "the types of content collected")
        starts = sorted(
            str(trail.facts(s)["collected_start"])
            for s in crawled
            if trail.facts(s).get("collected_start")
        )
        ends = sorted(
            str(trail.facts(s)["collected_end"])
            for s in crawled
            if trail.facts(s).get("collected_end")
        )
        open_ended = [
            s
            for s in crawled
            if trail.facts(s).get("collected_start") and not trail.facts(s).get("collected_end")
        ]
        undated = [s for s in crawled if not trail.facts(s).get("collected_start")]
        for node in undated:
            draft.gap(node, "collected", "when it was collected")
        if not crawled:
            period = self.none(self.unknown)
        elif undated:
            period = draft.recorded(None, undated)
        else:
            period = draft.recorded(
                f"{month(starts[0])} to " + ("ongoing" if open_ended else month(ends[-1])),
                crawled,
            )

        def joined(items: list[str], missing: list[str]) -> Claim:
            if not crawled:
                return self.none(self.unknown)
            if missing:
                return draft.partial(lacking(some(items), missing) if items else None, crawled)
            return draft.recorded(some(items), crawled)

        fields = [
            self.field("2.3.a", self.yes_no(crawled, self.unknown, self.sources)),
            self.field("2.3.b", joined(names, unnamed)),
            self.field("2.3.c", joined(purposes, unexplained)),
            self.field("2.3.d", self._behaviour(crawled, behaviours)),
            self.field("2.3.e", period),
            self.field("2.3.f", joined(content, undescribed)),
            self.field("2.3.g", self.modalities(crawled, self.unknown)),
        ]
        blocks: list[Any] = []
        domain_field, domain_blocks = self._domains(crawled)
        fields.append(self.field("2.3.h", domain_field))
        fields.extend(self.comment("2.3.i"))
        blocks.append(Fields(tuple(fields)))
        blocks.extend(domain_blocks)
        return Section("eu-2.3", "2.3. Data crawled and scraped from online sources", tuple(blocks))

    def _behaviour(self, crawled: list[str], behaviours: list[str]) -> Claim:
        if not crawled:
            return self.none(self.unknown)
        untold = [s for s in crawled if self.trail.facts(s).get("opt_outs") in (None, "unknown")]
        answer = self.draft.partial if untold else self.draft.recorded
        return answer(some(behaviours), crawled)

    def _domains(self, crawled: list[str]) -> tuple[Claim, list[Any]]:
        draft, trail = self.draft, self.trail
        if not crawled:
            return self.none(self.unknown), []
        parts: list[domains.DomainSizes] = []
        given = draft.options.domain_sizes
        if given:
            parts.append(domains.read_domain_sizes(given, "--domain-sizes"))
        else:
            for node in crawled:
                sizes = domains.sizes_of_source(node, trail.facts(node), trail.data_root)
                if sizes is None:
                    draft.gap(
                        node,
                        "attrs.domain_sizes",
                        "the size of content taken from each domain (attrs.domain_sizes, "
                        "crawled files that hold URLs, or report --domain-sizes)",
                    )
                else:
                    parts.append(sizes)
        if not parts or (not given and len(parts) < len(crawled)):
            return draft.recorded(None, crawled), []
        ranking = domains.ranked(parts)
        agents = providers(trail)
        sme_values = [attrs_of(trail, a).get("sme") for a in agents]
        sme_value = next((v for v in sme_values if v is not None), self.model.get("sme"))
        if sme_value is None:
            draft.gap(
                agents[0] if agents else self.target,
                "attrs.sme",
                "whether the provider is a small or medium-sized enterprise (the share of "
                "domains listed); the top 10% is listed meanwhile",
            )
        sme = bool(sme_value)
        shown = domains.top_share(len(ranking), sme=sme)
        share = (
            "the top 5% or 1,000, whichever is lower, as the provider is an SME"
            if sme
            else "the top 10%"
        )
        refs = crawled if not given else [*crawled]
        exact = draft.options.exact_sizes
        total = sum(d.bytes for d in ranking) or 1
        rows = []
        for rank, entry in enumerate(ranking[:shown], start=1):
            row = [draft.derived(str(rank)), draft.derived(entry.domain, refs)]
            if exact:
                row += [
                    draft.derived(f"{human_bytes(entry.bytes)} ({entry.bytes:,} bytes)", refs),
                    draft.derived(f"{entry.records:,}" if entry.records is not None else "-", refs),
                    draft.derived(f"{100 * entry.bytes / total:.1f}%", refs),
                ]
            rows.append(tuple(row))
        methods = some([f"{p.source}: {p.method}" for p in parts])
        claim = draft.derived(
            f"{shown} of {len(ranking)} registrable domains ({share}), ranked by the size of "
            f"content scraped, listed below",
            [*refs, *agents],
        )
        keys, columns = ["rank", "domain"], ["Rank", "Domain name"]
        if exact:
            keys += ["size", "records", "share"]
            columns += ["Size of content", "Records", "Share of crawled content"]
        return claim, [
            Paragraph(
                "Domains are counted at the top and second-level domain (the Public Suffix "
                f"List), by size of content: {methods}."
            ),
            Table(tuple(keys), tuple(columns), tuple(rows), 1),
        ]

    def users(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-2.4"
        users = self.by_obtained("user")
        untold = [s for s in users if not attrs_of(trail, s).get("user_data_from")]
        for source in untold:
            draft.gap(
                source,
                "attrs.user_data_from",
                "whether it comes from interactions with the model or with the provider's "
                "other services",
            )
        from_model = [
            s for s in users if "model" in (attrs_of(trail, s).get("user_data_from") or ())
        ]
        from_services = [
            s for s in users if "other-services" in (attrs_of(trail, s).get("user_data_from") or ())
        ]
        unknown = [*self.unknown, *untold]
        services, unnamed = [], []
        for node in from_services:
            product = attrs_of(trail, node).get("product_or_service")
            if product:
                services.append(f"{product} ({node})")
            else:
                unnamed.append(node)
                draft.gap(
                    node, "attrs.product_or_service", "which product or service it comes from"
                )
        if not from_services:
            description = self.none(unknown)
        elif unnamed:
            description = draft.partial(
                lacking(some(services), unnamed) if services else None, from_services
            )
        else:
            description = draft.recorded(some(services), from_services)
        fields = (
            self.field("2.4.a", self.yes_no(from_model, unknown, self.sources)),
            self.field("2.4.b", self.yes_no(from_services, unknown, self.sources)),
            self.field("2.4.c", description),
            self.field("2.4.d", self.modalities(users, self.unknown)),
            *self.comment("2.4.e"),
        )
        return Section("eu-2.4", "2.4. User data", (Fields(fields),))

    def synthetic(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-2.5"
        synthetic = self.by_obtained("synthetic")
        on_market, other, unknown_models = [], [], []
        own_cited: list[str] = []
        for node in synthetic:
            generator = trail.facts(node).get("generated_by")
            model = f"model:{generator}" if generator else None
            if not generator:
                draft.gap(node, "generated_by", "which model generated it")
                unknown_models.append(node)
                continue
            if model is None or not trail.has(model):
                draft.gap(node, "generated_by.record", f"a record of the model {generator}")
                unknown_models.append(node)
                continue
            facts, attrs = trail.facts(model), attrs_of(trail, model)
            owner = facts.get("owner")
            label = f"{facts['name']}" + (f" ({owner})" if owner else "")
            if attrs.get("on_market") is True:
                link = attrs.get("summary_url")
                if not link:
                    draft.gap(model, "attrs.summary_url", "a link to its public summary")
                on_market.append(
                    (
                        model,
                        label
                        + (f", its summary: {link}" if link else ", its summary: not recorded"),
                    )
                )
            elif attrs.get("on_market") is False:
                description = facts.get("description") or "no description recorded"
                own = (
                    " (the provider's own)"
                    if owner and owner == trail.facts(self.target).get("owner")
                    else ""
                )
                other.append((model, f"{label}{own}: {description}"))
                if own:  # whose model it is, compared with the provider (the target's owner)
                    own_cited.append(self.target)
            else:
                draft.gap(model, "attrs.on_market", "whether the generating model is on the market")
                unknown_models.append(node)

        def listed(items: list[tuple[str, str]]) -> Claim:
            if not synthetic:
                return self.none(self.unknown)
            if unknown_models:
                text = some([t for _, t in items]) or None
                return draft.partial(text, [*(m for m, _ in items), *unknown_models])
            if not items:
                return draft.derived("None", synthetic)
            refs = [m for m, _ in items]
            if items is other:
                refs += own_cited[:1]
            return draft.recorded(some([t for _, t in items]), [*refs, *synthetic])

        fields = (
            self.field("2.5.a", self.yes_no(synthetic, self.unknown, self.sources)),
            self.field("2.5.b", self.modalities(synthetic, self.unknown)),
            self.field("2.5.c", listed(on_market)),
            self.field("2.5.d", listed(other)),
            *self.comment("2.5.e"),
        )
        return Section("eu-2.5", "2.5. Synthetic data", (Fields(fields),))

    def other(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-2.6"
        other = self.by_obtained("other")
        if other:
            undescribed = [s for s in other if not trail.facts(s).get("description")]
            for node in undescribed:
                draft.gap(node, "description", "what it is and where it comes from")
            narrative = (draft.partial if undescribed else draft.recorded)(
                some(
                    [
                        f"{s}: {trail.facts(s).get('description') or 'no description recorded'}"
                        for s in other
                    ]
                ),
                other,
            )
        else:
            narrative = self.none(self.unknown)
        fields = (
            self.field("2.6.a", self.yes_no(other, self.unknown, self.sources)),
            self.field("2.6.b", narrative),
            *self.comment("2.6.c"),
        )
        return Section("eu-2.6", "2.6. Other sources of data", (Fields(fields),))

    # -- 3. Data processing aspects ---------------------------------------------------
    def processing(self) -> Section:
        draft, trail = self.draft, self.trail
        draft.section = "eu-3.1"
        signatory = self.model_fact(
            "code_of_practice_signatory", "whether the provider signed the Code of Practice"
        )
        by_status: dict[str, list[str]] = {}
        for node in self.sources:
            status = trail.facts(node).get("opt_outs")
            by_status.setdefault(str(status) if status else "not recorded", []).append(node)
        untold = [*by_status.get("not recorded", ()), *by_status.get("unknown", ())]
        for node in untold:
            draft.gap(node, "opt_outs", "whether text-and-data-mining opt-outs were honoured")
        evidence = [
            f"{node}: {plain(attrs_of(trail, node)['robots_log'])}"
            for node in self.sources
            if attrs_of(trail, node).get("robots_log")
        ]
        parts = [
            f"opt-outs {status} for {len(nodes):,} sources: {some(nodes, ', ')}"
            for status, nodes in sorted(by_status.items())
        ]
        if evidence:
            parts.append("evidence recorded: " + some(evidence))
        if not self.sources:
            measures = draft.derived("not applicable")
        elif untold:
            measures = draft.partial("; ".join(parts), self.sources)
        else:
            measures = draft.recorded("; ".join(parts), self.sources)
        s31 = Section(
            "eu-3.1",
            "3.1. Respect of reservation of rights from text and data mining exception or "
            "limitation",
            (
                Fields(
                    (
                        self.field("3.1.a", signatory),
                        self.field("3.1.b", measures),
                        *self.comment("3.1.c"),
                    )
                ),
            ),
        )
        draft.section = "eu-3.2"
        s32 = Section(
            "eu-3.2",
            "3.2. Removal of illegal content",
            (
                Fields(
                    (
                        self.field(
                            "3.2.a",
                            self.model_fact(
                                "illegal_content_measures",
                                "the measures taken to avoid or remove illegal content",
                            ),
                        ),
                    )
                ),
            ),
        )
        draft.section = "eu-3.3"
        optional = self.comment("3.3.a")
        sections = [s31, s32]
        if optional:
            sections.append(
                Section("eu-3.3", "3.3. Other information (optional)", (Fields(optional),))
            )
        return Section("eu-3", "3. Data processing aspects", (), tuple(sections))


def build(draft: Draft, trail: Trail, result: CheckResult) -> tuple[str, tuple[Section, ...]]:
    """The three parts of the public summary, field by field as the template has them."""
    summary = _Summary(draft, trail)
    general = Section(
        "eu-1",
        "1. General information",
        (),
        (summary.provider(), summary.identification(), summary.characteristics()),
    )
    listing = Section(
        "eu-2",
        "2. List of data sources",
        (),
        (
            summary.public(),
            summary.private(),
            summary.crawled(),
            summary.users(),
            summary.synthetic(),
            summary.other(),
        ),
    )
    processing = summary.processing()
    draft.section = "eu-summary"
    digest = content_digest((general, listing, processing))
    version, last = summary.version(digest)
    header_blocks: list[Any] = [
        Fields((Field("template", "Template", draft.derived(TEMPLATE_NAME)), version, last))
    ]
    if trail.target_kind != "model":
        header_blocks.append(
            Paragraph(
                f"The template is for general-purpose AI models; {trail.target} is a "
                f"{trail.target_kind}, so the sections below describe its content."
            )
        )
    header = Section("eu-summary", "About this summary", tuple(header_blocks))
    title = f"Public summary of training content: {trail.facts(trail.target)['name']}"
    return title, (header, general, listing, processing)


def content_digest(sections: Iterable[Section]) -> str:
    """SHA-256 over what the summary says (labels and answers), not over who it cites.

    The same answers give the same digest whatever the ledger, the record versions
    or the time: so the summary's version changes only when its content does.
    """
    content: list[Any] = []
    for top in sections:
        for section in top.walk():
            content.append(section.title)
            for block in section.blocks:
                if isinstance(block, Fields):
                    content.extend(
                        (f.key, f.label, f.claim.text, f.claim.status) for f in block.fields
                    )
                elif isinstance(block, Table):
                    content.append(block.columns)
                    content.extend(tuple((c.text, c.status) for c in row) for row in block.rows)
                elif isinstance(block, Paragraph):
                    content.append(block.text)
    return "sha256:" + hashlib.sha256(orjson.dumps(content)).hexdigest()


def _period(facts: Mapping[str, Any]) -> str | None:
    start, end = facts.get("collected_start"), facts.get("collected_end")
    if not start:
        return None
    return f"{month(start)} to {month(end)}" if end else f"from {month(start)}, ongoing"


def _size_text(facts: Mapping[str, Any]) -> str | None:
    parts = []
    if facts.get("tokens") is not None:
        parts.append(f"{facts['tokens']:,} tokens")
    if facts.get("records") is not None:
        parts.append(f"{facts['records']:,} records")
    return "; ".join(parts) or None
