"""Interface text in several languages (gettext catalogues under ``translations/``, read with
Babel) and the reader's choice of language and of script for names.

English is the source language; its catalogue only gives data words (``released_end_of_term``)
their English labels. A catalogue is read from its ``.po`` file at start-up, so there
is no compiled file that could go stale.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES: dict[str, str] = {"en": "English", "be": "Беларуская"}
DEFAULT_LANGUAGE = "en"
#: the script names are shown in when the reader has not chosen one
DEFAULT_SCRIPT = {"en": "latin", "be": "cyrillic"}
SCRIPTS = ("latin", "cyrillic")


@cache
def translations(lang: str) -> gettext.NullTranslations:
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def pick_language(requested: str | None, accept_language: str | None) -> str:
    if requested in LANGUAGES:
        return requested
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Locale:
    lang: str
    script: str

    @property
    def gettext(self) -> Callable[[str], str]:
        return translations(self.lang).gettext

    @property
    def ngettext(self) -> Callable[[str, str, int], str]:
        return translations(self.lang).ngettext
