"""The shipped examples are valid and their matrices consistent."""

from pathlib import Path

import pytest

from forsvarlig import Catalogue, default_catalogue, dumps, load, load_catalogue, loads

ALL = sorted((Path(__file__).parent.parent / "examples").rglob("*.yaml"))
EXAMPLES = [p for p in ALL if "forsvarlig: catalogue/" in p.read_text(encoding="utf-8")]
ASSESSMENTS = [p for p in ALL if "forsvarlig: assessment/" in p.read_text(encoding="utf-8")]


def test_there_are_examples():
    """The examples folder holds layers and assessments, and nothing else, so the tests below test something."""
    assert EXAMPLES
    assert ASSESSMENTS
    assert set(ALL) == {*EXAMPLES, *ASSESSMENTS}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_layer(path):
    """Each example is a layer: it loads alone, stacks on the built-in catalogue, and its matrices pass check()."""
    layer = load(path)
    assert isinstance(layer, Catalogue)
    assert "fv" not in layer.namespaces
    stacked = load_catalogue(path)
    assert set(stacked.namespaces) == {*default_catalogue().namespaces, *layer.namespaces}
    for matrix_id, matrix in layer.matrices.items():
        assert stacked.matrix(matrix_id) == matrix
        report = matrix.check()
        assert report.ok, str(report)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_round_trips(path):
    """Each example, loaded and dumped, reads back equal, meta included, in both formats."""
    layer = load(path)
    assert loads(dumps(layer)) == layer
    assert loads(dumps(layer, format="json")) == layer
    (namespace,) = layer.namespaces
    assert layer.meta(namespace)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_methods_score(path):
    """Each example's methods configure on the stacked catalogue and keep the strategy protocol."""
    from forsvarlig.scoring import check_methods, scorer
    from forsvarlig.testing import check_strategy

    stacked = load_catalogue(path)
    check_methods(stacked)
    for method_id in load(path).methods:
        check_strategy(scorer(method_id, stacked), monotone=True)


def test_layer_refers_to_builtin_objects():
    """A layer's matrix holds the very built-in scale it names."""
    layer = load(EXAMPLES[0])
    matrix = next(iter(layer.matrices.values()))
    assert matrix.columns is default_catalogue().scale(matrix.columns.id)


@pytest.mark.parametrize("path", ASSESSMENTS, ids=lambda p: p.name)
def test_assessment_examples_review_without_errors(path):
    """Each example assessment resolves against the built-in catalogue and reviews with no error-level finding."""
    import datetime as dt

    from forsvarlig import RiskAssessment, resolve, review
    from forsvarlig.rules import Severity

    assessment = load(path)
    assert isinstance(assessment, RiskAssessment)
    resolve(assessment, default_catalogue())
    findings = review(assessment, default_catalogue(), on=assessment.date + dt.timedelta(days=44))
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert loads(dumps(assessment)) == assessment
    assert loads(dumps(assessment, format="json")) == assessment


@pytest.mark.parametrize("path", ASSESSMENTS, ids=lambda p: p.name)
def test_assessment_examples_validate_against_the_schema(path):
    """Each example assessment validates against the shipped JSON Schema."""
    import json

    import jsonschema

    from forsvarlig import _schema, _serial

    tree, _ = _serial.read_tree(path.read_bytes(), path.name, mapping_root=True)
    schema = json.loads((_schema.SCHEMA_DIR / "assessment-1.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(tree)) == []


def test_the_organisation_has_four_units_or_more():
    units = [load(p) for p in ASSESSMENTS if p.parent.name == "organisation"]
    assert len({u.unit for u in units}) >= 4
