"""Commands that record: init, add, run record, approve, claim, amend, ingest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

import lineage
from cli.main import F, cli, echo, echo_json, echo_write, json_option, store_from


def _key_values(pairs: tuple[str, ...], option: str) -> dict[str, Any]:
    """KEY=VALUE pairs; values that read as JSON (numbers, true, lists) keep their type."""
    import json

    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint=option)
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
        except RecursionError:  # JSON nested past the parser's stack (issue 18)
            raise click.BadParameter(
                f"{key!r}: lists and mappings nested too deep to read", param_hint=option
            ) from None
    return out


def _one_of(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + f" or {values[-1]}"


def _options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


entity_options = _options(
    click.option("--owner", metavar="ORG", help="Owner or publisher."),
    click.option("--uri", metavar="URI", help="Where it comes from."),
    click.option(
        "--license",
        "license_",
        metavar="SPDX",
        help="The concluded licence: SPDX expression or LicenseRef-...",
    ),
    click.option(
        "--declared-license",
        metavar="SPDX",
        help="The licence its publisher declares (on its card or page), if it differs.",
    ),
    click.option(
        "--restriction",
        "restrictions",
        multiple=True,
        metavar="R",
        help=f"Restriction of custom terms: {_one_of(lineage.RESTRICTIONS)} (repeatable).",
    ),
    click.option("--copyright", metavar="TEXT", help="Copyright / trademark / patent status."),
    click.option("--path", metavar="PATH", help="File or folder whose SHA-256 digest is recorded."),
    click.option("--digest", metavar="sha256:HEX", help="Content digest, when there is no path."),
    click.option("--size-bytes", type=int, help="Size in bytes (default: from --path)."),
    click.option("--records", type=int, help="Number of records / data points."),
    click.option("--tokens", type=int, help="Number of tokens."),
    click.option("--modality", multiple=True, metavar="M", help=f"{_one_of(lineage.MODALITIES)}."),
    click.option(
        "--data-type", "data_types", multiple=True, help="Type of data points (repeatable)."
    ),
    click.option("--description", metavar="TEXT", help="What it is."),
    click.option(
        "--known-bias",
        "known_biases",
        multiple=True,
        metavar="TEXT",
        help="A known bias of the data or model (repeatable).",
    ),
    click.option(
        "--limitation",
        "limitations",
        multiple=True,
        metavar="TEXT",
        help="A known limitation (repeatable).",
    ),
    click.option(
        "--derived-from", multiple=True, metavar="NAME", help="Entity it was derived from (PROV)."
    ),
    click.option(
        "--attributed-to", multiple=True, metavar="AGENT", help="Agent it is attributed to (PROV)."
    ),
    click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Other facts."),
)

personal_options = _options(
    click.option(
        "--personal-data",
        metavar="|".join(lineage.PERSONAL_DATA),
        help="Holds personal data?",
    ),
    click.option(
        "--personal-data-category",
        "personal_data_categories",
        multiple=True,
        metavar="CATEGORY",
        help="Category of personal data (repeatable).",
    ),
    click.option("--legal-basis", metavar="TEXT", help="Legal basis for processing personal data."),
    click.option("--first-used", metavar="DATE", help="Date first used in training."),
    click.option(
        "--coverage",
        multiple=True,
        metavar="ATTR=GROUP:VALUE[:BASIS]",
        help="Who the data covers: a count (20) or share (0.2, 20%) of a group, and how it "
        "is known (measured, estimated, declared, unknown); repeatable.",
    ),
)

source_options = _options(
    click.option(
        "--obtained",
        metavar="HOW",
        help=f"How it was obtained: {_one_of(lineage.OBTAINED)}.",
    ),
    click.option(
        "--generated-by", metavar="MODEL", help="For synthetic data: the generating model."
    ),
    click.option(
        "--opt-outs",
        metavar="|".join(lineage.OPT_OUTS),
        help="Were text-and-data-mining opt-outs honoured?",
    ),
    click.option(
        "--collected",
        metavar="START..END",
        help="Collection period; END empty if ongoing, START empty if unknown (..2023-03-31).",
    ),
)

# Disclosure facts the EU AI Act summary and AB 2013 ask for (lineage.disclosure).
_purpose_option = click.option(
    "--purpose",
    metavar="TEXT",
    help="Data: how it furthers the system's purpose (AB 2013 (a)(2)); a crawl: its "
    "purpose (EU 2.3.c); a model: the system's intended purpose.",
)
_language_option = click.option(
    "--language", "languages", multiple=True, metavar="TAG", help="Language (BCP 47)."
)
_data_only = (
    click.option(
        "--labelled/--unlabelled",
        "labelled",
        default=None,
        help="Whether its data points are labelled (AB 2013 (a)(4)).",
    ),
    click.option(
        "--label-type", "label_types", multiple=True, metavar="TYPE", help="Type of label."
    ),
    click.option(
        "--ip-protection",
        multiple=True,
        metavar="RIGHT",
        help=f"Protected by {_one_of(lineage.IP_PROTECTIONS)} (repeatable).",
    ),
    click.option(
        "--aggregate-consumer-information",
        metavar="yes|no|unknown",
        help="Holds aggregate consumer information (CCPA 1798.140(b))?",
    ),
)

_source_only = (
    click.option(
        "--supplier",
        metavar="|".join(lineage.SUPPLIERS),
        help="Who a licensed or purchased source came from: the rightsholder (or its "
        "representative), or another third party (a data broker, a private database).",
    ),
    click.option(
        "--user-data-from",
        multiple=True,
        metavar="|".join(lineage.USER_DATA_FROM),
        help="User data from interactions with the model itself, or with the provider's "
        "other services (repeatable).",
    ),
    click.option(
        "--product-or-service", metavar="TEXT", help="The service user data was collected in."
    ),
)

_model_only = (
    click.option("--on-market/--not-on-market", "on_market", default=None, help="Available?"),
    click.option("--release-version", metavar="V", help="The model's release version."),
    click.option("--placed-on-market", metavar="DATE", help="Date placed on the Union market."),
    click.option("--summary-url", metavar="URL", help="Link to its public training summary."),
    click.option(
        "--other-characteristics", metavar="TEXT", help="Other characteristics of its data."
    ),
    click.option(
        "--continuously-trained/--not-continuously-trained",
        "continuously_trained",
        default=None,
        help="Keeps training on newer data?",
    ),
    click.option(
        "--synthetic-data-continuous/--no-synthetic-data-continuous",
        "synthetic_data_continuous",
        default=None,
        help="Continuously uses synthetic data generation (AB 2013 (a)(12))?",
    ),
    click.option("--provider-contact", metavar="TEXT", help="The provider's contact details."),
    click.option(
        "--authorised-representative", metavar="TEXT", help="EU authorised representative."
    ),
    click.option(
        "--code-of-practice-signatory/--not-code-of-practice-signatory",
        "code_of_practice_signatory",
        default=None,
        help="Signed the GPAI Code of Practice?",
    ),
    click.option(
        "--illegal-content-measures", metavar="TEXT", help="Measures against illegal content."
    ),
    click.option(
        "--published-summary",
        "published_summaries",
        multiple=True,
        metavar="sha256:HEX[@DATE]",
        help="Digest of an EU summary published (repeatable, oldest first).",
    ),
    click.option(
        "--summary-comment",
        "summary_comments",
        multiple=True,
        metavar="ID=TEXT",
        help="An optional comment field of the EU summary, e.g. 2.3.i=TEXT.",
    ),
)

_agent_only = (
    click.option(
        "--sme/--not-sme", "sme", default=None, help="A small or medium-sized enterprise?"
    ),
    click.option("--contact", metavar="TEXT", help="Contact details."),
)

data_disclosure_options = _options(_purpose_option, _language_option, *_data_only)
source_disclosure_options = _options(*_source_only)
model_disclosure_options = _options(_purpose_option, _language_option, *_model_only)
agent_disclosure_options = _options(*_agent_only)
amend_disclosure_options = _options(
    _purpose_option, _language_option, *_data_only, *_source_only, *_model_only, *_agent_only
)

effective_option = click.option(
    "--effective", metavar="DATE", help="When these facts took effect in the world."
)

model_options = _options(
    click.option("--intended-use", metavar="USE", help=f"{_one_of(lineage.INTENDED_USES)}."),
)

agent_options = _options(
    click.option("--type", "type_", metavar="TYPE", help=f"{_one_of(lineage.AGENT_TYPES)}."),
    click.option("--version", "version", metavar="V", help="Version of a software agent."),
    click.option("--on-behalf-of", "acted_on_behalf_of", metavar="AGENT", help="Acted for whom."),
)


def _comments(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not ID=TEXT", param_hint="--summary-comment")
        out[key] = text
    return out


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """Option values as API fields: renamed, KEY=VALUE parsed, empty ones dropped."""
    fields: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or value == ():
            continue
        if key == "license_":
            key = "license"
        if key == "type_":
            key = "type"
        if key == "attrs":
            value = _key_values(value, "--attr")
        if key == "summary_comments":
            value = _comments(value)
        fields[key] = value
    return fields


@cli.command()
@json_option
@click.pass_context
def init(ctx: click.Context, /, as_json: bool) -> None:
    """Create the store (or migrate it to this version's schema).

    \b
    Example:
        lineage --db lineage.db init
        lineage --db postgresql+psycopg://postgres@127.0.0.1/test init
    """
    with store_from(ctx, create=True) as store:
        info = store.info()
    if as_json:
        echo_json(info)
    else:
        echo(
            f"store ready: {info.url} (schema {info.schema_version}, "
            f"{info.records} records, {info.ledger_entries} ledger entries)"
        )


@cli.group()
def source() -> None:
    """Record sources: data whose origin is outside your control."""


@cli.group()
def dataset() -> None:
    """Record dataset versions you produced."""


@cli.group()
def model() -> None:
    """Record models."""


@cli.group()
def agent() -> None:
    """Record people, organizations and software."""


@source.command("add")
@click.argument("name")
@entity_options
@personal_options
@source_options
@data_disclosure_options
@source_disclosure_options
@effective_option
@json_option
@click.pass_context
def source_add(ctx: click.Context, /, name: str, as_json: bool, **options: Any) -> None:
    """Record a source.

    \b
    Example:
        lineage source add reviews-2024 --owner "Shopwise Inc." --license CC-BY-NC-4.0 \\
            --obtained public --personal-data no --collected 2024-01-01..2024-12-31 \\
            --path sample_data/reviews/
    """
    with store_from(ctx, create=True) as store:
        echo_write(store.add_source(name, **_fields(options)), as_json)


@dataset.command("add")
@click.argument("name")
@entity_options
@personal_options
@data_disclosure_options
@effective_option
@click.option(
    "--not-training-mix",
    is_flag=True,
    default=None,
    help="An audit or catalogue of datasets reviewed, not trained on: mixing rules skip it.",
)
@json_option
@click.pass_context
def dataset_add(ctx: click.Context, /, name: str, as_json: bool, **options: Any) -> None:
    """Record a dataset version.

    \b
    Example:
        lineage dataset add web-text-en --owner "Northwind Labs" --path processed/web_text_en.jsonl
        lineage dataset add licence-audit-2023 --derived-from dolly-15k --not-training-mix
    """
    with store_from(ctx, create=True) as store:
        echo_write(store.add_dataset(name, **_fields(options)), as_json)


@model.command("add")
@click.argument("name")
@entity_options
@model_options
@model_disclosure_options
@effective_option
@json_option
@click.pass_context
def model_add(ctx: click.Context, /, name: str, as_json: bool, **options: Any) -> None:
    """Record a model.

    \b
    Example:
        lineage model add support-assistant-v1 --owner "Northwind Labs" \\
            --license LicenseRef-northwind-proprietary --intended-use commercial
    """
    with store_from(ctx, create=True) as store:
        echo_write(store.add_model(name, **_fields(options)), as_json)


@agent.command("add")
@click.argument("name")
@agent_options
@agent_disclosure_options
@click.option("--description", metavar="TEXT", help="Who or what it is.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Other facts.")
@json_option
@click.pass_context
def agent_add(ctx: click.Context, /, name: str, as_json: bool, **options: Any) -> None:
    """Record an agent.

    \b
    Example:
        lineage agent add dana-okafor --type person --on-behalf-of northwind-labs
    """
    fields = _fields(options)
    if "type" not in fields:
        raise click.UsageError(f"missing option '--type' ({_one_of(lineage.AGENT_TYPES)})")
    with store_from(ctx, create=True) as store:
        echo_write(store.add_agent(name, **fields), as_json)


@cli.group()
def run() -> None:
    """Record runs (transformations: extract, filter, dedup, train, ...)."""


@run.command("record")
@click.argument("operation")
@click.option("--input", "inputs", multiple=True, metavar="NAME", help="What the run used.")
@click.option("--output", "outputs", multiple=True, metavar="NAME", help="What the run made.")
@click.option("--name", metavar="NAME", help="Name of the run (default: derived from its facts).")
@click.option(
    "--reference",
    "references",
    multiple=True,
    metavar="NAME",
    help="A tool, filter, classifier, blocklist or configuration it used, not as content "
    "(repeatable).",
)
@click.option(
    "--excludes",
    multiple=True,
    metavar="NAME",
    help="An upstream part it deliberately removed (repeatable).",
)
@click.option(
    "--agent",
    multiple=True,
    metavar="NAME",
    help="Who or what ran it: a person, organisation, software or LLM agent (repeatable).",
)
@click.option(
    "--removes-personal-data",
    "removes_personal_data",
    multiple=True,
    metavar="CATEGORY",
    help="A category of personal data it removed or masked (repeatable).",
)
@click.option("--method", metavar="TEXT", help="How it removed personal data (masking, ...).")
@click.option("--tool", metavar="NAME==VERSION", help="Tool and its version.")
@click.option("--code-revision", metavar="REV", help="Revision of the code that ran.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Parameters.")
@click.option("--started", metavar="TIME", help="Start, ISO 8601 (UTC unless a zone is given).")
@click.option("--ended", metavar="TIME", help="End, ISO 8601.")
@click.option("--records-in", type=int, help="Records read.")
@click.option("--records-out", type=int, help="Records written.")
@click.option("--status", metavar="STATUS", help=f"{_one_of(lineage.RUN_STATUSES)}.")
@click.option("--description", metavar="TEXT", help="What the run did, and why.")
@click.option("--purpose", metavar="TEXT", help="Why: the intended purpose of this step.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Other facts.")
@json_option
@click.pass_context
def run_record(
    ctx: click.Context, /, operation: str, as_json: bool, params: tuple[str, ...], **options: Any
) -> None:
    """Record a run of OPERATION with its inputs and outputs.

    \b
    Example:
        lineage run record dedup --input web-text-en --output web-text-dedup \\
            --agent dana-okafor --tool dedup==2.3.1 --param threshold=0.8 \\
            --started 2025-06-02T08:00:00Z --ended 2025-06-02T08:40:00Z
        lineage run record filter-language --input cc-text --reference fasttext-lid-176 \\
            --output cc-english --output cc-other-languages
        lineage run record mask-contacts --input cc-english --output cc-masked \\
            --removes-personal-data emails --removes-personal-data "ip addresses" --method masking
    """
    fields = _fields(options)
    if params:
        fields["params"] = _key_values(params, "--param")
    inputs = fields.pop("inputs", ())
    outputs = fields.pop("outputs", ())
    with store_from(ctx, create=True) as store:
        before = store.writes
        name = store.record_run(operation, inputs=inputs, outputs=outputs, **fields)
        written = store.writes > before
    if as_json:
        echo_json({"run": f"activity:{name}", "recorded": written})
    else:
        echo(f"{'recorded' if written else 'unchanged'} activity:{name}")


@cli.command()
@click.argument("subject")
@click.option("--by", required=True, metavar="AGENT", help="Who signs off (a recorded agent).")
@click.option("--role", metavar="ROLE", help="The signer's role (e.g. compliance-officer).")
@click.option("--decision", metavar="D", help=f"{_one_of(lineage.DECISIONS)} (default approved).")
@click.option(
    "--tier",
    metavar="TIER",
    help=f"Approval tier: {_one_of(lineage.TIERS)}.",
)
@click.option("--scope", metavar="TEXT", help="What the approval covers.")
@click.option("--condition", "conditions", multiple=True, metavar="TEXT", help="A condition.")
@click.option("--expires", metavar="DATE", help="When the approval lapses.")
@click.option("--effective", metavar="DATE", help="When it takes effect (the sign-off date).")
@click.option("--name", metavar="NAME", help="Name of the record (default: derived).")
@click.option("--description", metavar="TEXT", help="Notes.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Other facts.")
@click.option(
    "--override",
    is_flag=True,
    help="Record the sign-off although the tier's requirements fail (needs --reason).",
)
@click.option("--reason", metavar="TEXT", help="With --override: why it is given anyway.")
@click.option(
    "--policy",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="A YAML policy whose 'tiers' say what --tier requires (default: the defaults).",
)
@json_option
@click.pass_context
def approve(
    ctx: click.Context,
    /,
    subject: str,
    by: str,
    as_json: bool,
    override: bool,
    reason: str | None,
    policy: str | None,
    **options: Any,
) -> None:
    """Record a sign-off on SUBJECT (a model or dataset) by an agent.

    The sign-off records the digest of SUBJECT's upstream graph: 'lineage
    approvals' reports it as stale once anything upstream changes. A model's
    sign-off for a --tier whose requirements fail (see 'lineage tiers') is refused
    with every reason, unless --override --reason TEXT, which is recorded with it
    and shown in every report.

    \b
    Example:
        lineage approve support-assistant-v1 --by maria-lopez --role compliance-officer \\
            --scope "customer-support replies" --tier general-commercial \\
            --condition "human review of refund replies" --expires 2026-07-01
    """
    if override and not reason:
        raise click.UsageError("--override needs --reason TEXT: why it is given anyway")
    if reason and not override:
        raise click.UsageError("--reason goes with --override")
    chosen = lineage.load_policy(policy) if policy else None
    with store_from(ctx) as store:
        before = store.writes
        name = store.approve(
            subject, by=by, override=reason if override else None, policy=chosen, **_fields(options)
        )
        written = store.writes > before
    if as_json:
        echo_json({"attestation": f"attestation:{name}", "recorded": written})
    else:
        echo(f"{'recorded' if written else 'unchanged'} attestation:{name}")


@cli.command()
@click.argument("target")
@click.option("--license", "license_", required=True, metavar="SPDX", help="The licence claimed.")
@click.option(
    "--by", required=True, metavar="AGENT", help="Who makes the claim (a recorded agent)."
)
@click.option(
    "--method",
    metavar="METHOD",
    help=f"How it was arrived at: {_one_of(lineage.CLAIM_METHODS)} (default audited).",
)
@click.option("--evidence", metavar="URL", help="Where the claim can be read.")
@click.option("--date", metavar="DATE", help="When the claim was made.")
@click.option("--note", metavar="TEXT", help="Anything else a reviewer should know.")
@json_option
@click.pass_context
def claim(ctx: click.Context, /, target: str, by: str, as_json: bool, **options: Any) -> None:
    """Record an agent's claim about the licence of TARGET (a source, dataset or model).

    Claims sit beside the concluded licence (--license) and the publisher's
    declared one (--declared-license); 'lineage check' reports disagreements.

    \b
    Example:
        lineage claim alpaca-data --license CC-BY-NC-4.0 --by data-provenance-initiative \\
            --method audited --evidence https://example.org/audit --date 2023-10-25
    """
    fields = _fields(options)
    with store_from(ctx) as store:
        before = store.writes
        name = store.claim(target, by=by, **fields)
        written = store.writes > before
    if as_json:
        echo_json({"claim": name, "recorded": written})
    else:
        click.echo(f"{'recorded' if written else 'unchanged'} {name}")


@cli.command()
@click.argument("name")
@click.option("--reason", required=True, metavar="TEXT", help="Why the record changes.")
@click.option("--effective", metavar="DATE", help="When the change took effect in the world.")
@click.option(
    "--clear",
    multiple=True,
    metavar="FIELD",
    help="A field that no longer holds, recorded as unknown (e.g. license).",
)
@entity_options
@personal_options
@source_options
@model_options
@agent_options
@amend_disclosure_options
@json_option
@click.pass_context
def amend(ctx: click.Context, /, name: str, reason: str, as_json: bool, **options: Any) -> None:
    """Record a corrected version of NAME; the old version stays in the history.

    Takes any field option of the record's add command.

    \b
    Example:
        lineage amend reviews-2024 --license CC-BY-4.0 --effective 2025-09-01 \\
            --reason "publisher relicensed the corpus"
    """
    with store_from(ctx) as store:
        echo_write(store.amend(name, reason=reason, **_fields(options)), as_json)


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept OpenLineage events without 'schemaURL' (as Marquez writes them) or with "
    "an eventTime without a UTC offset (read as UTC); each record says so in 'show'.",
)
@json_option
@click.pass_context
def ingest(ctx: click.Context, /, files: tuple[str, ...], lenient: bool, as_json: bool) -> None:
    """Record FILE...: manifests (YAML or JSON), OpenLineage events (a JSON object, a JSON
    array or newline-delimited JSON: RunEvents, JobEvents, DatasetEvents), W3C PROV-JSON
    documents and SPDX 3 or CycloneDX bills of materials, told apart by content; all in
    one transaction. FILE '-' reads standard input (at most 64 MiB).

    \b
    Example:
        lineage ingest sample_data/lineage.yaml
        lineage ingest airflow-events.ndjson
        lineage ingest --lenient marquez-metadata.json
        lineage ingest trail.provjson
        lineage ingest supplier-model.cdx.json
        produce-events | lineage ingest -
    """
    with store_from(ctx, create=True) as store:
        result = store.ingest(list(files), lenient=lenient)
    if as_json:
        echo_json({"files": list(files), **_summary(result)})
        return
    echo(
        f"{len(result.created)} records, {result.edges} relations recorded"
        f"{f', {len(result.unchanged)} already recorded' if result.unchanged else ''}"
        + (f" (ledger entry {result.ledger_seq})" if result.ledger_seq else "")
    )


def _summary(result: lineage.WriteResult) -> dict[str, Any]:
    from cli.main import write_summary

    return write_summary(result)
