"""The EU summary's rules on small stores of their own, on both engines: categories and
gaps, registrable domains and the SME share, per-domain sizes from a CSV, exact sizes."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from cli_run import invoke, ok, one_error_line
from samples import table_counts
from test_summary_fields import ab_items, eu_fields

import lineage
from lineage.reports import TemplateOptions, build_report
from lineage.reports.domains import registrable_domain, top_share


def _summary(store: lineage.Store, target: str, **options: Any) -> dict[str, dict[str, Any]]:
    report = build_report(store, target, template="eu-ai-act", options=TemplateOptions(**options))
    return eu_fields(report)


def _crawl_model(store: lineage.Store, *, sme: bool | None, domains: int) -> None:
    """A model trained on one crawl whose per-domain sizes are recorded in attrs."""
    store.add_agent("acme", type="organization", sme=sme)
    store.add_agent("ada", type="person", acted_on_behalf_of="acme")
    store.add_source(
        "crawl",
        obtained="crawled",
        modality=["text"],
        tokens=5_000,
        attrs={"domain_sizes": str(Path.cwd() / "sizes.csv"), "crawler": "AcmeBot"},
    )
    store.add_model("m", owner="Acme")
    store.record_run("train", inputs=["crawl"], outputs=["m"], agent="ada")
    rows = ["domain,bytes,records"]
    rows += [f"site{i:02d}.example,{1000 - i},{i + 1}" for i in range(domains - 2)]
    rows += ["www.big.example,600,1", "support.big.example,600,1"]
    Path("sizes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_hosts_count_at_their_registrable_domain() -> None:
    assert registrable_domain("www.x.example") == "x.example"
    assert registrable_domain("support.x.example") == "x.example"
    assert registrable_domain("a.b.co.uk") == "b.co.uk"
    assert registrable_domain("WWW.Example.COM.") == "example.com"
    assert registrable_domain("192.0.2.7") == "192.0.2.7"


def test_registrable_domains_never_touch_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the public suffix list was fetched")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert registrable_domain("news.bbc.co.uk") == "bbc.co.uk"


def test_the_share_of_domains_listed() -> None:
    assert top_share(30, sme=False) == 3  # the top 10%
    assert top_share(30, sme=True) == 2  # 5%, rounded up
    assert top_share(100_000, sme=False) == 10_000
    assert top_share(100_000, sme=True) == 1_000  # 5% or 1,000, whichever is lower


def test_domains_are_ranked_by_registrable_domain_and_sme_share(
    store: lineage.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _crawl_model(store, sme=False, domains=20)
    report = build_report(store, "m", template="eu-ai-act")
    table = report.section("eu-2.3").blocks[-1]
    assert isinstance(table, lineage.reports.Table)
    # www.big and support.big are one domain of 1,200 bytes: the largest.
    assert [row[1].text for row in table.rows] == ["big.example", "site00.example"]
    assert "2 of 19 registrable domains (the top 10%)" in str(eu_fields(report)["2.3.h"]["text"])
    store.amend("acme", reason="an SME after all", sme=True)
    fields = _summary(store, "m")
    assert str(fields["2.3.h"]["text"]).startswith("1 of 19 registrable domains (the top 5% or")


def test_unknown_sme_status_is_a_gap_and_the_general_share_applies(
    store: lineage.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _crawl_model(store, sme=None, domains=30)
    report = build_report(store, "m", template="eu-ai-act")
    assert any(g.subject == "agent:acme" and g.field == "attrs.sme" for g in report.gaps)
    assert "(the top 10%)" in str(eu_fields(report)["2.3.h"]["text"])


def test_domain_sizes_from_a_csv_given_to_the_report(
    store: lineage.Store, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _crawl_model(store, sme=False, domains=10)
    Path("other.csv").write_text(
        "domain,bytes\nwww.alpha.example,5\nblog.alpha.example,5\nbeta.example,9\n",
        encoding="utf-8",
    )
    out = ok(invoke(db_url, "report m --template eu-ai-act --domain-sizes other.csv --json"))
    assert '"text": "alpha.example"' in out
    assert "1 of 2 registrable domains" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("host,bytes\na.example,1\n", "bad.csv:1: a domain sizes file needs the columns"),
        ("domain,bytes\na.example,1\nb.example,lots\n", "bad.csv:3: field 'bytes': 'lots'"),
        ("domain,bytes\na.example,1,7\n", "bad.csv:2: more fields than the header names"),
        ("domain,bytes\n,4\n", "bad.csv:2: field 'domain' is empty"),
    ],
)
def test_a_bad_domain_sizes_csv_is_one_line_naming_file_and_line(
    store: lineage.Store,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    _crawl_model(store, sme=False, domains=10)
    Path("bad.csv").write_text(content, encoding="utf-8")
    before = table_counts(db_url)
    line = one_error_line(invoke(db_url, "report m --template eu-ai-act --domain-sizes bad.csv"), 1)
    assert line.startswith(f"Error: {message}")
    assert table_counts(db_url) == before


def test_sizes_are_ranges_unless_exact_sizes_are_asked_for(
    store: lineage.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _crawl_model(store, sme=False, domains=10)
    ranges = _summary(store, "m")
    assert ranges["1.3.b"]["text"] == "text: Less than 1 billion tokens"
    exact = _summary(store, "m", exact_sizes=True)
    assert exact["1.3.b"]["text"] == "text: Less than 1 billion tokens (5,000 tokens)"
    report = build_report(store, "m", template="eu-ai-act")
    table = report.section("eu-2.3").blocks[-1]
    assert isinstance(table, lineage.reports.Table) and table.columns == ("Rank", "Domain name")


def test_a_source_of_unknown_origin_is_a_gap_never_no(store: lineage.Store) -> None:
    store.add_source("open", obtained="public", modality=["text"], uri="https://x.example")
    store.add_source("mystery", modality=["text"])
    store.add_model("m")
    store.record_run("train", inputs=["open", "mystery"], outputs=["m"])
    fields = _summary(store, "m")
    assert fields["2.1.a"]["text"] == "Yes"
    for key in ("2.2.1.a", "2.2.2.a", "2.3.a", "2.4.a", "2.4.b", "2.5.a", "2.6.a"):
        assert fields[key] == {"label": fields[key]["label"], "status": "gap", "text": None}, key
    # The same store once the mystery is solved: now the store knows, and says No.
    store.amend("mystery", reason="found the invoice", obtained="public")
    fields = _summary(store, "m")
    assert {fields[k]["text"] for k in ("2.3.a", "2.5.a", "2.6.a")} == {"No"}


def test_a_purchase_from_a_data_broker_is_not_a_licence_from_rightsholders(
    store: lineage.Store,
) -> None:
    store.add_source("handbook", obtained="purchased", supplier="rightsholder", modality=["text"])
    store.add_source(
        "broker-dump",
        obtained="purchased",
        supplier="third-party",
        modality=["image"],
        description="resold product photos",
    )
    store.add_source("unsure", obtained="licensed", modality=["text"])
    store.add_model("m")
    store.record_run("train", inputs=["handbook", "broker-dump", "unsure"], outputs=["m"])
    fields = _summary(store, "m")
    assert (fields["2.2.1.a"]["text"], fields["2.2.1.b"]["status"]) == ("Yes", "gap")
    assert fields["2.2.2.a"]["text"] == "Yes"
    assert fields["2.2.2.d"]["text"] == "source:broker-dump: resold product photos"
    store.amend("unsure", reason="contract found", supplier="rightsholder")
    fields = _summary(store, "m")
    assert (fields["2.2.1.b"]["text"], fields["2.2.2.b"]["text"]) == ("text", "image")


def test_user_data_from_the_model_and_from_other_services_are_answered_apart(
    store: lineage.Store,
) -> None:
    store.add_source("prompts", obtained="user", user_data_from=["model"], modality=["text"])
    store.add_source(
        "tickets",
        obtained="user",
        user_data_from=["other-services"],
        product_or_service="the help desk",
        modality=["text"],
    )
    store.add_model("m")
    store.record_run("train", inputs=["prompts"], outputs=["m"])
    store.add_model("n")
    store.record_run("train", inputs=["tickets"], outputs=["n"])
    m, n = _summary(store, "m"), _summary(store, "n")
    assert (m["2.4.a"]["text"], m["2.4.b"]["text"]) == ("Yes", "No")
    assert (n["2.4.a"]["text"], n["2.4.b"]["text"]) == ("No", "Yes")
    assert n["2.4.c"]["text"] == "the help desk (source:tickets)"


def test_synthetic_data_names_the_generator_on_the_market_with_its_summary(
    store: lineage.Store,
) -> None:
    store.add_model(
        "gen-1", owner="Vendor", on_market=True, summary_url="https://vendor.example/gen-1/summary"
    )
    store.add_model("inhouse", owner="Acme", on_market=False, description="a small drafter")
    store.add_source("s1", obtained="synthetic", generated_by="gen-1", modality=["text"])
    store.add_source("s2", obtained="synthetic", generated_by="inhouse", modality=["text"])
    store.add_model("m", owner="Acme")
    store.record_run("train", inputs=["s1", "s2"], outputs=["m"])
    fields = _summary(store, "m")
    assert (
        fields["2.5.c"]["text"]
        == "gen-1 (Vendor), its summary: https://vendor.example/gen-1/summary"
    )
    assert fields["2.5.d"]["text"] == "inhouse (Acme) (the provider's own): a small drafter"


def test_summary_options_are_refused_for_other_templates(db_url: str) -> None:
    ok(invoke(db_url, "init"))
    result = invoke(db_url, "report m --template ca-ab2013 --exact-sizes")
    assert result.exit_code == 2
    assert "--exact-sizes and --domain-sizes apply to --template eu-ai-act" in result.stderr


def test_a_missing_domain_sizes_file_is_one_line(
    store: lineage.Store, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _crawl_model(store, sme=False, domains=10)
    line = one_error_line(
        invoke(db_url, "report m --template eu-ai-act --domain-sizes nowhere.csv"), 1
    )
    assert line == "Error: nowhere.csv: cannot be read (No such file or directory)"


def _half_answered(store: lineage.Store) -> None:
    """Two sources in each category, one that answers every field and one that does not."""
    store.add_source(
        "crawl-a",
        obtained="crawled",
        modality=["text"],
        data_types=["forum posts"],
        tokens=5_000,
        attrs={"crawler": "AcmeBot", "purpose": "gather forum posts", "languages": ["en"]},
    )
    store.add_source("crawl-b", obtained="crawled")
    store.add_source(
        "broker-a", obtained="purchased", supplier="third-party", modality=["image"], records=10
    )
    store.add_source("broker-b", obtained="purchased", supplier="third-party")
    store.add_source(
        "prompts-a",
        obtained="user",
        user_data_from=["other-services"],
        product_or_service="the help desk",
        modality=["text"],
    )
    store.add_source("prompts-b", obtained="user", user_data_from=["other-services"])
    store.add_model("m")
    store.record_run(
        "train",
        inputs=["crawl-a", "crawl-b", "broker-a", "broker-b", "prompts-a", "prompts-b"],
        outputs=["m"],
    )


def test_a_partial_answer_names_the_records_that_do_not_say(store: lineage.Store) -> None:
    _half_answered(store)

    fields = _summary(store, "m")

    expected = {
        "2.3.b": "AcmeBot; not recorded for source:crawl-b",
        "2.3.c": "source:crawl-a: gather forum posts; not recorded for source:crawl-b",
        "2.3.f": "source:crawl-a: forum posts; languages en; not recorded for source:crawl-b",
        "2.3.g": "text; not recorded for source:crawl-b",
        "1.3.a": "text, image; not recorded for source:broker-b, source:crawl-b, source:prompts-b",
        "1.3.b": "image: Less than 1 million images; not recorded for source:prompts-a",
        "1.3.c": "text: forum posts; image: not recorded; not recorded for source:broker-a, "
        "source:broker-b, source:crawl-b, source:prompts-a, source:prompts-b",
        "1.3.e": "en; not recorded for source:broker-a, source:broker-b, source:crawl-b, "
        "source:prompts-a, source:prompts-b",
        "2.2.2.b": "image; not recorded for source:broker-b",
        "2.4.c": "the help desk (source:prompts-a); not recorded for source:prompts-b",
        "2.4.d": "text; not recorded for source:prompts-b",
    }
    assert {key: fields[key]["text"] for key in expected} == expected
    assert {fields[key]["status"] for key in expected} == {"gap"}


def test_a_field_every_record_answers_names_no_record_as_lacking(store: lineage.Store) -> None:
    _half_answered(store)
    store.amend("crawl-b", reason="found the crawl log", modality=["text"])
    store.amend("broker-b", reason="found the invoice", modality=["image"])

    fields = _summary(store, "m")

    assert (fields["2.3.g"]["status"], fields["2.3.g"]["text"]) == ("derived", "text")
    assert (fields["2.2.2.b"]["status"], fields["2.2.2.b"]["text"]) == ("derived", "image")


def test_ab2013_processing_of_a_test_set_used_by_an_evaluation_run(store: lineage.Store) -> None:
    store.add_source("web", obtained="public", modality=["text"])
    store.add_source("questions", obtained="public", modality=["text"])
    store.add_dataset("test-set")
    store.record_run(
        "deduplicate",
        name="dedup-questions",
        inputs=["questions"],
        outputs=["test-set"],
        attrs={"purpose": "no question asked twice"},
    )
    store.add_model("m")
    store.record_run("train", inputs=["web"], outputs=["m"])
    store.add_dataset("scores")
    store.record_run("evaluate", name="eval-m", inputs=["m", "test-set"], outputs=["scores"])

    report = build_report(store, "m", template="ca-ab2013")

    rows = {r["dataset"]: r for r in ab_items(report)["ab2013-i"]["rows"]}
    assert rows["dataset:test-set"] == {
        "dataset": "dataset:test-set",
        "use": "testing and validation",
        "status": "recorded",
        "text": "deduplicate (activity:dedup-questions): no question asked twice",
    }
    assert rows["source:web"]["text"] == "none recorded"
