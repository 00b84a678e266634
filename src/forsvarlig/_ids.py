"""Id grammar (private): `namespace.slug` for entries, `slug` for local ids."""

from __future__ import annotations

import re
from typing import Final

from forsvarlig._serial import FieldError

_SLUG: Final = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_RE: Final = re.compile(_SLUG + r"\Z")
NAMESPACE_RE: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
ID_RE: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\." + _SLUG + r"\Z")

ID_HELP: Final = (
    "an id is `namespace.slug`: lowercase letters, digits and hyphens, one dot (e.g. `fv.workload`)"
)
SLUG_HELP: Final = "a local id is lowercase letters, digits and hyphens (e.g. `daily`)"


def check_id(field: str, value: str) -> None:
    """Raise `FieldError` unless `value` is a `namespace.slug` id."""
    if not ID_RE.match(value):
        raise FieldError(field, f"{value!r} is not a valid id: {ID_HELP}", "id")


def check_slug(field: str, value: str) -> None:
    """Raise `FieldError` unless `value` is a local slug."""
    if not SLUG_RE.match(value):
        raise FieldError(field, f"{value!r} is not a valid local id: {SLUG_HELP}", "id")


def namespace_of(entry_id: str) -> str:
    """Return the namespace part of an id."""
    return entry_id.partition(".")[0]
