"""Validation of the AI bills of materials, offline: the standard's own validator, then
lineage's post-checks for what that validator misses (`postchecks`).

The validators are the optional extra `lineage[validate]` (pyshacl, the CycloneDX
library's JSON validator, mlcroissant); nothing is fetched: SPDX is parsed against the
vendored 3.0.1 context, CycloneDX schemas are bundled with the library, and Croissant
documents carry their context inline.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from importlib import resources
from typing import Any

from lineage.errors import ExportInvalid, MissingDependency
from lineage.exports.bom.postchecks import POSTCHECKS

SPDX_FILES = resources.files("lineage.exports.bom") / "spdx-3.0.1"
INSTALL_HINT = "install them with: pip install 'lineage[validate]'"


def _missing(what: str, error: ImportError) -> MissingDependency:
    return MissingDependency(f"--validate needs {what} ({error.name} is missing); {INSTALL_HINT}")


def spdx3_errors(document: dict[str, Any]) -> list[str]:
    """JSON Schema 2020-12 and SHACL errors of an SPDX 3.0.1 document."""
    try:
        import jsonschema
        import pyshacl
        import rdflib
    except ImportError as error:
        raise _missing("jsonschema, rdflib and pyshacl", error) from None
    errors = _spdx3_schema_errors(jsonschema, document)
    context = json.loads((SPDX_FILES / "spdx-context.jsonld").read_text("utf-8"))
    local = {**document, "@context": context["@context"]}  # never fetch the remote context
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's JSON-LD parser
        data = rdflib.Graph().parse(data=json.dumps(local), format="json-ld")
        shapes = rdflib.Graph().parse(
            data=(SPDX_FILES / "spdx-model.ttl").read_text("utf-8"), format="turtle"
        )
        conforms, report, _text = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=shapes, allow_warnings=True
        )
    if not conforms:
        errors.extend(_shacl_messages(report))
    return errors


def _spdx3_schema_errors(jsonschema: Any, document: dict[str, Any]) -> list[str]:
    """The schema's errors, element by element.

    The schema accepts a graph item when one branch of an `anyOf` over all 449
    definitions matches; jsonschema then tries every branch, which takes minutes for a
    large document. Each element names its class in `type`, and only that class's
    definition can match, so each element is checked against it alone (the whole
    schema is still used for the document's frame and for an element of unknown type).
    """
    schema = json.loads((SPDX_FILES / "spdx-json-schema.json").read_text("utf-8"))
    definitions = schema["$defs"]
    validators: dict[str, Any] = {}
    frame = {**document, "@graph": []} if isinstance(document.get("@graph"), list) else document
    errors = [
        f"schema: {e.json_path}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(frame)
    ]
    for index, element in enumerate(document.get("@graph") or []):
        kind = str(element.get("type")) if isinstance(element, dict) else "AnyClass"
        if kind not in definitions:
            kind = "AnyClass"
        if kind not in validators:
            validators[kind] = jsonschema.Draft202012Validator(
                {
                    "type": "object",
                    "$ref": f"#/$defs/{kind}",
                    "unevaluatedProperties": False,
                    "$defs": definitions,
                }
            )
        errors.extend(
            f"schema: $['@graph'][{index}]{e.json_path[1:]}: {e.message}"
            for e in validators[kind].iter_errors(element)
        )
    return errors


def _shacl_messages(report: Any) -> list[str]:
    import rdflib

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage)
        severity = report.value(result, sh.resultSeverity)
        if severity != sh.Violation:
            continue
        out.append(f"shacl: {focus} {path}: {message}")
    return sorted(out) or ["shacl: the document does not conform"]


def cyclonedx_errors(document: dict[str, Any]) -> list[str]:
    """Strict JSON-schema errors of a CycloneDX document, from the CycloneDX library."""
    try:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
    except ImportError as error:
        raise _missing("cyclonedx-python-lib[json-validation]", error) from None
    version = SchemaVersion.from_version(str(document.get("specVersion", "1.6")))
    found = JsonStrictValidator(version).validate_str(json.dumps(document), all_errors=True)
    if found is None:
        return []
    # Each error's text is its message followed by the schema excerpt: keep the message.
    return [f"schema: {str(e).splitlines()[0]}" for e in found]


def croissant_errors(document: dict[str, Any]) -> list[str]:
    """mlcroissant's errors of a Croissant document."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import mlcroissant  # type: ignore[import-untyped]
    except ImportError as error:
        raise _missing("mlcroissant", error) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mlcroissant.Dataset(jsonld=document)
    except mlcroissant.ValidationError as error:
        return [f"mlcroissant: {line}" for line in str(error).splitlines() if line.strip()]
    return []


VALIDATORS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "spdx3": spdx3_errors,
    "cyclonedx": cyclonedx_errors,
    "croissant": croissant_errors,
}


def bom_problems(format: str, data: bytes) -> list[str]:
    """Every problem the standard's validator and lineage's post-checks find in `data`."""
    document = json.loads(data)
    return [*VALIDATORS[format](document), *POSTCHECKS[format](document)]


def validate_bom(format: str, data: bytes) -> None:
    """Raise ExportInvalid (one line: the count and the first problems) unless `data` is valid."""
    problems = bom_problems(format, data)
    if problems:
        shown = "; ".join(problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ExportInvalid(f"the {format} export is not valid: {shown}{more}")
