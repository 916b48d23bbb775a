"""The output shapes the consumer apps ask for (see drafting.api), as the evaluation and tests use them."""

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

CHANNELS = ["linkedin", "facebook", "instagram", "x", "mastodon", "whatsapp"]
# Characters per post; X counts every link as 23 characters.
CHANNEL_LIMITS = {
    "linkedin": 3000,
    "facebook": 2000,
    "instagram": 2200,
    "x": 280,
    "mastodon": 500,
    "whatsapp": 1000,
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
                    "channel": {"type": "string", "enum": CHANNELS},
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
