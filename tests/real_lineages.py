"""Small lineages shaped like real ones, written from public facts (not copied cards).

- FineWeb: text extracted from Common Crawl, a fastText language classifier
  (lid.176, CC BY-SA 3.0) as the language filter, a URL blocklist (UT1, CC BY-SA 4.0)
  as the URL filter, e-mail and IP addresses anonymised; the language filter sends
  the non-English text to a second output.
- FineWeb-Edu: FineWeb filtered by an educational-value score that an LLM
  (Llama-3-70B-Instruct, under its community licence) gave as an annotator.
- The Pile minus Books3: the Pile assembled from its components, of which only the
  Enron e-mails carry a collection date; a later run removed Books3 and four
  other components.
- A catalogue: an audit that reviewed datasets without training on them.
"""

from __future__ import annotations

import hashlib
from typing import Any

DIGEST = "sha256:" + "cd" * 32


def _fineweb() -> dict[str, Any]:
    """Common Crawl -> extract -> language filter (fastText) -> URL filter (blocklist)
    -> e-mail and IP masking -> fineweb -> train -> model."""
    return {
        "agents": [
            {"name": "huggingface", "type": "organization"},
            {"name": "datatrove", "type": "software", "version": "0.2.0"},
        ],
        "sources": [
            {
                "name": "common-crawl-2024-10",
                "owner": "Common Crawl Foundation",
                "uri": "https://commoncrawl.org/",
                "license": "LicenseRef-commoncrawl-terms-of-use",
                "obtained": "crawled",
                "opt_outs": "honoured",
                "personal_data": "yes",
                "personal_data_categories": ["emails", "ip addresses", "names"],
                "legal_basis": "GDPR Art. 6(1)(f), legitimate interests",
                "collected": "..2024-03-31",
                "digest": DIGEST,
            },
            {
                "name": "ut1-blocklist",
                "owner": "Université Toulouse 1 Capitole",
                "uri": "https://dsi.ut-capitole.fr/blacklists/",
                "license": "CC-BY-SA-4.0",
                "obtained": "public",
                "personal_data": "no",
                "digest": DIGEST,
            },
        ],
        "models": [
            {
                "name": "fasttext-lid-176",
                "owner": "Meta",
                "uri": "https://fasttext.cc/docs/en/language-identification.html",
                "license": "CC-BY-SA-3.0",
                "digest": DIGEST,
            },
            {
                "name": "web-lm",
                "owner": "Example Lab",
                "license": "Apache-2.0",
                "intended_use": "commercial",
                "digest": DIGEST,
            },
        ],
        "datasets": [
            {"name": "fineweb-extracted", "digest": DIGEST},
            {"name": "fineweb-english", "digest": DIGEST},
            {"name": "fineweb-non-english", "digest": DIGEST, "records": 1200},
            {"name": "fineweb-url-filtered", "digest": DIGEST},
            {"name": "fineweb", "digest": DIGEST, "records": 22000},
        ],
        "runs": [
            {
                "operation": "extract",
                "name": "extract",
                "inputs": ["common-crawl-2024-10"],
                "outputs": ["fineweb-extracted"],
                "agent": "datatrove",
                "tool": "trafilatura==1.8.0",
            },
            {
                "operation": "filter-language",
                "name": "language-filter",
                "inputs": ["fineweb-extracted"],
                "references": ["fasttext-lid-176"],
                "outputs": ["fineweb-english", "fineweb-non-english"],
                "agent": "datatrove",
                "params": {"min_score": 0.65},
            },
            {
                "operation": "filter-urls",
                "name": "url-filter",
                "inputs": ["fineweb-english"],
                "references": ["ut1-blocklist"],
                "outputs": ["fineweb-url-filtered"],
                "agent": "datatrove",
            },
            {
                "operation": "format",
                "name": "mask-contacts",
                "inputs": ["fineweb-url-filtered"],
                "outputs": ["fineweb"],
                "agent": "datatrove",
                "removes_personal_data": ["emails", "ip addresses"],
                "method": "replaced with placeholder addresses",
            },
            {
                "operation": "train",
                "name": "train",
                "inputs": ["fineweb"],
                "outputs": ["web-lm"],
                "agent": "huggingface",
            },
        ],
    }


def _fineweb_edu() -> dict[str, Any]:
    """FineWeb filtered by an LLM annotator's educational scores -> edu-lm."""
    return {
        "agents": [
            {"name": "llama-3-70b-annotator", "type": "software", "version": "70B-Instruct"},
        ],
        "sources": [
            {
                "name": "fineweb-published",
                "owner": "Hugging Face",
                "uri": "https://huggingface.co/datasets/HuggingFaceFW/fineweb",
                "license": "ODC-By-1.0",
                "obtained": "public",
                "personal_data": "no",
                "digest": DIGEST,
            },
        ],
        "models": [
            {
                "name": "llama-3-70b-instruct",
                "owner": "Meta",
                "uri": "https://llama.meta.com/llama3/license/",
                "license": "LicenseRef-llama3-community",
                "restrictions": ["no-competing-models"],
                "digest": DIGEST,
            },
            {
                "name": "edu-lm",
                "owner": "Example Lab",
                "license": "Apache-2.0",
                "intended_use": "commercial",
                "digest": DIGEST,
            },
        ],
        "datasets": [{"name": "fineweb-edu", "digest": DIGEST}],
        "runs": [
            {
                "operation": "annotate-educational-value",
                "name": "annotate",
                "inputs": ["fineweb-published"],
                "references": ["llama-3-70b-instruct"],
                "outputs": ["fineweb-edu"],
                "agent": "llama-3-70b-annotator",
                "params": {"threshold": 3},
            },
            {
                "operation": "train",
                "name": "train-edu",
                "inputs": ["fineweb-edu"],
                "outputs": ["edu-lm"],
            },
        ],
    }


PILE_UNDATED = ("pile-cc", "pubmed-central", "arxiv", "github", "wikipedia-en")
PILE_REMOVED = ("books3", "youtube-subtitles", "opensubtitles", "bookcorpus2", "gutenberg")


def _the_pile(*, exclude: bool = True) -> dict[str, Any]:
    """The Pile's components -> assemble -> the-pile -> (remove Books3 and four others)
    -> pile-trimmed -> pile-lm; without `exclude`, pile-lm is trained on the-pile."""
    components: list[dict[str, Any]] = [
        {
            "name": name,
            "owner": "various",
            "uri": f"https://pile.example/{name}",
            "license": "CC-BY-SA-3.0" if name == "wikipedia-en" else "MIT",
            "obtained": "public",
            "personal_data": "no",
            "digest": DIGEST,
        }
        for name in PILE_UNDATED
    ]
    components += [
        {
            "name": name,
            "owner": "various",
            "uri": f"https://pile.example/{name}",
            "obtained": "public",
            "personal_data": "no",
            "digest": DIGEST,
        }
        for name in PILE_REMOVED
    ]
    components.append(
        {
            "name": "enron-emails",
            "owner": "Federal Energy Regulatory Commission",
            "uri": "https://www.cs.cmu.edu/~enron/",
            "license": "LicenseRef-public-record",
            "obtained": "public",
            "personal_data": "yes",
            "personal_data_categories": ["names", "emails"],
            "legal_basis": "published by a regulator as a public record",
            "collected": "1999-01-01..2002-12-31",
            "digest": DIGEST,
        }
    )
    names = [c["name"] for c in components]
    runs: list[dict[str, Any]] = [
        {
            "operation": "assemble",
            "name": "assemble-pile",
            "inputs": names,
            "outputs": ["the-pile"],
        },
    ]
    if exclude:
        runs.append(
            {
                "operation": "remove-components",
                "name": "remove-books3",
                "inputs": ["the-pile"],
                "excludes": list(PILE_REMOVED),
                "outputs": ["pile-trimmed"],
                "removes_personal_data": ["names", "emails"],
                "method": "masking",
            }
        )
    runs.append(
        {
            "operation": "train",
            "name": "train-pile",
            "inputs": ["pile-trimmed" if exclude else "the-pile"],
            "outputs": ["pile-lm"],
        }
    )
    datasets: list[dict[str, Any]] = [{"name": "the-pile", "digest": DIGEST}]
    if exclude:
        datasets.append({"name": "pile-trimmed", "digest": DIGEST})
    return {
        "sources": components,
        "datasets": datasets,
        "models": [
            {
                "name": "pile-lm",
                "owner": "Example Lab",
                "license": "Apache-2.0",
                "intended_use": "research",
                "digest": DIGEST,
            }
        ],
        "runs": runs,
    }


def _catalogue(*, marked: bool) -> dict[str, Any]:
    """An audit that reviewed a share-alike, a non-commercial and an unlicensed dataset."""
    reviewed = [
        ("dolly-15k", "CC-BY-SA-3.0"),
        ("alpaca-52k", "CC-BY-NC-4.0"),
        ("scraped-qa", None),
    ]
    sources = []
    for name, licence in reviewed:
        item: dict[str, Any] = {
            "name": name,
            "owner": "various",
            "uri": f"https://hub.example/{name}",
            "obtained": "public",
            "personal_data": "no",
            "digest": DIGEST,
        }
        if licence:
            item["license"] = licence
        sources.append(item)
    audit: dict[str, Any] = {"name": "provenance-audit", "digest": DIGEST}
    if marked:
        audit["not_training_mix"] = True
    return {
        "sources": sources,
        "datasets": [audit],
        "runs": [
            {
                "operation": "audit-licences",
                "name": "audit",
                "inputs": [name for name, _ in reviewed],
                "outputs": ["provenance-audit"],
            }
        ],
    }


def _own_digests(manifest: dict[str, Any]) -> dict[str, Any]:
    """Give each record standing for DIGEST a digest of its own: records sharing a digest
    hold one content (the `same-content` rule), which these lineages do not mean."""
    for section in ("sources", "datasets", "models"):
        for item in manifest.get(section) or ():
            if item.get("digest") == DIGEST:
                item["digest"] = "sha256:" + hashlib.sha256(item["name"].encode()).hexdigest()
    return manifest


def fineweb() -> dict[str, Any]:
    """FineWeb (see `_fineweb`), each record with its own digest."""
    return _own_digests(_fineweb())


def fineweb_edu() -> dict[str, Any]:
    """FineWeb-Edu (see `_fineweb_edu`), each record with its own digest."""
    return _own_digests(_fineweb_edu())


def the_pile(*, exclude: bool = True) -> dict[str, Any]:
    """The Pile (see `_the_pile`), each record with its own digest."""
    return _own_digests(_the_pile(exclude=exclude))


def catalogue(*, marked: bool) -> dict[str, Any]:
    """The catalogue (see `_catalogue`), each record with its own digest."""
    return _own_digests(_catalogue(marked=marked))
