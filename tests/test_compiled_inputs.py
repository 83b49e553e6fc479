"""The validators compiled from the input models (lineage.compiled_inputs) are the models'.

`lineage source add` (and dataset, model and agent add) validates through them without
importing pydantic (issue 17).
The committed module must be what the compiler writes from the models as they are
now, and every input, valid or not, must give the same instance facts or the same
one-line error either way.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from typing import Any

import pydantic_core
import pytest
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from lineage import compiled_inputs, compiled_validation, input_compiler
from lineage.errors import InvalidRecord
from lineage.validation import INPUT_OF_KIND, validate_input

# Under another pydantic-core than the module was compiled for, the models validate
# instead (tested below); what only the compiled path does is then not in use.
COMPILED_IN_USE = pydantic_core.__version__ == compiled_inputs.PYDANTIC_CORE
needs_compiled = pytest.mark.skipif(
    not COMPILED_IN_USE,
    reason=f"lineage/compiled_inputs.py is compiled for pydantic-core "
    f"{compiled_inputs.PYDANTIC_CORE}, {pydantic_core.__version__} is installed (the models "
    "validate instead): run python -m lineage.input_compiler --write",
)

DIGEST = "sha256:" + "ab" * 32
FULL_SOURCE: dict[str, Any] = {
    "name": "web-crawl",
    "owner": "Northwind",
    "uri": "https://example.org",
    "license": "CC-BY-4.0 AND MIT",
    "declared_license": "cc-by-4.0",
    "restrictions": ["non-commercial", "share-alike"],
    "path": "data/",
    "digest": DIGEST,
    "size_bytes": 10,
    "records": 2,
    "tokens": 3,
    "modality": ["text", "code"],
    "data_types": ["web pages"],
    "copyright": "c",
    "effective": "2025-01-01",
    "derived_from": ["y", "z"],
    "attributed_to": ["a"],
    "known_biases": "English only",
    "limitations": ["old", "small"],
    "description": "d",
    "attrs": {"k": 1, "nested": {"list": [1, 2.5, None, True]}},
    "personal_data": "yes",
    "personal_data_categories": ["emails"],
    "legal_basis": "consent",
    "first_used": date(2025, 2, 1),
    "coverage": [
        "locale=en-NG:20:20%:measured",
        {"attribute": "locale", "group": "de", "share": 0.5},
    ],
    "obtained": "crawled",
    "generated_by": "m",
    "opt_outs": "honoured",
    "collected": "2025-01-01..2025-01-31",
    "purpose": "pre-training",
    "labelled": True,
    "label_types": ["toxicity"],
    "ip_protection": ["copyright", "copyright", "trademark"],
    "aggregate_consumer_information": "no",
    "languages": ["en", "pt-BR", "en"],
    "supplier": "third-party",
    "user_data_from": ["model"],
    "product_or_service": "chat",
}


def nested(levels: int) -> dict[str, Any]:
    """A mapping nesting `levels` levels deep."""
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"d": value}
    return value


SOURCE_ONLY = {"obtained", "generated_by", "opt_outs", "collected"}
SOURCE_ONLY |= {"supplier", "user_data_from", "product_or_service"}
PERSONAL_AND_DATA = {"personal_data", "personal_data_categories", "legal_basis"}
PERSONAL_AND_DATA |= {"first_used", "coverage", "purpose", "labelled", "label_types"}
PERSONAL_AND_DATA |= {"ip_protection", "aggregate_consumer_information", "languages"}

VALID: list[dict[str, Any]] = [
    {"name": "x"},
    {"name": "  spaced  ", "owner": "  o  ", "license": " MIT "},
    {"name": "x", "license": "MIT", "obtained": "public"},
    {"name": "x", "license": "mit"},
    {"name": "x", "license": "Apache-2.0 WITH LLVM-exception OR MIT"},
    {"name": "x", "license": ""},
    {"name": "x", "license": None, "owner": None},
    {"name": "x", "license": "LicenseRef-northwind-proprietary"},
    FULL_SOURCE,
    {"name": "x", "collected": "2024-01-01.."},
    {"name": "x", "collected": "..2024-12-31"},
    {"name": "x", "collected": {"start": "2024-01-01", "end": date(2024, 2, 1)}},
    {"name": "x", "collected": ""},
    {"name": "x", "coverage": "locale=en:20"},
    {"name": "x", "coverage": {"attribute": "gender", "group": "female", "share": 0.48}},
    {"name": "x", "coverage": ["a=b:1", "a=c:0.5", "d=e:30%:estimated"]},
    {"name": "x", "attrs": {"supplier": "rightsholder", "other": "kept"}},
    {"name": "x", "supplier": "rightsholder", "attrs": {"supplier": "rightsholder"}},
    {"name": "x", "restrictions": ("non-commercial", "non-commercial")},
    {"name": "x", "effective": date(2024, 3, 1), "first_used": "2024-03-02"},
    {"name": "x", "ip_protection": ["public-domain"], "attrs": {"when": datetime(2024, 1, 1)}},
    {"name": "x", "labelled": False},
    {"name": "x", "records": 0, "size_bytes": 2**63 - 1},
    {"name": "x", "digest": DIGEST, "description": "   "},
]

INVALID: list[dict[str, Any]] = [
    {},
    {"owner": "o"},
    {"name": ""},
    {"name": "   "},
    {"name": "a\u200bb"},
    {"name": "x" * 1001},
    {"name": 3},
    {"name": "x", "licence": "MIT"},
    {"name": "x", "unknown": 1, "other": 2},
    {"name": "x", "license": "MIT-ish"},
    {"name": "x", "license": "MIT AND"},
    {"name": "x", "license": "GPL-2.0 WITH Nope-exception"},
    {"name": "x", "declared_license": "not a licence"},
    {"name": "x", "restrictions": ["no-such-restriction"]},
    {"name": "x", "digest": "sha256:abc"},
    {"name": "x", "digest": "md5:" + "0" * 32},
    {"name": "x", "effective": "2024-13-01"},
    {"name": "x", "effective": "yesterday"},
    {"name": "x", "first_used": "2024-02-30"},
    {"name": "x", "collected": "2024-01-01"},
    {"name": "x", "collected": "2024-13-01.."},
    {"name": "x", "collected": ".."},
    {"name": "x", "collected": "2024-02-01..2024-01-01"},
    {"name": "x", "collected": 5},
    {"name": "x", "coverage": "locale"},
    {"name": "x", "coverage": "locale=en:lots"},
    {"name": "x", "coverage": {"attribute": "locale", "group": "en"}},
    {"name": "x", "coverage": ["locale=en:60%", "locale=de:50%"]},
    {"name": "x", "coverage": ["locale=en:10", "locale=en:20"]},
    {"name": "x", "coverage": {"attribute": "a", "group": "b", "share": 2}},
    {"name": "x", "coverage": {"attribute": "a", "group": "b", "records": 1, "extra": 1}},
    {"name": "x", "coverage": {"attribute": "a", "group": "b", "records": 1, "basis": "guess"}},
    {"name": "x", "coverage": 7},
    {"name": "x", "ip_protection": "public-domain"},
    {"name": "x", "attrs": {"s": {1, 2}}},
    {"name": "x", "attrs": nested(70)},
    {"name": "x", "attrs": "not a mapping"},
    {"name": "x", "attrs": {"supplier": "nobody"}},
    {"name": "x", "supplier": "rightsholder", "attrs": {"supplier": "third-party"}},
    {"name": "x", "obtained": "stolen"},
    {"name": "x", "personal_data": "maybe"},
    {"name": "x", "opt_outs": "ignored"},
    {"name": "x", "modality": ["smell"]},
    {"name": "x", "modality": "text"},
    {"name": "x", "records": -1},
    {"name": "x", "records": "12"},
    {"name": "x", "records": 1.5},
    {"name": "x", "size_bytes": 2**63},
    {"name": "x", "derived_from": [""]},
    {"name": "x", "derived_from": "y"},
    {"name": "x", "attributed_to": ["a\u202eb"]},
    {"name": "x", "languages": ["english"]},
    {"name": "x", "ip_protection": ["public-domain", "copyright"]},
    {"name": "x", "labelled": False, "label_types": ["toxicity"]},
    {"name": "x", "user_data_from": ["elsewhere"]},
    {"name": "x", "purpose": ""},
    {"name": "x", "product_or_service": "p" * 10_001},
    {"name": "x", "known_biases": 3},
    {**FULL_SOURCE, "digest": "sha256:nope"},
]


SUMMARY = DIGEST.replace("ab", "cd") + "@2025-08-02"
ENTITY = {k: v for k, v in FULL_SOURCE.items() if k not in SOURCE_ONLY}
FULL_DATASET = {**ENTITY, "not_training_mix": True}
FULL_MODEL: dict[str, Any] = {
    **{k: v for k, v in ENTITY.items() if k not in PERSONAL_AND_DATA},
    "intended_use": "commercial",
    "purpose": "support",
    "on_market": True,
    "release_version": "1.0",
    "placed_on_market": "2025-08-02",
    "summary_url": "https://example.org/summary",
    "languages": ["en", "de"],
    "other_characteristics": "o",
    "continuously_trained": False,
    "synthetic_data_continuous": False,
    "provider_contact": "p",
    "authorised_representative": "r",
    "code_of_practice_signatory": True,
    "illegal_content_measures": "filters",
    "published_summaries": SUMMARY,
    "summary_comments": {"2.3.i": "text"},
}
FULL_AGENT = {
    "name": "crawler",
    "type": "software",
    "version": "2.1",
    "acted_on_behalf_of": "Northwind",
    "description": "d",
    "attrs": {"k": 1},
    "sme": True,
    "contact": "c",
}
OTHER_KINDS: list[tuple[str, dict[str, Any], bool]] = [  # kind, input, valid
    ("dataset", {"name": "d"}, True),
    ("dataset", FULL_DATASET, True),
    ("dataset", {"name": "d", "not_training_mix": True, "attrs": {"k": 1}}, True),
    ("dataset", {"name": "d", "attrs": {"labelled": True, "languages": ["en"]}}, True),
    ("dataset", {"name": "d", "not_training_mix": "perhaps"}, False),
    ("dataset", {"name": "d", "supplier": "rightsholder"}, False),
    ("dataset", {"name": "d", "obtained": "public"}, False),
    ("dataset", {"name": "d", "coverage": ["a=b:70%", "a=c:70%"]}, False),
    ("dataset", {**FULL_DATASET, "license": "nope"}, False),
    ("model", {"name": "m"}, True),
    ("model", FULL_MODEL, True),
    ("model", {"name": "m", "attrs": {"on_market": True, "sme": "kept"}}, True),
    ("model", {"name": "m", "published_summaries": [DIGEST, SUMMARY]}, True),
    ("model", {"name": "m", "intended_use": "military"}, False),
    ("model", {"name": "m", "summary_url": "ftp://example.org"}, False),
    ("model", {"name": "m", "published_summaries": "sha256:abc"}, False),
    ("model", {"name": "m", "published_summaries": DIGEST + "@2025-02-30"}, False),
    ("model", {"name": "m", "summary_comments": {"9.9": "text"}}, False),
    ("model", {"name": "m", "summary_comments": {"2.3.i": "  "}}, False),
    ("model", {"name": "m", "release_version": ""}, False),
    ("model", {"name": "m", "attrs": {"on_market": "perhaps"}}, False),
    ("model", {"name": "m", "coverage": "a=b:1"}, False),
    ("agent", {"name": "a", "type": "person"}, True),
    ("agent", FULL_AGENT, True),
    ("agent", {"name": "a", "type": "organization", "attrs": {"sme": False}}, True),
    ("agent", {"name": "a"}, False),
    ("agent", {"name": "a", "type": "robot"}, False),
    ("agent", {"name": "a", "type": "person", "attrs": {"sme": "perhaps"}}, False),
    ("agent", {"name": "a\u200b", "type": "person"}, False),
    ("agent", {"name": "a", "type": "person", "license": "MIT"}, False),
]
CASES = [
    *(("source", data, True) for data in VALID),
    *(("source", data, False) for data in INVALID),
    *OTHER_KINDS,
]


def both(kind: str, data: dict[str, Any], where: str = "") -> tuple[Any, Any]:
    """`data` validated by the model and by the compiled validator: instance or error."""
    out: list[Any] = []
    for validate in (
        lambda: validate_input(INPUT_OF_KIND[kind], data, where),
        lambda: compiled_validation.validate_input(kind, data, where),
    ):
        try:
            out.append(validate())
        except InvalidRecord as error:
            out.append(error)
    return out[0], out[1]


def plain(value: Any) -> Any:
    """An instance's fields, with nested instances as their fields, to compare across classes."""
    if hasattr(value, "__pydantic_fields_set__"):
        fields = {k: plain(v) for k, v in value.__dict__.items()}
        return type(value).__name__, fields, value.__pydantic_fields_set__
    if isinstance(value, tuple | list):
        return type(value)(plain(item) for item in value)
    return value


@needs_compiled
def test_the_committed_module_is_what_the_compiler_writes_from_the_models() -> None:
    assert input_compiler.TARGET.read_text() == input_compiler.module_text(), (
        "run: python -m lineage.input_compiler --write"
    )


@pytest.mark.parametrize("kind, data", [(k, d) for k, d, valid in CASES if valid])
def test_a_valid_input_gives_the_same_fields_and_facts(kind: str, data: dict[str, Any]) -> None:
    model, compiled = both(kind, data)

    assert not isinstance(model, InvalidRecord), model
    if COMPILED_IN_USE:
        assert type(compiled) is getattr(compiled_inputs, type(model).__name__)
    assert compiled.facts() == model.facts()
    assert plain(compiled) == plain(model)
    assert compiled.disclosure_attrs() == model.disclosure_attrs()


@pytest.mark.parametrize("kind, data", [(k, d) for k, d, valid in CASES if not valid])
def test_an_invalid_input_gives_the_same_one_line_error(kind: str, data: dict[str, Any]) -> None:
    model, compiled = both(kind, data, where=f"{kind} 'x'")

    assert isinstance(model, InvalidRecord), model
    assert isinstance(compiled, InvalidRecord), compiled
    assert str(compiled) == str(model)
    assert "\n" not in str(compiled)
    assert compiled.loc == model.loc


def test_the_full_inputs_record_every_kind_of_fact() -> None:
    # The equivalence above compares something: the full inputs fill every path.
    facts = compiled_validation.validate_input("source", FULL_SOURCE).facts()
    dataset = compiled_validation.validate_input("dataset", FULL_DATASET).facts()
    model = compiled_validation.validate_input("model", FULL_MODEL).facts()
    agent = compiled_validation.validate_input("agent", FULL_AGENT).facts()

    assert facts["license"] == "CC-BY-4.0 AND MIT"
    assert facts["collected_start"] == "2025-01-01"
    assert '"share":0.2' in facts["coverage"] and '"supplier":"third-party"' in facts["attrs"]
    assert facts["restrictions"] == '["non-commercial","share-alike"]'
    assert '"not_training_mix":true' in dataset["attrs"] and "coverage" in dataset
    assert '"summary_comments":{"2.3.i":"text"}' in model["attrs"]
    assert model["intended_use"] == "commercial" and "published_summaries" in model["attrs"]
    assert (agent["agent_type"], agent["software_version"]) == ("software", "2.1")
    assert '"sme":true' in agent["attrs"]


def test_a_compiled_instance_is_frozen_as_the_model_is() -> None:
    errors = []
    for record in both("source", {"name": "x"}):
        with pytest.raises(ValidationError) as caught:
            record.name = "y"
        errors.append(caught.value.errors())
        assert record.name == "x"

    assert errors[0] == errors[1]
    assert errors[0][0]["type"] == "frozen_instance"


def test_the_compiler_refuses_a_validator_only_pydantic_can_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Written(BaseModel):
        model_config = ConfigDict(defer_build=True)
        name: str

        @field_validator("name")
        @classmethod
        def _name(cls, value: str) -> str:
            return value

    monkeypatch.setattr(input_compiler, "COMPILED", {"source": Written})

    with pytest.raises(TypeError, match="not a classmethod of lineage"):
        input_compiler.module_text()


@needs_compiled
def test_the_compiled_module_loads_no_pydantic() -> None:
    probe = (
        "import sys\n"
        "from lineage import compiled_validation\n"
        "compiled_validation.validate_input('source', {'name': 'x', 'license': 'MIT'})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('pydantic')}))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['pydantic_core']"


def test_under_another_pydantic_core_the_model_itself_validates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compiled_inputs, "PYDANTIC_CORE", "0.0.0")

    record = compiled_validation.validate_input("source", {"name": "x", "license": "mit"})
    with pytest.raises(InvalidRecord, match="'MIT-ish' is not a known SPDX"):
        compiled_validation.validate_input("source", {"name": "x", "license": "MIT-ish"}, "s")

    assert type(record) is INPUT_OF_KIND["source"]
    assert record.facts() == {"license": "MIT"}


def test_the_api_takes_input_models_inside_its_fields_as_their_plain_values(
    tmp_path: Any,
) -> None:
    import lineage
    from lineage.validation import CoverageInput

    given = [
        CoverageInput(attribute="locale", group="en-NG", records=20, basis="measured"),
        CoverageInput(attribute="locale", group="yo", share=0.25),
    ]
    plain = [
        {"attribute": "locale", "group": "en-NG", "records": 20, "basis": "measured"},
        {"attribute": "locale", "group": "yo", "share": 0.25},
    ]
    with lineage.open_store(str(tmp_path / "store.db")) as store:
        store.add_source("models", license="MIT", coverage=given)
        store.add_source("dicts", license="MIT", coverage=plain)
        store.add_dataset("tuple", coverage=tuple(given))
        facts = {name: store.show(name).facts for name in ("models", "dicts", "tuple")}
    assert facts["models"]["coverage"] == facts["dicts"]["coverage"] == facts["tuple"]["coverage"]
    assert "en-NG" in str(facts["models"]["coverage"]) and "0.25" in str(
        facts["models"]["coverage"]
    )
