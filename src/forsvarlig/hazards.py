"""What mapping finds: hazards, the evidence behind them, registered incidents, and risk estimates.

A `Hazard` is a concrete hazard or problem in one unit — a *state* of one or
more catalogue factors in a context — with the `Evidence` it rests on and up
to three `RiskEstimate`s: inherent (as if nothing were done), current (with
the measures in place) and residual (expected once planned measures are in
place). An `Incident` is a registered event (violence, threats, harassment…),
recorded by role and unit, never by name.

Text written by the people doing the assessment (titles, rationales,
summaries) is a plain string in the language they wrote it in; ids of
catalogue entries are checked against a catalogue when the assessment is
resolved or reviewed, not when it is read.

Examples:
    >>> import datetime as dt
    >>> estimate = RiskEstimate(levels={"frequency": "weekly", "consequence": "injury-illness"},
    ...                         rationale="Threats most weeks on the evening round", by="leader",
    ...                         on=dt.date(2026, 3, 2), knowledge=KnowledgeStrength.MODERATE)
    >>> hazard = Hazard(id="evening-threats", title="Threats on evening visits",
    ...                 factors=("fv.violence-threats",), current=estimate)
    >>> hazard.current.levels["frequency"]
    'weekly'
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs

from forsvarlig._ids import check_id, check_slug
from forsvarlig._serial import FieldError, Meta

__all__ = [
    "MIN_GROUP_SIZE",
    "EstimateStatus",
    "Evidence",
    "EvidenceKind",
    "Hazard",
    "Incident",
    "KnowledgeStrength",
    "RiskEstimate",
]

#: The smallest group a survey's results may describe: smaller groups would let
#: answers be traced to people. It is forsvarlig's own default; no source sets it.
MIN_GROUP_SIZE: Final = 5


class EvidenceKind(enum.Enum):
    """Where knowledge of a hazard came from (the talk's sources for mapping).

    Examples:
        >>> EvidenceKind("deviation").is_survey
        False

    Added in version 0.1.
    """

    SURVEY = "survey"
    DEVIATION = "deviation"
    RESEARCH = "research"
    REPRESENTATIVES = "representatives"
    TARGETED_SURVEY = "targeted-survey"
    INTERVIEWS = "interviews"
    OBSERVATION = "observation"

    @property
    def is_survey(self) -> bool:
        """Whether the evidence is a survey, whose results carry a group size."""
        return self in {EvidenceKind.SURVEY, EvidenceKind.TARGETED_SURVEY}


class KnowledgeStrength(enum.Enum):
    """How strong the knowledge behind an estimate is.

    Examples:
        >>> KnowledgeStrength("weak").value
        'weak'

    Added in version 0.1.
    """

    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"


class EstimateStatus(enum.Enum):
    """Whether a risk was estimated, judged not relevant here, or postponed.

    Examples:
        >>> EstimateStatus("not-relevant").value
        'not-relevant'

    Added in version 0.1.
    """

    ESTIMATED = "estimated"
    NOT_RELEVANT = "not-relevant"
    POSTPONED = "postponed"


def _check_text(field: str, value: str | None, *, required: bool = False) -> None:
    if value is None:
        if required:
            raise FieldError(field, "required, but missing", "missing")
        return
    if not value.strip():
        raise FieldError(field, "must not be empty", "value")


@attrs.frozen(kw_only=True, hash=False)
class Evidence:
    """What a hazard rests on: a survey, a reported deviation, research, representatives' input, ….

    Args:
        kind: Where the knowledge came from.
        summary: What it shows, in a sentence or two.
        reference: Where to find it (a report id, a case number, a link).
        date: When it was gathered or reported.
        group_size: For a survey: how many answered. Refused below
            `MIN_GROUP_SIZE` (5), since smaller groups could be identified.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> Evidence(kind=EvidenceKind.SURVEY, summary="Time pressure scored low", group_size=12).group_size
        12

    Added in version 0.1.
    """

    kind: EvidenceKind
    summary: str
    reference: str | None = None
    date: dt.date | None = None
    group_size: int | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.kind, EvidenceKind):
            raise FieldError("kind", f"expected an evidence kind, got {self.kind!r}", "type")
        _check_text("summary", self.summary, required=True)
        if self.group_size is not None:
            if self.group_size.__class__ is not int:
                raise FieldError("group_size", f"expected a whole number, got {self.group_size!r}", "type")
            if self.group_size < MIN_GROUP_SIZE:
                msg = (
                    f"a group of {self.group_size} is below the minimum of {MIN_GROUP_SIZE}: results from"
                    " so few people could be traced to them; merge groups or leave the figures out"
                )
                raise FieldError("group_size", msg, "privacy")
        elif self.kind.is_survey:
            raise FieldError(
                "group_size", "a survey's evidence gives the size of the group that answered", "missing"
            )


@attrs.frozen(kw_only=True, hash=False)
class RiskEstimate:
    """A risk estimate: the level of each dimension of a method, and why; or not relevant; or postponed.

    Args:
        levels: The level id of each dimension (`frequency`, `consequence`, …)
            of the method (the assessment's default, or `method`). Empty
            unless the status is `estimated`.
        status: Estimated, not relevant here, or postponed.
        method: The id of the method, when it is not the assessment's
            default (or the hazard's).
        rationale: Why these levels.
        reason: Why not relevant, or why postponed.
        by: Who made the estimate, by role (`safety-representative`, …).
        on: When.
        knowledge: How strong the knowledge behind it is.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> RiskEstimate(status=EstimateStatus.NOT_RELEVANT, reason="No evening work").status.value
        'not-relevant'

    Added in version 0.1.
    """

    levels: dict[str, str] = attrs.field(factory=dict)
    status: EstimateStatus = EstimateStatus.ESTIMATED
    method: str | None = None
    rationale: str | None = None
    reason: str | None = None
    by: str | None = None
    on: dt.date | None = None
    knowledge: KnowledgeStrength | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.status, EstimateStatus):
            raise FieldError("status", f"expected an estimate status, got {self.status!r}", "type")
        for dimension, level in self.levels.items():
            check_slug(f"levels.{dimension}", level)
        if self.method is not None:
            check_id("method", self.method)
        if self.status is EstimateStatus.ESTIMATED:
            if not self.levels:
                raise FieldError(
                    "levels", "an estimate gives the level of each dimension of its method", "missing"
                )
        else:
            if self.levels:
                raise FieldError("levels", f"a risk judged {self.status.value} has no levels", "value")
            _check_text("reason", self.reason, required=True)
        _check_text("rationale", self.rationale)
        if self.by is not None:
            check_slug("by", self.by)

    @property
    def estimated(self) -> bool:
        """Whether the estimate gives levels (neither not relevant nor postponed)."""
        return self.status is EstimateStatus.ESTIMATED


@attrs.frozen(kw_only=True, hash=False)
class Hazard:
    """A concrete hazard or problem in the unit, with its evidence and its estimates.

    Args:
        id: The hazard's id, local to the assessment (`evening-threats`).
        title: A short name.
        factors: The ids of the catalogue factors it concerns.
        description: What happens, in the unit's own words.
        exposed: Who is exposed (a group or role, never names).
        when: When it happens (shifts, seasons, situations).
        where: Where it happens.
        evidence: What the knowledge of it rests on.
        method: The method its estimates use, when not the assessment's default.
        inherent: The risk as if no measure were in place.
        current: The risk with the measures now in place.
        residual: The risk expected once the planned measures are in place.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> Hazard(id="deadlines", title="Monthly reporting deadlines", factors=("fv.workload",)).factors
        ('fv.workload',)

    Added in version 0.1.
    """

    id: str
    title: str
    factors: tuple[str, ...]
    description: str | None = None
    exposed: str | None = None
    when: str | None = None
    where: str | None = None
    evidence: tuple[Evidence, ...] = ()
    method: str | None = None
    inherent: RiskEstimate | None = None
    current: RiskEstimate | None = None
    residual: RiskEstimate | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_slug("id", self.id)
        _check_text("title", self.title, required=True)
        if not self.factors:
            raise FieldError("factors", "a hazard concerns at least one catalogue factor", "missing")
        for i, factor in enumerate(self.factors):
            check_id(f"factors.{i}", factor)
        if self.method is not None:
            check_id("method", self.method)

    @property
    def estimates(self) -> dict[str, RiskEstimate]:
        """The estimates given, by stage (`inherent`, `current`, `residual`)."""
        stages = {"inherent": self.inherent, "current": self.current, "residual": self.residual}
        return {stage: e for stage, e in stages.items() if e is not None}


@attrs.frozen(kw_only=True, hash=False)
class Incident:
    """A registered event — violence, threats, harassment — recorded by role and unit, never by name.

    Args:
        id: The incident's id, local to the assessment (or the register's
            reference).
        date: When it happened.
        factor: The id of the catalogue factor it concerns.
        severity: Its level on the method's severity scale, if rated.
        roles: The roles involved (`nurse`, `user`, `relative`), never names.
        unit: The unit where it happened, if not the assessment's.
        followed_up: Whether the affected worker was followed up; None
            while not yet known.
        summary: What happened, without names.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> import datetime as dt
        >>> Incident(id="2026-014", date=dt.date(2026, 2, 3), factor="fv.violence-threats",
        ...          severity="serious", followed_up=True).severity
        'serious'

    Added in version 0.1.
    """

    id: str
    date: dt.date
    factor: str
    severity: str | None = None
    roles: tuple[str, ...] = ()
    unit: str | None = None
    followed_up: bool | None = None
    summary: str | None = None
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_slug("id", self.id)
        check_id("factor", self.factor)
        if self.severity is not None:
            check_slug("severity", self.severity)
        _check_text("summary", self.summary)
