"""The public surface: __all__, lazy names, import cost and signatures."""

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import forsvarlig

EXPECTED = [
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

# Signatures of the public callables: any change here is an API change.
SIGNATURES = {
    "default_catalogue": "() -> 'Catalogue'",
    "load_catalogue": "(*paths: 'str | os.PathLike[str] | Sequence[str | os.PathLike[str]]', builtin: 'bool' = True) -> 'Catalogue'",
    "loads": "(data: 'str | bytes', type: 'type[T] | None' = None, *, format: 'str | None' = None, source: 'str | None' = None) -> 'T | Any'",
    "load": "(file: 'str | os.PathLike[str] | IO[Any]', type: 'type[T] | None' = None, *, format: 'str | None' = None) -> 'T | Any'",
    "dumps": "(value: 'Any', *, format: 'str' = 'yaml', indent: 'int | None' = 2) -> 'str'",
    "dump": "(value: 'Any', file: 'str | os.PathLike[str] | IO[Any]', *, format: 'str | None' = None, indent: 'int | None' = 2) -> 'None'",
    "from_dict": "(data: 'Any', type: 'type[T] | None' = None, *, source: 'str | None' = None) -> 'T | Any'",
    "to_dict": "(value: 'Any') -> 'Any'",
    "document_kinds": "() -> 'dict[str, str]'",
}


def test_all_snapshot():
    """__all__ is exactly the reviewed list, sorted."""
    assert forsvarlig.__all__ == EXPECTED


def test_every_name_resolves_and_is_in_dir():
    """Every public name resolves lazily and shows in dir()."""
    for name in forsvarlig.__all__:
        assert getattr(forsvarlig, name) is not None
        assert name in dir(forsvarlig)
    assert "__version__" in dir(forsvarlig)


def test_signatures():
    """The public callables keep their signatures."""
    for name, expected in SIGNATURES.items():
        assert str(inspect.signature(getattr(forsvarlig, name))) == expected, name


PUBLIC_MODULES = [
    "forsvarlig",
    "forsvarlig.factors",
    "forsvarlig.plot",
    "forsvarlig.rules",
    "forsvarlig.scoring",
]


def _surface() -> str:
    """Every public name with its signature, and each public class's public attributes."""
    import importlib

    lines = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        lines.append(f"# {module_name}")
        lines.extend(_module_surface(module))
    return "\n".join(lines) + "\n"


def _module_surface(module) -> list[str]:
    lines = []
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj):
            try:
                lines.append(f"{name}{inspect.signature(obj)}")
            except ValueError:
                lines.append(f"{name}(...)")
            own = [k for k in obj.__mro__ if k.__module__.startswith("forsvarlig")]
            members = sorted({m for k in own for m in vars(k) if not m.startswith("_")})
            lines.extend(f"{name}.{m}" for m in members)
        elif inspect.isfunction(obj):
            lines.append(f"{name}{inspect.signature(obj)}")
        else:
            lines.append(f"{name} = {obj!r}")
    return lines


SNAPSHOT = Path(__file__).parent / "api_surface.txt"


def test_api_surface_snapshot():
    """The public surface is exactly the reviewed snapshot (after a deliberate change: `python tests/test_public_api.py`)."""
    assert _surface() == SNAPSHOT.read_text(encoding="utf-8")


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_objects_are_documented(module_name):
    """Every public name has a docstring; every public class and function gives an example."""
    import importlib

    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and getattr(obj, "__module__", "").startswith(
            "forsvarlig"
        ):
            assert obj.__doc__, name
            assert ">>>" in obj.__doc__, f"{name} has no example"


def test_submodule_all_sorted():
    """Public submodules keep a sorted __all__ whose names all resolve."""
    import forsvarlig.scoring

    def kind(name):  # constants, then classes, then functions: ruff's RUF022 order
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert forsvarlig.scoring.__all__ == sorted(forsvarlig.scoring.__all__, key=kind)
    assert forsvarlig.__all__ == sorted(forsvarlig.__all__, key=kind)
    for name in forsvarlig.scoring.__all__:
        assert getattr(forsvarlig.scoring, name) is not None


def test_unknown_attribute():
    """A misspelt name is an AttributeError."""
    with pytest.raises(AttributeError, match="Scael"):
        forsvarlig.Scael  # noqa: B018


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_import_is_cheap():
    """`import forsvarlig` imports neither yaml nor importlib.metadata, and reads no file."""
    out = _fresh(
        "import sys, forsvarlig;"
        "print('yaml' in sys.modules, 'importlib.metadata' in sys.modules, 'forsvarlig.catalogue' in sys.modules)"
    )
    assert out.split() == ["False", "False", "False"]


def test_core_import_stays_cheap():
    """Even the core types and the catalogue import without yaml or importlib.metadata."""
    out = _fresh(
        "import sys; from forsvarlig import Scale, RiskMatrix, Catalogue, loads, default_catalogue;"
        "print('yaml' in sys.modules, 'importlib.metadata' in sys.modules)"
    )
    assert out.split() == ["False", "False"]


def test_version():
    """__version__ comes from the installed metadata."""
    from importlib.metadata import version

    assert forsvarlig.__version__ == version("forsvarlig")


if __name__ == "__main__":
    # After a deliberate API change: `python tests/test_public_api.py`, then review the diff.
    SNAPSHOT.write_text(_surface(), encoding="utf-8")


def test_no_public_name_is_shadowed_by_a_submodule():
    """After every public submodule is imported, each public name is still what it was, never a module."""
    import importlib

    for module_name in PUBLIC_MODULES:
        importlib.import_module(module_name)
    for name in forsvarlig.__all__:
        assert not inspect.ismodule(getattr(forsvarlig, name)), name
    assert callable(forsvarlig.review)
