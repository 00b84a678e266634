"""Pictures for notebooks and reports, with matplotlib (the `plot` extra: `pip install 'forsvarlig[plot]'`).

- `matrix_heatmap`: an assessment's risk matrix, before and after measures,
  with the number of hazards in each cell;
- `risk_by_factor`: several units' assessments as a grid of factors by
  units, each cell in the colour of the highest current risk the unit found
  for the factor, with the number of hazards.

Both return a `matplotlib.figure.Figure`, made without pyplot (no global
state, no display needed): a notebook shows it, `fig.savefig("x.png")`
writes it.

Examples:
    >>> from forsvarlig import default_catalogue, load
    >>> fig = matrix_heatmap(load("examples/home-care.yaml"), default_catalogue(), lang="nb")
    >>> [ax.get_title() for ax in fig.axes]
    ['Før tiltak', 'Etter tiltak']
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from forsvarlig.errors import ForsvarligError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.scoring import StrategyRegistry

__all__ = ["matrix_heatmap", "risk_by_factor"]


def _figure(width: float, height: float) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - the extra is installed where plots are tested
        msg = "plots need matplotlib: pip install 'forsvarlig[plot]'"
        raise ForsvarligError(msg) from None
    return Figure(figsize=(width, height), layout="constrained")


def _ink(colour: str) -> str:
    from forsvarlig.report import _ink

    return _ink(colour)


def _wrap(text: str, width: int = 16) -> str:
    return textwrap.fill(text, width)


def _grid(
    ax: Axes,
    rows: list[str],
    columns: list[str],
    colours: Mapping[tuple[int, int], str],
    numbers: Mapping[tuple[int, int], int],
) -> None:
    """Draw a grid: row 0 at the top, a cell per (row, column), coloured, with its number."""
    from matplotlib.patches import Rectangle

    for (r, c), colour in colours.items():
        y = len(rows) - 1 - r
        ax.add_patch(Rectangle((c, y), 1, 1, facecolor=colour, edgecolor="white", linewidth=2))
        n = numbers.get((r, c), 0)
        if n:
            ax.text(
                c + 0.5,
                y + 0.5,
                str(n),
                ha="center",
                va="center",
                fontsize=13,
                weight="bold",
                color=_ink(colour),
            )
    ax.set_xlim(0, len(columns))
    ax.set_ylim(0, len(rows))
    ax.set_xticks([c + 0.5 for c in range(len(columns))], [_wrap(x, 14) for x in columns], fontsize=8)
    ax.set_yticks([len(rows) - 0.5 - r for r in range(len(rows))], [_wrap(x, 22) for x in rows], fontsize=8)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_aspect("equal")


def matrix_heatmap(
    assessment: RiskAssessment,
    catalogue: Catalogue,
    *,
    method: str | None = None,
    lang: str = "en",
    registry: StrategyRegistry | None = None,
) -> Figure:
    """An assessment's risk matrix before and after measures, with the hazards counted in each cell.

    Before measures is each hazard's current risk (else the inherent), after
    measures its residual (else the current), as in the report's heat map;
    hazards judged not relevant or postponed are not counted.

    Args:
        assessment: The assessment.
        catalogue: The catalogue it is read against.
        method: The method whose matrix is drawn (two dimensions); the
            assessment's default if None. Hazards scored with other methods
            are not counted.
        lang: `nb`, `nn` or `en`.
        registry: Where to find the methods' strategies; the default one if None.

    Raises:
        ForsvarligError: If the method has more than two dimensions, or
            matplotlib is not installed; `ValidationError` if the assessment
            does not resolve.

    Examples:
        >>> from forsvarlig import default_catalogue, load
        >>> fig = matrix_heatmap(load("examples/home-care.yaml"), default_catalogue())
        >>> len(fig.axes)
        2

    Added in version 0.1.
    """
    from forsvarlig.queries import risk_register
    from forsvarlig.report import _w
    from forsvarlig.scoring import scorer

    method_id = method or assessment.method
    strategy = scorer(method_id, catalogue, registry=registry)
    if len(strategy.dimensions) != 2:
        n = len(strategy.dimensions)
        msg = f"{method_id} has {n} dimensions: only a method of two is drawn as a matrix"
        raise ForsvarligError(msg)
    (rd, rscale), (cd, cscale) = strategy.dimensions.items()
    row_levels = list(reversed(rscale.levels))  # highest first, at the top
    colours = {}
    for r, level in enumerate(row_levels):
        for c, col in enumerate(cscale.levels):
            score = strategy.score({rd: level.id, cd: col.id})
            colours[(r, c)] = catalogue.band_set(score.band_set).band(score.band).colour
    before: dict[tuple[int, int], int] = {}
    after: dict[tuple[int, int], int] = {}
    r_index = {level.id: r for r, level in enumerate(row_levels)}
    c_index = {level.id: c for c, level in enumerate(cscale.levels)}
    for row in risk_register(assessment, catalogue, registry=registry):
        for counts, stage in ((before, row.now), (after, row.after)):
            if stage is not None and stage.method == method_id:
                key = (r_index[stage.inputs[rd]], c_index[stage.inputs[cd]])
                counts[key] = counts.get(key, 0) + 1
    fig = _figure(11, 0.9 * len(row_levels) + 2.2)
    axes = fig.subplots(1, 2, sharey=True)
    rows = [level.label.get(lang) for level in row_levels]
    columns = [level.label.get(lang) for level in cscale.levels]
    for ax, title, counts in ((axes[0], _w("before", lang), before), (axes[1], _w("after", lang), after)):
        _grid(ax, rows, columns, colours, counts)
        ax.set_title(title, fontsize=11, weight="bold")
        ax.set_xlabel(cscale.label.get(lang), fontsize=9)
    axes[0].set_ylabel(_wrap(rscale.label.get(lang), 30), fontsize=9)
    fig.suptitle(f"{assessment.unit} · {catalogue.method(method_id).label.get(lang)}", fontsize=12)
    return fig


def risk_by_factor(
    assessments: Iterable[RiskAssessment],
    catalogue: Catalogue,
    *,
    lang: str = "en",
    registry: StrategyRegistry | None = None,
) -> Figure:
    """Several units' assessments as a grid of factors by units, coloured by the highest current risk.

    Each cell is a factor in a unit: in the colour of the highest current (else
    inherent) band among the unit's hazards concerning it, with their number;
    empty where the unit has no estimated hazard for it. Factors found in the
    most units come first. The latest assessment of each unit is read, as in
    `organisation_view`.

    Raises:
        ForsvarligError: If matplotlib is not installed; `ValidationError` if
            an assessment does not resolve.

    Examples:
        >>> from pathlib import Path
        >>> from forsvarlig import default_catalogue, load
        >>> units = [load(p) for p in sorted(Path("examples/organisation").glob("*.yaml"))]
        >>> fig = risk_by_factor(units, default_catalogue(), lang="nb")
        >>> len(fig.axes[0].get_xticklabels())
        5

    Added in version 0.1.
    """
    from forsvarlig.organisation import _latest
    from forsvarlig.queries import risk_register
    from forsvarlig.report import _w

    latest, _ = _latest(assessments)
    units = [a.unit for a in latest]
    best: dict[str, dict[int, tuple[int, str]]] = {}  # factor -> unit index -> (rank, colour)
    count: dict[str, dict[int, int]] = {}
    for u, a in enumerate(latest):
        for row in risk_register(a, catalogue, registry=registry):
            now = row.now
            if now is None:
                continue
            colour = catalogue.band_set(now.band_set).band(now.band).colour
            for factor in row.factors:
                cell = best.setdefault(factor, {})
                cell[u] = max(cell.get(u, (0, "")), (now.band_rank, colour))
                per_unit = count.setdefault(factor, {})
                per_unit[u] = per_unit.get(u, 0) + 1
    factors = sorted(best, key=lambda f: (-len(best[f]), -sum(count[f].values()), f))
    colours = {(r, u): "#eef1f4" for r in range(len(factors)) for u in range(len(units))}
    colours.update({(r, u): colour for r, f in enumerate(factors) for u, (_, colour) in best[f].items()})
    numbers = {(r, u): n for r, f in enumerate(factors) for u, n in count[f].items()}
    labels = [catalogue.factors[f].label.get(lang) if f in catalogue.factors else f for f in factors]
    fig = _figure(max(6.0, 1.3 * len(units) + 3.5), max(2.5, 0.42 * len(factors) + 1.8))
    ax = fig.subplots()
    _grid(ax, labels, units, colours, numbers)
    ax.xaxis.tick_top()
    ax.set_xticks(ax.get_xticks(), [_wrap(u, 24) for u in units], rotation=35, ha="left", fontsize=8)
    ax.set_title(_w("by-factor", lang), fontsize=11)
    return fig
