"""Psychosocial factors, the law they rest on, frameworks, targets, requirements and measure templates.

These are the catalogue's entries beside scales and matrices:

- a `Factor` is a psychosocial factor of work — a *demand* whose presence is
  the risk (workload, violence) or a *resource* whose absence is (support,
  control) — with its `LegalReference`s and its crosswalk to the entries of
  other frameworks;
- a `Framework` (ISO 45003, the UK HSE Management Standards, …) and its
  `FrameworkEntry`s, which factors cross-walk to;
- a `Target` is what a measure acts on: the organisation, a factor, or an
  outcome;
- a `Requirement` is a legal duty, with the kinds of measure that meet it;
- a `MeasureTemplate` is a measure (*tiltak*) a catalogue suggests for
  factors, with its target, prevention level and kind.

Entries are found by id in a `forsvarlig.Catalogue`.

Examples:
    >>> from forsvarlig import default_catalogue
    >>> workload = default_catalogue().factor("fv.workload")
    >>> workload.polarity.value, str(workload.legal[0])
    ('demand', 'aml § 4-3 (2) c')
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Final

import attrs

from forsvarlig._ids import check_id, check_slug
from forsvarlig._serial import FieldError, Meta
from forsvarlig.text import Text

__all__ = [
    "ACTS",
    "Factor",
    "Framework",
    "FrameworkEntry",
    "LegalReference",
    "MeasureKind",
    "MeasureTemplate",
    "Polarity",
    "PreventionLevel",
    "Requirement",
    "Target",
]

#: The acts and regulations the built-in catalogue cites, by the short name a
#: `LegalReference` uses. Any other short name (a slug) may be used too.
ACTS: Final = {
    "aml": Text(nb="arbeidsmiljøloven", en="the Working Environment Act"),
    "fua": Text(nb="forskrift om utførelse av arbeid", en="Regulations concerning the performance of work"),
    "orgforskr": Text(
        nb="forskrift om organisering, ledelse og medvirkning",
        en="Regulations concerning organisation, management and employee participation",
    ),
    "ikforskr": Text(nb="internkontrollforskriften", en="the Internal Control Regulations"),
    "ldl": Text(nb="likestillings- og diskrimineringsloven", en="the Equality and Anti-Discrimination Act"),
}

_ACT_RE: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
_SECTION_RE: Final = re.compile(r"[0-9]+[A-Z]?(?:-[0-9]+)?\Z")
_LETTER_RE: Final = re.compile(r"[a-z0-9]\Z|[0-9]{1,2}\Z")


class Polarity(enum.Enum):
    """Whether a factor's presence or its absence is the risk.

    Examples:
        >>> Polarity("resource").is_resource
        True

    Added in version 0.1.
    """

    DEMAND = "demand"
    RESOURCE = "resource"

    @property
    def is_resource(self) -> bool:
        """Whether the factor protects: its absence, not its presence, is the risk."""
        return self is Polarity.RESOURCE


class MeasureKind(enum.Enum):
    """What a measure does (Arbeidstilsynet's order: remove, then reduce likelihood, then consequence).

    Examples:
        >>> [k.value for k in MeasureKind][:3]
        ['remove', 'reduce-likelihood', 'reduce-consequence']

    Added in version 0.1.
    """

    REMOVE = "remove"
    REDUCE_LIKELIHOOD = "reduce-likelihood"
    REDUCE_CONSEQUENCE = "reduce-consequence"
    TRAINING = "training"
    INFORMATION = "information"
    FOLLOW_UP = "follow-up"


class PreventionLevel(enum.Enum):
    """Where a measure acts: before harm (primary), early (secondary), after (tertiary).

    Examples:
        >>> PreventionLevel("primary").value
        'primary'

    Added in version 0.1.
    """

    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"


def _check_text(field: str, value: object) -> None:
    if not isinstance(value, Text):
        raise FieldError(field, f"expected a Text, got {type(value).__name__}", "type")


def _check_ids(field: str, values: tuple[str, ...]) -> None:
    for i, value in enumerate(values):
        check_id(f"{field}.{i}", value)


def _check_lifecycle(entry_id: str, overrides: str | None, replaced_by: str | None) -> None:
    if overrides is not None:
        check_id("overrides", overrides)
        if overrides != entry_id:
            msg = f"an entry that overrides {overrides!r} takes its id: write `id: {overrides}`"
            raise FieldError("overrides", msg)
    if replaced_by is not None:
        check_id("replaced_by", replaced_by)
        if replaced_by == entry_id:
            raise FieldError("replaced_by", "an entry cannot be replaced by itself")


@attrs.frozen(kw_only=True, hash=False)
class LegalReference:
    """A place in an act or regulation, dated, with its text where it is quoted.

    Args:
        act: The act's short name (`aml`, `fua`, `orgforskr`, `ikforskr`,
            `ldl`; see `ACTS`), or another slug.
        section: The section (`4-3`, `23A-1`, `7-1`, `5`).
        paragraph: The paragraph (*ledd*), counted from 1, if the reference
            is to one.
        letter: The letter or number of an item in the paragraph (`a`, `6`).
        valid_from: The first day this text applies, where known.
        valid_to: The last day it applies; None while in force.
        text: The statutory text, quoted exactly as the source gives it.
        verified: False where the wording (or punctuation) could not be
            confirmed from a primary source.
        sources: Where the text was read.
        note: What is uncertain, or how the reference is read.

    Examples:
        >>> import datetime as dt
        >>> ref = LegalReference(act="aml", section="4-3", paragraph=6, valid_from=dt.date(2026, 1, 1))
        >>> str(ref), ref.in_force(dt.date(2025, 6, 1))
        ('aml § 4-3 (6)', False)

    Added in version 0.1.
    """

    act: str
    section: str
    paragraph: int | None = None
    letter: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    text: str | None = None
    verified: bool = True
    sources: tuple[str, ...] = ()
    note: Text | None = None

    def __attrs_post_init__(self) -> None:
        if not _ACT_RE.match(self.act):
            msg = f"{self.act!r} is not an act's short name: lowercase letters and digits (e.g. `aml`, `fua`)"
            raise FieldError("act", msg, "id")
        if not _SECTION_RE.match(self.section):
            raise FieldError(
                "section", f"{self.section!r} is not a section number (e.g. `4-3`, `23A-1`, `5`)"
            )
        if self.paragraph is not None and (self.paragraph.__class__ is not int or self.paragraph < 1):
            raise FieldError("paragraph", f"a paragraph is counted from 1, got {self.paragraph!r}")
        if self.letter is not None and not _LETTER_RE.match(self.letter):
            raise FieldError("letter", f"{self.letter!r} is not an item letter or number (e.g. `a`, `6`)")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise FieldError("valid_to", "valid_to comes before valid_from")

    def in_force(self, on: dt.date) -> bool:
        """Whether this text applied on a given day (open ends count as applying)."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    def __str__(self) -> str:
        out = f"{self.act} § {self.section}"
        if self.paragraph is not None:
            out += f" ({self.paragraph})"
        if self.letter is not None:
            out += f" {self.letter}"
        return out


@attrs.frozen(kw_only=True, hash=False)
class Factor:
    """A psychosocial factor of work.

    Args:
        id: The factor's id (`fv.workload`).
        label: Its name for people.
        polarity: A demand (its presence is the risk) or a resource (its
            absence is).
        description: What it is, in plain words.
        examples: How it looks at work, in everyday words.
        group: A slug grouping related factors (`demands`, `relations`, …).
        legal: Where the law names it, each reference dated.
        crosswalk: Ids of the framework entries it corresponds to.
        buffers: For a resource: the factors whose strain it buffers.
        methods: Ids of the scoring methods that suit it.
        sources: Where the description comes from.
        verified: False where a source could not be confirmed.
        note: What is forsvarlig's own, or uncertain.
        overrides: In a later layer: the id of the entry this one replaces
            (its own id is the same).
        replaced_by: The id of the entry that retires this one.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> support = default_catalogue().factor("fv.support")
        >>> support.polarity.value, "fv.workload" in support.buffers
        ('resource', True)

    Added in version 0.1.
    """

    id: str
    label: Text
    polarity: Polarity
    description: Text
    examples: tuple[Text, ...] = ()
    group: str | None = None
    legal: tuple[LegalReference, ...] = ()
    crosswalk: tuple[str, ...] = ()
    buffers: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    verified: bool = True
    note: Text | None = None
    overrides: str | None = None
    replaced_by: str | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        _check_text("label", self.label)
        if not isinstance(self.polarity, Polarity):
            raise FieldError("polarity", f"expected demand or resource, got {self.polarity!r}", "type")
        if self.group is not None:
            check_slug("group", self.group)
        for field in ("crosswalk", "buffers", "methods"):
            _check_ids(field, getattr(self, field))
        if self.buffers and self.polarity is not Polarity.RESOURCE:
            raise FieldError("buffers", "only a resource buffers other factors")
        if self.id in self.buffers:
            raise FieldError("buffers", "a factor does not buffer itself")
        _check_lifecycle(self.id, self.overrides, self.replaced_by)


@attrs.frozen(kw_only=True, hash=False)
class FrameworkEntry:
    """One entry of a framework: an ISO 45003 sub-category, an HSE Management Standard, ….

    Args:
        id: The entry's id, in the framework's namespace
            (`iso45003.workload-and-work-pace`).
        label: Its name.
        code: The framework's own code or number for it, if any.
        group: A slug for the framework's group it belongs to.
        description: What it covers, in forsvarlig's words.
        unmapped: Why no factor cross-walks to it, where that is deliberate.
        verified: False where its name or place could not be confirmed.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> default_catalogue().framework_entry("hsems.demands").label.get("en")
        'Demands'

    Added in version 0.1.
    """

    id: str
    label: Text
    code: str | None = None
    group: str | None = None
    description: Text | None = None
    unmapped: Text | None = None
    verified: bool = True
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        _check_text("label", self.label)
        if self.group is not None:
            check_slug("group", self.group)


@attrs.frozen(kw_only=True, hash=False)
class Framework:
    """A framework of psychosocial hazards that factors cross-walk to.

    Args:
        id: The framework's id, in its own namespace (`iso45003.iso-45003`).
        label: Its name.
        entries: Its entries, in the framework's order.
        publisher: Who publishes it.
        edition: Its edition or year.
        url: Where it is described.
        description: What it is, in forsvarlig's words.
        sources: Where the entries' names were confirmed.
        verified: False where the entries could not be confirmed.
        note: What is uncertain.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> len(default_catalogue().framework("hsems.management-standards").entries)
        6

    Added in version 0.1.
    """

    id: str
    label: Text
    entries: tuple[FrameworkEntry, ...]
    publisher: str | None = None
    edition: str | None = None
    url: str | None = None
    description: Text | None = None
    sources: tuple[str, ...] = ()
    verified: bool = True
    note: Text | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        _check_text("label", self.label)
        if not self.entries:
            raise FieldError("entries", "a framework has at least one entry")
        seen: set[str] = set()
        namespace = self.id.partition(".")[0]
        problems = []
        for i, entry in enumerate(self.entries):
            if entry.id.partition(".")[0] != namespace:
                problems.append(
                    (f"entries.{i}.id", f"{entry.id!r} is not in the framework's namespace", "namespace")
                )
            if entry.id in seen or entry.id == self.id:
                problems.append((f"entries.{i}.id", f"the id {entry.id!r} is repeated", "duplicate-id"))
            seen.add(entry.id)
        FieldError.collect(problems)


@attrs.frozen(kw_only=True, hash=False)
class Target:
    """What a measure acts on: the organisation, a factor, or an outcome.

    Args:
        id: The target's id (`fv.organisation`).
        label: Its name.
        description: What acting on it means.
        examples: What it covers (leadership, participation, …).
        note: Where it comes from.
        overrides: In a later layer: the id of the entry this one replaces.
        replaced_by: The id of the entry that retires this one.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> [t for t in default_catalogue().targets]
        ['fv.organisation', 'fv.factor', 'fv.outcome']

    Added in version 0.1.
    """

    id: str
    label: Text
    description: Text
    examples: tuple[Text, ...] = ()
    note: Text | None = None
    overrides: str | None = None
    replaced_by: str | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        _check_text("label", self.label)
        _check_lifecycle(self.id, self.overrides, self.replaced_by)


@attrs.frozen(kw_only=True, hash=False)
class Requirement:
    """A legal duty an assessment must meet, and what meets it.

    Args:
        id: The requirement's id (`fv.fully-justifiable`).
        label: Its name.
        description: The duty, in plain words.
        legal: Where the law sets it, dated.
        factors: The factors it concerns (none: all of them).
        met_by: The kinds of measure that meet it.
        assessment: Whether mapping and risk assessment themselves meet it.
        verified: False where the wording could not be confirmed.
        note: What is uncertain.
        overrides: In a later layer: the id of the entry this one replaces.
        replaced_by: The id of the entry that retires this one.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> duty = default_catalogue().requirement("fv.violence-training")
        >>> [k.value for k in duty.met_by]
        ['training']

    Added in version 0.1.
    """

    id: str
    label: Text
    description: Text
    legal: tuple[LegalReference, ...] = ()
    factors: tuple[str, ...] = ()
    met_by: tuple[MeasureKind, ...] = ()
    assessment: bool = False
    verified: bool = True
    note: Text | None = None
    overrides: str | None = None
    replaced_by: str | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        _check_text("label", self.label)
        _check_ids("factors", self.factors)
        if not self.met_by and not self.assessment:
            raise FieldError("met_by", "say what meets the requirement: measure kinds, or `assessment: true`")
        _check_lifecycle(self.id, self.overrides, self.replaced_by)


@attrs.frozen(kw_only=True, hash=False)
class MeasureTemplate:
    """A measure (*tiltak*) a catalogue suggests, to copy into an assessment.

    Args:
        id: The template's id (`fv.clarify-priorities`).
        label: What to do, in a few words.
        description: What it involves.
        factors: The factors it acts on.
        target: The id of what it acts on: organisation, factor or outcome.
        prevention: Primary, secondary or tertiary.
        kind: What it does: remove, reduce likelihood or consequence, train,
            inform, follow up.
        examples: Concrete forms it takes.
        sources: Where it comes from.
        verified: False where a source could not be confirmed.
        note: What is forsvarlig's own.
        overrides: In a later layer: the id of the entry this one replaces.
        replaced_by: The id of the entry that retires this one.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> t = default_catalogue().measure_template("fv.clarify-priorities")
        >>> t.target, t.kind.value
        ('fv.organisation', 'remove')

    Added in version 0.1.
    """

    id: str
    label: Text
    description: Text
    factors: tuple[str, ...]
    target: str
    prevention: PreventionLevel
    kind: MeasureKind
    examples: tuple[Text, ...] = ()
    sources: tuple[str, ...] = ()
    verified: bool = True
    note: Text | None = None
    overrides: str | None = None
    replaced_by: str | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        _check_text("label", self.label)
        check_id("target", self.target)
        if not self.factors:
            raise FieldError("factors", "a measure template acts on at least one factor")
        _check_ids("factors", self.factors)
        _check_lifecycle(self.id, self.overrides, self.replaced_by)
