"""Ordinal scales: how often, how likely, how bad.

A `Scale` is an ordered set of `Level`s of one `ScaleKind`. Levels are listed
from rank 1 (lowest) upward, and their ranks are written out so that a file
whose lines were reordered is caught rather than silently re-ranked.

A level may state numeric `bounds` in its kind's unit: events per year for
`frequency` and `exposure`, a probability for `likelihood` and `probability`,
a harm index in [0, 1] for `consequence` and `severity`. Bounds let
`RiskMatrix.check()` test a matrix against Cox's axioms on the real widths of
its levels instead of assuming equal widths.

Examples:
    >>> from forsvarlig import Level, Scale, ScaleKind, Text
    >>> weekly = Scale(
    ...     id="acme.contact",
    ...     kind=ScaleKind.FREQUENCY,
    ...     label=Text(nb="Hvor ofte", en="How often"),
    ...     levels=(
    ...         Level(id="rarely", rank=1, label=Text(nb="Sjelden", en="Rarely")),
    ...         Level(id="weekly", rank=2, label=Text(nb="Ukentlig", en="Weekly")),
    ...     ),
    ... )
    >>> weekly.level("weekly").rank
    2
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator
from typing import Final

import attrs

from forsvarlig._ids import check_id, check_slug
from forsvarlig._serial import FieldError, Meta
from forsvarlig.errors import UnknownReferenceError, close_matches
from forsvarlig.text import Text

__all__ = ["Level", "Scale", "ScaleKind"]


class ScaleKind(enum.Enum):
    """What a scale measures.

    Examples:
        >>> ScaleKind("frequency").unit
        'events per year'

    Added in version 0.1.
    """

    LIKELIHOOD = "likelihood"
    FREQUENCY = "frequency"
    PROBABILITY = "probability"
    EXPOSURE = "exposure"
    CONSEQUENCE = "consequence"
    SEVERITY = "severity"

    @property
    def unit(self) -> str:
        """The unit of a level's `bounds` on a scale of this kind."""
        return _UNITS[self]

    @property
    def upper_limit(self) -> float:
        """The largest bound allowed (`inf` where the unit has none)."""
        return math.inf if self in _COUNTS else 1.0

    @property
    def is_consequence(self) -> bool:
        """Whether the kind says how bad (consequence, severity) rather than how often."""
        return self in {ScaleKind.CONSEQUENCE, ScaleKind.SEVERITY}


_COUNTS: Final = frozenset({ScaleKind.FREQUENCY, ScaleKind.EXPOSURE})
_UNITS: Final = {
    ScaleKind.LIKELIHOOD: "probability",
    ScaleKind.FREQUENCY: "events per year",
    ScaleKind.PROBABILITY: "probability",
    ScaleKind.EXPOSURE: "events per year",
    ScaleKind.CONSEQUENCE: "harm index in [0, 1]",
    ScaleKind.SEVERITY: "harm index in [0, 1]",
}


@attrs.frozen(kw_only=True, hash=False)
class Level:
    """One step on a scale.

    Args:
        id: The level's id, local to its scale (`daily`).
        rank: Its position on the scale, 1 for the lowest.
        label: What a person reads.
        value: A number the level stands for, where a method needs one
            (Fine–Kinney's 0.5, 1, 3, 6, 10).
        bounds: The interval `(lo, hi)` the level covers, in its scale kind's
            unit; `lo < hi`.
        description: A longer explanation.
        examples: Everyday examples that help people place a case on the scale.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> daily = Level(id="daily", rank=4, label=Text(nb="Daglig", en="Daily"), bounds=(200.0, 1000.0))
        >>> daily.label.get("nn"), daily.bounds
        ('Daglig', (200.0, 1000.0))

    Added in version 0.1.
    """

    id: str
    rank: int
    label: Text
    value: float | None = None
    bounds: tuple[float, float] | None = None
    description: Text | None = None
    examples: tuple[Text, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_slug("id", self.id)
        if self.rank.__class__ is not int or self.rank < 1:
            raise FieldError("rank", f"a rank is a whole number, 1 or more, got {self.rank!r}")
        if not isinstance(self.label, Text):
            msg = f"expected a Text, got {type(self.label).__name__}"  # type: ignore[unreachable]
            raise FieldError("label", msg, "type")
        if self.value is not None and not math.isfinite(self.value):
            raise FieldError("value", f"a value must be a finite number, got {self.value}")
        if self.bounds is not None:
            lo, hi = self.bounds
            if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
                msg = f"bounds must be finite with lo < hi, got ({lo}, {hi})"
                raise FieldError("bounds", msg)


@attrs.frozen(kw_only=True, hash=False)
class Scale:
    """An ordinal scale of one kind: levels listed from rank 1 upward.

    Args:
        id: The scale's id (`fv.talk-frequency`).
        kind: What the scale measures.
        label: Its name for people.
        levels: Its levels, ranks 1 to n in that order.
        description: A longer explanation.
        note: Where the scale comes from and what is forsvarlig's own.
        sources: Citations (titles, URLs) for the scale.
        verified: False where the source could not be confirmed.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Raises:
        ValueError: If there are fewer than two levels, ranks are not 1 to n
            in order, ids repeat, or bounds or values are not increasing and
            inside the kind's range.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> s = default_catalogue().scale("fv.talk-frequency")
        >>> [level.id for level in s.levels]
        ['rarely', 'monthly-yearly', 'weekly', 'daily']
        >>> s.rank("weekly")
        3

    Added in version 0.1.
    """

    id: str
    kind: ScaleKind
    label: Text
    levels: tuple[Level, ...]
    description: Text | None = None
    note: Text | None = None
    sources: tuple[str, ...] = ()
    verified: bool = True
    meta: Meta = attrs.field(factory=dict)
    _by_id: dict[str, Level] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        if not isinstance(self.kind, ScaleKind):
            kinds = ", ".join(k.value for k in ScaleKind)  # type: ignore[unreachable]  # untyped callers
            raise FieldError("kind", f"expected a ScaleKind ({kinds}), got {self.kind!r}", "type")
        if not isinstance(self.label, Text):
            msg = f"expected a Text, got {type(self.label).__name__}"  # type: ignore[unreachable]
            raise FieldError("label", msg, "type")
        levels = self.levels
        if len(levels) < 2:
            raise FieldError("levels", f"a scale needs at least two levels, got {len(levels)}")
        problems: list[tuple[str, str, str]] = []
        by_id: dict[str, Level] = {}
        for i, level in enumerate(levels):
            if level.rank != i + 1:
                msg = f"levels are listed from rank 1 upward: expected rank {i + 1}, got {level.rank}"
                problems.append((f"levels.{i}.rank", msg, "value"))
            if level.id in by_id:
                problems.append((f"levels.{i}.id", f"the level id {level.id!r} is repeated", "value"))
            by_id[level.id] = level
        problems.extend(self._number_problems())
        FieldError.collect(problems)
        object.__setattr__(self, "_by_id", by_id)

    def _number_problems(self) -> list[tuple[str, str, str]]:
        levels = self.levels
        problems = []
        with_bounds = [lv.bounds is not None for lv in levels]
        if any(with_bounds) and not all(with_bounds):
            i = with_bounds.index(False)
            problems.append((f"levels.{i}.bounds", "give bounds on every level or on none", "value"))
        elif all(with_bounds):
            top = self.kind.upper_limit
            previous_hi = -math.inf
            for i, level in enumerate(levels):
                lo, hi = level.bounds  # type: ignore[misc]
                if lo < 0 or hi > top:
                    msg = f"bounds of a {self.kind.value} scale lie in [0, {top:g}] ({self.kind.unit})"
                    problems.append((f"levels.{i}.bounds", msg, "value"))
                elif lo < previous_hi:
                    msg = f"bounds overlap the level below or go down: {lo:g} < {previous_hi:g}"
                    problems.append((f"levels.{i}.bounds", msg, "value"))
                previous_hi = hi
        with_values = [lv.value is not None for lv in levels]
        if any(with_values) and not all(with_values):
            i = with_values.index(False)
            problems.append((f"levels.{i}.value", "give a value on every level or on none", "value"))
        elif all(with_values):
            problems.extend(
                (f"levels.{i}.value", "values must increase with rank", "value")
                for i in range(1, len(levels))
                if levels[i].value <= levels[i - 1].value  # type: ignore[operator]
            )
        return problems

    @property
    def ids(self) -> tuple[str, ...]:
        """The level ids, lowest first."""
        return tuple(level.id for level in self.levels)

    @property
    def has_bounds(self) -> bool:
        """Whether the levels state numeric bounds."""
        return self.levels[0].bounds is not None

    def __len__(self) -> int:
        return len(self.levels)

    def __iter__(self) -> Iterator[Level]:
        return iter(self.levels)

    def __contains__(self, level_id: object) -> bool:
        return level_id in self._by_id

    def level(self, level_id: str) -> Level:
        """Return the level with this id.

        Raises:
            UnknownReferenceError: If the scale has no such level; the error
                suggests the nearest ids.
        """
        try:
            return self._by_id[level_id]
        except (KeyError, TypeError):
            suggestions = close_matches(str(level_id), self._by_id)
            raise UnknownReferenceError(
                "level", str(level_id), suggestions or self.ids, where=f"scale {self.id!r}"
            ) from None

    def rank(self, level_id: str) -> int:
        """Return the rank of the level with this id (1 for the lowest)."""
        return self.level(level_id).rank

    def _repr_html_(self) -> str:
        from forsvarlig.report import view

        return view(self).html

    def intervals(self) -> tuple[tuple[float, float], ...]:
        """The interval each level covers, lowest first.

        The stated bounds where the scale has them; otherwise equal widths on
        [0, 1], the assumption `RiskMatrix.check()` reports.

        Examples:
            >>> from forsvarlig import default_catalogue
            >>> default_catalogue().scale("fv.at-frequency").intervals()[0]
            (0.0, 0.25)
        """
        if self.has_bounds:
            return tuple(level.bounds for level in self.levels)  # type: ignore[misc]
        n = len(self.levels)
        return tuple((i / n, (i + 1) / n) for i in range(n))
