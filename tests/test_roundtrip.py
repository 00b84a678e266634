"""Every public type survives YAML and JSON, and the two formats agree."""

import json
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forsvarlig import (
    BandSet,
    Catalogue,
    Evaluation,
    Evidence,
    Factor,
    Framework,
    FrameworkEntry,
    Hazard,
    Incident,
    LegalReference,
    Level,
    Measure,
    MeasureTemplate,
    Method,
    Participant,
    Requirement,
    RiskAssessment,
    RiskBand,
    RiskEstimate,
    RiskMatrix,
    Scale,
    Score,
    ScoreColumns,
    Target,
    Text,
    dumps,
    from_dict,
    loads,
    to_dict,
)
from forsvarlig.testing import (
    band_sets,
    catalogues,
    evaluations,
    evidence,
    factors,
    framework_entries,
    frameworks,
    hazards,
    incidents,
    legal_references,
    levels,
    measure_templates,
    measures,
    methods,
    participants,
    requirements,
    risk_assessments,
    risk_bands,
    risk_estimates,
    risk_matrices,
    scales,
    score_columns,
    scores,
    targets,
    texts,
)

CASES = [
    (texts(), Text),
    (levels(), Level),
    (scales(), Scale),
    (risk_bands(), RiskBand),
    (band_sets(), BandSet),
    (risk_matrices(max_levels=4), RiskMatrix),
    (catalogues(), Catalogue),
    (methods(), Method),
    (scores(), Score),
    (score_columns(), ScoreColumns),
    (legal_references(), LegalReference),
    (factors(entries=["x.e"], factor_ids=["x.a", "x.b"], method_ids=["x.m"]), Factor),
    (framework_entries(), FrameworkEntry),
    (frameworks(), Framework),
    (targets(), Target),
    (requirements(factor_ids=["x.a"]), Requirement),
    (measure_templates(factor_ids=["x.a", "x.b"], target_ids=["x.t"]), MeasureTemplate),
    (evidence(), Evidence),
    (risk_estimates(), RiskEstimate),
    (hazards(), Hazard),
    (incidents(), Incident),
    (measures(hazard_ids=["h1", "h2"]), Measure),
    (evaluations(measure_ids=["m1"]), Evaluation),
    (participants(), Participant),
    (risk_assessments(), RiskAssessment),
]


@pytest.mark.parametrize(("strategy", "cls"), CASES, ids=[c.__name__ for _, c in CASES])
@settings(max_examples=60)
@given(data=st.data())
def test_round_trip(strategy, cls, data):
    """loads(dumps(x)) == x in YAML and in JSON, meta included; both read to equal values."""
    value = data.draw(strategy)
    from_yaml = loads(dumps(value), cls)
    from_json = loads(dumps(value, format="json"), cls)
    assert from_yaml == value
    assert from_json == value
    assert from_dict(to_dict(value), cls) == value


@pytest.mark.parametrize(("strategy", "cls"), CASES, ids=[c.__name__ for _, c in CASES])
@settings(max_examples=40)
@given(data=st.data())
def test_json_writer_matches_to_dict(strategy, cls, data):
    """JSON written object by object is exactly to_dict's data, compact or indented."""
    value = data.draw(strategy)
    expected = to_dict(value)
    assert json.loads(dumps(value, format="json", indent=None)) == expected
    assert json.loads(dumps(value, format="json")) == expected


@pytest.mark.parametrize(("strategy", "cls"), CASES, ids=[c.__name__ for _, c in CASES])
@settings(max_examples=20)
@given(data=st.data())
def test_pickle(strategy, cls, data):
    """Every public type pickles to an equal value."""
    value = data.draw(strategy)
    assert pickle.loads(pickle.dumps(value)) == value


@settings(max_examples=30)
@given(catalogues())
def test_catalogue_needs_no_type(cat):
    """A catalogue document is recognised by its schema tag alone, which is dumped first."""
    text = dumps(cat)
    assert text.startswith("forsvarlig: catalogue/1\n")
    assert loads(text) == cat
    assert next(iter(to_dict(cat))) == "forsvarlig"


@settings(max_examples=10)
@given(scales())
def test_values_with_meta_are_not_hashable(scale):
    """Types that carry meta compare by value and are not hashable."""
    with pytest.raises(TypeError):
        hash(scale)
