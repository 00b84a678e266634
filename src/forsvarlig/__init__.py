"""forsvarlig: psychosocial risk assessment for HSE software.

Every public name is importable from here; each is loaded on first use, so
`import forsvarlig` reads no file and imports neither YAML nor
`importlib.metadata`.

Examples:
    >>> import forsvarlig
    >>> m = forsvarlig.default_catalogue().matrix("fv.talk-frequency-by-consequence")
    >>> m.check().ok
    True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forsvarlig.assessment import (
        ASSESSMENT_SCHEMA,
        AcceptanceCriteria,
        AssessmentStatus,
        FactorJudgement,
        Involvement,
        Judgement,
        Participant,
        Participation,
        ReviewTrigger,
        RiskAssessment,
        Role,
        Step,
    )
    from forsvarlig.catalogue import CATALOGUE_SCHEMA, Catalogue, Method, default_catalogue, load_catalogue
    from forsvarlig.documents import FORMATS, document_kinds, dump, dumps, from_dict, load, loads, to_dict
    from forsvarlig.errors import (
        CatalogueError,
        CatalogueValidationError,
        DuplicateEntryError,
        ForsvarligError,
        PluginError,
        PluginLoadError,
        PluginRegistrationError,
        Problem,
        RetiredEntryWarning,
        ScoringError,
        UnknownPluginError,
        UnknownReferenceError,
        ValidationError,
    )
    from forsvarlig.evaluation import (
        EffectAchieved,
        Evaluation,
    )
    from forsvarlig.factors import (
        Factor,
        Framework,
        FrameworkEntry,
        LegalReference,
        MeasureKind,
        MeasureTemplate,
        Polarity,
        PreventionLevel,
        Requirement,
        Target,
    )
    from forsvarlig.hazards import (
        EstimateStatus,
        Evidence,
        EvidenceKind,
        Hazard,
        Incident,
        KnowledgeStrength,
        RiskEstimate,
    )
    from forsvarlig.incidents import IncidentPeriod, IncidentStatistics, incident_statistics, suggested_level
    from forsvarlig.matrix import BandSet, MatrixCheck, MatrixIssue, RiskBand, RiskMatrix
    from forsvarlig.measures import (
        Measure,
        MeasureScope,
        MeasureStatus,
    )
    from forsvarlig.organisation import (
        OrganisationView,
        RecurringFactor,
        SharedMeasure,
        UnitSummary,
        organisation_view,
    )
    from forsvarlig.queries import (
        Coverage,
        Overdue,
        RegisterRow,
        coverage,
        overdue,
        resolve,
        risk_register,
    )
    from forsvarlig.report import REPORT_FORMATS, View, assessment_report, organisation_report, view
    from forsvarlig.rules import (
        Finding,
        Findings,
        Rule,
        Severity,
        review,
    )
    from forsvarlig.scales import Level, Scale, ScaleKind
    from forsvarlig.scoring import Score, ScoreColumns, ScoringStrategy, scorer
    from forsvarlig.text import Text

__all__ = [
    "ASSESSMENT_SCHEMA",
    "CATALOGUE_SCHEMA",
    "FORMATS",
    "REPORT_FORMATS",
    "AcceptanceCriteria",
    "AssessmentStatus",
    "BandSet",
    "Catalogue",
    "CatalogueError",
    "CatalogueValidationError",
    "Coverage",
    "DuplicateEntryError",
    "EffectAchieved",
    "EstimateStatus",
    "Evaluation",
    "Evidence",
    "EvidenceKind",
    "Factor",
    "FactorJudgement",
    "Finding",
    "Findings",
    "ForsvarligError",
    "Framework",
    "FrameworkEntry",
    "Hazard",
    "Incident",
    "IncidentPeriod",
    "IncidentStatistics",
    "Involvement",
    "Judgement",
    "KnowledgeStrength",
    "LegalReference",
    "Level",
    "MatrixCheck",
    "MatrixIssue",
    "Measure",
    "MeasureKind",
    "MeasureScope",
    "MeasureStatus",
    "MeasureTemplate",
    "Method",
    "OrganisationView",
    "Overdue",
    "Participant",
    "Participation",
    "PluginError",
    "PluginLoadError",
    "PluginRegistrationError",
    "Polarity",
    "PreventionLevel",
    "Problem",
    "RecurringFactor",
    "RegisterRow",
    "Requirement",
    "RetiredEntryWarning",
    "ReviewTrigger",
    "RiskAssessment",
    "RiskBand",
    "RiskEstimate",
    "RiskMatrix",
    "Role",
    "Rule",
    "Scale",
    "ScaleKind",
    "Score",
    "ScoreColumns",
    "ScoringError",
    "ScoringStrategy",
    "Severity",
    "SharedMeasure",
    "Step",
    "Target",
    "Text",
    "UnitSummary",
    "UnknownPluginError",
    "UnknownReferenceError",
    "ValidationError",
    "View",
    "assessment_report",
    "coverage",
    "default_catalogue",
    "document_kinds",
    "dump",
    "dumps",
    "from_dict",
    "incident_statistics",
    "load",
    "load_catalogue",
    "loads",
    "organisation_report",
    "organisation_view",
    "overdue",
    "resolve",
    "review",
    "risk_register",
    "scorer",
    "suggested_level",
    "to_dict",
    "view",
]

# Where each public name lives; imported on first access (PEP 562).
_WHERE = {
    "CATALOGUE_SCHEMA": "catalogue",
    "Catalogue": "catalogue",
    "Method": "catalogue",
    "default_catalogue": "catalogue",
    "load_catalogue": "catalogue",
    "FORMATS": "documents",
    "document_kinds": "documents",
    "dump": "documents",
    "dumps": "documents",
    "from_dict": "documents",
    "load": "documents",
    "loads": "documents",
    "to_dict": "documents",
    "CatalogueError": "errors",
    "CatalogueValidationError": "errors",
    "DuplicateEntryError": "errors",
    "ForsvarligError": "errors",
    "PluginError": "errors",
    "PluginLoadError": "errors",
    "PluginRegistrationError": "errors",
    "Problem": "errors",
    "ScoringError": "errors",
    "UnknownPluginError": "errors",
    "UnknownReferenceError": "errors",
    "ValidationError": "errors",
    "BandSet": "matrix",
    "MatrixCheck": "matrix",
    "MatrixIssue": "matrix",
    "RiskBand": "matrix",
    "RiskMatrix": "matrix",
    "Level": "scales",
    "Scale": "scales",
    "ScaleKind": "scales",
    "Score": "scoring",
    "ScoreColumns": "scoring",
    "ScoringStrategy": "scoring",
    "scorer": "scoring",
    "Text": "text",
    "Factor": "factors",
    "Framework": "factors",
    "FrameworkEntry": "factors",
    "LegalReference": "factors",
    "MeasureKind": "factors",
    "MeasureTemplate": "factors",
    "Polarity": "factors",
    "PreventionLevel": "factors",
    "Requirement": "factors",
    "Target": "factors",
    "RetiredEntryWarning": "errors",
    "Finding": "rules",
    "Findings": "rules",
    "Rule": "rules",
    "Severity": "rules",
    "review": "rules",
    "Coverage": "queries",
    "Overdue": "queries",
    "RegisterRow": "queries",
    "coverage": "queries",
    "overdue": "queries",
    "resolve": "queries",
    "risk_register": "queries",
    "ASSESSMENT_SCHEMA": "assessment",
    "AcceptanceCriteria": "assessment",
    "AssessmentStatus": "assessment",
    "FactorJudgement": "assessment",
    "Involvement": "assessment",
    "Judgement": "assessment",
    "Participant": "assessment",
    "Participation": "assessment",
    "ReviewTrigger": "assessment",
    "RiskAssessment": "assessment",
    "Role": "assessment",
    "Step": "assessment",
    "EstimateStatus": "hazards",
    "Evidence": "hazards",
    "EvidenceKind": "hazards",
    "Hazard": "hazards",
    "Incident": "hazards",
    "KnowledgeStrength": "hazards",
    "RiskEstimate": "hazards",
    "Measure": "measures",
    "MeasureScope": "measures",
    "MeasureStatus": "measures",
    "EffectAchieved": "evaluation",
    "Evaluation": "evaluation",
    "IncidentPeriod": "incidents",
    "IncidentStatistics": "incidents",
    "incident_statistics": "incidents",
    "suggested_level": "incidents",
    "OrganisationView": "organisation",
    "RecurringFactor": "organisation",
    "SharedMeasure": "organisation",
    "UnitSummary": "organisation",
    "organisation_view": "organisation",
    "REPORT_FORMATS": "report",
    "assessment_report": "report",
    "organisation_report": "report",
    "View": "report",
    "view": "report",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f"forsvarlig.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import version

        return version("forsvarlig")
    msg = f"module 'forsvarlig' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
