"""Refresh the translation catalogues: extract strings, fill in Dutch, compile.

    .venv/bin/python scripts/translate.py

Runs `makemessages` over the project, fills every empty Dutch msgstr from the tab-separated files
in locale/translations/*.tsv (English<TAB>Dutch per line; for a count, ngettext's two forms as
English<TAB>Dutch<TAB>English plural<TAB>Dutch plural), compiles the catalogues and lists what is
still untranslated. Translations already in the .po files are kept.
"""

import subprocess
import sys
from pathlib import Path

import polib

BASE = Path(__file__).resolve().parent.parent
IGNORE = [".venv/*", "var/*", "static/*", "tests/*", "test-results/*", "docs/*"]


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, check=True, capture_output=True)  # noqa: S603


def load_tsv() -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, str]]]:
    translations, plurals = {}, {}
    for path in sorted((BASE / "locale" / "translations").glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) == 4:
                plurals[(fields[0], fields[2])] = (fields[1], fields[3])
                continue
            if len(fields) != 2:
                sys.exit(f"{path.name}:{number}: expected English<TAB>Dutch (or four fields for a plural)")
            translations[fields[0]] = fields[1]
    return translations, plurals


def main() -> int:
    ignore = [arg for pattern in IGNORE for arg in ("--ignore", pattern)]
    manage("makemessages", "-l", "nl", "-l", "en", "--no-obsolete", "--no-location", "--no-wrap", *ignore)
    translations, plurals = load_tsv()
    catalogue = polib.pofile(str(BASE / "locale" / "nl" / "LC_MESSAGES" / "django.po"), wrapwidth=0)
    for entry in catalogue:
        if entry.msgid_plural:
            forms = plurals.get((entry.msgid, entry.msgid_plural))
            if forms and (not any(entry.msgstr_plural.values()) or "fuzzy" in entry.flags):
                entry.msgstr_plural = {0: forms[0], 1: forms[1]}
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            continue
        if not entry.msgstr and entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
        if "fuzzy" in entry.flags and entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.flags.remove("fuzzy")
    catalogue.save()
    manage("compilemessages", *[arg for pattern in IGNORE for arg in ("--ignore", pattern)])
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for msgid in missing:
        print(f"untranslated: {msgid}")
    print(f"{len(catalogue)} strings, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
