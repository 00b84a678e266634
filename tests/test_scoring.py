"""Scoring: built-in methods, properties of strategies, vectors, configuration errors."""

import itertools
import math
import pickle
import textwrap
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forsvarlig import (
    Catalogue,
    CatalogueValidationError,
    Level,
    Method,
    Scale,
    ScaleKind,
    ScoringError,
    Text,
    UnknownPluginError,
    UnknownReferenceError,
    ValidationError,
    default_catalogue,
    load_catalogue,
)
from forsvarlig.scoring import (
    Score,
    ScoreColumns,
    ScoringStrategy,
    StrategyRegistry,
    TabulatedStrategy,
    check_methods,
    parse_vector,
    scorer,
)
from forsvarlig.testing import check_strategy, risk_matrices, score_columns, scores

CAT = default_catalogue()
METHODS = list(CAT.methods)


def combinations(strategy):
    dims = strategy.dimensions
    for combo in itertools.product(*(s.ids for s in dims.values())):
        yield dict(zip(dims, combo, strict=True))


class TestBuiltinMethods:
    def test_a_method_for_every_matrix_and_strategy(self):
        """Every shipped matrix has a method, and every built-in strategy is used by one."""
        matrices = {m.params.get("matrix") for m in CAT.methods.values() if m.strategy == "matrix"}
        assert matrices == set(CAT.matrices)
        used = {m.strategy for m in CAT.methods.values()}
        assert used == set(StrategyRegistry(entry_points=False).available())

    def test_every_method_configures(self):
        """The built-in catalogue's methods all configure."""
        check_methods(CAT)

    @pytest.mark.parametrize("method_id", METHODS)
    def test_conformance(self, method_id):
        """Every built-in method keeps the protocol, and is monotone."""
        check_strategy(scorer(method_id, CAT), monotone=True)

    @pytest.mark.parametrize("method_id", METHODS)
    def test_vectors_round_trip_for_every_combination(self, method_id):
        """For every combination of levels, the vector parses back and scores the same."""
        strategy = scorer(method_id, CAT)
        for levels in combinations(strategy):
            score = strategy.score(levels)
            assert parse_vector(score.vector) == (method_id, CAT.method(method_id).version, levels)
            assert Score.from_vector(score.vector, CAT) == score

    def test_matrix_method_is_its_matrix(self):
        """A matrix method's band is the matrix cell's, and its value the band's rank."""
        for method in CAT.methods.values():
            if method.strategy != "matrix":
                continue
            m = CAT.matrix(method.params["matrix"])
            strategy = scorer(method.id, CAT)
            rows, columns = strategy.dimensions
            for row, column, band in m.cells():
                score = strategy.score({rows: row.id, columns: column.id})
                assert (score.band, score.value) == (band.id, float(band.rank))

    def test_product_agrees_with_the_5x5_matrix(self):
        """The product of ranks on the 5 x 5 scales gives the 5 x 5 matrix's band in every cell, as its note says."""
        product = scorer("fv.product-5x5", CAT)
        matrix = scorer("fv.matrix-5x5", CAT)
        for levels in combinations(product):
            assert product.score(levels).band == matrix.score(levels).band

    def test_the_talks_point(self):
        """Daily complaints are a high risk on the talk's matrix."""
        s = scorer("fv.talk-matrix", CAT).score({"frequency": "daily", "consequence": "complaints"})
        assert s.band == "high"


def _fine_kinney_band(r):
    # DOMAIN.md § 3.3 with the documented edges: [20, 70) possible, [70, 200)
    # substantial, [200, 400] high, above 400 very high.
    if r < 20:
        return "low"
    if r < 70:
        return "possible"
    if r < 200:
        return "substantial"
    if r <= 400:
        return "high"
    return "very-high"


class TestFineKinney:
    @pytest.mark.parametrize("method_id", ["fv.fine-kinney", "fv.fine-kinney-psychosocial"])
    def test_every_combination(self, method_id):
        """R = P x E x C exactly, banded as documented, for every combination."""
        strategy = scorer(method_id, CAT)
        for levels in combinations(strategy):
            exact = math.prod(
                Fraction(str(strategy.dimensions[d].level(lv).value)) for d, lv in levels.items()
            )
            score = strategy.score(levels)
            assert score.value == float(exact)
            assert score.band == _fine_kinney_band(exact), levels

    def test_values_are_kinneys(self):
        """The scales carry the values of DOMAIN.md § 3.3."""
        values = {sid: [lv.value for lv in CAT.scale(sid)] for sid in CAT.scales if "kinney" in sid}
        assert values["fv.kinney-probability"] == [0.1, 0.2, 0.5, 1, 3, 6, 10]
        assert values["fv.kinney-exposure"] == [0.5, 1, 2, 3, 6, 10]
        assert values["fv.kinney-consequence"] == [1, 3, 7, 15, 40, 100]
        assert values["fv.kinney-consequence-psychosocial"] == [1, 3, 7, 15, 40, 100]

    def test_on_and_around_every_edge(self):
        """The method's thresholds band values just under, on and just over each edge as documented."""
        values = sorted(edge + nudge for edge in (20, 70, 200, 400) for nudge in (-1e-6, 0, 1e-6))
        scale = Scale(
            id="edge.r",
            kind=ScaleKind.SEVERITY,
            label=Text(nb="R", en="R"),
            levels=tuple(
                Level(id=f"v{i}", rank=i + 1, label=Text(nb="v", en="v"), value=v)
                for i, v in enumerate(values)
            ),
        )
        fine_kinney = CAT.method("fv.fine-kinney").params
        method = Method(
            id="edge.fk",
            label=Text(nb="R", en="R"),
            strategy="product",
            version=1,
            params={**fine_kinney, "dimensions": {"r": scale.id}, "of": "value"},
        )
        cat = attrs.evolve(CAT, scales={**CAT.scales, scale.id: scale}, methods={method.id: method})
        strategy = scorer(method, cat)
        for i, v in enumerate(values):
            assert strategy.score({"r": f"v{i}"}).band == _fine_kinney_band(v), v


class TestOiRA:
    def test_three_criteria(self):
        """Every combination gives Euphorie's priority: product <= 15 low, <= 50 medium, else high."""
        strategy = scorer("fv.oira-three-criteria", CAT)
        assert [lv.value for lv in CAT.scale("fv.oira-probability")] == [1, 3, 5]
        assert [lv.value for lv in CAT.scale("fv.oira-frequency")] == [1, 4, 7]
        assert [lv.value for lv in CAT.scale("fv.oira-severity")] == [1, 5, 10]
        seen = set()
        for levels in combinations(strategy):
            product = math.prod(strategy.dimensions[d].level(lv).value for d, lv in levels.items())
            expected = "low" if product <= 15 else "medium" if product <= 50 else "high"
            assert strategy.score(levels).band == expected, levels
            seen.add(expected)
        assert seen == {"low", "medium", "high"}

    def test_two_criteria(self):
        """Every combination gives Euphorie's priority: product < 10 low, <= 45 medium, else high."""
        strategy = scorer("fv.oira-two-criteria", CAT)
        assert [lv.value for lv in CAT.scale("fv.oira-frequency-4")] == [1, 3, 7, 9]
        assert [lv.value for lv in CAT.scale("fv.oira-severity-4")] == [1, 5, 7, 10]
        seen = set()
        for levels in combinations(strategy):
            product = math.prod(strategy.dimensions[d].level(lv).value for d, lv in levels.items())
            expected = "low" if product < 10 else "medium" if product <= 45 else "high"
            assert strategy.score(levels).band == expected, levels
            seen.add(expected)
        assert seen == {"low", "medium", "high"}


def _matrix_catalogue(m):
    method = Method(
        id=m.id.split(".")[0] + ".scored",
        label=Text(en="m", nb="m"),
        strategy="matrix",
        version=1,
        params={"matrix": m.id, "dimensions": ["rows", "columns"]},
    )
    cat = Catalogue(
        namespaces={m.id.split(".")[0]: "1"},
        scales={m.rows.id: m.rows, m.columns.id: m.columns},
        band_sets={m.bands.id: m.bands},
        matrices={m.id: m},
        methods={method.id: method},
    )
    return scorer(method, cat)


class TestProperties:
    @given(risk_matrices(monotone=True, namespace="t"))
    def test_monotone_matrices_give_monotone_scores(self, m):
        """On a monotone matrix, raising either level never lowers the band or the value."""
        strategy = _matrix_catalogue(m)
        for levels in combinations(strategy):
            score = strategy.score(levels)
            for d, scale in strategy.dimensions.items():
                rank = scale.rank(levels[d])
                if rank < len(scale):
                    up = strategy.score({**levels, d: scale.levels[rank].id})
                    assert up.band_rank >= score.band_rank
                    assert up.value >= score.value

    @given(risk_matrices(namespace="t"))
    def test_any_matrix_keeps_the_protocol(self, m):
        """Any matrix, monotone or not, makes a conforming strategy."""
        check_strategy(_matrix_catalogue(m))

    @given(st.sampled_from(METHODS), st.data())
    def test_score_many_equals_score_row_by_row(self, method_id, data):
        """score_many gives, row by row, what score gives."""
        strategy = scorer(method_id, CAT)
        rows = data.draw(
            st.lists(
                st.fixed_dictionaries({d: st.sampled_from(s.ids) for d, s in strategy.dimensions.items()}),
                max_size=30,
            )
        )
        columns = {d: [row[d] for row in rows] for d in strategy.dimensions}
        many = strategy.score_many(columns)
        assert len(many) == len(rows)
        assert list(many) == [strategy.score(row) for row in rows]
        assert many.records() == [
            {**row, "value": s.value, "band": s.band} for row, s in zip(rows, many, strict=True)
        ]

    @given(scores())
    def test_vector_parses_back(self, score):
        """A bound score's vector gives back its method, version and inputs."""
        if score.method is None:
            with pytest.raises(ScoringError, match="not bound"):
                _ = score.vector
        else:
            assert parse_vector(score.vector) == (score.method, score.version, score.inputs)

    @given(scores())
    def test_score_pickles(self, score):
        """Scores pickle."""
        assert pickle.loads(pickle.dumps(score)) == score

    @given(score_columns())
    def test_columns_index_and_iterate(self, cols):
        """Row i of the columns is the score made from the row's values."""
        assert len(list(cols)) == len(cols)
        for i, s in enumerate(cols):
            assert (s.band, s.value, s.band_rank) == (
                cols.bands[i],
                cols.values[i],
                cols.band_order.index(s.band) + 1,
            )


class TestErrors:
    strategy = scorer("fv.matrix-5x5", CAT)

    def test_unknown_level(self):
        """An unknown level names the dimension and scale, and suggests the nearest level."""
        with pytest.raises(ScoringError) as info:
            self.strategy.score({"likelihood": "likley", "consequence": "major"})
        err = info.value
        assert (err.method, err.dimension, err.level, err.scale) == (
            "fv.matrix-5x5",
            "likelihood",
            "likley",
            "fv.likelihood-5",
        )
        assert err.suggestions == ("likely",)
        assert "did you mean 'likely'" in str(err)
        assert isinstance(err, ValueError)

    def test_missing_and_unknown_dimensions(self):
        """A missing dimension, or one the method does not have, is a ScoringError with a suggestion."""
        with pytest.raises(ScoringError, match="no level given for consequence"):
            self.strategy.score({"likelihood": "likely"})
        with pytest.raises(ScoringError, match="did you mean 'consequence'"):
            self.strategy.score({"likelihood": "likely", "consequense": "major"})
        with pytest.raises(ScoringError, match="unknown dimension 'severity'"):
            self.strategy.score({"likelihood": "likely", "consequence": "major", "severity": "x"})

    @pytest.mark.parametrize("bad", [None, 3, ["likely"], {"a": 1}])
    def test_level_of_any_type(self, bad):
        """A level that is not a string is a ScoringError, not a TypeError."""
        with pytest.raises(ScoringError, match="unknown level"):
            self.strategy.score({"likelihood": bad, "consequence": "major"})

    def test_not_a_mapping(self):
        """Levels that are not a mapping are a ScoringError."""
        with pytest.raises(ScoringError, match="mapping"):
            self.strategy.score(["likely", "major"])

    def test_many_names_the_row(self):
        """score_many names the first row at fault."""
        with pytest.raises(ScoringError) as info:
            self.strategy.score_many(
                {"likelihood": ["likely", "likely", "possble"], "consequence": ["major", "minor", "minor"]}
            )
        assert info.value.row == 2
        assert "row 2" in str(info.value)

    def test_many_lengths_and_columns(self):
        """Columns of different lengths, missing columns and non-sequences are ScoringErrors."""
        with pytest.raises(ScoringError, match="differ in length"):
            self.strategy.score_many({"likelihood": ["likely"], "consequence": []})
        with pytest.raises(ScoringError, match="no column given for consequence"):
            self.strategy.score_many({"likelihood": ["likely"]})
        with pytest.raises(ScoringError, match="sequence"):
            self.strategy.score_many({"likelihood": 3, "consequence": 4})
        with pytest.raises(ScoringError, match="mapping"):
            self.strategy.score_many([["likely"], ["major"]])
        for unordered in ("likely", b"likely", {"likely", "possible"}, {"likely": 1}, frozenset()):
            with pytest.raises(ScoringError, match="ordered sequence"):
                self.strategy.score_many({"likelihood": unordered, "consequence": ["major", "minor"]})
        cols = self.strategy.score_many({"likelihood": (x for x in ["likely"]), "consequence": ["major"]})
        assert cols.bands == ("high",)

    def test_columns_take_one_row_at_a_time(self):
        """Indexing score columns gives one row's Score; a slice is refused, negative indices count from the end."""
        cols = self.strategy.score_many(
            {"likelihood": ["likely", "unlikely"], "consequence": ["major", "minor"]}
        )
        assert cols[-1] == cols[1]
        with pytest.raises(TypeError):
            cols[0:1]

    def test_error_pickles(self):
        """A ScoringError pickles with its attributes."""
        with pytest.raises(ScoringError) as info:
            self.strategy.score({"likelihood": "likley", "consequence": "major"})
        back = pickle.loads(pickle.dumps(info.value))
        assert vars(back) == vars(info.value)
        assert str(back) == str(info.value)

    @pytest.mark.parametrize(
        "vector",
        [
            "",
            "CVSS:3.1/AV:N",
            "FV:1",
            "FV:1/fv.matrix-5x5",
            "FV:1/fv.matrix-5x5@0/likelihood:likely",
            "FV:1/matrix@1/likelihood:likely",
            "FV:1/fv.matrix-5x5@1/",
            "FV:1/fv.matrix-5x5@1/likelihood=likely",
            "FV:1/fv.matrix-5x5@1/likelihood:likely/likelihood:likely",
            "FV:1/fv.matrix-5x5@1/Likelihood:likely",
        ],
    )
    def test_bad_vectors(self, vector):
        """A string that is not a vector is a ScoringError saying so."""
        with pytest.raises(ScoringError):
            parse_vector(vector)

    def test_vector_of_another_version(self):
        """A vector made with another version of the method is refused, not re-scored differently."""
        with pytest.raises(ScoringError, match="version 2"):
            Score.from_vector("FV:1/fv.matrix-5x5@2/likelihood:likely/consequence:major", CAT)

    def test_vector_of_unknown_method(self):
        """A vector naming a method the catalogue lacks says which, with a suggestion."""
        with pytest.raises(UnknownReferenceError, match=r"fv\.matrix-5x5"):
            Score.from_vector("FV:1/fv.matrix-5x6@1/likelihood:likely/consequence:major", CAT)

    def test_vector_with_an_unknown_level(self):
        """A vector with a level the method lacks is a ScoringError."""
        with pytest.raises(ScoringError, match="unknown level"):
            Score.from_vector("FV:1/fv.matrix-5x5@1/likelihood:sometimes/consequence:major", CAT)


class TestTabulated:
    def test_bad_band_and_value(self):
        """A tabulated strategy refuses a band its band set lacks, and a value that is not finite."""
        scale = CAT.scale("fv.at-frequency")
        bands = CAT.band_set("fv.three-bands")
        with pytest.raises(ScoringError, match="does not have"):
            TabulatedStrategy("x", {"f": scale}, bands, lambda levels: (1.0, "hgh"))
        with pytest.raises(ScoringError, match="finite"):
            TabulatedStrategy("x", {"f": scale}, bands, lambda levels: (math.nan, "high"))

    def test_unbound_scores_have_no_vector(self):
        """A strategy not bound to a method scores, but its scores have no vector."""
        scale = CAT.scale("fv.at-frequency")
        s = TabulatedStrategy("x", {"f": scale}, CAT.band_set("fv.three-bands"), lambda levels: (1.0, "low"))
        check_strategy(s)
        assert s.score({"f": "rare"}).method is None
        with pytest.raises(ScoringError, match="not bound"):
            _ = s.score({"f": "rare"}).vector

    def test_large_tables_fill_on_use(self):
        """A strategy with very many combinations scores them on demand."""
        scale = CAT.scale("fv.kinney-probability")
        dims = {f"d{i}": scale for i in range(6)}  # 7**6 = 117,649 combinations
        calls = []

        def evaluate(levels):
            calls.append(1)
            return 1.0, "low"

        s = TabulatedStrategy("big", dims, CAT.band_set("fv.three-bands"), evaluate)
        assert not calls
        levels = dict.fromkeys(dims, "expected")
        assert s.score(levels).band == "low"
        assert s.score_many({d: ["expected", "unusual"] for d in dims}).bands == ("low", "low")
        assert len(calls) == 2
        with pytest.raises(ScoringError, match="unknown level"):
            s.score({**levels, "d3": "nope"})

    def test_protocol_is_runtime_checkable(self):
        """Anything with the members is a ScoringStrategy to isinstance; a plain object is not."""
        assert isinstance(scorer("fv.fine-kinney", CAT), ScoringStrategy)
        assert not isinstance(object(), ScoringStrategy)


def test_columns_round_trip():
    """ScoreColumns and Score go through plain data and back."""
    from forsvarlig import from_dict, to_dict

    cols = scorer("fv.oira-two-criteria", CAT).score_many(
        {"frequency": ["rare", "often"], "severity": ["weak", "severe"]}
    )
    assert from_dict(to_dict(cols), ScoreColumns) == cols
    assert from_dict(to_dict(cols[1]), Score) == cols[1]


def _layer(tmp_path, methods_yaml, extra=""):
    path = tmp_path / "acme.yaml"
    path.write_text(
        'forsvarlig: catalogue/1\nnamespace: acme\nversion: "1"\n'
        + extra
        + "methods:\n"
        + textwrap.indent(methods_yaml, "  "),
        encoding="utf-8",
    )
    return load_catalogue(path)


def _problems(tmp_path, methods_yaml, extra=""):
    cat = _layer(tmp_path, methods_yaml, extra)
    with pytest.raises(CatalogueValidationError) as info:
        check_methods(cat)
    return info.value.problems


class TestConfiguration:
    def test_a_layers_method_scores(self, tmp_path):
        """An integrator's method on built-in scales configures and scores."""
        cat = _layer(
            tmp_path,
            textwrap.dedent(
                """\
                - id: acme.product
                  label: {nb: Produkt, en: Product}
                  strategy: product
                  version: 3
                  params:
                    dimensions: {frequency: fv.at-frequency, consequence: fv.at-consequence}
                    bands: fv.three-bands
                    thresholds: [{band: medium, at_least: 4}, {band: high, above: 8}]
                """
            ),
        )
        check_methods(cat)
        s = scorer("acme.product", cat).score({"frequency": "often", "consequence": "serious"})
        assert (s.value, s.band, s.version) == (9.0, "high", 3)
        assert s.vector == "FV:1/acme.product@3/frequency:often/consequence:serious"

    def test_unknown_references_are_placed(self, tmp_path):
        """Unknown matrix and strategy names are reported with file, line, path and a suggestion."""
        problems = _problems(
            tmp_path,
            textwrap.dedent(
                """\
                - id: acme.a
                  label: {nb: A, en: A}
                  strategy: matrix
                  version: 1
                  params: {matrix: fv.talk-frequency-by-consequense}
                - id: acme.b
                  label: {nb: B, en: B}
                  strategy: fine-kiney
                  version: 1
                """
            ),
        )
        got = {(p.path, p.line, p.code) for p in problems}
        assert got == {
            ("$.methods[0].params.matrix", 9, "reference"),
            ("$.methods[1].strategy", 12, "reference"),
        }
        text = "\n".join(map(str, problems))
        assert "did you mean 'fv.talk-frequency-by-consequence'" in text
        assert "did you mean 'fine-kinney'" in text
        assert all(p.source.endswith("acme.yaml") for p in problems)

    def test_every_param_problem_at_once(self, tmp_path):
        """A broken product method reports each problem in its params, each placed."""
        problems = _problems(
            tmp_path,
            textwrap.dedent(
                """\
                - id: acme.p
                  label: {nb: P, en: P}
                  strategy: product
                  version: 1
                  params:
                    dimensions: {likelihood: fv.likelihood-6, consequence: fv.consequence-5}
                    of: value
                    bands: fv.four-bands
                    thresholds:
                      - {band: hihg, above: 5}
                      - {band: moderate, above: 4}
                      - {band: low, above: 10}
                """
            ),
        )
        by_path = {p.path: p for p in problems}
        assert (
            "did you mean 'fv.likelihood-5'" in by_path["$.methods[0].params.dimensions.likelihood"].message
        )
        assert "lacks one" in by_path["$.methods[0].params.dimensions.consequence"].message
        assert "did you mean 'high'" in by_path["$.methods[0].params.thresholds[0].band"].message
        assert "edges go up" in by_path["$.methods[0].params.thresholds[1].above"].message
        assert "thresholds go up" in by_path["$.methods[0].params.thresholds[2].band"].message
        assert all(p.line for p in problems)

    def test_unknown_param_key(self, tmp_path):
        """A misspelt key in params is an unknown key with a suggestion."""
        problems = _problems(
            tmp_path,
            "- {id: acme.m, label: {nb: M, en: M}, strategy: matrix, version: 1, params: {matrx: fv.x}}\n",
        )
        assert [(p.path, p.code, p.line) for p in problems] == [
            ("$.methods[0].params.matrix", "missing", 5),
            ("$.methods[0].params.matrx", "unknown-key", 5),
        ]
        assert "did you mean 'matrix'" in problems[1].message

    def test_named_strategies_check_their_dimensions(self, tmp_path):
        """Fine-Kinney needs probability, exposure and consequence, on scales of fitting kinds."""
        problems = _problems(
            tmp_path,
            textwrap.dedent(
                """\
                - id: acme.fk
                  label: {nb: FK, en: FK}
                  strategy: fine-kinney
                  version: 1
                  params:
                    dimensions: {probability: fv.kinney-consequence, exposur: fv.kinney-exposure}
                    bands: fv.kinney-bands
                    thresholds: [{band: possible, at_least: 20}]
                """
            ),
        )
        text = "\n".join(map(str, problems))
        assert "did you mean 'exposure'" in text
        assert "no scale given for the dimension 'consequence'" in text
        assert "needs a scale of kind likelihood or probability" in text

    def test_both_edges(self, tmp_path):
        """A threshold gives one edge, not two."""
        problems = _problems(
            tmp_path,
            textwrap.dedent(
                """\
                - id: acme.p
                  label: {nb: P, en: P}
                  strategy: product
                  version: 1
                  params:
                    dimensions: {likelihood: fv.likelihood-5}
                    bands: fv.three-bands
                    thresholds: [{band: medium, above: 2, at_least: 2}]
                """
            ),
        )
        assert [p.path for p in problems] == ["$.methods[0].params.thresholds[0].above"]

    def test_method_shape_is_checked_on_load(self, tmp_path):
        """A method's own fields are checked when the layer loads: version, strategy name, id."""
        path = tmp_path / "bad.yaml"
        path.write_text(
            textwrap.dedent(
                """\
                forsvarlig: catalogue/1
                namespace: acme
                version: "1"
                methods:
                  - {id: acme.m, label: {nb: M, en: M}, strategy: Matrix, version: 0}
                """
            ),
            encoding="utf-8",
        )
        with pytest.raises(CatalogueValidationError) as info:
            load_catalogue(path)
        assert {p.path for p in info.value.problems} <= {"$.methods[0].strategy", "$.methods[0].version"}
        assert all(p.line == 5 for p in info.value.problems)

    def test_method_not_from_a_file(self):
        """A method made in code, with bad params, is named in the problem's path."""
        method = Method(
            id="x.m", label=Text(nb="M", en="M"), strategy="matrix", version=1, params={"matrix": "fv.nope"}
        )
        with pytest.raises(CatalogueValidationError) as info:
            scorer(method, CAT)
        assert info.value.problems[0].path == "x.m:$.params.matrix"

    def test_same_kind_matrix_needs_dimension_names(self, tmp_path):
        """A matrix whose two scales are of one kind needs its dimensions named."""
        extra = textwrap.dedent(
            """\
            matrices:
              - id: acme.grid
                label: {nb: G, en: G}
                rows: fv.at-consequence
                columns: fv.consequence-5
                bands: fv.three-bands
                grid:
                  very-serious:  [low, medium, high, high, high]
                  serious:       [low, medium, medium, high, high]
                  minor:         [low, low, medium, medium, medium]
                  insignificant: [low, low, low, low, low]
            """
        )
        method = "- {id: acme.g, label: {nb: G, en: G}, strategy: matrix, version: 1, params: {matrix: acme.grid}}\n"
        problems = _problems(tmp_path, method, extra)
        assert "dimensions need names" in problems[0].message
        named = method.replace("{matrix: acme.grid}", "{matrix: acme.grid, dimensions: [now, later]}")
        cat = _layer(tmp_path, named, extra)
        assert list(scorer("acme.g", cat).dimensions) == ["now", "later"]


class TestReviewFindings:
    """Holes a newcomer's review found; each stays closed."""

    def test_plugin_lookups_are_placed_and_every_method_checked(self, tmp_path):
        """A plugin's unknown-scale lookup and a bad band become placed problems; the other methods are still checked."""
        registry = StrategyRegistry(entry_points=False)

        def looks_up(params, catalogue):
            scale = catalogue.scale(params["scale"])
            return TabulatedStrategy(
                "looks-up", {"x": scale}, catalogue.band_set("fv.three-bands"), lambda lv: (1.0, "low")
            )

        def bad_band(params, catalogue):
            scale = catalogue.scale("fv.at-frequency")
            return TabulatedStrategy(
                "bad-band", {"x": scale}, catalogue.band_set("fv.three-bands"), lambda lv: (1.0, "hgh")
            )

        registry.register("looks-up", looks_up)
        registry.register("bad-band", bad_band)
        cat = _layer(
            tmp_path,
            textwrap.dedent(
                """\
                - {id: acme.a, label: {nb: A, en: A}, strategy: looks-up, version: 1, params: {scale: fv.at-frequncy}}
                - {id: acme.b, label: {nb: B, en: B}, strategy: bad-band, version: 1}
                - {id: acme.c, label: {nb: C, en: C}, strategy: matrix, version: 1, params: {matrix: fv.nope}}
                """
            ),
        )
        with pytest.raises(CatalogueValidationError) as info:
            check_methods(cat, registry=registry)
        lines = sorted(p.line for p in info.value.problems)
        assert lines == [5, 6, 7]
        text = str(info.value)
        assert "did you mean 'fv.at-frequency'" in text
        assert "'hgh'" in text

    @pytest.mark.parametrize("names", [["How Likely", "x"], ["value", "x"], ["a", "band"]])
    def test_dimension_names_are_slugs_and_not_reserved(self, tmp_path, names):
        """Dimension names must be slugs, and not `value` or `band` (records() uses those)."""
        method = (
            "- {id: acme.m, label: {nb: M, en: M}, strategy: matrix, version: 1,"
            f" params: {{matrix: fv.likelihood-by-consequence-5, dimensions: [{names[0]!r}, {names[1]!r}]}}}}\n"
        )
        problems = _problems(tmp_path, method)
        assert "cannot name a dimension" in problems[0].message

    def test_repeated_dimension_name(self, tmp_path):
        """A matrix method naming both dimensions alike says so."""
        method = (
            "- {id: acme.m, label: {nb: M, en: M}, strategy: matrix, version: 1,"
            " params: {matrix: fv.likelihood-by-consequence-5, dimensions: [a, a]}}\n"
        )
        assert "different names" in _problems(tmp_path, method)[0].message

    def test_tabulated_strategy_checks_its_arguments(self):
        """TabulatedStrategy refuses bad dimension names, non-scales, a non-band-set and a malformed evaluate."""
        scale, bands = CAT.scale("fv.at-frequency"), CAT.band_set("fv.three-bands")
        with pytest.raises(ScoringError, match="cannot name a dimension"):
            TabulatedStrategy("x", {"Not A Slug": scale}, bands, lambda lv: (1.0, "low"))
        with pytest.raises(TypeError, match="must map to a Scale"):
            TabulatedStrategy("x", {"f": "fv.at-frequency"}, bands, lambda lv: (1.0, "low"))
        with pytest.raises(TypeError, match="BandSet"):
            TabulatedStrategy("x", {"f": scale}, "fv.three-bands", lambda lv: (1.0, "low"))
        for result in (None, (1.0, "low", 3), (1.0, ["low"])):
            with pytest.raises(ScoringError):
                TabulatedStrategy("x", {"f": scale}, bands, lambda lv, result=result: result)

    def test_wrong_argument_types(self):
        """scorer and Score.from_vector refuse what is not a method or a catalogue with a clear TypeError."""
        with pytest.raises(TypeError, match="method must be"):
            scorer(None, CAT)
        with pytest.raises(TypeError, match="catalogue must be"):
            scorer("fv.matrix-5x5", None)
        with pytest.raises(TypeError, match="catalogue must be"):
            Score.from_vector("FV:1/fv.matrix-5x5@1/likelihood:likely/consequence:major", None)
        registry = StrategyRegistry(entry_points=False)
        with pytest.raises(UnknownPluginError):
            registry.get(["matrix"])
        assert ["matrix"] not in registry

    def test_score_checks_value_and_band(self):
        """A Score made by hand with a non-number value or a non-string band is refused."""
        with pytest.raises(ValidationError):
            Score(value="x", band="low", band_rank=1, band_set="fv.b", strategy="s", inputs={}, scales={})
        with pytest.raises(ValidationError):
            Score(value=1.0, band=1, band_rank=1, band_set="fv.b", strategy="s", inputs={}, scales={})

    def test_check_strategy_reports_the_wrong_error(self):
        """check_strategy turns a plugin's stray KeyError into an AssertionError that says what was expected."""

        class Sloppy:
            name = "matrix"

            def __init__(self):
                self.inner = scorer("fv.matrix-5x5", CAT)
                self.dimensions = self.inner.dimensions
                self.bands = self.inner.bands

            def score(self, levels):
                if levels.get("likelihood") not in self.dimensions["likelihood"]:
                    raise KeyError(levels.get("likelihood"))
                return self.inner.score(levels)

            def score_many(self, columns):
                return self.inner.score_many(columns)

        with pytest.raises(AssertionError, match="must raise ScoringError, not KeyError"):
            check_strategy(Sloppy())
        with pytest.raises(ValueError, match="max_combinations"):
            check_strategy(scorer("fv.matrix-5x5", CAT), max_combinations=0)
