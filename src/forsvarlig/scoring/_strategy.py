"""The strategy protocol and the tabulated strategy (private; see `forsvarlig.scoring`)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, runtime_checkable

import attrs

from forsvarlig.errors import ScoringError, close_matches
from forsvarlig.scoring._score import Score, ScoreColumns, trusted_score

if TYPE_CHECKING:
    from forsvarlig.catalogue import Method
    from forsvarlig.matrix import BandSet
    from forsvarlig.scales import Level, Scale

R = TypeVar("R", Score, ScoreColumns)

#: Tabulate eagerly up to this many combinations of levels; beyond, fill on use.
_EAGER_LIMIT: Final = 1 << 16
#: Columns that are no ordered sequence of level ids (a set would pair rows at random).
_UNORDERED: Final = (str, bytes, bytearray, AbstractSet, Mapping)
#: Names a dimension may not take: `ScoreColumns.records()` uses them for the result.
RESERVED_DIMENSIONS: Final = frozenset({"value", "band"})


def check_dimension(name: object, strategy: str) -> None:
    """Raise `ScoringError` unless `name` can name a dimension: a slug, not `value` or `band`."""
    from forsvarlig._ids import SLUG_RE

    if not isinstance(name, str) or not SLUG_RE.match(name) or name in RESERVED_DIMENSIONS:
        msg = (
            f"{name!r} cannot name a dimension: use lowercase letters, digits and hyphens"
            " (e.g. `likelihood`), and not `value` or `band`"
        )
        raise ScoringError(msg, method=strategy)


Evaluate = Callable[[Mapping[str, "Level"]], tuple[float, str]]


@runtime_checkable
class ScoringStrategy(Protocol):
    """What every scoring strategy does: the plugin protocol.

    A strategy is made by a factory `(params, catalogue) -> ScoringStrategy`
    from a catalogue method's `params`; `scorer` does that and binds the
    strategy to the method, so that its scores name it. An `isinstance`
    check against this protocol looks at the members' names only.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.scoring import ScoringStrategy, scorer
        >>> s = scorer("fv.fine-kinney", default_catalogue())
        >>> isinstance(s, ScoringStrategy), list(s.dimensions)
        (True, ['probability', 'exposure', 'consequence'])

    Added in version 0.1.
    """

    @property
    def name(self) -> str:
        """The strategy's name (`matrix`), as registered."""
        ...

    @property
    def dimensions(self) -> Mapping[str, Scale]:
        """The scale of each dimension, in the method's order."""
        ...

    @property
    def bands(self) -> BandSet:
        """The band set scores fall in."""
        ...

    def score(self, levels: Mapping[str, str], /) -> Score:
        """Score one combination: dimension to level id.

        Raises:
            ScoringError: For a missing or unknown dimension, or a level its
                scale does not have.
        """
        ...

    def score_many(self, columns: Mapping[str, Sequence[str]], /) -> ScoreColumns:
        """Score many combinations at once: dimension to a column of level ids.

        Raises:
            ScoringError: As `score`, naming the first row at fault.
        """
        ...


class TabulatedStrategy:
    """A strategy over finite scales: every combination is scored once, up front.

    Give it the scale of each dimension, the band set, and a function from
    the levels of one combination to `(value, band id)`; it scores from the
    resulting table, so `score_many` costs about one dict lookup per row.
    Every built-in strategy is one, and a plugin's factory can return one.

    Args:
        name: The strategy's name, as registered.
        dimensions: The scale of each dimension, in the method's order.
        bands: The band set scores fall in.
        evaluate: Given dimension to `Level`, return `(value, band id)`.
        method: The method this strategy is bound to (`scorer` binds it).

    Raises:
        ScoringError: If `evaluate` returns a band the band set does not
            have, or a value that is not a finite number.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.scoring import TabulatedStrategy
        >>> cat = default_catalogue()
        >>> bands = cat.band_set("fv.four-bands")
        >>> def worst_of(levels):
        ...     top = max(level.rank for level in levels.values())
        ...     return float(top), bands.bands[top - 1].id
        >>> worst = TabulatedStrategy(
        ...     "worst-of",
        ...     {"frequency": cat.scale("fv.at-frequency"), "consequence": cat.scale("fv.at-consequence")},
        ...     bands,
        ...     worst_of,
        ... )
        >>> worst.score({"frequency": "rare", "consequence": "serious"}).band
        'high'

    Added in version 0.1.
    """

    __slots__ = (
        "_band_nest",
        "_bands",
        "_dimensions",
        "_method",
        "_name",
        "_order",
        "_scale_ids",
        "_table",
        "_value_nest",
        "_value_of_band",
    )

    def __init__(
        self,
        name: str,
        dimensions: Mapping[str, Scale],
        bands: BandSet,
        evaluate: Evaluate,
        *,
        method: Method | None = None,
    ) -> None:
        from forsvarlig.matrix import BandSet
        from forsvarlig.scales import Scale

        if not isinstance(bands, BandSet):
            msg = f"bands must be a BandSet, got {type(bands).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        if not isinstance(dimensions, Mapping) or not dimensions:
            raise ScoringError(
                "a strategy needs a mapping of at least one dimension to its scale", method=name
            )
        for d, scale in dimensions.items():
            check_dimension(d, name)
            if not isinstance(scale, Scale):
                msg = f"the dimension {d!r} must map to a Scale, got {type(scale).__name__}"  # type: ignore[unreachable]
                raise TypeError(msg)
        self._name = name
        self._dimensions = dict(dimensions)
        self._bands = bands
        self._method = method
        self._order = tuple(self._dimensions)
        self._scale_ids = {d: s.id for d, s in self._dimensions.items()}
        ranks = {band.id: band.rank for band in bands}
        scales = list(self._dimensions.values())

        def compute(key: tuple[str, ...]) -> tuple[str, float, int]:
            levels = {d: s.level(lv) for d, s, lv in zip(self._order, scales, key, strict=True)}
            out = evaluate(MappingProxyType(levels))
            if not isinstance(out, tuple) or len(out) != 2:
                msg = f"the strategy's evaluate must return (value, band id), got {out!r}"  # type: ignore[unreachable]
                raise ScoringError(msg, method=name)
            value, band = out
            if not isinstance(band, str) or band not in ranks:
                msg = f"the strategy gave the band {band!r}, which the band set {bands.id} does not have"
                raise ScoringError(msg, method=name, suggestions=close_matches(str(band), ranks))
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ScoringError(f"the strategy gave the value {value!r}, not a finite number", method=name)
            return band, float(value), ranks[band]

        table: dict[tuple[str, ...], tuple[str, float, int]]
        if math.prod(len(s) for s in scales) <= _EAGER_LIMIT:
            table = {key: compute(key) for key in itertools.product(*(s.ids for s in scales))}
        else:
            table = _LazyTable(compute, scales)
        self._table = table
        # For score_many, eager tables also come as nested dicts (level of the
        # first dimension -> level of the second -> ... -> band), so that a
        # column batch is looked up by `map` in C, with no key tuple per row.
        # Where the band alone decides the value (a matrix), values come from
        # the bands.
        self._band_nest: dict[str, Any] | None = None
        self._value_nest: dict[str, Any] | None = None
        self._value_of_band: dict[str, float] | None = None
        if type(table) is dict:
            self._band_nest = _nest({key: out[0] for key, out in table.items()})
            by_band: dict[str, set[float]] = {}
            for band, value, _ in table.values():
                by_band.setdefault(band, set()).add(value)
            if all(len(v) == 1 for v in by_band.values()):
                self._value_of_band = {band: next(iter(v)) for band, v in by_band.items()}
            else:
                self._value_nest = _nest({key: out[1] for key, out in table.items()})

    @property
    def name(self) -> str:
        """The strategy's name."""
        return self._name

    @property
    def dimensions(self) -> Mapping[str, Scale]:
        """The scale of each dimension, in the method's order."""
        return MappingProxyType(self._dimensions)

    @property
    def bands(self) -> BandSet:
        """The band set scores fall in."""
        return self._bands

    @property
    def method(self) -> Method | None:
        """The method this strategy is bound to, if any."""
        return self._method

    def bind(self, method: Method) -> TabulatedStrategy:
        """Return this strategy bound to a method: its scores name the method.

        The table is shared, not made again.
        """
        bound = object.__new__(TabulatedStrategy)
        for slot in TabulatedStrategy.__slots__:
            object.__setattr__(bound, slot, getattr(self, slot))
        bound._method = method
        return bound

    def score(self, levels: Mapping[str, str], /) -> Score:
        """Score one combination: dimension to level id."""
        try:
            key = tuple([levels[d] for d in self._order])
            band, value, rank = self._table[key]
        except (KeyError, TypeError):
            raise self._problem(levels) from None
        if len(levels) != len(self._order):
            raise self._problem(levels)
        method = self._method
        # Every entry of the table was checked when it was made: no need to check again.
        return trusted_score(
            value,
            band,
            rank,
            self._bands.id,
            self._name,
            dict(zip(self._order, key, strict=True)),
            dict(self._scale_ids),
            None if method is None else method.id,
            None if method is None else method.version,
        )

    def _accepts(self, levels: Mapping[str, str]) -> bool:
        """Whether `score(levels)` would succeed, without making a score."""
        try:
            return len(levels) == len(self._order) and tuple([levels[d] for d in self._order]) in self._table
        except (KeyError, TypeError):
            return False

    def score_many(self, columns: Mapping[str, Sequence[str]], /) -> ScoreColumns:
        """Score many combinations at once: dimension to a column of level ids."""
        if not isinstance(columns, Mapping):
            msg = f"columns are a mapping of dimension to level ids, got {type(columns).__name__}"  # type: ignore[unreachable]
            raise ScoringError(msg, method=self._label())
        for d in self._order:
            if isinstance(columns.get(d), _UNORDERED):
                kind = type(columns[d]).__name__
                msg = f"the column for {d} is a {kind}: a column is an ordered sequence of level ids"
                raise ScoringError(msg, method=self._label(), dimension=d)
        try:
            cols = [tuple(columns[d]) for d in self._order]
        except KeyError:
            raise self._problem(dict.fromkeys(columns, ""), many=True) from None
        except TypeError:
            msg = "a column is a sequence of level ids, one per row"
            raise ScoringError(msg, method=self._label()) from None
        if len(columns) != len(self._order):
            raise self._problem(dict.fromkeys(columns, ""), many=True)
        n = len(cols[0])
        if any(len(c) != n for c in cols):
            lengths = ", ".join(f"{d} has {len(c)}" for d, c in zip(self._order, cols, strict=True))
            raise ScoringError(f"the columns differ in length: {lengths}", method=self._label())
        table = self._table
        try:
            if self._band_nest is None:
                out = list(map(table.__getitem__, zip(*cols, strict=True)))
                bands = tuple(o[0] for o in out)
                values = tuple(o[1] for o in out)
            else:
                bands = tuple(_lookup(self._band_nest, cols))
                if self._value_of_band is not None:
                    values = tuple(map(self._value_of_band.__getitem__, bands))
                else:
                    values = tuple(_lookup(self._value_nest, cols))  # type: ignore[arg-type]
        except (KeyError, TypeError):
            for row, key in enumerate(zip(*cols, strict=True)):
                try:
                    table[key]
                except (KeyError, TypeError):
                    err = self._problem(dict(zip(self._order, key, strict=True)))
                    err.row = row
                    raise err from None
            raise  # pragma: no cover - a failed lookup is found again above
        method = self._method
        return ScoreColumns(
            bands=bands,
            values=values,
            band_set=self._bands.id,
            band_order=self._bands.ids,
            strategy=self._name,
            inputs=dict(zip(self._order, cols, strict=True)),
            scales=dict(self._scale_ids),
            method=None if method is None else method.id,
            version=None if method is None else method.version,
        )

    def _label(self) -> str:
        return self._name if self._method is None else self._method.id

    def _problem(self, levels: Mapping[str, Any], *, many: bool = False) -> ScoringError:
        method = self._label()
        if not isinstance(levels, Mapping):
            msg = f"levels are a mapping of dimension to level id, got {type(levels).__name__}"  # type: ignore[unreachable]
            return ScoringError(msg, method=method)
        for d in levels:
            if d not in self._dimensions:
                msg = f"unknown dimension {d!r}; the dimensions are {', '.join(self._order)}"
                return ScoringError(msg, method=method, suggestions=close_matches(str(d), self._order))
        for d in self._order:
            if d not in levels:
                what = "no column given" if many else "no level given"
                return ScoringError(what, method=method, dimension=d, scale=self._scale_ids[d])
        for d, scale in self._dimensions.items():
            level = levels[d]
            try:
                known = level in scale
            except TypeError:
                known = False
            if not known:
                return ScoringError(
                    "unknown level",
                    method=method,
                    dimension=d,
                    level=str(level),
                    scale=scale.id,
                    suggestions=close_matches(str(level), scale.ids) or scale.ids,
                )
        return ScoringError("cannot score these levels", method=method)  # pragma: no cover

    def __repr__(self) -> str:
        bound = f" for {self._method.id}@{self._method.version}" if self._method else ""
        dims = ", ".join(f"{d}={s}" for d, s in self._scale_ids.items())
        return f"<TabulatedStrategy {self._name}{bound}: {dims} -> {self._bands.id}>"


def _nest(flat: Mapping[tuple[str, ...], Any]) -> dict[str, Any]:
    """Turn `{(a, b, c): x}` into `{a: {b: {c: x}}}`."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = value
    return out


def _lookup(nest: dict[str, Any], cols: Sequence[Sequence[str]]) -> Iterator[Any]:
    """Look each row up in a nested table, column by column, inside `map`."""
    it: Iterator[Any] = map(nest.__getitem__, cols[0])
    for col in cols[1:]:
        it = map(dict.__getitem__, it, col)
    return it


class _LazyTable(dict[tuple[str, ...], tuple[str, float, int]]):
    """A table too large to fill up front: each combination is scored on first use."""

    def __init__(
        self, compute: Callable[[tuple[str, ...]], tuple[str, float, int]], scales: list[Scale]
    ) -> None:
        super().__init__()
        self._compute = compute
        self._scales = scales

    def __missing__(self, key: tuple[str, ...]) -> tuple[str, float, int]:
        if len(key) != len(self._scales) or any(k not in s for k, s in zip(key, self._scales, strict=True)):
            raise KeyError(key)
        out = self[key] = self._compute(key)
        return out


class _Bound:
    """A strategy that is not a `TabulatedStrategy`, bound to a method."""

    __slots__ = ("_inner", "method")

    def __init__(self, inner: ScoringStrategy, method: Method) -> None:
        self._inner = inner
        self.method = method

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def dimensions(self) -> Mapping[str, Scale]:
        return self._inner.dimensions

    @property
    def bands(self) -> BandSet:
        return self._inner.bands

    def score(self, levels: Mapping[str, str], /) -> Score:
        return self._stamped(self._inner.score, levels)

    def score_many(self, columns: Mapping[str, Sequence[str]], /) -> ScoreColumns:
        return self._stamped(self._inner.score_many, columns)

    def _stamped(self, call: Callable[[Any], R], arg: Any) -> R:
        """Call the inner strategy; name the method on its result, and on its errors."""
        try:
            out = call(arg)
        except ScoringError as exc:
            exc.method = self.method.id
            raise
        return attrs.evolve(out, method=self.method.id, version=self.method.version)

    def __repr__(self) -> str:
        return f"<{self._inner!r} for {self.method.id}@{self.method.version}>"


def bind(strategy: ScoringStrategy, method: Method) -> ScoringStrategy:
    """Bind a configured strategy to the method it was configured from."""
    if isinstance(strategy, TabulatedStrategy):
        return strategy.bind(method)
    return _Bound(strategy, method)
