"""Dutch first: every interface string we wrote has a Dutch translation, compiled and in use."""

import gettext
import re

import pytest

from tests.services import BASE_DIR

PO_ENTRY = re.compile(r'^(#, fuzzy\n)?msgid "(.+)"\nmsgstr "(.*)"$', re.M)


def entries(language: str):
    text = (BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    return [(fuzzy, msgid, msgstr) for fuzzy, msgid, msgstr in PO_ENTRY.findall(text)]


def test_every_string_has_a_dutch_translation():
    found = entries("nl")
    assert len(found) > 20
    untranslated = [msgid for _, msgid, msgstr in found if not msgstr]
    fuzzy = [msgid for flag, msgid, _ in found if flag]
    assert not untranslated and not fuzzy


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    """A .po edited without `manage.py compilemessages` would leave the site showing old text."""
    with open(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for _, msgid, msgstr in entries(language):
        assert catalogue.gettext(msgid) == (msgstr or msgid), msgid
