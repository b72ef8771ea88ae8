"""Translations: every interface string has a Belarusian translation, every data word shown
through ``_()`` is in the vocabulary, and the catalogues load."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import prisonwatch.web
from prisonwatch.model import EventKind, NameKind, Role
from prisonwatch.store.people import SORTS, STATUSES
from prisonwatch.web.i18n import translations
from prisonwatch.web.vocab import VOCABULARY

WEB = Path(prisonwatch.web.__file__).parent


def _extracted() -> set[str | tuple[str, ...]]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    ids: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(WEB), method_map, options, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def test_every_message_is_translated_to_belarusian() -> None:
    with (WEB / "translations/be/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="be")
    translated = {
        (m.id if isinstance(m.id, str) else tuple(m.id))
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(str(m) for m in _extracted() - translated)
    assert not missing, missing


def test_every_data_word_is_in_the_vocabulary() -> None:
    words = (
        {k.value for k in EventKind}
        | set(STATUSES)
        | {k.value for k in NameKind}
        | {r.value for r in Role}
        | {f"sort:{s}" for s in SORTS}
    )
    assert words <= set(VOCABULARY)


def test_catalogues_translate() -> None:
    assert translations("be").gettext("People") == "Людзі"
    assert translations("en").gettext("released_end_of_term") == "released at end of term"
    be = translations("be")
    forms = [
        be.ngettext("%(num)s day in custody", "%(num)s days in custody", n) % {"num": n}
        for n in (1, 3, 5)
    ]
    assert forms == ["1 дзень пад вартай", "3 дні пад вартай", "5 дзён пад вартай"]
