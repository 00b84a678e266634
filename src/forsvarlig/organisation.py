"""The organisation view: what several units' assessments say together.

A unit's assessment answers for the unit. An organisation with many units
also needs to see what recurs, and what must be lifted above the unit — the
talk's closing question: which measures must be planned across sections and
departments? `organisation_view` reads the latest assessment of each unit
and gives:

- per unit: its hazards, its measures, what is overdue, and the spread of its
  residual risk over the bands;
- the factors that recur across units, with the measures scoped across units
  or to the organisation that act on them — and, where there are none, a
  flag that the factor is a candidate to be *lifted*;
- the measures scoped across units or to the organisation, each one measure
  however many units list it (they share its id);
- the units whose follow-up lags.

Examples:
    >>> import datetime as dt
    >>> from forsvarlig import default_catalogue
    >>> from forsvarlig.assessment import RiskAssessment
    >>> from forsvarlig.hazards import Hazard, RiskEstimate
    >>> def unit(name):
    ...     return RiskAssessment(unit=name, date=dt.date(2026, 3, 2), method="fv.talk-matrix",
    ...         catalogue={"fv": "0.1.0"}, methods={"fv.talk-matrix": 1},
    ...         hazards=(Hazard(id="rush", title="Time pressure", factors=("fv.workload",),
    ...             current=RiskEstimate(levels={"frequency": "daily", "consequence": "complaints"})),))
    >>> view = organisation_view([unit("North"), unit("South")], default_catalogue(), on=dt.date(2026, 6, 1))
    >>> [(r.factor, r.units, r.lift) for r in view.recurring]
    [('fv.workload', ('North', 'South'), True)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from forsvarlig.measures import MeasureScope, MeasureStatus
from forsvarlig.queries import _register, overdue, resolve

if TYPE_CHECKING:
    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.queries import RegisterRow
    from forsvarlig.scoring import StrategyRegistry

__all__ = ["OrganisationView", "RecurringFactor", "SharedMeasure", "UnitSummary", "organisation_view"]


@attrs.frozen(kw_only=True, hash=False)
class UnitSummary:
    """One unit in the organisation view: its size, what is late, and its residual risk.

    Args:
        unit: The unit's name.
        date: The date of its assessment.
        status: The assessment's status (`draft`, `in-review`, `approved`).
        revision: Its revision.
        hazards: How many hazards it maps.
        measures: How many measures it lists.
        open_measures: How many of them are planned or in progress.
        overdue_measures: The ids of open measures past their due date.
        overdue_follow_ups: The ids of measures whose next follow-up has passed.
        review_overdue: Whether its next review date has passed.
        residual: How many hazards end in each band, by band set and band id:
            the residual risk, the current where no residual is given (else
            the inherent). Hazards judged not relevant or postponed are not
            counted.
        highest: The highest band they end in, as `(band set, band)`; None
            without estimates.
        highest_rank: That band's rank in its band set.

    Examples:
        >>> import datetime as dt
        >>> UnitSummary(unit="North", date=dt.date(2026, 3, 2), status="draft", revision=1).lag
        0

    Added in version 0.1.
    """

    unit: str
    date: dt.date
    status: str
    revision: int
    hazards: int = 0
    measures: int = 0
    open_measures: int = 0
    overdue_measures: tuple[str, ...] = ()
    overdue_follow_ups: tuple[str, ...] = ()
    review_overdue: bool = False
    residual: dict[str, dict[str, int]] = attrs.field(factory=dict)
    highest: tuple[str, str] | None = None
    highest_rank: int = 0

    @property
    def lag(self) -> int:
        """How far follow-up lags: overdue measures and follow-ups, and an overdue review."""
        return len(self.overdue_measures) + len(self.overdue_follow_ups) + int(self.review_overdue)

    def record(self) -> dict[str, Any]:
        """The unit as a flat dict, for pandas: residual counts in `residual_<band set>.<band>` columns.

        Examples:
            >>> import datetime as dt
            >>> u = UnitSummary(unit="North", date=dt.date(2026, 3, 2), status="draft", revision=1,
            ...                 residual={"fv.three-bands": {"low": 2, "high": 1}},
            ...                 highest=("fv.three-bands", "high"), highest_rank=3)
            >>> {k: v for k, v in u.record().items() if k.startswith("residual_")}
            {'residual_fv.three-bands.low': 2, 'residual_fv.three-bands.high': 1}
        """
        out: dict[str, Any] = {
            "unit": self.unit,
            "date": self.date,
            "status": self.status,
            "revision": self.revision,
            "hazards": self.hazards,
            "measures": self.measures,
            "open_measures": self.open_measures,
            "overdue_measures": len(self.overdue_measures),
            "overdue_follow_ups": len(self.overdue_follow_ups),
            "review_overdue": self.review_overdue,
            "lag": self.lag,
            "highest": None if self.highest is None else self.highest[1],
            "highest_set": None if self.highest is None else self.highest[0],
        }
        for band_set, counts in self.residual.items():
            for band, n in counts.items():
                out[f"residual_{band_set}.{band}"] = n
        return out


@attrs.frozen(kw_only=True, hash=False)
class RecurringFactor:
    """A factor assessed through hazards in several units.

    Args:
        factor: The factor's id.
        units: The units with hazards concerning it, sorted.
        hazards: How many such hazards there are in all.
        highest: The highest current (else inherent) band among them, by unit,
            as `(band set, band)`.
        shared: The ids of measures scoped across units or to the
            organisation that act on those hazards, sorted.
        lift: Whether the factor recurs in enough units and no shared measure
            acts on it: a candidate for measures above the unit.

    Examples:
        >>> RecurringFactor(factor="fv.workload", units=("North", "South"), hazards=2, lift=True).lift
        True

    Added in version 0.1.
    """

    factor: str
    units: tuple[str, ...]
    hazards: int
    highest: dict[str, tuple[str, str]] = attrs.field(factory=dict)
    shared: tuple[str, ...] = ()
    lift: bool = False

    def record(self) -> dict[str, Any]:
        """The factor as a flat dict, for pandas."""
        return {
            "factor": self.factor,
            "units": len(self.units),
            "hazards": self.hazards,
            "shared": len(self.shared),
            "lift": self.lift,
        }


@attrs.frozen(kw_only=True, hash=False)
class SharedMeasure:
    """A measure scoped across units or to the organisation: one measure, however many units list it.

    Units list a shared measure under the same id; its text, target and scope
    are taken from the first unit (by name) that lists it.

    Args:
        id: The measure's id.
        what: What is done.
        scope: Across units, or the organisation.
        target: The catalogue target it acts on.
        units: The units that list it, sorted.
        factors: The factors of the hazards it acts on, in all those units.
        owners: Its owners, as the units give them.
        due: The earliest due date any unit gives.
        open_in: The units where it is still planned or in progress.
        overdue_in: The units where it is open past its due date.
        cancelled_in: The units where it is cancelled; where it is cancelled
            in every unit, it acts on no factor.

    Examples:
        >>> SharedMeasure(id="alarm", what="One alarm system", scope="organisation",
        ...               target="fv.organisation", units=("North",)).overdue_in
        ()

    Added in version 0.1.
    """

    id: str
    what: str
    scope: str
    target: str
    units: tuple[str, ...]
    factors: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    due: dt.date | None = None
    open_in: tuple[str, ...] = ()
    overdue_in: tuple[str, ...] = ()
    cancelled_in: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        """The measure as a flat dict, for pandas."""
        return {
            "id": self.id,
            "what": self.what,
            "scope": self.scope,
            "target": self.target,
            "units": len(self.units),
            "due": self.due,
            "open_in": len(self.open_in),
            "overdue_in": len(self.overdue_in),
            "cancelled_in": len(self.cancelled_in),
        }


@attrs.frozen(kw_only=True, hash=False)
class OrganisationView:
    """Several units' assessments read together, on a given day.

    Args:
        on: The day (what is overdue is judged against it).
        units: One summary per unit, by name.
        recurring: The factors assessed in at least two units, the most
            widespread first.
        shared: The measures scoped across units or to the organisation, by id.
        bands: Every residual band seen, lowest first, as `(band set, band)`
            pairs.
        superseded: Assessments left out because a later one of the same unit
            was given (`(unit, revision)` pairs).

    Examples:
        >>> import datetime as dt
        >>> OrganisationView(on=dt.date(2026, 6, 1)).lagging
        ()

    Added in version 0.1.
    """

    on: dt.date
    units: tuple[UnitSummary, ...] = ()
    recurring: tuple[RecurringFactor, ...] = ()
    shared: tuple[SharedMeasure, ...] = ()
    bands: tuple[tuple[str, str], ...] = ()
    superseded: tuple[tuple[str, int], ...] = ()

    @property
    def lagging(self) -> tuple[UnitSummary, ...]:
        """The units whose follow-up lags, the furthest behind first."""
        late = [u for u in self.units if u.lag]
        return tuple(sorted(late, key=lambda u: (-u.lag, u.unit)))

    @property
    def residual(self) -> dict[str, dict[str, int]]:
        """How many hazards end in each band, across all units, by band set, lowest band first."""
        totals: dict[str, dict[str, int]] = {}
        for band_set, band in self.bands:
            totals.setdefault(band_set, {})[band] = 0
        for unit in self.units:
            for band_set, counts in unit.residual.items():
                for band, n in counts.items():
                    totals[band_set][band] += n
        return totals

    @property
    def lift(self) -> tuple[RecurringFactor, ...]:
        """The recurring factors no shared measure acts on: candidates for measures above the unit."""
        return tuple(r for r in self.recurring if r.lift)


def _latest(assessments: Iterable[RiskAssessment]) -> tuple[list[RiskAssessment], list[tuple[str, int]]]:
    """The latest assessment of each unit (highest revision, then latest date), and those left out."""
    from forsvarlig.errors import ForsvarligError

    by_unit: dict[str, list[RiskAssessment]] = {}
    for a in assessments:
        by_unit.setdefault(a.unit, []).append(a)
    latest, superseded = [], []
    for unit in sorted(by_unit):
        ranked = sorted(by_unit[unit], key=lambda a: (a.revision, a.date), reverse=True)
        if len(ranked) > 1 and (ranked[0].revision, ranked[0].date) == (ranked[1].revision, ranked[1].date):
            msg = (
                f"two assessments of the unit {unit!r} have revision {ranked[0].revision} and date"
                f" {ranked[0].date}: give one, or tell them apart by revision"
            )
            raise ForsvarligError(msg)
        latest.append(ranked[0])
        superseded += [(a.unit, a.revision) for a in ranked[1:]]
    return latest, sorted(superseded)


def organisation_view(
    assessments: Iterable[RiskAssessment],
    catalogue: Catalogue,
    *,
    on: dt.date,
    lift_at: int = 2,
    registry: StrategyRegistry | None = None,
) -> OrganisationView:
    """Read several units' assessments together: what recurs, what is shared, who lags, the residual spread.

    Args:
        assessments: The units' assessments, one unit per name; where a unit
            has several, the highest revision (then the latest date) is read and
            the others are listed as superseded.
        catalogue: The catalogue they are checked and scored against.
        on: The day overdue is judged against.
        lift_at: In how many units a factor must recur, with no shared
            measure acting on it, to be flagged to be lifted (2 or more;
            default 2).
        registry: Where to find the methods' strategies; the default one if None.

    Raises:
        ValidationError: If an assessment does not resolve against the
            catalogue; each problem's source names the unit.
        ForsvarligError: If `lift_at` is below 2, or two assessments of a unit
            have the same revision and date.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import default_catalogue
        >>> organisation_view([], default_catalogue(), on=dt.date(2026, 6, 1)).units
        ()

    Added in version 0.1.
    """
    from forsvarlig.errors import ForsvarligError, ValidationError

    if lift_at.__class__ is not int or lift_at < 2:
        msg = f"lift_at is the number of units a factor must recur in: 2 or more, not {lift_at!r}"
        raise ForsvarligError(msg)
    latest, superseded = _latest(assessments)
    gather = _Gather(on)
    for a in latest:
        try:
            resolve(a, catalogue, registry=registry)
        except ValidationError as exc:
            named = (attrs.evolve(p, source=p.source or a.unit) for p in exc.problems)
            raise ValidationError(named) from None
        gather.unit(a, _register(a, catalogue, registry))
        gather.measures(a)
    return OrganisationView(
        on=on,
        units=tuple(gather.units),
        recurring=gather.recurring(lift_at),
        shared=gather.shared_measures(),
        bands=tuple(sorted(gather.bands, key=lambda k: (gather.bands[k], k))),
        superseded=tuple(superseded),
    )


class _Gather:
    """What one pass over the units collects."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.units: list[UnitSummary] = []
        self.bands: dict[tuple[str, str], int] = {}
        self.factor_units: dict[str, set[str]] = {}
        self.factor_hazards: dict[str, int] = {}
        self.factor_highest: dict[str, dict[str, tuple[int, str, str]]] = {}
        self.factor_shared: dict[str, set[str]] = {}
        self.shared: dict[str, dict[str, Any]] = {}

    def unit(self, a: RiskAssessment, rows: tuple[RegisterRow, ...]) -> None:
        residual: dict[str, dict[str, int]] = {}
        highest: tuple[int, str, str] | None = None
        for row in rows:
            final = row.after
            if final is not None:
                self.bands[(final.band_set, final.band)] = final.band_rank
                counts = residual.setdefault(final.band_set, {})
                counts[final.band] = counts.get(final.band, 0) + 1
                here = (final.band_rank, final.band_set, final.band)
                highest = here if highest is None else max(highest, here)
            shown = row.now
            for factor in row.factors:
                self.factor_units.setdefault(factor, set()).add(a.unit)
                self.factor_hazards[factor] = self.factor_hazards.get(factor, 0) + 1
                if shown is not None:
                    best = self.factor_highest.setdefault(factor, {})
                    mine = (shown.band_rank, shown.band_set, shown.band)
                    best[a.unit] = max(best.get(a.unit, mine), mine)
        late = overdue(a, self.on)
        self.units.append(
            UnitSummary(
                unit=a.unit,
                date=a.date,
                status=a.status.value,
                revision=a.revision,
                hazards=len(a.hazards),
                measures=len(a.measures),
                open_measures=sum(m.open for m in a.measures),
                overdue_measures=late.measures,
                overdue_follow_ups=late.follow_ups,
                review_overdue=late.review,
                residual={
                    band_set: dict(sorted(counts.items(), key=lambda kv: self.bands[(band_set, kv[0])]))
                    for band_set, counts in sorted(residual.items())
                },
                highest=None if highest is None else (highest[1], highest[2]),
                highest_rank=0 if highest is None else highest[0],
            )
        )

    def measures(self, a: RiskAssessment) -> None:
        hazard_factors = {h.id: h.factors for h in a.hazards}
        for m in a.measures:
            if m.scope is MeasureScope.UNIT:
                continue
            entry = self.shared.setdefault(
                m.id, {"measure": m, "units": set(), "factors": set(), "owners": set(), "due": []}
            )
            entry["units"].add(a.unit)
            entry.setdefault("open", set())
            entry.setdefault("late", set())
            entry.setdefault("cancelled", set())
            if m.status is MeasureStatus.CANCELLED:
                entry["cancelled"].add(a.unit)
                continue
            if m.owner:
                entry["owners"].add(m.owner)
            if m.due is not None:
                entry["due"].append(m.due)
            if m.open:
                entry["open"].add(a.unit)
            if m.overdue(self.on):
                entry["late"].add(a.unit)
            for hazard_id in m.hazards:
                for factor in hazard_factors.get(hazard_id, ()):
                    entry["factors"].add(factor)
                    self.factor_shared.setdefault(factor, set()).add(m.id)

    def recurring(self, lift_at: int) -> tuple[RecurringFactor, ...]:
        out = []
        for factor, where in self.factor_units.items():
            if len(where) < 2:  # recurring means in two units or more
                continue
            on_it = tuple(sorted(self.factor_shared.get(factor, ())))
            out.append(
                RecurringFactor(
                    factor=factor,
                    units=tuple(sorted(where)),
                    hazards=self.factor_hazards[factor],
                    highest={
                        u: (bs, b) for u, (_, bs, b) in sorted(self.factor_highest.get(factor, {}).items())
                    },
                    shared=on_it,
                    lift=len(where) >= lift_at and not on_it,
                )
            )
        out.sort(key=lambda r: (-len(r.units), -r.hazards, r.factor))
        return tuple(out)

    def shared_measures(self) -> tuple[SharedMeasure, ...]:
        out = []
        for measure_id in sorted(self.shared):
            e = self.shared[measure_id]
            m = e["measure"]
            out.append(
                SharedMeasure(
                    id=m.id,
                    what=m.what,
                    scope=m.scope.value,
                    target=m.target,
                    units=tuple(sorted(e["units"])),
                    factors=tuple(sorted(e["factors"])),
                    owners=tuple(sorted(e["owners"])),
                    due=min(e["due"], default=None),
                    open_in=tuple(sorted(e["open"])),
                    overdue_in=tuple(sorted(e["late"])),
                    cancelled_in=tuple(sorted(e["cancelled"])),
                )
            )
        return tuple(out)
