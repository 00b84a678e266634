"""Evaluations: whether a measure was carried out, what it achieved, and the risk re-assessed.

Examples:
    >>> import datetime as dt
    >>> e = Evaluation(measure="pairs-on-evenings", on=dt.date(2026, 9, 1), implemented=True,
    ...                effect=EffectAchieved.YES)
    >>> e.effect.value
    'yes'
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from forsvarlig._ids import check_slug
from forsvarlig._serial import FieldError, Meta
from forsvarlig.hazards import RiskEstimate

__all__ = ["EffectAchieved", "Evaluation"]


class EffectAchieved(enum.Enum):
    """Whether a measure achieved the effect expected of it.

    Examples:
        >>> EffectAchieved("partly").value
        'partly'

    Added in version 0.1.
    """

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True, hash=False)
class Evaluation:
    """The follow-up of one measure.

    The re-assessed estimate supersedes the hazard's expected residual
    estimate; the latest evaluation of a hazard's measures wins.

    Args:
        measure: The id of the measure evaluated.
        on: When it was evaluated.
        implemented: Whether the measure was carried out.
        effect: Whether it achieved the effect expected of it.
        achieved: What it achieved, against what was expected.
        estimate: The risk of the measure's hazards, re-assessed.
        hazard: Which of the measure's hazards `estimate` is for, when it
            acts on more than one.
        notes: Anything else.
        next_follow_up: When to look again.
        by: Who evaluated, by role.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> import datetime as dt
        >>> Evaluation(measure="course", on=dt.date(2026, 6, 1), implemented=False).implemented
        False

    Added in version 0.1.
    """

    measure: str
    on: dt.date
    implemented: bool
    effect: EffectAchieved = EffectAchieved.UNKNOWN
    achieved: str | None = None
    estimate: RiskEstimate | None = None
    hazard: str | None = None
    notes: str | None = None
    next_follow_up: dt.date | None = None
    by: str | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_slug("measure", self.measure)
        if self.hazard is not None:
            check_slug("hazard", self.hazard)
        if self.by is not None:
            check_slug("by", self.by)
        if self.next_follow_up is not None and self.next_follow_up < self.on:
            raise FieldError("next_follow_up", "the next follow-up comes after the evaluation", "value")
