"""The built-in review rules (private; listed in `docs/assessment.md` with their codes).

Each rule is registered under its code like any plugin. Codes are ids in the
`fv` namespace and never change once shipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Final

from forsvarlig._serial import format_path
from forsvarlig.assessment import AssessmentStatus, Role, Step
from forsvarlig.hazards import EstimateStatus
from forsvarlig.measures import MeasureStatus
from forsvarlig.rules._core import Finding, ReviewContext, Severity
from forsvarlig.scoring import Score

if TYPE_CHECKING:
    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.scales import Scale
    from forsvarlig.text import Text

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - I is info


class BuiltinRule:
    """A rule made of a function; `needs_scores` rules run only when every id resolves."""

    __slots__ = ("check_fn", "code", "needs_scores", "summary")

    def __init__(
        self, code: str, summary: str, fn: Callable[[ReviewContext], Iterable[Finding]], *, needs_scores: bool
    ) -> None:
        self.code = code
        self.summary = summary
        self.check_fn = fn
        self.needs_scores = needs_scores

    def check(self, context: ReviewContext, /) -> Iterable[Finding]:
        """Yield what the rule finds."""
        return self.check_fn(context)

    def __repr__(self) -> str:
        return f"<rule {self.code}>"


BUILTIN: list[BuiltinRule] = []


def rule(
    code: str, summary: str, *, needs_scores: bool = False
) -> Callable[[Callable[[ReviewContext], Iterable[Finding]]], Callable[[ReviewContext], Iterable[Finding]]]:
    def add(fn: Callable[[ReviewContext], Iterable[Finding]]) -> Callable[[ReviewContext], Iterable[Finding]]:
        BUILTIN.append(BuiltinRule(code, summary, fn, needs_scores=needs_scores))
        return fn

    return add


def _path(*parts: str | int) -> str:
    return format_path(parts)


_STEP_NB: Final = {
    Step.MAPPING: "kartlegging",
    Step.ASSESSMENT: "risikovurdering",
    Step.MEASURES: "tiltak",
    Step.EVALUATION: "evaluering",
}

# The paragraphs of § 4-3 that name factors, by the text in force: from 2026 the new (2) lists
# the demands and (3)–(6) carry on the earlier (1)–(4), which named the rest before then.
_AMENDED: Final = dt.date(2026, 1, 1)


def _listed(on: dt.date) -> range:
    return range(2, 7) if on >= _AMENDED else range(1, 5)


@rule("fv.factor-not-considered", "A factor § 4-3 names is neither assessed nor judged (warning).")
def _factor_not_considered(c: ReviewContext) -> Iterator[Finding]:
    from forsvarlig.queries import Coverage, coverage

    covered = coverage(c.assessment, c.catalogue)
    listed = _listed(c.assessment.date)
    for factor_id, factor in c.catalogue.factors.items():
        named = any(
            r.act == "aml" and r.section == "4-3" and r.paragraph in listed and r.in_force(c.assessment.date)
            for r in factor.legal
        )
        if named and covered.get(factor_id) is Coverage.NOT_CONSIDERED:
            label = factor.label
            yield c.finding(
                "fv.factor-not-considered",
                W,
                f"«{label.get('nb')}» er verken vurdert eller vurdert som ikke relevant. Listen i § 4-3 er ikke en"
                " minstesjekkliste, men de fleste virksomheter bør ta stilling til den.",
                f"'{label.get('en')}' is neither assessed nor judged not relevant. The list in § 4-3 is not a"
                " minimum checklist, but most businesses should take a view on it.",
                "$.factors",
            )


@rule("fv.no-participation", "A step of the cycle has no participation recorded (error).")
def _no_participation(c: ReviewContext) -> Iterator[Finding]:
    done = {p.step for person in c.assessment.participants for p in person.participation}
    steps = [Step.MAPPING, Step.ASSESSMENT]
    if c.assessment.measures:
        steps.append(Step.MEASURES)
    if c.assessment.evaluations:
        steps.append(Step.EVALUATION)
    for step in steps:
        if step not in done:
            yield c.finding(
                "fv.no-participation",
                E,
                f"Ingen medvirkning er registrert i steget «{_STEP_NB[step]}»: risikovurderingen skal gjøres i"
                " samarbeid med arbeidstakerne (aml § 3-1, organisasjonsforskriften § 7-1).",
                f"No participation is recorded in the step '{step.value}': the risk assessment must be made"
                " together with the employees (aml § 3-1, organisasjonsforskriften § 7-1).",
                "$.participants",
            )


@rule("fv.no-employee-side", "Mapping or assessment without employees or their representatives (error).")
def _no_employee_side(c: ReviewContext) -> Iterator[Finding]:
    for step in (Step.MAPPING, Step.ASSESSMENT):
        roles = {p.role for p in c.assessment.participants if any(x.step is step for x in p.participation)}
        if roles and not any(r.is_employee_side for r in roles):
            yield c.finding(
                "fv.no-employee-side",
                E,
                f"Ingen ansatte, verneombud eller tillitsvalgte deltok i steget «{_STEP_NB[step]}».",
                f"No employees, safety representative or union representative took part in the step '{step.value}'.",
                "$.participants",
            )


@rule("fv.hazard-without-evidence", "A hazard rests on no evidence (warning).")
def _hazard_without_evidence(c: ReviewContext) -> Iterator[Finding]:
    for i, h in enumerate(c.assessment.hazards):
        if not h.evidence:
            yield c.finding(
                "fv.hazard-without-evidence",
                W,
                f"Faren «{h.title}» viser ikke til hva kunnskapen bygger på (kartlegging, avvik, verneombud …).",
                f"The hazard '{h.title}' does not say what the knowledge rests on (survey, deviation, safety"
                " representative …).",
                _path("hazards", i, "evidence"),
            )


@rule("fv.hazard-without-estimate", "A hazard has no current or inherent estimate (warning).")
def _hazard_without_estimate(c: ReviewContext) -> Iterator[Finding]:
    for i, h in enumerate(c.assessment.hazards):
        if h.current is None and h.inherent is None:
            yield c.finding(
                "fv.hazard-without-estimate",
                W,
                f"Faren «{h.title}» er ikke risikovurdert.",
                f"The hazard '{h.title}' has no risk estimate.",
                _path("hazards", i),
            )


@rule(
    "fv.high-risk-without-measure",
    "A risk at or above the action band has no measure (error).",
    needs_scores=True,
)
def _high_risk_without_measure(c: ReviewContext) -> Iterator[Finding]:
    index = c.hazard_index
    for row in c.register:
        score = row.now
        if score is not None and not row.measures and c.requires_action(score.band_set, score.band_rank):
            yield c.finding(
                "fv.high-risk-without-measure",
                E,
                f"«{row.title}» har risiko «{_band(c, score, 'nb')}», som krever tiltak, men ingen tiltak er planlagt.",
                f"'{row.title}' is at risk '{_band(c, score, 'en')}', which requires measures, but no measure is planned.",
                _path("hazards", index[row.hazard]),
            )


@rule("fv.symptoms-only", "Every measure for a hazard acts on outcomes only (warning).")
def _symptoms_only(c: ReviewContext) -> Iterator[Finding]:
    for i, h in enumerate(c.assessment.hazards):
        measures = [m for m in c.assessment.measures_for(h.id) if m.status is not MeasureStatus.CANCELLED]
        if measures and all(m.target == "fv.outcome" for m in measures):
            yield c.finding(
                "fv.symptoms-only",
                W,
                f"Alle tiltakene for «{h.title}» virker på utfallet (trivsel, stress, konflikter): de behandler"
                " symptomer. Se på tiltak i organiseringen eller på selve faktoren.",
                f"Every measure for '{h.title}' acts on outcomes (well-being, stress, conflict): they treat"
                " symptoms. Look for measures on the organisation or on the factor itself.",
                _path("hazards", i),
            )


def _open_measure_lacks(field: str, code: str, summary: str, nb: str, en: str) -> None:
    """Register a rule that an open, planned measure gives `field`."""

    def check(c: ReviewContext) -> Iterator[Finding]:
        for i, m in enumerate(c.assessment.measures):
            if m.open and not m.in_place and getattr(m, field) is None:
                yield c.finding(
                    code, W, f"«{m.what}»: {nb}", f"'{m.what}': {en}", _path("measures", i, field)
                )

    rule(code, summary)(check)


_open_measure_lacks(
    "owner",
    "fv.measure-without-owner",
    "An open measure has no owner (warning).",
    "tiltaket har ingen ansvarlig.",
    "the measure has no owner.",
)
_open_measure_lacks(
    "due",
    "fv.measure-without-due-date",
    "An open measure has no due date (warning).",
    "tiltaket har ingen frist.",
    "the measure has no due date.",
)


@rule("fv.measure-overdue", "An open measure is past its due date (warning).")
def _measure_overdue(c: ReviewContext) -> Iterator[Finding]:
    for i, m in enumerate(c.assessment.measures):
        if m.overdue(c.on):
            yield c.finding(
                "fv.measure-overdue",
                W,
                f"Fristen {m.due} for tiltaket «{m.what}» er passert.",
                f"The due date {m.due} of the measure '{m.what}' has passed.",
                _path("measures", i, "due"),
            )


@rule("fv.measure-not-evaluated", "A measure done is never evaluated (warning).")
def _measure_not_evaluated(c: ReviewContext) -> Iterator[Finding]:
    for i, m in enumerate(c.assessment.measures):
        if m.status is MeasureStatus.DONE and not c.assessment.evaluations_of(m.id):
            yield c.finding(
                "fv.measure-not-evaluated",
                W,
                f"Tiltaket «{m.what}» er gjennomført, men ikke evaluert: virket det?",
                f"The measure '{m.what}' is done but never evaluated: did it work?",
                _path("measures", i),
            )


@rule(
    "fv.residual-requires-action",
    "After evaluation, a residual risk still requires action (warning).",
    needs_scores=True,
)
def _residual_requires_action(c: ReviewContext) -> Iterator[Finding]:
    index = c.hazard_index
    for row in c.register:
        score = row.residual
        if (
            score is not None
            and row.residual_from not in (None, "estimate")
            and c.requires_action(score.band_set, score.band_rank)
        ):
            yield c.finding(
                "fv.residual-requires-action",
                W,
                f"Etter evalueringen er risikoen for «{row.title}» fortsatt «{_band(c, score, 'nb')}»: flere tiltak trengs.",
                f"After evaluation the risk of '{row.title}' is still '{_band(c, score, 'en')}': more measures are needed.",
                _path("hazards", index[row.hazard]),
            )


@rule(
    "fv.requirement-not-met",
    "A legal duty for an assessed factor has no measure of a kind that meets it (error).",
)
def _requirement_not_met(c: ReviewContext) -> Iterator[Finding]:
    assessed: set[str] = set()
    by_factor: dict[str, list[str]] = {}
    for h in c.assessment.hazards:
        estimated = _estimated(h)
        for f in h.factors:
            by_factor.setdefault(f, []).append(h.id)
            if estimated:
                assessed.add(f)
    for requirement in c.catalogue.requirements.values():
        if requirement.replaced_by or not requirement.met_by or not requirement.factors:
            continue
        if not any(r.in_force(c.assessment.date) for r in requirement.legal) and requirement.legal:
            continue
        concerned = [f for f in requirement.factors if f in assessed]
        if not concerned:
            continue
        hazards = {h for f in concerned for h in by_factor[f]}
        kinds = {
            m.kind
            for h in hazards
            for m in c.assessment.measures_for(h)
            if m.status is not MeasureStatus.CANCELLED
        }
        if not kinds & set(requirement.met_by):
            wanted = ", ".join(k.value for k in requirement.met_by)
            cited = "; ".join(str(r) for r in requirement.legal if r.in_force(c.assessment.date))
            yield c.finding(
                "fv.requirement-not-met",
                E,
                f"«{requirement.label.get('nb')}» ({cited}) krever tiltak av typen {wanted}; ingen er planlagt.",
                f"'{requirement.label.get('en')}' ({cited}) calls for measures of the kind {wanted}; none is planned.",
                "$.measures",
            )


def _band(c: ReviewContext, score: Score, lang: str) -> str:
    return c.catalogue.band_set(score.band_set).band(score.band).label.get(lang).lower()


def _estimated(h: object) -> bool:
    estimate = getattr(h, "current", None) or getattr(h, "inherent", None)
    return estimate is not None and estimate.status is EstimateStatus.ESTIMATED


@rule(
    "fv.incident-not-followed-up",
    "An incident's affected worker was not followed up (warning), or it is not known (info).",
)
def _incident_not_followed_up(c: ReviewContext) -> Iterator[Finding]:
    for i, x in enumerate(c.assessment.incidents):
        if x.followed_up is False:
            yield c.finding(
                "fv.incident-not-followed-up",
                W,
                f"Den som ble utsatt for hendelsen {x.id}, er ikke fulgt opp.",
                f"The worker affected by incident {x.id} was not followed up.",
                _path("incidents", i, "followed_up"),
            )
        elif x.followed_up is None:
            yield c.finding(
                "fv.incident-not-followed-up",
                I,
                f"Det er ikke registrert om den som ble utsatt for hendelsen {x.id}, er fulgt opp.",
                f"It is not recorded whether the worker affected by incident {x.id} was followed up.",
                _path("incidents", i, "followed_up"),
            )


def _incident_rates(a: RiskAssessment) -> dict[str, tuple[float, int, str]]:
    """Per factor, the highest rate of incidents: in the twelve months up to the assessment, or in its period."""
    import datetime as dt

    from forsvarlig.incidents import rate_per_year

    windows = [(a.date - dt.timedelta(days=364), a.date, "12")]
    if a.period_from is not None and a.period_to is not None:
        windows.append((a.period_from, a.period_to, "period"))
    highest: dict[str, tuple[float, int, str]] = {}  # per factor: rate, count, window
    for start, end, name in windows:
        counts: dict[str, int] = {}
        for x in a.incidents:
            if start <= x.date <= end:
                counts[x.factor] = counts.get(x.factor, 0) + 1
        for factor, n in counts.items():
            rate = rate_per_year(n, start, end)
            if factor not in highest or rate > highest[factor][0]:
                highest[factor] = (rate, n, name)
    return highest


@rule(
    "fv.estimate-below-incidents",
    "A hazard's frequency is estimated below what its registered incidents alone show (warning).",
    needs_scores=True,
)
def _estimate_below_incidents(c: ReviewContext) -> Iterator[Finding]:
    from forsvarlig.incidents import Frequency, suggested_level

    a = c.assessment
    highest = _incident_rates(a)
    if not highest:
        return
    frequency = Frequency(c.catalogue, c.strategies)
    # What each factor's incidents show, on each method's frequency scale: worked out once.
    shown: dict[tuple[str, str], tuple[str, Scale, int, Text] | None] = {}
    for i, hazard in enumerate(a.hazards):
        estimate = hazard.current or hazard.inherent
        if estimate is None or not estimate.estimated:
            continue
        method_id = estimate.method or hazard.method or a.method
        worst = None
        for factor in hazard.factors:
            if factor not in highest:
                continue
            key = (factor, method_id)
            if key not in shown:
                found = frequency.of(method_id)
                suggested = None if found is None else suggested_level(found[1], highest[factor][0])
                shown[key] = (
                    None
                    if found is None or suggested is None
                    else (found[0], found[1], found[1].rank(suggested), found[1].level(suggested).label)
                )
            judged = shown[key]
            if judged is None:
                continue
            dimension, scale, rank, label = judged
            level = estimate.levels.get(dimension)
            if level is None or level not in scale or scale.rank(level) >= rank:
                continue
            if worst is None or rank > worst[0]:
                worst = (rank, highest[factor], dimension, label)
        if worst is None:
            continue
        _, (_, n, window), dimension, shows = worst
        stage = "current" if hazard.current is not None else "inherent"
        if window == "12":
            nb_when, en_when = "de tolv månedene før vurderingen", "the twelve months before the assessment"
        else:
            nb_when = en_when = f"{a.period_from} – {a.period_to}"
        yield c.finding(
            "fv.estimate-below-incidents",
            W,
            f"Registrerte hendelser alene viser minst «{shows.get('nb').lower()}» for «{hazard.title}»"
            f" ({n} i {nb_when}), men hyppigheten er vurdert lavere. Hendelser"
            " underrapporteres; vurder hyppigheten på nytt.",
            f"Registered incidents alone show at least '{shows.get('en').lower()}' for '{hazard.title}'"
            f" ({n} in {en_when}), but its frequency is estimated lower. Incidents are"
            " under-reported; estimate the frequency again.",
            _path("hazards", i, stage, "levels", dimension),
        )


@rule("fv.retired-entry", "The assessment uses a catalogue entry that is retired (warning).")
def _retired_entry(c: ReviewContext) -> Iterator[Finding]:
    cat, a = c.catalogue, c.assessment
    used: list[tuple[str, Any, str]] = []  # (kind, entries, id) with its path
    paths: list[str] = []
    for i, j in enumerate(a.factors):
        used.append(("factor", cat.factors, j.factor))
        paths.append(_path("factors", i, "factor"))
    for i, h in enumerate(a.hazards):
        for k, f in enumerate(h.factors):
            used.append(("factor", cat.factors, f))
            paths.append(_path("hazards", i, "factors", k))
    for i, x in enumerate(a.incidents):
        used.append(("factor", cat.factors, x.factor))
        paths.append(_path("incidents", i, "factor"))
    for i, m in enumerate(a.measures):
        used.append(("target", cat.targets, m.target))
        paths.append(_path("measures", i, "target"))
        if m.template is not None:
            used.append(("measure template", cat.measure_templates, m.template))
            paths.append(_path("measures", i, "template"))
    for (kind, entries, entry_id), path in zip(used, paths, strict=True):
        entry = entries.get(entry_id)
        if entry is None or entry.replaced_by is None:
            continue
        yield c.finding(
            "fv.retired-entry",
            W,
            f"Katalogen har erstattet {entry_id} med {entry.replaced_by}: bruk den nye.",
            f"The catalogue retired the {kind} {entry_id} for {entry.replaced_by}: use the new one.",
            path,
        )


@rule("fv.no-combined-estimate", "No combined estimate across the factors (warning).")
def _no_combined(c: ReviewContext) -> Iterator[Finding]:
    if c.assessment.combined is None:
        yield c.finding(
            "fv.no-combined-estimate",
            W,
            "Faktorene er ikke vurdert samlet («enkeltvis og samlet»).",
            "The factors are not assessed together ('one by one and together').",
            "$.combined",
        )


@rule("fv.no-next-review", "No next review date, or one that has passed (warning).")
def _no_next_review(c: ReviewContext) -> Iterator[Finding]:
    due = c.assessment.next_review
    if due is None:
        yield c.finding(
            "fv.no-next-review",
            W,
            "Det er ikke satt dato for neste gjennomgang.",
            "No date is set for the next review.",
            "$.next_review",
        )
    elif due < c.on:
        yield c.finding(
            "fv.no-next-review",
            W,
            f"Neste gjennomgang skulle vært {due}.",
            f"The next review was due on {due}.",
            "$.next_review",
        )


@rule(
    "fv.approved-without-safety-representative", "Approved with no safety representative taking part (error)."
)
def _approved_without_vo(c: ReviewContext) -> Iterator[Finding]:
    if c.assessment.status is not AssessmentStatus.APPROVED:
        return
    roles = {p.role for p in c.assessment.participants if p.participation}
    if not roles & {Role.SAFETY_REPRESENTATIVE, Role.SENIOR_SAFETY_REPRESENTATIVE}:
        yield c.finding(
            "fv.approved-without-safety-representative",
            E,
            "Vurderingen er godkjent uten at verneombudet har deltatt.",
            "The assessment is approved without the safety representative taking part.",
            "$.status",
        )


@rule(
    "fv.pinned-version-differs",
    "The catalogue or a method in hand differs from the pinned version (warning).",
)
def _pinned_version_differs(c: ReviewContext) -> Iterator[Finding]:
    for namespace, version in c.assessment.catalogue.items():
        have = c.catalogue.namespaces.get(namespace)
        if have != version:
            now = f"{have}" if have else "ikke tilgjengelig"
            yield c.finding(
                "fv.pinned-version-differs",
                W,
                f"Vurderingen er laget med katalogen {namespace} {version}, men den som brukes nå er {now}.",
                f"The assessment was made with the catalogue {namespace} {version}, but the one in hand is"
                f" {have or 'missing'}.",
                _path("catalogue", namespace),
            )
    for method_id, pinned in c.assessment.methods.items():
        found = c.catalogue.methods.get(method_id)
        if found is not None and found.version != pinned:
            yield c.finding(
                "fv.pinned-version-differs",
                W,
                f"Metoden {method_id} er versjon {found.version} nå, men vurderingen er laget med versjon {pinned}.",
                f"The method {method_id} is version {found.version} now, but the assessment was made with version {pinned}.",
                _path("methods", method_id),
            )
