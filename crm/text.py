"""Normalised text for search: lower case, no accents, single spaces ('Café Één' -> 'cafe een')."""

import re
import unicodedata


def normalise(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", without_accents.lower()).strip()


def search_document(*parts) -> str:
    return normalise(" ".join(str(part) for part in parts if part))
