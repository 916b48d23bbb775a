"""Dutch first: every interface string we wrote has a Dutch translation, compiled and in use."""

import gettext

import polib
import pytest

from tests.services import BASE_DIR


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_dutch_translation():
    entries = [entry for entry in catalogue("nl") if not entry.obsolete]
    assert len(entries) > 100
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert not untranslated and not fuzzy


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    """A .po edited without compiling it (scripts/translate.py) would leave the site showing old text."""
    with open(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in catalogue(language):
        if entry.obsolete or entry.msgid_plural:
            continue
        expected = entry.msgstr or entry.msgid
        if entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == expected, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == expected, entry.msgid
