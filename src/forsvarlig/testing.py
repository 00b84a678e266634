"""Hypothesis strategies for every public type, for your tests and ours.

Needs the `testing` extra (`pip install forsvarlig[testing]`), which brings
Hypothesis. Every strategy draws valid values: use them to test that your own
code stores, sends and reads forsvarlig values faithfully.

Examples:
    >>> from hypothesis import given
    >>> from forsvarlig import Scale, dumps, loads
    >>> from forsvarlig.testing import scales
    >>> @given(scales())
    ... def test_round_trip(scale):
    ...     assert loads(dumps(scale), Scale) == scale
    >>> test_round_trip()
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, NoReturn

import attrs
from hypothesis import strategies as st

from forsvarlig._ids import NAMESPACE_RE, SLUG_RE
from forsvarlig.assessment import (
    AcceptanceCriteria,
    AssessmentStatus,
    FactorJudgement,
    Involvement,
    Judgement,
    Participant,
    Participation,
    ReviewTrigger,
    RiskAssessment,
    Role,
    Step,
)
from forsvarlig.catalogue import Catalogue, Method
from forsvarlig.errors import Problem, ScoringError
from forsvarlig.evaluation import EffectAchieved, Evaluation
from forsvarlig.factors import (
    Factor,
    Framework,
    FrameworkEntry,
    LegalReference,
    MeasureKind,
    MeasureTemplate,
    Polarity,
    PreventionLevel,
    Requirement,
    Target,
)
from forsvarlig.hazards import (
    MIN_GROUP_SIZE,
    EstimateStatus,
    Evidence,
    EvidenceKind,
    Hazard,
    Incident,
    KnowledgeStrength,
    RiskEstimate,
)
from forsvarlig.matrix import BandSet, RiskBand, RiskMatrix
from forsvarlig.measures import Measure, MeasureScope, MeasureStatus
from forsvarlig.scales import Level, Scale, ScaleKind
from forsvarlig.scoring import Score, ScoreColumns, ScoringStrategy, parse_vector
from forsvarlig.text import Text

__all__ = [
    "band_sets",
    "catalogues",
    "check_strategy",
    "evaluations",
    "evidence",
    "factors",
    "framework_entries",
    "frameworks",
    "hazards",
    "ids",
    "incidents",
    "json_values",
    "legal_references",
    "levels",
    "measure_templates",
    "measures",
    "meta",
    "methods",
    "namespaces",
    "participants",
    "problems",
    "requirements",
    "risk_assessments",
    "risk_bands",
    "risk_estimates",
    "risk_matrices",
    "scales",
    "score_columns",
    "scores",
    "slugs",
    "targets",
    "texts",
]

_SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


@functools.cache
def slugs(max_parts: int = 3) -> st.SearchStrategy[str]:
    """Local ids: lowercase letters and digits in parts joined by hyphens.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(slugs())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'str'
        >>> test_it()
    """
    part = st.text(_SLUG_CHARS, min_size=1, max_size=8)
    return st.lists(part, min_size=1, max_size=max_parts).map("-".join).filter(SLUG_RE.match)


@functools.cache
def namespaces() -> st.SearchStrategy[str]:
    """Namespaces: a slug that starts with a letter.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(namespaces())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'str'
        >>> test_it()
    """
    return st.builds(
        lambda head, tail: head + tail, st.sampled_from("abcdefghijklmnopqrstuvwxyz"), slugs()
    ).filter(NAMESPACE_RE.match)


@functools.cache
def ids(namespace: str | None = None) -> st.SearchStrategy[str]:
    """Entry ids, `namespace.slug`, in `namespace` if given.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(ids())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'str'
        >>> test_it()
    """
    ns = st.just(namespace) if namespace is not None else namespaces()
    return st.builds(lambda n, s: f"{n}.{s}", ns, slugs())


@functools.cache
def _strings(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(max_size=max_size)


@functools.cache
def _labels(max_size: int = 12) -> st.SearchStrategy[str]:
    # Any text with something besides white space (a blank one is no label).
    return st.text(min_size=1, max_size=max_size).map(lambda s: s if s.strip() else s + "x")


def texts(
    languages: Sequence[str] = ("nb", "en"), *, optional: Sequence[str] = ("nn",)
) -> st.SearchStrategy[Text]:
    """Texts with every language in `languages` and maybe those in `optional`.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(texts())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Text'
        >>> test_it()
    """
    return _texts(tuple(languages), tuple(optional))


@functools.cache
def _texts(languages: tuple[str, ...], optional: tuple[str, ...]) -> st.SearchStrategy[Text]:
    required = st.fixed_dictionaries({lang: _labels() for lang in languages})
    extra = (
        st.dictionaries(st.sampled_from(list(optional)), _labels(), max_size=len(optional))
        if optional
        else st.just({})
    )
    return st.builds(lambda a, b: Text({**b, **a}), required, extra)


@functools.cache
def json_values(max_leaves: int = 4) -> st.SearchStrategy[Any]:
    """JSON values: null, booleans, integers, finite floats, strings, lists, mappings.

    Examples:
        >>> import json
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(json_values())
        ... def test_it(value):
        ...     assert json.loads(json.dumps(value)) == value
        >>> test_it()
    """
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**53), max_value=2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | _strings()
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_strings(10), inner, max_size=3),
        max_leaves=max_leaves,
    )


@functools.cache
def meta() -> st.SearchStrategy[dict[str, Any]]:
    """`meta` mappings: string keys, JSON values; often empty.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(meta())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'dict'
        >>> test_it()
    """
    return st.one_of(st.just({}), st.dictionaries(_strings(8), json_values(), max_size=2))


def _increasing(n: int, lo: float, hi: float) -> st.SearchStrategy[list[float]]:
    # n + 1 distinct cut points in [lo, hi], sorted: consecutive pairs are bounds.
    if hi == float("inf"):
        hi = 10_000.0
    cuts = st.lists(
        st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False),
        min_size=n + 1,
        max_size=n + 1,
        unique=True,
    )
    return cuts.map(sorted)


@functools.cache
def levels(rank: int = 1) -> st.SearchStrategy[Level]:
    """A single level of the given rank (no bounds or value).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(levels())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Level'
        >>> test_it()
    """
    return st.builds(
        Level,
        id=slugs(),
        rank=st.just(rank),
        label=texts(),
        description=st.none() | texts(),
        examples=st.lists(texts(), max_size=1).map(tuple),
        meta=meta(),
    )


@st.composite
def scales(
    draw: st.DrawFn,
    *,
    kind: ScaleKind | None = None,
    min_levels: int = 2,
    max_levels: int = 5,
    bounded: bool | None = None,
    namespace: str | None = None,
) -> Scale:
    """Scales of `kind` (any if None), with or without bounds (either if None).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(scales())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Scale'
        >>> test_it()
    """
    n = draw(st.integers(min_levels, max_levels))
    the_kind = kind or draw(st.sampled_from(list(ScaleKind)))
    level_ids = draw(st.lists(slugs(), min_size=n, max_size=n, unique=True))
    with_bounds = draw(st.booleans()) if bounded is None else bounded
    cuts = draw(_increasing(n, 0.0, the_kind.upper_limit)) if with_bounds else None
    values = draw(_increasing(n - 1, 0.0, 1000.0)) if draw(st.booleans()) else None
    out = [
        attrs.evolve(
            draw(levels(i + 1)),
            id=level_id,
            value=values[i] if values else None,
            bounds=(cuts[i], cuts[i + 1]) if cuts else None,
        )
        for i, level_id in enumerate(level_ids)
    ]
    return Scale(
        id=draw(ids(namespace)),
        kind=the_kind,
        label=draw(texts()),
        levels=tuple(out),
        description=draw(st.none() | texts()),
        note=draw(st.none() | texts()),
        sources=tuple(draw(st.lists(_labels(), max_size=2))),
        verified=draw(st.booleans()),
        meta=draw(meta()),
    )


_COLOURS = st.text("0123456789abcdefABCDEF", min_size=6, max_size=6).map(lambda s: "#" + s)
_DURATIONS = st.builds(lambda n, u: f"P{n}{u}", st.integers(0, 24), st.sampled_from("DWMY"))


@functools.cache
def risk_bands(rank: int = 1) -> st.SearchStrategy[RiskBand]:
    """A single risk band of the given rank.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(risk_bands())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'RiskBand'
        >>> test_it()
    """
    return st.builds(
        RiskBand,
        id=slugs(),
        rank=st.just(rank),
        label=texts(),
        colour=_COLOURS,
        action=texts(),
        respond_within=st.none() | _DURATIONS,
        description=st.none() | texts(),
        meta=meta(),
    )


@st.composite
def band_sets(
    draw: st.DrawFn, *, min_bands: int = 2, max_bands: int = 4, namespace: str | None = None
) -> BandSet:
    """Band sets of `min_bands` to `max_bands` bands.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(band_sets())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'BandSet'
        >>> test_it()
    """
    n = draw(st.integers(min_bands, max_bands))
    band_ids = draw(st.lists(slugs(), min_size=n, max_size=n, unique=True))
    bands = [attrs.evolve(draw(risk_bands(i + 1)), id=band_id) for i, band_id in enumerate(band_ids)]
    return BandSet(
        id=draw(ids(namespace)),
        label=draw(texts()),
        bands=tuple(bands),
        description=draw(st.none() | texts()),
        note=draw(st.none() | texts()),
        meta=draw(meta()),
    )


@st.composite
def risk_matrices(
    draw: st.DrawFn,
    *,
    rows: Scale | None = None,
    columns: Scale | None = None,
    bands: BandSet | None = None,
    max_levels: int = 4,
    monotone: bool = False,
    namespace: str | None = None,
) -> RiskMatrix:
    """Matrices over the given (or drawn) scales and band set.

    With `monotone=True` every grid is monotone (bands never fall going up
    or right); otherwise any grid, monotone or not.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(risk_matrices())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'RiskMatrix'
        >>> test_it()
    """
    rows = rows or draw(scales(max_levels=max_levels, namespace=namespace))
    columns = columns or draw(scales(max_levels=max_levels, namespace=namespace))
    bands = bands or draw(band_sets(namespace=namespace))
    n_rows, n_cols, n_bands = len(rows), len(columns), len(bands)
    if monotone:
        # Build row by row: each cell at least its left and lower neighbours.
        grid: list[list[int]] = []
        for r in range(n_rows):
            row: list[int] = []
            for c in range(n_cols):
                floor = max(row[c - 1] if c else 0, grid[r - 1][c] if r else 0)
                row.append(draw(st.integers(floor, n_bands - 1)))
            grid.append(row)
    else:
        cell = st.integers(0, n_bands - 1)
        grid = draw(
            st.lists(st.lists(cell, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows)
        )
    return RiskMatrix(
        id=draw(ids(namespace)),
        label=draw(texts()),
        rows=rows,
        columns=columns,
        bands=bands,
        grid=tuple(tuple(bands.bands[b].id for b in row) for row in grid),
        description=draw(st.none() | texts()),
        note=draw(st.none() | texts()),
        sources=tuple(draw(st.lists(_labels(), max_size=2))),
        meta=draw(meta()),
    )


@st.composite
def catalogues(draw: st.DrawFn, *, namespace: str | None = None, max_entries: int = 3) -> Catalogue:
    """One-namespace catalogues of scales, band sets and matrices over them.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(catalogues())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Catalogue'
        >>> test_it()
    """
    ns = namespace or draw(namespaces())
    version = draw(st.text("0123456789.", min_size=1, max_size=6))
    scale_list = draw(
        st.lists(scales(namespace=ns, max_levels=4), max_size=max_entries, unique_by=lambda s: s.id)
    )
    band_list = draw(st.lists(band_sets(namespace=ns), max_size=max_entries, unique_by=lambda b: b.id))
    band_list = [b for b in band_list if b.id not in {s.id for s in scale_list}]
    taken = {s.id for s in scale_list} | {b.id for b in band_list}
    matrix_list = []
    if scale_list and band_list:
        for _ in range(draw(st.integers(0, max_entries))):
            m = draw(
                risk_matrices(
                    rows=draw(st.sampled_from(scale_list)),
                    columns=draw(st.sampled_from(scale_list)),
                    bands=draw(st.sampled_from(band_list)),
                    namespace=ns,
                )
            )
            if m.id not in taken:
                taken.add(m.id)
                matrix_list.append(m)
    method_list = []
    for m in matrix_list:
        if draw(st.booleans()):
            method = draw(methods(namespace=ns, params=st.just({"matrix": m.id})))
            if method.id not in taken:
                taken.add(method.id)
                method_list.append(attrs.evolve(method, strategy="matrix"))
    factor_part: dict[str, Any] = {}
    if draw(st.booleans()):
        factor_part = draw(_factor_sections(ns, taken, [m.id for m in method_list]))
    return Catalogue(
        namespaces={ns: version},
        scales={s.id: s for s in scale_list},
        band_sets={b.id: b for b in band_list},
        matrices={m.id: m for m in matrix_list},
        methods={m.id: m for m in method_list},
        **factor_part,
        meta=draw(
            st.just({})
            | st.fixed_dictionaries(
                {ns: st.dictionaries(_strings(10), json_values(), min_size=1, max_size=2)}
            )
        ),
    )


@st.composite
def _factor_sections(draw: st.DrawFn, ns: str, taken: set[str], method_ids: list[str]) -> dict[str, Any]:
    """Frameworks, factors, targets, requirements and templates that refer to each other consistently."""

    def fresh(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            item_ids = {item.id, *(e.id for e in getattr(item, "entries", ()))}
            if not item_ids & taken:
                taken.update(item_ids)
                out.append(item)
        return out

    fw_list = fresh(draw(st.lists(frameworks(namespace=ns), max_size=1)))
    entry_ids = [e.id for fw in fw_list for e in fw.entries]
    factor_ids = [i for i in draw(st.lists(ids(ns), min_size=1, max_size=3, unique=True)) if i not in taken]
    taken.update(factor_ids)
    factor_list = [
        attrs.evolve(
            draw(
                factors(
                    namespace=ns,
                    entries=entry_ids,
                    factor_ids=[other for other in factor_ids if other != fid],
                    method_ids=method_ids,
                )
            ),
            id=fid,
        )
        for fid in factor_ids
    ]
    # A replacement is current: keep only retirements that point to a factor not itself retired.
    current = {f.id for f in factor_list if f.replaced_by is None}
    factor_list = [f if f.replaced_by in current else attrs.evolve(f, replaced_by=None) for f in factor_list]
    target_list = fresh(draw(st.lists(targets(namespace=ns), min_size=1, max_size=2)))
    requirement_list = fresh(draw(st.lists(requirements(namespace=ns, factor_ids=factor_ids), max_size=2)))
    template_list = (
        fresh(
            draw(
                st.lists(
                    measure_templates(
                        factor_ids=factor_ids, target_ids=[t.id for t in target_list], namespace=ns
                    ),
                    max_size=2,
                )
            )
        )
        if factor_ids and target_list
        else []
    )
    return {
        "frameworks": {f.id: f for f in fw_list},
        "factors": {f.id: f for f in factor_list},
        "targets": {t.id: t for t in target_list},
        "requirements": {r.id: r for r in requirement_list},
        "measures": {m.id: m for m in template_list},
    }


def problems() -> st.SearchStrategy[Problem]:
    """Problems, as `ValidationError.problems` holds them.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(problems())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Problem'
        >>> test_it()
    """
    return st.builds(
        Problem,
        path=st.just("$") | st.builds(lambda k: f"$.{k}", slugs()),
        message=_labels(),
        code=slugs(),
        source=st.none() | _labels(),
        line=st.none() | st.integers(1, 10_000),
        column=st.none() | st.integers(1, 200),
    )


def methods(
    *, namespace: str | None = None, params: st.SearchStrategy[dict[str, Any]] | None = None
) -> st.SearchStrategy[Method]:
    """Catalogue methods: any strategy name, version and JSON params (or the `params` given).

    The params are not checked against a strategy; `forsvarlig.scoring.scorer`
    does that.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(methods())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Method'
        >>> test_it()
    """
    return st.builds(
        Method,
        id=ids(namespace),
        label=texts(),
        strategy=slugs(2),
        version=st.integers(1, 1000),
        params=params if params is not None else st.dictionaries(slugs(1), json_values(), max_size=3),
        description=st.none() | texts(),
        note=st.none() | texts(),
        sources=st.lists(_labels(), max_size=2).map(tuple),
        meta=meta(),
    )


@st.composite
def _provenance(draw: st.DrawFn) -> dict[str, Any]:
    dims = draw(st.lists(slugs(2), min_size=1, max_size=3, unique=True))
    bound = draw(st.booleans())
    return {
        "band_set": draw(ids()),
        "strategy": draw(slugs(2)),
        "scales": {d: draw(ids()) for d in dims},
        "method": draw(ids()) if bound else None,
        "version": draw(st.integers(1, 1000)) if bound else None,
    }


_VALUES = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@st.composite
def scores(draw: st.DrawFn) -> Score:
    """Scores with any provenance, bound to a method or not (not made by a strategy).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(scores())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Score'
        >>> test_it()
    """
    p = draw(_provenance())
    return Score(
        value=draw(_VALUES),
        band=draw(slugs()),
        band_rank=draw(st.integers(1, 6)),
        inputs={d: draw(slugs()) for d in p["scales"]},
        **p,
    )


@st.composite
def score_columns(draw: st.DrawFn, *, max_rows: int = 5) -> ScoreColumns:
    """Score columns with any provenance (not made by a strategy).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(score_columns())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'ScoreColumns'
        >>> test_it()
    """
    p = draw(_provenance())
    order = tuple(draw(st.lists(slugs(), min_size=1, max_size=5, unique=True)))
    n = draw(st.integers(0, max_rows))
    column = st.lists(slugs(), min_size=n, max_size=n).map(tuple)
    return ScoreColumns(
        bands=tuple(draw(st.lists(st.sampled_from(order), min_size=n, max_size=n))),
        values=tuple(draw(st.lists(_VALUES, min_size=n, max_size=n))),
        band_order=order,
        inputs={d: draw(column) for d in p["scales"]},
        **p,
    )


def check_strategy(  # noqa: C901, PLR0912, PLR0915 - one conformance suite, read top to bottom
    strategy: ScoringStrategy, *, monotone: bool = False, max_combinations: int = 10_000
) -> None:
    """Check that a scoring strategy keeps the protocol; raise `AssertionError` if not.

    Run it in your plugin's tests, on a strategy your factory made (it needs
    the `testing` extra, as all of this module does). It
    scores every combination of levels (a spread of up to
    `max_combinations` of them when there are more) and checks that:

    - each `Score` names its inputs, scales, band set and strategy, and its
      band and rank are the band set's;
    - scoring is deterministic, and `score_many` equals `score` row by row;
    - a bound score's vector parses back to its method, version and inputs;
    - a missing, unknown or misspelt dimension or level is a `ScoringError`,
      and so are columns of different lengths;
    - with `monotone=True`, raising any one level never lowers the band or
      the value.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.scoring import scorer
        >>> from forsvarlig.testing import check_strategy
        >>> check_strategy(scorer("fv.fine-kinney", default_catalogue()), monotone=True)
    """
    import itertools
    import math

    def fail(message: str) -> NoReturn:
        raise AssertionError(f"{strategy!r}: {message}")

    given: object = strategy  # checked at run time: the caller's types may lie
    if not isinstance(given, ScoringStrategy):
        fail("it lacks a member of the ScoringStrategy protocol (name, dimensions, bands, score, score_many)")
    dims = dict(strategy.dimensions)
    bands = strategy.bands
    if not dims or not all(isinstance(d, str) and isinstance(s, Scale) for d, s in dims.items()):
        fail("`dimensions` must map each dimension name to a Scale, and not be empty")
    if not isinstance(bands, BandSet):
        fail("`bands` must be a BandSet")
    if max_combinations < 1:
        msg = f"max_combinations must be 1 or more, got {max_combinations}"
        raise ValueError(msg)
    order = list(dims)
    total = math.prod(len(s) for s in dims.values())
    combos = itertools.product(*(s.ids for s in dims.values()))
    step = max(1, -(-total // max_combinations))
    rows = [dict(zip(order, c, strict=True)) for c in itertools.islice(combos, 0, None, step)]

    def attempt(what: str, call: Any) -> Any:
        try:
            return call()
        except AssertionError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure is the strategy's, and reported as such
            fail(f"{what} raised {type(exc).__name__}: {exc}")

    def must_refuse(what: str, call: Any) -> ScoringError:
        try:
            call()
        except ScoringError as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error is the finding
            fail(f"{what} must raise ScoringError, not {type(exc).__name__}: {exc}")
        fail(f"{what} must raise ScoringError")

    made: list[Score] = []
    for levels in rows:
        score = attempt(f"score({levels})", lambda levels=levels: strategy.score(levels))
        if not isinstance(score, Score):
            fail(f"score() returned {type(score).__name__}, not a Score")
        if list(score.inputs.items()) != list(levels.items()):
            fail(f"score({levels}) names the inputs {score.inputs}, not the levels given, in order")
        if score.scales != {d: s.id for d, s in dims.items()}:
            fail(f"score({levels}) names the scales {score.scales}")
        if score.band not in bands or score.band_rank != bands.band(score.band).rank:
            fail(f"score({levels}) gives the band {score.band!r} (rank {score.band_rank}), not in {bands.id}")
        if score.band_set != bands.id or score.strategy != strategy.name:
            fail(f"score({levels}) names the band set {score.band_set!r} and strategy {score.strategy!r}")
        if not math.isfinite(score.value):
            fail(f"score({levels}) has the value {score.value}")
        if attempt(f"score({levels})", lambda levels=levels: strategy.score(dict(levels))) != score:
            fail(f"score({levels}) is not deterministic")
        if score.method is not None:
            parsed = attempt(f"parsing the vector {score.vector!r}", lambda s=score: parse_vector(s.vector))
            if parsed != (score.method, score.version, score.inputs):
                fail(f"the vector {score.vector!r} does not parse back to its method, version and inputs")
        made.append(score)
    columns = {d: [levels[d] for levels in rows] for d in order}
    many = attempt("score_many()", lambda: strategy.score_many(columns))
    if not isinstance(many, ScoreColumns) or len(many) != len(rows):
        fail("score_many() must return ScoreColumns with one row per input row")
    for i, score in enumerate(made):
        if many[i] != score:
            fail(f"score_many() row {i} is {many[i]}, but score() gives {score}")
    empty = attempt("score_many() of empty columns", lambda: strategy.score_many({d: [] for d in order}))
    if not isinstance(empty, ScoreColumns) or len(empty) != 0:
        fail("score_many() of empty columns must give ScoreColumns with no rows")

    first = rows[0]
    d0, scale0 = order[0], dims[order[0]]
    bad_level = scale0.ids[0] + "-not-a-level"
    exc = must_refuse("score() of an unknown level", lambda: strategy.score({**first, d0: bad_level}))
    if exc.dimension != d0 or exc.scale != scale0.id:
        fail(f"the ScoringError for an unknown level must name its dimension and scale: {exc}")
    must_refuse(
        "score() of a missing dimension", lambda: strategy.score({d: v for d, v in first.items() if d != d0})
    )
    unknown = {**first, "not-a-dimension": scale0.ids[0]}
    must_refuse("score() of an unknown dimension", lambda: strategy.score(unknown))
    bad_rows = {**columns, d0: [*columns[d0][:-1], bad_level]}
    exc = must_refuse("score_many() with an unknown level", lambda: strategy.score_many(bad_rows))
    if exc.row != len(rows) - 1:
        fail(f"the ScoringError for a bad row must name the row ({len(rows) - 1}), not {exc.row}")
    if len(rows) > 1 and len(order) > 1:
        short = {**columns, d0: columns[d0][:-1]}
        must_refuse("score_many() of columns of different lengths", lambda: strategy.score_many(short))

    if monotone:
        for levels, score in zip(rows, made, strict=True):
            for d, scale in dims.items():
                rank = scale.rank(levels[d])
                if rank == len(scale):
                    continue
                higher = {**levels, d: scale.levels[rank].id}
                up = attempt(f"score({higher})", lambda higher=higher: strategy.score(higher))
                if up.band_rank < score.band_rank or up.value < score.value:
                    fail(f"raising {d} from {levels[d]!r} lowers the score: {score} -> {up}")


_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def legal_references(draw: st.DrawFn) -> LegalReference:
    """Legal references: an act, a section, maybe a paragraph and letter, maybe dated.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(legal_references())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'LegalReference'
        >>> test_it()
    """
    start = draw(st.none() | _DATES)
    end = draw(st.none() | _DATES)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return LegalReference(
        act=draw(st.sampled_from(["aml", "fua", "orgforskr", "ikforskr", "ldl"]) | namespaces()),
        section=draw(st.from_regex(r"[1-9][0-9]?[A-Z]?-[1-9][0-9]?", fullmatch=True)),
        paragraph=draw(st.none() | st.integers(1, 9)),
        letter=draw(st.none() | st.sampled_from("abcdefgh")),
        valid_from=start,
        valid_to=end,
        text=draw(st.none() | _labels(40)),
        verified=draw(st.booleans()),
        sources=tuple(draw(st.lists(_labels(), max_size=2))),
        note=draw(st.none() | texts()),
    )


def _lifecycle(draw: st.DrawFn, entry_id: str, others: Sequence[str]) -> dict[str, Any]:
    replaced_by = draw(st.none() | st.sampled_from(list(others))) if others else None
    return {"replaced_by": replaced_by if replaced_by != entry_id else None}


@st.composite
def factors(
    draw: st.DrawFn,
    *,
    namespace: str | None = None,
    entries: Sequence[str] = (),
    factor_ids: Sequence[str] = (),
    method_ids: Sequence[str] = (),
) -> Factor:
    """Factors whose references are drawn from the ids given (none if none are).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(factors())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Factor'
        >>> test_it()
    """
    fid = draw(ids(namespace))
    polarity = draw(st.sampled_from(list(Polarity)))
    others = [f for f in factor_ids if f != fid]
    buffers = (
        tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=2)))
        if polarity is Polarity.RESOURCE and others
        else ()
    )
    return Factor(
        id=fid,
        label=draw(texts()),
        polarity=polarity,
        description=draw(texts()),
        examples=tuple(draw(st.lists(texts(), max_size=2))),
        group=draw(st.none() | slugs(2)),
        legal=tuple(draw(st.lists(legal_references(), max_size=2))),
        crosswalk=tuple(draw(st.lists(st.sampled_from(list(entries)), unique=True, max_size=3)))
        if entries
        else (),
        buffers=buffers,
        methods=tuple(draw(st.lists(st.sampled_from(list(method_ids)), unique=True, max_size=2)))
        if method_ids
        else (),
        sources=tuple(draw(st.lists(_labels(), max_size=1))),
        verified=draw(st.booleans()),
        note=draw(st.none() | texts()),
        meta=draw(meta()),
        **_lifecycle(draw, fid, others),
    )


@st.composite
def framework_entries(draw: st.DrawFn, *, namespace: str | None = None) -> FrameworkEntry:
    """Framework entries, in `namespace` if given.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(framework_entries())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'FrameworkEntry'
        >>> test_it()
    """
    return FrameworkEntry(
        id=draw(ids(namespace)),
        label=draw(texts()),
        code=draw(st.none() | st.text("ABC0123456789.", min_size=1, max_size=4)),
        group=draw(st.none() | slugs(2)),
        description=draw(st.none() | texts()),
        unmapped=draw(st.none() | texts()),
        verified=draw(st.booleans()),
        meta=draw(meta()),
    )


@st.composite
def frameworks(draw: st.DrawFn, *, namespace: str | None = None) -> Framework:
    """Frameworks of one to four entries, all in one namespace.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(frameworks())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Framework'
        >>> test_it()
    """
    ns = namespace or draw(namespaces())
    fid = draw(ids(ns))
    entries = draw(
        st.lists(framework_entries(namespace=ns), min_size=1, max_size=4, unique_by=lambda e: e.id).filter(
            lambda es: fid not in {e.id for e in es}
        )
    )
    return Framework(
        id=fid,
        label=draw(texts()),
        entries=tuple(entries),
        publisher=draw(st.none() | _labels()),
        edition=draw(st.none() | st.text("0123456789", min_size=4, max_size=4)),
        url=draw(st.none() | st.just("https://example.org/framework")),
        description=draw(st.none() | texts()),
        sources=tuple(draw(st.lists(_labels(), max_size=1))),
        verified=draw(st.booleans()),
        note=draw(st.none() | texts()),
        meta=draw(meta()),
    )


@st.composite
def targets(draw: st.DrawFn, *, namespace: str | None = None) -> Target:
    """Measure targets.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(targets())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Target'
        >>> test_it()
    """
    return Target(
        id=draw(ids(namespace)),
        label=draw(texts()),
        description=draw(texts()),
        examples=tuple(draw(st.lists(texts(), max_size=2))),
        note=draw(st.none() | texts()),
        meta=draw(meta()),
    )


@st.composite
def requirements(
    draw: st.DrawFn, *, namespace: str | None = None, factor_ids: Sequence[str] = ()
) -> Requirement:
    """Requirements, concerning some of `factor_ids`.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(requirements())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Requirement'
        >>> test_it()
    """
    met_by = tuple(draw(st.lists(st.sampled_from(list(MeasureKind)), unique=True, max_size=3)))
    return Requirement(
        id=draw(ids(namespace)),
        label=draw(texts()),
        description=draw(texts()),
        legal=tuple(draw(st.lists(legal_references(), max_size=2))),
        factors=tuple(draw(st.lists(st.sampled_from(list(factor_ids)), unique=True, max_size=2)))
        if factor_ids
        else (),
        met_by=met_by,
        assessment=not met_by or draw(st.booleans()),
        verified=draw(st.booleans()),
        note=draw(st.none() | texts()),
        meta=draw(meta()),
    )


@st.composite
def measure_templates(
    draw: st.DrawFn, *, factor_ids: Sequence[str], target_ids: Sequence[str], namespace: str | None = None
) -> MeasureTemplate:
    """Measure templates acting on some of `factor_ids`, aimed at one of `target_ids`.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(measure_templates(factor_ids=("fv.workload",), target_ids=("fv.organisation",)))
        ... def test_it(value):
        ...     assert type(value).__name__ == 'MeasureTemplate'
        >>> test_it()
    """
    return MeasureTemplate(
        id=draw(ids(namespace)),
        label=draw(texts()),
        description=draw(texts()),
        factors=tuple(draw(st.lists(st.sampled_from(list(factor_ids)), min_size=1, unique=True, max_size=2))),
        target=draw(st.sampled_from(list(target_ids))),
        prevention=draw(st.sampled_from(list(PreventionLevel))),
        kind=draw(st.sampled_from(list(MeasureKind))),
        examples=tuple(draw(st.lists(texts(), max_size=1))),
        sources=tuple(draw(st.lists(_labels(), max_size=1))),
        verified=draw(st.booleans()),
        note=draw(st.none() | texts()),
        meta=draw(meta()),
    )


_TEXT = st.text(min_size=1, max_size=30).map(lambda s: s if s.strip() else s + "x")


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    """Evidence of every kind; surveys with a group at or above the minimum.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(evidence())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Evidence'
        >>> test_it()
    """
    kind = draw(st.sampled_from(list(EvidenceKind)))
    group = draw(st.integers(MIN_GROUP_SIZE, 500)) if kind.is_survey else draw(st.none() | st.integers(5, 50))
    return Evidence(
        kind=kind,
        summary=draw(_TEXT),
        reference=draw(st.none() | _TEXT),
        date=draw(st.none() | _DATES),
        group_size=group,
        meta=draw(meta()),
    )


@st.composite
def risk_estimates(
    draw: st.DrawFn, *, dimensions: Sequence[str] = ("frequency", "consequence")
) -> RiskEstimate:
    """Risk estimates over `dimensions`: mostly estimated, sometimes not relevant or postponed.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(risk_estimates())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'RiskEstimate'
        >>> test_it()
    """
    status = draw(st.sampled_from(list(EstimateStatus)))
    estimated = status is EstimateStatus.ESTIMATED
    return RiskEstimate(
        levels={d: draw(slugs(2)) for d in dimensions} if estimated else {},
        status=status,
        rationale=draw(st.none() | _TEXT),
        reason=None if estimated else draw(_TEXT),
        by=draw(st.none() | st.sampled_from([r.value for r in Role])),
        on=draw(st.none() | _DATES),
        knowledge=draw(st.none() | st.sampled_from(list(KnowledgeStrength))),
        meta=draw(meta()),
    )


@st.composite
def hazards(draw: st.DrawFn, *, factor_ids: Sequence[str] = ("fv.workload",)) -> Hazard:
    """Hazards concerning some of `factor_ids`, with evidence and estimates.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(hazards())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Hazard'
        >>> test_it()
    """
    return Hazard(
        id=draw(slugs()),
        title=draw(_TEXT),
        factors=tuple(draw(st.lists(st.sampled_from(list(factor_ids)), min_size=1, max_size=2, unique=True))),
        description=draw(st.none() | _TEXT),
        exposed=draw(st.none() | _TEXT),
        when=draw(st.none() | _TEXT),
        where=draw(st.none() | _TEXT),
        evidence=tuple(draw(st.lists(evidence(), max_size=2))),
        inherent=draw(st.none() | risk_estimates()),
        current=draw(st.none() | risk_estimates()),
        residual=draw(st.none() | risk_estimates()),
        meta=draw(meta()),
    )


@st.composite
def incidents(draw: st.DrawFn, *, factor_ids: Sequence[str] = ("fv.violence-threats",)) -> Incident:
    """Incidents, recorded by role.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(incidents())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Incident'
        >>> test_it()
    """
    return Incident(
        id=draw(slugs()),
        date=draw(_DATES),
        factor=draw(st.sampled_from(list(factor_ids))),
        severity=draw(st.none() | slugs(1)),
        roles=tuple(draw(st.lists(slugs(1), max_size=2))),
        unit=draw(st.none() | _TEXT),
        followed_up=draw(st.none() | st.booleans()),
        summary=draw(st.none() | _TEXT),
        meta=draw(meta()),
    )


@st.composite
def measures(draw: st.DrawFn, *, hazard_ids: Sequence[str]) -> Measure:
    """Measures acting on some of `hazard_ids`.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(measures(hazard_ids=("h1",)))
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Measure'
        >>> test_it()
    """
    return Measure(
        id=draw(slugs()),
        what=draw(_TEXT),
        hazards=tuple(draw(st.lists(st.sampled_from(list(hazard_ids)), min_size=1, max_size=2, unique=True))),
        target=draw(st.sampled_from(["fv.organisation", "fv.factor", "fv.outcome"])),
        prevention=draw(st.sampled_from(list(PreventionLevel))),
        kind=draw(st.sampled_from(list(MeasureKind))),
        in_place=draw(st.booleans()),
        owner=draw(st.none() | _TEXT),
        due=draw(st.none() | _DATES),
        status=draw(st.sampled_from(list(MeasureStatus))),
        scope=draw(st.sampled_from(list(MeasureScope))),
        expected_effect=draw(st.none() | _TEXT),
        template=draw(st.none() | st.just("fv.clarify-priorities")),
        meta=draw(meta()),
    )


@st.composite
def evaluations(draw: st.DrawFn, *, measure_ids: Sequence[str]) -> Evaluation:
    """Evaluations of some of `measure_ids`.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(evaluations(measure_ids=("m1",)))
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Evaluation'
        >>> test_it()
    """
    on = draw(_DATES)
    return Evaluation(
        measure=draw(st.sampled_from(list(measure_ids))),
        on=on,
        implemented=draw(st.booleans()),
        effect=draw(st.sampled_from(list(EffectAchieved))),
        achieved=draw(st.none() | _TEXT),
        estimate=draw(st.none() | risk_estimates()),
        notes=draw(st.none() | _TEXT),
        next_follow_up=draw(st.none() | st.dates(min_value=on, max_value=dt.date(2100, 12, 31))),
        by=draw(st.none() | st.sampled_from([r.value for r in Role])),
        meta=draw(meta()),
    )


@st.composite
def participants(draw: st.DrawFn) -> Participant:
    """Participants, by role and opaque reference, with their participation.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(participants())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'Participant'
        >>> test_it()
    """
    return Participant(
        id=draw(slugs()),
        role=draw(st.sampled_from(list(Role))),
        reference=draw(_TEXT),
        name=draw(st.none() | _TEXT),
        participation=tuple(
            draw(
                st.lists(
                    st.builds(
                        Participation,
                        step=st.sampled_from(list(Step)),
                        how=st.sampled_from(list(Involvement)),
                        on=st.none() | _DATES,
                        statement=st.none() | _TEXT,
                        dissent=st.none() | _TEXT,
                    ),
                    max_size=3,
                )
            )
        ),
        meta=draw(meta()),
    )


@st.composite
def risk_assessments(draw: st.DrawFn, *, max_items: int = 3) -> RiskAssessment:
    """Whole assessments whose internal references hold (catalogue ids are not checked).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(risk_assessments())
        ... def test_it(value):
        ...     assert type(value).__name__ == 'RiskAssessment'
        >>> test_it()
    """
    factor_ids = ["fv.workload", "fv.violence-threats", "fv.support"]
    hazard_list = draw(st.lists(hazards(factor_ids=factor_ids), max_size=max_items, unique_by=lambda h: h.id))
    hazard_ids = [h.id for h in hazard_list]
    measure_list = (
        draw(st.lists(measures(hazard_ids=hazard_ids), max_size=max_items, unique_by=lambda m: m.id))
        if hazard_ids
        else []
    )
    measure_ids = [m.id for m in measure_list]
    evaluation_list = draw(st.lists(evaluations(measure_ids=measure_ids), max_size=2)) if measure_ids else []
    status = draw(st.sampled_from(list(AssessmentStatus)))
    approved_by = draw(st.sampled_from(list(Role))) if status is AssessmentStatus.APPROVED else None
    start = draw(st.none() | _DATES)
    return RiskAssessment(
        unit=draw(_TEXT),
        date=draw(_DATES),
        method="fv.talk-matrix",
        catalogue={"fv": "0.1.0"},
        methods={"fv.talk-matrix": 1},
        period_from=start,
        period_to=None
        if start is None
        else draw(st.none() | st.dates(min_value=start, max_value=dt.date(2100, 12, 31))),
        scope=draw(st.none() | _TEXT),
        acceptance=draw(st.none() | st.builds(AcceptanceCriteria, action_band=st.just("medium"))),
        factors=tuple(
            FactorJudgement(factor=f, judgement=j, reason=None if j is Judgement.ASSESSED else "why")
            for f, j in zip(
                factor_ids, draw(st.lists(st.sampled_from(list(Judgement)), max_size=3)), strict=False
            )
        ),
        participants=tuple(draw(st.lists(participants(), max_size=max_items, unique_by=lambda p: p.id))),
        hazards=tuple(hazard_list),
        incidents=tuple(draw(st.lists(incidents(), max_size=2, unique_by=lambda x: x.id))),
        measures=tuple(measure_list),
        evaluations=tuple(evaluation_list),
        combined=draw(st.none() | risk_estimates()),
        status=status,
        approved_by=approved_by,
        revision=draw(st.integers(1, 20)),
        replaces=draw(st.none() | _TEXT),
        next_review=draw(st.none() | _DATES),
        triggers=tuple(draw(st.lists(st.sampled_from(list(ReviewTrigger)), max_size=3, unique=True))),
        meta=draw(meta()),
    )
