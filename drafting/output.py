"""Reading, validating and cleaning what a model (or the template drafter) returns.

A string is treated as HTML when its schema says so (`"contentMediaType": "text/html"` or
`"format": "html"`), when it is the `value` of a text-like block ("text", "paragraph", "rich_text"),
or when it is the "text" of a rewrite with options["format"] == "html"; it is then cleaned with
stadshart.html.clean_html. Every other string is plain text: tags are stripped from it.
"""

import json
import re

import jsonschema
from django.utils.translation import gettext as _

from drafting.types import DraftingError, DraftRequest
from stadshart.html import clean_html, strip_html

HTML_BLOCK_TYPES = frozenset({"text", "paragraph", "rich_text", "richtext", "intro"})
_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


def parse_json(content: str) -> dict:
    """The JSON object in a model's answer: as is, inside a code fence, or the first {...} in it."""
    if content is None:
        raise _malformed("empty answer")
    text = content.strip().lstrip("\ufeff")
    candidates = [text]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(text)]
    start = text.find("{")
    if start >= 0:
        candidates.append(text[start:])
    decoder = json.JSONDecoder()
    for candidate in candidates:
        if not candidate.startswith("{"):
            continue
        try:
            value, _end = decoder.raw_decode(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    raise _malformed(f"no JSON object in answer: {text[:200]!r}")


def _malformed(detail: str) -> DraftingError:
    return DraftingError(
        _("The AI answered with something that is not a usable draft. Please try again."),
        retryable=True,
        detail=detail,
        outcome="malformed",
    )


def validate(data: dict, request: DraftRequest) -> None:
    """Raise a DraftingError unless `data` fits the caller's schema and the allowed block types."""
    validator = jsonschema.Draft202012Validator(request.schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    # (where, technical detail): the place is shown to the editor, the detail goes to the usage log.
    problems = [("/".join(str(p) for p in e.absolute_path) or "/", e.message) for e in errors]
    allowed = request.options.get("block_types")
    if allowed and isinstance(data.get("blocks"), list):
        for index, block in enumerate(data["blocks"]):
            if isinstance(block, dict) and block.get("type") not in allowed:
                problems.append((f"blocks/{index}/type = {block.get('type')}", "block type not allowed"))
    if problems:
        raise DraftingError(
            _("The AI's draft did not fit the requested form (at %(field)s). Please try again.")
            % {"field": problems[0][0][:100]},
            retryable=True,
            detail="; ".join(f"{where}: {detail}" for where, detail in problems)[:2000],
            outcome="invalid",
        )


def plain_text(value: str) -> str:
    """Plain text: markup stripped (scripts with their content), entities back to characters."""
    return strip_html(value)


def _is_html_schema(schema: dict | None) -> bool:
    if not isinstance(schema, dict):
        return False
    return schema.get("contentMediaType") == "text/html" or schema.get("format") == "html"


def _subschema(schema: dict | None, key) -> dict | None:
    if not isinstance(schema, dict):
        return None
    if isinstance(key, int):
        items = schema.get("items")
        return items if isinstance(items, dict) else None
    props = schema.get("properties") or {}
    if key in props:
        return props[key]
    for alternative in schema.get("oneOf", []) + schema.get("anyOf", []):
        if isinstance(alternative, dict) and key in (alternative.get("properties") or {}):
            return alternative["properties"][key]
    return None


def _alternative_for(schema: dict | None, value: dict) -> dict | None:
    """Of a oneOf/anyOf schema, the alternative for this object's "type" (a block's own schema)."""
    if not isinstance(schema, dict):
        return schema
    for alternative in schema.get("oneOf", []) + schema.get("anyOf", []):
        type_schema = ((alternative or {}).get("properties") or {}).get("type", {})
        if value.get("type") is not None and (
            type_schema.get("const") == value.get("type") or value.get("type") in type_schema.get("enum", [])
        ):
            return alternative
    return schema


def clean(data, request: DraftRequest):
    """A copy of `data` with every HTML string cleaned and every other string made plain text."""
    rewrite_html = request.options.get("format") == "html"

    def walk(value, schema, key=None, parent=None):
        if isinstance(value, dict):
            schema = _alternative_for(schema, value)
            return {k: walk(v, _subschema(schema, k), k, value) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, _subschema(schema, i), i, value) for i, v in enumerate(value)]
        if isinstance(value, str):
            is_html = (
                _is_html_schema(schema)
                or (
                    key == "value"
                    and isinstance(parent, dict)
                    and str(parent.get("type", "")).lower() in HTML_BLOCK_TYPES
                )
                or (key == "text" and rewrite_html and parent is data)
            )
            return clean_html(value) if is_html else plain_text(value)
        return value

    return walk(data, request.schema)
