"""The output shapes the consumer apps ask for (as in the drafting contract), for tests and the evaluation."""

NEWSLETTER = {
    "type": "object",
    "required": ["subject_lines", "preheader", "blocks"],
    "additionalProperties": False,
    "properties": {
        "subject_lines": {
            "type": "array",
            "minItems": 2,
            "maxItems": 3,
            "items": {"type": "string", "minLength": 3, "maxLength": 90},
        },
        "preheader": {"type": "string", "maxLength": 150},
        "blocks": {
            "type": "array",
            "minItems": 1,
            "maxItems": 20,
            "items": {
                "type": "object",
                "required": ["type", "value"],
                "properties": {
                    "type": {"type": "string", "enum": ["heading", "text", "button"]},
                    "value": {},
                },
            },
        },
    },
}

REWRITE = {
    "type": "object",
    "required": ["text"],
    "additionalProperties": False,
    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 4000}},
}

SOCIAL = {
    "type": "object",
    "required": ["posts"],
    "properties": {
        "posts": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["channel", "text", "hashtags", "link"],
                "properties": {
                    "channel": {
                        "type": "string",
                        "enum": ["linkedin", "facebook", "instagram", "x", "mastodon", "whatsapp"],
                    },
                    "text": {"type": "string", "minLength": 1, "maxLength": 3000},
                    "hashtags": {"type": "array", "items": {"type": "string", "maxLength": 40}},
                    "link": {"type": "string"},
                },
            },
        }
    },
}

ALT_TEXT = {
    "type": "object",
    "required": ["alt"],
    "properties": {"alt": {"type": "string", "minLength": 1, "maxLength": 125}},
}
