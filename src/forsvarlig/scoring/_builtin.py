"""The built-in strategies: matrix, product, fine-kinney and OiRA's two methods (private).

Each is a factory `(params, catalogue) -> TabulatedStrategy`, registered by
name like any plugin. Params are read with the strict converter, so a typo in
a method's params is reported with its path and a suggestion; every reference
to the catalogue is checked, and every problem is reported at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from forsvarlig import _serial
from forsvarlig._ids import check_id
from forsvarlig._serial import FieldError
from forsvarlig.errors import close_matches, did_you_mean
from forsvarlig.scoring._strategy import TabulatedStrategy

if TYPE_CHECKING:
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.matrix import BandSet, RiskMatrix
    from forsvarlig.scales import Level, Scale

Problems = list[tuple[str, str, str]]


@attrs.frozen(kw_only=True)
class _MatrixParams:
    matrix: str
    dimensions: tuple[str, str] | None = None

    def __attrs_post_init__(self) -> None:
        check_id("matrix", self.matrix)


@attrs.frozen(kw_only=True)
class _Threshold:
    band: str
    above: float | None = None
    at_least: float | None = None

    def __attrs_post_init__(self) -> None:
        if (self.above is None) == (self.at_least is None):
            msg = "a threshold gives one edge: `above: x` (the band starts just over x) or `at_least: x`"
            raise FieldError("above", msg)
        edge = self.edge
        if not math.isfinite(edge):
            raise FieldError(
                "above" if self.above is not None else "at_least", f"an edge is finite, got {edge}"
            )

    @property
    def edge(self) -> float:
        return self.above if self.above is not None else self.at_least  # type: ignore[return-value]

    def admits(self, value: float) -> bool:
        return value > self.edge or (self.at_least is not None and value == self.edge)


@attrs.frozen(kw_only=True)
class _ProductParams:
    dimensions: dict[str, str]
    bands: str
    thresholds: tuple[_Threshold, ...]
    of: str = "rank"

    def __attrs_post_init__(self) -> None:
        if self.of not in {"rank", "value"}:
            raise FieldError("of", f"`of` is `rank` or `value`, got {self.of!r}")


@attrs.frozen(kw_only=True)
class _ValueProductParams:
    dimensions: dict[str, str]
    bands: str
    thresholds: tuple[_Threshold, ...]


# ---------------------------------------------------------------------------
# Reading params against a catalogue.


def _read(params: Mapping[str, Any], cl: type[Any]) -> Any:
    return _serial.structure(dict(params), cl)


def _ref(problems: Problems, field: str, kind: str, entries: Mapping[str, Any], target: str) -> Any:
    if target in entries:
        return entries[target]
    hint = did_you_mean(close_matches(target, entries))
    problems.append((field, f"unknown {kind} {target!r}{hint}", "reference"))
    return None


def _scales(problems: Problems, dimensions: Mapping[str, str], catalogue: Catalogue) -> dict[str, Scale]:
    out: dict[str, Scale] = {}
    for name, scale_id in dimensions.items():
        if not _dimension_name(problems, f"dimensions.{name}", name):
            continue
        scale = _ref(problems, f"dimensions.{name}", "scale", catalogue.scales, scale_id)
        if scale is not None:
            out[name] = scale
    return out


def _dimension_name(problems: Problems, field: str, name: str) -> bool:
    from forsvarlig._ids import SLUG_RE
    from forsvarlig.scoring._strategy import RESERVED_DIMENSIONS

    if SLUG_RE.match(name) and name not in RESERVED_DIMENSIONS:
        return True
    msg = f"{name!r} cannot name a dimension: use a slug such as `likelihood`, and not `value` or `band`"
    problems.append((field, msg, "id"))
    return False


def _banding(
    problems: Problems, params: _ProductParams | _ValueProductParams, catalogue: Catalogue
) -> tuple[BandSet | None, Callable[[float], str]]:
    bands: BandSet | None = _ref(problems, "bands", "band set", catalogue.band_sets, params.bands)
    if bands is None:
        return None, str
    previous: _Threshold | None = None
    rank = 1
    for i, t in enumerate(params.thresholds):
        if previous is not None and (
            t.edge < previous.edge
            or (t.edge == previous.edge and not (previous.at_least is not None and t.above is not None))
        ):
            field = f"thresholds.{i}.above" if t.above is not None else f"thresholds.{i}.at_least"
            problems.append(
                (field, f"edges go up: {t.edge} does not start a band above {previous.edge}", "order")
            )
        previous = t
        if t.band not in bands:
            hint = did_you_mean(close_matches(t.band, bands.ids))
            msg = f"the band set {bands.id} has no band {t.band!r}{hint}"
            problems.append((f"thresholds.{i}.band", msg, "reference"))
            continue
        band_rank = bands.band(t.band).rank
        if band_rank <= rank:
            msg = f"thresholds go up: {t.band!r} (rank {band_rank}) must rank above rank {rank}"
            problems.append((f"thresholds.{i}.band", msg, "order"))
        rank = max(rank, band_rank)
    base = bands.bands[0].id
    thresholds = params.thresholds

    def band_of(value: float) -> str:
        band = base
        for t in thresholds:
            if not t.admits(value):
                break
            band = t.band
        return band

    return bands, band_of


def _numbers(problems: Problems, scales: Mapping[str, Scale], of: str) -> None:
    """Check that each level has the number the product uses, rising with rank."""
    for name, scale in scales.items():
        if of == "rank":
            continue
        missing = [lv.id for lv in scale if lv.value is None]
        if missing:
            lacking = ", ".join(missing)
            msg = f"a product of values needs a value on every level; {scale.id} lacks one on {lacking}"
            problems.append((f"dimensions.{name}", msg, "value"))
            continue
        values = [lv.value for lv in scale if lv.value is not None]
        if any(v <= 0 for v in values) or values != sorted(set(values)):
            msg = f"the values of {scale.id} must be positive and rise with rank, got {values}"
            problems.append((f"dimensions.{name}", msg, "value"))


def _product(levels: Mapping[str, Level], of: str) -> float:
    if of == "rank":
        return float(math.prod(lv.rank for lv in levels.values()))
    product = math.prod(lv.value for lv in levels.values())  # type: ignore[misc]
    # Round away the binary noise of decimal factors (0.1 x 3), so that a product
    # that is an edge on paper is the edge here.
    return float(f"{product:.12g}")


_KINDS: Final = {
    "probability": {"probability", "likelihood"},
    "likelihood": {"probability", "likelihood"},
    "exposure": {"exposure", "frequency"},
    "frequency": {"frequency", "exposure"},
    "consequence": {"consequence", "severity"},
    "severity": {"severity", "consequence"},
}


def _named_dimensions(
    problems: Problems, scales: Mapping[str, Scale], names: tuple[str, ...]
) -> dict[str, Scale]:
    given = list(scales)
    for name in given:
        if name not in names:
            hint = did_you_mean(close_matches(name, names))
            msg = f"unknown dimension {name!r}{hint}; this strategy's dimensions are {', '.join(names)}"
            problems.append((f"dimensions.{name}", msg, "unknown-key"))
    out: dict[str, Scale] = {}
    for name in names:
        if name not in scales:
            if not any(p[0] == f"dimensions.{name}" for p in problems):
                problems.append(("dimensions", f"no scale given for the dimension {name!r}", "missing"))
            continue
        scale = scales[name]
        if scale.kind.value not in _KINDS[name]:
            kinds = " or ".join(sorted(_KINDS[name]))
            msg = f"the dimension {name!r} needs a scale of kind {kinds}; {scale.id} is {scale.kind.value}"
            problems.append((f"dimensions.{name}", msg, "kind"))
        out[name] = scale
    return out


# ---------------------------------------------------------------------------
# The factories.


def matrix(params: Mapping[str, Any], catalogue: Catalogue) -> TabulatedStrategy:
    """`matrix`: the band of the matrix cell; the value is the band's rank."""
    p: _MatrixParams = _read(params, _MatrixParams)
    problems: Problems = []
    m: RiskMatrix | None = _ref(problems, "matrix", "matrix", catalogue.matrices, p.matrix)
    FieldError.collect(problems)
    assert m is not None  # noqa: S101 - collect raised otherwise
    rows, columns = p.dimensions or (m.rows.kind.value, m.columns.kind.value)
    if p.dimensions is not None:
        for i, name in enumerate(p.dimensions):
            _dimension_name(problems, f"dimensions.{i}", name)
        if rows == columns:
            problems.append(
                ("dimensions", f"the two dimensions need different names, got {rows!r} twice", "value")
            )
        FieldError.collect(problems)
    if rows == columns:
        msg = (
            f"both scales of {m.id} are of kind {rows}, so the dimensions need names:"
            " give `dimensions: [<row dimension>, <column dimension>]`"
        )
        raise FieldError("dimensions", msg)

    def evaluate(levels: Mapping[str, Level]) -> tuple[float, str]:
        band = m.band(levels[rows].id, levels[columns].id)
        return float(band.rank), band.id

    return TabulatedStrategy("matrix", {rows: m.rows, columns: m.columns}, m.bands, evaluate)


def product(params: Mapping[str, Any], catalogue: Catalogue) -> TabulatedStrategy:
    """`product`: the product of the levels' ranks (or values), banded by thresholds."""
    p: _ProductParams = _read(params, _ProductParams)
    return _product_strategy("product", p, p.of, catalogue, None)


def _product_strategy(
    name: str,
    p: _ProductParams | _ValueProductParams,
    of: str,
    catalogue: Catalogue,
    names: tuple[str, ...] | None,
) -> TabulatedStrategy:
    problems: Problems = []
    scales = _scales(problems, p.dimensions, catalogue)
    if names is not None:
        scales = _named_dimensions(problems, scales, names)
    elif not p.dimensions:
        problems.append(("dimensions", "a product needs at least one dimension", "missing"))
    _numbers(problems, scales, of)
    bands, band_of = _banding(problems, p, catalogue)
    FieldError.collect(problems)
    assert bands is not None  # noqa: S101 - collect raised otherwise

    def evaluate(levels: Mapping[str, Level]) -> tuple[float, str]:
        value = _product(levels, of)
        return value, band_of(value)

    return TabulatedStrategy(name, scales, bands, evaluate)


def fine_kinney(params: Mapping[str, Any], catalogue: Catalogue) -> TabulatedStrategy:
    """`fine-kinney`: R = P x E x C of the levels' values, banded by thresholds."""
    p: _ValueProductParams = _read(params, _ValueProductParams)
    return _product_strategy("fine-kinney", p, "value", catalogue, ("probability", "exposure", "consequence"))


def oira_three_criteria(params: Mapping[str, Any], catalogue: Catalogue) -> TabulatedStrategy:
    """`oira-three-criteria`: OiRA's probability x frequency x severity."""
    p: _ValueProductParams = _read(params, _ValueProductParams)
    return _product_strategy(
        "oira-three-criteria", p, "value", catalogue, ("probability", "frequency", "severity")
    )


def oira_two_criteria(params: Mapping[str, Any], catalogue: Catalogue) -> TabulatedStrategy:
    """`oira-two-criteria`: OiRA's frequency x severity."""
    p: _ValueProductParams = _read(params, _ValueProductParams)
    return _product_strategy("oira-two-criteria", p, "value", catalogue, ("frequency", "severity"))


BUILTIN: Final[dict[str, Callable[[Mapping[str, Any], Catalogue], TabulatedStrategy]]] = {
    "matrix": matrix,
    "product": product,
    "fine-kinney": fine_kinney,
    "oira-three-criteria": oira_three_criteria,
    "oira-two-criteria": oira_two_criteria,
}
