"""Words the templates translate from data (event kinds, statuses, roles, ...). Listed here,
marked with ``N_``, so message extraction finds them; a test checks every one is translated."""

from __future__ import annotations


def N_(message: str) -> str:
    return message


VOCABULARY: tuple[str, ...] = (
    # event kinds
    N_("detained"),
    N_("recognised"),
    N_("sentenced"),
    N_("transferred"),
    N_("released_end_of_term"),
    N_("pardoned"),
    N_("expelled_abroad"),
    N_("refused_to_leave"),
    N_("re_arrested"),
    N_("died_in_custody"),
    N_("recognition_withdrawn"),
    N_("released_other"),
    # statuses
    N_("held"),
    N_("released"),
    N_("died"),
    N_("unknown"),
    # name kinds and scripts
    N_("official"),
    N_("transliteration"),
    N_("alias"),
    N_("misspelling"),
    N_("latin"),
    N_("cyrillic"),
    N_("mixed"),
    N_("other"),
    # roles, genders, audit actions
    N_("viewer"),
    N_("editor"),
    N_("admin"),
    N_("male"),
    N_("female"),
    N_("create"),
    N_("update"),
    N_("delete"),
    N_("withdraw"),
    # sort orders
    N_("sort:name"),
    N_("sort:-name"),
    N_("sort:detained"),
    N_("sort:-detained"),
    N_("sort:region"),
    N_("sort:-region"),
    N_("sort:id"),
    N_("sort:-id"),
    # review decisions and verdicts
    N_("same"),
    N_("different"),
    N_("unsure"),
    N_("match"),
    N_("review"),
    N_("unmatched"),
    # messages built in Python
    N_("wrong username or password"),
    N_("too many failed logins: try again in a few minutes"),
    N_("Changes"),
    # deals: concession kinds, how sure a link is, the navigation
    N_("delisting"),
    N_("general_licence"),
    N_("suspension"),
    N_("programme_change"),
    N_("embassy_reopening"),
    N_("stated_officially"),
    N_("reported"),
    N_("inferred"),
    N_("Deals"),
)
