"""Sources go into a prompt as fenced data, between delimiters the sources cannot know or forge.

Each prompt gets a fresh random fence; the shared rules tell the model that everything inside it is
data, never instructions. Should a source contain the fence anyway, a new one is drawn.
"""

import json
import secrets
import string

from drafting.types import Source


def new_fence(avoid: str = "") -> str:
    while True:
        # Letters only: a run of digits could be taken for a phone number by the PII guard.
        fence = "DATA-" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(16))
        if fence not in avoid:
            return fence


def fence_sources(sources: tuple[Source, ...] | list[Source], fence: str) -> str:
    parts = []
    for number, source in enumerate(sources, 1):
        header = {"bron": number, "soort": source.kind, "titel": source.title}
        if source.date:
            header["datum"] = source.date.isoformat()
        if source.url:
            header["link"] = source.url
        parts.append(
            f"<<<{fence}\n{json.dumps(header, ensure_ascii=False)}\n{source.text.strip()}\n{fence}>>>"
        )
    return "\n\n".join(parts) if parts else "(geen bronnen)"


def all_text(sources, *extra: str) -> str:
    return "\n".join([*extra, *(f"{s.title}\n{s.text}\n{s.url}" for s in sources)])
