"""Scores, score columns and vector strings (private; see `forsvarlig.scoring`)."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

import attrs

from forsvarlig._ids import ID_RE
from forsvarlig._serial import FieldError
from forsvarlig.errors import ScoringError

if TYPE_CHECKING:
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.scoring._registry import StrategyRegistry

#: The first part of every vector string: the vector grammar and its version.
VECTOR_PREFIX: Final = "FV:1"

_PART_RE: Final = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*):([a-z0-9]+(?:-[a-z0-9]+)*)\Z")
_METHOD_RE: Final = re.compile(r"(.+)@([1-9][0-9]*)\Z")


def _check_provenance(method: str | None, version: int | None) -> None:
    if (method is None) != (version is None):
        raise FieldError("version", "a score names both its method and the method's version, or neither")
    if method is not None and not ID_RE.match(method):
        raise FieldError("method", f"{method!r} is not a method id", "id")
    if version is not None and (version.__class__ is not int or version < 1):
        raise FieldError("version", f"a method's version is a whole number, 1 or more, got {version!r}")


@attrs.frozen(kw_only=True, hash=False)
class Score:
    """A risk score, with everything needed to explain and re-compute it.

    A score is made by a `ScoringStrategy` configured from a catalogue method
    (see `scorer`). Besides the result (`value`, `band`) it records how it
    was made: the method and its version, the strategy, the level of each
    dimension and the scale it was read on. Its `vector` is a compact,
    canonical string of that provenance which `Score.from_vector` turns back
    into the same score.

    Args:
        value: The strategy's number: the product for product methods
            (Fine–Kinney's R, OiRA's product), the band's rank for a matrix.
        band: The id of the band the score falls in (`high`).
        band_rank: That band's rank in its band set, 1 for the lowest.
        band_set: The id of the band set (`fv.three-bands`).
        strategy: The name of the strategy that scored (`matrix`).
        inputs: The level id of each dimension, in the method's order.
        scales: The scale id of each dimension, in the same order.
        method: The id of the method, or None for a strategy not bound to one.
        version: The method's version, or None with `method`.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.scoring import scorer
        >>> s = scorer("fv.matrix-5x5", default_catalogue()).score(
        ...     {"likelihood": "likely", "consequence": "major"})
        >>> s.band, s.value
        ('high', 3.0)
        >>> s.vector
        'FV:1/fv.matrix-5x5@1/likelihood:likely/consequence:major'

    Added in version 0.1.
    """

    value: float
    band: str
    band_rank: int
    band_set: str
    strategy: str
    inputs: dict[str, str]
    scales: dict[str, str]
    method: str | None = None
    version: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.value.__class__ not in (float, int) or self.band.__class__ is not str:
            msg = f"a score's value is a number and its band a band id, got {self.value!r} and {self.band!r}"
            raise FieldError("value", msg, "type")
        if list(self.inputs) != list(self.scales):
            raise FieldError("scales", "a score names the scale of each of its inputs' dimensions, in order")
        _check_provenance(self.method, self.version)

    @property
    def vector(self) -> str:
        """The canonical vector string of this score (provisional until 1.0).

        `FV:1/<method>@<version>/<dimension>:<level>/...`, dimensions in the
        method's order. It holds the inputs, not the result: the method and
        its version make the result again.

        Raises:
            ScoringError: If the score is not bound to a method.
        """
        if self.method is None:
            msg = "this score is not bound to a method, so it has no vector; score through scorer()"
            raise ScoringError(msg)
        parts = [VECTOR_PREFIX, f"{self.method}@{self.version}"]
        parts.extend(f"{d}:{level}" for d, level in self.inputs.items())
        return "/".join(parts)

    @classmethod
    def from_vector(
        cls, vector: str, catalogue: Catalogue, *, registry: StrategyRegistry | None = None
    ) -> Score:
        """Score a vector string again, with the method it names.

        Args:
            vector: A vector string, as `Score.vector` makes.
            catalogue: A catalogue holding the vector's method at its version.
            registry: Where to find the method's strategy; the default registry
                if None.

        Raises:
            ScoringError: If the text is not a vector, if the catalogue has
                another version of the method, or if a level is unknown.
            UnknownReferenceError: If the catalogue has no such method.

        Examples:
            >>> from forsvarlig import default_catalogue
            >>> from forsvarlig.scoring import Score
            >>> Score.from_vector("FV:1/fv.talk-matrix@1/frequency:daily/consequence:complaints",
            ...                   default_catalogue()).band
            'high'
        """
        from forsvarlig.catalogue import Catalogue
        from forsvarlig.scoring._registry import scorer

        if not isinstance(catalogue, Catalogue):
            msg = f"catalogue must be a Catalogue, got {type(catalogue).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        method, version, inputs = parse_vector(vector)
        found = catalogue.method(method)
        if found.version != version:
            msg = (
                f"the vector was made with version {version} of the method, but this catalogue has"
                f" version {found.version}: score it with the catalogue it was made with"
            )
            raise ScoringError(msg, method=method)
        return scorer(found, catalogue, registry=registry).score(inputs)


_SCORE_FIELDS: Final = (
    "value",
    "band",
    "band_rank",
    "band_set",
    "strategy",
    "inputs",
    "scales",
    "method",
    "version",
)


def trusted_score(*values: Any) -> Score:
    """Make a `Score` from values a strategy already checked, skipping `__init__`'s checks.

    Private: strategies in this package build scores from their own tables, whose
    every entry was checked when the table was made. The values come in field order.
    """
    made = object.__new__(Score)
    for name, value in zip(_SCORE_FIELDS, values, strict=True):
        object.__setattr__(made, name, value)
    return made


def parse_vector(vector: str) -> tuple[str, int, dict[str, str]]:
    """Split a vector string into its method id, the method's version and the inputs.

    It reads the string alone, without a catalogue; use `Score.from_vector`
    to score it.

    Raises:
        ScoringError: If the text is not a vector string.

    Examples:
        >>> parse_vector("FV:1/fv.matrix-5x5@1/likelihood:likely/consequence:major")
        ('fv.matrix-5x5', 1, {'likelihood': 'likely', 'consequence': 'major'})

    Added in version 0.1.
    """
    if not isinstance(vector, str):
        raise ScoringError(f"a vector is a string, got {type(vector).__name__}")
    head, _, rest = vector.partition("/")
    if head != VECTOR_PREFIX:
        msg = f"not a score vector: it starts {head!r}, not {VECTOR_PREFIX!r} ({vector!r})"
        raise ScoringError(msg)
    method_part, _, inputs_part = rest.partition("/")
    match = _METHOD_RE.match(method_part)
    if match is None or not ID_RE.match(match[1]):
        msg = (
            f"not a score vector: expected <method id>@<version> after {VECTOR_PREFIX}/, got {method_part!r}"
        )
        raise ScoringError(msg)
    method, version = match[1], int(match[2])
    inputs: dict[str, str] = {}
    for part in inputs_part.split("/") if inputs_part else ():
        pair = _PART_RE.match(part)
        if pair is None:
            msg = f"not a score vector: expected <dimension>:<level>, got {part!r}"
            raise ScoringError(msg, method=method)
        if pair[1] in inputs:
            raise ScoringError(f"the dimension {pair[1]!r} is given twice in the vector", method=method)
        inputs[pair[1]] = pair[2]
    if not inputs:
        raise ScoringError("not a score vector: it gives no levels", method=method)
    return method, version, inputs


@attrs.frozen(kw_only=True, hash=False)
class ScoreColumns:
    """Many scores as columns, with one shared provenance.

    What `ScoringStrategy.score_many` returns: a band id and a value per row,
    and, once for all rows, the method, strategy and scales. No object is
    made per row; `columns[i]` builds row i's `Score` when one is wanted,
    and `records()` gives rows as dicts for pandas.

    Args:
        bands: The band id of each row.
        values: The value of each row.
        band_set: The id of the band set.
        band_order: The band set's band ids, lowest first (a band's rank is
            its place here, plus one).
        strategy: The name of the strategy that scored.
        inputs: The input columns: dimension to the level id of each row, in
            the method's order.
        scales: The scale id of each dimension, in the same order.
        method: The id of the method, or None for a strategy not bound to one.
        version: The method's version, or None with `method`.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.scoring import scorer
        >>> cols = scorer("fv.matrix-5x5", default_catalogue()).score_many(
        ...     {"likelihood": ["likely", "very-unlikely"], "consequence": ["major", "severe"]})
        >>> cols.bands, len(cols), cols[0].band
        (('high', 'low'), 2, 'high')

    Added in version 0.1.
    """

    bands: tuple[str, ...]
    values: tuple[float, ...]
    band_set: str
    band_order: tuple[str, ...]
    strategy: str
    inputs: dict[str, tuple[str, ...]]
    scales: dict[str, str]
    method: str | None = None
    version: int | None = None

    def __attrs_post_init__(self) -> None:
        n = len(self.bands)
        if len(self.values) != n or any(len(c) != n for c in self.inputs.values()):
            raise FieldError("values", "every column of a ScoreColumns has the same length")
        if list(self.inputs) != list(self.scales):
            raise FieldError("scales", "the scales name the inputs' dimensions, in order")
        _check_provenance(self.method, self.version)

    def __len__(self) -> int:
        return len(self.bands)

    def __getitem__(self, row: int) -> Score:
        row = operator.index(row)  # one row; slices are not scores
        band = self.bands[row]
        return Score(
            value=self.values[row],
            band=band,
            band_rank=self.band_order.index(band) + 1,
            band_set=self.band_set,
            strategy=self.strategy,
            inputs={d: column[row] for d, column in self.inputs.items()},
            scales=dict(self.scales),
            method=self.method,
            version=self.version,
        )

    def __iter__(self) -> Iterator[Score]:
        return (self[i] for i in range(len(self.bands)))

    def records(self) -> list[dict[str, Any]]:
        """Return one dict per row: each dimension's level, then `value` and `band`.

        `pandas.DataFrame(columns.records())` gives a frame; the provenance
        is the same for every row and is left out.
        """
        names = list(self.inputs)
        rows = zip(*self.inputs.values(), self.values, self.bands, strict=True)
        return [dict(zip([*names, "value", "band"], row, strict=True)) for row in rows]
