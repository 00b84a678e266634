"""The shipped examples are valid and their matrices consistent."""

from pathlib import Path

import pytest

from forsvarlig import Catalogue, default_catalogue, dumps, load, load_catalogue, loads

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


def test_there_are_examples():
    """The examples folder is not empty, so the tests below test something."""
    assert EXAMPLES


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
