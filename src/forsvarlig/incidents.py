"""Incident statistics: registered incidents per factor and period, and the frequency they suggest.

An assessment lists the incidents it draws on (violence, threats,
harassment…). `incident_statistics` counts them per factor and calendar
period, turns each count into events per year, and finds the level of the
frequency scale that rate falls in — beside the frequency the unit itself
estimated for the hazards concerning that factor.

The suggested level is a **lower bound**. Violence, threats and harassment
are under-reported, so the true frequency is at least what the register
shows; and a period not yet over is counted as if it were (its rate divides
by the whole period), and a period shorter than a year is read as "at least
this many in a year" — a busy month is never scaled up to a year. So the rate
never overstates. An estimate *below* the suggested level is one the unit
should look at again; one above it is not contradicted by the register.

Examples:
    >>> import datetime as dt
    >>> from forsvarlig import default_catalogue
    >>> from forsvarlig.assessment import RiskAssessment
    >>> from forsvarlig.hazards import Hazard, Incident, RiskEstimate
    >>> threats = [Incident(id=f"t{i}", date=dt.date(2026, 1 + i, 10), factor="fv.violence-threats")
    ...            for i in range(6)]
    >>> a = RiskAssessment(unit="Home care", date=dt.date(2026, 3, 2), method="fv.incident-matrix",
    ...     catalogue={"fv": "0.1.0"}, methods={"fv.incident-matrix": 1}, incidents=tuple(threats),
    ...     hazards=(Hazard(id="threats", title="Threats on visits", factors=("fv.violence-threats",),
    ...         current=RiskEstimate(levels={"frequency": "rarely", "severity": "serious"})),))
    >>> (row,) = incident_statistics(a, default_catalogue())
    >>> row.count, row.per_year, row.suggested, row.estimated, row.below
    (6, 6.0, 'monthly-yearly', 'rarely', True)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from forsvarlig.errors import ForsvarligError
from forsvarlig.scales import ScaleKind

if TYPE_CHECKING:
    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.hazards import Hazard, Incident
    from forsvarlig.scales import Scale
    from forsvarlig.scoring import StrategyRegistry

__all__ = ["IncidentPeriod", "IncidentStatistics", "incident_statistics", "suggested_level"]

_DAYS_PER_YEAR = 365.2425


class IncidentPeriod(enum.Enum):
    """The calendar periods incidents are counted in.

    Examples:
        >>> IncidentPeriod("quarter").months
        3

    Added in version 0.1.
    """

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def months(self) -> int:
        """The period's length in months."""
        return {"year": 12, "half": 6, "quarter": 3, "month": 1}[self.value]

    def start_of(self, day: dt.date) -> dt.date:
        """The first day of the period that contains a day."""
        month = (day.month - 1) // self.months * self.months + 1
        return dt.date(day.year, month, 1)

    def after(self, start: dt.date) -> dt.date:
        """The first day of the next period."""
        month = start.month - 1 + self.months
        return dt.date(start.year + month // 12, month % 12 + 1, 1)

    def name_of(self, start: dt.date) -> str:
        """The period as people write it: `2026`, `2026-H1`, `2026-Q2`, `2026-05`."""
        if self is IncidentPeriod.YEAR:
            return str(start.year)
        if self is IncidentPeriod.HALF:
            return f"{start.year}-H{1 + (start.month - 1) // 6}"
        if self is IncidentPeriod.QUARTER:
            return f"{start.year}-Q{1 + (start.month - 1) // 3}"
        return f"{start.year}-{start.month:02d}"


@attrs.frozen(kw_only=True, hash=False)
class IncidentStatistics:
    """The incidents registered for one factor in one period, and what they say of one hazard's estimate.

    Args:
        factor: The factor's id.
        period: The period's name (`2026`, `2026-Q2`).
        start: Its first day.
        end: Its last day.
        count: The incidents registered for the factor in the period.
        per_year: The count as events per year: over the whole period for a
            year, and the count itself for a shorter period (those incidents
            happened within a year, so the year had at least as many).
        severities: How many of them at each severity level; incidents
            without a severity are not in it.
        hazard: The hazard concerning the factor whose estimate is
            compared; None where no hazard concerns it (the assessment's
            default method is used for the suggestion).
        dimension: The method's frequency dimension (`frequency`); None
            where the method has none.
        scale: The frequency scale compared on; None where the method has no
            frequency dimension.
        suggested: The level of that scale the rate falls in, as a lower
            bound; None without incidents, or where the scale has no bounds.
        estimated: The hazard's current (else inherent) frequency level.
        below: Whether the estimate is below the suggested level.

    Examples:
        >>> import datetime as dt
        >>> row = IncidentStatistics(factor="fv.harassment", period="2026", start=dt.date(2026, 1, 1),
        ...                          end=dt.date(2026, 12, 31), count=3, per_year=3.0)
        >>> row.record()["suggested"] is None
        True

    Added in version 0.1.
    """

    factor: str
    period: str
    start: dt.date
    end: dt.date
    count: int
    per_year: float
    severities: dict[str, int] = attrs.field(factory=dict)
    hazard: str | None = None
    dimension: str | None = None
    scale: str | None = None
    suggested: str | None = None
    estimated: str | None = None
    below: bool = False

    def record(self) -> dict[str, Any]:
        """The row as a flat dict, for pandas (severities as `severity_<level>` columns)."""
        out: dict[str, Any] = {
            "factor": self.factor,
            "period": self.period,
            "start": self.start,
            "end": self.end,
            "count": self.count,
            "per_year": self.per_year,
            "hazard": self.hazard,
            "dimension": self.dimension,
            "scale": self.scale,
            "suggested": self.suggested,
            "estimated": self.estimated,
            "below": self.below,
        }
        for level, n in self.severities.items():
            out[f"severity_{level}"] = n
        return out


def suggested_level(scale: Scale, per_year: float) -> str | None:
    """The level of a frequency scale whose bounds hold a rate; None where the scale has no bounds.

    A rate on a boundary belongs to the higher level; a rate past the top
    level's upper bound to the top level; a rate of zero suggests nothing.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> scale = default_catalogue().scale("fv.talk-frequency")
        >>> suggested_level(scale, 24.0), suggested_level(scale, 0.5), suggested_level(scale, 5000.0)
        ('weekly', 'rarely', 'daily')

    Added in version 0.1.
    """
    if per_year <= 0 or not scale.has_bounds:
        return None
    found = scale.levels[0].id
    for level in scale.levels:
        assert level.bounds is not None  # noqa: S101 - has_bounds said so
        if per_year >= level.bounds[0]:
            found = level.id
    return found


class Frequency:
    """The frequency dimension of each method, found once."""

    def __init__(self, catalogue: Catalogue, registry: StrategyRegistry | None) -> None:
        self.catalogue = catalogue
        self.registry = registry
        self.found: dict[str, tuple[str, Scale] | None] = {}

    def of(self, method_id: str) -> tuple[str, Scale] | None:
        if method_id not in self.found:
            from forsvarlig.scoring import scorer

            try:
                strategy = scorer(method_id, self.catalogue, registry=self.registry)
            except ForsvarligError:
                self.found[method_id] = None
            else:
                self.found[method_id] = next(
                    ((d, s) for d, s in strategy.dimensions.items() if s.kind is ScaleKind.FREQUENCY), None
                )
        return self.found[method_id]


def _period(period: IncidentPeriod | str) -> IncidentPeriod:
    try:
        return IncidentPeriod(period)
    except ValueError:
        msg = f"unknown period {period!r}: use year, half, quarter or month"
        raise ForsvarligError(msg) from None


def rate_per_year(count: int, start: dt.date, end: dt.date) -> float:
    """Events per year from `start` to `end` (both included); within less than a year, the count itself."""
    return count / max(1.0, ((end - start).days + 1) / _DAYS_PER_YEAR)


def _periods(period: IncidentPeriod, first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    start = period.start_of(first)
    while start <= last:
        after = period.after(start)
        yield start, after
        start = after


def incident_statistics(
    assessment: RiskAssessment,
    catalogue: Catalogue,
    *,
    period: IncidentPeriod | str = IncidentPeriod.YEAR,
    registry: StrategyRegistry | None = None,
) -> tuple[IncidentStatistics, ...]:
    """Count an assessment's incidents per factor and period, and compare with its estimates.

    Every calendar period from the one holding the first incident (or the
    start of the assessment's period, if earlier) to the one holding the
    last (or the end of the assessment's period, if later) has a row for
    each factor with incidents, so quiet periods show as zero. Each row
    compares with one hazard concerning the factor — a row per hazard — on
    the frequency scale of that hazard's method; a factor no hazard concerns
    is compared on the default method's scale, with no estimate.

    Args:
        assessment: The assessment, with its incidents.
        catalogue: The catalogue its methods come from.
        period: Year, half, quarter or month.
        registry: Where to find the methods' strategies; the default one if None.

    Returns:
        The rows, by factor, then period, then hazard.

    Raises:
        ForsvarligError: For an unknown period.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.assessment import RiskAssessment
        >>> from forsvarlig.hazards import Incident
        >>> a = RiskAssessment(unit="Shop", date=dt.date(2026, 3, 2), method="fv.talk-matrix",
        ...     catalogue={"fv": "0.1.0"}, methods={"fv.talk-matrix": 1},
        ...     incidents=(Incident(id="x1", date=dt.date(2026, 5, 4), factor="fv.harassment"),))
        >>> [(r.period, r.count, r.per_year, r.suggested)
        ...  for r in incident_statistics(a, default_catalogue(), period="half")]
        [('2026-H1', 1, 1.0, 'monthly-yearly')]

    Added in version 0.1.
    """
    period = _period(period)
    frequency = Frequency(catalogue, registry)
    hazards_of = _hazards_by_factor(assessment)
    rows: list[IncidentStatistics] = []
    for t in tallies(assessment, period):
        common: dict[str, Any] = {
            "factor": t.factor,
            "period": period.name_of(t.start),
            "start": t.start,
            "end": t.after - dt.timedelta(days=1),
            "count": t.n,
            "per_year": t.per_year,
            "severities": t.severities,
        }
        related = sorted(hazards_of.get(t.factor, []), key=lambda h: h.id)
        compared: list[Hazard | None] = [*related] if related else [None]
        for hazard in compared:
            judged = judge(assessment, hazard, frequency, t.per_year)
            if judged is None:
                rows.append(IncidentStatistics(hazard=None if hazard is None else hazard.id, **common))
                continue
            dimension, scale, suggested, estimated, below = judged
            rows.append(
                IncidentStatistics(
                    hazard=None if hazard is None else hazard.id,
                    dimension=dimension,
                    scale=scale.id,
                    suggested=suggested,
                    estimated=estimated,
                    below=below,
                    **common,
                )
            )
    return tuple(rows)


class Tally(NamedTuple):
    """The incidents of one factor in one period (private: the rows' shared part)."""

    factor: str
    start: dt.date
    after: dt.date
    n: int
    per_year: float
    severities: dict[str, int]


def tallies(assessment: RiskAssessment, period: IncidentPeriod) -> list[Tally]:
    """Count the incidents per factor and period, factors sorted, periods in order."""
    if not assessment.incidents:
        return []
    by_factor: dict[str, list[Incident]] = {}
    for incident in assessment.incidents:
        by_factor.setdefault(incident.factor, []).append(incident)
    dates = [x.date for x in assessment.incidents]
    first = min(dates + [d for d in (assessment.period_from,) if d is not None])
    last = max(dates + [d for d in (assessment.period_to,) if d is not None])
    spans = list(_periods(period, first, last))
    out = []
    for factor in sorted(by_factor):
        incidents = by_factor[factor]
        for start, after in spans:
            inside = [x for x in incidents if start <= x.date < after]
            severities: dict[str, int] = {}
            for x in inside:
                if x.severity is not None:
                    severities[x.severity] = severities.get(x.severity, 0) + 1
            rate = round(rate_per_year(len(inside), start, after - dt.timedelta(days=1)), 2)
            out.append(Tally(factor, start, after, len(inside), rate, dict(sorted(severities.items()))))
    return out


def _hazards_by_factor(assessment: RiskAssessment) -> dict[str, list[Hazard]]:
    out: dict[str, list[Hazard]] = {}
    for hazard in assessment.hazards:
        for factor in hazard.factors:
            out.setdefault(factor, []).append(hazard)
    return out


def judge(
    assessment: RiskAssessment, hazard: Hazard | None, frequency: Frequency, per_year: float
) -> tuple[str, Scale, str | None, str | None, bool] | None:
    """Compare a rate with a hazard's estimate: (dimension, scale, suggested, estimated, below).

    None where the hazard's method has no frequency dimension.
    """
    estimate = None if hazard is None else (hazard.current or hazard.inherent)
    method_id = (
        (estimate.method if estimate is not None else None)
        or (hazard.method if hazard is not None else None)
        or assessment.method
    )
    found = frequency.of(method_id)
    if found is None:
        return None
    dimension, scale = found
    suggested = suggested_level(scale, per_year)
    estimated = None
    if estimate is not None and estimate.estimated:
        estimated = estimate.levels.get(dimension)
    below = (
        suggested is not None
        and estimated is not None
        and estimated in scale
        and scale.rank(estimated) < scale.rank(suggested)
    )
    return dimension, scale, suggested, estimated, below
