"""The template drafter: without an AI server, a clearly labelled draft composed from the sources.

It fills whatever schema the caller gives, with a few known shapes done properly: a newsletter
(subject lines, preheader, blocks of the allowed types), a rewrite ({"text"}), social posts per
channel and alt text. Everything it writes comes from the brief and the sources, so the fact check
finds nothing to mark.
"""

import re

from django.utils.html import escape

from drafting.types import DraftRequest, Source

LABEL = "Sjabloon — geen AI"
MODEL_NAME = "sjabloon"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def _shorten(text: str, limit: int | None) -> str:
    text = " ".join((text or "").split())
    if not limit or len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def _first_sentences(text: str, count: int) -> str:
    return " ".join(_sentences(text)[:count])


class _Composer:
    def __init__(self, request: DraftRequest):
        self.request = request
        self.options = request.options or {}
        self.sources: tuple[Source, ...] = tuple(request.sources)
        self.brief = " ".join((request.brief or "").split())

    # -- helpers --------------------------------------------------------------------------
    @property
    def topic(self) -> str:
        if self.sources:
            return self.sources[0].title
        return _first_sentences(self.brief, 1) or LABEL

    def _max_len(self, schema: dict, default: int | None = None) -> int | None:
        return schema.get("maxLength", default) if isinstance(schema, dict) else default

    def string_for(self, key: str, schema: dict) -> str:
        limit = self._max_len(schema)
        if schema.get("enum"):
            return schema["enum"][0]
        if "const" in schema:
            return schema["const"]
        if key in {"url", "link", "href"}:
            return next((s.url for s in self.sources if s.url), "")
        text = f"{LABEL}: {self.topic}"
        if key in {"text", "body", "value"}:
            text = self.plain_summary()
        return _shorten(text, limit)

    def plain_summary(self) -> str:
        parts = [f"{LABEL}."]
        parts += [f"{s.title}: {_first_sentences(s.text, 2)}" for s in self.sources]
        if not self.sources and self.brief:
            parts.append(self.brief)
        return " ".join(parts)

    # -- generic schema walk ----------------------------------------------------------------
    def value_for(self, schema: dict, key: str = ""):
        if not isinstance(schema, dict):
            return ""
        for combinator in ("oneOf", "anyOf"):
            if schema.get(combinator):
                return self.value_for(schema[combinator][0], key)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "string")
        if kind == "object" or "properties" in schema:
            return self.object_for(schema)
        if kind == "array":
            count = max(schema.get("minItems", 1), 1)
            return [self.value_for(schema.get("items", {}), key) for _ in range(count)]
        if kind == "integer":
            return schema.get("minimum", 0)
        if kind == "number":
            return schema.get("minimum", 0)
        if kind == "boolean":
            return False
        return self.string_for(key, schema)

    def object_for(self, schema: dict) -> dict:
        props = schema.get("properties", {})
        result = {}
        for name, sub in props.items():
            special = getattr(self, f"field_{name}", None)
            result[name] = special(sub) if special else self.value_for(sub, name)
        return result

    # -- known shapes ---------------------------------------------------------------------------
    def field_subject_lines(self, schema: dict):
        limit = self._max_len(schema.get("items", {}), 78)
        titles = [s.title for s in self.sources] or [self.topic]
        lines = [f"{LABEL}: {titles[0]}", titles[0]]
        if len(titles) > 1:
            lines.append(f"{titles[0]} en meer")
        count = min(max(schema.get("minItems", 2), 2), schema.get("maxItems", 3))
        while len(lines) < count:
            lines.append(f"{LABEL} ({len(lines) + 1})")
        return [_shorten(line, limit) for line in lines[: max(count, min(3, len(lines)))]][
            : schema.get("maxItems", 3)
        ]

    def field_preheader(self, schema: dict):
        text = self.brief or ", ".join(s.title for s in self.sources) or LABEL
        return _shorten(f"{LABEL}. {text}", self._max_len(schema, 150))

    def field_alt(self, schema: dict):
        text = self.options.get("context") or self.brief or self.topic
        return _shorten(f"{LABEL}: {text}", self._max_len(schema, 125))

    def field_text(self, schema: dict):
        if self.request.purpose == "rewrite" or "action" in self.options:
            return self.rewrite(schema)
        return self.string_for("text", schema)

    def rewrite(self, schema: dict) -> str:
        """Without a model a rewrite can only shorten or continue mechanically; else the text stays."""
        original = self.options.get("text") or self.brief
        action = self.options.get("action", "")
        is_html = self.options.get("format") == "html"
        plain = re.sub(r"<[^>]+>", " ", original) if is_html else original
        if action == "shorter":
            sentences = _sentences(" ".join(plain.split()))
            result = " ".join(sentences[: max(1, len(sentences) // 2)])
        elif action == "continue" and self.sources:
            result = f"{' '.join(plain.split())} {_first_sentences(self.sources[0].text, 1)}"
        else:
            return original if not self._max_len(schema) else _shorten(original, self._max_len(schema))
        result = _shorten(result, self._max_len(schema))
        return f"<p>{escape(result)}</p>" if is_html else result

    def field_posts(self, schema: dict):
        item = schema.get("items", {})
        channels = list(self.options.get("channels") or [])
        if not channels:
            channel_schema = (item.get("properties") or {}).get("channel", {})
            channels = list(channel_schema.get("enum", []))[:1] or ["linkedin"]
        limits = self.options.get("limits") or {}
        posts = []
        for channel in channels:
            post = self.object_for(item)
            link = next((s.url for s in self.sources if s.url), "")
            source = self.sources[0] if self.sources else None
            body = (
                f"{LABEL}. {source.title}: {_first_sentences(source.text, 1)}"
                if source
                else self.plain_summary()
            )
            limit = limits.get(channel) or self._max_len((item.get("properties") or {}).get("text", {}))
            if limit and link and channel not in {"instagram"}:
                limit -= 24 if channel == "x" else len(link) + 1
            post.update({"channel": channel, "text": _shorten(body, limit)})
            if "hashtags" in post:
                post["hashtags"] = [] if channel in {"whatsapp", "linkedin"} else ["binnenstad"]
            if "link" in post:
                post["link"] = "" if channel == "instagram" else link
            posts.append(post)
        return posts

    def field_blocks(self, schema: dict):
        allowed = list(self.options.get("block_types") or [])
        item = schema.get("items", {})
        if not allowed:
            alternatives = item.get("oneOf", []) + item.get("anyOf", []) or [item]
            for alternative in alternatives:
                type_schema = (alternative.get("properties") or {}).get("type", {})
                allowed += list(type_schema.get("enum", []))
                if "const" in type_schema:
                    allowed.append(type_schema["const"])
            allowed = allowed or ["heading", "text"]
        blocks = []

        def add(kind: str, value):
            if kind in allowed:
                blocks.append({"type": kind, "value": value})

        text_kind = next((k for k in ("text", "paragraph", "rich_text") if k in allowed), None)
        if not self.sources:
            add("heading", _shorten(self.topic, 120))
        if text_kind:
            intro = (
                f"<p><em>{LABEL}</em>. {escape(self.brief)}</p>" if self.brief else f"<p><em>{LABEL}</em></p>"
            )
            add(text_kind, intro)
        for source in self.sources:
            add("heading", _shorten(source.title, 120))
            if text_kind:
                paragraphs = "".join(f"<p>{escape(s)}</p>" for s in [_first_sentences(source.text, 3)] if s)
                add(text_kind, paragraphs or f"<p>{escape(source.title)}</p>")
            if source.url:
                button_schema = self._block_value_schema(item, "button")
                if button_schema and button_schema.get("type") == "object":
                    add("button", self._button(button_schema, source))
                else:
                    add("button", source.url)
        return blocks

    def _block_value_schema(self, item: dict, kind: str) -> dict | None:
        for alternative in item.get("oneOf", []) + item.get("anyOf", []):
            type_schema = (alternative.get("properties") or {}).get("type", {})
            if type_schema.get("const") == kind or kind in type_schema.get("enum", []):
                return (alternative.get("properties") or {}).get("value")
        return None

    def _button(self, schema: dict, source: Source) -> dict:
        value = self.object_for(schema)
        for key in value:
            if key in {"url", "link", "href"}:
                value[key] = source.url
            elif key in {"text", "label", "title"}:
                value[key] = "Lees meer"
        return value


def compose(request: DraftRequest) -> dict:
    """A draft that fits `request.schema`, made from the brief and the sources only."""
    return _Composer(request).value_for(request.schema)
