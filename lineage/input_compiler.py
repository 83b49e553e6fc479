"""Write `lineage/compiled_inputs.py`: validators compiled from the input models.

`lineage source add` is a process of its own, and importing pydantic costs it ~100 ms,
more than the rest of its work (issue 17). pydantic turns each model into a
pydantic-core schema, and pydantic-core alone validates with it. This module writes
that schema of each model of `COMPILED` as a Python literal into a committed module,
with plain classes (`lineage.input_rules`'s mixins, which the models share) in place
of the models, so that the command validates exactly as the model does, with the
same errors, without importing pydantic. The models stay the one definition:
`tests/test_compiled_inputs.py` regenerates the module and compares it with the
committed one, and runs inputs through both.

    python -m lineage.input_compiler --write      # after changing an input model

The module holds the pydantic-core version it was written for: under any other, it
validates with the models themselves (the test, run with the installed version, says
when to write it again).

Every function a schema calls must be a plain function of `lineage.input_rules`, or a
classmethod of one of its mixins: the compiler refuses anything else (a validator
written in a model's body, which only pydantic could import).
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import BaseModel
from pydantic._internal._config import ConfigWrapper

from lineage import input_rules
from lineage.validation import AgentInput, DatasetInput, ModelInput, SourceInput

# The record kinds whose command validates through a compiled schema, and their model.
COMPILED: dict[str, type[BaseModel]] = {
    "source": SourceInput,
    "dataset": DatasetInput,
    "model": ModelInput,
    "agent": AgentInput,
}
TARGET = Path(__file__).with_name("compiled_inputs.py")
_DROPPED = frozenset({"metadata", "serialization"})
_FACTORIES = {dict: "dict", list: "list", tuple: "tuple"}

_HEAD = '''"""Validators compiled from the input models of lineage.validation. GENERATED: do not
edit; after changing a model, run `python -m lineage.input_compiler --write`.

Each schema is the model's pydantic-core schema (metadata and serialisation left out),
its classes plain classes sharing the model's facts (lineage.input_rules), so that a
command validates as the model does, with the same errors, without importing pydantic
(lineage.compiled_validation runs them).
"""

# fmt: off
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lineage import input_rules
'''


class _Writer:
    """Writes one model's schema as a literal, collecting the model classes it builds."""

    def __init__(self) -> None:
        self.classes: dict[type[BaseModel], str] = {}
        self.refs: dict[str, str] = {}

    def collect(self, schema: Any) -> None:
        """Find the model classes and references first, so that names are stable."""
        if isinstance(schema, dict):
            cls = schema.get("cls")
            if isinstance(cls, type) and issubclass(cls, BaseModel):
                self.classes.setdefault(cls, cls.__name__)
            for key, value in schema.items():
                if key == "ref" and isinstance(value, str):
                    self.refs[value] = value.split(":")[0].rsplit(".", 1)[-1]
                if key not in _DROPPED:
                    self.collect(value)
        elif isinstance(schema, list | tuple):
            for item in schema:
                self.collect(item)

    def literal(self, value: Any, indent: int) -> str:
        pad, inner = "    " * indent, "    " * (indent + 1)
        if isinstance(value, dict):
            if not value:
                return "{}"
            lines = [
                f"{inner}{key!r}: {self.value_of(key, item, indent + 1)},"
                for key, item in value.items()
                if key not in _DROPPED
            ]
            return "{\n" + "\n".join(lines) + f"\n{pad}}}"
        if isinstance(value, list | tuple):
            if not value:
                return "[]" if isinstance(value, list) else "()"
            items = "\n".join(f"{inner}{self.literal(item, indent + 1)}," for item in value)
            opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
            return f"{opening}\n{items}\n{pad}{closing}"
        if value is None or isinstance(value, bool | int | float | str):
            return repr(value)
        if callable(value):
            return self.callable_name(value)
        raise TypeError(f"cannot write {value!r} ({type(value).__name__}) into a schema")

    def value_of(self, key: str, value: Any, indent: int) -> str:
        if key == "cls":
            return self.classes[value]
        if key in ("ref", "schema_ref"):
            return repr(self.refs[value])
        return self.literal(value, indent)

    def callable_name(self, value: Callable[..., Any]) -> str:
        if value in _FACTORIES:
            return _FACTORIES[value]
        if inspect.ismethod(value) and isinstance(value.__self__, type):
            # A classmethod of a mixin, bound to the model: the same, bound to its class.
            model, name = value.__self__, value.__func__.__name__
            shared = any(
                isinstance(vars(base).get(name), classmethod)
                and vars(base)[name].__func__ is value.__func__
                for base in model.__mro__
                if base.__module__ == input_rules.__name__
            )
            if not shared or model not in self.classes:
                raise TypeError(f"{value!r} is not a classmethod of lineage.input_rules")
            return f"{self.classes[model]}.{name}"
        module, name = getattr(value, "__module__", None), getattr(value, "__qualname__", "")
        if module != input_rules.__name__ or getattr(input_rules, name, None) is not value:
            raise TypeError(f"{value!r} is not a function of lineage.input_rules")
        return f"input_rules.{name}"

    def class_source(self, model: type[BaseModel]) -> str:
        """A plain class built by the schema in place of `model`, with the model's mixins."""
        mixins = [c for c in model.__mro__ if c.__module__ == input_rules.__name__]
        bases = [c for c in mixins if not any(o is not c and issubclass(o, c) for o in mixins)]
        names = ", ".join(f"input_rules.{c.__name__}" for c in bases)
        return (
            f"class {self.classes[model]}({names + ', ' if names else ''}"
            "input_rules.CompiledInput):\n"
            f'    """Built by the schema of lineage.validation.{model.__name__}."""\n\n'
            "    __slots__ = ()\n"
        )


def module_text() -> str:
    """The text of lineage/compiled_inputs.py, from the models as they are now."""
    writer = _Writer()
    schemas: dict[str, Any] = {}
    for kind, model in COMPILED.items():
        model.model_rebuild()
        schema = model.__pydantic_core_schema__
        writer.collect(schema)
        config = ConfigWrapper(model.model_config, check=False).core_config(model.__name__)
        schemas[kind] = (schema, dict(config))
    parts = [_HEAD]
    # The schemas are exactly the models' for this pydantic-core only.
    parts.append(f"\nPYDANTIC_CORE = {pydantic_core.__version__!r}  # the version compiled for\n")
    for model in sorted(writer.classes, key=lambda m: writer.classes[m]):
        parts.append("\n\n" + writer.class_source(model))
    # Each schema is the value of a function, so that importing the module builds none
    # of them (a command validates one kind).
    for kind, (schema, config) in schemas.items():
        parts.append(
            f"\n\ndef _{kind}() -> tuple[Any, Any]:\n"
            f"    schema = {writer.literal(schema, 1)}\n"
            f"    config = {writer.literal(config, 1)}\n"
            "    return schema, config\n"
        )
    entries = "".join(f"\n    {kind!r}: _{kind}," for kind in schemas)
    parts.append(f"\n\nSCHEMAS: dict[str, Callable[[], tuple[Any, Any]]] = {{{entries}\n}}\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {TARGET.name}")
    args = parser.parse_args(argv)
    text = module_text()
    if args.write:
        TARGET.write_text(text)
        print(f"wrote {TARGET}")
        return 0
    current = TARGET.read_text() if TARGET.exists() else ""
    if current != text:
        print(f"{TARGET} is out of date: run python -m lineage.input_compiler --write")
        return 1
    print(f"{TARGET} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
