"""The organisation view: what recurs, what is shared, who lags, and the spread of residual risk."""

import datetime as dt
import random
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forsvarlig import (
    EstimateStatus,
    ForsvarligError,
    Hazard,
    Measure,
    MeasureKind,
    MeasureScope,
    MeasureStatus,
    PreventionLevel,
    RiskAssessment,
    RiskEstimate,
    ValidationError,
    default_catalogue,
    load,
    organisation_view,
    overdue,
    risk_register,
)

CAT = default_catalogue()
ON = dt.date(2026, 11, 26)
ORG = sorted((Path(__file__).parent.parent / "examples" / "organisation").glob("*.yaml"))
FACTORS = ["fv.workload", "fv.violence-threats", "fv.emotional-demands", "fv.lone-work"]
FREQ = CAT.scale("fv.talk-frequency").ids
CONS = CAT.scale("fv.talk-health-consequence").ids


def est(f, c):
    return RiskEstimate(levels={"frequency": f, "consequence": c})


def unit(name, hazards=(), measures=(), **kw):
    return RiskAssessment(
        unit=name,
        date=kw.pop("date", dt.date(2026, 3, 2)),
        method="fv.talk-matrix",
        catalogue={"fv": "0.1.0"},
        methods=kw.pop("methods", {"fv.talk-matrix": 1}),
        hazards=tuple(hazards),
        measures=tuple(measures),
        **kw,
    )


def measure(mid, hazards, scope=MeasureScope.UNIT, due=None, status=MeasureStatus.PLANNED):
    return Measure(
        id=mid,
        what=f"Do {mid}",
        hazards=tuple(hazards),
        target="fv.organisation",
        prevention=PreventionLevel.PRIMARY,
        kind=MeasureKind.REMOVE,
        scope=scope,
        due=due,
        status=status,
        owner="leader",
    )


@pytest.fixture(scope="module")
def example():
    return organisation_view([load(p) for p in ORG], CAT, on=ON)


class TestExample:
    """The shipped organisation of five units shows every part of the view."""

    def test_units(self, example):
        assert len(example.units) == len(ORG) >= 4
        assert [u.unit for u in example.units] == sorted(u.unit for u in example.units)

    def test_recurring_and_lift(self, example):
        recurring = {r.factor: r for r in example.recurring}
        assert len(recurring["fv.workload"].units) >= 4
        assert recurring["fv.workload"].shared
        assert [r.factor for r in example.lift] == ["fv.emotional-demands"]
        assert all(len(r.units) >= 2 for r in example.recurring)

    def test_shared_measures_are_one_each(self, example):
        ids = [m.id for m in example.shared]
        assert len(ids) == len(set(ids))
        assert any(len(m.units) >= 3 for m in example.shared)

    def test_lagging(self, example):
        assert example.lagging[0].unit == "Solbakken bofellesskap"
        assert example.lagging[0].review_overdue
        assert all(u.lag for u in example.lagging)

    def test_residual_spread(self, example):
        total = example.residual
        assert [(s, b) for s, counts in total.items() for b in counts] == list(example.bands)
        assert sum(n for counts in total.values() for n in counts.values()) == sum(
            u.hazards for u in example.units
        )
        assert any(u.highest == ("fv.three-bands", "high") for u in example.units)

    def test_records(self, example):
        for part in (*example.units, *example.recurring, *example.shared):
            record = part.record()
            assert all(isinstance(k, str) for k in record)


class TestView:
    def test_lift_needs_no_shared_measure(self):
        a = unit(
            "A", [Hazard(id="h", title="Rush", factors=("fv.workload",), current=est("daily", "complaints"))]
        )
        b = attrs.evolve(a, unit="B")
        view = organisation_view([a, b], CAT, on=ON)
        assert [r.lift for r in view.recurring] == [True]
        shared = measure("pool", ["h"], scope=MeasureScope.ORGANISATION)
        view = organisation_view([attrs.evolve(a, measures=(shared,)), b], CAT, on=ON)
        (r,) = view.recurring
        assert (r.lift, r.shared) == (False, ("pool",))
        (m,) = view.shared
        assert (m.id, m.units, m.factors) == ("pool", ("A",), ("fv.workload",))

    def test_lift_at(self):
        hazards = [Hazard(id="h", title="Rush", factors=("fv.workload",), current=est("daily", "complaints"))]
        units = [unit(name, hazards) for name in "ABC"]
        assert organisation_view(units, CAT, on=ON, lift_at=3).lift
        assert not organisation_view(units, CAT, on=ON, lift_at=4).lift
        assert organisation_view(units, CAT, on=ON, lift_at=4).recurring

    def test_latest_revision_of_a_unit_wins(self):
        old = unit("A", revision=1, date=dt.date(2025, 3, 1))
        new = unit("A", revision=2, date=dt.date(2026, 3, 1))
        view = organisation_view([new, old], CAT, on=ON)
        assert [(u.unit, u.revision) for u in view.units] == [("A", 2)]
        assert view.superseded == (("A", 1),)
        # The highest revision wins even with an earlier date.
        odd = unit("A", revision=3, date=dt.date(2024, 1, 1))
        view = organisation_view([new, old, odd], CAT, on=ON)
        assert [(u.unit, u.revision) for u in view.units] == [("A", 3)]
        assert view.superseded == (("A", 1), ("A", 2))

    def test_the_same_revision_twice_is_refused(self):
        a = unit("A", revision=2)
        with pytest.raises(ForsvarligError, match="revision 2"):
            organisation_view([a, a], CAT, on=ON)

    @pytest.mark.parametrize("lift_at", [0, 1, -3, 2.5])
    def test_lift_at_is_two_or_more(self, lift_at):
        with pytest.raises(ForsvarligError, match="2 or more"):
            organisation_view([], CAT, on=ON, lift_at=lift_at)

    def test_band_sets_are_kept_apart(self):
        """Units scoring on different band sets are counted per band set, never merged by band id."""
        talk = Hazard(id="h", title="Rush", factors=("fv.workload",), current=est("daily", "complaints"))
        oira = Hazard(
            id="h",
            title="Rush",
            factors=("fv.workload",),
            method="fv.oira-three-criteria",
            current=RiskEstimate(
                levels={"probability": "large", "frequency": "constant", "severity": "high"}
            ),
        )
        b = unit("B", [oira], methods={"fv.talk-matrix": 1, "fv.oira-three-criteria": 1})
        view = organisation_view([unit("A", [talk]), b], CAT, on=ON)
        assert len({s for s, _ in view.bands}) == 2
        for u in view.units:
            assert sum(n for counts in u.residual.values() for n in counts.values()) == 1
        assert sum(n for counts in view.residual.values() for n in counts.values()) == 2

    def test_not_relevant_is_not_a_risk(self):
        """A hazard whose current risk is judged not relevant counts in no band, whatever its inherent risk."""
        h = Hazard(
            id="h",
            title="Rush",
            factors=("fv.workload",),
            inherent=est("daily", "disability-death"),
            current=RiskEstimate(status=EstimateStatus.NOT_RELEVANT, reason="The night shift was closed"),
        )
        (summary,) = organisation_view([unit("A", [h])], CAT, on=ON).units
        assert summary.residual == {}
        assert summary.highest is None

    def test_a_cancelled_shared_measure_does_not_act(self):
        h = Hazard(id="h", title="Rush", factors=("fv.workload",), current=est("daily", "complaints"))
        gone = measure("pool", ["h"], scope=MeasureScope.ORGANISATION, status=MeasureStatus.CANCELLED)
        view = organisation_view([unit("A", [h], [gone]), unit("B", [h], [gone])], CAT, on=ON)
        (r,) = view.recurring
        assert r.lift
        assert r.shared == ()
        (m,) = view.shared
        assert m.cancelled_in == ("A", "B")

    def test_overdue_shared_measure(self):
        h = Hazard(id="h", title="Rush", factors=("fv.workload",), current=est("daily", "complaints"))
        m = measure("pool", ["h"], scope=MeasureScope.ACROSS_UNITS, due=dt.date(2026, 6, 1))
        a = unit("A", [h], [m])
        b = unit("B", [h], [attrs.evolve(m, status=MeasureStatus.DONE)])
        (shared,) = organisation_view([a, b], CAT, on=ON).shared
        assert shared.open_in == ("A",)
        assert shared.overdue_in == ("A",)
        assert shared.due == dt.date(2026, 6, 1)

    def test_a_unit_that_does_not_resolve_is_named(self):
        bad = unit("Depot", [Hazard(id="h", title="Rush", factors=("fv.workloa",))])
        with pytest.raises(ValidationError) as info:
            organisation_view([bad], CAT, on=ON)
        (problem,) = info.value.problems
        assert problem.source == "Depot"
        assert "fv.workload" in problem.message
        assert str(problem).startswith("Depot")


@st.composite
def units(draw):
    """Small assessments over a few factors, with unit and shared measures."""
    n = draw(st.integers(1, 5))
    out = []
    for i in range(n):
        hazards = []
        for j in range(draw(st.integers(0, 4))):
            factors = tuple(draw(st.lists(st.sampled_from(FACTORS), min_size=1, max_size=2, unique=True)))
            current = est(draw(st.sampled_from(FREQ)), draw(st.sampled_from(CONS)))
            residual = draw(st.none() | st.builds(est, st.sampled_from(FREQ), st.sampled_from(CONS)))
            hazards.append(
                Hazard(id=f"h{j}", title=f"Hazard {j}", factors=factors, current=current, residual=residual)
            )
        measures = []
        for k in range(draw(st.integers(0, 3)) if hazards else 0):
            acts_on = draw(st.lists(st.sampled_from([h.id for h in hazards]), min_size=1, unique=True))
            scope = draw(st.sampled_from(list(MeasureScope)))
            due = draw(st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
            mid = f"shared-{k}" if scope is not MeasureScope.UNIT else f"m{k}"
            measures.append(measure(mid, acts_on, scope=scope, due=due))
        out.append(unit(f"Unit {i}", hazards, measures))
    return out


class TestProperties:
    @settings(max_examples=40, deadline=None)
    @given(units(), st.randoms(use_true_random=False))
    def test_order_does_not_matter(self, given_units, rnd: random.Random):
        shuffled = list(given_units)
        rnd.shuffle(shuffled)
        assert organisation_view(given_units, CAT, on=ON) == organisation_view(shuffled, CAT, on=ON)

    @settings(max_examples=40, deadline=None)
    @given(units())
    def test_parts_agree_with_the_units(self, given_units):
        view = organisation_view(given_units, CAT, on=ON)
        by_name = {a.unit: a for a in given_units}
        for summary in view.units:
            a = by_name[summary.unit]
            rows = risk_register(a, CAT)
            # Every hazard ends in one band: the residual, else the current.
            assert sum(n for counts in summary.residual.values() for n in counts.values()) == len(rows)
            late = overdue(a, ON)
            assert summary.overdue_measures == late.measures
            assert summary.lag == len(late.measures) + len(late.follow_ups) + int(late.review)
        for r in view.recurring:
            assert len(r.units) >= 2
            assert r.lift is (not r.shared)
            assert set(r.highest) <= set(r.units)
            using = [a.unit for a in given_units if any(r.factor in h.factors for h in a.hazards)]
            assert r.units == tuple(sorted(using))
        assert [u.lag for u in view.lagging] == sorted((u.lag for u in view.lagging), reverse=True)
        assert all(m.units for m in view.shared)
