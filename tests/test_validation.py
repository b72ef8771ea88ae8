"""The one input rule: refused characters, lengths and URLs (every path calls these)."""

from __future__ import annotations

import pytest

from prisonwatch.validation import (
    LIMITS,
    FieldError,
    check_text,
    check_url,
    forbidden_char,
    is_web_url,
)

REFUSED = [
    ("nul", "Iva\x00nou"),
    ("bell", "Ivan\x07ou"),
    ("delete", "Ivan\x7fou"),
    ("c1", "Ivan\x85ou"),
    ("rlo", "Ivan\u202euonavI"),
    ("lre", "\u202aIvanou"),
    ("isolate", "Ivan\u2066ou\u2069"),
    ("lrm", "Ivanou\u200e"),
    ("zwsp", "Iva\u200bnou"),
    ("word joiner", "Iva\u2060nou"),
    ("bom inside", "Iva\ufeffnou"),
    ("soft hyphen", "Iva\u00adnou"),
    ("zwj in latin", "Iva\u200dnou"),
    ("zwnj in cyrillic", "Іва\u200cноў"),
    ("zwj at the end", "Ivanou\u200d"),
    ("line separator", "Ivan\u2028ou"),
    ("newline", "Ivanou\nAlena"),
    ("carriage return", "Ivanou\r"),
    ("lone surrogate", "Iva\ud800nou"),
]
ACCEPTED = [
    ("cyrillic", "Статкевіч Мікалай Віктаравіч"),
    ("latin diacritics", "Mikałaj Statkievič"),
    ("persian zwnj", "می\u200cخواهم"),
    ("devanagari zwj", "क्\u200dष"),
    ("nbsp", "Ivan\u00a0Ivanou"),
    ("apostrophe", "Д’ячкоў"),
]


@pytest.mark.parametrize(("label", "text"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_characters_name_the_field_and_code_point(label: str, text: str) -> None:
    assert forbidden_char(text) is not None
    with pytest.raises(FieldError) as err:
        check_text("name", text)
    assert err.value.field == "name"
    assert "U+" in str(err.value) or "line break" in str(err.value)
    assert text not in str(err.value)  # the value is not echoed


@pytest.mark.parametrize(("label", "text"), ACCEPTED, ids=[r[0] for r in ACCEPTED])
def test_accepted_text(label: str, text: str) -> None:
    assert check_text("name", text) == " ".join(text.split())


def test_multiline_fields_keep_line_breaks_but_not_other_controls() -> None:
    assert check_text("internal_notes", "line one\r\nline\ttwo\n") == "line one\r\nline\ttwo"
    with pytest.raises(FieldError, match=r"internal_notes: .*U\+0000"):
        check_text("internal_notes", "a\x00b")
    with pytest.raises(FieldError, match=r"U\+202E"):
        check_text("note", "a\u202eb")


def test_lengths_come_from_one_table() -> None:
    assert check_text("region", "x" * LIMITS["region"]) == "x" * 200
    with pytest.raises(FieldError, match=r"region: longer than 200 characters \(5,000\)"):
        check_text("region", "x" * 5000)
    assert check_text("region", "  ") is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "vbscript:msgbox",
        "//example.org/x",
        "example.org",
        "https://",
        "https://exa mple.org/",
        "https://example.org/\u202e",
    ],
)
def test_urls_other_than_http_are_refused(url: str) -> None:
    with pytest.raises(FieldError) as err:
        check_url("source_url", url)
    assert err.value.field == "source_url"
    assert not is_web_url(url)


def test_http_urls_are_accepted() -> None:
    assert check_url("url", " https://example.org/a?b=c ") == "https://example.org/a?b=c"
    assert is_web_url("http://example.org")
    assert check_url("url", "") is None


def test_the_written_out_table_is_the_unicode_categories() -> None:
    import sys
    import unicodedata

    from prisonwatch.validation import _REFUSED

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        refused = unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        assert bool(_REFUSED.match(ch)) == refused, f"U+{code:04X}"
