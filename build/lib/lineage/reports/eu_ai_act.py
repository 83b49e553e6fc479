"""The public summary of training content that AI Act Art. 53(1)(d) requires.

Section numbers, headings and size ranges follow the Commission's "Template for
the Public Summary of Training Content for general-purpose AI models", annexed to
its Explanatory Notice of 24 July 2025 (C(2025) 5235; re-issued as C(2025) 8311,
5 December 2025):
https://digital-strategy.ec.europa.eu/en/library/explanatory-notice-and-template-public-summary-training-content-general-purpose-ai-models

Facts the store does not hold are gaps. A few the template asks for have no field
in the store and are read from the model record's `attrs` when present:
`provider_contact`, `authorised_representative`, `placed_on_market`,
`linguistic_characteristics`, `other_characteristics`, `code_of_practice_signatory`,
`illegal_content_measures` and `sme` (true: list the top 5% of domains, at most
1,000, as the template allows small and medium-sized enterprises).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lineage.checks import CheckResult, Trail
from lineage.reports import domains
from lineage.reports.claims import Draft, human_bytes, period_text, plain
from lineage.reports.model import Claim, Field, Fields, Paragraph, Section, Table

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


def size_range(modality: str, amount: float) -> str:
    """The template's range for `amount` tokens, images or hours of `modality`."""
    for upper, label in SIZE_RANGES[modality]:
        if amount < upper:
            return label
    raise AssertionError("the last range is unbounded")


def template_modality(recorded: str) -> str:
    """The template's modality for a recorded one: source code is text."""
    return "text" if recorded == "code" else recorded


def training_inputs(trail: Trail) -> list[str]:
    """The data the target was trained on: its generating run's inputs, models aside.

    For a dataset or source, or a model without a recorded run, the target itself
    or its origins.
    """
    target = trail.target
    if trail.target_kind != "model":
        return [target]
    run = trail.generated_by(target)
    if run is None:
        return [n for n in trail.origins() if trail.facts(n)["kind"] != "model"]
    return [n for n in trail.depends_on(run, ("used",)) if trail.facts(n)["kind"] != "model"]


def modalities_of(trail: Trail, node: str) -> list[str]:
    """The template modalities of a record: its own, else those of the sources upstream."""
    own = trail.facts(node).get("modality") or trail.source_modalities()
    return sorted({template_modality(m) for m in own})


def _attr(trail: Trail, key: str) -> Any:
    attrs = trail.facts(trail.target).get("attrs") or {}
    return attrs.get(key) if isinstance(attrs, dict) else None


def _attr_claim(draft: Draft, trail: Trail, key: str, question: str) -> Claim:
    value = _attr(trail, key)
    if value in (None, "", [], {}):
        return draft.unknown(trail.target, f"attrs.{key}", question, [trail.target])
    return draft.recorded(plain(value), [trail.target])


def _yes_no(draft: Draft, nodes: Sequence[str]) -> Claim:
    return draft.derived("Yes" if nodes else "No", nodes)


def _modalities_claim(draft: Draft, trail: Trail, nodes: Sequence[str]) -> Claim:
    found = sorted({m for n in nodes for m in modalities_of(trail, n)})
    if not nodes:
        return draft.derived("not applicable")
    if not found:
        return draft.recorded(None, nodes)
    return draft.derived(", ".join(found), nodes)


def build(draft: Draft, trail: Trail, result: CheckResult) -> tuple[str, tuple[Section, ...]]:
    """The three parts of the public summary, section by section as the template has them."""
    draft.section = "eu-summary"
    sources = trail.of_kind("source")
    header = Section(
        "eu-summary",
        "About this summary",
        (
            Fields(
                (
                    Field("template", "Template", draft.derived(TEMPLATE_NAME)),
                    Field(
                        "version",
                        "Version of the Summary",
                        draft.derived(
                            f"generated from ledger entry {trail.ledger.seq} ({trail.ledger.hash})"
                        ),
                    ),
                    Field(
                        "last_update",
                        "Last update",
                        draft.derived(trail.moment.strftime("%d/%m/%Y")),
                    ),
                )
            ),
        ),
    )
    if trail.target_kind != "model":
        header = Section(
            header.id,
            header.title,
            (
                *header.blocks,
                Paragraph(
                    f"The template is for general-purpose AI models; {trail.target} is a "
                    f"{trail.target_kind}, so the sections below describe its content."
                ),
            ),
        )
    general = _general(draft, trail, sources)
    listing = _data_sources(draft, trail, sources)
    processing = _processing(draft, trail, sources)
    title = f"Public summary of training content: {trail.facts(trail.target)['name']}"
    return title, (header, general, listing, processing)


# -- 1. General information -------------------------------------------------------------


def _general(draft: Draft, trail: Trail, sources: list[str]) -> Section:
    target = trail.target
    draft.section = "eu-1.1"
    provider = Section(
        "eu-1.1",
        "1.1. Provider identification",
        (
            Fields(
                (
                    Field(
                        "provider",
                        "Provider name",
                        draft.fact(target, "owner", "the provider's name"),
                    ),
                    Field(
                        "provider_contact",
                        "Provider contact details",
                        _attr_claim(
                            draft, trail, "provider_contact", "the provider's contact details"
                        ),
                    ),
                    Field(
                        "authorised_representative",
                        "Authorised representative name and contact details",
                        _attr_claim(
                            draft,
                            trail,
                            "authorised_representative",
                            "the authorised representative (providers established outside the "
                            "Union), or 'not applicable'",
                        ),
                    ),
                )
            ),
        ),
    )
    draft.section = "eu-1.2"
    run = trail.generated_by(target) if trail.target_kind == "model" else None
    bases = (
        [n for n in trail.depends_on(run, ("used",)) if trail.facts(n)["kind"] == "model"]
        if run
        else []
    )
    if bases:
        dependencies = draft.recorded(
            "; ".join(
                f"{b} (version {trail.facts(b)['version']}"
                + (f", {trail.facts(b)['owner']}" if trail.facts(b).get("owner") else "")
                + ")"
                for b in bases
            ),
            [run or target, *bases],
        )
    elif run:
        dependencies = draft.derived(f"none: {run} used no model", [run])
    else:
        dependencies = draft.unknown(
            target,
            "generated_by",
            "which run made the model, and whether it was modified from another model",
            [target],
        )
    facts = trail.facts(target)
    model = Section(
        "eu-1.2",
        "1.2. Model identification",
        (
            Fields(
                (
                    Field(
                        "model",
                        "Versioned model name(s)",
                        draft.derived(
                            f"{facts['name']} (record version {facts['version']})", [target]
                        ),
                    ),
                    Field("dependencies", "Model dependencies", dependencies),
                    Field(
                        "placed_on_market",
                        "Date of placement of the model on the Union market",
                        _attr_claim(
                            draft,
                            trail,
                            "placed_on_market",
                            "the date the model was placed on the Union market",
                        ),
                    ),
                )
            ),
        ),
    )
    draft.section = "eu-1.3"
    characteristics = Section(
        "eu-1.3",
        "1.3. Modalities, overall training data size and other characteristics",
        _modalities(draft, trail, sources),
    )
    return Section("eu-1", "1. General information", (), (provider, model, characteristics))


def _modalities(draft: Draft, trail: Trail, sources: list[str]) -> tuple[Any, ...]:
    inputs = training_inputs(trail)
    rows = []
    for modality in MODALITIES:
        holders = [n for n in inputs if modality in modalities_of(trail, n)]
        kinds = sorted(
            {
                t
                for s in sources
                if modality in modalities_of(trail, s)
                for t in trail.facts(s).get("data_types") or ()
            }
        )
        kind_refs = [s for s in sources if modality in modalities_of(trail, s)]
        if not holders:
            rows.append(
                (
                    draft.derived(modality),
                    draft.derived("not present", inputs),
                    draft.derived("-"),
                    draft.derived("-"),
                )
            )
            continue
        size, exact = _size(draft, trail, modality, holders)
        rows.append(
            (
                draft.derived(
                    modality
                    + (
                        " (including source code)"
                        if modality == "text"
                        and any("code" in (trail.facts(n).get("modality") or ()) for n in holders)
                        else ""
                    )
                ),
                size,
                exact,
                draft.recorded(
                    ", ".join(kinds) or None,
                    kind_refs,
                    gap=(
                        trail.target,
                        f"data_types.{modality}",
                        f"the types of {modality} content",
                    ),
                ),
            )
        )
    table = Table(
        ("modality", "size_range", "size", "types_of_content"),
        ("Modality", "Training data size", "Size recorded", "Types of content"),
        tuple(rows),
    )
    basis = Paragraph(
        "Sizes are those of the data the model was trained on, after pre-processing: the "
        f"inputs of its training run ({', '.join(inputs) or 'none recorded'})."
    )
    ends = [(trail.facts(s).get("collected_end"), s) for s in sources]
    ongoing = sorted(
        s
        for s in sources
        if trail.facts(s).get("collected_start") and not trail.facts(s).get("collected_end")
    )
    known = sorted((end, s) for end, s in ends if end)
    if known:
        end, source = known[-1]
        text = f"{end[5:7]}/{end[:4]} ({end}, end of collection of {source})"
        if ongoing:
            text += "; collection is ongoing for " + ", ".join(ongoing)
        latest = draft.derived(text, [source, *ongoing])
    else:
        latest = draft.unknown(
            trail.target, "collected_end", "the latest date of data collection", sources
        )
    fields = Fields(
        (
            Field("latest_collection", "Latest date of data collection", latest),
            Field(
                "continuous",
                "Is the model continuously trained on new data collected after that date?",
                _attr_claim(
                    draft,
                    trail,
                    "continuously_trained",
                    "whether the model keeps training on newer data",
                ),
            ),
            Field(
                "linguistic",
                "Linguistic characteristics of the overall training data",
                _attr_claim(
                    draft, trail, "linguistic_characteristics", "the languages of the training data"
                ),
            ),
            Field(
                "other",
                "Other relevant characteristics of the overall training data",
                _attr_claim(
                    draft,
                    trail,
                    "other_characteristics",
                    "other relevant characteristics (regional or demographic ones)",
                ),
            ),
        )
    )
    return (table, basis, fields)


def _size(draft: Draft, trail: Trail, modality: str, holders: list[str]) -> tuple[Claim, Claim]:
    unit = UNITS.get(modality)
    amounts = []
    for node in holders:
        facts = trail.facts(node)
        attrs = facts.get("attrs") or {}
        value: Any = None
        if unit == "tokens":
            value = facts.get("tokens")
        elif unit == "images":
            value = facts.get("records")
        elif unit == "hours":
            value = attrs.get("hours") if isinstance(attrs, dict) else None
        amounts.append(value)
    if unit is None or any(a is None for a in amounts):
        missing = [n for n, a in zip(holders, amounts, strict=True) if a is None]
        what = f"{unit} of" if unit else "the size of"
        claim = draft.unknown(
            trail.target,
            f"size.{modality}",
            f"the {what} {modality} training data ({', '.join(missing or holders)})",
            holders,
        )
        return claim, Claim(None, tuple(holders), "gap")
    total = sum(float(a) for a in amounts)
    exact = f"{total:,.0f} {unit}" if unit != "hours" else f"{total:,.1f} hours"
    return draft.derived(size_range(modality, total), holders), draft.derived(exact, holders)


# -- 2. List of data sources ----------------------------------------------------------------


def _by_obtained(trail: Trail, sources: list[str], *ways: str | None) -> list[str]:
    return [s for s in sources if trail.facts(s).get("obtained") in ways]


def _source_rows(draft: Draft, trail: Trail, nodes: list[str]) -> Table:
    rows = []
    for node in nodes:
        facts = trail.facts(node)
        rows.append(
            (
                draft.title(node),
                draft.fact(node, "uri", "a link to it"),
                draft.derived(", ".join(modalities_of(trail, node)) or "not recorded", [node]),
                draft.recorded(_size_text(facts), [node], gap=(node, "size", "how large it is")),
                draft.recorded(
                    period_text(facts), [node], gap=(node, "collected", "when it was collected")
                ),
                draft.fact(node, "description", "what it is"),
            )
        )
    return Table(
        ("source", "link", "modality", "size", "collection_period", "description"),
        ("Dataset", "Link", "Modality", "Size", "Collection period", "Description"),
        tuple(rows),
    )


def _size_text(facts: Any) -> str | None:
    parts = []
    if facts.get("tokens") is not None:
        parts.append(f"{facts['tokens']:,} tokens")
    if facts.get("records") is not None:
        parts.append(f"{facts['records']:,} records")
    return "; ".join(parts) or None


def _data_sources(draft: Draft, trail: Trail, sources: list[str]) -> Section:
    draft.section = "eu-2.1"
    public = _by_obtained(trail, sources, "public")
    s21 = Section(
        "eu-2.1",
        "2.1. Publicly available datasets",
        (
            Fields(
                (
                    Field(
                        "used",
                        "Have you used publicly available datasets to train the model?",
                        _yes_no(draft, public),
                    ),
                    Field(
                        "modalities",
                        "Modality(ies) of the content covered",
                        _modalities_claim(draft, trail, public),
                    ),
                )
            ),
            *((_source_rows(draft, trail, public),) if public else ()),
        ),
    )
    draft.section = "eu-2.2"
    licensed = _by_obtained(trail, sources, "licensed", "purchased")
    s221 = Section(
        "eu-2.2.1",
        "2.2.1. Datasets commercially licensed by rightsholders or their representatives",
        (
            Fields(
                (
                    Field(
                        "used",
                        "Have you concluded commercial licensing agreements with "
                        "rightsholders or their representatives for data to train the model?",
                        _yes_no(draft, licensed),
                    ),
                    Field(
                        "modalities",
                        "Modality(ies) of the content covered",
                        _modalities_claim(draft, trail, licensed),
                    ),
                )
            ),
            Paragraph(
                "The template asks for the modalities only; the datasets and their terms "
                "are in the paper-trail report."
            ),
        ),
    )
    s222 = Section(
        "eu-2.2.2",
        "2.2.2. Private datasets obtained from other third parties",
        (
            Paragraph(
                "The store records how each source was obtained as public, licensed, "
                "purchased, crawled, user, synthetic or other: sources licensed or "
                "purchased from any third party are counted under 2.2.1, and sources "
                "obtained otherwise under 2.6."
            ),
        ),
    )
    s22 = Section(
        "eu-2.2",
        "2.2. Private non-publicly available datasets obtained from third parties",
        (),
        (s221, s222),
    )
    s23 = _crawled(draft, trail, sources)
    draft.section = "eu-2.4"
    users = _by_obtained(trail, sources, "user")
    user_rows = []
    for node in users:
        attrs = trail.facts(node).get("attrs") or {}
        product = attrs.get("product_or_service") if isinstance(attrs, dict) else None
        user_rows.append(
            (
                draft.title(node),
                draft.recorded(
                    plain(product) if product else None,
                    [node],
                    gap=(
                        node,
                        "attrs.product_or_service",
                        "which product or service the data comes from",
                    ),
                ),
                draft.derived(", ".join(modalities_of(trail, node)) or "not recorded", [node]),
                draft.recorded(
                    period_text(trail.facts(node)),
                    [node],
                    gap=(node, "collected", "when it was collected"),
                ),
            )
        )
    s24 = Section(
        "eu-2.4",
        "2.4. User data",
        (
            Fields(
                (
                    Field(
                        "used",
                        "Was data from user interactions with the provider's products or "
                        "services (the model included) used to train the model?",
                        _yes_no(draft, users),
                    ),
                    Field(
                        "modalities",
                        "Modality(ies) of the content covered",
                        _modalities_claim(draft, trail, users),
                    ),
                )
            ),
            *(
                (
                    Table(
                        ("source", "service", "modality", "collection_period"),
                        ("Data", "Product or service", "Modality", "Collection period"),
                        tuple(user_rows),
                    ),
                )
                if user_rows
                else ()
            ),
        ),
    )
    draft.section = "eu-2.5"
    synthetic = _by_obtained(trail, sources, "synthetic")
    owner = trail.facts(trail.target).get("owner")
    synth_rows = []
    for node in synthetic:
        generator = trail.facts(node).get("generated_by")
        model = f"model:{generator}" if generator else None
        model_owner = trail.facts(model).get("owner") if model and trail.has(model) else None
        own = "yes" if model_owner and model_owner == owner else "no" if model_owner else None
        synth_rows.append(
            (
                draft.title(node),
                draft.recorded(
                    plain(generator) if generator else None,
                    [node],
                    gap=(node, "generated_by", "which model generated it"),
                ),
                draft.recorded(
                    plain(model_owner) if model_owner else None,
                    [model] if model and trail.has(model) else [node],
                    gap=(node, "generated_by.owner", "who provides the generating model"),
                ),
                draft.derived(own or "unknown", [node]),
                draft.derived(", ".join(modalities_of(trail, node)) or "not recorded", [node]),
            )
        )
    s25 = Section(
        "eu-2.5",
        "2.5. Synthetic data",
        (
            Fields(
                (
                    Field(
                        "used",
                        "Was synthetic AI-generated data created by the provider or on its "
                        "behalf to train the model?",
                        _yes_no(draft, synthetic),
                    ),
                    Field(
                        "modalities",
                        "Modality(ies) of the content covered",
                        _modalities_claim(draft, trail, synthetic),
                    ),
                )
            ),
            *(
                (
                    Table(
                        ("source", "model", "model_owner", "own_model", "modality"),
                        (
                            "Data",
                            "Generated by model",
                            "Model provider",
                            "The provider's own model",
                            "Modality",
                        ),
                        tuple(synth_rows),
                    ),
                )
                if synth_rows
                else ()
            ),
        ),
    )
    draft.section = "eu-2.6"
    other = _by_obtained(trail, sources, "other", None)
    for node in other:
        if not trail.facts(node).get("obtained"):
            draft.gap(node, "obtained", "how it was obtained (for the category of the summary)")
    s26 = Section(
        "eu-2.6",
        "2.6. Other sources of data",
        (
            Fields(
                (
                    Field(
                        "used",
                        "Have data sources not covered above been used?",
                        _yes_no(draft, other),
                    ),
                )
            ),
            *((_source_rows(draft, trail, other),) if other else ()),
        ),
    )
    return Section("eu-2", "2. List of data sources", (), (s21, s22, s23, s24, s25, s26))


def _crawled(draft: Draft, trail: Trail, sources: list[str]) -> Section:
    draft.section = "eu-2.3"
    crawled = _by_obtained(trail, sources, "crawled")
    rows = []
    parts = []
    for node in crawled:
        facts = trail.facts(node)
        attrs = facts.get("attrs") or {}
        attrs = attrs if isinstance(attrs, dict) else {}
        crawler = attrs.get("crawler") or attrs.get("scraper")
        behaviour = [f"text-and-data-mining opt-outs: {facts.get('opt_outs') or 'not recorded'}"]
        behaviour += [
            f"{k.replace('_', ' ')}: {plain(attrs[k])}"
            for k in ("robots_log", "paywalls", "logins", "captchas")
            if attrs.get(k)
        ]
        rows.append(
            (
                draft.title(node),
                draft.recorded(
                    plain(crawler) if crawler else None,
                    [node],
                    gap=(node, "attrs.crawler", "the name of the crawler"),
                ),
                draft.recorded(
                    plain(attrs["purpose"]) if attrs.get("purpose") else None,
                    [node],
                    gap=(node, "attrs.purpose", "the purpose of the crawl"),
                ),
                draft.recorded("; ".join(behaviour), [node]),
                draft.recorded(
                    period_text(facts), [node], gap=(node, "collected", "when it was collected")
                ),
                draft.fact(node, "data_types", "the types of content collected"),
            )
        )
        sizes = domains.sizes_of_source(node, facts)
        if sizes is None:
            draft.gap(
                node,
                "attrs.domain_sizes",
                "the size of content taken from each domain "
                "(attrs.domain_sizes, or crawled files that hold URLs)",
            )
        else:
            parts.append(sizes)
    blocks: list[Any] = [
        Fields(
            (
                Field(
                    "used",
                    "Were crawlers used by the provider or on its behalf?",
                    _yes_no(draft, crawled),
                ),
                Field(
                    "modalities",
                    "Modality(ies) of the content covered",
                    _modalities_claim(draft, trail, crawled),
                ),
            )
        )
    ]
    if rows:
        blocks.append(
            Table(
                ("source", "crawler", "purpose", "behaviour", "collection_period", "content"),
                (
                    "Crawled data",
                    "Crawler name",
                    "Purpose",
                    "Behaviour (robots.txt, paywalls, logins)",
                    "Collection period",
                    "Types of content",
                ),
                tuple(rows),
            )
        )
    if parts:
        blocks.extend(_domain_blocks(draft, trail, parts))
    return Section("eu-2.3", "2.3. Data crawled and scraped from online sources", tuple(blocks))


def _domain_blocks(draft: Draft, trail: Trail, parts: list[domains.DomainSizes]) -> list[Any]:
    ranking = domains.ranked(parts)
    sme = bool(_attr(trail, "sme"))
    shown = domains.top_share(len(ranking), sme=sme)
    total = sum(d.bytes for d in ranking) or 1
    refs = [p.source for p in parts]
    rows = []
    for rank, entry in enumerate(ranking[:shown], start=1):
        rows.append(
            (
                draft.derived(str(rank)),
                draft.derived(entry.domain, refs),
                draft.derived(f"{human_bytes(entry.bytes)} ({entry.bytes:,} bytes)", refs),
                draft.derived(f"{entry.records:,}" if entry.records is not None else "-", refs),
                draft.derived(f"{100 * entry.bytes / total:.1f}%", refs),
            )
        )
    share = "top 5% (at most 1,000), as for an SME" if sme else "top 10%"
    methods = "; ".join(f"{p.source}: {p.method}" for p in parts)
    return [
        Paragraph(
            f"Most relevant domain names, ranked by the size of content scraped: the "
            f"{share} of all {len(ranking)} domains, {shown} listed. Sizes: {methods}."
        ),
        Table(
            ("rank", "domain", "size", "records", "share"),
            ("Rank", "Domain name", "Size of content", "Records", "Share of crawled content"),
            tuple(rows),
            1,
        ),
    ]


# -- 3. Data processing aspects -------------------------------------------------------------


def _processing(draft: Draft, trail: Trail, sources: list[str]) -> Section:
    draft.section = "eu-3.1"
    rows = []
    for node in sources:
        facts = trail.facts(node)
        attrs = facts.get("attrs") or {}
        evidence = attrs.get("robots_log") if isinstance(attrs, dict) else None
        crawled = facts.get("obtained") == "crawled"
        rows.append(
            (
                draft.title(node),
                draft.recorded(plain(facts["obtained"]) if facts.get("obtained") else None, [node]),
                draft.fact(
                    node,
                    "opt_outs",
                    "whether text-and-data-mining opt-outs were honoured",
                    gap=crawled,
                ),
                draft.recorded(plain(evidence) if evidence else "none recorded", [node]),
            )
        )
    s31 = Section(
        "eu-3.1",
        "3.1. Respect of reservation of rights from text and data mining exception or limitation",
        (
            Fields(
                (
                    Field(
                        "signatory",
                        "Are you a signatory to the General-Purpose AI Code of Practice?",
                        _attr_claim(
                            draft,
                            trail,
                            "code_of_practice_signatory",
                            "whether the provider signed the Code of Practice",
                        ),
                    ),
                )
            ),
            Paragraph(
                "Measures to respect reservations of rights (Art. 4(3) of Directive (EU) "
                "2019/790), as recorded for each source:"
            ),
            Table(
                ("source", "obtained", "opt_outs", "evidence"),
                ("Source", "How obtained", "Opt-outs honoured", "Evidence recorded"),
                tuple(rows),
            ),
        ),
    )
    draft.section = "eu-3.2"
    runs = trail.run_order()
    operations = sorted({str(trail.facts(r).get("operation")) for r in runs})
    s32 = Section(
        "eu-3.2",
        "3.2. Removal of illegal content",
        (
            Fields(
                (
                    Field(
                        "measures",
                        "General description of measures taken",
                        _attr_claim(
                            draft,
                            trail,
                            "illegal_content_measures",
                            "the measures taken to avoid or remove illegal content",
                        ),
                    ),
                )
            ),
            Paragraph(
                "Processing recorded upstream (operations): "
                + (", ".join(operations) or "none")
                + "."
            ),
        ),
    )
    draft.section = "eu-3.3"
    run_rows = [
        (
            draft.title(r),
            draft.fact(r, "operation", "what the run did"),
            draft.fact(r, "description", "", gap=False),
        )
        for r in runs
    ]
    s33 = Section(
        "eu-3.3",
        "3.3. Other information (optional)",
        (
            Table(
                ("run", "operation", "description"),
                ("Run", "Operation", "Description"),
                tuple(run_rows),
            ),
        )
        if run_rows
        else (Paragraph("No processing run is recorded."),),
    )
    return Section("eu-3", "3. Data processing aspects", (), (s31, s32, s33))
