"""Review rules: each fires where it should and stays quiet where it should not."""

import datetime as dt

import attrs
import pytest

from forsvarlig import (
    Evaluation,
    Evidence,
    EvidenceKind,
    FactorJudgement,
    Hazard,
    Incident,
    Involvement,
    Judgement,
    Measure,
    MeasureKind,
    MeasureStatus,
    Participant,
    Participation,
    PreventionLevel,
    RiskAssessment,
    RiskEstimate,
    Role,
    Step,
    Text,
    default_catalogue,
)
from forsvarlig.assessment import AcceptanceCriteria, AssessmentStatus
from forsvarlig.rules import Finding, RuleRegistry, Severity, available_rules, get_rule, review

CAT = default_catalogue()
DAY = dt.date(2026, 3, 2)
SOON = DAY + dt.timedelta(days=60)
LATER = DAY + dt.timedelta(days=300)


def est(f, c):
    return RiskEstimate(levels={"frequency": f, "consequence": c}, rationale="Seen in the survey")


def involved(*steps):
    return tuple(Participation(step=s, how=Involvement.DECIDED_TOGETHER) for s in steps)


def m(mid, hazard, **kw):
    base = {
        "what": "Clear priorities each Monday",
        "target": "fv.organisation",
        "prevention": PreventionLevel.PRIMARY,
        "kind": MeasureKind.REMOVE,
        "owner": "leader",
        "due": SOON,
    }
    return Measure(id=mid, hazards=(hazard,), **{**base, **kw})


LISTED = [
    f.id
    for f in CAT.factors.values()
    if any(r.section == "4-3" and r.paragraph in range(2, 7) and r.in_force(DAY) for r in f.legal)
]


def clean(**kw):
    """An assessment that reviews without a single finding."""
    everyone = (Step.MAPPING, Step.ASSESSMENT, Step.MEASURES, Step.EVALUATION)
    a = RiskAssessment(
        unit="Home care north",
        date=DAY,
        method="fv.talk-matrix",
        catalogue=dict(CAT.namespaces),
        methods={"fv.talk-matrix": 1},
        acceptance=AcceptanceCriteria(action_band="medium"),
        factors=tuple(
            FactorJudgement(factor=f, judgement=Judgement.NOT_RELEVANT, reason="Not part of this work")
            for f in LISTED
            if f != "fv.workload"
        ),
        participants=(
            Participant(id="leader", role=Role.LEADER, reference="e-1", participation=involved(*everyone)),
            Participant(
                id="vo", role=Role.SAFETY_REPRESENTATIVE, reference="e-2", participation=involved(*everyone)
            ),
        ),
        hazards=(
            Hazard(
                id="deadlines",
                title="Monthly deadlines",
                factors=("fv.workload",),
                evidence=(
                    Evidence(kind=EvidenceKind.SURVEY, summary="Time pressure scored low", group_size=14),
                ),
                current=est("weekly", "complaints"),
                residual=est("monthly-yearly", "complaints"),
            ),
        ),
        measures=(m("priorities", "deadlines", status=MeasureStatus.DONE),),
        evaluations=(
            Evaluation(
                measure="priorities", on=DAY, implemented=True, estimate=est("monthly-yearly", "complaints")
            ),
        ),
        combined=RiskEstimate(levels={"frequency": "weekly", "consequence": "complaints"}),
        next_review=LATER,
    )
    return attrs.evolve(a, **kw)


def codes(a, on=DAY):
    return [f.code for f in review(a, CAT, on=on)]


def test_clean_assessment_has_no_findings():
    """The fixture reviews clean, so each test below shows one rule firing on one change."""
    assert review(clean(), CAT, on=DAY) == ()


def test_every_builtin_rule_is_listed_and_an_id():
    """Every built-in rule is registered under an `fv.` code."""
    rules = RuleRegistry(entry_points=False).rules()
    assert len(rules) >= 17
    assert all(r.code.startswith("fv.") for r in rules)
    assert set(available_rules()) >= {r.code for r in rules}


CASES = {
    "fv.factor-not-considered": lambda a: attrs.evolve(a, factors=a.factors[1:]),
    "fv.no-participation": lambda a: attrs.evolve(
        a,
        participants=tuple(
            attrs.evolve(p, participation=involved(Step.MAPPING, Step.ASSESSMENT)) for p in a.participants
        ),
    ),
    "fv.no-employee-side": lambda a: attrs.evolve(a, participants=a.participants[:1]),
    "fv.hazard-without-evidence": lambda a: attrs.evolve(
        a, hazards=(attrs.evolve(a.hazards[0], evidence=()),)
    ),
    "fv.hazard-without-estimate": lambda a: attrs.evolve(
        a, hazards=(attrs.evolve(a.hazards[0], current=None, residual=None),), evaluations=()
    ),
    "fv.high-risk-without-measure": lambda a: attrs.evolve(a, measures=(), evaluations=()),
    "fv.symptoms-only": lambda a: attrs.evolve(
        a, measures=(attrs.evolve(a.measures[0], target="fv.outcome", kind=MeasureKind.TRAINING),)
    ),
    "fv.measure-without-owner": lambda a: attrs.evolve(
        a, measures=(attrs.evolve(a.measures[0], owner=None, status=MeasureStatus.PLANNED),), evaluations=()
    ),
    "fv.measure-without-due-date": lambda a: attrs.evolve(
        a, measures=(attrs.evolve(a.measures[0], due=None, status=MeasureStatus.PLANNED),), evaluations=()
    ),
    "fv.measure-not-evaluated": lambda a: attrs.evolve(a, evaluations=()),
    "fv.residual-requires-action": lambda a: attrs.evolve(
        a, evaluations=(attrs.evolve(a.evaluations[0], estimate=est("daily", "complaints")),)
    ),
    "fv.incident-not-followed-up": lambda a: attrs.evolve(
        a,
        incidents=(Incident(id="i1", date=DAY, factor="fv.violence-threats", followed_up=False),),
    ),
    "fv.no-combined-estimate": lambda a: attrs.evolve(a, combined=None),
    "fv.no-next-review": lambda a: attrs.evolve(a, next_review=None),
    "fv.approved-without-safety-representative": lambda a: attrs.evolve(
        a, status=AssessmentStatus.APPROVED, approved_by=Role.LEADER, participants=a.participants[:1]
    ),
    "fv.pinned-version-differs": lambda a: attrs.evolve(a, catalogue={**a.catalogue, "fv": "0.0.9"}),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires(code):
    """Each rule fires on the one change that breaks it, and the finding is placed and bilingual."""
    findings = [f for f in review(CASES[code](clean()), CAT, on=DAY) if f.code == code]
    assert findings, code
    for finding in findings:
        assert finding.path.startswith("$")
        assert {"nb", "en"} <= set(finding.message.languages)


def test_overdue_measure_fires_only_after_its_date():
    """A measure is overdue only after its due date."""
    a = clean(measures=(m("priorities", "deadlines", status=MeasureStatus.IN_PROGRESS),), evaluations=())
    assert "fv.measure-overdue" not in codes(a, on=DAY)
    assert "fv.measure-overdue" in codes(a, on=SOON + dt.timedelta(days=1))


def test_review_date_passed():
    """A next review date in the past is a finding."""
    assert "fv.no-next-review" in codes(clean(), on=LATER + dt.timedelta(days=1))


def test_violence_duties():
    """Assessing violence without training, information and follow-up measures breaks the duties; meeting them is quiet."""
    threat = Hazard(
        id="threats",
        title="Threats on evening visits",
        factors=("fv.violence-threats",),
        evidence=(Evidence(kind=EvidenceKind.DEVIATION, summary="Two reports"),),
        current=est("monthly-yearly", "complaints"),
    )
    base = clean()
    a = attrs.evolve(
        base,
        hazards=(*base.hazards, threat),
        factors=tuple(j for j in base.factors if j.factor != "fv.violence-threats"),
        measures=(*base.measures, m("alarm", "threats", kind=MeasureKind.REDUCE_CONSEQUENCE)),
    )
    found = [f for f in review(a, CAT, on=DAY) if f.code == "fv.requirement-not-met"]
    assert len(found) == 3  # training, information, follow-up
    assert all(f.severity is Severity.ERROR for f in found)
    met = attrs.evolve(
        a,
        measures=(
            *a.measures,
            m("drills", "threats", kind=MeasureKind.TRAINING),
            m("routines", "threats", kind=MeasureKind.INFORMATION),
            m("debrief", "threats", kind=MeasureKind.FOLLOW_UP, target="fv.outcome"),
        ),
    )
    assert "fv.requirement-not-met" not in codes(met)


def test_unknown_ids_are_findings_not_exceptions():
    """An id the catalogue lacks is an error finding, with a suggestion; rules that need scores then wait."""
    a = clean(hazards=(attrs.evolve(clean().hazards[0], factors=("fv.workloda",)),))
    findings = review(a, CAT, on=DAY)
    unknown = [f for f in findings if f.code == "fv.unknown-reference"]
    assert unknown
    assert "did you mean 'fv.workload'" in unknown[0].message.get("en")
    assert "fv.high-risk-without-measure" not in {f.code for f in findings}


def test_findings_sorted_errors_first():
    """Findings come errors first."""
    a = clean(participants=(), combined=None)
    ranks = [f.severity.rank for f in review(a, CAT, on=DAY)]
    assert ranks == sorted(ranks, reverse=True)


class TestPlugins:
    def test_third_party_rule(self):
        """A rule of one's own, registered in a registry, runs beside the built-ins."""

        class NightWork:
            code = "acme.night-work-reviewed"

            def check(self, context):
                if not any("night" in h.title.lower() for h in context.assessment.hazards):
                    yield Finding(
                        code=self.code,
                        severity=Severity.INFO,
                        message=Text(nb="Nattarbeid er ikke vurdert", en="Night work is not assessed"),
                    )

        registry = RuleRegistry(entry_points=False)
        registry.register(NightWork.code, NightWork())
        assert "acme.night-work-reviewed" in [f.code for f in review(clean(), CAT, on=DAY, rules=registry)]

    @pytest.mark.parametrize(
        ("check", "said"),
        [
            (lambda context: iter([{}["missing"]]), "KeyError"),
            (lambda context: ["not a finding"], "not a Finding"),
        ],
        ids=["raises", "yields-a-string"],
    )
    def test_a_broken_rule_is_a_finding(self, check, said):
        """A rule that raises, or yields something else, is a finding; the other rules still run."""

        class Broken:
            code = "acme.broken"

        Broken.check = staticmethod(check)
        registry = RuleRegistry(entry_points=False)
        registry.register(Broken.code, Broken())
        findings = review(clean(), CAT, on=DAY, rules=registry)
        (failed,) = [f for f in findings if f.code == "fv.rule-failed"]
        assert "acme.broken" in failed.message.get("en")
        assert said in failed.message.get("en")
        assert failed.severity is Severity.WARNING

    def test_codes_are_ids(self):
        """A rule's code must be an id in a namespace."""
        from forsvarlig import PluginRegistrationError

        with pytest.raises(PluginRegistrationError, match="an id"):
            RuleRegistry(entry_points=False).register("night-work", get_rule("fv.symptoms-only"))


def test_rules_from_entry_points(tmp_path, monkeypatch):
    """A rule class declared in `forsvarlig.rules` is found and run; a broken one is left out and reported."""
    from importlib.metadata import EntryPoint

    from forsvarlig.rules import RULES_GROUP

    (tmp_path / "acme_rules.py").write_text(
        "from forsvarlig.rules import Finding, Severity\n"
        "from forsvarlig import Text\n"
        "class Always:\n"
        "    code = 'acme.always'\n"
        "    def check(self, context):\n"
        "        yield Finding(code=self.code, severity=Severity.INFO, message=Text(nb='Alltid', en='Always'))\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = [
        EntryPoint("acme.always", "acme_rules:Always", RULES_GROUP),
        EntryPoint("acme.broken", "acme_missing:Rule", RULES_GROUP),
    ]
    monkeypatch.setattr(
        "importlib.metadata.entry_points", lambda group=None: [e for e in found if e.group == group]
    )
    registry = RuleRegistry()
    codes = [f.code for f in review(clean(), CAT, on=DAY, rules=registry)]
    assert codes == ["fv.rule-not-loaded", "acme.always"]
    assert set(registry.failures) == {"acme.broken"}


def test_a_retired_entry_is_a_finding():
    """An assessment that uses an entry a layer retired hears of its replacement; one that does not, hears nothing."""
    from pathlib import Path

    from forsvarlig import load_catalogue

    stacked = load_catalogue(Path(__file__).parent.parent / "examples" / "acme-layer.yaml")
    a = clean()
    assert [f for f in review(a, stacked, on=DAY) if f.code == "fv.retired-entry"] == []
    old = attrs.evolve(a.hazards[0], factors=(*a.hazards[0].factors, "fv.leader-interplay"))
    found = review(attrs.evolve(a, hazards=(old, *a.hazards[1:])), stacked, on=DAY)
    (retired,) = [f for f in found if f.code == "fv.retired-entry"]
    assert retired.path == f"$.hazards[0].factors[{len(old.factors) - 1}]"
    assert "acme.leader-dialogue" in retired.message.get("en")
    assert retired.severity is Severity.WARNING


def test_factors_the_law_named_before_2026():
    """An assessment dated before 2026 is held to the earlier § 4-3 (1)–(4), integrity and dignity included."""
    empty = RiskAssessment(
        unit="Lab",
        date=dt.date(2025, 6, 1),
        method="fv.talk-matrix",
        catalogue={"fv": "0.1.0"},
        methods={"fv.talk-matrix": 1},
    )
    flagged = {
        f.message.get("en").split("'")[1]
        for f in review(empty, CAT, on=empty.date)
        if f.code == "fv.factor-not-considered"
    }
    assert "Integrity and dignity" in flagged
    assert "Workload and time pressure" not in flagged  # the new (2) came in 2026
    later = attrs.evolve(empty, date=dt.date(2026, 6, 1))
    flagged = {
        f.message.get("en").split("'")[1]
        for f in review(later, CAT, on=later.date)
        if f.code == "fv.factor-not-considered"
    }
    assert {"Integrity and dignity", "Workload and time pressure"} <= flagged
