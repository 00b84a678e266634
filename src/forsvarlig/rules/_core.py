"""Findings, the rule protocol, the review context, and `review` itself (private; see `forsvarlig.rules`)."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

import attrs

from forsvarlig._ids import check_id
from forsvarlig._serial import FieldError
from forsvarlig.errors import ValidationError
from forsvarlig.text import Text, _nb_en

if TYPE_CHECKING:
    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.matrix import BandSet, RiskBand
    from forsvarlig.queries import RegisterRow
    from forsvarlig.rules._registry import RuleRegistry
    from forsvarlig.scoring import StrategyRegistry


class Severity(enum.Enum):
    """How much a finding matters: an error blocks a fully justifiable assessment.

    Examples:
        >>> Severity("error").rank > Severity("warning").rank
        True

    Added in version 0.1.
    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return ("info", "warning", "error").index(self.value)


@attrs.frozen(kw_only=True)
class Finding:
    """What a review rule found: a code, a severity, a message in nb and en, and where.

    Args:
        code: The rule's code, an id (`fv.high-risk-without-measure`), so
            that codes of third-party rules never clash with forsvarlig's.
        severity: Error, warning or info.
        message: What is missing or wrong, and what to do, in nb and en.
        path: Where in the assessment (`$.hazards[2]`), `$` for the whole.

    Examples:
        >>> f = Finding(code="fv.no-combined-estimate", severity=Severity.WARNING,
        ...             message=Text(nb="Mangler samlet vurdering", en="No combined estimate"), path="$")
        >>> str(f)
        'warning fv.no-combined-estimate at $: No combined estimate'

    Added in version 0.1.
    """

    code: str
    severity: Severity
    message: Text
    path: str = "$"

    def __attrs_post_init__(self) -> None:
        check_id("code", self.code)
        if not isinstance(self.severity, Severity):
            raise FieldError("severity", f"expected a severity, got {self.severity!r}", "type")

    def __str__(self) -> str:
        return f"{self.severity.value} {self.code} at {self.path}: {self.message.get('en')}"

    def text(self, lang: str = "en") -> str:
        """The finding as one line, in a language."""
        return f"{self.severity.value} {self.code} at {self.path}: {self.message.get(lang)}"


class Findings(tuple[Finding, ...]):
    """What `review` returns: its findings, errors first, as a tuple that also shows itself.

    It is a tuple, prints as one, and compares equal to a tuple of the same findings. In a
    notebook it shows as a list in English (`forsvarlig.view` chooses the
    language); `records()` gives rows for pandas.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import RiskAssessment, default_catalogue, review
        >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1})
        >>> found = review(a, default_catalogue(), on=dt.date(2026, 2, 1))
        >>> isinstance(found, tuple), found.records()[0]["severity"]
        (True, 'error')

    Added in version 0.1.
    """

    __slots__ = ()

    def records(self) -> list[dict[str, str]]:
        """One flat dict per finding, for pandas: code, severity, path, and the message in nb and en."""
        return [
            {
                "code": f.code,
                "severity": f.severity.value,
                "path": f.path,
                "message_nb": f.message.get("nb"),
                "message_en": f.message.get("en"),
            }
            for f in self
        ]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error findings: what stands between the assessment and a fully justifiable one."""
        return tuple(f for f in self if f.severity is Severity.ERROR)

    def _repr_html_(self) -> str:
        from forsvarlig.report import view

        return view(self).html


class ReviewContext:
    """What a rule reads: the assessment, the catalogue, the day, and what is computed once for all rules.

    Attributes:
        assessment: The assessment reviewed.
        catalogue: The catalogue it is reviewed against.
        on: The day of the review (overdue is judged against it).
        strategies: The strategy registry scores are made with.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import RiskAssessment, default_catalogue
        >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1})
        >>> ReviewContext(a, default_catalogue(), dt.date(2026, 2, 1)).action_band.id
        'moderate'
    """

    def __init__(
        self,
        assessment: RiskAssessment,
        catalogue: Catalogue,
        on: dt.date,
        strategies: StrategyRegistry | None = None,
    ) -> None:
        self.assessment = assessment
        self.catalogue = catalogue
        self.on = on
        self.strategies = strategies

    @functools.cached_property
    def register(self) -> tuple[RegisterRow, ...]:
        """The risk register (see `forsvarlig.risk_register`)."""
        from forsvarlig.queries import _register

        # review() resolved the assessment before any rule asks for the register.
        return _register(self.assessment, self.catalogue, self.strategies)

    @functools.cached_property
    def hazard_index(self) -> dict[str, int]:
        """Each hazard's position in the assessment, by id: for a finding's path (`$.hazards[2]`)."""
        return {h.id: i for i, h in enumerate(self.assessment.hazards)}

    @functools.cached_property
    def bands(self) -> BandSet:
        """The band set of the acceptance criteria (the default method's if they name none)."""
        criteria = self.assessment.acceptance
        if criteria is not None and criteria.band_set is not None:
            return self.catalogue.band_set(criteria.band_set)
        from forsvarlig.scoring import scorer

        return scorer(self.assessment.method, self.catalogue, registry=self.strategies).bands

    @functools.cached_property
    def action_band(self) -> RiskBand:
        """The lowest band that requires measures.

        The acceptance criteria's, or else the lowest band of the method's band
        set that sets a deadline (`respond_within`), or else its second band.
        """
        bands = self.bands
        criteria = self.assessment.acceptance
        if criteria is not None:
            return bands.band(criteria.action_band)
        with_deadline = [b for b in bands if b.respond_within]
        return with_deadline[0] if with_deadline else bands.bands[1]

    def requires_action(self, band_set: str, band_rank: int) -> bool:
        """Whether a score in this band calls for measures under the acceptance criteria.

        A score on another band set (a hazard's own method) is judged against
        that set's share: its rank over its size, against the action band's.
        """
        if band_set == self.bands.id:
            return band_rank >= self.action_band.rank
        size = len(self.catalogue.band_set(band_set))
        return band_rank / size >= self.action_band.rank / len(self.bands)

    def finding(self, code: str, severity: Severity, nb: str, en: str, path: str = "$") -> Finding:
        """Make a finding."""
        return Finding(code=code, severity=severity, message=_nb_en(nb, en), path=path)


@runtime_checkable
class Rule(Protocol):
    """A review rule: reads an assessment against a catalogue and yields findings.

    Third parties register rules through the entry-point group
    `forsvarlig.rules`; a rule's `code` is an id in its own namespace. A rule
    that reads scores (`context.register`) runs only when every id in the
    assessment resolves; a rule may say it needs no scores, and so runs
    regardless, with a class attribute `needs_scores = False`.

    Examples:
        >>> from forsvarlig.rules import Rule, available_rules, get_rule
        >>> isinstance(get_rule("fv.symptoms-only"), Rule)
        True

    Added in version 0.1.
    """

    @property
    def code(self) -> str:
        """The rule's code, an id (`acme.night-work-reviewed`)."""
        ...

    def check(self, context: ReviewContext, /) -> Iterable[Finding]:
        """Yield what the rule finds."""
        ...


def review(
    assessment: RiskAssessment,
    catalogue: Catalogue,
    *,
    on: dt.date | None = None,
    rules: RuleRegistry | None = None,
    strategies: StrategyRegistry | None = None,
) -> Findings:
    """Review an assessment: what it still lacks before it can show the factors are fully justifiable.

    Ids that do not resolve are findings (`fv.unknown-reference`, errors);
    then every rule runs, and findings come back errors first, then by path.

    Args:
        assessment: The assessment.
        catalogue: The catalogue it is reviewed against.
        on: The day of the review; today if None.
        rules: The rules to run; the default registry's (built-in and
            installed) if None.
        strategies: The strategy registry to score with; the default if None.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import RiskAssessment, default_catalogue
        >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1})
        >>> codes = {f.code for f in review(a, default_catalogue(), on=dt.date(2026, 2, 1))}
        >>> "fv.no-participation" in codes, "fv.no-combined-estimate" in codes
        (True, True)

    Added in version 0.1.
    """
    from forsvarlig.queries import resolve
    from forsvarlig.rules._registry import default_rules

    context = ReviewContext(assessment, catalogue, on or dt.date.today(), strategies)  # noqa: DTZ011
    findings: list[Finding] = []
    try:
        resolve(assessment, catalogue, registry=strategies)
    except ValidationError as exc:
        findings.extend(
            context.finding(
                "fv.unknown-reference",
                Severity.ERROR,
                f"Ukjent i katalogen: {p.message}",
                f"Not in the catalogue: {p.message}",
                p.path,
            )
            for p in exc.problems
        )
        resolved = False
    else:
        resolved = True
    registry = rules or default_rules()
    for rule in registry.rules():
        if not resolved and getattr(rule, "needs_scores", True):
            continue
        findings.extend(_run(rule, context))
    for code, failure in registry.failures.items():
        findings.append(
            context.finding(
                "fv.rule-not-loaded",
                Severity.WARNING,
                f"Regelen {code} kunne ikke lastes, og er ikke kjørt: {failure}",
                f"The rule {code} could not be loaded and did not run: {failure}",
            )
        )
    return Findings(sorted(findings, key=_order))


def _run(rule: Rule, context: ReviewContext) -> list[Finding]:
    """A rule's findings; a rule that raises, or yields something else, is a finding itself."""
    code = getattr(rule, "code", repr(rule))
    try:
        found = list(rule.check(context))
        wrong = next((f for f in found if not isinstance(f, Finding)), None)
        if wrong is None:
            return found
        problem = f"it yielded {type(wrong).__name__} {wrong!r:.80}, not a Finding"
    except Exception as exc:  # noqa: BLE001 - one broken rule never breaks the review
        problem = f"{type(exc).__name__}: {exc}"
    return [
        context.finding(
            "fv.rule-failed",
            Severity.WARNING,
            f"Regelen {code} feilet, og funnene dens mangler: {problem}",
            f"The rule {code} failed, and its findings are missing: {problem}",
        )
    ]


def _order(finding: Finding) -> tuple[Any, ...]:
    # Paths in document order: `$.incidents[2]` before `$.incidents[12]`.
    path = tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(finding.path))
    return (-finding.severity.rank, path, finding.code)


_DIGITS: Final = re.compile(r"(\d+)")
