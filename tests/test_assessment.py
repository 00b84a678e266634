"""The assessment document and the queries over it: resolve, the risk register, overdue, coverage."""

import datetime as dt
import textwrap

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forsvarlig import (
    Coverage,
    EstimateStatus,
    Evaluation,
    Evidence,
    EvidenceKind,
    Hazard,
    Measure,
    MeasureKind,
    PreventionLevel,
    RiskAssessment,
    RiskEstimate,
    ValidationError,
    coverage,
    default_catalogue,
    dumps,
    loads,
    overdue,
    resolve,
    risk_register,
)
from forsvarlig.assessment import AcceptanceCriteria, AssessmentStatus
from forsvarlig.testing import risk_assessments

CAT = default_catalogue()
DAY = dt.date(2026, 3, 2)


def est(frequency, consequence, **kw):
    return RiskEstimate(levels={"frequency": frequency, "consequence": consequence}, **kw)


def assessment(**kw):
    base = {
        "unit": "Home care north",
        "date": DAY,
        "method": "fv.talk-matrix",
        "catalogue": {"fv": "0.1.0"},
        "methods": {"fv.talk-matrix": 1},
    }
    return RiskAssessment(**{**base, **kw})


def hazard(hid, current=None, **kw):
    return Hazard(
        id=hid, title=hid.title(), factors=kw.pop("factors", ("fv.workload",)), current=current, **kw
    )


def measure(mid, hazards, **kw):
    base = {
        "what": "Do something",
        "target": "fv.organisation",
        "prevention": PreventionLevel.PRIMARY,
        "kind": MeasureKind.REMOVE,
    }
    return Measure(id=mid, hazards=tuple(hazards), **{**base, **kw})


class TestTypes:
    def test_small_survey_group_refused(self):
        """Survey results from fewer than five people are refused, for privacy."""
        with pytest.raises(ValidationError, match="below the minimum of 5"):
            Evidence(kind=EvidenceKind.SURVEY, summary="x", group_size=4)
        with pytest.raises(ValidationError, match="size of the group"):
            Evidence(kind=EvidenceKind.SURVEY, summary="x")
        assert Evidence(kind=EvidenceKind.SURVEY, summary="x", group_size=5).group_size == 5

    def test_estimate_states(self):
        """An estimate gives levels; not relevant and postponed give a reason and no levels."""
        with pytest.raises(ValidationError, match="level of each dimension"):
            RiskEstimate()
        with pytest.raises(ValidationError):
            RiskEstimate(status=EstimateStatus.POSTPONED)
        with pytest.raises(ValidationError, match="no levels"):
            RiskEstimate(levels={"frequency": "daily"}, status=EstimateStatus.NOT_RELEVANT, reason="x")

    def test_every_internal_problem_at_once(self):
        """Repeated ids, measures for unknown hazards and evaluations of unknown measures are reported together."""
        with pytest.raises(ValidationError) as info:
            assessment(
                hazards=(hazard("a"), hazard("a")),
                measures=(measure("m", ["b"]),),
                evaluations=(Evaluation(measure="n", on=DAY, implemented=True),),
                status=AssessmentStatus.APPROVED,
            )
        paths = {p.path for p in info.value.problems}
        assert paths == {
            "$.hazards[1].id",
            "$.measures[0].hazards[0]",
            "$.evaluations[0].measure",
            "$.approved_by",
        }

    @settings(max_examples=30)
    @given(risk_assessments(), st.integers(1, 5))
    def test_n_independent_problems_report_n(self, a, n):
        """A document with N independent problems reports N."""
        if not a.hazards:
            a = attrs.evolve(a, hazards=(hazard("h"),), measures=(), evaluations=())
        broken = [measure(f"broken-{i}", [f"nowhere-{i}"]) for i in range(n)]
        data = loads(dumps(a))
        assert data == a
        text = dumps(attrs.evolve(a, measures=(*a.measures,)))
        doc = loads(text)
        with pytest.raises(ValidationError) as info:
            attrs.evolve(doc, measures=(*doc.measures, *broken))
        assert len(info.value.problems) == n

    def test_yaml_places_problems(self):
        """From YAML, a problem names its line and path."""
        text = textwrap.dedent(
            """\
            forsvarlig: assessment/1
            unit: Home care north
            date: 2026-03-02
            method: fv.talk-matrix
            catalogue: {fv: 0.1.0}
            methods: {fv.talk-matrix: 1}
            hazards:
              - id: evening-threats
                title: Threats on evening visits
                factors: [fv.violence-threats]
            measures:
              - id: pairs
                what: Two staff on flagged visits
                hazards: [evening-threat]
                target: fv.organisation
                prevention: primary
                kind: reduce-likelihood
            """
        )
        with pytest.raises(ValidationError) as info:
            loads(text)
        (problem,) = info.value.problems
        assert (problem.path, problem.line) == ("$.measures[0].hazards[0]", 14)
        assert "did you mean 'evening-threats'" in problem.message


class TestResolve:
    def test_clean(self):
        """An assessment whose ids all exist resolves."""
        resolve(assessment(hazards=(hazard("a", est("daily", "complaints")),)), CAT)

    def test_every_unknown_id_and_level(self):
        """Unknown factors, targets, templates, methods and levels are all reported, with suggestions."""
        a = assessment(
            methods={"fv.talk-matrix": 1, "fv.fine-kinny": 1},
            hazards=(hazard("a", est("dayly", "complaints"), factors=("fv.workloda",)),),
            measures=(measure("m", ["a"], target="fv.organization", template="fv.clarify-priority"),),
            acceptance=AcceptanceCriteria(action_band="mid"),
        )
        with pytest.raises(ValidationError) as info:
            resolve(a, CAT)
        found = {p.path: p.message for p in info.value.problems}
        assert set(found) == {
            "$.methods['fv.fine-kinny']",
            "$.hazards[0].factors[0]",
            "$.hazards[0].current.levels.frequency",
            "$.measures[0].target",
            "$.measures[0].template",
            "$.acceptance.action_band",
        }
        assert "did you mean 'fv.fine-kinney'" in found["$.methods['fv.fine-kinny']"]
        assert "did you mean 'daily'" in found["$.hazards[0].current.levels.frequency"]
        assert "'medium'" in found["$.acceptance.action_band"]


class TestRegister:
    def test_ranked_with_residual_from_evaluation(self):
        """Hazards rank by current risk; the latest evaluation's estimate supersedes the residual."""
        a = assessment(
            hazards=(
                hazard("quiet", est("rarely", "complaints")),
                hazard("loud", est("daily", "complaints"), residual=est("weekly", "complaints")),
            ),
            measures=(measure("m", ["loud"]),),
            evaluations=(
                Evaluation(measure="m", on=DAY, implemented=True, estimate=est("weekly", "complaints")),
                Evaluation(
                    measure="m",
                    on=DAY + dt.timedelta(days=90),
                    implemented=True,
                    estimate=est("monthly-yearly", "complaints"),
                ),
            ),
        )
        rows = risk_register(a, CAT)
        assert [(r.rank, r.hazard) for r in rows] == [(1, "loud"), (2, "quiet")]
        assert rows[0].residual.inputs["frequency"] == "monthly-yearly"
        assert rows[0].residual_from == "m"
        assert rows[1].residual is None
        assert rows[0].record()["current_band"] == "high"

    @settings(max_examples=40)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["rarely", "monthly-yearly", "weekly", "daily"]),
                st.sampled_from(["complaints", "injury-illness", "disability-death"]),
            ),
            min_size=1,
            max_size=6,
        ),
        st.randoms(),
    )
    def test_order_of_hazards_does_not_matter(self, levels, rnd):
        """Reordering hazards never changes the register (ties broken by id)."""
        hazards = [hazard(f"h{i}", est(f, c)) for i, (f, c) in enumerate(levels)]
        a = assessment(hazards=tuple(hazards))
        shuffled = list(hazards)
        rnd.shuffle(shuffled)
        b = assessment(hazards=tuple(shuffled))
        assert risk_register(a, CAT) == risk_register(b, CAT)
        ranks = [(r.current.band_rank, r.current.value) for r in risk_register(a, CAT)]
        assert ranks == sorted(ranks, reverse=True)

    def test_hazard_method(self):
        """A hazard scored with another method (incidents on the severity ladder) is scored with it."""
        a = assessment(
            methods={"fv.talk-matrix": 1, "fv.incident-matrix": 1},
            hazards=(
                hazard(
                    "threats",
                    RiskEstimate(levels={"frequency": "weekly", "severity": "serious"}),
                    factors=("fv.violence-threats",),
                    method="fv.incident-matrix",
                ),
            ),
        )
        (row,) = risk_register(a, CAT)
        assert (row.current.method, row.current.band) == ("fv.incident-matrix", "high")


class TestOverdueAndCoverage:
    def test_overdue(self):
        """Open measures past due, follow-ups past their date, and the review date are reported."""
        a = assessment(
            hazards=(hazard("a"),),
            measures=(
                measure("late", ["a"], due=DAY),
                measure("done", ["a"], due=DAY, status=__import__("forsvarlig").MeasureStatus.DONE),
                measure("followed", ["a"]),
            ),
            evaluations=(
                Evaluation(
                    measure="followed", on=DAY, implemented=True, next_follow_up=DAY + dt.timedelta(days=30)
                ),
            ),
            next_review=DAY + dt.timedelta(days=365),
        )
        early = overdue(a, DAY)
        assert not early.any
        later = overdue(a, DAY + dt.timedelta(days=60))
        assert (later.measures, later.follow_ups, later.review) == (("late",), ("followed",), False)
        assert overdue(a, DAY + dt.timedelta(days=400)).review

    def test_coverage(self):
        """Every current catalogue factor is covered, judged or not considered."""
        from forsvarlig import FactorJudgement, Judgement

        a = assessment(
            hazards=(hazard("a", factors=("fv.workload",)),),
            factors=(
                FactorJudgement(factor="fv.lone-work", judgement=Judgement.POSTPONED, reason="Next year"),
            ),
        )
        got = coverage(a, CAT)
        assert got["fv.workload"] is Coverage.ASSESSED
        assert got["fv.lone-work"] is Coverage.POSTPONED
        assert got["fv.violence-threats"] is Coverage.NOT_CONSIDERED
        assert set(got) == {f for f, x in CAT.factors.items() if x.replaced_by is None}


@settings(max_examples=30)
@given(risk_assessments(), st.randoms())
def test_order_of_measures_and_evaluations_does_not_matter(a, rnd):
    """Reordering measures or evaluations never changes the register (levels are mapped onto the method's scales)."""
    scale_f = CAT.scale("fv.talk-frequency").ids
    scale_c = CAT.scale("fv.talk-health-consequence").ids

    def fit(e):
        if e is None or not e.estimated:
            return e
        return attrs.evolve(e, levels={"frequency": rnd.choice(scale_f), "consequence": rnd.choice(scale_c)})

    hazards = tuple(
        attrs.evolve(
            h,
            inherent=fit(h.inherent),
            current=fit(h.current),
            residual=fit(h.residual),
            factors=("fv.workload",),
        )
        for h in a.hazards
    )
    measures = tuple(attrs.evolve(m, target="fv.organisation", template=None) for m in a.measures)
    evaluations = tuple(attrs.evolve(e, estimate=fit(e.estimate)) for e in a.evaluations)
    base = attrs.evolve(
        a,
        hazards=hazards,
        measures=measures,
        evaluations=evaluations,
        combined=fit(a.combined),
        incidents=(),
        factors=(),
    )
    shuffled_m = list(base.measures)
    rnd.shuffle(shuffled_m)
    shuffled_e = list(base.evaluations)
    rnd.shuffle(shuffled_e)
    other = attrs.evolve(base, measures=tuple(shuffled_m), evaluations=tuple(shuffled_e))
    assert risk_register(base, CAT) == risk_register(other, CAT)
