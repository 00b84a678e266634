"""Localised text.

Every label a user reads is a `Text`: one string per language, with a
fallback order when the language asked for is missing.

Examples:
    >>> from forsvarlig import Text
    >>> t = Text(nb="Daglig", en="Daily")
    >>> t["nb"], t.get("nn"), t.get("de")
    ('Daglig', 'Daglig', 'Daily')
    >>> str(t)
    'Daily'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Final

import attrs

from forsvarlig._serial import Invalid, describe, format_path, register
from forsvarlig.errors import Problem, ValidationError

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGE_ORDER", "Text"]

#: The language `str(text)` shows.
DEFAULT_LANGUAGE: Final = "en"

#: The order languages are stored and dumped in; others follow alphabetically.
LANGUAGE_ORDER: Final = ("nb", "nn", "en")

# Bokmål and nynorsk are the two written forms of Norwegian: each reader can
# read the other, so each is the first fallback of the other.
_FALLBACKS: Final[dict[str, tuple[str, ...]]] = {
    "nb": ("nn", "en"),
    "nn": ("nb", "en"),
    "no": ("nb", "nn", "en"),
}
_DEFAULT_FALLBACK: Final = ("en", "nb", "nn")
_LANG_RE: Final = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")


_RANK: Final = {lang: i for i, lang in enumerate(LANGUAGE_ORDER)}


def _order(lang: str) -> tuple[int, str]:
    return (_RANK.get(lang, len(LANGUAGE_ORDER)), lang)


def _item_order(item: tuple[str, str]) -> tuple[int, str]:
    return (_RANK.get(item[0], len(LANGUAGE_ORDER)), item[0])


@attrs.frozen(init=False, repr=False)
class Text:
    """A string in one or more languages.

    Create it from keyword arguments or a mapping of language codes (BCP 47
    style: `nb`, `nn`, `en`, `se`, `en-GB`) to non-empty strings. It is
    immutable, hashable and compares by content, whatever the order given.

    Args:
        translations: A mapping of language code to string.
        **by_language: The same, as keyword arguments.

    Raises:
        ValueError: If no language is given, a code is malformed, or a string is empty.

    Examples:
        >>> a = Text({"nb": "Ofte, ukentlig", "en": "Often, weekly"})
        >>> a == Text(en="Often, weekly", nb="Ofte, ukentlig")
        True
        >>> Text(nb="Uførhet, død").get("en")
        'Uførhet, død'

    Added in version 0.1.
    """

    _items: tuple[tuple[str, str], ...]

    def __init__(self, translations: Mapping[str, str] | None = None, /, **by_language: str) -> None:
        merged = dict(translations or {})
        merged.update(by_language)
        if not merged:
            msg = "a text needs at least one language, e.g. {nb: ..., en: ...}"
            raise ValueError(msg)
        for lang, value in merged.items():
            if not isinstance(lang, str) or not _LANG_RE.match(lang):
                msg = f"{lang!r} is not a language code (use codes such as 'nb', 'nn', 'en')"
                raise ValueError(msg)
            if not isinstance(value, str) or not value.strip():
                msg = f"the {lang!r} text must be a non-empty string"
                raise ValueError(msg)
        self.__attrs_init__(tuple(sorted(merged.items(), key=_item_order)))

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages present, in storage order."""
        return tuple(lang for lang, _ in self._items)

    def as_dict(self) -> dict[str, str]:
        """Return a new `{language: text}` dict."""
        return dict(self._items)

    def __getitem__(self, lang: str) -> str:
        for code, value in self._items:
            if code == lang:
                return value
        msg = f"no {lang!r} text (have {', '.join(self.languages)})"
        raise LookupError(msg)

    def __contains__(self, lang: object) -> bool:
        return any(code == lang for code, _ in self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(self.languages)

    def get(self, lang: str | None = None) -> str:
        """Return the text in `lang`, or the best fallback.

        The fallback for `nb` is `nn` then `en`, for `nn` it is `nb` then
        `en`; for any other language it is `en`, `nb`, `nn`; failing all of
        these, the first language stored.

        Examples:
            >>> Text(nn="Dagleg", en="Daily").get("nb")
            'Dagleg'
        """
        lang = lang or DEFAULT_LANGUAGE
        found = dict(self._items)
        if lang in found:
            return found[lang]
        base = lang.split("-", 1)[0]
        for candidate in (base, *_FALLBACKS.get(base, _DEFAULT_FALLBACK)):
            if candidate in found:
                return found[candidate]
        return self._items[0][1]

    def __str__(self) -> str:
        return self.get(DEFAULT_LANGUAGE)

    def __repr__(self) -> str:
        inner = ", ".join(f"{lang.replace('-', '_')}={value!r}" for lang, value in self._items)
        if any("-" in lang for lang, _ in self._items):
            inner = repr(dict(self._items))
        return f"Text({inner})"


def _nb_en(nb: str, en: str) -> Text:
    """A text the library wrote itself, in nb and en: checked lightly (findings come by the thousand)."""
    if not (nb.strip() and en.strip()):
        return Text(nb=nb, en=en)  # raises
    made = object.__new__(Text)
    made.__attrs_init__(tuple(sorted((("nb", nb), ("en", en)), key=_item_order)))
    return made


def _structure_text(value: object, _: object = None) -> Text:
    if value.__class__ is dict and value:
        # The common case, checked inline: string codes, non-empty strings.
        for lang, text in value.items():
            if not (
                lang.__class__ is str
                and text.__class__ is str
                and (lang in _RANK or _LANG_RE.match(lang))
                and text.strip()
            ):
                break
        else:
            made = object.__new__(Text)
            made.__attrs_init__(tuple(sorted(value.items(), key=_item_order)))
            return made
    if value.__class__ is not dict:
        msg = (
            f"expected a mapping of language codes to text, e.g. {{nb: ..., en: ...}}, got {describe(value)}"
        )
        raise Invalid(msg)
    problems = []
    for lang, text in value.items():
        at = format_path((lang,))
        if lang.__class__ is not str or not _LANG_RE.match(lang):
            msg = f"{lang!r} is not a language code (use codes such as 'nb', 'nn', 'en')"
            problems.append(Problem(at, msg, "unknown-key"))
        elif text.__class__ is not str:
            problems.append(Problem(at, f"expected a string, got {describe(text)}", "type"))
        elif not text.strip():
            problems.append(Problem(at, f"the {lang!r} text must not be empty", "value"))
    if problems:
        # Paths relative to the text: the caller places them.
        raise ValidationError(problems)
    try:
        return Text(value)
    except ValueError as exc:
        raise Invalid(str(exc), "value") from None


register(Text, _structure_text, Text.as_dict)
