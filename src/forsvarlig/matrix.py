"""Risk bands and risk matrices, and a matrix's consistency check.

A `BandSet` is an ordered set of `RiskBand`s (low to high), each with a
colour and the action it requires. A `RiskMatrix` maps every pair of levels
of two scales — rows (how often, how likely) and columns (how bad) — to a
band. `RiskMatrix.check()` reads the whole grid against monotonicity and
Cox's axioms (Cox 2008, "What's wrong with risk matrices?").

In files a matrix is written compactly: one line per row level, highest
first as it is drawn, listing the band of each column from the lowest::

    grid:
      daily:          [high, high, high]
      weekly:         [medium, medium, high]
      monthly-yearly: [low, medium, medium]
      rarely:         [low, low, low]

Examples:
    >>> from forsvarlig import default_catalogue
    >>> m = default_catalogue().matrix("fv.talk-frequency-by-consequence")
    >>> m.band("daily", "complaints").id
    'high'
    >>> m.check().ok
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TypeVar

import attrs

from forsvarlig._ids import check_id, check_slug
from forsvarlig._serial import FieldError, Meta, converter, register, unstructure
from forsvarlig.errors import UnknownReferenceError, close_matches, did_you_mean
from forsvarlig.scales import Level, Scale
from forsvarlig.text import Text

__all__ = ["BandSet", "MatrixCheck", "MatrixIssue", "RiskBand", "RiskMatrix"]

_COLOUR_RE: Final = re.compile(r"#[0-9a-fA-F]{6}\Z")
# ISO 8601 durations: PnYnMnWnD with an optional time part TnHnMnS, each unit once, in order.
_DURATION_RE: Final = re.compile(
    r"P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?\Z"
)
_TOLERANCE: Final = 1e-12
T = TypeVar("T")


@attrs.frozen(kw_only=True, hash=False)
class RiskBand:
    """One band of risk: what it looks like and what it requires.

    Args:
        id: The band's id, local to its band set (`high`).
        rank: Its position, 1 for the lowest risk.
        label: Its name for people.
        colour: A `#rrggbb` colour for matrices and reports.
        action: What a risk in this band requires.
        respond_within: How soon, as an ISO 8601 duration (`P0D` at once,
            `P2W`, `P3M`); None where the band sets no deadline.
        description: A longer explanation.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> RiskBand(id="high", rank=3, label=Text(en="High"), colour="#c0392b",
        ...          action=Text(en="Act now"), respond_within="P2W").respond_within
        'P2W'

    Added in version 0.1.
    """

    id: str
    rank: int
    label: Text
    colour: str
    action: Text
    respond_within: str | None = None
    description: Text | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_slug("id", self.id)
        if self.rank < 1:
            raise FieldError("rank", f"a rank is 1 or more, got {self.rank}")
        if not _COLOUR_RE.match(self.colour):
            raise FieldError("colour", f"expected a colour as #rrggbb, got {self.colour!r}")
        if self.respond_within is not None and not _DURATION_RE.match(self.respond_within):
            msg = f"expected an ISO 8601 duration such as P0D, P2W or P3M, got {self.respond_within!r}"
            raise FieldError("respond_within", msg)


@attrs.frozen(kw_only=True, hash=False)
class BandSet:
    """An ordered set of risk bands, from the lowest risk up.

    Args:
        id: The band set's id (`fv.three-bands`).
        label: Its name for people.
        bands: The bands, ranks 1 to n in that order.
        description: A longer explanation.
        note: Where it comes from and what is forsvarlig's own.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> [b.id for b in default_catalogue().band_set("fv.three-bands").bands]
        ['low', 'medium', 'high']

    Added in version 0.1.
    """

    id: str
    label: Text
    bands: tuple[RiskBand, ...]
    description: Text | None = None
    note: Text | None = None
    meta: Meta = attrs.field(factory=dict)
    _by_id: dict[str, RiskBand] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        if len(self.bands) < 2:
            raise FieldError("bands", f"a band set needs at least two bands, got {len(self.bands)}")
        by_id: dict[str, RiskBand] = {}
        for i, band in enumerate(self.bands):
            if band.rank != i + 1:
                msg = f"bands are listed from rank 1 upward: expected rank {i + 1}, got {band.rank}"
                raise FieldError(f"bands.{i}.rank", msg)
            if band.id in by_id:
                raise FieldError(f"bands.{i}.id", f"the band id {band.id!r} is repeated")
            by_id[band.id] = band
        object.__setattr__(self, "_by_id", by_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """The band ids, lowest first."""
        return tuple(band.id for band in self.bands)

    def __len__(self) -> int:
        return len(self.bands)

    def __iter__(self) -> Iterator[RiskBand]:
        return iter(self.bands)

    def __contains__(self, band_id: object) -> bool:
        return band_id in self._by_id

    def band(self, band_id: str) -> RiskBand:
        """Return the band with this id.

        Raises:
            UnknownReferenceError: If there is no such band.
        """
        try:
            return self._by_id[band_id]
        except (KeyError, TypeError):
            raise UnknownReferenceError(
                "band",
                str(band_id),
                close_matches(str(band_id), self._by_id) or self.ids,
                where=f"band set {self.id!r}",
            ) from None


@attrs.frozen(kw_only=True)
class MatrixIssue:
    """One finding of `RiskMatrix.check()`.

    Args:
        code: `not-monotone`, `weak-consistency`, `betweenness`,
            `colouring` or `too-small`.
        message: What is wrong, in words.
        cells: The cells concerned, as `(row level id, column level id)`.
        severity: `error` where an axiom fails, `warning` for a caution.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> m = default_catalogue().matrix("fv.talk-frequency-by-consequence")
        >>> [str(issue) for issue in m.check().issues]
        []

    Added in version 0.1.
    """

    code: str
    message: str
    cells: tuple[tuple[str, str], ...] = ()
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.severity}: {self.code}: {self.message}"


@attrs.frozen(kw_only=True)
class MatrixCheck:
    """What `RiskMatrix.check()` found.

    Attributes:
        matrix: The id of the matrix checked.
        monotone: No cell has a lower band than a cell below it or to its left.
        weakly_consistent: For every pair of bands that are not neighbours,
            every point of a higher-band cell is riskier than every point of
            a lower-band cell (Cox's weak consistency).
        betweenness: No cell borders (by an edge or, up and to the right, a
            corner) a cell two or more bands away, so no small step in both
            directions jumps a band (Cox's betweenness).
        consistent_colouring: Cox's consistent colouring, reading the lowest
            band as green, the highest as red and the rest as intermediate: a
            cell as low as other green cells and below every red one is green;
            one as high as other red cells and above every green one is red;
            an intermediate cell lies between a green and a red cell or
            straddles them. Plus, for any number of bands: no cell is in a
            lower band than a cell it is at least as risky as throughout.
        undecided: Pairs of cells whose order of risk the ranges cannot decide.
        unbounded_scales: The ids of the matrix's scales that state no bounds;
            each of their levels was taken to cover an equal share of [0, 1].
        issues: Every finding, errors first.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> report = default_catalogue().matrix("fv.at-frequency-by-consequence").check()
        >>> report.ok, report.weakly_consistent, report.unbounded_scales
        (True, True, ('fv.at-frequency', 'fv.at-consequence'))

    Added in version 0.1.
    """

    matrix: str
    monotone: bool
    weakly_consistent: bool
    betweenness: bool
    consistent_colouring: bool
    undecided: int
    unbounded_scales: tuple[str, ...]
    issues: tuple[MatrixIssue, ...]

    @property
    def equal_widths_assumed(self) -> bool:
        """Whether a scale had no bounds, so equal widths were assumed."""
        return bool(self.unbounded_scales)

    @property
    def ok(self) -> bool:
        """Whether no axiom failed (warnings allowed)."""
        return not any(issue.severity == "error" for issue in self.issues)

    def __str__(self) -> str:
        def mark(flag: bool) -> str:
            return "yes" if flag else "NO"

        lines = [
            f"check of {self.matrix}: {'consistent' if self.ok else 'NOT consistent'}",
            f"  monotone:             {mark(self.monotone)}",
            f"  weak consistency:     {mark(self.weakly_consistent)}",
            f"  betweenness:          {mark(self.betweenness)}",
            f"  consistent colouring: {mark(self.consistent_colouring)}",
        ]
        if self.undecided:
            pairs = "pair" if self.undecided == 1 else "pairs"
            lines.append(
                f"  ({self.undecided} {pairs} of cells whose order of risk the bounds cannot decide;"
                " not counted against the matrix)"
            )
        if self.unbounded_scales:
            which = " and ".join(self.unbounded_scales)
            lines.append(f"  (no bounds on {which}: each level taken as an equal share of [0, 1])")
        lines.extend(f"  {issue}" for issue in self.issues)
        return "\n".join(lines)


@attrs.frozen(kw_only=True, hash=False)
class RiskMatrix:
    """A grid from two scales to a band set.

    Args:
        id: The matrix's id (`fv.talk-frequency-by-consequence`).
        label: Its name for people.
        rows: The scale of the rows (how often, how likely).
        columns: The scale of the columns (how bad).
        bands: The band set its cells take their bands from.
        grid: Band ids, `grid[r][c]` for the row level of rank `r + 1` and
            the column level of rank `c + 1`.
        description: A longer explanation.
        note: Where the matrix comes from and what is forsvarlig's own.
        sources: Citations for the matrix.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Raises:
        ValueError: If the grid's shape does not match the scales, or a cell
            names a band the band set does not have.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> m = default_catalogue().matrix("fv.talk-frequency-by-consequence")
        >>> m.band("rarely", "disability-death").label.get("nb")
        'Lav'

    Added in version 0.1.
    """

    id: str
    label: Text
    rows: Scale
    columns: Scale
    bands: BandSet
    grid: tuple[tuple[str, ...], ...]
    description: Text | None = None
    note: Text | None = None
    sources: tuple[str, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        for name, cls in (("rows", Scale), ("columns", Scale), ("bands", BandSet), ("label", Text)):
            if not isinstance(getattr(self, name), cls):
                raise FieldError(
                    name, f"expected a {cls.__name__}, got {type(getattr(self, name)).__name__}", "type"
                )
        if len(self.grid) != len(self.rows):
            msg = (
                f"the grid has {len(self.grid)} rows; the scale {self.rows.id!r} has {len(self.rows)} levels"
            )
            raise FieldError("grid", msg)
        by_row = {self.rows.levels[r].id: row for r, row in enumerate(self.grid)}
        FieldError.collect(_cell_problems(self.rows, self.columns, by_row, self.bands))

    @property
    def shape(self) -> tuple[int, int]:
        """The number of rows and of columns."""
        return len(self.rows), len(self.columns)

    def band(self, row: str, column: str) -> RiskBand:
        """Return the band of the cell at a row level and a column level (ids).

        Raises:
            UnknownReferenceError: If either level is not on its scale.
        """
        r = self.rows.rank(row) - 1
        c = self.columns.rank(column) - 1
        return self.bands.band(self.grid[r][c])

    def cells(self) -> Iterator[tuple[Level, Level, RiskBand]]:
        """Yield `(row level, column level, band)` for every cell, row by row from the lowest."""
        for r, row_level in enumerate(self.rows.levels):
            for c, column_level in enumerate(self.columns.levels):
                yield row_level, column_level, self.bands.band(self.grid[r][c])

    def _repr_html_(self) -> str:
        from forsvarlig.report import view

        return view(self).html

    def check(self) -> MatrixCheck:
        """Read the whole matrix against monotonicity and Cox's axioms.

        Risk in a cell is taken as the product of the row and column
        quantities over the rectangle the two levels' bounds span (half-open:
        a shared edge belongs to the higher level). Without bounds, each level
        is an equal share of [0, 1], and the result says so. Weak consistency
        and betweenness are applied to every pair of bands that are not
        neighbours. A 2 x 2 grid is allowed and flagged: Cox shows no
        non-trivial colouring of it is weakly consistent.

        Examples:
            >>> from forsvarlig import default_catalogue
            >>> m = default_catalogue().matrix("fv.at-frequency-by-consequence")
            >>> print(m.check())  # doctest: +ELLIPSIS
            check of fv.at-frequency-by-consequence: consistent
            ...
        """
        return _check(self)


def _ranks(m: RiskMatrix) -> list[list[int]]:
    return [[m.bands.band(b).rank for b in row] for row in m.grid]


def _check(m: RiskMatrix) -> MatrixCheck:  # noqa: C901, PLR0912 - one pass per axiom
    ranks = _ranks(m)
    n_rows, n_cols = m.shape
    row_iv = m.rows.intervals()
    col_iv = m.columns.intervals()
    rid = m.rows.ids
    cid = m.columns.ids
    issues: list[MatrixIssue] = []

    def name(cell: tuple[int, int]) -> tuple[str, str]:
        return rid[cell[0]], cid[cell[1]]

    def lo(cell: tuple[int, int]) -> float:
        return row_iv[cell[0]][0] * col_iv[cell[1]][0]

    def hi(cell: tuple[int, int]) -> float:
        return row_iv[cell[0]][1] * col_iv[cell[1]][1]

    cells = [(r, c) for r in range(n_rows) for c in range(n_cols)]

    # Monotone: moving up a row or right a column never lowers the band.
    bad = []
    for r, c in cells:
        for nr, nc in ((r + 1, c), (r, c + 1)):
            if nr < n_rows and nc < n_cols and ranks[nr][nc] < ranks[r][c]:
                bad.append(((r, c), (nr, nc)))
    for low, high in bad:
        issues.append(
            MatrixIssue(
                code="not-monotone",
                message=f"{_cell(name(high))} is in a lower band than {_cell(name(low))}",
                cells=(name(low), name(high)),
            )
        )
    monotone = not bad

    # Weak consistency, for every pair of bands that are not neighbours.
    weak = True
    for h in cells:
        for g in cells:
            if ranks[h[0]][h[1]] - ranks[g[0]][g[1]] >= 2 and lo(h) <= hi(g) + _TOLERANCE:
                weak = False
                issues.append(
                    MatrixIssue(
                        code="weak-consistency",
                        message=(
                            f"{_cell(name(h))} (risk from {lo(h):.3g}) is two or more bands above"
                            f" {_cell(name(g))} (risk up to {hi(g):.3g}), yet not riskier throughout"
                        ),
                        cells=(name(g), name(h)),
                    )
                )

    # Betweenness: no edge, nor up-right corner, between cells two bands apart.
    between = True
    for r, c in cells:
        for nr, nc in ((r + 1, c), (r, c + 1), (r + 1, c + 1)):
            if nr < n_rows and nc < n_cols and abs(ranks[nr][nc] - ranks[r][c]) >= 2:
                between = False
                issues.append(
                    MatrixIssue(
                        code="betweenness",
                        message=(
                            f"{_cell(name((r, c)))} and {_cell(name((nr, nc)))} touch, yet lie"
                            " two or more bands apart: a small step jumps the band between"
                        ),
                        cells=(name((r, c)), name((nr, nc))),
                    )
                )

    # Consistent colouring: Cox's three conditions on the lowest band (green),
    # the highest (red) and those between, then the order of the bands.
    colouring = True
    top = len(m.bands)
    low_cells = [x for x in cells if ranks[x[0]][x[1]] == 1]
    high_cells = [x for x in cells if ranks[x[0]][x[1]] == top]
    if low_cells and high_cells:
        for x, message in _cox_colouring(
            cells, ranks=ranks, top=top, low_cells=low_cells, high_cells=high_cells, lo=lo, hi=hi
        ):
            colouring = False
            issues.append(
                MatrixIssue(code="colouring", message=f"{_cell(name(x))} {message}", cells=(name(x),))
            )
    undecided = 0
    for x in cells:
        for y in cells:
            if ranks[x[0]][x[1]] <= ranks[y[0]][y[1]]:
                continue
            # x is in a higher band than y.
            if lo(y) >= hi(x) - _TOLERANCE:
                colouring = False
                issues.append(
                    MatrixIssue(
                        code="colouring",
                        message=(
                            f"{_cell(name(y))} is at least as risky everywhere as"
                            f" {_cell(name(x))}, yet in a lower band"
                        ),
                        cells=(name(y), name(x)),
                    )
                )
            elif lo(y) > lo(x) + _TOLERANCE and hi(y) > hi(x) + _TOLERANCE:
                undecided += 1

    if m.rows.kind.is_consequence == m.columns.kind.is_consequence:
        issues.append(
            MatrixIssue(
                code="axes",
                message=(
                    f"both axes are {'how bad' if m.rows.kind.is_consequence else 'how often or how likely'}"
                    f" ({m.rows.kind.value} x {m.columns.kind.value}): a risk matrix pairs one with the other"
                ),
                severity="warning",
            )
        )
    if n_rows <= 2 and n_cols <= 2:
        issues.append(
            MatrixIssue(
                code="too-small",
                message=(
                    "a 2 x 2 matrix cannot separate risks well:"
                    " no non-trivial colouring is weakly consistent (Cox)"
                ),
                severity="warning",
            )
        )
    issues.sort(key=lambda i: i.severity != "error")
    return MatrixCheck(
        matrix=m.id,
        monotone=monotone,
        weakly_consistent=weak,
        betweenness=between,
        consistent_colouring=colouring,
        undecided=undecided,
        unbounded_scales=tuple(dict.fromkeys(s.id for s in (m.rows, m.columns) if not s.has_bounds)),
        issues=tuple(issues),
    )


def _cox_colouring(
    cells: list[tuple[int, int]],
    *,
    ranks: list[list[int]],
    top: int,
    low_cells: list[tuple[int, int]],
    high_cells: list[tuple[int, int]],
    lo: Callable[[tuple[int, int]], float],
    hi: Callable[[tuple[int, int]], float],
) -> Iterator[tuple[tuple[int, int], str]]:
    """Yield the cells Cox's consistent colouring would colour otherwise."""
    high_floor = min(lo(x) for x in high_cells)
    low_ceiling = max(hi(x) for x in low_cells)
    for x in cells:
        rank = ranks[x[0]][x[1]]
        other_low = [lo(y) for y in low_cells if y != x]
        other_high = [hi(y) for y in high_cells if y != x]
        # Green: as low as other green cells, and nothing as high as any red.
        if (
            rank != 1
            and other_low
            and hi(x) < high_floor - _TOLERANCE
            and lo(x) <= max(other_low) + _TOLERANCE
        ):
            yield (
                x,
                (
                    "is as low as the lowest band's cells and below every cell of the highest:"
                    " it belongs in the lowest band"
                ),
            )
        # Red: as high as other red cells, and nothing as low as any green.
        elif (
            rank != top
            and other_high
            and lo(x) > low_ceiling + _TOLERANCE
            and hi(x) >= min(other_high) - _TOLERANCE
        ):
            yield (
                x,
                (
                    "is as high as the highest band's cells and above every cell of the lowest:"
                    " it belongs in the highest band"
                ),
            )
        elif 1 < rank < top:
            # In between only between a low and a high cell, or straddling both.
            between = any(y[0] <= x[0] and y[1] <= x[1] for y in low_cells) and any(
                y[0] >= x[0] and y[1] >= x[1] for y in high_cells
            )
            straddles = hi(x) > high_floor + _TOLERANCE and lo(x) < low_ceiling - _TOLERANCE
            if not (between or straddles):
                yield (
                    x,
                    (
                        "is in a middle band, yet neither lies between a lowest-band and a highest-band"
                        " cell nor straddles them"
                    ),
                )


def _cell(cell: tuple[str, str]) -> str:
    return f"({cell[0]} x {cell[1]})"


# ---------------------------------------------------------------------------
# Serial forms: in a catalogue file the scales and band set are ids; on its
# own, a matrix carries them whole.


def grid_from_rows(
    rows: Scale, columns: Scale, grid: Mapping[str, tuple[str, ...]], bands: BandSet | None = None
) -> tuple[tuple[str, ...], ...]:
    """Turn the file form `{row level id: [band ids]}` into `grid[r][c]`.

    Raises:
        FieldError: For a row the scale does not have, or a missing row.
    """
    problems = []
    for key in grid:
        if key not in rows:
            hint = did_you_mean(close_matches(key, rows.ids))
            msg = f"{key!r} is not a level of the row scale {rows.id!r}{hint}"
            problems.append((f"grid.{key}", msg, "reference"))
    missing = [level.id for level in rows.levels if level.id not in grid]
    if missing:
        problems.append(("grid", f"no row for the level(s) {', '.join(map(repr, missing))}", "missing"))
    problems.extend(_cell_problems(rows, columns, grid, bands))
    FieldError.collect(problems)
    return tuple(tuple(grid[level.id]) for level in rows.levels)


def _cell_problems(
    rows: Scale, columns: Scale, grid: Mapping[str, tuple[str, ...]], bands: BandSet | None = None
) -> list[tuple[str, str, str]]:
    """Every row of the wrong length and, given the band set, every unknown band."""
    problems = []
    for row_id, row in grid.items():
        if row_id not in rows:
            continue
        if len(row) != len(columns):
            msg = f"the row has {len(row)} cells; the scale {columns.id!r} has {len(columns)} levels"
            problems.append((f"grid.{row_id}", msg, "value"))
        if bands is None:
            continue
        for c, band_id in enumerate(row):
            if band_id not in bands:
                hint = did_you_mean(close_matches(band_id, bands.ids))
                msg = f"unknown band {band_id!r} in band set {bands.id!r}{hint}"
                problems.append((f"grid.{row_id}.{c}", msg, "reference"))
    return problems


def grid_to_rows(m: RiskMatrix) -> dict[str, list[str]]:
    """Turn `grid[r][c]` into the file form, highest row first."""
    return {m.rows.levels[r].id: list(m.grid[r]) for r in reversed(range(len(m.rows)))}


@attrs.frozen(kw_only=True)
class _MatrixDocument:
    id: str
    label: Text
    rows: Scale
    columns: Scale
    bands: BandSet
    grid: dict[str, tuple[str, ...]]
    description: Text | None = None
    note: Text | None = None
    sources: tuple[str, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def assemble(self) -> RiskMatrix:
        fields = attrs.asdict(self, recurse=False)
        fields["grid"] = grid_from_rows(self.rows, self.columns, self.grid, self.bands)
        return RiskMatrix(**fields)


def _structure_matrix(value: Any, _: Any = None) -> RiskMatrix:
    hook = converter().get_structure_hook(_MatrixDocument)
    doc: _MatrixDocument = hook(value, _MatrixDocument)
    # A FieldError here is a ValidationError: its paths are placed under this value.
    return doc.assemble()


def file_form(m: RiskMatrix, form: Callable[..., T], *, by_id: bool) -> T:
    """Return `m` in one of its file forms: scales and band set by id, or whole."""
    return form(
        id=m.id,
        label=m.label,
        rows=m.rows.id if by_id else m.rows,
        columns=m.columns.id if by_id else m.columns,
        bands=m.bands.id if by_id else m.bands,
        grid={k: tuple(v) for k, v in grid_to_rows(m).items()},
        description=m.description,
        note=m.note,
        sources=m.sources,
        meta=m.meta,
    )


def _unstructure_matrix(m: RiskMatrix) -> Any:
    return unstructure(file_form(m, _MatrixDocument, by_id=False), _MatrixDocument)


register(RiskMatrix, _structure_matrix, _unstructure_matrix)
