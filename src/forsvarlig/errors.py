"""The exceptions forsvarlig raises.

Every exception derives from `ForsvarligError` and, where one fits, from the
matching builtin (`ValueError`, `LookupError`), so callers that already catch
builtins keep working. Errors keep their data as attributes and pickle; the
message is built from the attributes when the error is shown.

Error classes and their attributes are public API; message wording is not.

Examples:
    >>> from forsvarlig import Problem, ValidationError
    >>> err = ValidationError([Problem("$.levels[0].id", "expected a string")])
    >>> isinstance(err, ValueError)
    True
    >>> print(err)
    1 problem:
      $.levels[0].id: expected a string
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "CatalogueError",
    "CatalogueValidationError",
    "DuplicateEntryError",
    "ForsvarligError",
    "PluginError",
    "PluginLoadError",
    "PluginRegistrationError",
    "Problem",
    "RetiredEntryWarning",
    "ScoringError",
    "UnknownPluginError",
    "UnknownReferenceError",
    "ValidationError",
]


@attrs.frozen
class Problem:
    """One thing wrong with an input, and where it is.

    Args:
        path: Where in the document, as a JSONPath-like string (`$.levels[2].id`).
        message: What is wrong, and how to fix it where that is known.
        code: A stable, machine-readable kind of problem (`type`, `missing`,
            `unknown-key`, `duplicate-key`, `value`, `syntax`, `too-deep`, ...).
        source: The file or other origin of the input, when known.
        line: The 1-based line in the source (YAML input), when known.
        column: The 1-based column in the source, when known.

    Examples:
        >>> p = Problem("$.kind", "expected one of ...", code="value", source="s.yaml", line=3, column=7)
        >>> str(p)
        's.yaml:3:7: $.kind: expected one of ...'

    Added in version 0.1.
    """

    path: str
    message: str
    code: str = "value"
    source: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source + ":"
        if self.line is not None:
            where += f"{self.line}:"
            if self.column is not None:
                where += f"{self.column}:"
        return f"{where} {self.path}: {self.message}" if where else f"{self.path}: {self.message}"


class ForsvarligError(Exception):
    """The base of every exception forsvarlig raises.

    Subclasses keep their data in attributes and build their message in
    `__str__`; they pickle through `__reduce__`.

    Examples:
        >>> from forsvarlig import ForsvarligError, default_catalogue
        >>> try:
        ...     default_catalogue().matrix("fv.nope")
        ... except ForsvarligError as err:
        ...     print(type(err).__name__)
        UnknownReferenceError

    Added in version 0.1.
    """

    def _args(self) -> tuple[Any, ...]:
        return self.args

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._args())


class ValidationError(ForsvarligError, ValueError):
    r"""Raised when an input is not valid; lists every problem found.

    Attributes:
        problems: Every problem, in document order where that is known.

    Examples:
        >>> from forsvarlig import Text, ValidationError, loads
        >>> try:
        ...     loads("nb: Daglig\nen: 3\n", Text)
        ... except ValidationError as err:
        ...     [(p.path, p.line, p.code) for p in err.problems]
        [('$.en', 2, 'type')]

    Added in version 0.1.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.problems)

    def _args(self) -> tuple[Any, ...]:
        return (self.problems,)

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem:" if n == 1 else f"{n} problems:"
        return "\n  ".join([head, *(str(p) for p in self.problems)])


class CatalogueError(ForsvarligError):
    """The base of errors about a catalogue and its files.

    Examples:
        >>> from forsvarlig import CatalogueError, DuplicateEntryError
        >>> issubclass(DuplicateEntryError, CatalogueError)
        True

    Added in version 0.1.
    """


class CatalogueValidationError(CatalogueError, ValidationError):
    """Raised when a catalogue file or the catalogue built from several is invalid.

    It is a `ValidationError`: its `problems` name the file of each.

    Examples:
        >>> from forsvarlig import CatalogueValidationError, ValidationError
        >>> issubclass(CatalogueValidationError, ValidationError)
        True

    Added in version 0.1.
    """


class DuplicateEntryError(CatalogueError, ValueError):
    """Raised when two catalogue files define the same id.

    Attributes:
        id: The id defined twice.
        first: Where it was first defined (`file:line`).
        second: Where it was defined again.

    Examples:
        >>> print(DuplicateEntryError("acme.grid", "a.yaml:5", "b.yaml:9"))
        'acme.grid' is defined twice: at a.yaml:5 and at b.yaml:9

    Added in version 0.1.
    """

    def __init__(self, id: str, first: str, second: str) -> None:  # noqa: A002
        self.id = id
        self.first = first
        self.second = second
        super().__init__(id, first, second)

    def __str__(self) -> str:
        return f"{self.id!r} is defined twice: at {self.first} and at {self.second}"


class UnknownReferenceError(ForsvarligError, LookupError):
    """Raised when an id does not name anything known.

    Attributes:
        kind: What was looked for (`scale`, `level`, `matrix`, `band set`, ...).
        id: The id that was not found.
        suggestions: Known ids close to it, best first.
        where: Where the reference was made, when known.

    Examples:
        >>> print(UnknownReferenceError("scale", "fv.talk-frequensy", ["fv.talk-frequency"]))
        unknown scale 'fv.talk-frequensy' (did you mean 'fv.talk-frequency'?)

    Added in version 0.1.
    """

    def __init__(
        self,
        kind: str,
        id: str,  # noqa: A002
        suggestions: Sequence[str] = (),
        where: str | None = None,
    ) -> None:
        self.kind = kind
        self.id = id
        self.suggestions = tuple(suggestions)
        self.where = where
        super().__init__(kind, id, self.suggestions, where)

    def __str__(self) -> str:
        msg = f"unknown {self.kind} {self.id!r}"
        if self.where:
            msg += f" in {self.where}"
        return msg + did_you_mean(self.suggestions)


class PluginError(ForsvarligError):
    """The base of errors about plugins: scoring strategies and review rules.

    Examples:
        >>> from forsvarlig import PluginError, PluginLoadError
        >>> issubclass(PluginLoadError, PluginError) and issubclass(PluginLoadError, ImportError)
        True

    Added in version 0.1.
    """


class UnknownPluginError(PluginError, LookupError):
    """Raised when no plugin of a group has the name asked for.

    Attributes:
        group: The entry-point group (`forsvarlig.scoring`).
        name: The name asked for.
        available: The names the group has.

    Examples:
        >>> print(UnknownPluginError("forsvarlig.scoring", "prodcut", ["matrix", "product"]))
        no plugin 'prodcut' in forsvarlig.scoring (did you mean 'product'?); available: matrix, product

    Added in version 0.1.
    """

    def __init__(self, group: str, name: str, available: Sequence[str] = ()) -> None:
        self.group = group
        self.name = name
        self.available = tuple(available)
        super().__init__(group, name, self.available)

    def __str__(self) -> str:
        hint = did_you_mean(close_matches(self.name, self.available))
        listed = ", ".join(self.available) or "none"
        return f"no plugin {self.name!r} in {self.group}{hint}; available: {listed}"


class PluginRegistrationError(PluginError, ValueError):
    """Raised when a plugin cannot be registered: a name taken twice, or not a plugin.

    Attributes:
        group: The entry-point group.
        name: The plugin's name.
        reason: What is wrong.

    Examples:
        >>> print(PluginRegistrationError("forsvarlig.scoring", "matrix", "the name is taken by builtin"))
        cannot register 'matrix' in forsvarlig.scoring: the name is taken by builtin

    Added in version 0.1.
    """

    def __init__(self, group: str, name: str, reason: str) -> None:
        self.group = group
        self.name = name
        self.reason = reason
        super().__init__(group, name, reason)

    def __str__(self) -> str:
        return f"cannot register {self.name!r} in {self.group}: {self.reason}"


class PluginLoadError(PluginError, ImportError):
    """Raised when an installed plugin fails to load; its cause is chained.

    Only the plugin asked for is loaded, so a broken plugin fails alone.

    Attributes:
        group: The entry-point group.
        name: The plugin's name.
        entry_point: The entry point's value (`module:attribute`).
        distribution: The distribution that declares it, when known.

    Examples:
        >>> print(PluginLoadError("forsvarlig.scoring", "banded", "acme_scoring:make", "acme-scoring 1.0"))
        cannot load plugin 'banded' (acme_scoring:make, from acme-scoring 1.0) in forsvarlig.scoring

    Added in version 0.1.
    """

    def __init__(self, group: str, name: str, entry_point: str, distribution: str | None = None) -> None:
        super().__init__(group, name, entry_point, distribution)
        # After ImportError's own __init__, which sets `name` (to None) too.
        self.group = group
        self.name = name
        self.entry_point = entry_point
        self.distribution = distribution

    def __str__(self) -> str:
        origin = f", from {self.distribution}" if self.distribution else ""
        cause = f": {self.__cause__}" if self.__cause__ is not None else ""
        return f"cannot load plugin {self.name!r} ({self.entry_point}{origin}) in {self.group}{cause}"


class ScoringError(ForsvarligError, ValueError):
    """Raised when a method cannot score what it was given.

    Attributes:
        reason: What is wrong.
        method: The method (or strategy) that was scoring, when known.
        dimension: The dimension at fault, when there is one.
        level: The level id it could not score, when there is one.
        scale: The id of that dimension's scale, when known.
        suggestions: Nearby level ids (or dimension names), best first.
        row: The row of a column batch at fault, when scoring many.

    Examples:
        >>> print(ScoringError("unknown level", method="fv.matrix-5x5", dimension="likelihood",
        ...                    level="likley", scale="fv.likelihood-5", suggestions=["likely"]))
        fv.matrix-5x5: unknown level 'likley' for likelihood on scale fv.likelihood-5 (did you mean 'likely'?)

    Added in version 0.1.
    """

    def __init__(
        self,
        reason: str,
        *,
        method: str | None = None,
        dimension: str | None = None,
        level: str | None = None,
        scale: str | None = None,
        suggestions: Sequence[str] = (),
        row: int | None = None,
    ) -> None:
        self.reason = reason
        self.method = method
        self.dimension = dimension
        self.level = level
        self.scale = scale
        self.suggestions = tuple(suggestions)
        self.row = row
        super().__init__(reason)

    def _args(self) -> tuple[Any, ...]:
        return (self.reason,)

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: getattr(self, k) for k in ("method", "dimension", "level", "scale", "suggestions", "row")}
        return (_scoring_error, (self.reason, state))

    def __str__(self) -> str:
        msg = f"{self.method}: " if self.method else ""
        if self.row is not None:
            msg += f"row {self.row}: "
        msg += self.reason
        if self.level is not None:
            msg += f" {self.level!r}"
        if self.dimension is not None:
            msg += f" for {self.dimension}"
        if self.scale is not None:
            msg += f" on scale {self.scale}"
        return msg + did_you_mean(self.suggestions)


def _scoring_error(reason: str, state: dict[str, Any]) -> ScoringError:
    return ScoringError(reason, **state)


class RetiredEntryWarning(UserWarning):
    """Warned when a retired catalogue entry (one with `replaced_by`) is looked up.

    The entry still resolves, so old documents stay readable; the warning
    names what replaces it.

    Attributes:
        id: The retired id.
        replaced_by: The id that replaces it.

    Examples:
        >>> print(RetiredEntryWarning("fv.old", "fv.new"))
        'fv.old' is retired: use 'fv.new' instead

    Added in version 0.1.
    """

    def __init__(self, id: str, replaced_by: str) -> None:  # noqa: A002
        self.id = id
        self.replaced_by = replaced_by
        super().__init__(id, replaced_by)

    def __str__(self) -> str:
        return f"{self.id!r} is retired: use {self.replaced_by!r} instead"


def did_you_mean(suggestions: Sequence[str]) -> str:
    """Return ` (did you mean 'a' or 'b'?)` for suggestions, or an empty string."""
    if not suggestions:
        return ""
    quoted = [repr(s) for s in suggestions]
    if len(quoted) == 1:
        return f" (did you mean {quoted[0]}?)"
    return f" (did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?)"


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to `n` candidates close to `word`, best first.

    Only those nearly as close as the best are kept, so one clear match is
    suggested alone.
    """
    import difflib

    scored = []
    for candidate in candidates:
        matcher = difflib.SequenceMatcher(None, word, candidate)
        if matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF:
            ratio = matcher.ratio()
            if ratio >= _CUTOFF:
                scored.append((ratio, candidate))
    scored.sort(key=lambda rc: (-rc[0], rc[1]))
    if not scored:
        return []
    best = scored[0][0]
    return [c for r, c in scored[:n] if r >= best - _MARGIN]


_CUTOFF = 0.6
_MARGIN = 0.08
