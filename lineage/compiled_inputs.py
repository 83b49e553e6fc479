"""Validators compiled from the input models of lineage.validation. GENERATED: do not
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

PYDANTIC_CORE = '2.50.5'  # the version compiled for


class AgentInput(input_rules.AgentFacts, input_rules.CompiledInput):
    """Built by the schema of lineage.validation.AgentInput."""

    __slots__ = ()


class CoverageInput(input_rules.CompiledInput):
    """Built by the schema of lineage.validation.CoverageInput."""

    __slots__ = ()


class DatasetInput(input_rules.DatasetFacts, input_rules.CompiledInput):
    """Built by the schema of lineage.validation.DatasetInput."""

    __slots__ = ()


class ModelInput(input_rules.ModelFacts, input_rules.CompiledInput):
    """Built by the schema of lineage.validation.ModelInput."""

    __slots__ = ()


class SourceInput(input_rules.SourceFacts, input_rules.CompiledInput):
    """Built by the schema of lineage.validation.SourceInput."""

    __slots__ = ()


def _source() -> tuple[Any, Any]:
    schema = {
        'type': 'function-after',
        'function': {
            'type': 'no-info',
            'function': input_rules.labels_need_labelling,
        },
        'schema': {
            'type': 'model',
            'cls': SourceInput,
            'schema': {
                'type': 'function-before',
                'function': {
                    'type': 'no-info',
                    'function': SourceInput._lift_from_attrs,
                },
                'schema': {
                    'type': 'model-fields',
                    'fields': {
                        'purpose': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                        'min_length': 1,
                                        'max_length': 10000,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'labelled': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'bool',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'label_types': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'ip_protection': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.public_domain_alone,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'literal',
                                                'expected': [
                                                    'copyright',
                                                    'trademark',
                                                    'patent',
                                                    'public-domain',
                                                ],
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'aggregate_consumer_information': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'literal',
                                        'expected': [
                                            'yes',
                                            'no',
                                            'unknown',
                                        ],
                                    },
                                },
                                'default': None,
                            },
                        },
                        'languages': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.language_tags,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'supplier': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'literal',
                                        'expected': [
                                            'rightsholder',
                                            'third-party',
                                        ],
                                    },
                                },
                                'default': None,
                            },
                        },
                        'user_data_from': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'literal',
                                            'expected': [
                                                'model',
                                                'other-services',
                                            ],
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'product_or_service': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                        'min_length': 1,
                                        'max_length': 10000,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'description': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'attrs': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.attrs_are_json,
                                    },
                                    'schema': {
                                        'type': 'dict',
                                        'keys_schema': {
                                            'type': 'str',
                                        },
                                        'values_schema': {
                                            'type': 'any',
                                        },
                                    },
                                },
                                'default_factory': dict,
                                'default_factory_takes_data': False,
                            },
                        },
                        'name': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.visible_name,
                                },
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 1000,
                                },
                            },
                        },
                        'owner': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'uri': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'license': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.spdx_expression,
                                    },
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'declared_license': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.spdx_expression,
                                    },
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'restrictions': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.known_restrictions,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'path': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'digest': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.sha256_digest,
                                    },
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'size_bytes': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'int',
                                        'strict': True,
                                        'ge': 0,
                                        'le': 9223372036854775807,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'records': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'int',
                                        'strict': True,
                                        'ge': 0,
                                        'le': 9223372036854775807,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'tokens': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'int',
                                        'strict': True,
                                        'ge': 0,
                                        'le': 9223372036854775807,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'modality': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'literal',
                                            'expected': [
                                                'text',
                                                'image',
                                                'audio',
                                                'video',
                                                'code',
                                                'other',
                                            ],
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'data_types': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'copyright': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'effective': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'date',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'derived_from': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'function-after',
                                            'function': {
                                                'type': 'no-info',
                                                'function': input_rules.visible_name,
                                            },
                                            'schema': {
                                                'type': 'str',
                                                'min_length': 1,
                                                'max_length': 1000,
                                            },
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'attributed_to': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'function-after',
                                            'function': {
                                                'type': 'no-info',
                                                'function': input_rules.visible_name,
                                            },
                                            'schema': {
                                                'type': 'str',
                                                'min_length': 1,
                                                'max_length': 1000,
                                            },
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'known_biases': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-before',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.one_or_many,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'limitations': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-before',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.one_or_many,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'personal_data': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'literal',
                                        'expected': [
                                            'yes',
                                            'no',
                                            'unknown',
                                        ],
                                    },
                                },
                                'default': None,
                            },
                        },
                        'personal_data_categories': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'legal_basis': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'first_used': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'date',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'coverage': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.shares_fit,
                                    },
                                    'schema': {
                                        'type': 'function-before',
                                        'function': {
                                            'type': 'no-info',
                                            'function': input_rules.coverage_items,
                                        },
                                        'schema': {
                                            'type': 'tuple',
                                            'items_schema': [
                                                {
                                                    'type': 'function-after',
                                                    'function': {
                                                        'type': 'no-info',
                                                        'function': input_rules.coverage_has_a_figure,
                                                    },
                                                    'schema': {
                                                        'type': 'model',
                                                        'cls': CoverageInput,
                                                        'schema': {
                                                            'type': 'model-fields',
                                                            'fields': {
                                                                'attribute': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'str',
                                                                        'min_length': 1,
                                                                        'max_length': 200,
                                                                    },
                                                                },
                                                                'group': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'str',
                                                                        'min_length': 1,
                                                                        'max_length': 200,
                                                                    },
                                                                },
                                                                'records': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'nullable',
                                                                            'schema': {
                                                                                'type': 'int',
                                                                                'strict': True,
                                                                                'ge': 0,
                                                                                'le': 9223372036854775807,
                                                                            },
                                                                        },
                                                                        'default': None,
                                                                    },
                                                                },
                                                                'share': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'nullable',
                                                                            'schema': {
                                                                                'type': 'float',
                                                                                'ge': 0,
                                                                                'le': 1,
                                                                            },
                                                                        },
                                                                        'default': None,
                                                                    },
                                                                },
                                                                'basis': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'literal',
                                                                            'expected': [
                                                                                'measured',
                                                                                'estimated',
                                                                                'declared',
                                                                                'unknown',
                                                                            ],
                                                                        },
                                                                        'default': 'declared',
                                                                    },
                                                                },
                                                                'method': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'nullable',
                                                                            'schema': {
                                                                                'type': 'str',
                                                                            },
                                                                        },
                                                                        'default': None,
                                                                    },
                                                                },
                                                            },
                                                            'model_name': 'CoverageInput',
                                                            'computed_fields': [],
                                                        },
                                                        'custom_init': False,
                                                        'root_model': False,
                                                        'config': {
                                                            'extra_fields_behavior': 'forbid',
                                                            'str_strip_whitespace': True,
                                                            'title': 'CoverageInput',
                                                        },
                                                    },
                                                    'ref': 'CoverageInput',
                                                },
                                            ],
                                            'variadic_item_index': 0,
                                        },
                                    },
                                },
                                'default': (),
                            },
                        },
                        'obtained': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'literal',
                                        'expected': [
                                            'public',
                                            'licensed',
                                            'purchased',
                                            'crawled',
                                            'user',
                                            'synthetic',
                                            'other',
                                        ],
                                    },
                                },
                                'default': None,
                            },
                        },
                        'generated_by': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'opt_outs': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'literal',
                                        'expected': [
                                            'honoured',
                                            'not-honoured',
                                            'unknown',
                                        ],
                                    },
                                },
                                'default': None,
                            },
                        },
                        'collected': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-before',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.collection_period,
                                    },
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                    },
                    'model_name': 'SourceInput',
                    'computed_fields': [],
                },
            },
            'custom_init': False,
            'root_model': False,
            'config': {
                'extra_fields_behavior': 'forbid',
                'str_strip_whitespace': True,
                'title': 'SourceInput',
            },
        },
        'ref': 'SourceInput',
    }
    config = {
        'extra_fields_behavior': 'forbid',
        'str_strip_whitespace': True,
        'title': 'SourceInput',
    }
    return schema, config


def _dataset() -> tuple[Any, Any]:
    schema = {
        'type': 'function-after',
        'function': {
            'type': 'no-info',
            'function': input_rules.labels_need_labelling,
        },
        'schema': {
            'type': 'model',
            'cls': DatasetInput,
            'schema': {
                'type': 'function-before',
                'function': {
                    'type': 'no-info',
                    'function': DatasetInput._lift_from_attrs,
                },
                'schema': {
                    'type': 'model-fields',
                    'fields': {
                        'purpose': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                        'min_length': 1,
                                        'max_length': 10000,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'labelled': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'bool',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'label_types': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'ip_protection': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.public_domain_alone,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'literal',
                                                'expected': [
                                                    'copyright',
                                                    'trademark',
                                                    'patent',
                                                    'public-domain',
                                                ],
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'aggregate_consumer_information': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'literal',
                                        'expected': [
                                            'yes',
                                            'no',
                                            'unknown',
                                        ],
                                    },
                                },
                                'default': None,
                            },
                        },
                        'languages': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.language_tags,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'description': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'attrs': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.attrs_are_json,
                                    },
                                    'schema': {
                                        'type': 'dict',
                                        'keys_schema': {
                                            'type': 'str',
                                        },
                                        'values_schema': {
                                            'type': 'any',
                                        },
                                    },
                                },
                                'default_factory': dict,
                                'default_factory_takes_data': False,
                            },
                        },
                        'name': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.visible_name,
                                },
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 1000,
                                },
                            },
                        },
                        'owner': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'uri': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'license': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.spdx_expression,
                                    },
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'declared_license': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.spdx_expression,
                                    },
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'restrictions': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.known_restrictions,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'path': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'digest': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.sha256_digest,
                                    },
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'size_bytes': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'int',
                                        'strict': True,
                                        'ge': 0,
                                        'le': 9223372036854775807,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'records': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'int',
                                        'strict': True,
                                        'ge': 0,
                                        'le': 9223372036854775807,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'tokens': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'int',
                                        'strict': True,
                                        'ge': 0,
                                        'le': 9223372036854775807,
                                    },
                                },
                                'default': None,
                            },
                        },
                        'modality': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'literal',
                                            'expected': [
                                                'text',
                                                'image',
                                                'audio',
                                                'video',
                                                'code',
                                                'other',
                                            ],
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'data_types': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'copyright': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'effective': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'date',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'derived_from': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'function-after',
                                            'function': {
                                                'type': 'no-info',
                                                'function': input_rules.visible_name,
                                            },
                                            'schema': {
                                                'type': 'str',
                                                'min_length': 1,
                                                'max_length': 1000,
                                            },
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'attributed_to': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'function-after',
                                            'function': {
                                                'type': 'no-info',
                                                'function': input_rules.visible_name,
                                            },
                                            'schema': {
                                                'type': 'str',
                                                'min_length': 1,
                                                'max_length': 1000,
                                            },
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'known_biases': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-before',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.one_or_many,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'limitations': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-before',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.one_or_many,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                                'default': (),
                            },
                        },
                        'personal_data': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'literal',
                                        'expected': [
                                            'yes',
                                            'no',
                                            'unknown',
                                        ],
                                    },
                                },
                                'default': None,
                            },
                        },
                        'personal_data_categories': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                                'default': (),
                            },
                        },
                        'legal_basis': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'first_used': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'date',
                                    },
                                },
                                'default': None,
                            },
                        },
                        'coverage': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-after',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.shares_fit,
                                    },
                                    'schema': {
                                        'type': 'function-before',
                                        'function': {
                                            'type': 'no-info',
                                            'function': input_rules.coverage_items,
                                        },
                                        'schema': {
                                            'type': 'tuple',
                                            'items_schema': [
                                                {
                                                    'type': 'function-after',
                                                    'function': {
                                                        'type': 'no-info',
                                                        'function': input_rules.coverage_has_a_figure,
                                                    },
                                                    'schema': {
                                                        'type': 'model',
                                                        'cls': CoverageInput,
                                                        'schema': {
                                                            'type': 'model-fields',
                                                            'fields': {
                                                                'attribute': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'str',
                                                                        'min_length': 1,
                                                                        'max_length': 200,
                                                                    },
                                                                },
                                                                'group': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'str',
                                                                        'min_length': 1,
                                                                        'max_length': 200,
                                                                    },
                                                                },
                                                                'records': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'nullable',
                                                                            'schema': {
                                                                                'type': 'int',
                                                                                'strict': True,
                                                                                'ge': 0,
                                                                                'le': 9223372036854775807,
                                                                            },
                                                                        },
                                                                        'default': None,
                                                                    },
                                                                },
                                                                'share': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'nullable',
                                                                            'schema': {
                                                                                'type': 'float',
                                                                                'ge': 0,
                                                                                'le': 1,
                                                                            },
                                                                        },
                                                                        'default': None,
                                                                    },
                                                                },
                                                                'basis': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'literal',
                                                                            'expected': [
                                                                                'measured',
                                                                                'estimated',
                                                                                'declared',
                                                                                'unknown',
                                                                            ],
                                                                        },
                                                                        'default': 'declared',
                                                                    },
                                                                },
                                                                'method': {
                                                                    'type': 'model-field',
                                                                    'schema': {
                                                                        'type': 'default',
                                                                        'schema': {
                                                                            'type': 'nullable',
                                                                            'schema': {
                                                                                'type': 'str',
                                                                            },
                                                                        },
                                                                        'default': None,
                                                                    },
                                                                },
                                                            },
                                                            'model_name': 'CoverageInput',
                                                            'computed_fields': [],
                                                        },
                                                        'custom_init': False,
                                                        'root_model': False,
                                                        'config': {
                                                            'extra_fields_behavior': 'forbid',
                                                            'str_strip_whitespace': True,
                                                            'title': 'CoverageInput',
                                                        },
                                                    },
                                                    'ref': 'CoverageInput',
                                                },
                                            ],
                                            'variadic_item_index': 0,
                                        },
                                    },
                                },
                                'default': (),
                            },
                        },
                        'not_training_mix': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'bool',
                                },
                                'default': False,
                            },
                        },
                    },
                    'model_name': 'DatasetInput',
                    'computed_fields': [],
                },
            },
            'custom_init': False,
            'root_model': False,
            'config': {
                'extra_fields_behavior': 'forbid',
                'str_strip_whitespace': True,
                'title': 'DatasetInput',
            },
        },
        'ref': 'DatasetInput',
    }
    config = {
        'extra_fields_behavior': 'forbid',
        'str_strip_whitespace': True,
        'title': 'DatasetInput',
    }
    return schema, config


def _model() -> tuple[Any, Any]:
    schema = {
        'type': 'model',
        'cls': ModelInput,
        'schema': {
            'type': 'function-before',
            'function': {
                'type': 'no-info',
                'function': ModelInput._lift_from_attrs,
            },
            'schema': {
                'type': 'model-fields',
                'fields': {
                    'purpose': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 10000,
                                },
                            },
                            'default': None,
                        },
                    },
                    'on_market': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'bool',
                                },
                            },
                            'default': None,
                        },
                    },
                    'release_version': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 200,
                                },
                            },
                            'default': None,
                        },
                    },
                    'placed_on_market': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'date',
                                },
                            },
                            'default': None,
                        },
                    },
                    'summary_url': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.http_url,
                                },
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                            },
                            'default': None,
                        },
                    },
                    'languages': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.language_tags,
                                },
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                            },
                            'default': (),
                        },
                    },
                    'other_characteristics': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 10000,
                                },
                            },
                            'default': None,
                        },
                    },
                    'continuously_trained': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'bool',
                                },
                            },
                            'default': None,
                        },
                    },
                    'synthetic_data_continuous': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'bool',
                                },
                            },
                            'default': None,
                        },
                    },
                    'provider_contact': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 10000,
                                },
                            },
                            'default': None,
                        },
                    },
                    'authorised_representative': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 10000,
                                },
                            },
                            'default': None,
                        },
                    },
                    'code_of_practice_signatory': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'bool',
                                },
                            },
                            'default': None,
                        },
                    },
                    'illegal_content_measures': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 10000,
                                },
                            },
                            'default': None,
                        },
                    },
                    'published_summaries': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.summary_digests,
                                },
                                'schema': {
                                    'type': 'function-before',
                                    'function': {
                                        'type': 'no-info',
                                        'function': input_rules.one_or_many,
                                    },
                                    'schema': {
                                        'type': 'tuple',
                                        'items_schema': [
                                            {
                                                'type': 'str',
                                            },
                                        ],
                                        'variadic_item_index': 0,
                                    },
                                },
                            },
                            'default': (),
                        },
                    },
                    'summary_comments': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.comment_ids,
                                },
                                'schema': {
                                    'type': 'dict',
                                    'keys_schema': {
                                        'type': 'str',
                                    },
                                    'values_schema': {
                                        'type': 'str',
                                    },
                                },
                            },
                            'default_factory': dict,
                            'default_factory_takes_data': False,
                        },
                    },
                    'description': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                    'attrs': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.attrs_are_json,
                                },
                                'schema': {
                                    'type': 'dict',
                                    'keys_schema': {
                                        'type': 'str',
                                    },
                                    'values_schema': {
                                        'type': 'any',
                                    },
                                },
                            },
                            'default_factory': dict,
                            'default_factory_takes_data': False,
                        },
                    },
                    'name': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'function-after',
                            'function': {
                                'type': 'no-info',
                                'function': input_rules.visible_name,
                            },
                            'schema': {
                                'type': 'str',
                                'min_length': 1,
                                'max_length': 1000,
                            },
                        },
                    },
                    'owner': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                    'uri': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                    'license': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.spdx_expression,
                                },
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                            },
                            'default': None,
                        },
                    },
                    'declared_license': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.spdx_expression,
                                },
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                            },
                            'default': None,
                        },
                    },
                    'restrictions': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.known_restrictions,
                                },
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                            },
                            'default': (),
                        },
                    },
                    'path': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                    'digest': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.sha256_digest,
                                },
                                'schema': {
                                    'type': 'nullable',
                                    'schema': {
                                        'type': 'str',
                                    },
                                },
                            },
                            'default': None,
                        },
                    },
                    'size_bytes': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'int',
                                    'strict': True,
                                    'ge': 0,
                                    'le': 9223372036854775807,
                                },
                            },
                            'default': None,
                        },
                    },
                    'records': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'int',
                                    'strict': True,
                                    'ge': 0,
                                    'le': 9223372036854775807,
                                },
                            },
                            'default': None,
                        },
                    },
                    'tokens': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'int',
                                    'strict': True,
                                    'ge': 0,
                                    'le': 9223372036854775807,
                                },
                            },
                            'default': None,
                        },
                    },
                    'modality': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'tuple',
                                'items_schema': [
                                    {
                                        'type': 'literal',
                                        'expected': [
                                            'text',
                                            'image',
                                            'audio',
                                            'video',
                                            'code',
                                            'other',
                                        ],
                                    },
                                ],
                                'variadic_item_index': 0,
                            },
                            'default': (),
                        },
                    },
                    'data_types': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'tuple',
                                'items_schema': [
                                    {
                                        'type': 'str',
                                    },
                                ],
                                'variadic_item_index': 0,
                            },
                            'default': (),
                        },
                    },
                    'copyright': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                    'effective': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'date',
                                },
                            },
                            'default': None,
                        },
                    },
                    'derived_from': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'tuple',
                                'items_schema': [
                                    {
                                        'type': 'function-after',
                                        'function': {
                                            'type': 'no-info',
                                            'function': input_rules.visible_name,
                                        },
                                        'schema': {
                                            'type': 'str',
                                            'min_length': 1,
                                            'max_length': 1000,
                                        },
                                    },
                                ],
                                'variadic_item_index': 0,
                            },
                            'default': (),
                        },
                    },
                    'attributed_to': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'tuple',
                                'items_schema': [
                                    {
                                        'type': 'function-after',
                                        'function': {
                                            'type': 'no-info',
                                            'function': input_rules.visible_name,
                                        },
                                        'schema': {
                                            'type': 'str',
                                            'min_length': 1,
                                            'max_length': 1000,
                                        },
                                    },
                                ],
                                'variadic_item_index': 0,
                            },
                            'default': (),
                        },
                    },
                    'known_biases': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-before',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.one_or_many,
                                },
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                            },
                            'default': (),
                        },
                    },
                    'limitations': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-before',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.one_or_many,
                                },
                                'schema': {
                                    'type': 'tuple',
                                    'items_schema': [
                                        {
                                            'type': 'str',
                                        },
                                    ],
                                    'variadic_item_index': 0,
                                },
                            },
                            'default': (),
                        },
                    },
                    'intended_use': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'literal',
                                    'expected': [
                                        'commercial',
                                        'non-commercial',
                                        'research',
                                        'internal',
                                    ],
                                },
                            },
                            'default': None,
                        },
                    },
                },
                'model_name': 'ModelInput',
                'computed_fields': [],
            },
        },
        'custom_init': False,
        'root_model': False,
        'config': {
            'extra_fields_behavior': 'forbid',
            'str_strip_whitespace': True,
            'title': 'ModelInput',
        },
        'ref': 'ModelInput',
    }
    config = {
        'extra_fields_behavior': 'forbid',
        'str_strip_whitespace': True,
        'title': 'ModelInput',
    }
    return schema, config


def _agent() -> tuple[Any, Any]:
    schema = {
        'type': 'model',
        'cls': AgentInput,
        'schema': {
            'type': 'function-before',
            'function': {
                'type': 'no-info',
                'function': AgentInput._lift_from_attrs,
            },
            'schema': {
                'type': 'model-fields',
                'fields': {
                    'sme': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'bool',
                                },
                            },
                            'default': None,
                        },
                    },
                    'contact': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                    'min_length': 1,
                                    'max_length': 10000,
                                },
                            },
                            'default': None,
                        },
                    },
                    'description': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                    'attrs': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'function-after',
                                'function': {
                                    'type': 'no-info',
                                    'function': input_rules.attrs_are_json,
                                },
                                'schema': {
                                    'type': 'dict',
                                    'keys_schema': {
                                        'type': 'str',
                                    },
                                    'values_schema': {
                                        'type': 'any',
                                    },
                                },
                            },
                            'default_factory': dict,
                            'default_factory_takes_data': False,
                        },
                    },
                    'name': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'function-after',
                            'function': {
                                'type': 'no-info',
                                'function': input_rules.visible_name,
                            },
                            'schema': {
                                'type': 'str',
                                'min_length': 1,
                                'max_length': 1000,
                            },
                        },
                    },
                    'type': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'literal',
                            'expected': [
                                'person',
                                'organization',
                                'software',
                            ],
                        },
                    },
                    'version': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                    'acted_on_behalf_of': {
                        'type': 'model-field',
                        'schema': {
                            'type': 'default',
                            'schema': {
                                'type': 'nullable',
                                'schema': {
                                    'type': 'str',
                                },
                            },
                            'default': None,
                        },
                    },
                },
                'model_name': 'AgentInput',
                'computed_fields': [],
            },
        },
        'custom_init': False,
        'root_model': False,
        'config': {
            'extra_fields_behavior': 'forbid',
            'str_strip_whitespace': True,
            'title': 'AgentInput',
        },
        'ref': 'AgentInput',
    }
    config = {
        'extra_fields_behavior': 'forbid',
        'str_strip_whitespace': True,
        'title': 'AgentInput',
    }
    return schema, config


SCHEMAS: dict[str, Callable[[], tuple[Any, Any]]] = {
    'source': _source,
    'dataset': _dataset,
    'model': _model,
    'agent': _agent,
}
