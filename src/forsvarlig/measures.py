"""Measures (*tiltak*): what is done about hazards, by whom, by when, and on which level.

A `Measure` acts on one or more hazards, at one of the catalogue's targets —
the organisation, a factor, or an outcome — with a prevention level and a
kind. A measure may come from a catalogue `MeasureTemplate`; it is then its
own entry, made concrete with an owner and a due date.

Examples:
    >>> import datetime as dt
    >>> from forsvarlig.factors import MeasureKind, PreventionLevel
    >>> m = Measure(id="pairs-on-evenings", what="Two staff on evening visits to flagged users",
    ...             hazards=("evening-threats",), target="fv.organisation",
    ...             prevention=PreventionLevel.PRIMARY, kind=MeasureKind.REDUCE_LIKELIHOOD,
    ...             owner="leader", due=dt.date(2026, 4, 1))
    >>> m.status.value, m.open
    ('planned', True)
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from forsvarlig._ids import check_id, check_slug
from forsvarlig._serial import FieldError, Meta
from forsvarlig.factors import MeasureKind, PreventionLevel

__all__ = ["Measure", "MeasureScope", "MeasureStatus"]


class MeasureStatus(enum.Enum):
    """Where a measure stands.

    Examples:
        >>> MeasureStatus("in-progress").value
        'in-progress'

    Added in version 0.1.
    """

    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    CANCELLED = "cancelled"


class MeasureScope(enum.Enum):
    """How far a measure reaches: this unit, across units, or the whole organisation.

    Examples:
        >>> MeasureScope("across-units").value
        'across-units'

    Added in version 0.1.
    """

    UNIT = "unit"
    ACROSS_UNITS = "across-units"
    ORGANISATION = "organisation"


@attrs.frozen(kw_only=True, hash=False)
class Measure:
    """A measure (*tiltak*) for one or more hazards.

    Args:
        id: The measure's id, local to the assessment.
        what: What is done, concretely.
        hazards: The ids of the hazards it acts on.
        target: The id of the catalogue target it acts on (`fv.organisation`,
            `fv.factor`, `fv.outcome`).
        prevention: Primary, secondary or tertiary.
        kind: Remove, reduce likelihood or consequence, train, inform, follow up.
        in_place: True for a measure already in place (it shapes the current
            estimate), False for a planned one (the residual estimate).
        owner: Who is responsible: a role, or an opaque reference.
        due: By when.
        status: Planned, in progress, done or cancelled.
        scope: This unit, across units, or the organisation.
        expected_effect: What it should change, so that it can be evaluated.
        template: The id of the catalogue template it came from, if any.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig.factors import MeasureKind, PreventionLevel
        >>> Measure(id="course", what="Stress course", hazards=("deadlines",), target="fv.outcome",
        ...         prevention=PreventionLevel.SECONDARY, kind=MeasureKind.TRAINING).target
        'fv.outcome'

    Added in version 0.1.
    """

    id: str
    what: str
    hazards: tuple[str, ...]
    target: str
    prevention: PreventionLevel
    kind: MeasureKind
    in_place: bool = False
    owner: str | None = None
    due: dt.date | None = None
    status: MeasureStatus = MeasureStatus.PLANNED
    scope: MeasureScope = MeasureScope.UNIT
    expected_effect: str | None = None
    template: str | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_slug("id", self.id)
        for field, kind in (
            ("prevention", PreventionLevel),
            ("kind", MeasureKind),
            ("status", MeasureStatus),
            ("scope", MeasureScope),
        ):
            if not isinstance(getattr(self, field), kind):
                msg = f"expected a {kind.__name__}, got {getattr(self, field)!r}"
                raise FieldError(field, msg, "type")
        if not self.what.strip():
            raise FieldError("what", "say what is done", "value")
        if not self.hazards:
            raise FieldError("hazards", "a measure acts on at least one hazard", "missing")
        for i, hazard in enumerate(self.hazards):
            check_slug(f"hazards.{i}", hazard)
        check_id("target", self.target)
        if self.template is not None:
            check_id("template", self.template)
        if self.owner is not None and not self.owner.strip():
            raise FieldError("owner", "must not be empty", "value")

    @property
    def open(self) -> bool:
        """Whether the measure is still to be carried out (planned or in progress)."""
        status = self.status
        return status is MeasureStatus.PLANNED or status is MeasureStatus.IN_PROGRESS

    def overdue(self, on: dt.date) -> bool:
        """Whether the measure is open past its due date on a given day."""
        return self.open and self.due is not None and self.due < on
