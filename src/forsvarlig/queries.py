"""Queries over an assessment, against a catalogue: resolve, the risk register, overdue items, coverage.

These read a `RiskAssessment` together with the catalogue it was made with:

- `resolve` checks every catalogue id the assessment uses — factors,
  targets, templates, methods and the levels of every estimate — and reports
  every problem at once, with suggestions;
- `risk_register` scores every hazard's inherent, current and residual
  estimate and ranks the hazards, ties broken by id;
- `overdue` lists what is late on a given day;
- `coverage` says, for every factor of the catalogue, whether the assessment
  assessed it, judged it not relevant, postponed it, or did not consider it.

Examples:
    >>> import datetime as dt
    >>> from forsvarlig import default_catalogue, load
    >>> from forsvarlig.assessment import RiskAssessment
    >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
    ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1})
    >>> resolve(a, default_catalogue())
    >>> coverage(a, default_catalogue())["fv.workload"].value
    'not-considered'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from forsvarlig import _serial
from forsvarlig.assessment import Judgement, RiskAssessment
from forsvarlig.errors import (
    ForsvarligError,
    Problem,
    ScoringError,
    UnknownReferenceError,
    ValidationError,
    close_matches,
    did_you_mean,
)
from forsvarlig.hazards import Hazard, RiskEstimate
from forsvarlig.measures import Measure
from forsvarlig.scoring import TabulatedStrategy

if TYPE_CHECKING:
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.evaluation import Evaluation
    from forsvarlig.scoring import Score, ScoringStrategy, StrategyRegistry

__all__ = ["Coverage", "Overdue", "RegisterRow", "coverage", "overdue", "resolve", "risk_register"]


class Coverage(enum.Enum):
    """How an assessment covered one catalogue factor.

    Examples:
        >>> Coverage("not-considered").value
        'not-considered'

    Added in version 0.1.
    """

    ASSESSED = "assessed"
    NOT_RELEVANT = "not-relevant"
    POSTPONED = "postponed"
    NOT_CONSIDERED = "not-considered"


# ---------------------------------------------------------------------------
# Resolving ids against a catalogue.


def _method_of(assessment: RiskAssessment, hazard: Hazard | None, estimate: RiskEstimate) -> str:
    return estimate.method or (hazard.method if hazard is not None else None) or assessment.method


def _estimates(assessment: RiskAssessment) -> Iterator[tuple[tuple[Any, ...], Hazard | None, RiskEstimate]]:
    """Every estimate in the assessment, with its path and hazard."""
    for i, hazard in enumerate(assessment.hazards):
        for stage, estimate in hazard.estimates.items():
            yield ("hazards", i, stage), hazard, estimate
    for i, evaluation in enumerate(assessment.evaluations):
        if evaluation.estimate is not None:
            owner = _evaluated_hazard(assessment, evaluation)
            yield ("evaluations", i, "estimate"), owner, evaluation.estimate
    if assessment.combined is not None:
        yield ("combined",), None, assessment.combined


def _evaluated_hazard(assessment: RiskAssessment, evaluation: Evaluation) -> Hazard | None:
    if evaluation.hazard is not None:
        return next((h for h in assessment.hazards if h.id == evaluation.hazard), None)
    measure = next((m for m in assessment.measures if m.id == evaluation.measure), None)
    if measure is None or not measure.hazards:
        return None
    return next((h for h in assessment.hazards if h.id == measure.hazards[0]), None)


class _Resolver:
    def __init__(self, catalogue: Catalogue, registry: StrategyRegistry | None) -> None:
        self.catalogue = catalogue
        self.registry = registry
        self.problems: list[Problem] = []
        self.strategies: dict[str, ScoringStrategy | None] = {}

    def add(self, path: tuple[Any, ...], message: str, code: str = "reference") -> None:
        self.problems.append(Problem(_serial.format_path(path), message, code))

    def ref(self, path: tuple[Any, ...], kind: str, entries: Mapping[str, Any], value: str) -> None:
        if value not in entries:
            hint = did_you_mean(close_matches(value, entries))
            self.add(path, f"unknown {kind} {value!r}{hint}")

    def strategy(self, method_id: str) -> ScoringStrategy | None:
        if method_id not in self.strategies:
            from forsvarlig.scoring import scorer

            try:
                self.strategies[method_id] = scorer(method_id, self.catalogue, registry=self.registry)
            except ForsvarligError:
                self.strategies[method_id] = None
        return self.strategies[method_id]

    def estimate(self, path: tuple[Any, ...], method_id: str, estimate: RiskEstimate) -> None:
        if not estimate.estimated or method_id not in self.catalogue.methods:
            return
        strategy = self.strategy(method_id)
        if strategy is None:
            return
        if isinstance(strategy, TabulatedStrategy) and strategy._accepts(estimate.levels):  # noqa: SLF001
            return
        try:
            strategy.score(estimate.levels)
        except ScoringError as exc:
            where = (*path, "levels", exc.dimension) if exc.dimension else (*path, "levels")
            message = str(exc).removeprefix(f"{method_id}: ")
            self.add(where, message, "level")


def resolve(
    assessment: RiskAssessment, catalogue: Catalogue, *, registry: StrategyRegistry | None = None
) -> None:
    """Check every catalogue id an assessment uses, and every estimate's levels, against a catalogue.

    Args:
        assessment: The assessment.
        catalogue: The catalogue to check against.
        registry: Where to find the methods' strategies; the default one if None.

    Raises:
        ValidationError: Listing every unknown factor, target, template,
            method, band and level, each with its path and the nearest ids.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.assessment import RiskAssessment
        >>> from forsvarlig.hazards import Hazard
        >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1},
        ...                    hazards=(Hazard(id="h", title="Deadlines", factors=("fv.workloa",)),))
        >>> resolve(a, default_catalogue())
        Traceback (most recent call last):
        ...
        forsvarlig.errors.ValidationError: 1 problem:
          $.hazards[0].factors[0]: unknown factor 'fv.workloa' (did you mean 'fv.workload'?)

    Added in version 0.1.
    """
    cat = catalogue
    r = _Resolver(cat, registry)
    for method_id in assessment.methods:
        r.ref(("methods", method_id), "method", cat.methods, method_id)
    for i, judgement in enumerate(assessment.factors):
        r.ref(("factors", i, "factor"), "factor", cat.factors, judgement.factor)
    for i, hazard in enumerate(assessment.hazards):
        for j, factor in enumerate(hazard.factors):
            r.ref(("hazards", i, "factors", j), "factor", cat.factors, factor)
    for i, incident in enumerate(assessment.incidents):
        r.ref(("incidents", i, "factor"), "factor", cat.factors, incident.factor)
    for i, measure in enumerate(assessment.measures):
        r.ref(("measures", i, "target"), "target", cat.targets, measure.target)
        if measure.template is not None:
            r.ref(("measures", i, "template"), "measure template", cat.measure_templates, measure.template)
    for path, owner, estimate in _estimates(assessment):
        r.estimate(path, _method_of(assessment, owner, estimate), estimate)
    if assessment.acceptance is not None:
        _resolve_acceptance(assessment, r)
    if r.problems:
        raise ValidationError(r.problems)


def _resolve_acceptance(assessment: RiskAssessment, r: _Resolver) -> None:
    criteria = assessment.acceptance
    assert criteria is not None  # noqa: S101 - the caller checked
    band_set_id = criteria.band_set
    if band_set_id is None:
        strategy = r.strategy(assessment.method)
        if strategy is None:
            return
        bands = strategy.bands
    elif band_set_id in r.catalogue.band_sets:
        bands = r.catalogue.band_set(band_set_id)
    else:
        r.ref(("acceptance", "band_set"), "band set", r.catalogue.band_sets, band_set_id)
        return
    if criteria.action_band not in bands:
        hint = did_you_mean(close_matches(criteria.action_band, bands.ids) or bands.ids)
        r.add(
            ("acceptance", "action_band"),
            f"the band set {bands.id} has no band {criteria.action_band!r}{hint}",
        )


# ---------------------------------------------------------------------------
# The risk register.


@attrs.frozen(kw_only=True, hash=False)
class RegisterRow:
    """One hazard in the risk register: its three estimates scored, side by side.

    Args:
        rank: Its place in the register, 1 for the highest risk.
        hazard: The hazard's id.
        title: Its title.
        factors: The factors it concerns.
        inherent: The inherent estimate's score, if estimated.
        current: The current estimate's score, if estimated.
        residual: The residual estimate's score, if estimated — the latest
            evaluation's re-assessed estimate where there is one.
        residual_from: Where the residual comes from: `estimate`, or the id of
            the measure whose evaluation re-assessed it; None without one.
        status: `estimated`, `not-relevant` or `postponed`, for the hazard's
            current (else inherent) estimate; None without estimates.
        measures: The ids of the measures acting on it, sorted.

    Examples:
        >>> RegisterRow(rank=1, hazard="h", title="Deadlines", factors=("fv.workload",)).inherent is None
        True

    Added in version 0.1.
    """

    rank: int
    hazard: str
    title: str
    factors: tuple[str, ...]
    inherent: Score | None = None
    current: Score | None = None
    residual: Score | None = None
    residual_from: str | None = None
    status: str | None = None
    measures: tuple[str, ...] = ()

    @property
    def now(self) -> Score | None:
        """The risk as it stands: the current score, else the inherent; None if not relevant or postponed."""
        if self.status is not None and self.status != "estimated":
            return None
        return self.current or self.inherent

    @property
    def after(self) -> Score | None:
        """The risk once measures are done: the residual score, else `now`."""
        if self.status is not None and self.status != "estimated":
            return None
        return self.residual or self.current or self.inherent

    def record(self) -> dict[str, Any]:
        """The row as a flat dict (bands and values of each stage), for pandas.

        `method` and `band_set` are those of the hazard's scores, so that bands
        of different methods are never compared by their ids alone.
        """
        scored = self.current or self.inherent or self.residual
        out: dict[str, Any] = {
            "rank": self.rank,
            "hazard": self.hazard,
            "title": self.title,
            "method": None if scored is None else scored.method,
            "band_set": None if scored is None else scored.band_set,
        }
        for stage in ("inherent", "current", "residual"):
            score = getattr(self, stage)
            out[f"{stage}_band"] = None if score is None else score.band
            out[f"{stage}_value"] = None if score is None else score.value
        out["status"] = self.status
        return out


def _score(r: _Resolver, method_id: str, estimate: RiskEstimate | None) -> Score | None:
    if estimate is None or not estimate.estimated:
        return None
    strategy = r.strategy(method_id)
    if strategy is None:
        raise UnknownReferenceError("method", method_id, close_matches(method_id, r.catalogue.methods))
    return strategy.score(estimate.levels)


def _latest_evaluation(assessment: RiskAssessment, hazard: Hazard) -> tuple[Evaluation, Measure] | None:
    latest: tuple[Evaluation, Measure] | None = None
    for measure in assessment.measures_for(hazard.id):
        for evaluation in assessment.evaluations_of(measure.id):
            if evaluation.estimate is None or (evaluation.hazard not in (None, hazard.id)):
                continue
            # The latest wins; on the same day, the later measure id (so that the
            # order measures are written in never matters).
            if latest is None or (evaluation.on, measure.id) >= (latest[0].on, latest[1].id):
                latest = (evaluation, measure)
    return latest


def _sort_key(row: RegisterRow) -> tuple[Any, ...]:
    def key(score: Score | None) -> tuple[int, float]:
        return (-1, 0.0) if score is None else (score.band_rank, score.value)

    primary = row.now
    return (*(-x for x in key(primary)), *(-x for x in key(row.residual)), row.hazard)


def risk_register(
    assessment: RiskAssessment, catalogue: Catalogue, *, registry: StrategyRegistry | None = None
) -> tuple[RegisterRow, ...]:
    """Score every hazard and rank them: the highest current (else inherent) risk first.

    Ties are broken by the residual risk, then by hazard id, so the register
    does not depend on the order hazards are written in. An evaluation's
    re-assessed estimate supersedes the hazard's expected residual one (the
    latest evaluation wins).

    Raises:
        ValidationError: If an id or a level does not resolve (see `resolve`).

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.assessment import RiskAssessment
        >>> from forsvarlig.hazards import Hazard, RiskEstimate
        >>> def est(f, c):
        ...     return RiskEstimate(levels={"frequency": f, "consequence": c})
        >>> a = RiskAssessment(unit="Care", date=dt.date(2026, 3, 2), method="fv.talk-matrix",
        ...     catalogue={"fv": "0.1.0"}, methods={"fv.talk-matrix": 1},
        ...     hazards=(Hazard(id="a", title="Rare injuries", factors=("fv.workload",),
        ...                     current=est("rarely", "injury-illness")),
        ...              Hazard(id="b", title="Daily strain", factors=("fv.workload",),
        ...                     current=est("daily", "complaints"))))
        >>> [(row.rank, row.hazard, row.current.band) for row in risk_register(a, default_catalogue())]
        [(1, 'b', 'high'), (2, 'a', 'low')]

    Added in version 0.1.
    """
    resolve(assessment, catalogue, registry=registry)
    return _register(assessment, catalogue, registry)


def _register(
    assessment: RiskAssessment, catalogue: Catalogue, registry: StrategyRegistry | None
) -> tuple[RegisterRow, ...]:
    """The register of an assessment already resolved against the catalogue."""
    r = _Resolver(catalogue, registry)
    rows = []
    # Scores are values: hazards estimated alike share one (a register of 100,000 hazards
    # on a 4 x 3 matrix makes 12 scores, not 200,000).
    made: dict[tuple[Any, ...], Score | None] = {}
    for hazard in assessment.hazards:

        def score(estimate: RiskEstimate | None, hazard: Hazard = hazard) -> Score | None:
            if estimate is None:
                return None
            method_id = _method_of(assessment, hazard, estimate)
            key = (method_id, estimate.status, *estimate.levels.items())
            if key not in made:
                made[key] = _score(r, method_id, estimate)
            return made[key]

        residual = score(hazard.residual)
        residual_from: str | None = "estimate" if hazard.residual is not None else None
        latest = _latest_evaluation(assessment, hazard)
        if latest is not None:
            evaluation, measure = latest
            residual = score(evaluation.estimate)
            residual_from = measure.id
        shown = hazard.current or hazard.inherent
        rows.append(
            RegisterRow(
                rank=0,
                hazard=hazard.id,
                title=hazard.title,
                factors=hazard.factors,
                inherent=score(hazard.inherent),
                current=score(hazard.current),
                residual=residual,
                residual_from=residual_from,
                status=None if shown is None else shown.status.value,
                measures=tuple(sorted(m.id for m in assessment.measures_for(hazard.id))),
            )
        )
    rows.sort(key=_sort_key)
    for i, row in enumerate(rows):
        object.__setattr__(row, "rank", i + 1)  # rows made here, not yet shared
    return tuple(rows)


# ---------------------------------------------------------------------------
# Overdue, and coverage.


@attrs.frozen(kw_only=True, hash=False)
class Overdue:
    """What is late on a given day.

    Args:
        on: The day.
        measures: Open measures past their due date.
        follow_ups: Measures whose latest evaluation set a next follow-up
            that has passed.
        review: Whether the assessment's next review date has passed.

    Examples:
        >>> import datetime as dt
        >>> Overdue(on=dt.date(2026, 1, 1)).any
        False

    Added in version 0.1.
    """

    on: dt.date
    measures: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    review: bool = False

    @property
    def any(self) -> bool:
        """Whether anything is late."""
        return bool(self.measures or self.follow_ups or self.review)


def overdue(assessment: RiskAssessment, on: dt.date) -> Overdue:
    """What is late on a day: measures past due, follow-ups past their date, the review.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig.assessment import RiskAssessment
        >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1},
        ...                    next_review=dt.date(2027, 1, 5))
        >>> overdue(a, dt.date(2027, 2, 1)).review
        True

    Added in version 0.1.
    """
    late_measures = tuple(m.id for m in assessment.measures if m.overdue(on))
    follow_ups = []
    for measure in assessment.measures:
        evaluations = assessment.evaluations_of(measure.id)
        if evaluations and evaluations[-1].next_follow_up is not None and evaluations[-1].next_follow_up < on:
            follow_ups.append(measure.id)
    review = assessment.next_review is not None and assessment.next_review < on
    return Overdue(on=on, measures=late_measures, follow_ups=tuple(follow_ups), review=review)


def coverage(assessment: RiskAssessment, catalogue: Catalogue) -> dict[str, Coverage]:
    """For every current factor of the catalogue, how the assessment covered it.

    A factor is assessed when a hazard concerns it or its judgement says so;
    otherwise it is not relevant or postponed as judged, or not considered.
    Retired factors are left out, unless the assessment uses them.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.assessment import FactorJudgement, Judgement, RiskAssessment
        >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...     catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1},
        ...     factors=(FactorJudgement(factor="fv.lone-work", judgement=Judgement.NOT_RELEVANT,
        ...                              reason="Nobody works alone"),))
        >>> coverage(a, default_catalogue())["fv.lone-work"].value
        'not-relevant'

    Added in version 0.1.
    """
    judged = {j.factor: j.judgement for j in assessment.factors}
    through_hazards = {f for h in assessment.hazards for f in h.factors}
    out: dict[str, Coverage] = {}
    for factor_id, factor in catalogue.factors.items():
        used = factor_id in judged or factor_id in through_hazards
        if factor.replaced_by is not None and not used:
            continue
        if factor_id in through_hazards or judged.get(factor_id) is Judgement.ASSESSED:
            out[factor_id] = Coverage.ASSESSED
        elif judged.get(factor_id) is Judgement.NOT_RELEVANT:
            out[factor_id] = Coverage.NOT_RELEVANT
        elif judged.get(factor_id) is Judgement.POSTPONED:
            out[factor_id] = Coverage.POSTPONED
        else:
            out[factor_id] = Coverage.NOT_CONSIDERED
    return out
