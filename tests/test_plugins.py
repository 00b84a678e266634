"""The strategy registry: registration, lazy entry-point discovery, broken and clashing plugins."""

import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint

import pytest

from forsvarlig import (
    Method,
    PluginError,
    PluginLoadError,
    PluginRegistrationError,
    ScoringError,
    Text,
    UnknownPluginError,
    default_catalogue,
)
from forsvarlig.scoring import ENTRY_POINT_GROUP, StrategyRegistry, default_registry, get_strategy, scorer
from forsvarlig.testing import check_strategy

CAT = default_catalogue()

# A strategy written from scratch against the protocol (not a TabulatedStrategy):
# the band of the worst level, on a band set with as many bands as levels.
PLUGIN = """
import attrs
from forsvarlig.errors import ScoringError
from forsvarlig.scoring import Score, ScoreColumns


class WorstOf:
    name = "worst-of"

    def __init__(self, params, catalogue):
        self.dimensions = {d: catalogue.scale(s) for d, s in params["dimensions"].items()}
        self.bands = catalogue.band_set(params["bands"])

    def score(self, levels):
        if not isinstance(levels, dict) or set(levels) != set(self.dimensions):
            raise ScoringError("give a level for each dimension and no other")
        inputs = {}
        for d, scale in self.dimensions.items():
            if levels[d] not in scale:
                raise ScoringError("unknown level", dimension=d, level=str(levels[d]), scale=scale.id)
            inputs[d] = levels[d]
        top = max(scale.rank(inputs[d]) for d, scale in self.dimensions.items())
        band = self.bands.bands[min(top, len(self.bands)) - 1]
        return Score(value=float(top), band=band.id, band_rank=band.rank, band_set=self.bands.id,
                     strategy=self.name, inputs=inputs, scales={d: s.id for d, s in self.dimensions.items()})

    def score_many(self, columns):
        if set(columns) != set(self.dimensions):
            raise ScoringError("give a column for each dimension and no other")
        n = {len(c) for c in columns.values()}
        if len(n) > 1:
            raise ScoringError("the columns differ in length")
        rows = [dict(zip(self.dimensions, r)) for r in zip(*(columns[d] for d in self.dimensions))]
        made = []
        for i, row in enumerate(rows):
            try:
                made.append(self.score(row))
            except ScoringError as exc:
                exc.row = i
                raise
        return ScoreColumns(bands=tuple(s.band for s in made), values=tuple(s.value for s in made),
                            band_set=self.bands.id, band_order=self.bands.ids, strategy=self.name,
                            inputs={d: tuple(columns[d]) for d in self.dimensions},
                            scales={d: s.id for d, s in self.dimensions.items()})
"""

PARAMS = {
    "dimensions": {"frequency": "fv.at-frequency", "consequence": "fv.at-consequence"},
    "bands": "fv.four-bands",
}


def method(strategy, params=None):
    return Method(
        id="acme.m", label=Text(nb="M", en="M"), strategy=strategy, version=2, params=params or PARAMS
    )


@pytest.fixture
def plugins(tmp_path, monkeypatch):
    """Fake installed entry points: a good plugin, a broken one, a clash, and one named like a built-in."""
    default_registry().available()  # discovered for real before the fakes, so it stays clean
    (tmp_path / "acme_plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "acme_other.py").write_text("class WorstOf:\n    pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = [
        EntryPoint("worst-of", "acme_plugin:WorstOf", ENTRY_POINT_GROUP),
        EntryPoint("broken", "acme_missing_module:factory", ENTRY_POINT_GROUP),
        EntryPoint("twice", "acme_plugin:WorstOf", ENTRY_POINT_GROUP),
        EntryPoint("twice", "acme_other:WorstOf", ENTRY_POINT_GROUP),
        EntryPoint("matrix", "acme_other:WorstOf", ENTRY_POINT_GROUP),
        EntryPoint("not-callable", "acme_plugin:__doc__", ENTRY_POINT_GROUP),
    ]
    calls = []

    def entry_points(group=None):
        calls.append(group)
        return [ep for ep in found if ep.group == group]

    monkeypatch.setattr("importlib.metadata.entry_points", entry_points)
    return calls


class TestDiscovery:
    def test_lazy_and_once(self, plugins):
        """Entry points are read on the first lookup, once, and nothing is imported to list them."""
        registry = StrategyRegistry()
        assert plugins == []
        available = registry.available()
        assert plugins == [ENTRY_POINT_GROUP]
        assert available["worst-of"].entry_point == "acme_plugin:WorstOf"
        assert available["product"].origin == "builtin"
        assert "acme_plugin" not in sys.modules
        registry.get("worst-of")
        registry.get("product")
        assert plugins == [ENTRY_POINT_GROUP]

    def test_plugin_scores_through_a_method(self, plugins):
        """A plugin's strategy, found by name, scores a method and binds its provenance."""
        registry = StrategyRegistry()
        strategy = scorer(method("worst-of"), CAT, registry=registry)
        check_strategy(strategy, monotone=True)
        score = strategy.score({"frequency": "rare", "consequence": "serious"})
        assert (score.band, score.method, score.version) == ("high", "acme.m", 2)
        assert score.vector == "FV:1/acme.m@2/frequency:rare/consequence:serious"
        with pytest.raises(ScoringError) as info:
            strategy.score({"frequency": "rarely", "consequence": "serious"})
        assert info.value.method == "acme.m"

    def test_a_broken_plugin_fails_alone(self, plugins):
        """A plugin that cannot be imported raises PluginLoadError with its cause; the others still work."""
        registry = StrategyRegistry()
        with pytest.raises(PluginLoadError) as info:
            registry.get("broken")
        err = info.value
        assert (err.group, err.name, err.entry_point) == (
            ENTRY_POINT_GROUP,
            "broken",
            "acme_missing_module:factory",
        )
        assert isinstance(err.__cause__, ModuleNotFoundError)
        assert isinstance(err, ImportError)
        assert "acme_missing_module" in str(err)
        assert registry.get("worst-of") is not None
        assert registry.get("fine-kinney") is not None

    def test_a_name_declared_twice(self, plugins):
        """Two plugins with one name: looking it up is an error naming both; other names are unaffected."""
        registry = StrategyRegistry()
        with pytest.raises(PluginRegistrationError, match="acme_other:WorstOf") as info:
            registry.get("twice")
        assert "acme_plugin:WorstOf" in str(info.value)
        assert registry.available()["twice"].problem is not None
        assert registry.get("worst-of") is not None

    def test_a_plugin_named_like_a_builtin(self, plugins):
        """A plugin named like a built-in is an error until one is chosen with replace=True."""
        registry = StrategyRegistry()
        with pytest.raises(PluginRegistrationError, match="builtin"):
            registry.get("matrix")
        builtin = StrategyRegistry(entry_points=False).get("matrix")
        registry.register("matrix", builtin, replace=True)
        assert registry.get("matrix") is builtin
        assert registry.available()["matrix"].problem is None

    def test_not_callable(self, plugins):
        """An entry point that is not a factory is refused when loaded."""
        with pytest.raises(PluginRegistrationError, match="not a factory"):
            StrategyRegistry().get("not-callable")

    def test_without_entry_points(self, plugins):
        """A registry made with entry_points=False never reads them."""
        registry = StrategyRegistry(entry_points=False)
        with pytest.raises(UnknownPluginError):
            registry.get("worst-of")
        assert plugins == []


class TestRegistration:
    def test_duplicate_and_replace(self):
        """Registering a taken name is an error unless replacement is asked for."""
        registry = StrategyRegistry(entry_points=False)
        with pytest.raises(PluginRegistrationError, match="taken by builtin"):
            registry.register("product", get_strategy("matrix"))
        registry.register("product", get_strategy("matrix"), replace=True)
        assert registry.get("product") is get_strategy("matrix")
        assert registry.available()["product"].origin == "registered"
        assert get_strategy("product").__name__ == "product"  # the default registry is untouched

    @pytest.mark.parametrize("name", ["Product", "a b", "", "x.y", 3])
    def test_bad_names(self, name):
        """A strategy name is a slug."""
        with pytest.raises(PluginRegistrationError):
            StrategyRegistry(entry_points=False).register(name, get_strategy("matrix"))

    def test_not_callable(self):
        """A factory must be callable."""
        with pytest.raises(PluginRegistrationError, match="callable"):
            StrategyRegistry(entry_points=False).register("x", "not a factory")

    def test_unknown(self):
        """An unknown strategy names what is available and suggests the nearest."""
        with pytest.raises(UnknownPluginError) as info:
            StrategyRegistry(entry_points=False).get("fine-kiney")
        assert "did you mean 'fine-kinney'" in str(info.value)
        assert "matrix" in info.value.available
        assert isinstance(info.value, LookupError)

    def test_factory_returning_something_else(self):
        """A factory that returns something that is not a strategy is refused."""
        registry = StrategyRegistry(entry_points=False)
        registry.register("odd", lambda params, catalogue: object())
        with pytest.raises(PluginRegistrationError, match="not a ScoringStrategy"):
            scorer(method("odd"), CAT, registry=registry)

    def test_factory_that_fails(self):
        """A factory's own failure becomes a PluginError, with its cause."""
        registry = StrategyRegistry(entry_points=False)

        def factory(params, catalogue):
            raise RuntimeError("boom")

        registry.register("fails", factory)
        with pytest.raises(PluginError, match="boom") as info:
            scorer(method("fails"), CAT, registry=registry)
        assert isinstance(info.value.__cause__, RuntimeError)


def test_import_does_not_scan_entry_points():
    """Importing the scoring package reads no entry points; the first lookup does."""
    code = (
        "import sys; from forsvarlig.scoring import StrategyRegistry, scorer;"
        "r = StrategyRegistry(); print('importlib.metadata' in sys.modules);"
        "r.get('matrix'); print('importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_installed_plugin_is_found(tmp_path):
    """A plugin distribution installed into a fresh environment is found through its entry point and scores."""
    src = tmp_path / "acme-scoring"
    (src / "acme_scoring").mkdir(parents=True)
    (src / "acme_scoring" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    (src / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"

            [project]
            name = "acme-scoring"
            version = "0.1"

            [project.entry-points."forsvarlig.scoring"]
            worst-of = "acme_scoring:WorstOf"
            """
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(src),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if installed.returncode != 0:
        pytest.fail(f"installing the plugin failed:\n{installed.stderr}")
    code = textwrap.dedent(
        """\
        from forsvarlig import Method, Text, default_catalogue
        from forsvarlig.scoring import available_strategies, scorer
        from forsvarlig.testing import check_strategy
        info = available_strategies()["worst-of"]
        print(info.origin, info.entry_point)
        m = Method(id="acme.m", label=Text(nb="M", en="M"), strategy="worst-of", version=1,
                   params={"dimensions": {"frequency": "fv.at-frequency", "consequence": "fv.at-consequence"},
                           "bands": "fv.four-bands"})
        s = scorer(m, default_catalogue())
        check_strategy(s, monotone=True)
        print(s.score({"frequency": "very-often", "consequence": "minor"}).vector)
        """
    )
    import os

    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "acme-scoring 0.1 acme_scoring:WorstOf",
        "FV:1/acme.m@1/frequency:very-often/consequence:minor",
    ]
