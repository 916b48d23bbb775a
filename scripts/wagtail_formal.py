"""Wagtail's Dutch, made formal: writes locale/overrides/nl/LC_MESSAGES/django.po and compiles it.

    .venv/bin/python scripts/wagtail_formal.py

Wagtail's Dutch translation says "je" and "jouw"; Stadshart says "u" everywhere. The override
catalogue (a second entry in LOCALE_PATHS, which Django prefers to every app's own) holds each
Wagtail message whose Dutch is informal, rewritten by the rules below, and the few that Wagtail
leaves in English (ENGLISH). Run it again after upgrading Wagtail and read the diff.
"""

import re
import subprocess
import sys
from pathlib import Path

import polib

BASE = Path(__file__).resolve().parent.parent
OUT = BASE / "locale" / "overrides" / "nl" / "LC_MESSAGES" / "django.po"
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)

# Wagtail's messages whose Dutch we correct otherwise: left in English, or a label with a colon.
ENGLISH = {
    "Editor Guide": "Handleiding voor redacteuren",
    "Upload a profile picture:": "Upload een profielfoto",
}

# (pattern, formal) in order: verbs with "je" as subject first, then "je" as a possessive ("uw").
RULES = [
    (r"\bWeet je\b", "Weet u"),
    (r"\b[Jj]e heb(t)?\b", "u heeft"),
    (r"\bheb je\b", "heeft u"),
    (r"\b[Jj]e bent\b", "u bent"),
    (r"\bben je\b", "bent u"),
    (r"\b[Jj]e (kunt|kan)\b", "u kunt"),
    (r"\b(kan|kun) je\b", "kunt u"),
    (r"\bWil je\b", "Wilt u"),
    (r"\bwil je\b", "wilt u"),
    (r"\bje (wilt|wil)\b", "u wilt"),
    (r"\b[Jj]e moet\b", "u moet"),
    (r"\b[Jj]e bekijkt\b", "u bekijkt"),
    (r"\b[Jj]e krijgt\b", "u krijgt"),
    (r"\bvoeg je\b", "voegt u"),
    (r"\bupload je\b", "uploadt u"),
    (r"\bvoorkom je\b", "voorkomt u"),
    (r"\bMaak je\b", "Maak u"),
    (r"\bmaak je\b", "maakt u"),
    (r"\bje (geabboneerd|geabonneerd)\b", r"u \1"),
    (r"\b([Aa]ls|voordat|dat|die|wat) je\b", r"\1 u"),
    (r"\bje die vergeten\b", "u die vergeten"),
    (r"\b(door|alleen) (jou|jij)\b", r"\1 u"),
    (r"\bjij\b", "u"),
    (r"\bjou\b", "u"),
    (r"\b[Jj]ouw\b", "uw"),
    (r"\b[Jj]e\b", "uw"),
]


def formal(text: str) -> str:
    for pattern, replacement in RULES:
        text = re.sub(pattern, replacement, text)
    # A sentence starts with a capital, also after the rules.
    return re.sub(r"(^|[.!?]\s+)(u|uw)\b", lambda m: m.group(1) + m.group(2).capitalize(), text)


def main() -> int:
    site = Path(polib.__file__).resolve().parent
    sources = sorted(site.glob("wagtail/**/locale/nl/LC_MESSAGES/django.po"))
    out = polib.POFile(wrapwidth=0)
    out.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "nl",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for source in sources:
        for entry in polib.pofile(str(source)):
            key = (entry.msgctxt, entry.msgid)
            if key in seen or entry.obsolete:
                continue
            if entry.msgid in ENGLISH and not entry.msgid_plural:
                seen.add(key)
                dutch = ENGLISH[entry.msgid]
                out.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=dutch))
                continue
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            if not any(INFORMAL.search(text or "") for text in texts):
                continue
            seen.add(key)
            new = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural)
            if entry.msgid_plural:
                new.msgstr_plural = {index: formal(text) for index, text in entry.msgstr_plural.items()}
            else:
                new.msgstr = formal(entry.msgstr)
            out.append(new)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(OUT))
    # msgfmt, as compilemessages (scripts/translate.py) would, so the two never disagree.
    subprocess.run(["msgfmt", "--check-format", "-o", str(OUT.with_suffix(".mo")), str(OUT)], check=True)  # noqa: S603, S607
    print(f"{len(out)} messages in {OUT.relative_to(BASE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
