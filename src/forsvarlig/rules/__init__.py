"""Review rules: what an assessment still lacks (`forsvarlig.review` runs them).

`review(assessment, catalogue, on=day)` runs every rule — the built-ins and
any installed through the entry-point group `forsvarlig.rules` — and returns
`Finding`s: a code that is an id (`fv.high-risk-without-measure`), a
`Severity`, a message in nb and en, and the path in the assessment.

Examples:
    >>> import datetime as dt
    >>> from forsvarlig import RiskAssessment, default_catalogue
    >>> from forsvarlig.rules import review
    >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
    ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1})
    >>> [f.severity.value for f in review(a, default_catalogue(), on=dt.date(2026, 2, 1))][:1]
    ['error']
"""

from forsvarlig.rules._core import Finding, Findings, ReviewContext, Rule, Severity, review
from forsvarlig.rules._registry import (
    RULES_GROUP,
    RuleRegistry,
    available_rules,
    default_rules,
    get_rule,
    register_rule,
)

__all__ = [
    "RULES_GROUP",
    "Finding",
    "Findings",
    "ReviewContext",
    "Rule",
    "RuleRegistry",
    "Severity",
    "available_rules",
    "default_rules",
    "get_rule",
    "register_rule",
    "review",
]
