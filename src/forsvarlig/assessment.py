"""The risk assessment: one unit's mapping, estimates, measures and evaluations, done with the employees.

A `RiskAssessment` is the document (`forsvarlig: assessment/1`) for one unit
and period. It pins what it was made with — the catalogue namespaces and
versions, and the methods and their versions — states its acceptance
criteria, records a judgement for each catalogue factor (assessed through
hazards, not relevant, or postponed), who took part in which step and how,
and the hazards, incidents, measures and evaluations themselves.

It refers to catalogue entries by id only: it loads, stores and compares
without a catalogue, and is checked against one when it is resolved or
reviewed.

Examples:
    >>> import datetime as dt
    >>> a = RiskAssessment(
    ...     unit="Home care, north", date=dt.date(2026, 3, 2), method="fv.talk-matrix",
    ...     catalogue={"fv": "0.1.0"}, methods={"fv.talk-matrix": 1},
    ...     participants=(Participant(
    ...         id="vo", role=Role.SAFETY_REPRESENTATIVE, reference="emp-117",
    ...         participation=(Participation(step=Step.MAPPING, how=Involvement.CONSULTED),),
    ...     ),),
    ... )
    >>> a.status.value, a.participants[0].role.value
    ('draft', 'safety-representative')
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Final, TypeVar

import attrs

from forsvarlig._ids import NAMESPACE_RE, check_id, check_slug
from forsvarlig._serial import FieldError, Meta
from forsvarlig.evaluation import Evaluation
from forsvarlig.hazards import Hazard, Incident, RiskEstimate
from forsvarlig.measures import Measure

__all__ = [
    "ASSESSMENT_SCHEMA",
    "AcceptanceCriteria",
    "AssessmentStatus",
    "FactorJudgement",
    "Involvement",
    "Judgement",
    "Participant",
    "Participation",
    "ReviewTrigger",
    "RiskAssessment",
    "Role",
    "Step",
]

T = TypeVar("T")

#: The schema tag of an assessment document.
ASSESSMENT_SCHEMA: Final = "assessment/1"


class Role(enum.Enum):
    """A participant's role in the assessment.

    Examples:
        >>> Role("safety-representative").is_employee_side
        True

    Added in version 0.1.
    """

    LEADER = "leader"
    EMPLOYEE = "employee"
    SAFETY_REPRESENTATIVE = "safety-representative"
    SENIOR_SAFETY_REPRESENTATIVE = "senior-safety-representative"
    UNION_REPRESENTATIVE = "union-representative"
    WORKING_ENVIRONMENT_COMMITTEE = "working-environment-committee"
    OCCUPATIONAL_HEALTH_SERVICE = "occupational-health-service"

    @property
    def is_employee_side(self) -> bool:
        """Whether the role speaks for the employees (employees, safety and union representatives)."""
        return self in {
            Role.EMPLOYEE,
            Role.SAFETY_REPRESENTATIVE,
            Role.SENIOR_SAFETY_REPRESENTATIVE,
            Role.UNION_REPRESENTATIVE,
        }


class Step(enum.Enum):
    """A step of the cycle: mapping, assessment, measures, evaluation.

    Examples:
        >>> [s.value for s in Step]
        ['mapping', 'assessment', 'measures', 'evaluation']

    Added in version 0.1.
    """

    MAPPING = "mapping"
    ASSESSMENT = "assessment"
    MEASURES = "measures"
    EVALUATION = "evaluation"


class Involvement(enum.Enum):
    """How someone took part in a step.

    Examples:
        >>> Involvement("decided-together").value
        'decided-together'

    Added in version 0.1.
    """

    INFORMED = "informed"
    CONSULTED = "consulted"
    DECIDED_TOGETHER = "decided-together"


class Judgement(enum.Enum):
    """What an assessment concluded for one catalogue factor.

    Examples:
        >>> Judgement("not-relevant").value
        'not-relevant'

    Added in version 0.1.
    """

    ASSESSED = "assessed"
    NOT_RELEVANT = "not-relevant"
    POSTPONED = "postponed"


class AssessmentStatus(enum.Enum):
    """Where an assessment stands.

    Examples:
        >>> AssessmentStatus("approved").value
        'approved'

    Added in version 0.1.
    """

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    APPROVED = "approved"


class ReviewTrigger(enum.Enum):
    """What, besides the date, calls for the assessment to be done again.

    Organisasjonsforskriften § 7-1 names changes and purchases; an incident is
    forsvarlig's own addition.

    Examples:
        >>> ReviewTrigger("purchase").value
        'purchase'

    Added in version 0.1.
    """

    CHANGE = "change"
    PURCHASE = "purchase"
    INCIDENT = "incident"


@attrs.frozen(kw_only=True, hash=False)
class Participation:
    """How a participant took part in one step.

    Args:
        step: Mapping, assessment, measures or evaluation.
        how: Informed, consulted, or decided together.
        on: When.
        statement: What they said, if recorded.
        dissent: Where they disagreed with the result, in their words.

    Examples:
        >>> Participation(step=Step.ASSESSMENT, how=Involvement.DECIDED_TOGETHER).how.value
        'decided-together'

    Added in version 0.1.
    """

    step: Step
    how: Involvement
    on: dt.date | None = None
    statement: str | None = None
    dissent: str | None = None


@attrs.frozen(kw_only=True, hash=False)
class Participant:
    """Someone who took part, by role and an opaque reference; a name is optional.

    Args:
        id: The participant's id in this assessment.
        role: Their role.
        reference: An opaque reference into the organisation's own records
            (an employee number, a directory id) — not a name.
        name: Their name, only where the organisation chooses to record it.
        participation: The steps they took part in, and how.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> Participant(id="amu", role=Role.WORKING_ENVIRONMENT_COMMITTEE, reference="amu-2026").name is None
        True

    Added in version 0.1.
    """

    id: str
    role: Role
    reference: str
    name: str | None = None
    participation: tuple[Participation, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_slug("id", self.id)
        if not self.reference.strip():
            raise FieldError(
                "reference", "an opaque reference is required (an employee number, a directory id)"
            )


@attrs.frozen(kw_only=True, hash=False)
class FactorJudgement:
    """The assessment's judgement on one catalogue factor.

    Args:
        factor: The factor's id.
        judgement: Assessed (through hazards), not relevant, or postponed.
        reason: Why not relevant, or why postponed.

    Examples:
        >>> FactorJudgement(factor="fv.lone-work", judgement=Judgement.NOT_RELEVANT,
        ...                 reason="Nobody works alone").judgement.value
        'not-relevant'

    Added in version 0.1.
    """

    factor: str
    judgement: Judgement
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        check_id("factor", self.factor)
        if self.judgement is not Judgement.ASSESSED and not (self.reason and self.reason.strip()):
            raise FieldError("reason", f"say why the factor is {self.judgement.value}", "missing")


@attrs.frozen(kw_only=True, hash=False)
class AcceptanceCriteria:
    """Which risk requires action, and how soon, set before the estimates are made.

    Args:
        action_band: The lowest band that requires measures (`medium`).
        band_set: The band set it belongs to; the default method's if None.
        respond_within: How soon, as an ISO 8601 duration, when it differs
            from the band's own.
        rationale: Why this line.

    Examples:
        >>> AcceptanceCriteria(action_band="medium").action_band
        'medium'

    Added in version 0.1.
    """

    action_band: str
    band_set: str | None = None
    respond_within: str | None = None
    rationale: str | None = None

    def __attrs_post_init__(self) -> None:
        check_slug("action_band", self.action_band)
        if self.band_set is not None:
            check_id("band_set", self.band_set)


def _unique(field: str, ids: Iterable[str], problems: list[tuple[str, str, str]]) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            problems.append((f"{field}.{i}.id", f"the id {item!r} is repeated", "duplicate-id"))
        seen.add(item)
    return seen


@attrs.frozen(kw_only=True, hash=False)
class RiskAssessment:
    """One unit's psychosocial risk assessment for a period.

    Args:
        unit: The unit assessed (a department, a team, a site).
        date: The assessment's date: legal references resolve at it.
        method: The id of the default scoring method.
        catalogue: The catalogue namespaces it was made with, and their
            versions (`{"fv": "0.1.0"}`).
        methods: Every method used — the default and any a hazard uses — with
            its version.
        period_from: The start of the period covered.
        period_to: Its end.
        scope: What the assessment covers, in words.
        acceptance: The acceptance criteria; the method's if None.
        factors: A judgement per catalogue factor.
        participants: Who took part, in which steps, and how.
        hazards: The hazards mapped.
        incidents: Registered incidents the assessment draws on.
        measures: The measures in place and planned.
        evaluations: The follow-ups of measures.
        combined: The combined estimate across factors.
        status: Draft, in review or approved.
        approved_by: The role that approved it.
        revision: The revision number, from 1.
        replaces: The id of the revision it replaces.
        next_review: When it is to be done again at the latest.
        triggers: What else calls for doing it again.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Raises:
        ValidationError: Listing every problem at once: repeated ids, measures
            for unknown hazards, evaluations of unknown measures, a default
            method that is not pinned, an approval without an approver, ….

    Examples:
        >>> import datetime as dt
        >>> RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...                catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1}).revision
        1

    Added in version 0.1.
    """

    unit: str
    date: dt.date
    method: str
    catalogue: dict[str, str]
    methods: dict[str, int]
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    scope: str | None = None
    acceptance: AcceptanceCriteria | None = None
    factors: tuple[FactorJudgement, ...] = ()
    participants: tuple[Participant, ...] = ()
    hazards: tuple[Hazard, ...] = ()
    incidents: tuple[Incident, ...] = ()
    measures: tuple[Measure, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    combined: RiskEstimate | None = None
    status: AssessmentStatus = AssessmentStatus.DRAFT
    approved_by: Role | None = None
    revision: int = 1
    replaces: str | None = None
    next_review: dt.date | None = None
    triggers: tuple[ReviewTrigger, ...] = ()
    meta: Meta = attrs.field(factory=dict)
    # Indexes for the queries, built once: measures by hazard, evaluations by measure.
    _measures_by_hazard: dict[str, tuple[Measure, ...]] = attrs.field(init=False, eq=False, repr=False)
    _evaluations_by_measure: dict[str, tuple[Evaluation, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:  # noqa: C901, PLR0912 - one check per cross-field rule, all reported together
        problems: list[tuple[str, str, str]] = []
        if not self.unit.strip():
            problems.append(("unit", "name the unit assessed", "value"))
        try:
            check_id("method", self.method)
        except FieldError as exc:
            problems.extend(exc.items)
        for namespace, version in self.catalogue.items():
            if NAMESPACE_RE.match(namespace) is None or version == "":
                problems.append((f"catalogue.{namespace}", "pin a namespace with its version", "value"))
        for method_id, pinned in self.methods.items():
            if pinned.__class__ is not int or pinned < 1:
                problems.append(
                    (f"methods.{method_id}", "a method's version is a whole number, 1 or more", "value")
                )
        if self.method not in self.methods:
            problems.append(
                ("methods", f"pin the default method {self.method!r} with its version", "missing")
            )
        for i, hazard in enumerate(self.hazards):
            for stage, estimate in hazard.estimates.items():
                used = estimate.method or hazard.method or self.method
                if used not in self.methods:
                    problems.append(
                        (f"hazards.{i}.{stage}", f"pin the method {used!r} in `methods`", "missing")
                    )
            if hazard.method is not None and hazard.method not in self.methods:
                problems.append(
                    (f"hazards.{i}.method", f"pin the method {hazard.method!r} in `methods`", "missing")
                )
        if self.period_from and self.period_to and self.period_to < self.period_from:
            problems.append(("period_to", "the period ends before it starts", "value"))
        if self.revision.__class__ is not int or self.revision < 1:
            problems.append(("revision", "a revision is a whole number, 1 or more", "value"))
        if self.status is AssessmentStatus.APPROVED and self.approved_by is None:
            problems.append(
                ("approved_by", "an approved assessment says who approved it (a role)", "missing")
            )
        _unique("participants", (p.id for p in self.participants), problems)
        hazard_ids = _unique("hazards", (h.id for h in self.hazards), problems)
        _unique("incidents", (x.id for x in self.incidents), problems)
        measure_ids = _unique("measures", (m.id for m in self.measures), problems)
        seen_factors: set[str] = set()
        for i, judgement in enumerate(self.factors):
            if judgement.factor in seen_factors:
                problems.append(
                    (f"factors.{i}.factor", f"{judgement.factor!r} is judged twice", "duplicate-id")
                )
            seen_factors.add(judgement.factor)
        for i, measure in enumerate(self.measures):
            for j, hazard_id in enumerate(measure.hazards):
                if hazard_id not in hazard_ids:
                    msg = _unknown("hazard", hazard_id, hazard_ids)
                    problems.append((f"measures.{i}.hazards.{j}", msg, "reference"))
        for i, evaluation in enumerate(self.evaluations):
            if evaluation.measure not in measure_ids:
                msg = _unknown("measure", evaluation.measure, measure_ids)
                problems.append((f"evaluations.{i}.measure", msg, "reference"))
            if evaluation.hazard is not None and evaluation.hazard not in hazard_ids:
                msg = _unknown("hazard", evaluation.hazard, hazard_ids)
                problems.append((f"evaluations.{i}.hazard", msg, "reference"))
        FieldError.collect(problems)
        by_hazard: dict[str, list[Measure]] = {}
        for measure in self.measures:
            for hazard_id in measure.hazards:
                by_hazard.setdefault(hazard_id, []).append(measure)
        by_measure: dict[str, list[Evaluation]] = {}
        for evaluation in self.evaluations:
            by_measure.setdefault(evaluation.measure, []).append(evaluation)
        object.__setattr__(self, "_measures_by_hazard", {k: tuple(v) for k, v in by_hazard.items()})
        object.__setattr__(
            self,
            "_evaluations_by_measure",
            {k: tuple(sorted(v, key=lambda e: e.on)) for k, v in by_measure.items()},
        )

    def hazard(self, hazard_id: str) -> Hazard:
        """Return the hazard with this id.

        Raises:
            UnknownReferenceError: If there is none, with the nearest ids.
        """
        return _find("hazard", self.hazards, hazard_id)

    def measure(self, measure_id: str) -> Measure:
        """Return the measure with this id.

        Raises:
            UnknownReferenceError: If there is none, with the nearest ids.
        """
        return _find("measure", self.measures, measure_id)

    def measures_for(self, hazard_id: str) -> tuple[Measure, ...]:
        """The measures that act on a hazard, in document order."""
        return self._measures_by_hazard.get(hazard_id, ())

    def evaluations_of(self, measure_id: str) -> tuple[Evaluation, ...]:
        """The evaluations of a measure, oldest first."""
        return self._evaluations_by_measure.get(measure_id, ())

    def _repr_html_(self) -> str:
        # The register against the built-in catalogue; `forsvarlig.view` takes another one and a language.
        from forsvarlig.report import view

        return view(self).html


def _unknown(kind: str, value: str, known: set[str]) -> str:
    from forsvarlig.errors import close_matches, did_you_mean

    return f"unknown {kind} {value!r}{did_you_mean(close_matches(value, known))}"


def _find(kind: str, items: tuple[T, ...], item_id: str) -> T:
    for item in items:
        if getattr(item, "id", None) == item_id:
            return item
    from forsvarlig.errors import UnknownReferenceError, close_matches

    raise UnknownReferenceError(
        kind, str(item_id), close_matches(str(item_id), [getattr(i, "id", "") for i in items])
    )
