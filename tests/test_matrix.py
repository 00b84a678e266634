"""Risk bands, matrices, and RiskMatrix.check() against brute-force readings of the axioms."""

import itertools
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forsvarlig import (
    BandSet,
    Level,
    RiskBand,
    RiskMatrix,
    Scale,
    ScaleKind,
    Text,
    ValidationError,
    default_catalogue,
    from_dict,
)
from forsvarlig.testing import band_sets, risk_matrices, scales


def bands3() -> BandSet:
    return BandSet(
        id="t.bands",
        label=Text(en="bands"),
        bands=tuple(
            RiskBand(id=c, rank=i + 1, label=Text(en=c), colour="#000000", action=Text(en="act"))
            for i, c in enumerate(("g", "y", "r"))
        ),
    )


def scale(n: int, kind: ScaleKind, name: str, bounds=None) -> Scale:
    return Scale(
        id=f"t.{name}",
        kind=kind,
        label=Text(en=name),
        levels=tuple(
            Level(id=f"l{i}", rank=i + 1, label=Text(en=str(i)), bounds=bounds[i] if bounds else None)
            for i in range(n)
        ),
    )


def matrix(grid_rows_low_first, rows=None, columns=None, bands=None) -> RiskMatrix:
    n, m = len(grid_rows_low_first), len(grid_rows_low_first[0])
    return RiskMatrix(
        id="t.m",
        label=Text(en="m"),
        rows=rows or scale(n, ScaleKind.LIKELIHOOD, "r"),
        columns=columns or scale(m, ScaleKind.CONSEQUENCE, "c"),
        bands=bands or bands3(),
        grid=tuple(tuple(row) for row in grid_rows_low_first),
    )


# ---------------------------------------------------------------------------
# Brute-force readings, written from the axioms' words, not from check().


def _exact_intervals(s: Scale) -> list[tuple[Fraction, Fraction]]:
    if s.has_bounds:
        return [(Fraction(lv.bounds[0]), Fraction(lv.bounds[1])) for lv in s.levels]
    n = len(s)
    return [(Fraction(i, n), Fraction(i + 1, n)) for i in range(n)]


def _points(m: RiskMatrix, r: int, c: int, k: int = 2):
    """A lattice over the closed cell, corners included (risk is monotone, so enough)."""
    (a, b), (lo_c, hi_c) = _exact_intervals(m.rows)[r], _exact_intervals(m.columns)[c]
    for i in range(k + 1):
        for j in range(k + 1):
            yield (a + (b - a) * i / k) * (lo_c + (hi_c - lo_c) * j / k)


def brute_weak(m: RiskMatrix) -> bool:
    """Every point of a cell two or more bands up is riskier than every point of the lower cell."""
    rank = {b.id: b.rank for b in m.bands}
    cells = list(itertools.product(range(len(m.rows)), range(len(m.columns))))
    for h, g in itertools.product(cells, cells):
        apart = rank[m.grid[h[0]][h[1]]] - rank[m.grid[g[0]][g[1]]] >= 2
        if apart and not all(p > q for p in _points(m, *h) for q in _points(m, *g)):
            return False
    return True


def _walk(a, b):
    """The cells a straight segment from point a to point b passes through (half-open cells)."""
    (x0, y0), (x1, y1) = a, b
    ts = {Fraction(0), Fraction(1)}
    for v0, v1 in ((x0, x1), (y0, y1)):
        if v1 != v0:
            lo, hi = sorted((v0, v1))
            for k in range(int(lo) + 1, int(hi) + 1):
                ts.add((k - v0) / (v1 - v0))
    ts = sorted(ts)
    ts += [(s + t) / 2 for s, t in itertools.pairwise(ts)]
    return {(int(x0 + (x1 - x0) * t), int(y0 + (y1 - y0) * t)) for t in ts}


def brute_between(m: RiskMatrix) -> bool:
    """Every segment of slope >= 0 from a cell to one two or more bands away passes a band between."""
    rank = {b.id: b.rank for b in m.bands}
    n, k = len(m.rows), len(m.columns)
    half = Fraction(1, 2)
    for (r1, c1), (r2, c2) in itertools.product(itertools.product(range(n), range(k)), repeat=2):
        if (r1, c1) == (r2, c2) or r2 < r1 or c2 < c1:
            continue
        lo_b, hi_b = sorted((rank[m.grid[r1][c1]], rank[m.grid[r2][c2]]))
        if hi_b - lo_b < 2:
            continue
        visited = _walk((r1 + half, c1 + half), (r2 + half, c2 + half))
        if not any(lo_b < rank[m.grid[r][c]] < hi_b for r, c in visited):
            return False
    return True


def brute_monotone(m: RiskMatrix) -> bool:
    """No cell that is at least as far up and right as another is in a lower band."""
    rank = {b.id: b.rank for b in m.bands}
    n, k = len(m.rows), len(m.columns)
    return all(
        rank[m.grid[r2][c2]] >= rank[m.grid[r1][c1]]
        for r1, c1, r2, c2 in itertools.product(range(n), range(k), range(n), range(k))
        if r2 >= r1 and c2 >= c1
    )


@st.composite
def small(draw, monotone=False):
    """Small matrices with plain labels: random sizes, bounds (multiples of 1/8) or none, and grids."""

    def a_scale(kind, name):
        n = draw(st.integers(2, 4))
        bounds = None
        if draw(st.booleans()):
            cuts = sorted(draw(st.lists(st.integers(0, 8), min_size=n + 1, max_size=n + 1, unique=True)))
            bounds = [(cuts[i] / 8, cuts[i + 1] / 8) for i in range(n)]
        return scale(n, kind, name, bounds)

    n_bands = draw(st.integers(3, 4))
    bands = BandSet(
        id="t.bands",
        label=Text(en="bands"),
        bands=tuple(
            RiskBand(id=f"b{i}", rank=i + 1, label=Text(en=str(i)), colour="#000000", action=Text(en="act"))
            for i in range(n_bands)
        ),
    )
    return draw(
        risk_matrices(
            rows=a_scale(ScaleKind.LIKELIHOOD, "r"),
            columns=a_scale(ScaleKind.CONSEQUENCE, "c"),
            bands=bands,
            monotone=monotone,
        )
    )


class TestCheckAgainstBruteForce:
    @given(small())
    def test_weak_consistency(self, m):
        """check() reports weak consistency exactly when the brute-force reading holds."""
        assert m.check().weakly_consistent == brute_weak(m)

    @given(small())
    def test_betweenness(self, m):
        """check() reports betweenness exactly when the brute-force reading holds."""
        assert m.check().betweenness == brute_between(m)

    @given(small())
    def test_monotone(self, m):
        """Any grid is reported monotone exactly when it is."""
        assert m.check().monotone == brute_monotone(m)

    @given(small(monotone=True))
    def test_monotone_grids(self, m):
        """Grids built monotone are reported monotone."""
        assert m.check().monotone

    @given(small())
    def test_ok_is_no_errors(self, m):
        """ok means no error-severity issue, and every failed flag has an issue naming cells."""
        report = m.check()
        assert report.ok == (
            report.monotone
            and report.weakly_consistent
            and report.betweenness
            and report.consistent_colouring
        )
        for issue in report.issues:
            for row, col in issue.cells:
                assert row in m.rows
                assert col in m.columns


class TestCox:
    def test_three_by_three(self):
        """Cox's 3 x 3 colouring (green bottom row and left column, red top right) passes."""
        report = matrix(["ggg", "gyy", "gyr"]).check()
        assert report.ok, report
        assert report.equal_widths_assumed

    def test_three_by_three_enumerated(self):
        """Of all 3 x 3 colourings with green and red, exactly two pass: Cox's and its transpose-like twin.

        Cox (2008) reports one; DOMAIN.md's source for that is an unverified exposition.
        This pins forsvarlig's reading of the axioms until someone checks the paper.
        """
        passing = []
        for cells in itertools.product("gyr", repeat=9):
            if {"g", "r"} <= set(cells):
                grid = [cells[0:3], cells[3:6], cells[6:9]]
                if matrix(grid).check().ok:
                    passing.append(["".join(row) for row in reversed(grid)])
        assert passing == [["gyr", "gyy", "ggg"], ["yrr", "yyr", "gyy"]]

    def test_two_by_two(self):
        """No 2 x 2 colouring with both green and red is weakly consistent; every 2 x 2 is flagged."""
        for cells in itertools.product("gyr", repeat=4):
            if not {"g", "r"} <= set(cells):
                continue
            report = matrix([cells[:2], cells[2:]]).check()
            assert not report.weakly_consistent or not report.betweenness
        flagged = matrix(["gg", "gy"]).check()
        assert [i.code for i in flagged.issues] == ["too-small"]
        assert flagged.ok

    def test_red_next_to_green(self):
        """A red cell sharing an edge with a green one breaks weak consistency and betweenness."""
        report = matrix(["ggg", "ggy", "grr"]).check()
        assert not report.weakly_consistent
        assert not report.betweenness
        assert any(
            issue.cells == (("l1", "l0"), ("l2", "l1"))
            for issue in report.issues
            if issue.code == "betweenness"
        ) or any("(l2 x l1)" in issue.message for issue in report.issues)

    def test_non_monotone_names_cells(self):
        """A band that falls going up is named by its cells."""
        report = matrix(["gyy", "ggy", "gyr"]).check()
        assert not report.monotone
        (issue,) = [i for i in report.issues if i.code == "not-monotone"]
        assert issue.cells == (("l0", "l1"), ("l1", "l1"))


class TestShipped:
    @pytest.mark.parametrize("matrix_id", list(default_catalogue().matrices))
    def test_every_shipped_matrix_passes(self, matrix_id):
        """Every built-in matrix passes check()."""
        report = default_catalogue().matrix(matrix_id).check()
        assert report.ok, str(report)
        assert not report.issues

    def test_talk_matrix_daily_complaints(self):
        """Daily complaints are not in the lowest band of the talk's matrix."""
        m = default_catalogue().matrix("fv.talk-frequency-by-consequence")
        assert m.band("daily", "complaints").rank > 1
        assert m.rows.has_bounds
        assert m.columns.has_bounds
        assert not m.check().equal_widths_assumed

    def test_bounds_matter(self):
        """Without its bounds, the talk's matrix is not consistent: equal widths from zero force daily complaints low."""
        m = default_catalogue().matrix("fv.talk-frequency-by-consequence")

        def strip(s):
            return attrs.evolve(s, levels=tuple(attrs.evolve(lv, bounds=None) for lv in s.levels))

        report = attrs.evolve(m, rows=strip(m.rows), columns=strip(m.columns)).check()
        assert not report.ok
        assert any(("daily", "complaints") in issue.cells for issue in report.issues)


class TestValidation:
    def test_grid_shape(self):
        """A grid must match the scales."""
        with pytest.raises(ValueError, match="the grid has 2 rows"):
            matrix(["gg", "gy"], rows=scale(3, ScaleKind.LIKELIHOOD, "r"))

    def test_unknown_band(self):
        """A cell must name a band of the set, with a suggestion."""
        with pytest.raises(ValueError, match=r"unknown band 'x'"):
            matrix(["gg", "gx"])

    def test_file_form_errors(self):
        """The file form names the row and the cell at fault."""
        cat = default_catalogue()
        data = {
            "id": "t.m",
            "label": {"en": "m"},
            "rows": from_dict_data(cat.scale("fv.at-frequency")),
            "columns": from_dict_data(cat.scale("fv.at-consequence")),
            "bands": from_dict_data(cat.band_set("fv.three-bands")),
            "grid": {
                "very-often": ["low", "low", "low", "hihg"],
                "often": ["low"] * 4,
                "rare": ["low"] * 4,
                "very-rar": ["low"] * 4,
            },
        }
        with pytest.raises(ValidationError) as info:
            from_dict(data, RiskMatrix)
        # Every problem at once: the unknown row, the missing one, the unknown band.
        assert [p.path for p in info.value.problems] == ["$.grid.very-rar", "$.grid", "$.grid.very-often[3]"]
        data["grid"]["very-rare"] = data["grid"].pop("very-rar")
        with pytest.raises(ValidationError) as info:
            from_dict(data, RiskMatrix)
        (p,) = info.value.problems
        assert p.path == "$.grid.very-often[3]"
        assert "did you mean 'high'" in p.message

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("colour", "red"),
            ("colour", "#12345"),
            ("respond_within", "2 weeks"),
            ("respond_within", "P"),
            ("id", "High"),
        ],
    )
    def test_band_fields(self, field, value):
        """Colours are #rrggbb, deadlines ISO 8601 durations, ids slugs."""
        good = {
            "id": "high",
            "rank": 1,
            "label": {"en": "High"},
            "colour": "#ff0000",
            "action": {"en": "Act"},
        }
        with pytest.raises(ValidationError) as info:
            from_dict({**good, field: value}, RiskBand)
        assert [p.path for p in info.value.problems] == [f"$.{field}"]


def from_dict_data(value):
    from forsvarlig import to_dict

    return to_dict(value)


@settings(max_examples=25)
@given(scales(), band_sets())
def test_band_lookup(rows, bands):
    """band() returns the cell's band for every pair of level ids."""
    columns = rows
    grid = tuple(
        tuple(bands.bands[(r + c) % len(bands)].id for c in range(len(columns))) for r in range(len(rows))
    )
    m = RiskMatrix(id="t.m", label=Text(en="m"), rows=rows, columns=columns, bands=bands, grid=grid)
    for (r, a), (c, b) in itertools.product(enumerate(rows.levels), enumerate(columns.levels)):
        assert m.band(a.id, b.id) == bands.bands[(r + c) % len(bands)]
    assert [cell[2] for cell in m.cells()] == [bands.band(b) for row in grid for b in row]


def test_unused_strategy_import_guard():
    """st is used by the strategies above (keeps the import honest)."""
    assert st.integers


class TestFindings:
    @pytest.mark.parametrize("good", ["P0D", "P2W", "P3M", "P1Y", "P1Y2M", "PT24H", "P1DT12H", "PT30M"])
    def test_durations_accepted(self, good):
        """ISO 8601 durations, with a time part or not, are accepted."""
        RiskBand(
            id="b", rank=1, label=Text(en="b"), colour="#000000", action=Text(en="a"), respond_within=good
        )

    @pytest.mark.parametrize("bad", ["P", "PT", "P1D1Y", "P1M1M", "2 weeks", "P1H", "PT1D"])
    def test_durations_refused(self, bad):
        """Malformed durations, and units out of order or repeated, are refused."""
        with pytest.raises(ValidationError, match="ISO 8601 duration"):
            RiskBand(
                id="b", rank=1, label=Text(en="b"), colour="#000000", action=Text(en="a"), respond_within=bad
            )

    def test_axes_warning(self):
        """A matrix of two consequence scales is flagged, not failed."""
        c = scale(3, ScaleKind.CONSEQUENCE, "c")
        report = matrix(["ggg", "gyy", "gyr"], rows=c, columns=c).check()
        assert report.ok
        assert [i.code for i in report.issues] == ["axes"]

    def test_constructor_types(self):
        """Constructing with the wrong kind of part is a ValidationError naming the field."""
        with pytest.raises(ValidationError) as info:
            Scale(id="t.s", kind="frekvens", label=Text(en="s"), levels=())  # type: ignore[arg-type]
        assert [p.path for p in info.value.problems] == ["$.kind"]
        with pytest.raises(ValidationError, match="whole number"):
            Level(id="a", rank="1", label=Text(en="a"))  # type: ignore[arg-type]

    def test_scale_reports_every_problem(self):
        """A scale's own checks report every level at fault at once."""
        levels = (
            Level(id="a", rank=1, label=Text(en="a"), bounds=(0.0, 0.5)),
            Level(id="a", rank=3, label=Text(en="b"), bounds=(0.2, 0.6)),
        )
        with pytest.raises(ValidationError) as info:
            Scale(id="t.s", kind=ScaleKind.LIKELIHOOD, label=Text(en="s"), levels=levels)
        assert [p.path for p in info.value.problems] == [
            "$.levels[1].rank",
            "$.levels[1].id",
            "$.levels[1].bounds",
        ]
