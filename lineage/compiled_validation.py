"""Validating an input through its model's compiled schema (lineage/compiled_inputs.py).

The same instance, facts and one-line InvalidRecord as
`lineage.validation.validate_input(INPUT_OF_KIND[kind], ...)`, without importing
pydantic: pydantic-core alone runs the schemas `python -m lineage.input_compiler`
wrote from the models. Under another pydantic-core than they were written for, the
models themselves validate.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic_core import SchemaValidator, ValidationError, __version__

from lineage import compiled_inputs, input_rules
from lineage.errors import InvalidRecord


@functools.cache
def validator(kind: str) -> SchemaValidator:
    """The validator of inputs of `kind` (one of compiled_inputs.SCHEMAS), built on first use."""
    schema, config = compiled_inputs.SCHEMAS[kind]()
    return SchemaValidator(schema, config)


def validate_input(kind: str, data: dict[str, Any], where: str = "") -> Any:
    """Validate `data` as lineage.validation.validate_input(INPUT_OF_KIND[kind], ...)
    does: the same instance facts and the same InvalidRecord, naming `where` and the field."""
    if __version__ != compiled_inputs.PYDANTIC_CORE:
        # Compiled for another pydantic-core than the one installed: the model itself.
        from lineage import validation

        return validation.validate_input(validation.INPUT_OF_KIND[kind], data, where)
    try:
        return validator(kind).validate_python(data)
    except ValidationError as error:
        message, loc = input_rules.describe_error(error)
        raise InvalidRecord(f"{where}: {message}" if where else message, loc) from None
