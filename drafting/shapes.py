"""The output shapes the consumer apps ask for, by prompt name: one copy, the one production sends.

A consumer registers each shape it asks for (`drafting.api.register_shape`, from its AppConfig.ready
as with handlers), so that the evaluation (`manage.py ai_eval`) and the tests check the very schema
and options the consumer's requests carry, instead of a copy that drifts from it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Shape:
    schema: Mapping
    #: What the consumer always sends with the schema (social: the limit per channel; newsletter:
    #: the block types the AI may write); per-request options come on top.
    options: Mapping = field(default_factory=dict)


_SHAPES: dict[str, Shape] = {}


def register_shape(prompt: str, schema: Mapping, *, options: Mapping | None = None) -> None:
    _SHAPES[prompt] = Shape(schema=schema, options=MappingProxyType(dict(options or {})))


def shape(prompt: str) -> Shape:
    try:
        return _SHAPES[prompt]
    except KeyError:
        raise LookupError(f"No drafting shape registered for the prompt {prompt!r}") from None
